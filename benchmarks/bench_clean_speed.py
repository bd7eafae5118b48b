"""Cleaning speed of the batch command (issue 16: 1M rows with 300k distinct names in at most 60 s).

Writes a CSV of ``--rows`` rows holding ``--distinct`` distinct names into a temporary folder
(never the repository): the real names of ../shared/data, then perturbed variants of them
(typos, legal forms, case, word order, abbreviations: ``bench_cluster_scale.build_names``),
each row a name drawn with a long tail, as office tables repeat their frequent applicants.
Then it runs ``python -m namecleaner clean`` on it, once per ``--workers`` value, each in its
own process, side by side in one run, and reports seconds, CPU seconds, the peak memory of the
largest process and the command's own phases (its ``--summary``).

``--stages N`` also times each stage on N distinct names in this process (one core): where
the time per name goes.

    python benchmarks/bench_clean_speed.py --rows 1000000 --distinct 300000 --workers 1,2
    python benchmarks/bench_clean_speed.py --rows 100000 --distinct 30000 --stages 5000
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cluster_scale import build_names
from shared_data import real_names, require_shared_data


def write_input(path: Path, rows: int, distinct: int, seed: int = 16) -> int:
    """Write ``rows`` rows over ``distinct`` names (each at least once); returns the distinct names written."""
    names, _ = build_names(distinct)
    rng = random.Random(seed)
    order = names + [
        names[min(int(rng.paretovariate(1.2)) - 1, distinct - 1) if rng.random() < 0.5 else rng.randrange(distinct)]
        for _ in range(rows - distinct)
    ]
    rng.shuffle(order)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "name"])
        writer.writerows(enumerate(order))
    return len(set(order))


def run_clean(source: Path, folder: Path, workers: int, steps: str) -> dict[str, object]:
    """One run of the command; its seconds, CPU seconds, peak memory and summary."""
    summary = folder / f"summary-{workers}.json"
    command = [
        sys.executable,
        "-m",
        "namecleaner",
        "clean",
        str(source),
        "-o",
        str(folder / f"out-{workers}.parquet"),
        "-c",
        "name",
        "-q",
        "--workers",
        str(workers),
        "--steps",
        steps,
        "--summary",
        str(summary),
    ]
    # through a fresh process of this script, so that the peak memory is this run's alone
    done = subprocess.run(
        [sys.executable, __file__, "--one", json.dumps(command)], check=True, capture_output=True, text=True
    )
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    return {**measured, "summary": json.loads(summary.read_text())}


def measure(command: list[str]) -> dict[str, float]:
    """Run ``command`` as a child; its seconds, CPU seconds (with its workers) and peak memory of its largest process."""
    started = time.perf_counter()
    subprocess.run(command, check=True)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}


def stage_times(count: int) -> tuple[dict[str, float], int, float]:
    """CPU microseconds per name spent in each stage (and in writing the columns), on ``count`` distinct names;
    and the names and CPU seconds of the warm-up before them.

    CPU time of this process, not wall time, so that other work on the machine does not count.
    The warm-up cleans every 50th real name, of every source and script, so that the tables and
    readers that load on first use (Japanese, Korean, Chinese) load before the timing, once per
    process as in a run, instead of counting as the cost of the first names of their script.
    """
    from namecleaner.config import Config
    from namecleaner.parallel import config_pipeline
    from namecleaner.record import NameRecord

    names, _ = build_names(count)
    started = time.process_time()
    pipeline = config_pipeline(Config.from_profile())
    warm = real_names()[::50]
    for name in warm:
        pipeline.run(name)
    warm_seconds = time.process_time() - started
    spent: dict[str, float] = {}
    for name in names:
        record = NameRecord(name)
        for stage in pipeline.stages:
            started = time.process_time()
            stage(record)
            spent[stage.name] = spent.get(stage.name, 0.0) + time.process_time() - started
        started = time.process_time()
        [record.value(column) for column in pipeline.columns]
        spent["columns and steps"] = spent.get("columns and steps", 0.0) + time.process_time() - started
    return {stage: 1e6 * seconds / len(names) for stage, seconds in spent.items()}, len(warm), warm_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--distinct", type=int, default=300_000)
    parser.add_argument("--workers", default=f"1,{os.cpu_count() or 1}", help="worker counts to run, comma-separated")
    parser.add_argument("--steps", default="full", choices=("full", "compact", "none"))
    parser.add_argument("--stages", type=int, default=0, metavar="N", help="also time each stage on N distinct names")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(json.loads(args.one))))
        return
    require_shared_data()
    print(
        f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (other work on the machine slows wall time)"
    )
    if args.stages:
        per_name, warmed, warm_seconds = stage_times(args.stages)
        print(f"warm-up (pipeline built, tables and readers loaded): {warmed:,} real names, {warm_seconds:.1f} CPU s")
        print(
            f"CPU per stage, {args.stages:,} distinct names, one core: "
            + ", ".join(f"{k} {v:.0f} µs" for k, v in per_name.items())
            + f"; total {sum(per_name.values()):.0f} µs/name"
        )
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        source = folder / "names.csv"
        distinct = write_input(source, args.rows, args.distinct)
        print(
            f"{args.rows:,} rows, {distinct:,} distinct names, {source.stat().st_size / 1e6:.0f} MB, --steps {args.steps}"
        )
        print(f"{'workers':>8}{'seconds':>9}{'CPU s':>8}{'peak MB':>9}  phases")
        for workers in (int(w) for w in args.workers.split(",")):
            r = run_clean(source, folder, workers, args.steps)
            phases = ", ".join(f"{k} {v:.1f}s" for k, v in r["summary"]["seconds"].items())
            print(f"{workers:>8}{r['seconds']:>9.1f}{r['cpu']:>8.0f}{r['peak_mb']:>9.0f}  {phases}", flush=True)


if __name__ == "__main__":
    main()
