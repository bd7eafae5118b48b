"""The Dask engine on a local cluster against the single-process streaming command: time and peak memory.

For each size in ``--rows`` it writes real names (from ../shared/data, in a temporary folder) as
a CSV file, or with ``--input parquet`` as a partitioned Parquet dataset, and runs ``python -m
namecleaner clean --cluster`` on it twice: once as one streaming process, once with ``--engine
dask --workers N`` (a local cluster); ``--no-cluster`` times cleaning alone. Peak memory is the
largest sum of resident memory over the command's whole process tree (client, scheduler, nannies
and workers), sampled every 0.2 s. The two outputs must be equal. Run from the repository root:

    python benchmarks/bench_dask.py --rows 1000000 --workers 2 --unique-share 0.01
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import pyarrow as pa
import pyarrow.parquet as pq
from bench_stream_memory import name_rows
from shared_data import require_shared_data

ROWS_PER_FILE = 250_000
#: Outputs up to this many rows are compared in full; larger ones by row count.
FULL_COMPARE_ROWS = 2_000_000


def write_dataset(folder: Path, rows: int, unique_share: float) -> None:
    """The rows as a Parquet dataset, one file per ``ROWS_PER_FILE`` rows, named in row order."""
    folder.mkdir()
    batch: list[tuple[int, str, str]] = []
    for row in name_rows(rows, unique_share):
        batch.append(row)
        if len(batch) == ROWS_PER_FILE or row[0] == rows - 1:
            ids, names, countries = zip(*batch)
            table = pa.table({"id": pa.array(ids, pa.int64()), "name": names, "country": countries})
            pq.write_table(table, folder / f"part.{row[0] // ROWS_PER_FILE:05d}.parquet")
            batch = []


def sample_tree(process: psutil.Process, cpu: dict[int, float]) -> int:
    """Resident bytes of a process and all its descendants; records each one's CPU seconds so far."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            with member.oneshot():
                total += member.memory_info().rss
                times = member.cpu_times()
                cpu[member.pid] = times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def run_measured(command: list[str]) -> tuple[float, float, float]:
    """Run a command: wall seconds, CPU seconds and peak memory (MB) of its whole process tree.

    CPU seconds matter on a shared machine, where wall time also counts other people's work.
    """
    peak = 0
    cpu: dict[int, float] = {}
    start = time.perf_counter()
    child = subprocess.Popen(command)
    process = psutil.Process(child.pid)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.2):
            try:
                peak = max(peak, sample_tree(process, cpu))
            except psutil.NoSuchProcess:
                return

    sampler = threading.Thread(target=sample)
    sampler.start()
    code = child.wait()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if code:
        sys.exit(f"error: {' '.join(command)} exited with {code}")
    return seconds, sum(cpu.values()), peak / 1e6


def write_csv(path: Path, rows: int, unique_share: float) -> None:
    """The rows as one CSV file."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "name", "country"])
        writer.writerows(name_rows(rows, unique_share))


def same_output(first: Path, second: Path, rows: int) -> bool:
    """Whether two outputs are equal: in full up to ``FULL_COMPARE_ROWS`` rows, else by row count."""
    if first.suffix == ".csv":
        return filecmp.cmp(first, second, shallow=False)
    if rows <= FULL_COMPARE_ROWS:
        return pq.read_table(first).equals(pq.read_table(second))
    return pq.read_metadata(first).num_rows == pq.read_metadata(second).num_rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the local cluster (default: 2)")
    parser.add_argument(
        "--unique-share", type=float, default=0.01, help="share of rows given a distinct variant (default: 0.01)"
    )
    parser.add_argument("--input", choices=("csv", "parquet"), default="csv", help="input format (default: csv)")
    parser.add_argument("--no-cluster", action="store_true", help="time cleaning alone, without --cluster")
    args = parser.parse_args()
    require_shared_data()
    base = [sys.executable, "-m", "namecleaner", "clean"]
    options = [
        "--column",
        "name",
        "--country-column",
        "country",
        "--quiet",
        *([] if args.no_cluster else ["--cluster"]),
    ]
    for rows in args.rows:
        with tempfile.TemporaryDirectory(prefix="nc_bench_") as folder:
            if args.input == "csv":
                source = Path(folder) / "names.csv"
                write_csv(source, rows, args.unique_share)
                described = f"a CSV file of {source.stat().st_size / 1e6:,.0f} MB"
            else:
                source = Path(folder) / "names"
                write_dataset(source, rows, args.unique_share)
                described = f"{len(list(source.iterdir()))} Parquet files"
            suffix = ".csv" if args.input == "csv" else ".parquet"
            single, distributed = Path(folder) / f"stream{suffix}", Path(folder) / f"dask{suffix}"
            runs = {
                "single process (stream)": base + [str(source), "-o", str(single), *options],
                f"dask, local cluster of {args.workers}": base
                + [str(source), "-o", str(distributed), *options, "--engine", "dask", "--workers", str(args.workers)],
            }
            task = "clean" if args.no_cluster else "clean --cluster"
            print(f"{task}: {rows:,} rows in {described}, unique share {args.unique_share}", flush=True)
            for label, command in runs.items():
                seconds, cpu, peak = run_measured(command)
                print(
                    f"  {label}: {seconds:,.1f} s wall, {cpu:,.1f} s CPU, {rows / seconds:,.0f} rows/s, "
                    f"peak memory {peak:,.0f} MB",
                    flush=True,
                )
            same = same_output(single, distributed, rows)
            print(f"  outputs {'equal' if same else 'DIFFER'}{'' if rows <= FULL_COMPARE_ROWS else ' (row count)'}")
            if not same:
                sys.exit(1)


if __name__ == "__main__":
    main()
