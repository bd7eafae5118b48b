"""Transliteration: language detection inside Cyrillic and Arabic script, and engine speed.

1. Language detection: the source words of the Interscript map tests (../shared/data/eval/
   transliteration/interscript_map_tests.tsv) are labelled by their map's language; the share
   that ``detect_language`` gives that language, per language, with no office preference.
2. Speed: names per second through the compiled Russian BGN/PCGN and Ukrainian tables, and
   through the whole transliterate stage (selection included), on the Cyrillic names of the
   shared name lists, each distinct name once.

Run from the repository root:  python benchmarks/bench_translit.py
"""

from __future__ import annotations

import time
from collections import Counter

from shared_data import read_rows, real_names

from namecleaner.pipeline import build_pipeline
from namecleaner.translit.engine import transliterator
from namecleaner.translit.registry import TableRegistry
from namecleaner.translit.select import detect_language
from namecleaner.unicode_scripts import dominant_script

#: ISO 639-2 code in an Interscript map id -> the code namecleaner uses.
LANGUAGES = {"rus": "ru", "ukr": "uk", "bel": "be", "bul": "bg", "srp": "sr", "mkd": "mk", "kaz": "kk", "ara": "ar", "fas": "fa", "per": "fa"}


def detection() -> None:
    seen: set[tuple[str, str]] = set()
    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for row in read_rows("eval/transliteration/interscript_map_tests.tsv", "\t"):
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


def speed() -> None:
    names = [n for n in real_names() if dominant_script(n) == "Cyrl"]
    registry = TableRegistry()
    print(f"speed over {len(names)} distinct Cyrillic names:")
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
    detection()
    speed()
