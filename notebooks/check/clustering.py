"""Self-checks for ``05_clustering_quality``."""

from __future__ import annotations

import numbers
from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from check import CheckFailed, expect_columns, expect_pair, expect_type, passed, require
from check._data import read_csv
from namecleaner.cluster.overrides import read_overrides
from namecleaner.errors import DataFileError

DATA_FILE = "assignee_variants.csv"
NOTEBOOKS = Path(__file__).resolve().parent.parent
TOLERANCE = 1e-6


@cache
def _variants() -> pd.DataFrame:
    return read_csv(DATA_FILE)


@cache
def _clusters(strictness: float | None = None, overrides: str | None = None) -> pd.Series:
    """The clusters at a strictness (the configuration's default for None), with an overrides file."""
    options = {k: v for k, v in (("strictness", strictness), ("overrides", overrides)) if v is not None}
    return _variants()["name"].names.cluster(**options)["cluster_id"]


def _pairs(labels: Sequence[Any]) -> int:
    return sum(n * (n - 1) // 2 for n in Counter(labels).values())


def precision_recall(predicted: Sequence[Any], gold: Sequence[Any]) -> tuple[float, float]:
    """Pairwise precision and recall: of the pairs put together, and of the pairs that belong together."""
    together = _pairs(list(zip(predicted, gold)))
    return together / _pairs(predicted), together / _pairs(gold)


def _number(task: int, value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise CheckFailed(task, f"{what} should be a number between 0 and 1, not a {type(value).__name__}.")
    return float(value)


def task_1(answer: Any) -> None:
    """Pairwise precision and recall at the default strictness."""
    require(1, answer, "answer_1")
    expect_pair(1, answer, "precision, recall")
    precision, recall = (_number(1, a, "each value") for a in answer)
    truth = precision_recall(_clusters().tolist(), _variants()["entity"].tolist())
    if abs(precision - truth[1]) < TOLERANCE and abs(recall - truth[0]) < TOLERANCE:
        raise CheckFailed(1, "the two numbers are swapped: precision first, then recall.")
    for value, right, what in ((precision, truth[0], "precision"), (recall, truth[1], "recall")):
        if abs(value - right) > TOLERANCE:
            hint = "divide by the pairs namecleaner put together" if what == "precision" else "divide by the pairs the gold puts together"
            raise CheckFailed(1, f"the {what} is not right yet: count the pairs in the same cluster and the same gold entity, then {hint}.")
    passed(1, f"precision {truth[0]:.1%}: of the pairs put together, that many belong together; recall {truth[1]:.1%}: of the pairs that belong together, that many were found.")


def task_2(answer: Any) -> None:
    """The name of the cluster with the most spellings."""
    require(2, answer, "answer_2")
    expect_type(2, answer, str, "a cluster name (a string)")
    clustered = _variants()["name"].names.cluster()
    sizes = clustered.groupby("cluster_id").size()
    names = set(clustered.loc[clustered["cluster_id"].isin(sizes.index[sizes == sizes.max()]), "cluster_name"])
    if answer in set(_variants()["name"]) and answer not in names:
        raise CheckFailed(2, "that is a spelling, not the name of the largest cluster; read the `cluster_name` column.")
    if answer not in names:
        raise CheckFailed(2, "that is not the name of the cluster with the most spellings; count rows per `cluster_id`.")
    passed(2, f"the largest cluster has {sizes.max()} spellings; its name is the most typical of them, not the first one met.")


def task_3(answer: Any) -> None:
    """Precision and recall over a range of strictness values."""
    require(3, answer, "answer_3")
    expect_type(3, answer, pd.DataFrame, "a DataFrame with columns strictness, precision and recall")
    expect_columns(3, answer, ("strictness", "precision", "recall"))
    if len(answer) < 5:
        raise CheckFailed(3, f"{len(answer)} strictness values are too few to see the trade-off; use at least five, from 0 to 1.")
    values = sorted(float(s) for s in answer["strictness"])
    if values[0] > 0.05 or values[-1] < 0.95:
        raise CheckFailed(3, "cover the whole range of strictness, from 0 to 1.")
    for strictness in (values[0], values[len(values) // 2], values[-1]):
        row = answer.loc[answer["strictness"].astype(float) == strictness].iloc[0]
        truth = precision_recall(_clusters(strictness).tolist(), _variants()["entity"].tolist())
        if abs(float(row["precision"]) - truth[0]) > TOLERANCE or abs(float(row["recall"]) - truth[1]) > TOLERANCE:
            raise CheckFailed(3, f"the row for strictness {strictness:g} is not right; compute it as in Task 1 with `.names.cluster(strictness=...)`.")
    passed(3, "precision rises and recall falls as the strictness grows: no setting is best for everything.")


def task_4(answer: Any, sweep: Any) -> None:
    """The strictness with the best F1 in the participant's own sweep."""
    require(4, answer, "answer_4")
    if sweep is None:
        raise CheckFailed(4, "solve Task 3 first: this task reads its table.")
    strictness = _number(4, answer, "the strictness")
    f1 = 2 * sweep["precision"] * sweep["recall"] / (sweep["precision"] + sweep["recall"])
    best = float(sweep["strictness"].iloc[int(f1.to_numpy().argmax())])
    if abs(strictness - best) > TOLERANCE:
        raise CheckFailed(4, "that is not the strictness with the highest F1 in your table; F1 = 2·P·R / (P + R).")
    passed(4, f"F1 peaks at strictness {best:g} ({f1.max():.1%}). If a false merge costs you more than a missed one, choose a higher strictness.")


def task_5(answer: Any) -> None:
    """The cluster that mixes the most gold entities."""
    require(5, answer, "answer_5")
    expect_type(5, answer, str, "a cluster id (a string starting with NC)")
    frame = pd.DataFrame({"cluster_id": _clusters().to_numpy(), "entity": _variants()["entity"]})
    mixing = frame.groupby("cluster_id")["entity"].nunique()
    if answer not in mixing.index:
        raise CheckFailed(5, "that is not a cluster id of the run at the default strictness; ids look like NC1a2b3c….")
    if mixing[answer] < mixing.max():
        raise CheckFailed(5, f"that cluster mixes {mixing[answer]} gold entities; another mixes more.")
    passed(5, f"this cluster holds {mixing.max()} gold entities. Look at its names: is the gold right, or the clustering?")


def task_6(answer: Any) -> None:
    """An overrides file that improves the clusters."""
    require(6, answer, "answer_6")
    expect_type(6, answer, (str, Path), "the path of your overrides file")
    path = Path(answer) if Path(answer).is_absolute() else NOTEBOOKS / answer
    if not path.exists():
        raise CheckFailed(6, f"there is no file {answer}; write the overrides file first.")
    try:
        decisions = read_overrides(path)
    except DataFileError as error:
        raise CheckFailed(6, f"the overrides file has {len(error.problems)} problem(s): {error.problems[0]}") from None
    if not decisions.names():
        raise CheckFailed(6, "the file holds no decision yet; add a cannot_link or must_link line.")
    gold = _variants()["entity"].tolist()
    before = precision_recall(_clusters().tolist(), gold)
    after = precision_recall(_clusters(None, str(path)).tolist(), gold)
    if after == before:
        raise CheckFailed(6, "the clusters did not change; write the names exactly as they appear in the data.")
    if after[0] + after[1] < before[0] + before[1]:
        raise CheckFailed(6, "your decisions made the clusters worse against the gold; check which names you linked.")
    passed(6, f"precision {before[0]:.1%} → {after[0]:.1%}, recall {before[1]:.1%} → {after[1]:.1%}. The decision is data: it applies on every future run, to every spelling with the same key.")
