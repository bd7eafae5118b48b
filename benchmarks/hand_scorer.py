"""The hand-set pair scorer clustering used before the fitted match model (issue 13), kept as the baseline the model must beat.

It is ``namecleaner/cluster/score.py`` as it was before the model (``git show 040678d^:namecleaner/cluster/score.py``):
0.7 × word cover + 0.3 × spelling, where the word cover is 0.7 × the less-covered share + 0.3 × the other (0.5 / 0.5
when one name's words are all in the other); capped at 0.4 by a generic-only name with a word more, a lone compass
word, a lone trailing place word or two distinct rare words, at 0.3 by differing numbers; 0.15 off for each conflict of
legal-form families or name types; 0 for short keys. It reads the same word comparison as the model
(:func:`namecleaner.cluster.score.compare`, whose cover and lenient matches are the old ones), so the two differ only in
how the evidence is weighed. A strictness ``s`` merged at 0.47 + 0.4 s with the veto floor 0.3 below.

:func:`hand_figures` clusters a dev set at every strictness of :data:`STRICTNESS_GRID` with the current assignment
(its member-pair rescoring done by this scorer too), so the benchmark can report the scorer at the strictness chosen
on the *other* sets (leave-one-dataset-out) and at its own best single strictness.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from namecleaner.cluster.assign import Thresholds, assign  # noqa: E402
from namecleaner.cluster.features import Units  # noqa: E402
from namecleaner.cluster.score import (  # noqa: E402
    _DIGIT,
    SHORT_KEY,
    ScoreModel,
    _class_conflict,
    _numbers,
    _type_conflict,
    compare,
)

if TYPE_CHECKING:
    from fit_cluster_model import DevSet

#: The strictnesses tried (the old default was 0.5: merge at 0.67).
STRICTNESS_GRID = tuple(round(0.05 * i, 2) for i in range(0, 21))
CAP, NUMBER_CAP, CONFLICT_PENALTY = 0.4, 0.3, 0.15


def thresholds(strictness: float) -> Thresholds:
    """The old merge rule of a strictness.

    >>> thresholds(0.5)
    Thresholds(merge=0.67, veto=0.37)
    """
    merge = round(0.47 + 0.4 * strictness, 4)
    return Thresholds(merge=merge, veto=round(merge - 0.3, 4))


def hand_score(model: ScoreModel, units: Units, left: int, right: int) -> float:
    """The old score of two units by number."""
    words_left, words_right = units.words[left], units.words[right]
    if words_left == words_right or "".join(words_left) == "".join(words_right):
        return 1.0
    squashed_left, squashed_right = "".join(words_left), "".join(words_right)
    if min(len(squashed_left), len(squashed_right)) <= SHORT_KEY:
        return 0.0
    pair = compare(
        model,
        words_left,
        words_right,
        (units.legal_form_class[left], units.legal_form_class[right]),
        (units.name_type[left], units.name_type[right]),
    )
    low, high = min(pair.cover.shares), max(pair.cover.shares)
    cover = 0.7 * low + 0.3 * high if high < 0.97 else 0.5 * low + 0.5 * high
    score = 0.7 * cover + 0.3 * pair.spelling
    if (not pair.persons and pair.extra) or pair.compass or pair.regional or pair.distinct:
        score = min(score, CAP)
    if (_DIGIT.search(squashed_left) or _DIGIT.search(squashed_right)) and _numbers(words_left) != _numbers(
        words_right
    ):
        score = min(score, NUMBER_CAP)
    score -= CONFLICT_PENALTY * (_class_conflict(pair) + _type_conflict(pair))
    return max(score, 0.0)


@contextmanager
def _assign_rescoring_with(scorer: Callable[[ScoreModel, Units, int, int], float]) -> Iterator[None]:
    """The assignment's member-pair rescoring done by ``scorer`` (the old assignment used the old scorer)."""
    with mock.patch.object(
        importlib.import_module("namecleaner.cluster.assign"),
        "unit_scores",
        lambda m, u, pairs: [scorer(m, u, a, b) for a, b in pairs],
    ):
        yield


def hand_figures(dev: DevSet) -> dict[float, dict[str, float]]:
    """Pairwise and B-cubed figures of one dev set clustered with the hand scorer, at each strictness."""
    from bench_cluster_quality import scores

    edges = [(a, b, hand_score(dev.words, dev.units, a, b)) for a, b in dev.pairs.tolist()]
    index = dev.units.index
    out = {}
    with _assign_rescoring_with(hand_score):
        for strictness in STRICTNESS_GRID:
            rule = thresholds(strictness)
            clusters = assign(dev.units, dev.words, [e for e in edges if e[2] >= rule.veto], rule).cluster_of()
            predicted = [
                clusters[index[k]] if isinstance(k, str) and k in index else f"none{i}" for i, k in enumerate(dev.keys)
            ]
            out[strictness] = scores(predicted, dev.gold)
    return out


def best_strictness(figures: list[dict[float, dict[str, float]]]) -> float:
    """The strictness with the best mean pairwise F1 over some sets' figures (ties: the lower)."""
    return max(STRICTNESS_GRID, key=lambda s: (sum(f[s]["pair_f1"] for f in figures), -s))
