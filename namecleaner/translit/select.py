"""Choosing how to romanise a name: its script runs, their language, and the table for each.

A name is cut into runs of one script (neutral characters such as spaces and digits stay
with the run before them), so ``ООО «Яндекс» Russia`` is a Cyrillic run and a Latin run.
Han, hiragana and katakana form one run, read as Japanese (``Jpan``) when the name has kana
or the options say so, and as Chinese (``Hani``) otherwise; Han in a name with Hangul is
read as Korean Hanja. Within a script, the language comes from an override, else from the
letters: a language is possible only if its alphabet holds every letter of the name, and
among those its distinctive letters decide (``Київ`` has ї, so Ukrainian). The data is in
``namecleaner/data/translit/script_languages.tsv``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from namecleaner.resources import data_path, read_tsv_table
from namecleaner.translit.table import lower_aligned
from namecleaner.unicode_scripts import NEUTRAL_SCRIPTS, char_script

LANGUAGES_PATH = data_path("translit", "script_languages.tsv")
_CJK = frozenset({"Hani", "Hira", "Kana"})
_KANA = frozenset({"Hira", "Kana"})


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
