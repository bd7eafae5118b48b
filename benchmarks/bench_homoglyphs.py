"""Homoglyph repair of the Unicode stage: the damage it does to words mixed on purpose, and what it repairs.

1. Damage: the words of ``tests/fixtures/mixed_script_words.tsv`` (gene, protein and chemical
   names mixing Latin and Greek letters on purpose: IL2RγcKO, NF-κB, α-amylase), alone and
   inside a Latin name ("… Therapeutics Inc."): the share that ``repair_homoglyphs`` changes.
2. Repair: real Latin names of ../shared/data with one letter swapped for its Cyrillic or Greek
   lookalike (seeded), and real Cyrillic names of the Interscript map tests with one letter
   swapped for its Latin lookalike: the share brought back exactly, and the share left as typed.

Run from the repository root:  python benchmarks/bench_homoglyphs.py [--names 5000]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from shared_data import read_rows, real_names

from namecleaner.resources import read_tsv_table
from namecleaner.stages.unicode import load_homoglyphs, repair_homoglyphs
from namecleaner.text.scripts import char_script, dominant_script

MIXED_WORDS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "mixed_script_words.tsv"


def damage() -> None:
    words = [row["word"] for row in read_tsv_table(MIXED_WORDS, required_columns=("word",)).rows]
    for label, texts in (
        ("alone", words),
        ("in a name", [f"{word} Therapeutics Inc." for word in words]),
    ):
        changed = [text for text in texts if repair_homoglyphs(text) != text]
        print(f"damage, mixed words {label}: {len(changed)}/{len(texts)} changed = {len(changed) / len(texts):.1%}")
        for text in changed[:5]:
            print(f"    {text} -> {repair_homoglyphs(text)}")


def _swap_one(name: str, mapping: dict[str, str], script: str, rng: random.Random) -> str | None:
    """The name with one letter of ``script`` that has a lookalike swapped for it, None when none has."""
    places = [i for i, char in enumerate(name) if char in mapping and char_script(char) == script]
    if not places:
        return None
    at = rng.choice(places)
    return name[:at] + mapping[name[at]] + name[at + 1 :]


def repair(limit: int) -> None:
    homoglyphs = load_homoglyphs()
    rng = random.Random(0)
    latin = [n for n in real_names() if dominant_script(n) == "Latn" and n.isascii()][:limit]
    cyrillic = sorted(
        {
            row["source"]
            for row in read_rows("eval/transliteration/interscript_map_tests.tsv", "\t")
            if row["source"] and dominant_script(row["source"]) == "Cyrl"
        }
    )[:limit]
    sets = [
        (
            "Latin names, one Cyrillic lookalike",
            latin,
            homoglyphs.from_latin["Cyrl"],
            "Latn",
        ),
        (
            "Latin names, one Greek lookalike",
            latin,
            homoglyphs.from_latin["Grek"],
            "Latn",
        ),
        (
            "Cyrillic names, one Latin lookalike",
            cyrillic,
            {v: k for k, v in homoglyphs.from_latin["Cyrl"].items()},
            "Cyrl",
        ),
    ]
    for label, names, mapping, script in sets:
        pairs = [(name, swapped) for name in names if (swapped := _swap_one(name, mapping, script, rng))]
        fixed = sum(repair_homoglyphs(swapped) == name for name, swapped in pairs)
        kept = sum(repair_homoglyphs(swapped) == swapped for _, swapped in pairs)
        print(
            f"repair, {label}: {fixed}/{len(pairs)} restored = {fixed / len(pairs):.1%}, "
            f"{kept / len(pairs):.1%} left as typed"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--names", type=int, default=5000, help="names of each set to swap a letter in")
    args = parser.parse_args()
    damage()
    repair(args.names)


if __name__ == "__main__":
    main()
