"""Step 3 of clustering: the score of a pair of units, a pure function of their two feature rows.

The only global input is :class:`ScoreModel`, the word document frequencies over all units
(a reduce), so pairs can be scored anywhere, in any order, with the same result.

The score mixes two views of the names:

* **weighted words**: each word weighs its inverse document frequency, so a rare word
  ("Motorola") counts far more than "international" or "technology". Words of one name are
  matched to the other's exactly or, from five letters, with a rapidfuzz ratio of at least
  :data:`TYPO_RATIO` (typos); the words of a governing body (Board of Regents of X,
  Trustees of X: ``data/cluster/governing_words.tsv``) weigh little, as they name the
  applicant X. The score is the matched share of the *lighter-covered* name,
  so an extra rare word ("ABC America" against "ABC") pulls the pair apart;
* **spelling**: the rapidfuzz ratio of the keys with spaces removed ("Glo Post" =
  "GloPost").

Hard evidence caps the score: differing numbers (Fund 1, Fund 2), short names and acronyms
that are not equal (IBM, IBN), a place word only one name has, after its first word (ABC
America: a regional unit), a compass word only one name has (University of West Florida), rare words that differ and are each missing from the other
name (Temple University … Higher Education, University of Pittsburgh … Higher Education:
two bodies sharing generic words), a name of generic words only and another with a word
it lacks (American Technology, American Ozone Technology); legal-form classes of different families (a company and a
partnership, ``data/cluster/legal_form_families.tsv``) or different name types lower it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

import numpy as np
from rapidfuzz.distance import Indel
from rapidfuzz.fuzz import ratio
from rapidfuzz.process import extractOne

from namecleaner.cluster.features import Units
from namecleaner.workers import pool_map
from namecleaner.resources import data_path, read_tsv_table
from namecleaner.stages.match_key import load_glossary
from namecleaner.stages.name_type import PERSON

#: Two words of at least this many letters match when their rapidfuzz ratio reaches TYPO_RATIO.
TYPO_MIN_LENGTH = 5
TYPO_RATIO = 84.0
#: ... whose lengths differ by at most this much (biotechnology is not a typo of technology).
TYPO_LENGTH_GAP = 2
#: A word whose sound skeleton (:func:`sound_skeleton`) has this many consonants matches an
#: equal skeleton for this share of its weight (loanwords: toruku = torq).
SKELETON_MIN_LENGTH = 3
SKELETON_CREDIT = 0.85
#: A word of at least SHORTENED_MIN_LENGTH letters that begins the other's word of at least
#: TYPO_MIN_LENGTH (techno, technology; ne, nebraska) matches it for this share of its weight.
SHORTENED_CREDIT = 0.85
SHORTENED_MIN_LENGTH = 2
#: A word of this many letters that spells the initials of adjacent words of the other name
#: is their acronym.
ACRONYM_MIN, ACRONYM_MAX = 3, 6
#: Keys this short (without spaces) are acronyms or short names: only an equal key joins them.
SHORT_KEY = 3
#: When one name's words are all in the other (share ≥ CONTAINED), the lesser-covered share
#: weighs this much and the full one the rest (Harvard University, President and Fellows of
#: Harvard University); when each name has words the other lacks, OVERLAP_MIN_WEIGHT.
COVER_MIN_WEIGHT = 0.5
OVERLAP_MIN_WEIGHT = 0.7
CONTAINED = 0.97
#: Weight of the word view against the spelling view.
WORD_WEIGHT = 0.7
#: Score cap when the numbers in two names differ, or the legal-form classes or name types.
NUMBER_CAP = 0.3
CONFLICT_PENALTY = 0.15
#: Score cap when a place word not in the other name trails one name (ABC America, ABC).
PLACE_CAP = 0.4
#: A name of generic words only (General Products) names no body when it has at most this
#: many; a longer one is a description specific enough to be a name (Environmental
#: Protection Agency).
GENERIC_NAME_WORDS = 3
#: A word of the body that holds an institution in law (Board of Regents of X, Trustees of
#: X) weighs this share of its inverse document frequency: it names the same applicant as X.
GOVERNING_WEIGHT = 0.25
#: The rarest words of each name compared by :func:`_distinct_rare_words`.
RARE_WORDS = 2
#: Two words below this rapidfuzz ratio are different words, not misspellings of one.
DISTINCT_RATIO = 60.0
#: Two words beginning with this many equal letters may be a word and its abbreviation.
ABBREVIATION_PREFIX = 4
_DIGIT = re.compile(r"[0-9]")


def _word_list(file: str, column: str = "word") -> frozenset[str]:
    """The words of one column of a ``data/cluster`` table."""
    return frozenset(row[column] for row in read_tsv_table(data_path("cluster", file), required_columns=(column,)).rows)


@cache
def places() -> frozenset[str]:
    """Place words that mark a regional unit (``data/cluster/places.tsv``)."""
    return _word_list("places.tsv", "place")


@cache
def generic_words() -> frozenset[str]:
    """Words that name no organisation on their own: the glossary's concepts translated
    across languages (frequent organisation words: university, 大学, университет), the place
    words and ``data/cluster/generic_words.tsv``. Concepts of one language only are often
    proper names spelled out (Penna., Pennsylvania)."""
    return _word_list("generic_words.tsv") | places() | load_glossary().multilingual


@cache
def compass_words() -> frozenset[str]:
    """Compass words (``data/cluster/compass.tsv``)."""
    return _word_list("compass.tsv")


@cache
def governing_words() -> frozenset[str]:
    """Words of governing bodies (``data/cluster/governing_words.tsv``): board, regent, trustee …."""
    return _word_list("governing_words.tsv")


@cache
def legal_form_families() -> dict[str, str]:
    """Family of each legal-form class (``data/cluster/legal_form_families.tsv``)."""
    table = read_tsv_table(data_path("cluster", "legal_form_families.tsv"), required_columns=("class", "family"))
    return {row["class"]: row["family"] for row in table.rows}


def _family(form_class: str) -> str:
    return legal_form_families().get(form_class, form_class)


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
        """Inverse document frequency, smoothed; an unseen word weighs the most; a governing
        body's word (:func:`governing_words`) a share :data:`GOVERNING_WEIGHT` of it.

        >>> m = ScoreModel({"technology": 99, "motorola": 1, "regent": 1}, 100)
        >>> round(m.weight("technology"), 2), round(m.weight("motorola"), 2), round(m.weight("new"), 2), round(m.weight("regent"), 2)
        (1.01, 5.21, 6.31, 1.3)
        """
        weight = self._weights.get(word)
        if weight is None:
            weight = math.log((self.units + 1) / (self.document_frequency.get(word, 0) + 0.5)) + 1.0
            if word in governing_words():
                weight *= GOVERNING_WEIGHT
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


def _word_cover(
    left: tuple[str, ...], right: tuple[str, ...], model: ScoreModel, persons: bool = False
) -> tuple[float, tuple[list[str], list[str]]]:
    """IDF-weighted shares of each name's words found in the other, combined (see
    :data:`COVER_MIN_WEIGHT`); also the words of each name that the other does not cover.

    With ``persons``, sound skeletons join any two words (:func:`_loanword_pair` is for
    organisation words): personal names vary in their vowels when romanised (Hamieh, Hamiyah).
    """
    shares = []
    uncovered: tuple[list[str], list[str]] = ([], [])
    initials = ("".join(w[0] for w in left), "".join(w[0] for w in right))
    for one, other, missing, (one_initials, other_initials) in (
        (left, right, uncovered[0], initials), (right, left, uncovered[1], initials[::-1])
    ):
        # adjacent words joined too: "hong kong" covers "hongkong"
        others = set(other).union(a + b for a, b in zip(other, other[1:]))
        total = matched = 0.0
        # and the other way round: "glo post" against "glopost" covers both words
        joined = {i for i, pair in enumerate(zip(one, one[1:])) if "".join(pair) in other}
        joined |= {i + 1 for i in joined}
        # an acronym covers the words it abbreviates, and they it: nasa, national aeronautic space administration
        for short in other:
            if ACRONYM_MIN <= len(short) <= ACRONYM_MAX and (start := one_initials.find(short)) >= 0:
                joined.update(range(start, start + len(short)))
        for index, word in enumerate(one):
            weight = model.weight(word)
            total += weight
            if word in others or index in joined or (ACRONYM_MIN <= len(word) <= ACRONYM_MAX and word in other_initials):
                matched += weight
            else:
                best = extractOne(word, others, scorer=ratio, score_cutoff=TYPO_RATIO) if len(word) >= TYPO_MIN_LENGTH else None
                if best is not None and abs(len(best[0]) - len(word)) <= TYPO_LENGTH_GAP:
                    matched += weight * best[1] / 100.0
                elif len(word) >= SHORTENED_MIN_LENGTH and any(_shortened(word, o) for o in others if word.startswith(o) or o.startswith(word)):
                    matched += weight * SHORTENED_CREDIT
                elif len(skeleton := sound_skeleton(word)) >= SKELETON_MIN_LENGTH and any(sound_skeleton(o) == skeleton and (persons or _loanword_pair(word, o)) for o in others):
                    matched += weight * SKELETON_CREDIT
                else:
                    missing.append(word)
        shares.append(matched / total if total else 0.0)
    low, high = min(shares), max(shares)
    if high < CONTAINED:  # each name has words the other lacks: little leniency
        return OVERLAP_MIN_WEIGHT * low + (1 - OVERLAP_MIN_WEIGHT) * high, uncovered
    return COVER_MIN_WEIGHT * low + (1 - COVER_MIN_WEIGHT) * high, uncovered


# a word made of Japanese (Hepburn) syllables: an optional doubled consonant, an onset, a vowel; or n
_ROMAJI = re.compile(r"(?:(?:([kstpgdbhmrjz])(?=\1)|t(?=ch))?(?:sh|ch|ts|[kgsztdnhbpmrwjfy])?y?[aeiou]|n)+")


# a word made of Korean (Revised Romanization) syllables: an onset, a glide, a vowel, a final consonant
_HANGUL_RR = re.compile(r"(?:(?:kk|tt|pp|ss|jj|ch|[gkndrlmbsjhtp])?[wy]?(?:ae|eo|eu|oe|ui|[aeiou])(?:ng|[kntlmp])?)+")


def _shortened(word: str, other: str) -> bool:
    """Whether one of two words begins the other, which has at least TYPO_MIN_LENGTH letters:
    a shortened word (techno, technology; Univ. of NE, Nebraska).

    >>> _shortened("techno", "technology"), _shortened("technology", "techno"), _shortened("ne", "nebraska"), _shortened("tech", "tec")
    (True, True, True, False)
    """
    return (
        min(len(word), len(other)) >= SHORTENED_MIN_LENGTH
        and max(len(word), len(other)) >= TYPO_MIN_LENGTH
        and (word.startswith(other) or other.startswith(word))
    )


def _loanword_pair(word: str, other: str) -> bool:
    """Whether two words may be a loanword and its source, or two romanisations of one word.

    The sound skeleton is lossy, so it joins two words only when one is written in Japanese
    or Korean syllables (a romanised loanword: toruku, torq), but not both in Japanese ones
    (tokuyama and takuma share a skeleton); or when they begin with the same letter, as two
    romanisations of one name do (sanabil, sinabul). Two words spelled otherwise are
    different words that happen to share their consonants (oceanus, science).

    >>> _loanword_pair("toruku", "torq"), _loanword_pair("tokuyama", "takuma")
    (True, False)
    >>> _loanword_pair("keompyuteo", "computer"), _loanword_pair("sanabil", "sinabul"), _loanword_pair("oceanus", "science")
    (True, True, False)
    """
    first, second = _ROMAJI.fullmatch(word), _ROMAJI.fullmatch(other)
    if first and second:
        return False
    return bool(word[0] == other[0] or first or second or _HANGUL_RR.fullmatch(word) or _HANGUL_RR.fullmatch(other))


_SOFT_C = re.compile(r"c(?=[eiy])")
_SOFT_G = re.compile(r"g(?=[ei])")
_SKELETON = str.maketrans({"l": "r", "v": "b", "c": "k", "q": "k", "x": "ks", "f": "h", "z": "j", "w": "", "y": "", "h": ""})
_VOWELS = re.compile(r"[aeiou]+")
_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=1 << 18)
def sound_skeleton(word: str) -> str:
    """The consonants of a word as a Japanese or Korean loanword spelling keeps them.

    Katakana and Hangul spellings of foreign words add vowels, merge l/r, v/b, f/h and drop
    a final r (computer, konpyuta), so a romanised loanword rarely equals its English
    spelling; their consonant skeletons do.

    >>> [sound_skeleton(w) for w in ("toruku", "torq", "konpyuta", "computer", "eibekkusu", "avex")]
    ['trk', 'trk', 'knpt', 'knpt', 'bks', 'bks']
    """
    word = _SOFT_G.sub("j", _SOFT_C.sub("s", word)).replace("ph", "f").replace("th", "t").replace("sh", "s").replace("ch", "k").replace("mp", "np").replace("mb", "nb")
    skeleton = _DOUBLED.sub(r"\1", _VOWELS.sub("", word.translate(_SKELETON)))
    return skeleton[:-1] if word.endswith("r") else skeleton


def _heaviest(words: tuple[str, ...], model: ScoreModel) -> str:
    return max(words, key=lambda w: (model.weight(w), w))


def _distinct_words(first: str, second: str) -> bool:
    """Whether two words are different words: not an abbreviation of one another (they begin
    alike: penna, pennsylvania), a short word or a misspelling.

    >>> _distinct_words("temple", "pittsburgh"), _distinct_words("penna", "pennsylvania"), _distinct_words("duke", "tufts")
    (True, False, False)
    """
    return (
        min(len(first), len(second)) >= TYPO_MIN_LENGTH
        and first[:ABBREVIATION_PREFIX] != second[:ABBREVIATION_PREFIX]
        and ratio(first, second) < DISTINCT_RATIO
    )


def _distinct_rare_words(
    left: tuple[str, ...], right: tuple[str, ...], uncovered: tuple[list[str], list[str]], model: ScoreModel
) -> tuple[str, str] | None:
    """Two different words (:func:`_distinct_words`), one among the :data:`RARE_WORDS` rarest of
    each name, each missing from the other name; else None.

    Two bodies sharing generic words differ in what names them (Temple University …,
    University of Pittsburgh … of Higher Education; Japan, as represented by the Director
    General of the National Institute of Health / … of the National Research Institute for
    Metals), and that word need not be the very rarest of its name.

    >>> m = ScoreModel({"japan": 5, "health": 9, "metal": 9, "institute": 20}, 100)
    >>> _distinct_rare_words(("japan", "institute", "health"), ("japan", "institute", "metal"), (["health"], ["metal"]), m)
    ('health', 'metal')
    """
    if not (uncovered[0] and uncovered[1]):
        return None
    for first in _rarest(left, model):
        if first in uncovered[0]:
            for second in _rarest(right, model):
                if second in uncovered[1] and _distinct_words(first, second):
                    return first, second
    return None


def _rarest(words: tuple[str, ...], model: ScoreModel) -> list[str]:
    return sorted(set(words), key=lambda w: (-model.weight(w), w))[:RARE_WORDS]


def _named_extra(left: tuple[str, ...], right: tuple[str, ...], uncovered: tuple[list[str], list[str]], model: ScoreModel) -> str:
    """The rarest word the other name has beyond a name of at most :data:`GENERIC_NAME_WORDS`
    generic words only (:func:`generic_words`), else ''.

    Such a name says only what kind of body it is (American Technology, General Products):
    another name with a word more, or another word, names a different body (American Ozone
    Technology, General Home Products, General Machine Products / American Machine
    Products). A name with a word of its own (Motorola; Motorola International) is not
    concerned, nor an extra word that is the generic name's acronym (University Health
    Network UHN).

    >>> m = ScoreModel({"american": 40, "technology": 30, "ozone": 1, "motorola": 2, "international": 20}, 100)
    >>> _named_extra(("american", "technology"), ("american", "ozone", "technology"), ([], ["ozone"]), m)
    'ozone'
    >>> _named_extra(("motorola",), ("motorola", "international"), ([], ["international"]), m)
    ''
    >>> _named_extra(("american", "technology"), ("american", "technology", "at"), ([], ["at"]), m)
    ''
    """
    for generic, other_missing in ((left, uncovered[1]), (right, uncovered[0])):
        if other_missing and len(generic) <= GENERIC_NAME_WORDS and all(w in generic_words() for w in generic):
            word = _heaviest(tuple(other_missing), model)
            if word != "".join(w[0] for w in generic):
                return word
    return ""


def _lone_compass(words: tuple[str, ...], missing: list[str]) -> str:
    """A compass word of a name that the other name lacks, unless it begins a place
    (North America, a region both names may or may not spell out), else ''.

    >>> _lone_compass(("university", "west", "florida"), ["west"]), _lone_compass(("philip", "north", "america"), ["north"])
    ('west', '')
    """
    for index, word in enumerate(words):
        if word in missing and word in compass_words() and (index + 1 == len(words) or words[index + 1] not in places()):
            return word
    return ""


def _numbers(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w for w in words if _DIGIT.search(w))


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
    persons = PERSON in (left_type, right_type)
    words, uncovered = _word_cover(left, right, model, persons)
    if min(len(squashed_left), len(squashed_right)) <= SHORT_KEY:
        return PairScore(0.0, 0.0, spelling, "short name or acronym: only an equal key joins")
    score = WORD_WEIGHT * words + (1 - WORD_WEIGHT) * spelling
    reasons = []
    extra = _named_extra(left, right, uncovered, model)
    if not persons and extra:
        score = min(score, PLACE_CAP)
        reasons.append(f"the other name is generic words only; '{extra}' names this one")
    missing = uncovered[0] + uncovered[1]
    compass = _lone_compass(left, uncovered[0]) or _lone_compass(right, uncovered[1])
    if compass:
        score = min(score, PLACE_CAP)
        reasons.append(f"compass word '{compass}' in one name only")
    regional = [w for w in missing if w in places() and w not in (left[0], right[0])]
    if regional:
        score = min(score, PLACE_CAP)
        reasons.append(f"extra place word '{regional[0]}': a regional unit")
    # persons' rarest words are often romanisation variants of one name (Hamieh, Hameiah)
    distinct = None if persons else _distinct_rare_words(left, right, uncovered, model)
    if distinct:
        score = min(score, PLACE_CAP)
        reasons.append(f"a rare word of each name is not in the other ('{distinct[0]}', '{distinct[1]}')")
    if (_DIGIT.search(squashed_left) or _DIGIT.search(squashed_right)) and _numbers(left) != _numbers(right):
        score = min(score, NUMBER_CAP)
        reasons.append("numbers differ")
    if left_class and right_class and _family(left_class) != _family(right_class):
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


def score_edges(
    model: ScoreModel, units: Units, pairs: np.ndarray, floor: float, *, workers: int = 1
) -> list[tuple[int, int, float]]:
    """Score candidate pairs; keep those scoring at least ``floor``, in pair order.

    With ``workers`` > 1 and many pairs, chunks are scored in forked processes (pairs are
    independent, so the result is the same).
    """
    chunks = np.array_split(pairs, workers * 4) if workers > 1 and len(pairs) >= _PARALLEL_PAIRS else [pairs]
    parts = pool_map(_score_chunk, (model, units, floor), chunks, workers)
    return [edge for part in parts for edge in part]


_PARALLEL_PAIRS = 50_000


def _score_chunk(work: tuple[ScoreModel, Units, float], pairs: np.ndarray) -> list[tuple[int, int, float]]:
    model, units, floor = work
    edges = []
    for left, right in pairs.tolist():
        value = score_units(model, units, left, right).score
        if value >= floor:
            edges.append((left, right, value))
    return edges
