"""The match model: fitted weights that turn a pair's named features into a probability.

The pair score is a logistic regression over the features of :mod:`namecleaner.cluster.score`:
its log-odds is the intercept plus, for each feature, weight × value, so every feature's
contribution can be shown (a waterfall, as in splink's match-weight chart) and the
probability is calibrated on labelled pairs. The weights are data, not code:
``data/cluster/model.tsv``, a TSV with metadata (training sets, their sizes, the date, the
fitting command, the default threshold, and one per regional-units convention where it
differs: ``threshold_together``), written by ``tools/fit_cluster_model.py`` or
``namecleaner model fit`` (a user's own labelled pairs).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import get_args

import numpy as np

from namecleaner.config import RegionalUnits
from namecleaner.errors import DataFileError
from namecleaner.resources import data_path, read_tsv_table

#: The row of the table that holds the intercept.
INTERCEPT = "(intercept)"
#: The L2 penalty of the fit (scikit-learn's C): mild, so that a feature few training pairs
#: show keeps a small weight.
REGULARISATION = 1.0


def logit(probability: float) -> float:
    """Log-odds of a probability (clipped away from 0 and 1).

    >>> round(logit(0.5), 3), round(logit(0.9), 3)
    (0.0, 2.197)
    """
    probability = min(max(probability, 1e-12), 1 - 1e-12)
    return math.log(probability / (1 - probability))


def sigmoid(log_odds: float) -> float:
    """Probability of a log-odds.

    >>> sigmoid(0.0), round(sigmoid(2.197), 3)
    (0.5, 0.9)
    """
    if log_odds >= 0:
        return 1.0 / (1.0 + math.exp(-log_odds))
    odds = math.exp(log_odds)
    return odds / (1.0 + odds)


@dataclass(frozen=True)
class MatchModel:
    """Weights of the named pair features, the intercept and the default match threshold.

    >>> m = MatchModel(("words", "spelling"), (4.0, 2.0), -3.0, 0.5)
    >>> round(m.probability((1.0, 0.5)), 3)
    0.881
    >>> m.contributions((1.0, 0.5))
    [('words', 4.0), ('spelling', 1.0)]
    """

    features: tuple[str, ...]
    weights: tuple[float, ...]
    intercept: float
    #: the match-probability threshold that maximised the mean leave-one-dataset-out F1
    threshold: float
    metadata: Mapping[str, str] = field(default_factory=dict, compare=False)

    def log_odds(self, values: Sequence[float]) -> float:
        """Intercept plus the weighted feature values."""
        return self.intercept + sum([w * v for w, v in zip(self.weights, values)])

    def probability(self, values: Sequence[float]) -> float:
        """The match probability of a pair's feature values (in :attr:`features` order)."""
        return sigmoid(self.log_odds(values))

    def threshold_for(self, regional_units: str) -> float:
        """The default threshold under a regional-units convention (``ClusterOptions.regional_units``):
        the table's ``threshold_<convention>`` when it has one, else :attr:`threshold`.

        >>> m = MatchModel((), (), 0.0, 0.5, {"threshold_together": "0.15"})
        >>> m.threshold_for("together"), m.threshold_for("apart")
        (0.15, 0.5)
        """
        return float(self.metadata.get(f"threshold_{regional_units}", self.threshold))

    def contributions(self, values: Sequence[float]) -> list[tuple[str, float]]:
        """Each feature's contribution to the log-odds (weight × value), in feature order."""
        return [(name, w * v) for name, w, v in zip(self.features, self.weights, values)]

    def to_tsv(self, path: str | Path, descriptions: Mapping[str, str]) -> None:
        """Write the model as a TSV with its metadata (one ``# key: value`` line each)."""
        lines = [f"# {key}: {value}" for key, value in self.metadata.items()]
        lines.append(f"# threshold: {self.threshold:g}")
        lines.append("feature\tweight\tdescription")
        lines.append(f"{INTERCEPT}\t{self.intercept:.6f}\tlog-odds of a pair whose features are all 0")
        lines.extend(
            f"{name}\t{weight:.6f}\t{descriptions.get(name, '')}" for name, weight in zip(self.features, self.weights)
        )
        Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_model(path: str | Path, expected: Sequence[str]) -> MatchModel:
    """Read a model table; its features must be exactly ``expected`` (the scorer's), in any order.

    Raises :class:`DataFileError` naming the file and what is wrong.
    """
    table = read_tsv_table(
        path,
        required_columns=("feature", "weight"),
        required_metadata=("id", "version", "threshold"),
    )
    problems: list[str] = []
    weights: dict[str, float] = {}
    for row, line in zip(table.rows, table.line_numbers):
        try:
            weights[row["feature"]] = float(row["weight"])
        except ValueError:
            problems.append(f"line {line}: weight '{row['weight']}' is not a number")
        if row["feature"] in weights and not math.isfinite(weights[row["feature"]]):
            problems.append(f"line {line}: weight '{row['weight']}' is not finite")
    threshold = _number(table.metadata["threshold"])
    if not 0.0 < threshold < 1.0:
        problems.append(
            f"metadata 'threshold' must be a probability between 0 and 1, not '{table.metadata['threshold']}'"
        )
    for convention in get_args(RegionalUnits):
        value = table.metadata.get(f"threshold_{convention}", "0.5")
        if not 0.0 < _number(value) < 1.0:
            problems.append(f"metadata 'threshold_{convention}' must be a probability between 0 and 1, not '{value}'")
    missing = [name for name in (INTERCEPT, *expected) if name not in weights]
    unknown = [name for name in weights if name != INTERCEPT and name not in expected]
    if missing:
        problems.append(f"features missing: {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown features: {', '.join(unknown)} (this version scores: {', '.join(expected)})")
    if problems:
        raise DataFileError(Path(path), problems)
    metadata = {k: v for k, v in table.metadata.items() if k != "threshold"}
    return MatchModel(
        tuple(expected),
        tuple(weights[name] for name in expected),
        weights[INTERCEPT],
        threshold,
        metadata,
    )


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.nan


@cache
def shipped_model_path() -> Path:
    """The model shipped with the package (``data/cluster/model.tsv``)."""
    return data_path("cluster", "model.tsv")


def fit(
    rows: np.ndarray,
    labels: np.ndarray,
    features: Sequence[str],
    threshold: float,
    metadata: Mapping[str, str],
    sample_weight: np.ndarray | None = None,
) -> MatchModel:
    """Fit the logistic regression (scikit-learn, deterministic lbfgs) on labelled pairs.

    ``rows`` holds one row of feature values per pair, ``labels`` 1 for the same applicant.
    """
    from sklearn.linear_model import LogisticRegression

    if len(set(labels.tolist())) < 2:
        raise ValueError("the labelled pairs need both matches and non-matches to fit a model")
    regression = LogisticRegression(C=REGULARISATION, max_iter=5000, tol=1e-8)
    regression.fit(rows, labels, sample_weight=sample_weight)
    weights = tuple(round(float(w), 6) for w in regression.coef_[0])
    return MatchModel(
        tuple(features),
        weights,
        round(float(regression.intercept_[0]), 6),
        threshold,
        dict(metadata),
    )
