"""Typo tolerance: the known word a misspelt word stands for, by a length-aware edit rule.

Used for legal forms (``stages/legal_form/fuzzy.py``: Aktiengesellshaft) and glossary words
(``stages/match_key``: Seisakushio). The distance is the optimal string alignment distance of
rapidfuzz, in which a swap of two neighbouring letters is one edit (Compnay). A short word
tolerates no edit at all (AG, SA, Co need an exact match): one word of a few letters is one
edit from many others. A word of the English dictionary (simplemma's lemma list, the one the
match key's plural fold reads) is never a typo: Limiter is not Limited, Society not Societe.
Measured with ``benchmarks/bench_misspelt.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import simplemma
from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

#: The fewest letters of a known word that tolerates one edit, and two. bench_misspelt.py: one
#: edit from 6, 7 or 8 letters touches 37, 36, 35 real names in legal forms, all but one true
#: typos; two edits from 13 letters (not 15) mend the long typos (Admistrator, 2 edits) that
#: otherwise split a cluster (bench_cluster_quality.py in-sample, NBER pairwise F1 0.926 at 15,
#: 0.929 at 13, as without typo tolerance; Fraunhofer 0.619 without, 0.622 at 13).
MIN_LETTERS_ONE_EDIT = 7
MIN_LETTERS_TWO_EDITS = 13
#: The words whose look-up each index remembers.
CACHED_WORDS = 1 << 16


def allowed_edits(letters: int, shortest: int | None = None) -> int:
    """Edits a known word of ``letters`` letters may carry and still be recognised; one edit
    from ``shortest`` letters (default :data:`MIN_LETTERS_ONE_EDIT`).

    >>> [allowed_edits(n) for n in (2, 4, 6, 7, 12, 13, 18)], allowed_edits(7, shortest=8)
    ([0, 0, 0, 1, 1, 2, 2], 0)
    """
    if letters >= MIN_LETTERS_TWO_EDITS:
        return 2
    return 1 if letters >= (MIN_LETTERS_ONE_EDIT if shortest is None else shortest) else 0


class TypoIndex:
    """Known words (lower-case ASCII letters), each with what it means, for typo look-ups."""

    def __init__(
        self, meanings: Mapping[str, str], *, shortest: int | None = None, same_first_letter: bool = False
    ) -> None:
        """``meanings``: known word → its meaning; two words of one meaning are never ambiguous.
        ``shortest``: the fewest letters of a known word that tolerates an edit (see
        :func:`allowed_edits`); ``same_first_letter``: a typo never changes the first letter."""
        self.shortest = shortest
        self.same_first_letter = same_first_letter
        # The same words recur across names (a brand in thousands of rows): look each up once.
        self.nearest = lru_cache(maxsize=CACHED_WORDS)(self._nearest)
        self._meanings = {word: meaning for word, meaning in meanings.items() if word.isascii() and word.isalpha()}
        self._by_length: dict[int, list[str]] = {}
        for word in sorted(self._meanings):
            self._by_length.setdefault(len(word), []).append(word)
        # The known words a word of some length (and first letter) may misspell, built on first use.
        self._candidates: dict[tuple[int, str], list[str]] = {}

    def __getstate__(self) -> dict:
        """Pickled without the look-up cache (a cached function does not pickle)."""
        state = self.__dict__.copy()
        del state["nearest"]
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.nearest = lru_cache(maxsize=CACHED_WORDS)(self._nearest)

    def _nearest(self, word: str) -> tuple[str, int] | None:
        """The known word ``word`` misspells and the edits between them; None when ``word`` is
        known or an English word, too far from every known word, or as near to two of
        different meanings.

        >>> index = TypoIndex({"company": "co", "corporation": "corp", "compare": "cmp", "ag": "ag"})
        >>> index.nearest("compnay"), index.nearest("coporation"), index.nearest("company"), index.nearest("ab")
        (('company', 1), ('corporation', 1), None, None)
        >>> TypoIndex({"compaby": "x", "compary": "y"}).nearest("compajy") is None
        True
        >>> TypoIndex({"limited": "ltd"}).nearest("limiter") is None
        True
        >>> TypoIndex({"kaihatsu": "development"}, same_first_letter=True).nearest("daihatsu") is None
        True
        """
        if (
            word in self._meanings
            or not word.isascii()
            or not word.isalpha()
            or not allowed_edits(len(word) + 2, self.shortest)
        ):
            return None
        # One search up to the limit of the longest candidates, each then held to its own.
        most = allowed_edits(len(word) + 2, self.shortest)
        found = [
            (edits, candidate)
            for candidate, edits, _ in extract(
                word, self._candidates_for(word), scorer=OSA.distance, score_cutoff=most, limit=None
            )
            if edits <= allowed_edits(len(candidate), self.shortest)
        ]
        # The dictionary, slower than the search, is asked only about a word near a known one.
        if not found or simplemma.is_known(word, lang="en"):
            return None
        best = min(edits for edits, _ in found)
        nearest = sorted(candidate for edits, candidate in found if edits == best)
        if len({self._meanings[candidate] for candidate in nearest}) > 1:
            return None
        return nearest[0], best

    def _candidates_for(self, word: str) -> list[str]:
        """The known words within two letters of ``word``'s length that tolerate an edit (of its
        first letter when a typo keeps that), in one list: what :meth:`nearest` compares it with."""
        key = (len(word), word[0] if self.same_first_letter else "")
        found = self._candidates.get(key)
        if found is None:
            found = self._candidates[key] = [
                candidate
                for length in range(len(word) - 2, len(word) + 3)
                if allowed_edits(length, self.shortest)
                for candidate in self._by_length.get(length, ())
                if not self.same_first_letter or candidate[0] == word[0]
            ]
        return found
