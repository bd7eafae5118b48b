"""Step 3 of clustering: the match probability of a pair of units, a pure function of their feature rows.

The only global inputs are :class:`ScoreModel`'s word document frequencies over all units
(a reduce) and the fitted :class:`~namecleaner.cluster.model.MatchModel`, so pairs can be
scored anywhere, in any order, with the same result.

A pair is first compared once (:func:`compare`): each word weighs its inverse document
frequency, so a rare word ("Motorola") counts far more than "international"; words of one
name are matched to the other's exactly, as typos (from five letters, a rapidfuzz ratio of
at least :data:`TYPO_RATIO`), shortened words, acronyms, or loanword sound skeletons; the
words of a governing body (Board of Regents of X: ``data/cluster/governing_words.tsv``)
weigh little, as they name the applicant X. From that comparison come the named features
(:data:`FEATURES`): the covered share of each name, the spelling of the keys without spaces,
the share matched by each lenient kind, a place word or a compass word one name only has
(ABC America; University of West Florida), rare words that differ (Temple University …,
University of Pittsburgh … of Higher Education), a name of generic words only against one
with a word it lacks (American Technology, American Ozone Technology), legal-form families
(``data/cluster/legal_form_families.tsv``) and name types that conflict, persons, the
scripts of the originals, word counts and lengths. Each feature is computed over the
columns of a whole chunk of compared pairs at once (:class:`PairColumns`,
:func:`feature_matrix`). The fitted model weighs them (``data/cluster/model.tsv``, fitted by
``tools/fit_cluster_model.py``) into a log-odds and a probability.

Hard vetoes decide without the model (:func:`veto`): differing numbers (Fund 1, Fund 2),
unequal short names or acronyms (IBM, IBN), two different acting bodies of one
government or institution (… as represented by the Secretary of the Navy / … of the Army),
and a regional unit or group member (Motorola Japan, Motorola; Samty Holdings, Samty) when
the data's owner keeps those apart (``ClusterOptions.regional_units = "apart"``, the default;
with "together" the model weighs it).
"""

from __future__ import annotations

import math
import re
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

import numpy as np
from rapidfuzz.distance import Indel
from rapidfuzz.fuzz import ratio
from rapidfuzz.process import extractOne

from namecleaner.cluster.features import Units
from namecleaner.cluster.model import MatchModel, read_model, shipped_model_path
from namecleaner.errors import DataFileError
from namecleaner.resources import data_path, read_tsv_table
from namecleaner.stages.match_key import load_glossary
from namecleaner.stages.name_type import PERSON
from namecleaner.workers import collector_paused, pool_map

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
#: A name of generic words only (General Products) names no body when it has at most this
#: many; a longer one is a description specific enough to be a name (Environmental
#: Protection Agency).
GENERIC_NAME_WORDS = 3
#: A word of the body that holds an institution in law (Board of Regents of X, Trustees of
#: X) weighs this share of its inverse document frequency: it names the same applicant as X.
GOVERNING_WEIGHT = 0.25
#: A sound match across scripts (:func:`sound_similarity` at least SOUND_MATCH) over skeletons of
#: SOUND_LONG consonants or more is strong evidence; over SOUND_SHORT or fewer, weak: of the
#: candidate pairs of EDINET and OpenDART at crossed_sound 0.99 or more, 41% and 53% match
#: at three consonants, 86% to 96% at seven or more.
SOUND_MATCH = 0.9
SOUND_LONG, SOUND_SHORT = 6, 3
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
def institution_qualifiers() -> frozenset[str]:
    """Words that make an acting body another institution of its place (``data/cluster/institution_qualifiers.tsv``): state."""
    return _word_list("institution_qualifiers.tsv")


@cache
def group_words() -> frozenset[str]:
    """Words that make a name its group's parent (``data/cluster/group_words.tsv``): group, holding."""
    return _word_list("group_words.tsv")


@cache
def governing_words() -> frozenset[str]:
    """Words of governing bodies (``data/cluster/governing_words.tsv``): board, regent, trustee …."""
    return _word_list("governing_words.tsv")


@cache
def legal_form_families() -> dict[str, str]:
    """Family of each legal-form class (``data/cluster/legal_form_families.tsv``)."""
    table = read_tsv_table(
        data_path("cluster", "legal_form_families.tsv"),
        required_columns=("class", "family"),
    )
    return {row["class"]: row["family"] for row in table.rows}


def _family(form_class: str) -> str:
    return legal_form_families().get(form_class, form_class)


@dataclass(frozen=True)
class ScoreModel:
    """Word document frequencies over all units: the global part of scoring."""

    document_frequency: dict[str, int]
    units: int
    #: the fitted weights of the pair features (None: the shipped ``data/cluster/model.tsv``)
    match: MatchModel | None = None
    #: whether a regional unit is another applicant ("apart": :func:`veto` refuses the pair)
    #: or the same one ("together": the model weighs it), as ``ClusterOptions.regional_units``
    regional_units: str = "apart"
    _weights: dict[str, float] = field(default_factory=dict, repr=False, compare=False)
    _rarest: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_words(
        cls, words: Iterable[tuple[str, ...]], match: MatchModel | None = None, regional_units: str = "apart"
    ) -> ScoreModel:
        """Count, per word, the units that contain it."""
        frequency: Counter[str] = Counter()
        size = 0
        for unit_words in words:
            frequency.update(set(unit_words))
            size += 1
        return cls(dict(frequency), size, match, regional_units)

    @classmethod
    def from_units(cls, units: Units, match: MatchModel | None = None, regional_units: str = "apart") -> ScoreModel:
        return cls.from_words(units.words, match, regional_units)

    @property
    def matcher(self) -> MatchModel:
        """The match model in use: :attr:`match`, else the shipped one."""
        return self.match or shipped_model()

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


class Cover(NamedTuple):
    """How the words of two names cover each other (a named tuple: one is made for every
    compared pair, and a frozen dataclass takes several times longer to make).

    ``shares`` are the IDF-weighted shares of each name's words found in the other;
    ``credit`` the weight matched by each lenient kind of match (:data:`MATCH_KINDS`) over
    the words' total weight in both names; ``uncovered`` the words of each name that the
    other does not cover.
    """

    shares: tuple[float, float]
    credit: dict[str, float]
    uncovered: tuple[list[str], list[str]]


#: Lenient word matches, each counted as a feature.
MATCH_KINDS = ("typo", "shortened", "skeleton", "acronym")


@lru_cache(maxsize=1 << 18)
def _view(words: tuple[str, ...]) -> tuple[str, tuple[str, ...], frozenset[str], tuple[str, ...]]:
    """What a name's cover reads of it, once per name: its initials, its adjacent words
    joined, its words with those joins ("hong kong" covers "hongkong"), and its words of an
    acronym's length."""
    pairs = tuple(a + b for a, b in zip(words, words[1:]))
    acronyms = tuple(w for w in words if ACRONYM_MIN <= len(w) <= ACRONYM_MAX)
    return "".join(w[0] for w in words), pairs, frozenset(words).union(pairs), acronyms


def _word_cover(
    left: tuple[str, ...],
    right: tuple[str, ...],
    model: ScoreModel,
    persons: bool = False,
) -> Cover:
    """How the words of two names cover each other, each word weighing its IDF.

    With ``persons``, sound skeletons join any two words (:func:`_loanword_pair` is for
    organisation words): personal names vary in their vowels when romanised (Hamieh, Hamiyah).
    """
    shares = []
    # the weight matched by each lenient kind, in MATCH_KINDS order
    typo = shortened = skeleton = acronym = 0.0
    everything = 0.0
    uncovered: tuple[list[str], list[str]] = ([], [])
    weights = model._weights
    left_view, right_view = _view(left), _view(right)
    for one, (one_initials, one_pairs, _, _), other, (other_initials, _, others, other_acronyms), missing in (
        (left, left_view, right, right_view, uncovered[0]),
        (right, right_view, left, left_view, uncovered[1]),
    ):
        total = matched = 0.0
        # and the other way round: "glo post" against "glopost" covers both words
        joined: set[int] = set()
        if not others.isdisjoint(one_pairs):  # a word of the other is among them, or a join
            for i, pair in enumerate(one_pairs):
                if pair in other:
                    joined.update((i, i + 1))
        # an acronym covers the words it abbreviates, and they it: nasa, national aeronautic space administration
        abbreviated: set[int] = set()
        if len(one_initials) >= ACRONYM_MIN:
            for short in other_acronyms:
                if (start := one_initials.find(short)) >= 0:
                    abbreviated.update(range(start, start + len(short)))
        for index, word in enumerate(one):
            weight = weights.get(word) or model.weight(word)  # a weight is never 0
            total += weight
            if word in others or index in joined:
                matched += weight
            elif index in abbreviated or (ACRONYM_MIN <= len(word) <= ACRONYM_MAX and word in other_initials):
                matched += weight
                acronym += weight
            else:
                best = (
                    extractOne(word, others, scorer=ratio, score_cutoff=TYPO_RATIO)
                    if len(word) >= TYPO_MIN_LENGTH
                    else None
                )
                if best is not None and abs(len(best[0]) - len(word)) <= TYPO_LENGTH_GAP:
                    matched += weight * best[1] / 100.0
                    typo += weight
                elif len(word) >= SHORTENED_MIN_LENGTH and _shortened_in(word, others):
                    matched += weight * SHORTENED_CREDIT
                    shortened += weight
                elif _skeleton_in(word, others, persons):
                    matched += weight * SKELETON_CREDIT
                    skeleton += weight
                else:
                    missing.append(word)
        everything += total
        shares.append(matched / total if total else 0.0)
    credit = dict(zip(MATCH_KINDS, (typo, shortened, skeleton, acronym)))
    if everything:
        credit = {kind: value / everything for kind, value in credit.items()}
    return Cover((shares[0], shares[1]), credit, uncovered)


def _syllable_set(
    onsets: Iterable[str],
    glides: Iterable[str],
    vowels: Iterable[str],
    codas: Iterable[str],
) -> frozenset[str]:
    """Every onset + glide + vowel + coda spelling (each part may be '' where listed)."""
    return frozenset(o + g + v + c for o in onsets for g in glides for v in vowels for c in codas)


# Japanese (Hepburn) syllables: an onset, an optional y, a vowel; or n. A doubled consonant
# (kk, ss, tch) is a first consonant repeating the next syllable's.
_ROMAJI_BODIES = _syllable_set(("", "sh", "ch", "ts", *"kgsztdnhbpmrwjfy"), ("", "y"), "aeiou", ("",)) | {"n"}
_ROMAJI_SYLLABLES = _ROMAJI_BODIES | frozenset(
    {body[0] + body for body in _ROMAJI_BODIES if body[0] in "kstpgdbhmrjz"}
    | {"t" + body for body in _ROMAJI_BODIES if body.startswith("ch")}
)
# Korean (Revised Romanization) syllables: an onset, a glide, a vowel, a final consonant.
_HANGUL_RR_SYLLABLES = _syllable_set(
    ("", "kk", "tt", "pp", "ss", "jj", "ch", *"gkndrlmbsjhtp"),
    ("", "w", "y"),
    ("ae", "eo", "eu", "oe", "ui", *"aeiou"),
    ("", "ng", *"kntlmp"),
)


@cache
def _longest(syllables: frozenset[str]) -> int:
    return max(map(len, syllables))


def spelled_in(word: str, syllables: frozenset[str]) -> bool:
    """Whether ``word`` is a sequence of the given syllables: a left-to-right pass over the
    positions reachable so far, so time grows linearly with the length (a regex with nested
    quantifiers backtracks exponentially on a near miss such as ``nanana…x``).

    >>> spelled_in("toruku", _ROMAJI_SYLLABLES), spelled_in("torq", _ROMAJI_SYLLABLES), spelled_in("keompyuteo", _HANGUL_RR_SYLLABLES)
    (True, False, True)
    >>> spelled_in("na" * 5000 + "x", _ROMAJI_SYLLABLES)
    False
    """
    if not word:
        return False
    longest = _longest(syllables)
    reachable = [False] * (len(word) + 1)
    reachable[0] = True
    for start in range(len(word)):
        if reachable[start]:
            for end in range(start + 1, min(start + longest, len(word)) + 1):
                if not reachable[end] and word[start:end] in syllables:
                    reachable[end] = True
    return reachable[-1]


def japanese_syllables(word: str) -> bool:
    """Whether a word is written in Japanese (Hepburn) syllables (toruku, kabushiki)."""
    return spelled_in(word, _ROMAJI_SYLLABLES)


def korean_syllables(word: str) -> bool:
    """Whether a word is written in Korean (Revised Romanization) syllables (keompyuteo)."""
    return spelled_in(word, _HANGUL_RR_SYLLABLES)


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


def _shortened_in(word: str, others: frozenset[str]) -> bool:
    """Whether a word is a shortened form of one of the others, or they of it (:func:`_shortened`)."""
    # most words begin none of the others and none begins them: two look-ups say so
    ordered = _ordered(others)
    after = bisect_left(ordered, word)
    if not (word.startswith(ordered) or (after < len(ordered) and ordered[after].startswith(word))):
        return False
    for other in others:
        if (word.startswith(other) or other.startswith(word)) and _shortened(word, other):
            return True
    return False


@lru_cache(maxsize=1 << 16)
def _ordered(words: frozenset[str]) -> tuple[str, ...]:
    """Some words in sorted order: the words that begin with a word follow it."""
    return tuple(sorted(words))


def _skeleton_in(word: str, others: frozenset[str], persons: bool) -> bool:
    """Whether one of the others has the word's sound skeleton (of at least
    :data:`SKELETON_MIN_LENGTH` consonants) and may be its loanword (:func:`_loanword_pair`;
    any two words of persons' names)."""
    # a loanword may come from English as English is spoken or as it is spelt (sport, supotsu;
    # torque, toruku): either skeleton joins; a person's name is not borrowed from English
    skeletons = _skeleton_pair(word)
    spelt = skeletons[0] if len(skeletons[0]) >= SKELETON_MIN_LENGTH else None
    spoken = skeletons[1] if not persons and len(skeletons[1]) >= SKELETON_MIN_LENGTH else None
    # most words share no skeleton with the others: a look-up or two says so
    found_spelt, found_spoken = _skeletons(others)
    if spelt not in found_spelt and spoken not in found_spoken:
        return False
    for other in others:
        their_spelt, their_spoken = _skeleton_pair(other)
        if (spelt == their_spelt or spoken == their_spoken) and (persons or _loanword_pair(word, other)):
            return True
    return False


@lru_cache(maxsize=1 << 16)
def _skeletons(words: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The sound skeletons of some words, as spelt and as English is spoken (:func:`_skeleton_in`)."""
    pairs = [_skeleton_pair(word) for word in words]
    return frozenset(p for p, _ in pairs), frozenset(e for _, e in pairs)


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
    first, second = japanese_syllables(word), japanese_syllables(other)
    if first and second:
        return False
    return word[0] == other[0] or first or second or korean_syllables(word) or korean_syllables(other)


_SOFT_C = re.compile(r"c(?=[eiy])")
_SOFT_G = re.compile(r"g(?=[ei])")
_SKELETON = str.maketrans(
    {
        "l": "r",
        "v": "b",
        "c": "k",
        "q": "k",
        "x": "ks",
        "f": "h",
        "z": "j",
        "w": "",
        "y": "",
        "h": "",
    }
)
_VOWELS = re.compile(r"[aeiou]+")
_NONRHOTIC = re.compile(r"(?<=[aeiou])r(?=[^aeiouy])")
_TI = re.compile(r"t(?=i[ao])")
_DOUBLED = re.compile(r"(.)\1+")


def sound_skeleton(word: str, english: bool = True) -> str:
    """The consonants of a word as a Japanese or Korean loanword spelling keeps them.

    Katakana and Hangul spellings of foreign words add vowels, merge l/r, v/b, f/h and drop
    a final r (computer, konpyuta), so a romanised loanword rarely equals its English
    spelling; their consonant skeletons do. With ``english`` (the default), also what they do
    to English spellings as English is spoken: an r after a vowel and before a consonant is
    silent (curtain, keoteun; market, maketto), ti before a or o is sh (innovation,
    inobeisyeon) and n before k is ng (bank, baengkeu). A person's name, not borrowed from
    English, keeps its r (Farhad is not Fahad).

    >>> [sound_skeleton(w, english=False) for w in ("toruku", "torq", "konpyuta", "computer", "eibekkusu", "avex")]
    ['trk', 'trk', 'knpt', 'knpt', 'bks', 'bks']
    >>> [sound_skeleton(w) for w in ("keoteunwol", "curtainwall", "inobeisyeon", "innovation", "baengkeu", "bank")]
    ['ktnr', 'ktnr', 'nbsn', 'nbsn', 'bnk', 'bnk']
    >>> sound_skeleton("farhad", english=False), sound_skeleton("fahad", english=False)
    ('hrd', 'hd')
    """
    return _skeleton_pair(word)[english]


@lru_cache(maxsize=1 << 18)
def _skeleton_pair(word: str) -> tuple[str, str]:
    """A word's :func:`sound_skeleton` as spelt and as English is spoken, made together."""
    word = (
        _SOFT_G.sub("j", _SOFT_C.sub("s", word))
        .replace("ph", "f")
        .replace("th", "t")
        .replace("sh", "s")
        .replace("ch", "k")
        .replace("mp", "np")
        .replace("mb", "nb")
    )
    spoken = _NONRHOTIC.sub("", _TI.sub("s", word.replace("ngk", "nk")))
    spelt = _consonants(word)
    return spelt, spelt if spoken == word else _consonants(spoken)


def _consonants(word: str) -> str:
    """The skeleton of a word whose letters :func:`_skeleton_pair` has read."""
    # a letter's run as its first letter: a C callable, not a template (\1) that re expands in Python per match
    skeleton = _DOUBLED.sub(itemgetter(1), _VOWELS.sub("", word.translate(_SKELETON)))
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
    left: tuple[str, ...],
    right: tuple[str, ...],
    uncovered: tuple[list[str], list[str]],
    model: ScoreModel,
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


def _rarest(words: tuple[str, ...], model: ScoreModel) -> tuple[str, ...]:
    """The :data:`RARE_WORDS` rarest words of a name, rarest first; once per name (a name meets many others)."""
    rarest = model._rarest.get(words)
    if rarest is None:
        rarest = model._rarest[words] = tuple(sorted(set(words), key=lambda w: (-model.weight(w), w))[:RARE_WORDS])
    return rarest


def _named_extra(
    left: tuple[str, ...],
    right: tuple[str, ...],
    uncovered: tuple[list[str], list[str]],
    model: ScoreModel,
) -> str:
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
        if other_missing and len(generic) <= GENERIC_NAME_WORDS and generic_words().issuperset(generic):
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
    if compass_words().isdisjoint(missing):  # most names: no look further
        return ""
    for index, word in enumerate(words):
        if (
            word in missing
            and word in compass_words()
            and (index + 1 == len(words) or words[index + 1] not in places())
        ):
            return word
    return ""


def _regional_word(left: tuple[str, ...], right: tuple[str, ...], missing: Iterable[str]) -> str:
    """The first of the ``missing`` words (those one name has and the other does not cover)
    that is a place word (:func:`places`) and begins neither name, else '': the mark of a
    regional unit or group member (ABC America beside ABC; Japan Airlines is no unit of Japan)."""
    return next((w for w in missing if w in places() and w not in (left[0], right[0])), "")


def regional_unit(model: ScoreModel, left: tuple[str, ...], right: tuple[str, ...]) -> str:
    """The place word that makes one name a regional unit of the other (:func:`_regional_word`,
    words matched as for the whole name, typos and acronyms included), else ''.

    Whether that unit is the same applicant is the convention of the data's owner, not a
    fact of the names (``ClusterOptions.regional_units``): of the candidate pairs with such
    a word, 1 of 170 match in NBER's gold (PatentsView keeps subsidiaries apart), 74 of 98
    in OFAC's entities (aliases) and 38 of 48 in Fraunhofer's harmonised names.

    >>> m = ScoreModel({"motorola": 2, "japan": 5}, 100)
    >>> regional_unit(m, ("motorola", "japan"), ("motorola",)), regional_unit(m, ("japan", "airline"), ("airline",))
    ('japan', '')
    """
    known = places()
    # a word the other name has as it is is covered: only a place word it lacks can make a unit (most names: none)
    if not any(w in known and w not in right for w in left[1:]) and not any(
        w in known and w not in left for w in right[1:]
    ):
        return ""
    uncovered = _word_cover(left, right, model).uncovered
    return _regional_word(left, right, uncovered[0] + uncovered[1])


def group_member(model: ScoreModel, left: tuple[str, ...], right: tuple[str, ...]) -> str:
    """The group word (:func:`group_words`) that one name has beyond every word of the other,
    its only extra words, else '': a holding company and the company it holds (Samty
    Holdings, Samty) are two legal entities of one group, as a regional unit and its parent
    are, and the data's owner keeps them apart or together (``ClusterOptions.regional_units``).
    A group word inside a joined word of the other name is no extra (VisionaryHoldings).

    >>> m = ScoreModel({"samty": 2, "holding": 9, "chemical": 5}, 100)
    >>> group_member(m, ("samty", "holding"), ("samty",)), group_member(m, ("samty", "chemical", "holding"), ("samty",))
    ('holding', '')
    >>> group_member(m, ("samty", "holding"), ("samtyholdings",))
    ''
    """
    known = group_words()
    # most names: no group word that the other name lacks, no look further
    if not any(w in known and w not in right for w in left) and not any(w in known and w not in left for w in right):
        return ""
    uncovered = _word_cover(left, right, model).uncovered
    for missing, other_missing, other in ((uncovered[0], uncovered[1], right), (uncovered[1], uncovered[0], left)):
        squashed = "".join(other)
        if missing and not other_missing and known.issuperset(missing) and not any(w in squashed for w in missing):
            return missing[0]
    return ""


def _numbers(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w for w in words if _DIGIT.search(w))


class Pair(NamedTuple):
    """Everything the pair features read: the two units and how their words compare (a
    named tuple, as :class:`Cover` is)."""

    left: tuple[str, ...]
    right: tuple[str, ...]
    cover: Cover
    spelling: float
    persons: bool
    #: the rarest word beyond a name of generic words only (:func:`_named_extra`), or ''
    extra: str
    #: a compass word only one name has (:func:`_lone_compass`), or ''
    compass: str
    #: a place word only one name has, after its first word, or ''
    regional: str
    #: a rare word of each name missing from the other (:func:`_distinct_rare_words`), or None
    distinct: tuple[str, str] | None
    classes: tuple[str | None, str | None]
    types: tuple[str | None, str | None]
    #: the scripts of the two originals (ISO 15924), None when unknown
    scripts: tuple[str | None, str | None]
    #: the Indel similarity of the two keys' sound skeletons, spaces left out (:func:`sound_similarity`)
    sound: float = 0.0
    #: the consonants of the shorter skeleton (:func:`sound_consonants`)
    sound_consonants: int = 0

    @property
    def crossed(self) -> bool:
        """Whether the two originals are written in different scripts (a romanised match)."""
        return None not in self.scripts and self.scripts[0] != self.scripts[1]


def _class_conflict(pair: Pair) -> float:
    """1 when the legal-form classes are of different families (a company and a partnership)."""
    first, second = pair.classes
    return float(bool(first and second and _family(first) != _family(second)))


def _type_conflict(pair: Pair) -> float:
    """1 when the name types differ (a person and an organisation)."""
    first, second = pair.types
    return float(bool(first and second and first != second))


@dataclass(frozen=True)
class PairColumns:
    """Compared pairs as columns, one row per pair: what the features read, so that each
    feature is computed for a whole chunk of pairs at once (:func:`feature_matrix`)."""

    #: the covered share of each name (:attr:`Cover.shares`), shape (pairs, 2)
    shares: np.ndarray
    #: the weight matched by each lenient kind, in :data:`MATCH_KINDS` order, shape (pairs, 4)
    credit: np.ndarray
    #: words and letters (spaces left out) of each name, shape (pairs, 2)
    words: np.ndarray
    letters: np.ndarray
    #: one value per pair: the spelling similarity, then 1.0 / 0.0 flags
    spelling: np.ndarray
    persons: np.ndarray
    extra: np.ndarray
    compass: np.ndarray
    regional: np.ndarray
    distinct: np.ndarray
    class_conflict: np.ndarray
    type_conflict: np.ndarray
    crossed: np.ndarray
    sound: np.ndarray
    sound_consonants: np.ndarray

    @staticmethod
    def values(pair: Pair) -> tuple[float, ...]:
        """What the columns read of one compared pair, as a flat tuple of numbers (so that a
        chunk keeps tuples of floats, which the garbage collector stops tracking, rather than
        thousands of live pairs, which slowed every collection)."""
        return (
            *pair.cover.shares,
            # a cover's credit is keyed in MATCH_KINDS order (_word_cover)
            *pair.cover.credit.values(),
            len(pair.left),
            len(pair.right),
            sum(map(len, pair.left)),
            sum(map(len, pair.right)),
            pair.spelling,
            pair.persons,
            bool(pair.extra) and not pair.persons,
            bool(pair.compass),
            bool(pair.regional),
            pair.distinct is not None,
            _class_conflict(pair),
            _type_conflict(pair),
            pair.crossed,
            pair.sound,
            pair.sound_consonants,
        )

    @classmethod
    def of(cls, rows: Sequence[tuple[float, ...]] | np.ndarray) -> PairColumns:
        """The columns of some compared pairs' :meth:`values` (or of an array of them, one row per pair)."""
        table = np.asarray(rows, dtype=np.float64).reshape(len(rows), -1)
        kinds = len(MATCH_KINDS)
        # the fields in their order, as values() lays them out: shares, credit, words, letters, spelling, then the flags
        flags = [table[:, column] for column in range(7 + kinds, table.shape[1])]
        return cls(
            table[:, 0:2],
            table[:, 2 : 2 + kinds],
            table[:, 2 + kinds : 4 + kinds],
            table[:, 4 + kinds : 6 + kinds],
            table[:, 6 + kinds],
            *flags,
        )


def _length_ratio(c: PairColumns) -> np.ndarray:
    """Letters of the shorter key over those of the longer one, spaces left out."""
    longer = c.letters.max(axis=1)
    return np.divide(c.letters.min(axis=1), longer, out=np.zeros(len(longer)), where=longer > 0)


#: The named pair features, in the order of the model's weights: each a pure function of the
#: columns of compared pairs (:class:`PairColumns`), one value per pair, with its description
#: (the model table's third column).
FEATURES: dict[str, tuple[Callable[[PairColumns], np.ndarray], str]] = {
    "cover_low": (
        lambda c: c.shares.min(axis=1),
        "IDF-weighted share of the less-covered name's words found in the other",
    ),
    "cover_high": (
        lambda c: c.shares.max(axis=1),
        "IDF-weighted share of the better-covered name's words found in the other",
    ),
    "spelling": (
        lambda c: c.spelling,
        "rapidfuzz Indel similarity of the keys without spaces",
    ),
    "typo": (
        lambda c: c.credit[:, MATCH_KINDS.index("typo")],
        "share of the word weight matched as typos (ratio >= 84, five letters or more)",
    ),
    "shortened": (
        lambda c: c.credit[:, MATCH_KINDS.index("shortened")],
        "share of the word weight matched as shortened words (techno, technology)",
    ),
    "skeleton": (
        lambda c: c.credit[:, MATCH_KINDS.index("skeleton")],
        "share of the word weight matched by sound skeleton (loanwords: toruku, torq)",
    ),
    "acronym": (
        lambda c: c.credit[:, MATCH_KINDS.index("acronym")],
        "share of the word weight matched as an acronym and its words",
    ),
    "generic_extra": (
        lambda c: c.extra,
        "one name is generic words only and the other has a word it lacks",
    ),
    "compass": (
        lambda c: c.compass,
        "a compass word in one name only (University of West Florida)",
    ),
    "place": (
        lambda c: c.regional,
        "a place word in one name only, after its first word (a regional unit)",
    ),
    "distinct_rare": (
        lambda c: c.distinct,
        "a rare word of each name is missing from the other (organisations)",
    ),
    "legal_form_conflict": (
        lambda c: c.class_conflict,
        "legal-form classes of different families (data/cluster/legal_form_families.tsv)",
    ),
    "name_type_conflict": (lambda c: c.type_conflict, "the name types differ"),
    "person": (lambda c: c.persons, "either name is a person's"),
    "person_cover": (
        lambda c: c.shares.min(axis=1) * c.persons,
        "cover_low when either name is a person's",
    ),
    "crossed_script": (
        lambda c: c.crossed,
        "the originals are written in different scripts",
    ),
    "crossed_cover": (
        lambda c: c.shares.min(axis=1) * c.crossed,
        "cover_low when the originals are in different scripts",
    ),
    "crossed_spelling": (
        lambda c: c.spelling * c.crossed,
        "spelling when the originals are in different scripts",
    ),
    "crossed_sound": (
        lambda c: c.sound * c.crossed,
        "similarity of the keys' sound skeletons when the originals are in different scripts (sunopiku, snow peak)",
    ),
    "crossed_sound_long": (
        lambda c: c.crossed * (c.sound >= SOUND_MATCH) * (c.sound_consonants >= SOUND_LONG),
        f"crossed_sound at least {SOUND_MATCH:g} over skeletons of {SOUND_LONG} consonants or more (keoteunwol, curtainwall)",
    ),
    "crossed_sound_short": (
        lambda c: c.crossed * (c.sound >= SOUND_MATCH) * (c.sound_consonants <= SOUND_SHORT),
        f"crossed_sound at least {SOUND_MATCH:g} over a skeleton of {SOUND_SHORT} consonants or fewer (bubang, ubang)",
    ),
    "token_gap": (
        lambda c: np.minimum(np.abs(c.words[:, 0] - c.words[:, 1]), 3) / 3,
        "difference of the word counts (at most 3), over 3",
    ),
    "one_word": (
        lambda c: (c.words.min(axis=1) == 1).astype(np.float64),
        "the shorter name is one word",
    ),
    "length_ratio": (_length_ratio, "letters of the shorter key over the longer one's"),
}
#: Comparison levels, as splink has: the log-odds of a match does not grow evenly with the
#: word cover, the spelling or the sound across scripts (0.9 to 1.0 says far more than 0.5 to
#: 0.6: a loanword's whole skeleton, keoteunwol and curtainwall, against a few shared
#: consonants), so each of these features also gets an indicator per level, "value at least
#: t", with its own weight.
LEVELS: dict[str, tuple[float, ...]] = {
    "cover_low": (0.5, 0.7, 0.8, 0.9, 0.99),
    "cover_high": (0.7, 0.9, 0.99),
    "spelling": (0.6, 0.7, 0.8, 0.9),
    "crossed_sound": (0.8, 0.9, 0.99),
}


def _at_least(name: str, level: float) -> Callable[[PairColumns], np.ndarray]:
    function = FEATURES[name][0]
    return lambda columns: (function(columns) >= level).astype(np.float64)


_BASE_FUNCTIONS = tuple(function for function, _ in FEATURES.values())
_LEVEL_OF = tuple((list(FEATURES).index(name), level) for name, levels in LEVELS.items() for level in levels)
FEATURES.update(
    {
        f"{name}>={level:g}": (_at_least(name, level), f"{name} at least {level:g}")
        for name, levels in LEVELS.items()
        for level in levels
    }
)
FEATURE_NAMES = tuple(FEATURES)


@cache
def shipped_model() -> MatchModel:
    """The fitted model shipped with the package (``data/cluster/model.tsv``)."""
    return read_model(shipped_model_path(), FEATURE_NAMES)


def read_match_model(path: str | Path) -> MatchModel:
    """A match model table of one's own (``namecleaner model fit``), checked against this
    version's features; a missing or malformed file is a one-line :class:`DataFileError`."""
    if not Path(path).is_file():
        raise DataFileError(
            path,
            ["no such model file (write one with 'namecleaner model fit LABELS -o FILE')"],
        )
    return read_model(path, FEATURE_NAMES)


@dataclass(frozen=True)
class PairScore:
    """A pair's match probability, the feature values behind it, or the veto that decided."""

    score: float
    #: feature values in :data:`FEATURE_NAMES` order; empty when equality or a veto decided
    values: tuple[float, ...] = ()
    veto: str = ""

    def feature(self, name: str) -> float:
        """The value of one named feature (0 when a veto or equality decided)."""
        return self.values[FEATURE_NAMES.index(name)] if self.values else 0.0

    def describe(self) -> str:
        """One line: the probability, or what decided without the model.

        >>> PairScore(0.0, veto="numbers differ").describe()
        'probability 0.000: veto, numbers differ'
        """
        if self.veto:
            return f"probability {self.score:.3f}: {'veto' if self.score == 0 else 'decided'}, {self.veto}"
        return f"probability {self.score:.3f}"

    def waterfall(self, match: MatchModel) -> list[str]:
        """The log-odds built up feature by feature (those that contribute), then the probability."""
        if not self.values:
            return [self.describe()]
        lines = [f"{'(intercept)':<22}{match.intercept:+8.3f}"]
        total = match.intercept
        for name, contribution in match.contributions(self.values):
            if contribution:
                total += contribution
                lines.append(
                    f"{name:<22}{contribution:+8.3f}  (value {self.feature(name):.3f}; running log-odds {total:+.3f})"
                )
        lines.append(f"{'log-odds':<22}{total:+8.3f}  -> probability {self.score:.3f}")
        return lines


def compare(
    model: ScoreModel,
    left: tuple[str, ...],
    right: tuple[str, ...],
    classes: tuple[str | None, str | None] = (None, None),
    types: tuple[str | None, str | None] = (None, None),
    scripts: tuple[str | None, str | None] = (None, None),
) -> Pair:
    """Compare two units' words (the costly part of scoring, done once per pair)."""
    persons = PERSON in types
    crossed = None not in scripts and scripts[0] != scripts[1]  # as Pair.crossed: the originals' scripts differ
    cover = _word_cover(left, right, model, persons)
    uncovered = cover.uncovered
    missing = uncovered[0] + uncovered[1]
    return Pair(
        left,
        right,
        cover,
        spelling=Indel.normalized_similarity("".join(left), "".join(right)),
        persons=persons,
        extra=_named_extra(left, right, uncovered, model),
        compass=_lone_compass(left, uncovered[0]) or _lone_compass(right, uncovered[1]),
        regional=_regional_word(left, right, missing),
        # persons' rarest words are often romanisation variants of one name (Hamieh, Hameiah)
        distinct=None if persons else _distinct_rare_words(left, right, uncovered, model),
        classes=classes,
        types=types,
        scripts=scripts,
        sound=sound_similarity(left, right) if crossed else 0.0,
        sound_consonants=sound_consonants(left, right) if crossed else 0,
    )


def sound_similarity(left: tuple[str, ...], right: tuple[str, ...]) -> float:
    """The Indel similarity of two keys' sound skeletons, spaces left out: a katakana or Hangul
    loanword is one word where its source has several (スノーピーク sunopiku, snow peak), so the
    words' skeletons do not meet, but the names' do.

    >>> round(sound_similarity(("sunopiku",), ("snow", "peak")), 2), round(sound_similarity(("properst",), ("puropasuto",)), 2)
    (1.0, 1.0)
    """
    first, second = "".join(left), "".join(right)
    return max(
        Indel.normalized_similarity(sound_skeleton(first, english), sound_skeleton(second, english))
        for english in (False, True)
    )


def sound_consonants(left: tuple[str, ...], right: tuple[str, ...]) -> int:
    """The consonants of the shorter of two keys' sound skeletons (as spelt, spaces left out):
    how much a sound match says. Three agree by chance (bubang, ubang: bbng, bng), seven
    rarely (keoteunwol, curtainwall).

    >>> sound_consonants(("bubang",), ("ubang",)), sound_consonants(("pns", "curtainwall"), ("pien", "s", "keoteunwol"))
    (3, 7)
    """
    return min(len(sound_skeleton("".join(left), english=False)), len(sound_skeleton("".join(right), english=False)))


def feature_matrix(pairs: Sequence[Pair | tuple[float, ...]] | np.ndarray) -> np.ndarray:
    """The named features of compared pairs (or their :meth:`PairColumns.values`, also as the rows of an array), one row per
    pair in :data:`FEATURE_NAMES` order, each feature computed over all the pairs at once (the
    level indicators from the values already computed: the same as their functions, once).

    >>> m = ScoreModel({"acme": 2, "tools": 30}, 100)
    >>> rows = feature_matrix([compare(m, ("acme", "tools"), ("acme", "tool")), compare(m, ("acme",), ("acme", "tools"))])
    >>> rows.shape == (2, len(FEATURE_NAMES)), [round(float(v), 3) for v in rows[:, FEATURE_NAMES.index("one_word")]]
    (True, [0.0, 1.0])
    """
    if len(pairs) == 0:
        return np.zeros((0, len(FEATURE_NAMES)))
    rows = (
        pairs if isinstance(pairs, np.ndarray) else [PairColumns.values(p) if isinstance(p, Pair) else p for p in pairs]
    )
    columns = PairColumns.of(rows)
    base = [function(columns) for function in _BASE_FUNCTIONS]
    levels = [(base[index] >= level).astype(np.float64) for index, level in _LEVEL_OF]
    return np.column_stack([*base, *levels])


def pair_features(pair: Pair) -> tuple[float, ...]:
    """The named features of one compared pair, in :data:`FEATURE_NAMES` order (:func:`feature_matrix`)."""
    return tuple(feature_matrix([pair])[0].tolist())


#: Words of a match key after which the acting body of a government or an institution is
#: named: "as represented by", "on behalf of", "acting by and through" (the glossary drops
#: as, by, on, of, and).
ACTING_MARKERS = frozenset({"represented", "behalf", "through"})


def acting_body(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words naming the acting body: those after the last acting marker, else ().

    >>> acting_body(("america", "represented", "secretary", "navy")), acting_body(("university", "utah",))
    (('secretary', 'navy'), ())
    """
    marks = [i for i, word in enumerate(words) if word in ACTING_MARKERS]
    return words[marks[-1] + 1 :] if marks else ()


def _acting_bodies_differ(model: ScoreModel, left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    """Whether both names name an acting body (:func:`acting_body`) and each has a word the
    other lacks (typos, shortened words and acronyms matched as for the whole name) that is
    not a generic word (:func:`generic_words`): the governing body (The United States of
    America, a Board of Regents) is shared by many applicants, so the acting body decides
    (the Secretary of the Navy, of the Army). One acting body inside the other (… Space
    Administration, … Administration) is left to the model: vetoing any extra word split 94
    more gold-matching NBER pairs (leave-out pairwise F1 0.918 -> 0.860); unless the other's
    only extra words include an institution qualifier (:func:`institution_qualifiers`:
    University of Utah, Utah State University), which names another institution of the place."""
    if ACTING_MARKERS.isdisjoint(left) or ACTING_MARKERS.isdisjoint(right):  # most names: no look further
        return False
    first, second = acting_body(left), acting_body(right)
    if not (first and second) or first == second:
        return False
    uncovered = _word_cover(first, second, model).uncovered
    if not (uncovered[0] and uncovered[1]):
        return not institution_qualifiers().isdisjoint(uncovered[0] or uncovered[1])
    return all(any(word not in generic_words() for word in missing) for missing in uncovered)


def veto(model: ScoreModel, left: tuple[str, ...], right: tuple[str, ...]) -> str:
    """Hard evidence that decides a pair without the model, or '': unequal short names or
    acronyms (IBM, IBN), differing numbers (Fund 1, Fund 2), two different acting bodies
    of governments or institutions (… as represented by the Secretary of the Navy / … of the
    Army; … on behalf of the University of Utah / … of Utah State University), and, when the
    data's owner keeps them apart (:attr:`ScoreModel.regional_units`), a regional unit
    (:func:`regional_unit`: Motorola Japan, Motorola) or a group member (:func:`group_member`:
    Samty Holdings, Samty).

    >>> m = ScoreModel({"secretary": 3, "navy": 1, "army": 1}, 100)
    >>> veto(m, ("fund", "1"), ("fund", "2")), veto(m, ("ibm",), ("ibn",)), veto(m, ("acme",), ("acme", "co"))
    ('numbers differ', 'short name or acronym: only an equal key joins', '')
    >>> veto(m, ("america", "represented", "secretary", "navy"), ("america", "represented", "secretary", "army"))
    "acting bodies differ ('secretary navy', 'secretary army')"
    >>> together = ScoreModel(m.document_frequency, m.units, regional_units="together")
    >>> veto(m, ("motorola", "japan"), ("motorola",)), veto(together, ("motorola", "japan"), ("motorola",))
    ("regional unit ('japan' in one name only; regional_units = 'apart')", '')
    """
    squashed_left, squashed_right = "".join(left), "".join(right)
    if min(len(squashed_left), len(squashed_right)) <= SHORT_KEY:
        return "short name or acronym: only an equal key joins"
    if (_DIGIT.search(squashed_left) or _DIGIT.search(squashed_right)) and _numbers(left) != _numbers(right):
        return "numbers differ"
    if _acting_bodies_differ(model, left, right):
        return f"acting bodies differ ('{' '.join(acting_body(left))}', '{' '.join(acting_body(right))}')"
    if model.regional_units == "apart" and (place := regional_unit(model, left, right)):
        return f"regional unit ('{place}' in one name only; regional_units = 'apart')"
    if model.regional_units == "apart" and (group := group_member(model, left, right)):
        return f"group member ('{group}' in one name only; regional_units = 'apart')"
    return ""


def score_pair(
    model: ScoreModel,
    left: tuple[str, ...],
    right: tuple[str, ...],
    left_class: str | None = None,
    right_class: str | None = None,
    left_type: str | None = None,
    right_type: str | None = None,
    left_script: str | None = None,
    right_script: str | None = None,
) -> PairScore:
    """The match probability of two units from their words, legal-form classes, name types
    and scripts (a pure function): equal keys match, a veto (:func:`veto`) decides, else the
    fitted model (:attr:`ScoreModel.matcher`) weighs the named features.

    >>> m = ScoreModel({"abc": 3, "america": 1, "motorola": 2, "international": 40}, 100)
    >>> score_pair(m, ("motorola",), ("motorola", "international")).score > 0.5
    True
    >>> score_pair(m, ("abc",), ("abc", "america")).score < 0.5
    True
    >>> score_pair(m, ("ibm",), ("ibn",)).describe()
    'probability 0.000: veto, short name or acronym: only an equal key joins'
    """
    decided, reason = decide(model, left, right)
    if decided is not None:
        return PairScore(decided, veto=reason)
    values = pair_features(
        compare(model, left, right, (left_class, right_class), (left_type, right_type), (left_script, right_script))
    )
    return PairScore(model.matcher.probability(values), values)


def decide(model: ScoreModel, left: tuple[str, ...], right: tuple[str, ...]) -> tuple[float | None, str]:
    """The probability of a pair decided without the model and why: 1 for equal keys (also
    without spaces), 0 for a veto (:func:`veto`); else (None, '')."""
    if left == right:
        return 1.0, ""
    if "".join(left) == "".join(right):
        return 1.0, "equal without spaces"
    refused = veto(model, left, right)
    return (0.0, refused) if refused else (None, "")


def score_units(model: ScoreModel, units: Units, left: int, right: int) -> PairScore:
    """Score two units of a :class:`Units` table by number."""
    scripts = units.scripts
    return score_pair(
        model,
        units.words[left],
        units.words[right],
        units.legal_form_class[left],
        units.legal_form_class[right],
        units.name_type[left],
        units.name_type[right],
        scripts[left],
        scripts[right],
    )


def compare_units(model: ScoreModel, units: Units, left: int, right: int) -> Pair:
    """:func:`compare` two units of a :class:`Units` table by number."""
    scripts = units.scripts
    return compare(
        model,
        units.words[left],
        units.words[right],
        (units.legal_form_class[left], units.legal_form_class[right]),
        (units.name_type[left], units.name_type[right]),
        (scripts[left], scripts[right]),
    )


def unit_scores(model: ScoreModel, units: Units, pairs: Sequence[tuple[int, int]]) -> list[float]:
    """The probabilities of some pairs of units by number, each exactly that of
    :func:`score_units`: the features of all the compared pairs at once (one
    :func:`feature_matrix` instead of one each), then each pair's log-odds as for one pair.

    >>> from namecleaner.cluster.features import build_units
    >>> units = build_units(["acme tool", "acme tools", "motorola"], ["Acme Tool", "Acme Tools", "Motorola"])
    >>> m = ScoreModel.from_units(units)
    >>> unit_scores(m, units, [(0, 1), (0, 2)]) == [score_units(m, units, 0, 1).score, score_units(m, units, 0, 2).score]
    True
    """
    words = units.words
    scores: list[float] = []
    compared: list[Pair] = []
    positions: list[int] = []
    for left, right in pairs:
        decided, _ = decide(model, words[left], words[right])
        if decided is None:
            positions.append(len(scores))
            compared.append(compare_units(model, units, left, right))
            decided = 0.0
        scores.append(decided)
    if compared:
        match = model.matcher
        for position, values in zip(positions, feature_matrix(compared).tolist()):
            scores[position] = match.probability(values)
    return scores


def score_edges(
    model: ScoreModel,
    units: Units,
    pairs: np.ndarray,
    floor: float,
    *,
    workers: int = 1,
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
    """The edges of some pairs, in pair order: the decided ones as they are, the others'
    features weighed all at once (one matrix product for the chunk)."""
    model, units, floor = work
    words = units.words
    values: list[float] = []
    weighed: list[int] = []
    # the compared pairs' values in one flat buffer: no object per pair left for the collector to walk
    compared = array("d")
    with collector_paused():
        pairs = pairs.reshape(-1, 2)  # also no pairs at all
        lefts, rights = pairs[:, 0].tolist(), pairs[:, 1].tolist()
        for left, right in zip(lefts, rights):
            value, _ = decide(model, words[left], words[right])
            if value is None:
                compared.extend(PairColumns.values(compare_units(model, units, left, right)))
                weighed.append(len(values))
                value = 0.0
            values.append(value)
        if compared:
            match = model.matcher
            # a row-wise sum, not a matrix product: BLAS rounds a row differently with the chunk's size,
            # and the scores of a pair must not depend on how the pairs were split over the workers
            rows = np.frombuffer(compared, dtype=np.float64).reshape(len(weighed), -1)
            odds = (feature_matrix(rows) * np.asarray(match.weights)).sum(axis=1) + match.intercept
            for position, probability in zip(weighed, (1.0 / (1.0 + np.exp(-odds))).tolist()):
                values[position] = probability
        return [(left, right, value) for left, right, value in zip(lefts, rights, values) if value >= floor]
