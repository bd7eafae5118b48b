"""Build ``namecleaner/data/translit/ko_hanja.tsv``: the Sino-Korean (Hangul) reading of each Hanja.

Korean names are sometimes written in Hanja (現代自動車, 三星電子), and Han read as Korean must
get Korean readings, never Mandarin ones. The source is Unihan's kHangul field (Unicode
licence): each value is a Hangul syllable and its sources, ``E`` marking the reading taught
with the educational Hanja; that reading is kept, else the first one. The values are the
readings before the initial-sound law (李 리), which the Korean reader applies at the start
of a word (이). Run from the repository root:

    python tools/build_ko_hanja.py ../shared/data/reference/translit/unihan/Unihan_Readings.txt.bz2
"""

from __future__ import annotations

import sys
from pathlib import Path

from unihan import unihan_entries, write_table

OUTPUT = Path("namecleaner/data/translit/ko_hanja.tsv")


def main_reading(value: str) -> str:
    """The reading of a kHangul value: the first one marked educational (E), else the first.

    >>> main_reading("거:0E 차:0N"), main_reading("나:0 라:0E"), main_reading("노:0 로:0N")
    ('거', '라', '노')
    """
    readings = [part.split(":") for part in value.split()]
    return next((hangul for hangul, sources in readings if "E" in sources), readings[0][0])


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    version, entries = unihan_entries(Path(argv[1]))
    readings = {char: main_reading(value) for char, field, value in entries if field == "kHangul"}
    header = [
        "# id: ko-hanja",
        "# title: Sino-Korean reading of each Hanja, before the initial-sound law",
        f"# version: unihan-{version}",
        "# source: Unihan database kHangul, the reading marked E (educational Hanja), else the first (Unihan_Readings.txt)",
        "# licence: Unicode-3.0 (data); built by tools/build_ko_hanja.py",
        "hanja\treading",
    ]
    write_table(OUTPUT, header, [f"{char}\t{readings[char]}" for char in sorted(readings)])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
