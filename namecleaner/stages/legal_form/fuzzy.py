"""Legal forms written with a typo: ``Aktiengesellshaft``, ``Compnay``, ``Kabushiki Kaisah``.

Patent assignee data is typed by hand, and a misspelt form splits one applicant into several
clusters ("Acme Coporation" keyed as "acme coporation"). When no form is found as written, the words
that end the name (or open it, for a form that may stand first) are compared with the common
aliases of the table (curated and jurisdiction-free: Corporation, Limited, Kabushiki Kaisha …)
by optimal string alignment distance (rapidfuzz; a swap of two letters is one edit). How many
edits a form tolerates depends on its length (:func:`namecleaner.text.typos.allowed_edits`):
none below seven letters, so AG, SA, Co, GmbH and Ltd need an exact match. A word
the glossary knows is never a typo, and a distance that two forms share is too ambiguous to
use (see :mod:`namecleaner.text.typos`). Measured with ``benchmarks/bench_misspelt.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from namecleaner.resources import shared
from namecleaner.stages.legal_form import (
    Detection,
    LegalForms,
    _extend_over_dots,
    key_text,
    load_legal_forms,
    source_span,
)
from namecleaner.text.typos import TypoIndex

#: The most words a form is compared over.
MAX_WORDS = 4


@dataclass(frozen=True, slots=True)
class Misspelling:
    """The alias key a run of words was taken for, and its distance."""

    alias_key: str
    edits: int


class MisspeltForms:
    """The common Latin aliases of a legal-form table, compared with typo tolerance."""

    def __init__(self, alias_forms: Mapping[str, str], known_word: Callable[[str], bool]) -> None:
        """``alias_forms``: matching key (lower-case words) → the form it stands for;
        ``known_word``: whether a word is a word of the language (a glossary word), which is
        never taken for a typo."""
        self.known_word = known_word
        # Keys compared without their spaces (Aktiengesellshaft = aktien gesellschaft); the
        # keys that differ only in spaces, fewest words first.
        self._keys: dict[str, list[str]] = {}
        for key in sorted(alias_forms, key=lambda k: (k.count(" "), k)):
            self._keys.setdefault(key.replace(" ", ""), []).append(key)
        self._index = TypoIndex({joined: alias_forms[keys[0]] for joined, keys in self._keys.items()})

    def match(self, words: list[str]) -> Misspelling | None:
        """The alias the words spell with a typo, or None (also when they spell it exactly).

        >>> forms = MisspeltForms({"company": "co", "aktiengesellschaft": "ag", "kabushiki kaisha": "kk", "ag": "ag"}, lambda w: False)
        >>> forms.match(["compnay"]), forms.match(["kabushiki", "kaisah"])
        (Misspelling(alias_key='company', edits=1), Misspelling(alias_key='kabushiki kaisha', edits=1))
        >>> forms.match(["company"]), forms.match(["ab"]), forms.match(["compnayyy"])
        (None, None, None)
        >>> MisspeltForms({"fz establishment": "fze"}, lambda w: False).match(["establishment"]) is None
        True
        """
        found = self._index.nearest("".join(words))
        if found is None:
            return None
        keys = self._keys[found[0]]
        key = next((k for k in keys if k.count(" ") == len(words) - 1), keys[0])  # spaced as written
        spelt = key.split()
        if any(self.known_word(word) for word in words if word not in spelt):
            return None
        # A short word of a form is never misspelt, only there or missing (FZ Establishment).
        if any(len(word) < 4 and word not in words for word in spelt):
            return None
        return Misspelling(key, found[1])


def form_text(forms: LegalForms, key: str) -> str:
    """An alias key as the table writes it, capitalised where one of its spellings is.

    >>> form_text(load_legal_forms(), "kabushiki kaisha")
    'Kabushiki Kaisha'
    """
    texts = [alias.text for alias in forms.by_key[key]]
    return next((text for text in texts if text[:1].isupper()), texts[0].title())


def common_aliases(forms: LegalForms) -> dict[str, str]:
    """The table's common aliases (curated, or of no jurisdiction) → the form each stands for
    when no country is known (its abbreviation, case and dots aside: Inc = Inc.): the forms a
    typo is looked for in."""
    return {key: forms.resolve(key, ()).form.abbreviation.replace(".", "").casefold() for key in sorted(forms._common)}


@shared
def load_misspelt_forms() -> MisspeltForms:
    """The shipped table's common forms, compared with typo tolerance; a glossary word is never a typo."""
    return MisspeltForms(common_aliases(load_legal_forms()), glossary_word)


def glossary_word(word: str) -> bool:
    """Whether the match key's glossary knows ``word`` (a variant or a concept).

    >>> glossary_word("jidosha"), glossary_word("aktiengesellshaft")
    (True, False)
    """
    from namecleaner.stages.match_key import load_glossary

    glossary = load_glossary()
    return word in glossary.latin or word in glossary.concepts


def detect_misspelt(
    forms: LegalForms, misspelt: MisspeltForms, text: str, countries: tuple[str, ...]
) -> tuple[Detection, Misspelling] | None:
    """The misspelt legal form ending ``text`` (or opening it, for a form that may open a
    name), as :meth:`LegalForms.detect` gives a form written correctly; fewest words first.

    >>> forms = load_legal_forms()
    >>> misspelt = MisspeltForms(common_aliases(forms), lambda w: False)
    >>> found, typo = detect_misspelt(forms, misspelt, "Siemens Aktiengesellshaft", ("DE",))
    >>> found.core, found.resolution.form.abbreviation, typo.alias_key
    ('Siemens', 'AG', 'aktiengesellschaft')
    """
    key = key_text(text)
    words = key.split(" ")
    for size in range(1, min(MAX_WORDS, len(words) - 1) + 1):
        for position, piece, rest in (
            ("suffix", words[-size:], words[:-size]),
            ("prefix", words[:size], words[size:]),
        ):
            typo = misspelt.match(piece)
            if typo is None or not forms._is_name(" ".join(rest)):
                continue
            resolution = forms.resolve(typo.alias_key, countries)
            if position == "prefix" and not resolution.anywhere:
                continue
            start = len(" ".join(rest)) + 1 if position == "suffix" else 0
            stop = len(key) if position == "suffix" else len(" ".join(piece))
            source_start, source_end = source_span(text, start, stop)
            source_end = _extend_over_dots(text, source_end)
            core, unquoted = forms._core(text, source_start, source_end)
            return Detection(position, source_start, source_end, resolution, core, unquoted), typo
    return None
