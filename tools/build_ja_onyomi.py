"""Build ``namecleaner/data/translit/ja_onyomi.tsv``: the main Sino-Japanese reading of each kanji.

Company names are mostly coined from Sino-Japanese readings (信和 Shinwa, 伯東 Hakuto), where a
general dictionary often picks a given-name or native reading. The Japanese reader falls
back to these readings for such words. The source is Unihan's kJapaneseOn field (Unicode
licence), whose first value is the main reading; ICU's Latin-Katakana transform writes it
in katakana. Run from the repository root:

    python tools/build_ja_onyomi.py ../shared/data/reference/translit/unihan/Unihan_Readings.txt.bz2
"""

from __future__ import annotations

import sys
from pathlib import Path

import icu
from unihan import unihan_entries, write_table

OUTPUT = Path("namecleaner/data/translit/ja_onyomi.tsv")


def read_onyomi(readings: Path) -> tuple[str, dict[str, str]]:
    """The Unihan version line and {kanji: first kJapaneseOn reading in lower-case romaji}."""
    version, entries = unihan_entries(readings)
    onyomi = {char: value.split()[0].lower() for char, field, value in entries if field == "kJapaneseOn"}
    return version, onyomi


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    version, onyomi = read_onyomi(Path(argv[1]))
    to_katakana = icu.Transliterator.createInstance("Latin-Katakana")
    header = [
        "# id: ja-onyomi",
        "# title: Main Sino-Japanese (on) reading of each kanji",
        f"# version: unihan-{version}",
        "# source: Unihan database kJapaneseOn, first value (Unihan_Readings.txt); katakana by ICU Latin-Katakana",
        "# licence: Unicode-3.0 (data); built by tools/build_ja_onyomi.py",
        "kanji\treading",
    ]
    rows = []
    for kanji in sorted(onyomi):
        reading = to_katakana.transliterate(onyomi[kanji])
        if all("\u30a0" <= char <= "\u30ff" for char in reading):
            rows.append(f"{kanji}\t{reading}")
    write_table(OUTPUT, header, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
