"""Build ``namecleaner/data/name_type/person_names.tsv.gz``, the person-name lexicon of the name-type stage.

Sources (all open, each row names its source):

* US Census Bureau 1990 name files ``dist.male.first``, ``dist.female.first`` and
  ``dist.all.last`` (public domain, US Government work), as shipped in the PyPI sdist
  ``names==0.3.0`` (``pip download names==0.3.0 --no-deps``, unpack, pass ``--census-dir
  names-0.3.0/names``). Family names with a frequency below 0.001 % are left out.
* The Japanese personal name dataset of shuheilocale (MIT), in
  ``../shared/data/eval/transliteration/japanese-personal-names``: family names and given
  names in kanji, hiragana and romaji; the wāpuro romaji (``satou``) are also written in the
  Hepburn forms names take in filings (``sato``, ``tohru``).
* The person-name lists of Faker (MIT, in the ``tools`` extra; the version is recorded in
  each row's source), for about 80 locales: the common given and family names of each
  country, in its scripts.
* pinyin-data (MIT), ``../shared/data/reference/translit/pinyin-data/pinyin.txt``: the
  toneless Hanyu Pinyin syllables, from which Chinese given names are written; the Chinese
  family names of ``curated_names.tsv`` are romanised with pypinyin.

Words of ``institution_keywords.tsv`` are left out, so a keyword never counts as a name.
Output is sorted and gzip-written with a fixed timestamp, so a rebuild gives the same bytes.

    python tools/build_person_names.py --census-dir /tmp/names-0.3.0/names
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib
import io
import pkgutil
import unicodedata
from pathlib import Path

from pypinyin import Style, lazy_pinyin

from namecleaner.text.scripts import dominant_script

REPO = Path(__file__).resolve().parents[1]
OUT_DIR = REPO / "namecleaner" / "data" / "name_type"
SHARED = REPO.parent / "shared" / "data"
MIN_SURNAME_PERCENT = 0.001

HEADER = """\
# id: namecleaner-person-names
# title: Person-name lexicon: given names, family names and name syllables per script
# version: 2026.11.1
# source: US Census 1990 name files (public domain, via PyPI names 0.3.0); Faker person-name lists, github.com/joke2k/faker (MIT); Japanese personal name dataset, github.com/shuheilocale/japanese-personal-name-dataset @ 9046343d (MIT); pinyin-data, github.com/mozillazg/pinyin-data @ 82759f96 (MIT); built by tools/build_person_names.py
# licence: public domain and MIT sources; this compilation GPL-3.0-or-later (namecleaner)
# columns: name (case-folded); kind = given, surname or syllable; script (ISO 15924); source
"""


def hepburn(wapuro: str) -> set[str]:
    """The filing forms of a wāpuro romaji name: long o written once or as "oh" (tooru → toru, tohru)."""
    short, oh = wapuro, wapuro
    for long, single, with_h in (("ou", "o", "oh"), ("oo", "o", "oh"), ("uu", "u", "u")):
        short, oh = short.replace(long, single), oh.replace(long, with_h)
    return {short, oh}


def keywords() -> set[str]:
    with (OUT_DIR / "institution_keywords.tsv").open(encoding="utf-8") as handle:
        rows = csv.reader((line for line in handle if not line.startswith("#")), delimiter="\t")
        next(rows)
        return {row[0].casefold() for row in rows}


def census(census_dir: Path) -> set[tuple[str, str, str, str]]:
    rows = set()
    for file, kind in (("dist.male.first", "given"), ("dist.female.first", "given"), ("dist.all.last", "surname")):
        for line in (census_dir / file).read_text(encoding="ascii").splitlines():
            name, percent = line.split()[:2]
            if kind == "given" or float(percent) >= MIN_SURNAME_PERCENT:
                rows.add((name.casefold(), kind, "Latn", "us-census-1990"))
    return rows


def japanese(folder: Path) -> set[tuple[str, str, str, str]]:
    rows = set()
    source = "japanese-personal-name-dataset"
    with (folder / "last_name_org.csv").open(encoding="utf-8") as handle:
        for kanji, _count, kana, romaji in csv.reader(handle):
            rows |= {
                (kanji, "surname", "Hani", source),
                (kana, "surname", "Hira", source),
                (romaji, "surname", "Latn", source),
            }
            rows |= {(form, "surname", "Latn", source) for form in hepburn(romaji)}
    for file in ("first_name_man_org.csv", "first_name_woman_org.csv"):
        with (folder / file).open(encoding="utf-8") as handle:
            for kana, romaji, *kanji in csv.reader(handle):
                rows |= {(kana, "given", "Hira", source), (romaji, "given", "Latn", source)}
                rows |= {(form, "given", "Latn", source) for form in hepburn(romaji)}
                rows |= {(k, "given", "Hani", source) for k in kanji if k}
    return rows


def faker_names() -> set[tuple[str, str, str, str]]:
    import faker
    import faker.providers.person as person_providers

    rows = set()
    kinds = {
        "first_names": "given",
        "first_names_male": "given",
        "first_names_female": "given",
        "last_names": "surname",
        "last_names_male": "surname",
        "last_names_female": "surname",
    }
    for module in pkgutil.iter_modules(person_providers.__path__):
        provider = importlib.import_module(f"faker.providers.person.{module.name}").Provider
        source = f"faker {faker.VERSION} {module.name}"
        for attribute, kind in kinds.items():
            names = vars(provider).get(attribute)
            if isinstance(names, (tuple, list, dict)):
                for name in names:
                    for word in name.casefold().split():
                        rows.add((word, kind, dominant_script(word) or "Zyyy", source))
    return rows


def pinyin_syllables(path: Path) -> set[tuple[str, str, str, str]]:
    syllables = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("U+"):
            readings = line.split(":", 1)[1].split("#", 1)[0]
            for reading in readings.split(","):
                plain = "".join(
                    c for c in unicodedata.normalize("NFD", reading.strip()) if not unicodedata.combining(c)
                )
                if plain.isalpha() and plain.isascii():
                    syllables.add(plain)  # NFD has turned ü into u, as filings write it
    return {(s, "syllable", "Latn", "pinyin-data") for s in syllables}


def chinese_surnames_in_pinyin() -> set[tuple[str, str, str, str]]:
    rows = set()
    with (OUT_DIR / "curated_names.tsv").open(encoding="utf-8") as handle:
        lines = csv.reader((line for line in handle if not line.startswith("#")), delimiter="\t")
        next(lines)
        for name, kind, script, language in lines:
            if kind == "surname" and script == "Hani" and language == "zh":
                rows.add(
                    (
                        "".join(lazy_pinyin(name, style=Style.NORMAL, v_to_u=True)),
                        "surname",
                        "Latn",
                        "pypinyin of curated_names",
                    )
                )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--census-dir", type=Path, required=True, help="folder with the US Census 1990 dist.* files")
    parser.add_argument("--shared", type=Path, default=SHARED)
    args = parser.parse_args()
    rows = census(args.census_dir)
    rows |= japanese(args.shared / "eval" / "transliteration" / "japanese-personal-names")
    rows |= faker_names()
    rows |= pinyin_syllables(args.shared / "reference" / "translit" / "pinyin-data" / "pinyin.txt")
    rows |= chinese_surnames_in_pinyin()
    excluded = keywords()
    rows = {row for row in rows if row[0] and row[0] not in excluded}
    text = io.StringIO()
    text.write(HEADER)
    text.write("name\tkind\tscript\tsource\n")
    for row in sorted(rows):
        text.write("\t".join(row) + "\n")
    out = OUT_DIR / "person_names.tsv.gz"
    with out.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as handle:
        handle.write(text.getvalue().encode("utf-8"))
    print(f"wrote {out} ({len(rows)} rows)")


if __name__ == "__main__":
    main()
