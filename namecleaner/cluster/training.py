"""A match model of one's own: fit it on labelled pairs, and pick the pairs worth labelling.

An office improves its clustering in a loop: ``namecleaner model review cleaned.csv -n 50``
writes the candidate pairs the model is least sure of (:func:`review_pairs`); a person fills
in their ``same`` column; ``namecleaner model fit labels.tsv -o model.tsv`` fits the
logistic regression on them (:func:`fit_labelled`) and prints its cross-validated figures;
``--model model.tsv`` then clusters with it.

Labels are a TSV or CSV with columns ``name_a, name_b, same`` (1/0, yes/no, true/false), or
an overrides file (``must_link`` lines are matches, ``cannot_link`` lines non-matches).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from namecleaner.cluster import candidates
from namecleaner.cluster.features import KEY_COLUMN, units_from_frame
from namecleaner.cluster.model import MatchModel, fit, logit
from namecleaner.cluster.overrides import read_overrides
from namecleaner.cluster.score import (
    FEATURE_NAMES,
    ScoreModel,
    compare_units,
    feature_matrix,
    score_edges,
    veto,
)
from namecleaner.errors import DataFileError
from namecleaner.resources import read_data_text

#: Spellings of a label.
YES, NO = (
    frozenset({"1", "yes", "y", "true", "same"}),
    frozenset({"0", "no", "n", "false", "different"}),
)
#: Folds of the cross-validation that :func:`fit_labelled` reports.
FOLDS = 5
#: Each class needs at least this many pairs the model decides (not equal keys or vetoed).
MIN_PER_CLASS = 5
#: Thresholds tried for the one that maximises the cross-validated F1.
GRID = tuple(round(0.05 * i, 2) for i in range(2, 19))


@dataclass(frozen=True)
class Labelled:
    """Labelled pairs of names."""

    left: tuple[str, ...]
    right: tuple[str, ...]
    same: tuple[bool, ...]
    source: str


def read_labels(path: str | Path) -> Labelled:
    """Labelled pairs from a ``name_a, name_b, same`` table or an overrides file; every bad
    line is reported at once, with its number.

    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp(); path = os.path.join(folder, "labels.tsv")
    >>> _ = open(path, "w").write("name_a\\tname_b\\tsame\\nAcme Inc\\tACME\\tyes\\nAcme\\tZeta\\t0\\n")
    >>> read_labels(path).same
    (True, False)
    """
    text = read_data_text(path)
    header = text.splitlines()[0] if text else ""
    if header.split("\t")[:3] == ["action", "name", "other"]:
        decided = read_overrides(path)
        pairs = [(a, b, True) for a, b in decided.must_link] + [(a, b, False) for a, b in decided.cannot_link]
    else:
        delimiter = "\t" if "\t" in header else ","
        frame = pd.read_csv(path, sep=delimiter, dtype=str, keep_default_na=False, comment=None)
        missing = [c for c in ("name_a", "name_b", "same") if c not in frame.columns]
        if missing:
            raise DataFileError(
                path,
                [
                    f"line 1: column(s) {', '.join(missing)} missing; a labels file has name_a, name_b, same (or is an overrides file)"
                ],
            )
        pairs, problems = [], []
        for line, (a, b, same) in enumerate(zip(frame["name_a"], frame["name_b"], frame["same"]), start=2):
            label = same.strip().lower()
            if not label:
                continue  # not labelled yet (a review file half filled in)
            if label not in YES | NO:
                problems.append(f"line {line}: same is '{same}', not one of 1/0, yes/no, true/false")
            elif not a.strip() or not b.strip():
                problems.append(f"line {line}: a pair needs two names")
            else:
                pairs.append((a, b, label in YES))
        if problems:
            raise DataFileError(path, problems)
    if not pairs:
        raise DataFileError(path, ["no labelled pairs"])
    left, right, same = zip(*pairs)
    return Labelled(left, right, same, str(path))


def _pair_rows(labels: Labelled, frame: pd.DataFrame, regional_units: str) -> tuple[np.ndarray, np.ndarray, int]:
    """Feature rows and labels of the pairs the model decides; also how many the keys or a veto
    decide (under the labels' regional-unit convention: with "apart" such pairs are vetoed)."""
    units = units_from_frame(frame)
    words = ScoreModel.from_units(units, regional_units=regional_units)
    index = units.index
    keys = frame[KEY_COLUMN].tolist()
    size = len(labels.left)
    compared, targets, decided = [], [], 0
    for number, same in enumerate(labels.same):
        a, b = keys[number], keys[size + number]
        if not (isinstance(a, str) and isinstance(b, str) and a and b):
            decided += 1
            continue
        left, right = index[a], index[b]
        if (
            a == b
            or "".join(units.words[left]) == "".join(units.words[right])
            or veto(words, units.words[left], units.words[right])
        ):
            decided += 1
            continue
        compared.append(compare_units(words, units, left, right))
        targets.append(int(same))
    return (
        feature_matrix(compared),
        np.asarray(targets),
        decided,
    )


def fit_labelled(
    labels: Labelled, frame: pd.DataFrame, command: str, regional_units: str = "apart"
) -> tuple[MatchModel, list[str]]:
    """Fit a model on labelled pairs; ``frame`` is the cleaned ``left + right`` names (in that
    order), ``regional_units`` the labels' convention (``ClusterOptions.regional_units``).
    Returns the model, its threshold the one with the best F1 over :data:`FOLDS`-fold
    cross-validated probabilities, and lines reporting those held-out figures."""
    from sklearn.metrics import average_precision_score, brier_score_loss
    from sklearn.model_selection import StratifiedKFold

    rows, targets, decided = _pair_rows(labels, frame, regional_units)
    counts = np.bincount(targets, minlength=2) if len(targets) else np.zeros(2, dtype=int)
    if counts.min() < MIN_PER_CLASS:
        problem = (
            f"{counts[1]} matching and {counts[0]} different pairs left for the model"
            f" ({decided} decided by equal keys or a veto); it needs at least {MIN_PER_CLASS} of each"
        )
        raise DataFileError(labels.source, [problem])
    held_out = np.zeros(len(targets))
    folds = StratifiedKFold(n_splits=min(FOLDS, int(counts.min())), shuffle=True, random_state=0)
    for train, test in folds.split(rows, targets):
        held_out[test] = [fit(rows[train], targets[train], FEATURE_NAMES, 0.5, {}).probability(r) for r in rows[test]]

    def f1(threshold: float) -> tuple[float, float, float]:
        predicted = held_out >= threshold
        tp = float(np.sum(predicted & (targets == 1)))
        precision = tp / max(predicted.sum(), 1)
        recall = tp / max(targets.sum(), 1)
        return (
            precision,
            recall,
            (2 * precision * recall / (precision + recall) if precision + recall else 0.0),
        )

    threshold = max(GRID, key=lambda t: (f1(t)[2], -t))
    precision, recall, best = f1(threshold)
    metadata = {
        "id": "cluster-match-model-own",
        "title": "A match model fitted on labelled pairs of one's own",
        "version": "1",
        "source": f"{labels.source}: {len(labels.same)} labelled pairs, {len(targets)} decided by the model ({counts[1]} matching); regional_units = {regional_units}",
        "licence": "as the labels",
        "command": command,
        "fitted": datetime.date.today().isoformat(),
        "threshold_rule": f"the match probability with the best F1 over {folds.get_n_splits()}-fold cross-validated probabilities",
    }
    report = [
        f"{len(labels.same)} labelled pairs: {len(targets)} for the model ({counts[1]} matching, {counts[0]} different), {decided} decided by equal keys or a veto",
        f"{folds.get_n_splits()}-fold cross-validation (each pair scored by a model fitted without it):",
        f"  average precision {average_precision_score(targets, held_out):.3f}, Brier score {brier_score_loss(targets, held_out):.3f}",
        f"  at threshold {threshold}: precision {precision:.3f}, recall {recall:.3f}, F1 {best:.3f}",
    ]
    return fit(rows, targets, FEATURE_NAMES, threshold, metadata), report


def review_pairs(
    frame: pd.DataFrame,
    count: int,
    model: MatchModel | None = None,
    threshold: float | None = None,
    regional_units: str = "apart",
) -> pd.DataFrame:
    """The ``count`` candidate pairs of a cleaned frame the model is least sure of: those whose
    log-odds is nearest the threshold's, as ``name_a, name_b, probability, same`` (``same``
    empty, to be filled in and given to ``model fit``).

    The display names are each unit's most mentioned variant; pairs come in order of
    uncertainty, ties by the names.
    """
    units = units_from_frame(frame)
    words = ScoreModel.from_units(units, model, regional_units)
    threshold = words.matcher.threshold_for(regional_units) if threshold is None else threshold
    pairs = candidates.unit_candidates(units, words)
    edges = [e for e in score_edges(words, units, pairs, 0.0) if 0.0 < e[2] < 1.0]
    centre = logit(threshold)
    shown = [units.variants[u].most_common(1)[0][0] for u in range(len(units))]
    ranked = sorted(edges, key=lambda e: (abs(logit(e[2]) - centre), shown[e[0]], shown[e[1]]))[:count]
    return pd.DataFrame(
        {
            "name_a": [shown[a] for a, _, _ in ranked],
            "name_b": [shown[b] for _, b, _ in ranked],
            "probability": [round(p, 4) for _, _, p in ranked],
            "same": [""] * len(ranked),
        }
    )


def names_to_clean(labels: Labelled) -> Sequence[str]:
    """The names of the labelled pairs, left names then right names (what :func:`fit_labelled` expects cleaned)."""
    return [*labels.left, *labels.right]
