"""Step 2 of clustering: candidate pairs from blocking keys. All pairs are never compared.

Each unit emits a few blocking keys (:func:`blocking_keys`, a map): the first and last four
letters of its rarest words (a typo spoils at most one of the two), the start of its key
without spaces (spacing variants) and the sound skeleton of its rarest word (loanwords:
furonteia, frontier). Units sharing a key form a block, and every block is
handled on its own (:func:`block_pairs`), so blocks partition across machines:

* a small block gives all its pairs;
* a large block gives sorted-neighbourhood pairs (each unit with its next few neighbours
  in key order and in reversed-key order);
* a block larger than :data:`MAX_BLOCK` is a key too common to tell anything and is skipped
  (its units have other keys).

:func:`block_candidates` then keeps, in each block, the pairs whose cosine of sparse
character 3-gram TF-IDF vectors (scikit-learn; vocabulary and weights fitted once over all
keys, a reduce, :func:`fit_vectors`) reaches a floor (:func:`prefilter`), and of those each
unit's :data:`NEIGHBOURS` best in the block (:func:`nearest`). A pair found in several blocks
is kept once, with its best rank on each side (a unit sits in about eight blocks, and a
quarter of the pairs are found more than once). :func:`select` then caps each unit at its
:data:`CANDIDATES` best over all its blocks: first the best of each block, then the second
best..., ties by cosine. A block's best are diverse (the variants sharing a given name, those
sharing a family name), so they come first; the cap bounds the pairs to score by a number per
name, as string_grouper's top-n does, so they grow linearly with the names however dense the
file. The block step is a pure function of each block (blocks partition across machines,
:mod:`namecleaner.dask.cluster`); the cap is one pass over every block's pairs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

import numpy as np
import scipy.sparse as sp
from rapidfuzz.distance import Indel
from rapidfuzz.process import cpdist

from namecleaner.cluster.features import Units
from namecleaner.cluster.score import SKELETON_MIN_LENGTH, ScoreModel, sound_skeleton
from namecleaner.workers import pool_map

#: Words of a unit that emit blocking keys: its rarest ones.
RARE_WORDS = 3
#: Letters of a word (from each end) and of the space-free key that make a blocking key.
WORD_LETTERS = 4
SQUASHED_LETTERS = 6
#: Consonants of the space-free key's sound skeleton that make a blocking key.
SOUND_LETTERS = 4
#: Sound-skeleton similarity that makes a candidate pair of keys whose letters differ
#: (a loanword and its source: kowonpeullei, cowon play).
MIN_SOUND = 0.8
#: Blocks up to this size give all their pairs; larger ones sorted-neighbourhood pairs.
ALL_PAIRS_BLOCK = 32
WINDOW = 6
#: Blocks larger than this are skipped as uninformative.
MAX_BLOCK = 1_000
#: TF-IDF cosine floor for a candidate pair.
MIN_COSINE = 0.5
#: Pairs each unit keeps in a block: its best by cosine.
NEIGHBOURS = 4
#: Pairs each unit keeps over all its blocks (:func:`select`).
CANDIDATES = 6
_PAIR_CHUNK = 500_000


def blocking_keys(words: tuple[str, ...], model: ScoreModel, sound: bool = False) -> list[str]:
    """The blocking keys of one unit (a pure function of its words and the word weights);
    with ``sound``, also the start of the space-free key's sound skeleton, which a loanword
    written as one word shares with its source of several (sunopiku, snow peak).

    >>> m = ScoreModel({"motorola": 2, "solution": 30}, 100)
    >>> blocking_keys(("motorola", "solution"), m)
    ['k:mtr', 's:motoro', 'w:moto', 'w:rola', 'w:solu', 'w:tion']
    >>> blocking_keys(("frontier",), m)[0], blocking_keys(("furonteia",), m)[0]
    ('k:hrnt', 'k:hrnt')
    >>> blocking_keys(("sunopiku",), m, sound=True)[1], blocking_keys(("snow", "peak"), m, sound=True)[0]
    ('q:snpk', 'q:snpk')
    """
    rare = sorted(set(words), key=lambda w: (-model.weight(w), w))[:RARE_WORDS]
    keys = {"s:" + "".join(words)[:SQUASHED_LETTERS]}
    for word in rare:
        keys.add("w:" + word[:WORD_LETTERS])
        if len(word) > WORD_LETTERS:
            keys.add("w:" + word[-WORD_LETTERS:])
    # both sound skeletons (sound_skeleton: English as spoken and as spelt)
    for english in (False, True):
        skeleton = sound_skeleton(rare[0], english) if rare else ""
        if len(skeleton) >= SKELETON_MIN_LENGTH:
            keys.add("k:" + skeleton)
        squashed = sound_skeleton("".join(words), english) if sound else ""
        if len(squashed) >= SKELETON_MIN_LENGTH:
            keys.add("q:" + squashed[:SOUND_LETTERS])
    return sorted(keys)


def romanised(units: Units) -> np.ndarray:
    """Whether each unit's name is written in a script other than Latin (its key romanised)."""
    return np.array([script not in (None, "Latn") for script in units.scripts], dtype=bool)


def blocks(units: Units, model: ScoreModel) -> dict[str, list[int]]:
    """Unit numbers by blocking key, for keys shared by at least two units; the sound keys
    only in a file with romanised names (:func:`romanised`), where they find loanwords."""
    sound = bool(romanised(units).any())
    grouped: dict[str, list[int]] = {}
    for number, words in enumerate(units.words):
        for key in blocking_keys(words, model, sound):
            grouped.setdefault(key, []).append(number)
    return {key: members for key, members in grouped.items() if len(members) > 1}


def fit_vectors(keys: list[str]) -> sp.csr_matrix:
    """Character 3-gram TF-IDF vectors (L2-normalised rows) of the keys, fitted over all of them.

    >>> fit_vectors([]).shape
    (0, 0)
    """
    if not keys:  # nothing to cluster: no vocabulary to fit
        return sp.csr_matrix((0, 0), dtype=np.float32)
    # imported here: scikit-learn takes most of a second to import, which `clean` without --cluster never needs
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 3), sublinear_tf=True, dtype=np.float32, lowercase=False
    )
    return vectorizer.fit_transform(keys).tocsr()


def block_pairs(members: list[int], keys: list[str]) -> np.ndarray:
    """Candidate pairs (low, high) of one block: all pairs, or sorted-neighbourhood windows.

    A large block is sorted by key and by reversed key; each unit pairs with its
    :data:`WINDOW` next neighbours in both orders, so a difference at the start or at the
    end of a name still leaves its variants close.

    >>> block_pairs([2, 0, 1], ["acme", "acme tools", "zeta"]).tolist()
    [[0, 1], [0, 2], [1, 2]]
    """
    ids = np.asarray(sorted(members), dtype=np.int64)
    size = len(ids)
    if size > MAX_BLOCK or size < 2:
        return np.empty((0, 2), dtype=np.int64)
    if size <= ALL_PAIRS_BLOCK:
        return ids[_upper_pairs(size)]
    found = []
    for order in (
        sorted(ids.tolist(), key=lambda u: (keys[u], u)),
        sorted(ids.tolist(), key=lambda u: (keys[u][::-1], u)),
    ):
        ordered = np.asarray(order, dtype=np.int64)
        ahead = np.arange(size)[:, None] + np.arange(1, WINDOW + 1)
        within = ahead < size
        left, right = np.broadcast_to(ordered[:, None], ahead.shape)[within], ordered[ahead[within]]
        found.append(np.stack([np.minimum(left, right), np.maximum(left, right)], axis=1))
    return np.concatenate(found)


@cache
def _upper_pairs(size: int) -> np.ndarray:
    """Positions (i, j), i < j, of all pairs in a block of ``size``."""
    return np.stack(np.triu_indices(size, k=1), axis=1)


#: A block's pairs and their cosines, and the rank (0 for the best) of each pair among the
#: pairs of its low and of its high unit (columns 0 and 1).
Candidates = tuple[np.ndarray, np.ndarray, np.ndarray]


def candidate_pairs(
    groups: Iterable[list[int]],
    keys: list[str],
    vectors: sp.csr_matrix,
    *,
    workers: int = 1,
    romanised: np.ndarray | None = None,
) -> np.ndarray:
    """The candidate pairs of all blocks, sorted: those each block keeps (:func:`block_candidates`),
    each unit capped at its :data:`CANDIDATES` best over all blocks (:func:`select`)."""
    return select(block_candidates(groups, keys, vectors, workers=workers, romanised=romanised))


def unit_candidates(units: Units, model: ScoreModel, *, workers: int = 1) -> np.ndarray:
    """The candidate pairs of a whole :class:`Units` table (:func:`candidate_pairs` over its
    :func:`blocks`, with its TF-IDF vectors and which keys are :func:`romanised`). The blocks
    and the vectors are independent passes over all units: with ``workers`` > 1, two processes
    make them at once."""
    found, vectors = pool_map(_blocks_or_vectors, (units, model), ("blocks", "vectors"), workers)
    # the TF-IDF vectors are large on millions of keys: no reference outlives the candidates
    return candidate_pairs(iter_blocks(found), units.keys, vectors, workers=workers, romanised=romanised(units))


def _blocks_or_vectors(work: tuple[Units, ScoreModel], which: str) -> Any:
    """The :func:`blocks` or the :func:`fit_vectors` of some units (:func:`unit_candidates`)."""
    units, model = work
    return blocks(units, model) if which == "blocks" else fit_vectors(units.keys)


def block_candidates(
    groups: Iterable[list[int]],
    keys: list[str],
    vectors: sp.csr_matrix,
    *,
    workers: int = 1,
    romanised: np.ndarray | None = None,
) -> Candidates:
    """The distinct pairs some blocks keep (:func:`prefilter` and :func:`nearest` in each
    block), sorted, with their cosines and best ranks.

    A pure function of the blocks given: the candidates of any split of the blocks, merged by
    :func:`merge`, are those of all the blocks. Blocks are handled in batches of about
    :data:`_BATCH_MEMBERS` members, so memory stays small; with ``workers`` > 1, in forked
    processes (blocks are independent). ``romanised`` (:func:`romanised`) says which keys are
    romanised, for the sound rule of :func:`prefilter`.
    """
    batches = list(_batches(groups))
    crossing = np.zeros(len(keys), dtype=bool) if romanised is None else romanised
    work = (batches, keys, vectors, (sound_skeletons(keys), crossing))
    return merge(pool_map(_batch_candidates, work, range(len(batches)), workers))


def select(candidates: Candidates, limit: int | None = None) -> np.ndarray:
    """The pairs (sorted) among the ``limit`` (default :data:`CANDIDATES`) best of either of
    their units over all blocks: lowest rank first, then best cosine, then the other unit's number.

    >>> pairs = np.array([[0, 1], [0, 2], [0, 3], [1, 2]])
    >>> ranks = np.array([[1, 0], [0, 1], [2, 0], [1, 0]])
    >>> select((pairs, np.array([0.9, 0.8, 0.7, 0.6]), ranks), 1).tolist()
    [[0, 1], [0, 2], [0, 3], [1, 2]]
    >>> select((pairs, np.array([0.9, 0.8, 0.7, 0.6]), np.zeros((4, 2), dtype=int)), 1).tolist()
    [[0, 1], [0, 2], [0, 3]]
    """
    pairs, cosines, ranks = candidates
    limit = CANDIDATES if limit is None else limit
    return pairs[_ranked(pairs, cosines, limit, ranks)[0]]


_BATCH_MEMBERS = 50_000
_Work = tuple[list[list[list[int]]], list[str], sp.csr_matrix, tuple[list[str], np.ndarray]]


def _batches(groups: Iterable[list[int]]) -> Iterator[list[list[int]]]:
    batch: list[list[int]] = []
    size = 0
    for members in groups:
        batch.append(members)
        size += len(members)
        if size >= _BATCH_MEMBERS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _batch_candidates(work: _Work, number: int) -> Candidates:
    """The candidates of one batch of blocks (:func:`block_candidates`)."""
    batches, keys, vectors, sounds = work
    blocks = [pairs for pairs in (block_pairs(members, keys) for members in batches[number]) if len(pairs)]
    if not blocks:
        return _no_candidates()
    pairs = np.concatenate(blocks)
    block = np.repeat(np.arange(len(blocks)), [len(b) for b in blocks])
    # a pair's cosine once, however many blocks of the batch find it
    codes, inverse = np.unique(pairs[:, 0] * len(keys) + pairs[:, 1], return_inverse=True)
    cosines = pair_cosines(np.stack([codes // len(keys), codes % len(keys)], axis=1), vectors)[inverse]
    keep = prefilter(pairs, cosines, sounds)
    pairs, block, cosines = pairs[keep], block[keep], cosines[keep]
    chosen, ranks = nearest(pairs, block, cosines)
    return merge([(pairs[chosen], cosines[chosen], ranks[chosen])])


def _no_candidates() -> Candidates:
    return np.empty((0, 2), dtype=np.int64), np.empty(0, dtype=np.float32), np.empty((0, 2), dtype=np.int64)


def nearest(
    pairs: np.ndarray, block: np.ndarray, cosines: np.ndarray, neighbours: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Which pairs are among the ``neighbours`` (default :data:`NEIGHBOURS`) best of either of
    their units within their block (best cosine first, ties by the other unit's number), and
    each pair's rank for its low and its high unit.

    >>> pairs = np.array([[0, 1], [0, 2], [0, 3], [1, 2]])
    >>> chosen, ranks = nearest(pairs, np.zeros(4, dtype=int), np.array([0.9, 0.8, 0.7, 0.6]), 1)
    >>> chosen.tolist(), ranks.tolist()
    ([True, True, True, False], [[0, 0], [1, 0], [2, 0], [1, 1]])
    """
    neighbours = NEIGHBOURS if neighbours is None else neighbours
    return _ranked(pairs, cosines, neighbours, groups=block)


def _ranked(
    pairs: np.ndarray,
    cosines: np.ndarray,
    limit: int,
    ranks: np.ndarray | None = None,
    groups: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Which pairs are among the ``limit`` first of either unit (in each group) in the order
    (rank, best cosine, other unit), and each pair's place in that order for its low and high unit."""
    count = len(pairs)
    unit = np.concatenate([pairs[:, 0], pairs[:, 1]])
    other = np.concatenate([pairs[:, 1], pairs[:, 0]])
    keys = [other, -np.concatenate([cosines, cosines])]
    if ranks is not None:
        keys.append(np.concatenate([ranks[:, 0], ranks[:, 1]]))
    keys.append(unit)
    group = None if groups is None else np.concatenate([groups, groups])
    if group is not None:
        keys.append(group)
    order = np.lexsort(keys)
    unit = unit[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = unit[1:] != unit[:-1]
    if group is not None:
        first[1:] |= group[order][1:] != group[order][:-1]
    starts = np.flatnonzero(first)
    place = np.empty(len(order), dtype=np.int64)
    place[order] = np.arange(len(order)) - np.repeat(starts, np.diff(np.append(starts, len(order))))
    chosen = np.zeros(count, dtype=bool)
    chosen[order[place[order] < limit] % count] = True
    return chosen, np.stack([place[:count], place[count:]], axis=1)


def merge(parts: Iterable[Candidates]) -> Candidates:
    """Candidates of several blocks or batches of blocks as one: each pair once, sorted, with
    its cosine (the same in every block that finds it) and its best rank on each side.

    >>> one = (np.array([[2, 5], [0, 1]]), np.array([0.5, 0.9]), np.array([[0, 3], [2, 1]]))
    >>> pairs, cosines, ranks = merge([one, (np.array([[0, 1]]), np.array([0.9]), np.array([[1, 4]]))])
    >>> pairs.tolist(), cosines.tolist(), ranks.tolist()
    ([[0, 1], [2, 5]], [0.9, 0.5], [[1, 1], [0, 3]])
    """
    parts = [part for part in parts if len(part[0])]
    if not parts:
        return _no_candidates()
    pairs = np.concatenate([p for p, _, _ in parts])
    cosines = np.concatenate([c for _, c, _ in parts])
    ranks = np.concatenate([r for _, _, r in parts])
    width = int(pairs.max()) + 1
    codes = pairs[:, 0] * width + pairs[:, 1]
    order = np.argsort(codes, kind="stable")
    codes = codes[order]
    starts = np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1])))
    return (
        np.stack([codes[starts] // width, codes[starts] % width], axis=1),
        cosines[order][starts],
        np.minimum.reduceat(ranks[order], starts, axis=0),
    )


def pair_cosines(pairs: np.ndarray, vectors: sp.csr_matrix) -> np.ndarray:
    """TF-IDF cosine of each pair, computed row-wise in chunks."""
    out = np.empty(len(pairs), dtype=np.float32)
    for start in range(0, len(pairs), _PAIR_CHUNK):
        chunk = pairs[start : start + _PAIR_CHUNK]
        out[start : start + len(chunk)] = np.asarray(
            vectors[chunk[:, 0]].multiply(vectors[chunk[:, 1]]).sum(axis=1)
        ).ravel()
    return out


def prefilter(pairs: np.ndarray, cosines: np.ndarray, sounds: tuple[list[str], np.ndarray]) -> np.ndarray:
    """Which pairs reach :data:`MIN_COSINE`, or have keys of one sound skeleton, or, for a
    romanised key and a Latin one, of sound skeletons reaching :data:`MIN_SOUND` (``sounds``:
    :func:`sound_skeletons` and :func:`romanised`): a loanword and its English spelling share
    few letter 3-grams (peullaentek, plantec; sokettsu, socket).

    >>> sounds = (["prntk", "prntk", "skts", "skt"], np.array([True, False, True, False]))
    >>> prefilter(np.array([[0, 1], [0, 3], [2, 3]]), np.array([0.2, 0.2, 0.2]), sounds).tolist()
    [True, False, True]
    """
    skeletons, crossing = sounds
    keep = cosines >= MIN_COSINE
    rest = np.flatnonzero(~keep)
    left = [skeletons[i] for i in pairs[rest, 0].tolist()]
    right = [skeletons[i] for i in pairs[rest, 1].tolist()]
    # a skeleton too short to tell ('') matches nothing
    told = np.array([bool(a and b) for a, b in zip(left, right)], dtype=bool)
    crossed = crossing[pairs[rest, 0]] != crossing[pairs[rest, 1]]
    similar = np.zeros(len(rest), dtype=bool)
    chosen = np.flatnonzero(crossed & told)
    if len(chosen):
        found = cpdist([left[i] for i in chosen], [right[i] for i in chosen], scorer=Indel.normalized_similarity)
        similar[chosen] = np.asarray(found) >= MIN_SOUND
    keep[rest] = told & (similar | (np.array(left, dtype=object) == np.array(right, dtype=object)))
    return keep


def sound_skeletons(keys: list[str]) -> list[str]:
    """The sound skeleton of each space-free key; '' for skeletons too short to tell.

    >>> sound_skeletons(["peullaentek", "plan tec", "ab"])
    ['prntk', 'prntk', '']
    """
    skeletons = [sound_skeleton(key.replace(" ", "")) for key in keys]
    return [s if len(s) >= SKELETON_MIN_LENGTH else "" for s in skeletons]


def iter_blocks(grouped: dict[str, list[int]]) -> Iterator[list[int]]:
    """Blocks in key order (the order does not change the result, only makes runs repeatable)."""
    for key in sorted(grouped):
        yield grouped[key]
