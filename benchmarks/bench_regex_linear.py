"""Worst-case inputs of every regex in the package, timed at growing length: the growth exponent.

Every compiled pattern at module level of ``namecleaner`` (and the patterns the data tables
compile: the script markers of ``data/translit/script_languages.tsv``) is run with
``search`` and ``fullmatch`` on families of hostile texts: one character or syllable
repeated (spaces, letters, dots, quotes, brackets, separators, kana, Hangul, Han …), with
and without a character that makes the match fail at the end. Each family is timed at
doubling lengths until a call takes ``--budget`` seconds or the length reaches ``--max``;
the exponent is the slope of log(time) over log(length) between the two longest lengths
(1 = linear, 2 = quadratic; exponential growth shows as a large exponent at a short length).

    nice -n 10 python benchmarks/bench_regex_linear.py            # every pattern
    nice -n 10 python benchmarks/bench_regex_linear.py --max 8192 --show 15
    nice -n 10 python benchmarks/bench_regex_linear.py --only readers._LOANWORD_LEMMA

A pattern is reported super-linear when its worst family grows with an exponent above
``--limit`` (default 1.5). No dev data is needed.
"""

from __future__ import annotations

import argparse
import importlib
import math
import pkgutil
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import namecleaner

#: Units a hostile text repeats: what quantified character classes of the package's
#: patterns consume (white space, letters, digits, punctuation, CJK, kana, Hangul …).
UNITS = (" ", "a", "A", "na", "1", ".", "a.", "A. ", "-", "'", "a'", '"', "(", ")", ",", " ,", ";", "、", "&", "&#",
         "e\u0301", "щ", "株", "アー", "가", "ก", "\u200f", "x-", "Co.", " - ")  # fmt: skip
#: What follows the repetition: nothing, or a character that makes a match fail at the end.
TAILS = ("", "!", "1")
#: A call faster than this at the longest length is flat: its growth is below the timer's noise.
NOISE_SECONDS = 2e-5


@dataclass(frozen=True)
class Growth:
    """How one pattern's worst family grows."""

    name: str
    family: str
    exponent: float
    longest: int
    seconds: float


def patterns() -> Iterator[tuple[str, re.Pattern[str]]]:
    """Every compiled pattern at module level of the package, and those the data tables give."""
    seen: set[int] = set()
    for module_info in pkgutil.walk_packages(namecleaner.__path__, "namecleaner."):
        try:
            module = importlib.import_module(module_info.name)
        except Exception:  # an optional extra (dask, report) not installed
            continue
        for attribute, value in sorted(vars(module).items()):
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str) and id(value) not in seen:
                seen.add(id(value))
                yield f"{module_info.name}.{attribute}", value
    from namecleaner.resources import data_path, read_tsv_table

    for row in read_tsv_table(data_path("translit", "script_languages.tsv")).rows:
        if row.get("markers"):
            yield (
                f"script_languages.tsv markers {row['script']}:{row['language']}",
                re.compile(row["markers"]),
            )


def timed(call: Callable[[], object], budget: float) -> float:
    """Seconds per call: the best of three runs, each repeated for a hundredth of the budget."""
    best = math.inf
    for _ in range(3):
        repeats, start = 0, time.perf_counter()
        while True:
            call()
            repeats += 1
            elapsed = time.perf_counter() - start
            if elapsed > budget / 100:
                break
        best = min(best, elapsed / repeats)
        if best > budget:
            break
    return best


def growth(
    pattern: re.Pattern[str], family: tuple[str, str, str], budget: float, lengths: list[int]
) -> tuple[float, int, float]:
    """(exponent, longest length timed, seconds there) of one family, ``(method, unit, tail)``, over ``lengths``.

    The lengths are timed in turn until a call takes ``budget`` seconds; the exponent is the
    slope between the last two lengths timed (0 when the call is too fast to time).
    """
    method, unit, tail = family
    run = getattr(pattern, method)
    points: list[tuple[int, float]] = []
    for length in lengths:
        text = unit * (length // len(unit)) + tail
        points.append((len(text), timed(lambda text=text: run(text), budget)))
        if points[-1][1] > budget and len(points) > 1:
            break
    (n1, t1), (n2, t2) = points[-2], points[-1]
    if t2 < NOISE_SECONDS:
        return 0.0, n2, t2
    return math.log(t2 / t1) / math.log(n2 / n1), n2, t2


def worst(name: str, pattern: re.Pattern[str], budget: float, longest: int) -> Growth:
    """The worst family of a pattern: screened at two lengths, the steepest timed at every doubling from 32.

    The steepest family is timed three times and its smallest exponent kept: on a shared
    machine one run can stall, and a stall is not growth.
    """
    families = [(method, unit, tail) for unit in UNITS for tail in TAILS for method in ("search", "fullmatch")]
    screened = max(families, key=lambda family: growth(pattern, family, budget, [longest // 16, longest])[0])
    ladder = [32 << k for k in range(int(math.log2(max(longest, 64) // 32)) + 1)]
    exponent, length, seconds = min(growth(pattern, screened, budget, ladder) for _ in range(3))
    method, unit, tail = screened
    return Growth(name, f"{method}({unit!r} * n + {tail!r})", exponent, length, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max", type=int, default=8192, help="longest text (default: %(default)s)")
    parser.add_argument(
        "--budget",
        type=float,
        default=0.05,
        help="seconds a call may take before growth stops (default: %(default)s)",
    )
    parser.add_argument(
        "--limit",
        type=float,
        default=1.5,
        help="exponent above which a pattern is super-linear (default: %(default)s)",
    )
    parser.add_argument("--only", default="", help="time only the patterns whose name contains this text")
    parser.add_argument(
        "--show",
        type=int,
        default=10,
        help="patterns listed, steepest first (default: %(default)s)",
    )
    args = parser.parse_args()
    results = []
    for name, pattern in patterns():
        if args.only not in name:
            continue
        results.append(worst(name, pattern, args.budget, args.max))
        print(f"{results[-1].exponent:6.2f}  {name}", file=sys.stderr, flush=True)  # progress
    results.sort(key=lambda g: -g.exponent)
    print(
        f"{len(results)} patterns; lengths 32 … {args.max}, doubling; exponent of the worst family between the two longest"
    )
    print(f"{'exponent':>8}  {'length':>6}  {'s/call':>9}  pattern  family")
    for g in results[: args.show]:
        print(f"{g.exponent:8.2f}  {g.longest:6d}  {g.seconds:9.2e}  {g.name}  {g.family}")
    steep = [g for g in results if g.exponent > args.limit]
    print(f"super-linear (exponent > {args.limit}): {len(steep)}" + "".join(f"\n  {g.name}  {g.family}" for g in steep))


if __name__ == "__main__":
    main()
