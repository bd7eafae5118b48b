"""Choosing how to romanise a name: its script runs, their language, and the table for each.

A name is cut into runs of one script (neutral characters such as spaces and digits stay
with the run before them), so ``ООО «Яндекс» Russia`` is a Cyrillic run and a Latin run.
Han, hiragana and katakana form one run, read as Japanese (``Jpan``) when the name has kana
or the options say so, and as Chinese (``Hani``) otherwise; Han in a name with Hangul is
read as Korean Hanja. When nothing decides it, Han without kana is read as Japanese on
evidence (:func:`japanese_evidence`): a Japanese legal form, a Japanese surname of two
characters or more opening a person's name, a kanji Chinese does not use, or, in a name with
no character or legal form of Chinese alone, a Japanese company word or a Japanese place
name opening the name. Within a script, the language comes from an override, else from the
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

from namecleaner.resources import data_path, read_tsv_table, shared
from namecleaner.text.scripts import NEUTRAL_SCRIPTS, char_script
from namecleaner.translit.table import lower_aligned

LANGUAGES_PATH = data_path("translit", "script_languages.tsv")
_CJK = frozenset({"Hani", "Hira", "Kana"})
_KANA = frozenset({"Hira", "Kana"})
#: Company words that mark Han as Japanese (the Japanese legal forms come from ``data/legal_forms``).
JA_HAN_WORDS_PATH = data_path("translit", "ja_han_words.tsv")
#: Kanji with a Japanese reading and no modern Chinese use, built by ``tools/build_ja_only_kanji.py``.
JA_ONLY_KANJI_PATH = data_path("translit", "ja_only_kanji.tsv")
#: Japan, its prefectures and designated cities, which open many Japanese names (日本銀行, 京都市).
JA_PLACE_NAMES_PATH = data_path("translit", "ja_place_names.tsv")
#: Hanzi of modern Chinese with no Japanese reading (银, 华), built by ``tools/build_han_forms.py``.
ZH_ONLY_HANZI_PATH = data_path("translit", "zh_only_hanzi.tsv")
#: Hanzi of one side of the simplified-traditional pair only (学, 業), built by ``tools/build_han_forms.py``.
HAN_ONE_FORM_PATH = data_path("translit", "han_one_form.tsv")
# Where a legal form only Chinese uses is registered (有限公司, 股份有限公司).
_CHINESE_JURISDICTIONS = frozenset({"CN", "TW", "HK", "MO"})
#: The person-name lexicon of the name-type stage, whose ``source`` column says which names are Japanese.
PERSON_NAMES_PATH = data_path("name_type", "person_names.tsv.gz")
LEGAL_FORM_ALIASES_PATH = data_path("legal_forms", "aliases.tsv")
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


@shared
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
    return {
        script: row.code for script, rows in _languages().items() for row in rows if country.upper() in row.countries
    }


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
    """What marks a name in Han as Japanese or Chinese (a ``word``, ``surname``, ``character``, ``forms`` or ``place``), and its table."""

    kind: str
    text: str
    table: str

    def __str__(self) -> str:
        return f"{self.kind} {self.text}"


@dataclass(frozen=True)
class _HanForm:
    text: str
    jurisdictions: frozenset[str]


@dataclass(frozen=True)
class _JapaneseMarks:
    legal_forms: tuple[str, ...]  # longest first
    legal_forms_label: str
    surnames: frozenset[str]
    given: frozenset[str]
    names_label: str
    kanji: frozenset[str]
    kanji_label: str
    words: tuple[str, ...]  # longest first
    words_label: str
    places: tuple[str, ...]  # longest first
    places_label: str
    chinese_forms: tuple[str, ...]
    chinese_hanzi: frozenset[str]
    chinese_label: str
    chinese_surnames: frozenset[str]
    simplified: frozenset[str]
    traditional: frozenset[str]
    forms_label: str


def _longest_first(words) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=lambda word: (-len(word), word)))


def _is_han_word(text: str) -> bool:
    return any(char_script(c) == "Hani" for c in text) and all(char_script(c) == "Hani" or c in "()" for c in text)


@shared
def _japanese_marks() -> _JapaneseMarks:
    """The Japanese words, surnames, kanji and places, and the marks of Chinese, read once from their tables."""
    # The legal-form table is read as data: the library never imports the legal-form stage.
    legal_forms = read_tsv_table(LEGAL_FORM_ALIASES_PATH, required_columns=("alias", "jurisdictions"))
    aliases = [
        _HanForm(r["alias"], frozenset(r["jurisdictions"].split()))
        for r in legal_forms.rows
        if _is_han_word(r["alias"])
    ]
    company = read_tsv_table(JA_HAN_WORDS_PATH, required_columns=("word",))
    places = read_tsv_table(JA_PLACE_NAMES_PATH, required_columns=("name",))
    chinese = read_tsv_table(ZH_ONLY_HANZI_PATH, required_columns=("hanzi",))
    one_form = read_tsv_table(HAN_ONE_FORM_PATH, required_columns=("hanzi", "form"))
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
        # Legal forms of Japan alone (株式会社, 国立大学法人, (株)), never those Chinese shares.
        legal_forms=_longest_first(a.text for a in aliases if a.jurisdictions == {"JP"}),
        legal_forms_label=legal_forms.label,
        # Chinese surnames are one character but for a few compound ones (欧阳, 司马), which stay Chinese.
        surnames=frozenset(s for s in japanese["surname"] - chinese_surnames if len(s) >= 2),
        given=frozenset(japanese["given"]),
        names_label=names.label,
        kanji=frozenset(row["kanji"] for row in kanji.rows),
        kanji_label=kanji.label,
        words=_longest_first(row["word"] for row in company.rows),
        words_label=company.label,
        places=_longest_first(row["name"] for row in places.rows),
        places_label=places.label,
        chinese_forms=_longest_first(
            a.text for a in aliases if a.jurisdictions and a.jurisdictions <= _CHINESE_JURISDICTIONS
        ),
        chinese_hanzi=frozenset(row["hanzi"] for row in chinese.rows),
        chinese_label=chinese.label,
        chinese_surnames=frozenset(chinese_surnames),
        simplified=frozenset(row["hanzi"] for row in one_form.rows if row["form"] == "simplified"),
        traditional=frozenset(row["hanzi"] for row in one_form.rows if row["form"] == "traditional"),
        forms_label=one_form.label,
    )


def japanese_evidence(text: str) -> HanEvidence | None:
    """What marks a name written in Han, with no kana or Hangul, as Japanese; None when nothing does.

    In order: a Japanese legal form anywhere (株式会社, 国立大学法人); a person's name made of
    a Japanese surname of two characters or more and nothing else or a Japanese given name
    (Chinese surnames are one character); a kanji Chinese does not use (辺, 峠). Then weaker
    signs, which count only in a name with no hanzi or legal form of Chinese alone (银, 有限公司):
    a Japanese company word anywhere (製作所, 商事, 協会); a form of simplified Chinese next
    to a form of traditional Chinese alone, as Japanese writes them and Chinese never does
    (化学工業: 学 with 業); Japan, a prefecture, a designated city or a region opening the name
    (日本銀行, 京都市; not 北京都市, where 京都 is inside).
    Names with kana or Hangul are decided by those and get None.

    >>> [str(japanese_evidence(name)) for name in ("株式会社東芝", "山田太郎", "渡辺", "日立製作所", "化学工業", "京都市")]
    ['word 株式会社', 'surname 山田', 'surname 渡辺', 'word 製作所', 'forms 学+業', 'place 京都']
    >>> [japanese_evidence(name) for name in ("华为技术有限公司", "王伟", "陳志明", "中山大学", "北京都市报", "トヨタ自動車")]
    [None, None, None, None, None, None]
    """
    if text.isascii():  # most names: no Han to read, and no need to look at each character
        return None
    scripts = {char_script(c) for c in text if c.isalpha()}
    if "Hani" not in scripts or scripts & (_KANA | {"Hang"}):
        return None
    marks = _japanese_marks()
    folded = unicodedata.normalize("NFKC", text)
    legal_form = next((form for form in marks.legal_forms if form in folded), None)
    if legal_form:
        return HanEvidence("word", legal_form, marks.legal_forms_label)
    name = _NAME_SEPARATORS.sub("", folded)
    if all(char_script(c) == "Hani" for c in name):
        for size in range(len(name), 1, -1):
            if name[:size] in marks.surnames and (size == len(name) or name[size:] in marks.given):
                return HanEvidence("surname", name[:size], marks.names_label)
    kanji = next((c for c in folded if c in marks.kanji), None)
    if kanji:
        return HanEvidence("character", kanji, marks.kanji_label)
    if any(c in marks.chinese_hanzi for c in folded) or any(form in folded for form in marks.chinese_forms):
        return None
    word = next((w for w in marks.words if w in folded), None)
    if word:
        return HanEvidence("word", word, marks.words_label)
    simplified = next((c for c in folded if c in marks.simplified), None)
    traditional = next((c for c in folded if c in marks.traditional), None)
    if simplified and traditional:
        return HanEvidence("forms", f"{simplified}+{traditional}", marks.forms_label)
    place = next((p for p in marks.places if folded.lstrip().startswith(p)), None)
    return HanEvidence("place", place, marks.places_label) if place else None


def chinese_name_cut(word: str) -> int | None:
    """Where a Chinese person's name written as one word splits into family and given name; None when it is not one.

    The word is two or three hanzi opening with a Chinese family name of one character, or
    three or four with one of two (欧阳); a family name of the person-name lexicon's Chinese
    lists. Pinyin orthography writes the two apart (张伟 Zhang Wei).

    >>> chinese_name_cut("张伟"), chinese_name_cut("欧阳娜娜"), chinese_name_cut("清华大学"), chinese_name_cut("北京")
    (1, 2, None, None)
    """
    if not 2 <= len(word) <= 4 or not all(char_script(c) == "Hani" for c in word):
        return None
    surnames = _japanese_marks().chinese_surnames
    # A given name has one or two characters.
    return next((size for size in (2, 1) if word[:size] in surnames and 1 <= len(word) - size <= 2), None)


def chinese_evidence(text: str) -> HanEvidence | None:
    """What marks a name written in Han as Chinese whatever an office assumes; None when nothing does.

    A hanzi of modern Chinese that Japanese never writes (华, 伟, 银): a Japanese reader cannot
    read it, so the name is not Japanese text. An office's reading of Han (JP: Japanese) is a
    prior for the names that carry no such mark, not a veto over those that do. A legal form of
    Chinese companies is no such mark: Japanese filings write 有限公司 for them as it is.

    >>> [str(chinese_evidence(name)) for name in ("华为技术有限公司", "清华大学", "王伟")]
    ['character 华', 'character 华', 'character 伟']
    >>> [chinese_evidence(name) for name in ("日立製作所", "山田花子", "思源国際発展有限公司", "サンヨー")]
    [None, None, None, None]
    """
    marks = _japanese_marks()
    hanzi = next((c for c in unicodedata.normalize("NFKC", text) if c in marks.chinese_hanzi), None)
    return HanEvidence("character", hanzi, marks.chinese_label) if hanzi else None


def _group(script: str) -> str:
    return "Hani" if script in _CJK else script


def language_applies(language: str | None, script: str) -> bool:
    """Whether a forced language is one of those a script is read in (Han counts as Japanese,
    Chinese or Korean Hanja), so that ``--language uk`` reads Cyrillic as Ukrainian and leaves
    Japanese, Chinese, Korean and Arabic to their own languages.

    >>> language_applies("uk", "Cyrl"), language_applies("uk", "Hani"), language_applies("ko", "Hani")
    (True, False, True)
    """
    scripts = ("Hani", "Jpan", "Hang") if _group(script) == "Hani" else (script,)
    return language is not None and any(row.code == language for s in scripts for row in _languages().get(s, ()))


def known_languages() -> list[str]:
    """The languages some script is read in (``--language`` must be one of them).

    >>> {"ru", "uk", "ja", "ko", "zh"} <= set(known_languages())
    True
    """
    return sorted({row.code for rows in _languages().values() for row in rows})


def script_runs(
    text: str, *, language: str | None = None, han: str = "zh", prefer: Mapping[str, str] | None = None
) -> list[Run]:
    """Cut a name into script runs and give each its language.

    ``language`` forces the language of the runs of the scripts it is written in; ``han`` is how Han without kana
    or Hangul is read ("zh", "ja" or "ko"); ``prefer`` maps a script to the language chosen when
    the letters leave it open.

    >>> [(r.text, r.script, r.language) for r in script_runs("ООО «Яндекс» Russia")]
    [('ООО «Яндекс» ', 'Cyrl', 'ru'), ('Russia', 'Latn', None)]
    >>> [(r.script, r.language) for r in script_runs("トヨタ自動車株式会社")], script_runs("自動車", han="ja")[0].script
    ([('Jpan', 'ja')], 'Jpan')
    >>> [(r.script, r.language) for r in script_runs("北京银行")]
    [('Hani', 'zh')]
    >>> [(r.script, r.language) for r in script_runs("Київ トヨタ", language="uk")]
    [('Cyrl', 'uk'), ('Jpan', 'ja')]
    """
    if text.isascii():  # most names: one run, Latin if it has a letter (the loop below gives the same)
        return [Run(text, "Latn" if any(c.isalpha() for c in text) else "Zyyy", None)] if text else []
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
            lang = language if language_applies(language, group) else han_language
            runs.append(Run(piece, "Jpan" if lang == "ja" else "Hani", lang))
        elif language_applies(language, group):
            runs.append(Run(piece, group, language))
        else:
            runs.append(Run(piece, group, detect_language(text, group, (prefer or {}).get(group))))
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
