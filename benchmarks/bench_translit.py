"""Transliteration: language detection inside Cyrillic and Arabic script, and engine speed.

1. Language detection: the source words of the Interscript map tests (../shared/data/eval/
   transliteration/interscript_map_tests.tsv) are labelled by their map's language; the share
   that ``detect_language`` gives that language, per language, with no office preference.
2. Speed: names per second through the compiled Russian BGN/PCGN and Ukrainian tables, and
   through the unicode and transliterate stages (selection included), on the distinct
   Cyrillic test sources of the same file (the shared name lists hold few Cyrillic names),
   each run --repeat times.

Run from the repository root:  python benchmarks/bench_translit.py
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from shared_data import read_rows

from namecleaner.pipeline import build_pipeline
from namecleaner.text.scripts import dominant_script
from namecleaner.translit.engine import transliterator
from namecleaner.translit.registry import TableRegistry
from namecleaner.translit.select import detect_language

#: ISO 639-2 code in an Interscript map id -> the code namecleaner uses.
LANGUAGES = {
    "rus": "ru",
    "ukr": "uk",
    "bel": "be",
    "bul": "bg",
    "srp": "sr",
    "mkd": "mk",
    "kaz": "kk",
    "ara": "ar",
    "fas": "fa",
    "per": "fa",
}


def _tests() -> list[dict[str, str]]:
    return [row for row in read_rows("eval/transliteration/interscript_map_tests.tsv", "\t") if row["source"]]


def detection() -> None:
    seen: set[tuple[str, str]] = set()
    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for row in _tests():
        parts = row["map_id"].split("-")
        if len(parts) < 4 or parts[1] not in LANGUAGES or parts[2] not in ("Cyrl", "Arab"):
            continue
        key = (row["source"], parts[1])
        if key in seen or dominant_script(row["source"]) != parts[2]:
            continue
        seen.add(key)
        language = LANGUAGES[parts[1]]
        total[language] += 1
        right[language] += detect_language(row["source"], parts[2]) == language
    print("language detection (distinct test sources, no office preference):")
    for language in sorted(total):
        print(f"  {language}: {right[language]}/{total[language]} = {right[language] / total[language]:.1%}")
    print(f"  all: {sum(right.values())}/{sum(total.values())} = {sum(right.values()) / sum(total.values()):.1%}")


def speed(repeat: int) -> None:
    distinct = sorted(
        {row["source"] for row in _tests() if dominant_script(row["source"]) == "Cyrl" and len(row["source"]) < 80}
    )
    names = distinct * repeat
    registry = TableRegistry()
    print(
        f"speed over {len(distinct)} distinct Cyrillic names x {repeat} (mean {sum(map(len, distinct)) / len(distinct):.1f} characters):"
    )
    for table_id in ("bgnpcgn-rus-Cyrl-Latn-1947", "ua-ukr-Cyrl-Latn-2010"):
        run = transliterator(registry.get(table_id))
        start = time.perf_counter()
        for name in names:
            run(name)
        seconds = time.perf_counter() - start
        print(f"  {table_id}: {len(names) / seconds:,.0f} names/s")
    pipeline = build_pipeline(stages=("transliterate",))
    start = time.perf_counter()
    for name in names:
        pipeline.run(name)
    seconds = time.perf_counter() - start
    print(f"  unicode + transliterate stages: {len(names) / seconds:,.0f} names/s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    detection()
    speed(args.repeat)
