"""The match model table: reading, checks, a deterministic fit, and the shipped table reproducible."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from namecleaner.cluster.model import MatchModel, fit, read_model
from namecleaner.cluster.score import FEATURE_NAMES, FEATURES, shipped_model
from namecleaner.config import ClusterOptions
from namecleaner.errors import DataFileError

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NAMECLEANER_SHARED_DATA", ROOT.parent / "shared" / "data"))


def test_the_shipped_model_has_every_feature_and_its_threshold_is_the_default() -> None:
    model = shipped_model()
    assert model.features == FEATURE_NAMES
    assert ClusterOptions().threshold == model.threshold == model.threshold_for("apart")
    # one threshold per regional-units convention, each the default strictness under it
    assert ClusterOptions(regional_units="together").threshold == model.threshold_for("together") != model.threshold
    assert ClusterOptions(strictness=0.7, regional_units="together").threshold == 0.7
    for key in ("source", "command", "fitted", "threshold_rule"):
        assert model.metadata[key]


def test_a_written_model_reads_back(tmp_path) -> None:
    model = MatchModel(
        FEATURE_NAMES, tuple(float(i) for i in range(len(FEATURE_NAMES))), -1.5, 0.4, {"id": "own", "version": "1"}
    )
    path = tmp_path / "model.tsv"
    model.to_tsv(path, {name: text for name, (_, text) in FEATURES.items()})
    again = read_model(path, FEATURE_NAMES)
    assert (again.weights, again.intercept, again.threshold) == (model.weights, model.intercept, model.threshold)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda text: text.replace("# threshold: 0.4", "# threshold: 2"), "must be a probability"),
        (lambda text: text.replace("spelling\t", "spellingx\t"), "features missing: spelling"),
        (lambda text: text.replace("\t-1.500000\t", "\tabc\t"), "weight 'abc' is not a number"),
        (
            lambda text: text.replace("# threshold: 0.4", "# threshold_together: x\n# threshold: 0.4"),
            "'threshold_together' must be a probability between 0 and 1, not 'x'",
        ),
    ],
    ids=["threshold", "unknown-feature", "weight", "convention-threshold"],
)
def test_a_malformed_model_is_refused_with_its_problem(tmp_path, change, message) -> None:
    model = MatchModel(FEATURE_NAMES, tuple(0.0 for _ in FEATURE_NAMES), -1.5, 0.4, {"id": "own", "version": "1"})
    path = tmp_path / "model.tsv"
    model.to_tsv(path, {})
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        read_model(path, FEATURE_NAMES)


def test_the_fit_is_deterministic() -> None:
    rng = np.random.default_rng(3)
    rows = rng.random((200, 3))
    labels = (rows[:, 0] + 0.3 * rng.random(200) > 0.6).astype(int)
    first = fit(rows, labels, ("a", "b", "c"), 0.5, {})
    assert first == fit(rows, labels, ("a", "b", "c"), 0.5, {})
    assert first.weights[0] > abs(first.weights[1])  # the informative feature weighs most
