"""Thai RTGS: PyThaiNLP's rule-based "royin" engine against its thai2rom model, the one the reader uses.

Two reference sets, both with the official RTGS spelling:
- the Royal Institute's example words carried by the table ``royin-tha-Thai-Latn-1999``;
- the province names of PyThaiNLP's province list (``pythainlp.corpus.common.provinces``, CC0) with
  their official English (RTGS) names; Bangkok, whose official English name is not RTGS,
  is left out.

Each engine romanises the whole Thai string (no word splitting, so both get the same
input); a result counts when it equals the reference with case, spaces and hyphens folded.
Needs no shared data.

    python benchmarks/bench_translit_thai.py [--show N]
"""

from __future__ import annotations

import argparse
import time

from pythainlp.corpus.common import provinces
from pythainlp.transliterate import romanize

from namecleaner.translit.registry import TableRegistry

ENGINES = ("royin", "thai2rom_onnx")


def _fold(text: str) -> str:
    return text.lower().replace(" ", "").replace("-", "")


def reference_sets() -> dict[str, list[tuple[str, str]]]:
    """``{set name: [(thai, official romanisation), ...]}``."""
    table = TableRegistry().get("royin-tha-Thai-Latn-1999")
    examples = [(e.source, e.expected) for e in table.examples if not e.known_failure]
    names = [(p["name_th"], p["name_en"]) for p in provinces(details=True) if p["name_en"] != "Bangkok"]
    return {"Royal Institute examples": examples, "province names": sorted(names)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="print up to N misses per engine and set")
    args = parser.parse_args()
    for set_name, pairs in reference_sets().items():
        for engine in ENGINES:
            start = time.perf_counter()
            misses = [
                (thai, expected, got)
                for thai, expected in pairs
                if _fold(got := romanize(thai, engine=engine)) != _fold(expected)
            ]
            seconds = time.perf_counter() - start
            print(f"{set_name}: {engine}: {len(pairs) - len(misses)}/{len(pairs)} exact ({seconds:.2f} s)")
            for thai, expected, got in misses[: args.show]:
                print(f"  {thai}\t{expected}\t{got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
