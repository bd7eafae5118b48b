"""Choosing how to romanise a name: its script runs, their language, and the table for each.

A name is cut into runs of one script (neutral characters such as spaces and digits stay
with the run before them), so ``ООО «Яндекс» Russia`` is a Cyrillic run and a Latin run.
Han, hiragana and katakana form one run, read as Japanese (``Jpan``) when the name has kana
or the options say so, and as Chinese (``Hani``) otherwise; Han in a name with Hangul is
read as Korean Hanja. When nothing decides it, Han without kana is read as Japanese on
evidence (:func:`japanese_evidence`): a Japanese legal form or company word, a Japanese
surname of two characters or more opening a person's name, or a kanji Chinese does not use. Within a script, the language comes from an override, else from the
letters: a language is possible only if its alphabet holds every letter of the name, and
among those its distinctive letters decide (``Київ`` has ї, so Ukrainian). The data is in
``namecleaner/data/translit/script_languages.tsv``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from namecleaner.resources import data_path, read_tsv_table
from namecleaner.stages.legal_form import load_legal_forms
from namecleaner.translit.table import lower_aligned
from namecleaner.unicode_scripts import NEUTRAL_SCRIPTS, char_script

LANGUAGES_PATH = data_path("translit", "script_languages.tsv")
_CJK = frozenset({"Hani", "Hira", "Kana"})
_KANA = frozenset({"Hira", "Kana"})
#: Company words that mark Han as Japanese (the Japanese legal forms come from ``data/legal_forms``).
JA_HAN_WORDS_PATH = data_path("translit", "ja_han_words.tsv")
#: Kanji with a Japanese reading and no modern Chinese use, built by ``tools/build_ja_only_kanji.py``.
JA_ONLY_KANJI_PATH = data_path("translit", "ja_only_kanji.tsv")
#: The person-name lexicon of the name-type stage, whose ``source`` column says which names are Japanese.
PERSON_NAMES_PATH = data_path("name_type", "person_names.tsv.gz")
# Sources of that lexicon whose names are Japanese, and Chinese.
_JA_NAME_SOURCES = re.compile(r"^japanese-personal-name-dataset|\bja_JP$")
_ZH_NAME_SOURCES = re.compile(r"\bzh_[A-Z]{2}$")
# What separates the family name from the given names of a CJK name.
_NAME_SEPARATORS = re.compile(r"[\s・･]+")


@dataclass(frozen=True)
class _Language:
    code: str
    alphabet: frozenset[str]
    markers: re.Pattern[str] | None
    countries: frozenset[str]


@cache
def _languages() -> dict[str, tuple[_Language, ...]]:
    table = read_tsv_table(LANGUAGES_PATH, required_columns=("script", "language", "alphabet", "markers", "countries"))
    by_script: dict[str, list[_Language]] = {}
    for row in table.rows:
        markers = re.compile(row["markers"]) if row["markers"] else None
        language = _Language(row["language"], frozenset(row["alphabet"]), markers, frozenset(row["countries"].split()))
        by_script.setdefault(row["script"], []).append(language)
    return {script: tuple(rows) for script, rows in by_script.items()}


@cache
def country_languages(country: str | None) -> dict[str, str]:
    """The language each script is read in for a row of this country, when its letters leave it open.

    >>> country_languages("BG"), country_languages("JP"), country_languages(None)
    ({'Cyrl': 'bg'}, {'Jpan': 'ja'}, {})
    """
    if not country:
        return {}
    return {script: row.code for script, rows in _languages().items() for row in rows if country.upper() in row.countries}


def default_language(script: str) -> str | None:
    """The language a script is read as when nothing points elsewhere.

    >>> default_language("Cyrl"), default_language("Grek"), default_language("Zzzz")
    ('ru', 'el', None)
    """
    rows = _languages().get(script)
    return rows[0].code if rows else None


def detect_language(text: str, script: str, prefer: str | None = None) -> str | None:
    """The language of the ``script`` letters of ``text``, from its alphabet and distinctive letters.

    ``prefer`` (an office's language) wins when the letters do not tell it from the others.

    >>> detect_language("Київ", "Cyrl"), detect_language("Газпром", "Cyrl"), detect_language("Нови Сад Ђорђе", "Cyrl")
    ('uk', 'ru', 'sr')
    >>> detect_language("Беларусь Магілёў", "Cyrl"), detect_language("Търговище", "Cyrl"), detect_language("سلمان پاك", "Arab")
    ('be', 'bg', 'fa')
    >>> detect_language("Коваленко", "Cyrl", prefer="uk"), detect_language("Шевченко", "Cyrl")
    ('uk', 'ru')
    """
    rows = _languages().get(script)
    if not rows:
        return None
    lowered = lower_aligned(text)
    letters = {c for c in lowered if c.isalpha() and char_script(c) == script}
    possible = [r for r in rows if not r.alphabet or letters <= r.alphabet] or list(rows)
    scores = [len(r.markers.findall(lowered)) if r.markers else 0 for r in possible]
    best = [r.code for r, score in zip(possible, scores) if score == max(scores)]
    return prefer if prefer in best else best[0]


@dataclass(frozen=True)
class Run:
    """A stretch of a name in one script, with the language it is read in."""

    text: str
    script: str
    language: str | None


@dataclass(frozen=True)
class HanEvidence:
    """What marks a name in Han as Japanese: a ``word``, a ``surname`` or a ``character``, and the table it is in."""

    kind: str
    text: str
    table: str

    def __str__(self) -> str:
        return f"{self.kind} {self.text}"


@dataclass(frozen=True)
class _JapaneseMarks:
    words: tuple[tuple[str, str], ...]  # (word, table label), longest first
    surnames: frozenset[str]
    given: frozenset[str]
    names_label: str
    kanji: frozenset[str]
    kanji_label: str


def _is_han_word(text: str) -> bool:
    return any(char_script(c) == "Hani" for c in text) and all(char_script(c) == "Hani" or c in "()" for c in text)


@cache
def _japanese_marks() -> _JapaneseMarks:
    """The Japanese words, surnames and kanji, read once from their tables."""
    legal_forms = load_legal_forms()
    # Legal forms of Japan alone (株式会社, 国立大学法人, (株)), never those Chinese shares.
    words = {alias.text: legal_forms.label for aliases in legal_forms.by_key.values() for alias in aliases
             if alias.jurisdictions == {"JP"} and _is_han_word(alias.text)}
    company = read_tsv_table(JA_HAN_WORDS_PATH, required_columns=("word",))
    words.update((row["word"], company.label) for row in company.rows)
    names = read_tsv_table(PERSON_NAMES_PATH, required_columns=("name", "kind", "script", "source"))
    japanese: dict[str, set[str]] = {"surname": set(), "given": set()}
    chinese_surnames: set[str] = set()
    for row in names.rows:
        if row["script"] != "Hani" or row["kind"] not in japanese:
            continue
        if _JA_NAME_SOURCES.search(row["source"]):
            japanese[row["kind"]].add(row["name"])
        elif row["kind"] == "surname" and _ZH_NAME_SOURCES.search(row["source"]):
            chinese_surnames.add(row["name"])
    kanji = read_tsv_table(JA_ONLY_KANJI_PATH, required_columns=("kanji",))
    return _JapaneseMarks(
        words=tuple(sorted(words.items(), key=lambda item: (-len(item[0]), item[0]))),
        # Chinese surnames are one character but for a few compound ones (欧阳, 司马), which stay Chinese.
        surnames=frozenset(s for s in japanese["surname"] - chinese_surnames if len(s) >= 2),
        given=frozenset(japanese["given"]),
        names_label=names.label,
        kanji=frozenset(row["kanji"] for row in kanji.rows),
        kanji_label=kanji.label,
    )


def japanese_evidence(text: str) -> HanEvidence | None:
    """What marks a name written in Han, with no kana or Hangul, as Japanese; None when nothing does.

    In order: a Japanese legal form or company word anywhere (株式会社, 国立大学法人, 製作所);
    a person's name made of a Japanese surname of two characters or more and nothing else or
    a Japanese given name (Chinese surnames are one character); a kanji Chinese does not use
    (辺, 峠). Names with kana or Hangul are decided by those and get None.

    >>> [str(japanese_evidence(name)) for name in ("株式会社東芝", "山田太郎", "渡辺", "日立製作所")]
    ['word 株式会社', 'surname 山田', 'surname 渡辺', 'word 製作所']
    >>> [japanese_evidence(name) for name in ("华为技术有限公司", "王伟", "陳志明", "中山大学", "トヨタ自動車")]
    [None, None, None, None, None]
    """
    scripts = {char_script(c) for c in text if c.isalpha()}
    if "Hani" not in scripts or scripts & (_KANA | {"Hang"}):
        return None
    marks = _japanese_marks()
    folded = unicodedata.normalize("NFKC", text)
    word = next((w for w, _ in marks.words if w in folded), None)
    if word:
        return HanEvidence("word", word, dict(marks.words)[word])
    name = _NAME_SEPARATORS.sub("", folded)
    if all(char_script(c) == "Hani" for c in name):
        for size in range(len(name), 1, -1):
            if name[:size] in marks.surnames and (size == len(name) or name[size:] in marks.given):
                return HanEvidence("surname", name[:size], marks.names_label)
    kanji = next((c for c in folded if c in marks.kanji), None)
    return HanEvidence("character", kanji, marks.kanji_label) if kanji else None


def _group(script: str) -> str:
    return "Hani" if script in _CJK else script


def script_runs(
    text: str, *, language: str | None = None, han: str = "zh", prefer: Mapping[str, str] | None = None
) -> list[Run]:
    """Cut a name into script runs and give each its language.

    ``language`` forces the language of every non-Latin run; ``han`` is how Han without kana
    or Hangul is read ("zh", "ja" or "ko"); ``prefer`` maps a script to the language chosen when
    the letters leave it open.

    >>> [(r.text, r.script, r.language) for r in script_runs("ООО «Яндекс» Russia")]
    [('ООО «Яндекс» ', 'Cyrl', 'ru'), ('Russia', 'Latn', None)]
    >>> [(r.script, r.language) for r in script_runs("トヨタ自動車株式会社")], script_runs("自動車", han="ja")[0].script
    ([('Jpan', 'ja')], 'Jpan')
    >>> [(r.script, r.language) for r in script_runs("北京银行")]
    [('Hani', 'zh')]
    """
    pieces: list[list[str]] = []  # [group, text]
    present: set[str] = set()
    for char in text:
        script = char_script(char) if char.isalpha() else "Zyyy"
        if script in NEUTRAL_SCRIPTS:
            if pieces:
                pieces[-1][1] += char
            else:
                pieces.append(["", char])
            continue
        present.add(script)
        group = _group(script)
        if pieces and pieces[-1][0] in ("", group):
            pieces[-1][0] = group
            pieces[-1][1] += char
        else:
            pieces.append([group, char])
    han_language = "ja" if present & _KANA else "ko" if "Hang" in present else han
    runs = []
    for group, piece in pieces:
        if not group:
            runs.append(Run(piece, "Zyyy", None))
        elif group == "Latn":
            runs.append(Run(piece, "Latn", None))
        elif group == "Hani":
            lang = language or han_language
            runs.append(Run(piece, "Jpan" if lang == "ja" else "Hani", lang))
        else:
            runs.append(Run(piece, group, language or detect_language(text, group, (prefer or {}).get(group))))
    return runs


def table_for(run: Run, tables: Mapping[str, str]) -> str | None:
    """The table id the profile maps a run to: ``Script:language`` first, then ``Script`` for
    the script's default language.

    >>> table_for(Run("Київ", "Cyrl", "uk"), {"Cyrl:uk": "ua-ukr-Cyrl-Latn-2010", "Cyrl": "x"})
    'ua-ukr-Cyrl-Latn-2010'
    >>> table_for(Run("Өлзий", "Cyrl", "mn"), {"Cyrl": "x"}) is None
    True
    """
    key = f"{run.script}:{run.language}"
    if key in tables:
        return tables[key]
    if run.language is None or run.language == default_language(run.script):
        return tables.get(run.script)
    return None
