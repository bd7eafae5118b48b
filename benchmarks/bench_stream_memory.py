"""Peak memory of the streaming batch command on a CSV of millions of rows (issue 6: under 2 GB for 5M rows).

Writes a CSV of ``--rows`` rows drawn from the real names in ../shared/data into a temporary
folder (never the repository), runs ``python -m namecleaner clean`` on it as a subprocess, and
reports rows, seconds and the command's peak resident memory. ``--unique-share`` of the rows
get a numbered variant of their name, so the distinct names outnumber the cleaner's cache and
its eviction is exercised, as on a full office table. Run from the repository root:

    python benchmarks/bench_stream_memory.py --rows 5000000
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

from shared_data import real_names

COUNTRIES = ("", "", "US", "JP", "CN", "DE", "KR", "FR", "RU", "UA", "GB")


def name_rows(rows: int, unique_share: float, seed: int = 0) -> Iterator[tuple[int, str, str]]:
    """Rows (id, name, country) of real names; a name's country is fixed, as in office data."""
    names = real_names()
    rng = random.Random(seed)
    for row in range(rows):
        name = names[rng.randrange(len(names))]
        country = COUNTRIES[zlib.crc32(name.encode()) % len(COUNTRIES)]
        yield row, (f"{name} {row}" if rng.random() < unique_share else name), country


def write_input(path: Path, rows: int, unique_share: float) -> int:
    """Write the rows as CSV; returns the number of distinct names."""
    distinct: set[str] = set()
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "name", "country"])
        for row in name_rows(rows, unique_share):
            distinct.add(row[1])
            writer.writerow(row)
    return len(distinct)


def count_rows(path: Path) -> int:
    with open(path, encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def child_usage() -> tuple[float, float]:
    """CPU seconds of the finished child processes, and the peak resident memory of the largest, in MB.

    CPU seconds matter on a shared machine, where wall time also counts other people's work.
    """
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = usage.ru_maxrss / (1 << 20) if sys.platform == "darwin" else usage.ru_maxrss / 1024  # Linux: KiB
    return usage.ru_utime + usage.ru_stime, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument(
        "--unique-share", type=float, default=0.1, help="share of rows given a distinct variant (default: 0.1)"
    )
    parser.add_argument("--chunk-size", type=int, help="passed to namecleaner clean (default: its own)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nc_bench_") as folder:
        source, output = Path(folder) / "names.csv", Path(folder) / "cleaned.csv"
        distinct = write_input(source, args.rows, args.unique_share)
        command = [
            sys.executable,
            "-m",
            "namecleaner",
            "clean",
            str(source),
            "-o",
            str(output),
            "--column",
            "name",
            "--country-column",
            "country",
            "--quiet",
        ]
        if args.chunk_size:
            command += ["--chunk-size", str(args.chunk_size)]
        start = time.perf_counter()
        subprocess.run(command, check=True)
        seconds = time.perf_counter() - start
        cpu, peak = child_usage()
        written = count_rows(output)
        print(f"command: {' '.join(command[1:])}")
        print(
            f"rows: {args.rows:,} (written: {written:,})  distinct names: {distinct:,}  "
            f"input: {source.stat().st_size / 1e6:,.0f} MB  output: {output.stat().st_size / 1e6:,.0f} MB"
        )
        print(
            f"seconds: {seconds:,.1f} wall, {cpu:,.1f} CPU  rows/s: {args.rows / seconds:,.0f}  peak memory: {peak:,.0f} MB"
        )
        if written != args.rows:
            sys.exit(f"error: wrote {written:,} rows for {args.rows:,}")


if __name__ == "__main__":
    main()
