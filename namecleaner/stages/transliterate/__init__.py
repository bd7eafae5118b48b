"""Stage 2, transliteration: the Latin display form ``name_latin``, keeping the original script.

``name_clean`` is never changed. Each script run of the name (see
:mod:`namecleaner.translit.select`) is romanised by the first of: the table the office
profile maps its script and language to (``tables``), an ICU transform (``icu_fallback``),
unidecode. Each step records which one fired and with which table; ``translit_table`` lists
the tables used. A row's country settles what the letters leave open (a BG row reads
Cyrillic as Bulgarian, a JP row reads Han without kana as Japanese, a KR row as Korean
Hanja), before the profile's ``prefer`` and ``han``. With ``han = "auto"`` and no ``language``,
Han without kana is read as Japanese when the name carries Japanese evidence (a legal form
such as 株式会社, a Japanese surname, a kanji Chinese does not use, a Japanese company word,
shinjitai mixing simplified and traditional forms, a Japanese place opening the name; see
:func:`~namecleaner.translit.select.japanese_evidence`), recorded as a step, and as Chinese
otherwise. Latin names pass through with no step. Han read as Japanese or Korean is
never given Mandarin readings by a fallback: what its reader leaves unread gets each
character's reading in that language (on reading, Sino-Korean reading) before ICU. An
office's reading of Han (JP, KR) is a prior that a Chinese-only hanzi overrides, and
``translit_reliability`` says how far the romanisation can be trusted. Enclosed
and squared CJK forms (㈱, ㈜, ㍿) are read through their NFKC expansion ((株), (주), 株式会社);
the display form ``name_clean`` keeps them. A romanised Japanese or Chinese run is a word
apart from the letters and digits it touches (株式会社ABC → KABUSHIKI KAISHA ABC).

Options (:class:`~namecleaner.config.TransliterateOptions`, ``[stages.transliterate]`` of a profile):
``tables`` (``{"Cyrl:uk": "ua-ukr-Cyrl-Latn-2010", "Grek": ...}``), ``table`` (one table id
for every non-Latin run), ``language`` (force a language), ``han`` ("auto", "zh", "ja" or "ko"; the default "auto" decides from the name),
``prefer`` (``{"Cyrl": "uk"}``: the language of a script when its letters leave it open),
``tables_dirs`` (user folders of tables), ``icu_fallback`` (an ICU transform id, "" to skip),
``unidecode`` (false to skip the last resort).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import icu
from unidecode import unidecode

from namecleaner.config import TransliterateOptions
from namecleaner.record import NameRecord
from namecleaner.text.fold import icu_transliterate
from namecleaner.text.scripts import NEUTRAL_SCRIPTS, char_script
from namecleaner.translit.engine import transliterator
from namecleaner.translit.readers import read_han_characters
from namecleaner.translit.registry import TableRegistry
from namecleaner.translit.select import (
    Run,
    chinese_evidence,
    country_languages,
    japanese_evidence,
    known_languages,
    language_applies,
    script_runs,
    table_for,
)

if TYPE_CHECKING:  # the context is handed to build(); a stage never imports it at run time
    from namecleaner.context import Context

NAME = "transliterate"
FIELDS = ("script", "language", "name_latin", "translit_table", "translit_reliability")
REQUIRES: tuple[str, ...] = ("unicode",)

DEFAULT_ICU_FALLBACK = "Any-Latin"
# Japanese and Korean Han must not get the Mandarin readings of ICU's Han-Latin.
_NO_HAN = "[:^Han:] "
_LATIN_OR_NEUTRAL = NEUTRAL_SCRIPTS | {"Latn"}
#: The reliability of a romanisation, from the most trusted to the least (see :func:`reliability`).
RELIABILITY = ("alphabet", "reading", "abjad", "fallback", "unromanised")
# Scripts written without their vowels, unless vowel marks are added.
_ABJADS = frozenset({"Arab", "Hebr", "Syrc"})
# The tables behind the character readings of Han that a Japanese or Korean reader left.
HAN_CHARACTER_TABLES = {"ja": "ja-onyomi (Unihan kJapaneseOn)", "ko": "ko-hanja (Unihan kHangul)"}
# Enclosed CJK Letters and Months, and CJK Compatibility (squared words such as ㍿).
_ENCLOSED_CJK = re.compile("[\u3200-\u33ff]")
# Japanese and Chinese are written without spaces and romanised in words, so a romanised run
# of theirs is a word apart from the letters or digits it touches (株式会社ABC, ＮＴＴドコモ).
_WRITTEN_UNSPACED = frozenset({"ja", "zh"})


def expand_enclosed(text: str) -> str:
    """Enclosed and squared CJK forms replaced by their NFKC expansion, so they are romanised, not kept.

    >>> expand_enclosed("㈱日立製作所"), expand_enclosed("삼성전자㈜"), expand_enclosed("㍿東芝")
    ('(株)日立製作所', '삼성전자(주)', '株式会社東芝')
    """
    return _ENCLOSED_CJK.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def _has_han(text: str) -> bool:
    return any(char_script(c) == "Hani" for c in text)


def reliability(run: Run, used: list[str], latin: str) -> str:
    """How far the romanisation of a run can be trusted, one of :data:`RELIABILITY`.

    ``alphabet``: letters romanised by a table, letter for letter; ``reading``: Han or Thai
    read by a dictionary or a model (a reading may differ from the bearer's own); ``abjad``:
    Arabic, Hebrew or Syriac written without vowel marks, whose vowels the table cannot know;
    ``fallback``: no table, or a table's leftovers, romanised by ICU, unidecode or character
    readings; ``unromanised``: letters left in their script.

    >>> reliability(Run("Київ", "Cyrl", "uk"), ["ua-ukr-Cyrl-Latn-2010"], "Kyiv")
    'alphabet'
    >>> reliability(Run("السعودية", "Arab", "ar"), ["bgnpcgn-ara-Arab-Latn-1956"], "As S‘wdyah")
    'abjad'
    >>> reliability(Run("現代", "Hani", "ko"), [], "現代")
    'unromanised'
    """
    if _non_latin(latin):
        return "unromanised"
    table_only = len(used) == 1 and not used[0].startswith(("han:", "icu:", "unidecode"))
    if table_only:
        if run.script in _ABJADS and not any(unicodedata.category(c) == "Mn" for c in run.text):
            return "abjad"
        read = run.script in ("Hani", "Thai") or (run.script == "Jpan" and _has_han(run.text))
        return "reading" if read else "alphabet"
    return "fallback"


def _non_latin(text: str) -> bool:
    """True while letters of a script other than Latin are left."""
    return not text.isascii() and any(c.isalpha() and char_script(c) not in _LATIN_OR_NEUTRAL for c in text)


@lru_cache(maxsize=32)
def _icu(transform_id: str) -> icu.Transliterator:
    return icu.Transliterator.createInstance(transform_id)


@dataclass
class Transliterate:
    """The built stage."""

    registry: TableRegistry
    tables: Mapping[str, str]
    forced_table: str | None = None
    language: str | None = None
    han: str = "auto"
    prefer: Mapping[str, str] = field(default_factory=dict)
    icu_fallback: str = DEFAULT_ICU_FALLBACK
    use_unidecode: bool = True
    name: str = NAME
    fields: tuple[str, ...] = FIELDS

    def _romanise(self, run: Run, record: NameRecord) -> tuple[str, list[str]]:
        text, used = run.text, []
        table_id = self.forced_table or table_for(run, self.tables)
        key = f"{run.script}:{run.language}" if run.language else run.script
        if table_id:
            table = self.registry.get(table_id)
            # Only the match key romanises a name already typed (see its stage).
            text = transliterator(table)(text, person_name=record.name_type != "organisation")
            used.append(table_id)
            record.add_step(NAME, "table", key, table.label, text)
        keep_han = run.language in ("ja", "ko")
        if run.language in HAN_CHARACTER_TABLES and _has_han(text):
            # Han the reader could not read gets its reading in the run's language, never Mandarin.
            language = str(run.language)
            text = read_han_characters(text, language)
            used.append(f"han:{language}")
            record.add_step(NAME, "han_characters", key, HAN_CHARACTER_TABLES[language], text)
        if self.icu_fallback and _non_latin(text):
            transform_id = (_NO_HAN if keep_han else "") + self.icu_fallback
            text = icu_transliterate(_icu(transform_id), text)
            used.append(f"icu:{self.icu_fallback}")
            record.add_step(NAME, "icu_transform", key, transform_id, text)
        if self.use_unidecode and _non_latin(text) and not (keep_han and _has_han(text)):
            text = unidecode(text)
            used.append("unidecode")
            record.add_step(NAME, "unidecode", key, "unidecode", text)
        return text, used

    def __call__(self, record: NameRecord) -> None:
        text = expand_enclosed(record.name_clean if record.name_clean is not None else record.original)
        hints = country_languages(record.country)
        han = "ja" if "Jpan" in hints else "ko" if "Hang" in hints else "zh" if "Hani" in hints else self.han
        forced_han = language_applies(self.language, "Hani")
        if han == "auto":
            evidence = None if forced_han else japanese_evidence(text)
            han = "ja" if evidence else "zh"
            if evidence:
                record.add_step(NAME, "han_language", f"Han read as Japanese: {evidence}", evidence.table, "ja")
        elif han in ("ja", "ko") and not hints and not forced_han:
            # The office's reading is a prior: a mark of Chinese in the name overrides it.
            evidence = chinese_evidence(text)
            if evidence:
                han = "zh"
                record.add_step(NAME, "han_language", f"Han read as Chinese: {evidence}", evidence.table, "zh")
        runs = script_runs(text, language=self.language, han=han, prefer={**self.prefer, **hints})
        scripts = list(dict.fromkeys(r.script for r in runs if r.script != "Zyyy"))
        record.script = "+".join(scripts) or None
        record.language = "+".join(dict.fromkeys(r.language for r in runs if r.language)) or None
        if scripts in ([], ["Latn"]):
            record.name_latin = text
            return
        out: list[str] = []
        used: list[str] = []
        levels: list[int] = []
        unspaced = False  # whether the run before was Japanese, Chinese or Hanja
        for run in runs:
            if run.script in ("Latn", "Zyyy"):
                piece = run.text
            else:
                piece, tables = self._romanise(run, record)
                used += tables
                levels.append(RELIABILITY.index(reliability(run, tables, piece)))
            # Hanja are read in words, like Chinese: 삼성電子 is Samseong Jeonja.
            apart = run.language in _WRITTEN_UNSPACED or (run.script, run.language) == ("Hani", "ko")
            if (unspaced or apart) and out and out[-1][-1:].isalnum() and piece[:1].isalnum():
                out.append(" ")
            out.append(piece)
            unspaced = apart
        record.name_latin = "".join(out)
        record.translit_table = "+".join(dict.fromkeys(used)) or None
        record.translit_reliability = RELIABILITY[max(levels)] if levels else None


def build(context: Context, options: TransliterateOptions) -> Transliterate:
    """Build the stage; raise ValueError on table ids the registry does not have, or a
    language no script is read in (a typo such as ``--language zz`` would silently do nothing)."""
    if options.language is not None and options.language not in known_languages():
        raise ValueError(
            f"no script is read in language '{options.language}'; languages: {', '.join(known_languages())}"
        )
    registry = context.registry
    tables = dict(options.tables)
    missing = sorted({t for t in [*tables.values(), options.table] if t and t not in registry})
    if missing:
        raise ValueError(f"no transliteration table {', '.join(missing)}; available: {', '.join(registry.ids())}")
    return Transliterate(
        registry,
        tables,
        forced_table=options.table,
        language=options.language,
        han=options.han,
        prefer=dict(options.prefer),
        icu_fallback=options.icu_fallback,
        use_unidecode=options.unidecode,
    )
