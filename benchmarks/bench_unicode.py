"""Throughput of the Unicode cleaning stage: distinct names per second, and rows per second.

Real names from ../shared/data are replicated to --rows rows and cleaned through the batch
API, which cleans each distinct name once. Run from the repository root:

    python benchmarks/bench_unicode.py --rows 1000000
"""

from __future__ import annotations

import argparse
import random
import time

from shared_data import real_names

from namecleaner.batch import Cleaner
from namecleaner.pipeline import build_pipeline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    names = real_names()
    rng = random.Random(0)
    rows = [names[rng.randrange(len(names))] for _ in range(args.rows)]
    distinct = len(set(rows))
    pipeline = build_pipeline(stages=("unicode",))
    Cleaner(pipeline).clean(names[:1000])  # load tables and warm caches before timing

    start = time.perf_counter()
    Cleaner(pipeline).clean(rows)
    batch_seconds = time.perf_counter() - start

    start = time.perf_counter()
    for name in set(rows):
        pipeline.run(name)
    stage_seconds = time.perf_counter() - start

    print(f"rows: {args.rows:,}  distinct names: {distinct:,}")
    print(f"unicode stage alone: {distinct / stage_seconds:,.0f} distinct names/s ({stage_seconds:.2f} s)")
    print(
        f"batch API, {args.rows:,} rows: {batch_seconds:.2f} s = {args.rows / batch_seconds:,.0f} rows/s, "
        f"{distinct / batch_seconds:,.0f} distinct names/s"
    )


if __name__ == "__main__":
    main()
