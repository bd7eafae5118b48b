"""Japanese and Korean romanisation measured on the EDINET and OpenDART dev sets.

EDINET: each filer's Japanese name (``name_ja``) is romanised by the public pipeline with
the JP office profile (``namecleaner.clean(..., office="JP")``: passport Hepburn, the
Japanese reader) and compared with the romanisation of its official katakana reading
(``name_kana``) by the same pipeline. Only names without Latin letters or digits count (for those the kana
reading spells the letters out). The headline figure folds exactly what the issue names:
case, spaces, long vowels (oo, ou, uu) and the rendaku of the legal form (gaisha = kaisha).
Spaces are folded the way the table joins words: passport Hepburn writes ん as m before b,
m, p inside a word, so a word ending in n before a word starting with b, m or p ends in m
once the space goes (NIHON PAKARAIJINGU = NIHOMPAKARAIJINGU, the spelling the table gives
the reference, whose kana is one unsplit word). Two more figures are printed for
comparison: spaces simply deleted, and the issue's folds plus punctuation (brackets, &,
hyphens, which the kana reading drops or spells out) and m = n before b, m, p anywhere.
Speed: names per second through the pipeline, and of the Japanese reader alone over the
distinct ``name_ja`` (dictionary already loaded).

Han without kana, read with no office and no country (``han = "auto"``: Japanese only on
evidence in the name, see ``namecleaner.translit.select.japanese_evidence``), both ways:
- Japanese names read as Japanese: EDINET ``name_ja`` in Han alone, as filed and with their
  Japanese legal forms removed (日本銀行, 京都市; the legal form decides most filings).
- Chinese names wrongly read as Japanese: the Chinese applicants of the Lens drones list,
  Chinese person names (each surname of the name-type lexicon's Faker zh_CN and zh_TW lists
  with a given name of the same list), and the words of pypinyin's phrase dictionary (MIT),
  as written (simplified) and in traditional characters (ICU Simplified-Traditional). The
  dictionary words are judged by ``japanese_evidence`` itself, which is what the stage runs.

Loanwords: on the EDINET names with katakana and an English name, the source words the match
key takes from UniDic (step ``loanword``, :func:`namecleaner.translit.readers.japanese_loanword`)
and, for comparison, every Latin source word UniDic's lemmas give for the katakana words with
no guard. A source word is false when the English name (letters only, case-folded, spaces
removed) does not contain it; the false rate is false words over words given.

OpenDART: the share of Korean names (``corp_name_ko``) whose Revised Romanization (pipeline,
office KR) shares a word with the English name (``corp_name_en``), both case-folded and
split on non-letters. Speed: names per second through the pipeline, and of the Korean reader
(word segmentation) alone over the distinct ``corp_name_ko`` (dictionary already loaded).

    python benchmarks/bench_translit_cjk.py [--show N] [--sets edinet,han,loanwords,opendart]
"""

from __future__ import annotations

import argparse
import json
import re
import time

import icu
from shared_data import read_rows

import namecleaner
from namecleaner.resources import read_tsv_table
from namecleaner.stages.legal_form import load_legal_forms
from namecleaner.text.scripts import char_script
from namecleaner.translit.readers import (
    _LOANWORD_LEMMA,
    _tagger,
    read_japanese,
    read_korean,
)
from namecleaner.translit.select import PERSON_NAMES_PATH, japanese_evidence

EDINET = "eval/multiscript/edinet-japan/edinet_filers_corporate.dev.tsv"
OPENDART = "eval/multiscript/opendart-korea/opendart_listed_corps.dev.tsv"
LENS = "raw/lens-drones-applicants/applicants_cleaned_counts.tsv"
STAGES = ("unicode", "transliterate")

_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9\uff21-\uff3a\uff41-\uff5a\uff10-\uff19]")
_NOT_WORD = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")
_N_AT_LABIAL_JUNCTION = re.compile(r"n\s+(?=[bmp])")
_LONG_VOWELS = (("oo", "o"), ("ou", "o"), ("uu", "u"))
_M_BEFORE_LABIAL = re.compile(r"m(?=[bmp])")


def fold(romanised: str, *, junctions: bool = True, extra: bool = False) -> str:
    """The form two romanisations are compared in (see the module docstring).

    ``junctions``: n + space + b/m/p becomes m, as the table spells the joined word;
    ``extra``: punctuation also goes, and m = n before b, m, p anywhere.
    """
    text = romanised.casefold()
    if junctions:
        text = _N_AT_LABIAL_JUNCTION.sub("m", text)
    text = (_NOT_WORD if extra else _SPACES).sub("", text).replace("gaisha", "kaisha")
    if extra:
        text = _M_BEFORE_LABIAL.sub("n", text)
    for long, short in _LONG_VOWELS:
        text = text.replace(long, short)
    return text


def romanise(names: list[str], office: str) -> list[str]:
    """``name_latin`` of each name through the public pipeline."""
    return list(namecleaner.clean(names, office, stages=STAGES)["name_latin"])


def edinet(show: int) -> None:
    rows = [row for row in read_rows(EDINET, "\t") if not _LATIN_OR_DIGIT.search(row["name_ja"])]
    start = time.perf_counter()
    ours = romanise([row["name_ja"] for row in rows], "JP")
    seconds = time.perf_counter() - start
    reference = romanise([row["name_kana"] for row in rows], "JP")
    pairs = list(zip(rows, ours, reference))
    for label, folds in (
        ("issue folds, spaces simply deleted", {"junctions": False}),
        ("issue folds plus punctuation and m = n before b, m, p", {"extra": True}),
        (
            "HEADLINE, issue folds (case, spaces as the table joins words, long vowels, gaisha)",
            {},
        ),
    ):
        misses = [(row, mine, kana) for row, mine, kana in pairs if fold(mine, **folds) != fold(kana, **folds)]
        exact = len(rows) - len(misses)
        print(f"EDINET dev, {label}: {exact}/{len(rows)} exact = {exact / len(rows):.2%}")
    print(f"EDINET dev: Japanese names romanised through the pipeline at {len(rows) / seconds:.0f} names/s")
    distinct = list(dict.fromkeys(row["name_ja"] for row in read_rows(EDINET, "\t")))
    start = time.perf_counter()
    for name in distinct:
        read_japanese(name)
    print(f"EDINET dev: the Japanese reader alone reads {len(distinct) / (time.perf_counter() - start):.0f} names/s")
    for row, mine, kana in misses[:show]:
        print(f"  {row['name_ja']} | {mine} | {kana}")


def _han_only(name: str) -> bool:
    """Han with no kana or Hangul: the names whose reading the evidence decides."""
    scripts = {char_script(char) for char in name}
    return "Hani" in scripts and not scripts & {"Hira", "Kana", "Hang"}


def _read_as_japanese(label: str, names: list[str], show: int, want: bool) -> None:
    """Share of ``names`` the pipeline (no office, no country) reads as Japanese; show the other side."""
    languages = list(namecleaner.clean(names, stages=STAGES)["language"])
    japanese = [name for name, language in zip(names, languages) if language == "ja"]
    print(f"{label}: {len(japanese)}/{len(names)} read as Japanese = {len(japanese) / len(names):.2%}")
    wrong = [name for name, language in zip(names, languages) if (language == "ja") != want]
    for name in wrong[:show]:
        print(f"  {name}")


def _chinese_person_names() -> list[str]:
    """Surname + given name from the lexicon's Chinese lists, each surname once, given names in turn."""
    table = read_tsv_table(PERSON_NAMES_PATH, required_columns=("name", "kind", "script", "source"))
    lists: dict[tuple[str, str], list[str]] = {}
    for row in table.rows:
        if row["script"] == "Hani" and row["source"].endswith(("zh_CN", "zh_TW")):
            lists.setdefault((row["source"], row["kind"]), []).append(row["name"])
    names = []
    for source in sorted({source for source, _ in lists}):
        given = lists.get((source, "given"), [])
        names += [surname + given[i % len(given)] for i, surname in enumerate(lists.get((source, "surname"), []))]
    return names


def han(show: int) -> None:
    edinet_names = [row["name_ja"] for row in read_rows(EDINET, "\t") if _han_only(row["name_ja"])]
    _read_as_japanese("EDINET name_ja in Han alone", edinet_names, show, True)
    legal_forms = load_legal_forms()
    japanese_forms = sorted(
        {a.text for aliases in legal_forms.by_key.values() for a in aliases if a.jurisdictions == {"JP"}},
        key=len,
        reverse=True,
    )
    cores = []
    for name in edinet_names:
        for form in japanese_forms:
            name = name.replace(form, " ")
        if _han_only(name):
            cores.append(" ".join(name.split()))
    _read_as_japanese("EDINET name_ja in Han alone, Japanese legal form removed", cores, show, True)
    lens = list(dict.fromkeys(row["applicant"] for row in read_rows(LENS, "\t") if _han_only(row["applicant"])))
    _read_as_japanese("Lens drones applicants in Han alone (Chinese)", lens, show, False)
    _read_as_japanese(
        "Chinese person names (Faker zh_CN, zh_TW)",
        _chinese_person_names(),
        show,
        False,
    )
    from pypinyin.phrases_dict import phrases_dict

    simplified = sorted(word for word in phrases_dict if len(word) >= 2 and _han_only(word))
    to_traditional = icu.Transliterator.createInstance("Simplified-Traditional")
    for label, words in (
        ("simplified", simplified),
        ("traditional", sorted({to_traditional.transliterate(w) for w in simplified})),
    ):
        japanese = [word for word in words if japanese_evidence(word)]
        print(
            f"pypinyin Chinese words, {label}: {len(japanese)}/{len(words)} read as Japanese = {len(japanese) / len(words):.2%}"
        )
        for word in japanese[:show]:
            print(f"  {word}: {japanese_evidence(word)}")


_KATAKANA_RUN = re.compile(r"[\u30a1-\u30fa\u30fc]+")
_NOT_LETTER = re.compile(r"[^a-z]+")


def _false_rate(label: str, words: list[tuple[str, str, str]], show: int) -> None:
    """Print the share of (name, English name, source word) whose word the English name lacks."""
    false = [
        (name, english, word) for name, english, word in words if word not in _NOT_LETTER.sub("", english.casefold())
    ]
    rate = len(false) / len(words) if words else 0.0
    print(f"{label}: {len(words)} source words, {len(false)} not in the English name = false rate {rate:.1%}")
    for name, english, word in false[:show]:
        print(f"  {name} | {word} | {english}")


def loanwords(show: int) -> None:
    rows = [row for row in read_rows(EDINET, "\t") if row["name_en"] and _KATAKANA_RUN.search(row["name_ja"])]
    frame = namecleaner.clean([row["name_ja"] for row in rows], "JP")
    guarded: list[tuple[str, str, str]] = []
    named = 0
    for row, steps in zip(rows, frame["steps"]):
        found = [step["result"] for step in json.loads(steps) if step["step"] == "loanword"]
        named += bool(found)
        guarded += [(row["name_ja"], row["name_en"], word) for result in found for word in result.split()]
    runs = [(row, run) for row in rows for run in _KATAKANA_RUN.findall(row["name_ja"])]
    raw = []
    for row, run in runs:
        for token in _tagger()(run):
            lemma = None if token.is_unk else token.feature.lemma
            match = _LOANWORD_LEMMA.fullmatch(lemma) if lemma else None
            if match:
                raw += [(row["name_ja"], row["name_en"], word) for word in match.group(1).casefold().split()]
    print(
        f"EDINET dev: {len(rows)} names with katakana and an English name ({len(runs)} katakana runs); "
        f"{named} names keyed with a loanword source"
    )
    _false_rate("EDINET dev, every UniDic source word (no guard)", raw, 0)
    _false_rate(
        "EDINET dev, HEADLINE, loanword sources in the match key (guarded)",
        guarded,
        show,
    )


def opendart(show: int) -> None:
    rows = [row for row in read_rows(OPENDART, "\t") if row["corp_name_ko"] and row["corp_name_en"]]
    shared = 0
    misses = []
    start = time.perf_counter()
    romanised = romanise([row["corp_name_ko"] for row in rows], "KR")
    seconds = time.perf_counter() - start
    for row, latin in zip(rows, romanised):
        ours = set(_NOT_WORD.split(latin.casefold())) - {""}
        english = set(_NOT_WORD.split(row["corp_name_en"].casefold())) - {""}
        if ours & english:
            shared += 1
        else:
            misses.append((row, latin))
    print(
        f"OpenDART dev: {shared}/{len(rows)} Korean names share a word with the English name = {shared / len(rows):.2%}"
    )
    print(f"OpenDART dev: Korean names romanised through the pipeline at {len(rows) / seconds:.0f} names/s")
    distinct = list(dict.fromkeys(row["corp_name_ko"] for row in rows))
    read_korean(distinct[0])  # the dictionary loads once, outside the timing
    start = time.perf_counter()
    for name in distinct:
        read_korean(name)
    print(f"OpenDART dev: the Korean reader alone reads {len(distinct) / (time.perf_counter() - start):.0f} names/s")
    for row, mine in misses[:show]:
        print(f"  {row['corp_name_ko']} | {mine} | {row['corp_name_en']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="print this many misses of each set")
    parser.add_argument(
        "--sets",
        default="edinet,han,loanwords,opendart",
        help="comma-separated: edinet, han, loanwords, opendart",
    )
    args = parser.parse_args()
    runs = {"edinet": edinet, "han": han, "loanwords": loanwords, "opendart": opendart}
    for name in args.sets.split(","):
        runs[name](args.show)


if __name__ == "__main__":
    main()
