"""Build the two tables that tell Chinese from Japanese writing of Han, from Unihan.

- ``namecleaner/data/translit/zh_only_hanzi.tsv``: the mirror of
  ``tools/build_ja_only_kanji.py``. A character of modern Chinese (kTGHZ2013, kXHC1983,
  kHanyuPinlu, or one side of a simplified–traditional pair) with no Japanese reading
  (kJapaneseOn, kJapaneseKun), such as the simplified 银, 华, 东, 电, shows a name is written in
  Chinese, so weak signs of Japanese must not turn it into a Japanese reading.
- ``namecleaner/data/translit/han_one_form.tsv``: characters that belong to one side of the
  simplified–traditional pair only: ``traditional`` when Unihan gives a simplified variant
  other than the character itself (業, 東, 銀), ``simplified`` when it gives a traditional
  variant other than itself (学, 国). Chinese writes a name in one of the two; Japanese
  shinjitai mix them (化学工業: 学 with 業), which no Chinese text does.

The source is Unihan (Unicode licence). Run from the repository root:

    python tools/build_han_forms.py ../shared/data/reference/translit/unihan
"""

from __future__ import annotations

import sys
from pathlib import Path

from build_ja_only_kanji import CHINESE, JAPANESE, read_fields
from unihan import unihan_entries, write_table

ZH_ONLY = Path("namecleaner/data/translit/zh_only_hanzi.tsv")
ONE_FORM = Path("namecleaner/data/translit/han_one_form.tsv")
# Unihan variant field -> the form a character is when that variant is another character.
ONE_FORM_FIELDS = {"kSimplifiedVariant": "traditional", "kTraditionalVariant": "simplified"}


def one_form(unihan: Path) -> dict[str, str]:
    """Each character whose simplified or traditional variant is only other characters, with its form."""
    _, entries = unihan_entries(unihan / "Unihan_Variants.txt.bz2")
    forms: dict[str, str] = {}
    for char, field, value in entries:
        if field in ONE_FORM_FIELDS:
            variants = {chr(int(item.split("<")[0][2:], 16)) for item in value.split()}
            if char not in variants:
                forms[char] = ONE_FORM_FIELDS[field]
    return forms


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    unihan = Path(argv[1])
    version, fields = read_fields(unihan)
    hanzi = sorted(char for char, names in fields.items() if names & CHINESE and not names & JAPANESE)
    write_table(
        ZH_ONLY,
        [
            "# id: zh-only-hanzi",
            "# title: Hanzi of modern Chinese with no Japanese reading (simplified forms such as 银 华 东 电)",
            f"# version: unihan-{version}",
            "# source: Unihan database (Unihan_Readings.txt, Unihan_Variants.txt): any of "
            + ", ".join(sorted(CHINESE))
            + ", and neither "
            + " nor ".join(sorted(JAPANESE)),
            "# licence: Unicode-3.0 (data); built by tools/build_han_forms.py",
            "hanzi",
        ],
        hanzi,
    )
    forms = one_form(unihan)
    write_table(
        ONE_FORM,
        [
            "# id: han-one-form",
            "# title: Hanzi that belong to one side of the simplified-traditional pair only",
            f"# version: unihan-{version}",
            "# source: Unihan database (Unihan_Variants.txt): traditional when kSimplifiedVariant names only other characters,"
            " simplified when kTraditionalVariant does",
            "# licence: Unicode-3.0 (data); built by tools/build_han_forms.py",
            "hanzi\tform",
        ],
        [f"{char}\t{forms[char]}" for char in sorted(forms)],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
