"""Build ``namecleaner/data/translit/ja_only_kanji.tsv``: kanji used in Japanese but not in Chinese.

Han written without kana is read as Chinese unless something marks it as Japanese; a
Japanese-only character (a kokuji such as 峠, a shinjitai form such as 辺, 団, 県, 気) is such a
mark. The source is Unihan (Unicode licence): a character counts when it has a Japanese
reading (kJapaneseOn or kJapaneseKun) and no sign of modern Chinese use: it is not in the
modern standard dictionaries (kTGHZ2013, kXHC1983), not in the frequency list of modern
Chinese (kHanyuPinlu), and not one side of a simplified–traditional pair (kSimplifiedVariant,
kTraditionalVariant). The test is strict on purpose: a character Chinese might write is left
out, so that a Chinese name is never read as Japanese because of one character. Run from the
repository root:

    python tools/build_ja_only_kanji.py ../shared/data/reference/translit/unihan
"""

from __future__ import annotations

import sys
from pathlib import Path

from unihan import unihan_entries, write_table

OUTPUT = Path("namecleaner/data/translit/ja_only_kanji.tsv")
JAPANESE = frozenset({"kJapaneseOn", "kJapaneseKun"})
CHINESE = frozenset({"kTGHZ2013", "kXHC1983", "kHanyuPinlu", "kSimplifiedVariant", "kTraditionalVariant"})
FILES = ("Unihan_Readings.txt.bz2", "Unihan_Variants.txt.bz2")


def read_fields(unihan: Path) -> tuple[str, dict[str, set[str]]]:
    """The Unihan version and, for each character, the names of the fields it has."""
    version = ""
    fields: dict[str, set[str]] = {}
    for name in FILES:
        version, entries = unihan_entries(unihan / name)
        for char, field, _ in entries:
            fields.setdefault(char, set()).add(field)
    return version, fields


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    version, fields = read_fields(Path(argv[1]))
    kanji = sorted(char for char, names in fields.items() if names & JAPANESE and not names & CHINESE)
    header = [
        "# id: ja-only-kanji",
        "# title: Kanji with a Japanese reading and no modern Chinese use (kokuji, Japanese shinjitai)",
        f"# version: unihan-{version}",
        "# source: Unihan database (Unihan_Readings.txt, Unihan_Variants.txt): kJapaneseOn or kJapaneseKun, and none of "
        + ", ".join(sorted(CHINESE)),
        "# licence: Unicode-3.0 (data); built by tools/build_ja_only_kanji.py",
        "kanji",
    ]
    write_table(OUTPUT, header, kanji)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
