"""Step 3 of clustering: the score of a pair of units, a pure function of their two feature rows.

The only global input is :class:`ScoreModel`, the word document frequencies over all units
(a reduce), so pairs can be scored anywhere, in any order, with the same result.

The score mixes two views of the names:

* **weighted words**: each word weighs its inverse document frequency, so a rare word
  ("Motorola") counts far more than "international" or "technology". Words of one name are
  matched to the other's exactly or, from five letters, with a rapidfuzz ratio of at least
  :data:`TYPO_RATIO` (typos). The score is the matched share of the *lighter-covered* name,
  so an extra rare word ("ABC America" against "ABC") pulls the pair apart;
* **spelling**: the rapidfuzz ratio of the keys with spaces removed ("Glo Post" =
  "GloPost").

Hard evidence caps the score: differing numbers (Fund 1, Fund 2), short names and acronyms
that are not equal (IBM, IBN), different legal-form classes or name types.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz.distance import Indel
from rapidfuzz.fuzz import ratio
from rapidfuzz.process import extractOne

from namecleaner.cluster.features import Units

#: Two words of at least this many letters match when their rapidfuzz ratio reaches TYPO_RATIO.
TYPO_MIN_LENGTH = 5
TYPO_RATIO = 84.0
#: Keys this short (without spaces) are acronyms or short names: only an equal key joins them.
SHORT_KEY = 3
#: Weight of the lesser-covered name in the word view (the better-covered one has the rest).
COVER_MIN_WEIGHT = 0.6
#: Weight of the word view against the spelling view.
WORD_WEIGHT = 0.7
#: Score cap when the numbers in two names differ, or the legal-form classes or name types.
NUMBER_CAP = 0.3
CONFLICT_PENALTY = 0.15


@dataclass(frozen=True)
class ScoreModel:
    """Word document frequencies over all units: the global part of scoring."""

    document_frequency: dict[str, int]
    units: int
    _weights: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_words(cls, words: Iterable[tuple[str, ...]]) -> ScoreModel:
        """Count, per word, the units that contain it."""
        frequency: Counter[str] = Counter()
        size = 0
        for unit_words in words:
            frequency.update(set(unit_words))
            size += 1
        return cls(dict(frequency), size)

    @classmethod
    def from_units(cls, units: Units) -> ScoreModel:
        return cls.from_words(units.words)

    def weight(self, word: str) -> float:
        """Inverse document frequency, smoothed; an unseen word weighs the most.

        >>> m = ScoreModel({"technology": 99, "motorola": 1}, 100)
        >>> round(m.weight("technology"), 2), round(m.weight("motorola"), 2), round(m.weight("new"), 2)
        (1.01, 5.21, 6.31)
        """
        weight = self._weights.get(word)
        if weight is None:
            weight = math.log((self.units + 1) / (self.document_frequency.get(word, 0) + 0.5)) + 1.0
            self._weights[word] = weight
        return weight


@dataclass(frozen=True)
class PairScore:
    """A pair's score and the features behind it (kept for explanations)."""

    score: float
    words: float
    spelling: float
    reason: str = ""

    def describe(self) -> str:
        """One line: the score, the two views and the hard evidence, if any."""
        text = f"score {self.score:.3f} (words {self.words:.3f}, spelling {self.spelling:.3f})"
        return f"{text}; {self.reason}" if self.reason else text


def _word_cover(left: tuple[str, ...], right: tuple[str, ...], model: ScoreModel) -> float:
    """IDF-weighted shares of each name's words found in the other, the smaller share weighing more."""
    shares = []
    for one, other in ((left, right), (right, left)):
        others = set(other)
        total = matched = 0.0
        for word in one:
            weight = model.weight(word)
            total += weight
            if word in others:
                matched += weight
            elif len(word) >= TYPO_MIN_LENGTH:
                best = extractOne(word, others, scorer=ratio, score_cutoff=TYPO_RATIO)
                if best is not None:
                    matched += weight * best[1] / 100.0
        shares.append(matched / total if total else 0.0)
    return COVER_MIN_WEIGHT * min(shares) + (1 - COVER_MIN_WEIGHT) * max(shares)


def _numbers(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w for w in words if any(c.isdigit() for c in w))


def score_pair(
    model: ScoreModel,
    left: tuple[str, ...],
    right: tuple[str, ...],
    left_class: str | None = None,
    right_class: str | None = None,
    left_type: str | None = None,
    right_type: str | None = None,
) -> PairScore:
    """Score two units from their words, legal-form classes and name types (a pure function).

    >>> m = ScoreModel({"abc": 3, "america": 1, "motorola": 2, "international": 40}, 100)
    >>> score_pair(m, ("motorola",), ("motorola", "international")).score > 0.7
    True
    >>> score_pair(m, ("abc",), ("abc", "america")).score < 0.7
    True
    >>> score_pair(m, ("ibm",), ("ibn",)).describe()
    'score 0.000 (words 0.000, spelling 0.667); short name or acronym: only an equal key joins'
    """
    if left == right:
        return PairScore(1.0, 1.0, 1.0)
    squashed_left, squashed_right = "".join(left), "".join(right)
    spelling = Indel.normalized_similarity(squashed_left, squashed_right)
    if squashed_left == squashed_right:
        return PairScore(1.0, 1.0, 1.0, "equal without spaces")
    words = _word_cover(left, right, model)
    if min(len(squashed_left), len(squashed_right)) <= SHORT_KEY:
        return PairScore(0.0, 0.0, spelling, "short name or acronym: only an equal key joins")
    score = WORD_WEIGHT * words + (1 - WORD_WEIGHT) * spelling
    reasons = []
    if _numbers(left) != _numbers(right):
        score = min(score, NUMBER_CAP)
        reasons.append("numbers differ")
    if left_class and right_class and left_class != right_class:
        score -= CONFLICT_PENALTY
        reasons.append(f"legal-form classes differ ({left_class}, {right_class})")
    if left_type and right_type and left_type != right_type:
        score -= CONFLICT_PENALTY
        reasons.append(f"name types differ ({left_type}, {right_type})")
    return PairScore(max(score, 0.0), words, spelling, "; ".join(reasons))


def score_units(model: ScoreModel, units: Units, left: int, right: int) -> PairScore:
    """Score two units of a :class:`Units` table by number."""
    return score_pair(
        model,
        units.words[left], units.words[right],
        units.legal_form_class[left], units.legal_form_class[right],
        units.name_type[left], units.name_type[right],
    )


def score_edges(model: ScoreModel, units: Units, pairs: Iterable[tuple[int, int]], floor: float) -> list[tuple[int, int, float]]:
    """Score candidate pairs; keep those scoring at least ``floor``."""
    edges = []
    for left, right in pairs:
        value = score_units(model, units, int(left), int(right)).score
        if value >= floor:
            edges.append((int(left), int(right), value))
    return edges
