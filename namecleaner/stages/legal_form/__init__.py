"""Stage 3, legal forms: find the legal-entity designation, standardise it and split it off.

The designation is found at the end of the name (``Toyota Motor Co., Ltd.``, ``トヨタ自動車株式会社``),
at its start (``株式会社極洋``, ``ООО «Ромашка»``, ``(주)삼성``, ``㈱日立``) or in the middle when a branch
marker follows it (``X GmbH & Co. KG Niederlassung Y``). Names are compared through a *matching
key*: the same ICU NFKC case fold as the Unicode stage's ``name_match`` (so full-width letters and
``㈱`` → ``(株)`` are covered), Latin, Greek and Cyrillic accents dropped, punctuation turned into
token breaks and dotted initials joined (``S.A.`` = ``S. A.`` = ``SA``). Every alias of the
legal-form table is put in one Aho–Corasick automaton over these keys, so a name costs one pass
whatever the size of the table; the longest permitted match wins.

Where a form may stand is a rule, not an accident: a form may always end the name; it may open
it when the table says so (``any``), when it is written in a script other than Latin, or when it
is a Latin phrase of two or more words; it may stand in the middle only before a branch marker.
A form is never taken from inside a brand listed in ``rules.toml`` (``AS Roma``, ``KG Mobility``)
or a fragment of a compound form (``de C.V.``), a few abbreviations count only with their dots
(``C.A.``, not the ``CA`` of "University of CA"), and a form is never taken when nothing would be
left of the name.

An alias that several forms share (``SA``, ``AS``, ``Co., Ltd.``) is resolved with the row's
``country`` or else the office profile's countries; without either, the generic form wins (see
:func:`_resolve`). ``legal_form_span`` reads ``<position> [<start>:<end>] <text>``, offsets into
``name_clean`` (prefixed ``latin`` when the form was found only in ``name_latin``).

``name_core_latin`` is ``name_latin`` without the form found in it; when the form was found only
in a script written without spaces, glued to the name (カブシキガイシャデンソー), its romanisation is
glued too (KABUSHIKIGAISHADENSO) and the stage removes it by the form's romanised aliases
(:meth:`LegalForms.glued_core`).
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING

import ahocorasick

from namecleaner.config import LegalFormOptions
from namecleaner.errors import DataFileError
from namecleaner.record import NameRecord
from namecleaner.resources import data_path, read_tsv_table, shared
from namecleaner.text.fold import legal_char, legal_key
from namecleaner.text.scripts import char_script

if TYPE_CHECKING:  # the context is handed to build(); a stage never imports it at run time
    from namecleaner.context import Context

if TYPE_CHECKING:
    from namecleaner.stages.legal_form.fuzzy import MisspeltForms

NAME = "legal_form"
FIELDS = (
    "legal_form",
    "legal_form_code",
    "legal_form_class",
    "elf_code",
    "legal_form_span",
    "name_core",
    "name_core_latin",
    "name_place",
)
# Detection reads the romanisation too (a Greek "Α.Ε." is found as "A.E.").
REQUIRES: tuple[str, ...] = ("unicode", "transliterate")

#: Scripts written without spaces between words: a form may be glued to the name.
UNSPACED_SCRIPTS = frozenset({"Hani", "Hira", "Kana", "Hang", "Thai", "Laoo", "Khmr", "Mymr", "Tibt"})
# Dotted initials (s.a., k. k., a/s) are one token; else a run of letters and digits, or & ( ).
_TOKEN = re.compile(r"(?<![^\W_])[^\W\d_](?:\s?[./]\s?[^\W\d_](?![^\W_]))+|[^\W_]+|[&()]")
_WORDS = re.compile(r"[^\W_]+|[&()]")
_INITIALS_SEPARATORS = re.compile(r"[\s./]")
#: The sources of the table in their order of precedence (named in provenance steps).
SOURCE_ORDER = ("additions", "elf", "rigour", "fingerprints", "cleanco", "magerman", "translit")
_EDGE = " ,;:-/&·・"
# A "Co." glued to the letters before it and to the form after it (LegalForms._glued_co).
_GLUED_CO = re.compile(r"(?<=[^\W\d_])co\.,?$", re.IGNORECASE)
# The last comma or spaced dash of a name: a place may follow it ("Siemens AG, München", "X GmbH - Berlin").
# Each match starts where a run of spaces starts (or at its comma): tried at every space of a
# long run, the pattern would take time quadratic in the run's length.
_PLACE_SEPARATOR = re.compile(r"(?:(?<!\s)|(?=,))\s*,\s*|(?<!\s)\s+[-–—]\s+")
_PLACE_WORD = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?")
#: Classes of company forms: only such a form is cut as stacked ("Oy X Ab"), never a Foundation or Association inside a name.
_COMPANY_CLASSES = frozenset({"JSC", "LLC"})


def _is_unspaced(char: str) -> bool:
    return char_script(char) in UNSPACED_SCRIPTS


def _token_text(token: str) -> str:
    """A token of the key; dotted initials lose their dots and spaces (``s. a`` → ``sa``)."""
    return token if len(token) == 1 or token.isalnum() else _INITIALS_SEPARATORS.sub("", token)


def key_text(text: str) -> str:
    """The matching key of a text: its tokens in matching form, joined by single spaces.

    Tokens are runs of letters and digits, ``&``, ``(`` and ``)``; dotted initials make one token.

    >>> key_text("ＴＯＹＯＴＡ Co.,Ltd."), key_text("Société Générale S. A."), key_text("Sp. z o.o.")
    ('toyota co ltd', 'societe generale sa', 'sp z oo')
    >>> key_text("㈱日立"), key_text("GmbH+Co.KG"), key_text("A B Smith")
    ('( 株 ) 日立', 'gmbh & co kg', 'a b smith')
    """
    return _key_of(legal_key(text))


def _key_of(folded: str) -> str:
    if "." not in folded and "/" not in folded:
        return " ".join(_WORDS.findall(folded))  # no dotted initials possible: the cheaper pattern
    tokens = _TOKEN.findall(folded)
    key = " ".join(tokens)
    # Only a token of dotted initials can hold a dot or a slash.
    return " ".join([_token_text(t) for t in tokens]) if "." in key or "/" in key else key


def source_span(text: str, start: int, stop: int) -> tuple[int, int]:
    """Offsets in ``text`` of the slice ``[start:stop)`` of its matching key.

    >>> source_span("Acme S. A.", 5, 7), source_span("㈱日立", 0, 5), source_span("トヨタ株式会社", 3, 7)
    ((5, 9), (0, 1), (3, 7))
    """
    folded = legal_key(text)
    return _span(text, folded, _key_of(folded), start, stop)


def _span(text: str, folded: str, key: str, start: int, stop: int) -> tuple[int, int]:
    if "." not in folded and "/" not in folded:
        # Every token is as long in the key as in the folded text: count spaces to find them.
        spans = [m.span() for m in _WORDS.finditer(folded)]
        token_end = key.find(" ", stop - 1)
        first = spans[key.count(" ", 0, start)][0] + start - (key.rfind(" ", 0, start) + 1)
        last = spans[key.count(" ", 0, stop - 1)][1] - ((len(key) if token_end < 0 else token_end) - stop)
    else:
        first, last = _span_with_initials(folded, start, stop)
    if text.isascii():
        return first, last
    offsets = [i for i, c in enumerate(text) for _ in legal_char(c)]
    return offsets[first], offsets[last - 1] + 1


def _span_with_initials(folded: str, start: int, stop: int) -> tuple[int, int]:
    """Folded offsets of a key slice when tokens of dotted initials are shorter in the key."""
    position = 0
    first = last = 0
    for match in _TOKEN.finditer(folded):
        token = match.group()
        cleaned = _token_text(token)
        exact = len(cleaned) == len(token)
        end = position + len(cleaned)
        if end > start >= position:
            first = match.start() + (start - position if exact else 0)
        if end >= stop:
            last = match.end() - (end - stop if exact else 0)
            break
        position = end + 1
    return first, last


@dataclass(frozen=True, slots=True)
class Form:
    """A legal form: its standard abbreviation, generic class and ISO 20275 ELF code."""

    form_id: str
    abbreviation: str
    form_class: str
    elf_code: str
    jurisdictions: frozenset[str]


@dataclass(frozen=True, slots=True)
class Alias:
    """One spelling of a form, where it applies and where it came from."""

    text: str
    form: Form
    jurisdictions: frozenset[str]
    anywhere: bool
    sources: str
    #: The spelling shown for it, in its script (``legal_form``), and the stable ASCII code (``legal_form_code``).
    display: str = ""
    code: str = ""


@dataclass(frozen=True, slots=True)
class Resolution:
    """What an alias means for a given set of countries."""

    form: Form
    elf_code: str
    key: str
    sources: str
    anywhere: bool
    display: str = ""
    code: str = ""


@dataclass(frozen=True, slots=True)
class Detection:
    """A form found in a text: where (offsets into the text), what, and by which rule."""

    position: str
    start: int
    end: int
    resolution: Resolution
    core: str
    unquoted: bool
    #: A place that followed the form after a comma or a dash, kept out of the core.
    place: str | None = None
    #: The text of a second form stacked inside the first ("Oy Hello World Ab"), also cut from the core.
    stacked: str | None = None

    def span(self, text: str) -> str:
        """``position [start:end] original text`` (offsets into the display form)."""
        return f"{self.position} [{self.start}:{self.end}] {text[self.start : self.end]}"


class LegalForms:
    """The legal-form table compiled into one automaton over matching keys."""

    def __init__(
        self,
        aliases: Iterable[Alias],
        guards: Iterable[str],
        quotes: Iterable[str],
        markers: Iterable[str],
        not_a_name: Iterable[str],
        connectors: Iterable[str],
        dotted_only: Iterable[str],
        label: str,
    ) -> None:
        self.label = label
        self._dotted_only = frozenset(key_text(alias) for alias in dotted_only)
        self.connectors = frozenset(word.casefold() for word in connectors)
        self.not_a_name = frozenset(key_text(word) for word in not_a_name)
        self.by_key: dict[str, list[Alias]] = {}
        for alias in aliases:
            key = key_text(alias.text)
            if key:
                self.by_key.setdefault(key, []).append(alias)
        self.quotes = {pair[0]: pair[1] for pair in quotes}
        self._common = frozenset(
            key
            for key, rows in self.by_key.items()
            if any(not a.jurisdictions or "additions" in a.sources.split() for a in rows)
        )
        self.automaton = ahocorasick.Automaton()
        guard_keys = {key_text(guard) for guard in guards}
        marker_keys = {key_text(marker) for marker in markers}
        for key in self.by_key.keys() | guard_keys | marker_keys:
            pattern = _pattern(key)
            self.automaton.add_word(
                pattern, (pattern, key if key in self.by_key else None, key in guard_keys, key in marker_keys)
            )
        self.automaton.make_automaton()
        # A name can hold a form only if its first or last token (character, in unspaced
        # scripts) can begin or end an alias, or if it holds a branch marker: most names are
        # ruled out with two set lookups before the automaton runs.
        keys = list(self.by_key)
        self._first = {k.split(" ", 1)[0] for k in keys}
        self._last = {k.rsplit(" ", 1)[-1] for k in keys}
        self._first_chars = {k[0] for k in keys if _is_unspaced(k[0])}
        self._last_chars = {k[-1] for k in keys if _is_unspaced(k[-1])}
        self._markers = re.compile("|".join(re.escape(m) for m in sorted(marker_keys, key=len, reverse=True)))
        self._resolved: dict[tuple[str, tuple[str, ...]], Resolution] = {}
        # The romanisations of each form's non-Latin aliases (the build's ``translit`` source),
        # spaces removed, longest first: see :meth:`glued_core`.
        romanised: dict[str, set[str]] = {}
        for key, rows in self.by_key.items():
            for alias in rows:
                if "translit" in alias.sources.split() and key.isascii():
                    romanised.setdefault(alias.form.form_id, set()).add(key.replace(" ", ""))
        self._romanised = {form: sorted(keys, key=lambda k: (-len(k), k)) for form, keys in romanised.items()}

    def resolve(self, key: str, countries: tuple[str, ...]) -> Resolution:
        """The form an alias key stands for, given the countries known for the name."""
        cache_key = (key, countries)
        found = self._resolved.get(cache_key)
        if found is None:
            found = self._resolved[cache_key] = _resolve(key, self.by_key[key], countries)
        return found

    def detect(self, text: str, countries: tuple[str, ...] = ()) -> Detection | None:
        """The legal form in ``text``, or None; a place after it and a second, stacked form are
        cut from the core too.

        A form is looked for before the last comma or spaced dash when what follows is a place
        (:meth:`_place`): "Siemens AG, München" has the form AG, the core Siemens and the place
        München. A form left at an edge of the core once the first is cut is stacked
        ("Oy Hello World Ab", "PT X Tbk") and goes too; the first form is the one reported.

        >>> forms = load_legal_forms()
        >>> d = forms.detect("Siemens AG, München", ("DE",))
        >>> d.resolution.form.abbreviation, d.core, d.place, d.span("Siemens AG, München")
        ('AG', 'Siemens', 'München', 'suffix [8:10] AG')
        >>> forms.detect("Oy Hello World Ab").core, forms.detect("Smith, John") is None
        ('Hello World', True)
        """
        found = self._detect_form(text, countries)
        place = None
        if found is None:
            # The last comma or dash of the name: a place may follow it.
            separator = next(reversed(list(_PLACE_SEPARATOR.finditer(text))), None)
            if separator is None or not self._place(text[separator.end() :]):
                return None
            found = self._detect_form(text[: separator.start()], countries)
            if found is None or found.position != "suffix":
                return None
            place = text[separator.end() :].strip()
        stacked = self._detect_form(found.core, countries)
        if stacked is not None and stacked.resolution.form.form_class in _COMPANY_CLASSES:
            found = replace(
                found,
                core=stacked.core,
                unquoted=found.unquoted or stacked.unquoted,
                stacked=found.core[stacked.start : stacked.end],
            )
        return replace(found, place=place) if place else found

    def _place(self, tail: str) -> bool:
        """True when ``tail``, what follows a name's last comma or dash, reads as a town: one
        capitalised word of letters, or two joined by a short lower-case word (Frankfurt am Main),
        that is not a legal form, a word that needs one ("…, Inc.", "…, The") or a country or
        region (``data/cluster/places.tsv``: "X Corp., America" is a regional company of its own).
        Longer tails are departments and divisions as often as places, and stay in the name.

        >>> forms = load_legal_forms()
        >>> forms._place("München"), forms._place("Ludwigshafen am Rhein"), forms._place("Inc."), forms._place("America")
        (True, True, False, False)
        >>> forms._place("the"), forms._place("Pomona Division"), forms._place("Costruzioni Generali Italiane")
        (False, False, False)
        """
        words = tail.split()
        if not (len(words) == 1 or len(words) == 3 and words[1].islower() and len(words[1]) <= 4):
            return False
        key = key_text(tail)
        return (
            all(_PLACE_WORD.fullmatch(w) for w in words)
            and words[0][0].isupper()
            and sum(c.isalpha() for c in tail) >= 3
            and key not in self.by_key
            and key not in self.not_a_name
            and key_text(words[0]) not in _regions()
        )

    def _detect_form(self, text: str, countries: tuple[str, ...] = ()) -> Detection | None:
        """The legal form at an edge of ``text`` (or before a branch marker), or None.

        >>> forms = load_legal_forms()
        >>> d = forms.detect("Toyota Motor Co., Ltd.", ("JP",))
        >>> d.position, d.resolution.form.abbreviation, d.resolution.elf_code, d.core
        ('suffix', 'KK', 'T417', 'Toyota Motor')
        >>> forms.detect("ООО «Ромашка»").core, forms.detect("KG Mobility") is None
        ('Ромашка', True)
        """
        folded = legal_key(text)
        key = _key_of(folded)
        if not key or not (
            key[key.rfind(" ") + 1 :] in self._last
            or key[-1] in self._last_chars
            or key.partition(" ")[0] in self._first
            or key[0] in self._first_chars
            or self._markers.search(key)
        ):
            return None
        padded = f" {key} "
        matches = []
        brands = []
        marker_starts = []
        for end, (pattern, alias_key, brand, marker) in self.automaton.iter(padded):
            start = end - len(pattern) + (1 if pattern[0] == " " else 0)
            stop = end + (0 if pattern[-1] == " " else 1) - 1
            if brand:
                brands.append((start, stop))
            if marker:
                marker_starts.append(start)
            if alias_key is not None:
                matches.append((stop - start, start, stop, alias_key))
        if not matches:
            return None
        size = len(padded) - 2
        for _, start, stop, alias_key in sorted(matches, reverse=True):
            if any(b_start <= start and stop <= b_stop for b_start, b_stop in brands):
                continue
            if stop + 2 == size and key[stop:] == " )" and key[start - 2 : start] == "( ":
                start, stop = start - 2, size  # a form in brackets at the end: "X (GmbH & Co.)"
            if stop >= size:
                position = "suffix" if start > 0 else None
            elif start == 0:
                position = "prefix"
            else:
                position = "infix" if any(m >= stop for m in marker_starts) else None
            if position is None:
                continue
            resolution = self.resolve(alias_key, countries)
            if position == "prefix" and not resolution.anywhere:
                continue
            if not self._is_name(" ".join((key[:start] + " " + key[stop:]).split())):
                continue
            source_start, source_end = _span(text, folded, key, start, stop)
            if alias_key in self._dotted_only and "." not in text[source_start:source_end]:
                continue
            if _hyphen_joined(text, source_start, source_end):
                continue
            source_end = _extend_over_dots(text, source_end)
            if position == "suffix" and (glued := self._glued_co(text, source_start, alias_key)):
                source_start, alias_key = glued
                resolution = self.resolve(alias_key, countries)
            core, unquoted = self._core(text, source_start, source_end)
            return Detection(position, source_start, source_end, resolution, core, unquoted)
        return None

    def _glued_co(self, text: str, start: int, alias_key: str) -> tuple[int, str] | None:
        """Where a suffix form starts, and its alias, when a "Co." glued to the word before it
        belongs to it, else None.

        Some registers write the English names of East Asian companies without spaces
        (DaejooElectronicMaterialsCo.,Ltd.), so "Co., Ltd." loses its word breaks; its dot marks
        the abbreviation, and a name that ends in "co" keeps it (Costco Ltd), as it does when a
        space still stands before the form (Genesco. Inc.).

        >>> forms = load_legal_forms()
        >>> [forms.detect(n).core for n in ("ZalmanTechCo.,Ltd.", "izumico.,ltd", "Costco Ltd", "Genesco. Inc.")]
        ['ZalmanTech', 'izumi', 'Costco', 'Genesco.']
        """
        glued = _GLUED_CO.search(text, 0, start)
        longer = f"co {alias_key}"
        return (glued.start(), longer) if glued and longer in self.by_key else None

    def aligned_core(self, latin: str, found: Detection, source: str) -> str | None:
        """The core of ``latin``, the romanisation of ``source``, word for word: when both have
        as many words and the form ``found`` in ``source`` is whole words, the same words are
        cut from ``latin`` (АО «Лаборатория Касперского», AO «Laboratoriya Kasperskogo» →
        Laboratoriya Kasperskogo), since a romanised form is no Latin alias (AO, V"M, A.E.).
        None otherwise.

        >>> forms = load_legal_forms()
        >>> found = forms.detect("АО «Лаборатория Касперского»", ("RU",))
        >>> forms.aligned_core("AO «Laboratoriya Kasperskogo»", found, "АО «Лаборатория Касперского»")
        'Laboratoriya Kasperskogo'
        """
        words, latin_words = source.split(), latin.split()
        if len(words) != len(latin_words) or _is_unspaced(source[found.start]) or found.place or found.stacked:
            return None
        if source[found.start - 1 : found.start].strip() or source[found.end : found.end + 1].strip(_EDGE + "."):
            return None  # the form is part of a word
        first = len(source[: found.start].split())
        last = first + len(source[found.start : found.end].split())
        spans = [m.span() for m in re.finditer(r"\S+", latin)]
        core, _ = self._core(latin, spans[first][0], spans[last - 1][1])
        return core or None

    def glued_core(self, latin: str, found: Detection, source: str) -> str | None:
        """The core of ``latin``, the romanisation of ``source``, when the form ``found`` in
        ``source`` is written together with the name in a script without spaces: its
        romanisation is then glued to the name's too (カブシキガイシャデンソー, KABUSHIKIGAISHADENSO),
        so no word break marks it. None when ``latin`` does not begin (prefix) or end (suffix)
        with a romanisation of that form.

        >>> forms = load_legal_forms()
        >>> found = forms.detect("カブシキガイシャデンソー", ("JP",))
        >>> forms.glued_core("KABUSHIKIGAISHADENSO", found, "カブシキガイシャデンソー")
        'DENSO'
        """
        words = latin.split()
        if not words or not _is_unspaced(source[found.start]) or found.position not in ("prefix", "suffix"):
            return None
        word = words[0] if found.position == "prefix" else words[-1]
        if not word.isascii():
            return None
        folded = word.lower()
        for key in self._romanised.get(found.resolution.form.form_id, ()):
            if len(folded) > len(key):
                if found.position == "prefix" and folded.startswith(key):
                    return " ".join([word[len(key) :], *words[1:]])
                if found.position == "suffix" and folded.endswith(key):
                    return " ".join([*words[:-1], word[: -len(key)]])
        return None

    def _is_name(self, core_key: str) -> bool:
        """A core (its matching key) is a name unless it is empty, a common legal form, or a word that needs a form.

        Common forms are the curated and generic ones; a rare ELF abbreviation (SMC in Pakistan)
        left alone is a company name ("SMC Corporation").
        """
        return any(c.isalnum() for c in core_key) and core_key not in self.not_a_name and core_key not in self._common

    def _core(self, text: str, start: int, end: int) -> tuple[str, bool]:
        """The name without ``text[start:end]``, edges tidied and wrapping quotes removed."""
        before = text[:start].rstrip(_EDGE)
        head, _, last_word = before.rpartition(" ")
        if head and last_word.casefold() in self.connectors:  # "X y Cía. Ltda." leaves "X", not "X y"
            before = head.rstrip(_EDGE)
        after = text[end:].lstrip(_EDGE + ".").rstrip(" ,;:")
        if before and after:
            spaced = text[start - 1 : start].isspace() or text[end : end + 1].isspace()
            core = before + (" " if spaced else "") + after
        else:
            core = before or after
        core = core.strip()
        unquoted = False
        while (
            len(core) > 2 and core[0] in self.quotes and core[-1] == self.quotes[core[0]] and core[0] not in core[1:-1]
        ):
            core, unquoted = core[1:-1].strip(), True
        return core, unquoted


@cache
def _regions() -> frozenset[str]:
    """Country and region words (``data/cluster/places.tsv``), which after a comma name a regional company, not a town."""
    return frozenset(
        row["place"] for row in read_tsv_table(data_path("cluster", "places.tsv"), required_columns=("place",)).rows
    )


def _hyphen_joined(text: str, start: int, end: int) -> bool:
    """True when the span is half of a hyphenated word ("PRAT-LACONDEMINE", "SANG-KU"), never a form.

    A hyphen with a space on one side is a separator ("ACME WIDGETS -GMBH") and does not count.

    >>> _hyphen_joined("PRAT-LACONDEMINE", 0, 4), _hyphen_joined("ACME -GMBH", 6, 10), _hyphen_joined("Lux-Tech AG", 9, 11)
    (True, False, False)
    """
    after = text[end : end + 2]
    before = text[max(start - 2, 0) : start] if start >= 2 else ""
    return (len(after) == 2 and after[0] == "-" and after[1].isalnum()) or (
        len(before) == 2 and before[1] == "-" and before[0].isalnum()
    )


def _pattern(key: str) -> str:
    """The automaton word for a key: padded with a space on each side that must meet a word break."""
    left = "" if _is_unspaced(key[0]) else " "
    right = "" if _is_unspaced(key[-1]) else " "
    return f"{left}{key}{right}"


def _extend_over_dots(text: str, end: int) -> int:
    """Take the closing period of an abbreviation (``Ltd.``) into the span."""
    while end < len(text) and text[end] == ".":
        end += 1
    return end


def _resolve(key: str, aliases: list[Alias], countries: tuple[str, ...]) -> Resolution:
    """Pick the form an alias means.

    The forms of the given countries come first; else a generic (jurisdiction-free) form; else
    the hand-curated reading of the additions; else the commonest reading of all the lists.
    """
    pool = [a for a in aliases if a.jurisdictions & set(countries)] if countries else []
    if not pool:
        pool = (
            [a for a in aliases if not a.jurisdictions]
            or [a for a in aliases if "additions" in a.sources.split()]
            or aliases
        )
    # One vote per form, however many spellings of the alias it lists.
    votes = Counter((form.abbreviation, form.form_class) for form in {a.form for a in pool})
    (abbreviation, form_class), _ = min(votes.items(), key=lambda item: (-item[1], item[0]))
    chosen = [a for a in pool if (a.form.abbreviation, a.form.form_class) == (abbreviation, form_class)]
    codes = {a.form.elf_code for a in chosen if a.form.elf_code}
    elf_code = codes.pop() if len(codes) == 1 else ""
    named = {source for a in chosen for source in a.sources.split()}
    sources = " ".join(
        sorted(named, key=lambda s: (SOURCE_ORDER.index(s) if s in SOURCE_ORDER else len(SOURCE_ORDER), s))
    )
    (display, code), _ = min(Counter((a.display, a.code) for a in chosen).items(), key=lambda item: (-item[1], item[0]))
    return Resolution(chosen[0].form, elf_code, key, sources, any(a.anywhere for a in chosen), display, code)


def _positions_anywhere(alias: str, positions: str) -> bool:
    """May this alias open a name? The table says ``any``, or it is not Latin, or it is a Latin phrase.

    >>> _positions_anywhere("Limited", ""), _positions_anywhere("ООО", ""), _positions_anywhere("Limited Liability Company", "")
    (False, True, True)
    """
    if positions == "any":
        return True
    letters = [c for c in alias if c.isalpha()]
    if any(char_script(c) != "Latn" for c in letters):
        return True
    return len(key_text(alias).split()) >= 2 and len(letters) >= 10


@shared
def load_legal_forms() -> LegalForms:
    """The shipped legal-form table (``data/legal_forms``), compiled once."""
    forms_table = read_tsv_table(
        data_path("legal_forms", "forms.tsv"),
        required_columns=("form_id", "abbreviation", "class", "elf_code", "jurisdictions"),
    )
    aliases_table = read_tsv_table(
        data_path("legal_forms", "aliases.tsv"),
        required_columns=("alias", "form_id", "jurisdictions", "positions", "sources"),
    )
    forms = {
        row["form_id"]: Form(
            row["form_id"], row["abbreviation"], row["class"], row["elf_code"], frozenset(row["jurisdictions"].split())
        )
        for row in forms_table.rows
    }
    problems = [
        f"line {line}: form '{row['form_id']}' is not in {forms_table.path.name}"
        for row, line in zip(aliases_table.rows, aliases_table.line_numbers)
        if row["form_id"] not in forms
    ]
    if problems:
        raise DataFileError(aliases_table.path, problems)
    aliases = [
        Alias(
            row["alias"],
            forms[row["form_id"]],
            frozenset(row["jurisdictions"].split()),
            _positions_anywhere(row["alias"], row["positions"]),
            row["sources"],
            row.get("display") or forms[row["form_id"]].abbreviation,
            row.get("code", ""),
        )
        for row in aliases_table.rows
    ]
    rules_path = data_path("legal_forms", "rules.toml")
    try:
        with rules_path.open("rb") as handle:
            rules = tomllib.load(handle)
        guards = rules["brand_guards"]["names"] + rules["form_fragments"]["phrases"]
        quotes, markers = rules["quotes"]["pairs"], rules["infix"]["markers"]
        not_a_name, connectors = rules["core"]["not_a_name"], rules["core"]["connectors"]
        dotted_only = rules["dotted_only"]["aliases"]
    except (tomllib.TOMLDecodeError, KeyError) as error:
        raise DataFileError(rules_path, [f"cannot read the rules: {error}"]) from None
    return LegalForms(aliases, guards, quotes, markers, not_a_name, connectors, dotted_only, aliases_table.label)


class LegalFormStage:
    """Fills the legal-form fields, ``name_core`` and, when a Latin form exists, ``name_core_latin``."""

    name = NAME
    fields = FIELDS

    def __init__(self, forms: LegalForms, countries: tuple[str, ...], misspelt: MisspeltForms | None = None) -> None:
        self.forms = forms
        self.countries = countries
        self.misspelt = misspelt

    def _misspelt(
        self, record: NameRecord, text: str, countries: tuple[str, ...]
    ) -> tuple[Detection | None, str | None]:
        """A form written with a typo (see :mod:`.fuzzy`) and the rule to record; the cores
        are set on ``record``."""
        from namecleaner.stages.legal_form.fuzzy import detect_misspelt, form_text

        if self.misspelt is None:
            return None, None
        found = detect_misspelt(self.forms, self.misspelt, text, countries)
        if found is None:
            return None, None
        detection, typo = found
        record.name_core = detection.core
        if record.name_latin == text:
            record.name_core_latin = record.name_core
        edits = f"{typo.edits} edit{'s' if typo.edits > 1 else ''}"
        return (
            detection,
            f"legal form {form_text(self.forms, typo.alias_key)}, misspelt as {text[detection.start : detection.end]} ({edits})",
        )

    def __call__(self, record: NameRecord) -> None:
        text = record.name_clean if record.name_clean is not None else record.original
        countries = (record.country.upper(),) if record.country else self.countries
        found = self.forms.detect(text, countries)
        latin = None
        record.name_core = found.core if found else text
        if record.name_latin == text:
            record.name_core_latin = record.name_core
        elif record.name_latin:
            # A form found only in the romanisation of a name in a script without spaces is a
            # syllable of the name ("国家知识产权局", Guojia … Ju): such scripts write their forms
            # themselves (株式会社, 有限公司, 주식회사), which the detection above reads.
            romanised_only = found is None and any(_is_unspaced(c) for c in text)
            latin = None if romanised_only else self.forms.detect(record.name_latin, countries)
            glued = (
                None
                if latin or not found
                else (
                    self.forms.glued_core(record.name_latin, found, text)
                    or self.forms.aligned_core(record.name_latin, found, text)
                )
            )
            record.name_core_latin = latin.core if latin else glued or record.name_latin
        chosen, source = (found, text) if found else (latin, record.name_latin or "")
        typo = None
        if chosen is None and self.misspelt is not None:
            (chosen, typo), source = self._misspelt(record, text, countries), text
        if chosen is None:
            return
        resolution = chosen.resolution
        record.legal_form = resolution.display or resolution.form.abbreviation
        record.legal_form_code = resolution.code or None
        record.legal_form_class = resolution.form.form_class or None
        record.elf_code = resolution.elf_code or None
        record.legal_form_span = ("latin " if chosen is latin else "") + chosen.span(source)
        record.legal_form_start, record.legal_form_end = chosen.start, chosen.end
        record.name_place = chosen.place
        if chosen.place:
            record.add_step(
                NAME, "place_after_form", "a place after the last comma or dash, after the form", "", chosen.place
            )
        if chosen.stacked:
            record.add_step(
                NAME, "stacked_form", "a second legal form at the edge of the core", self.forms.label, chosen.stacked
            )
        rule = f"{chosen.position}: longest alias '{resolution.key}' (sources: {resolution.sources})"
        if countries and resolution.form.jurisdictions & set(countries):
            rule += f"; country {', '.join(countries)}"
        if typo is not None:
            rule = f"{typo}; {rule}"
        step = f"split_{chosen.position}" + ("_latin" if chosen is latin else "") + ("_misspelt" if typo else "")
        record.add_step(NAME, step, rule, self.forms.label, record.legal_form)
        if chosen.unquoted:
            record.add_step(NAME, "unquote_core", "quotes wrapping the whole core", self.forms.label, chosen.core)


def build(context: Context, options: LegalFormOptions) -> LegalFormStage:
    """Build the stage; it has no options but ``enabled`` (ambiguities use the configuration's countries)."""
    from namecleaner.stages.legal_form.fuzzy import load_misspelt_forms

    return LegalFormStage(context.load(load_legal_forms), context.config.countries, context.load(load_misspelt_forms))
