"""Variant clustering: group the spellings of one applicant, across scripts, explainably and at scale.

Clustering runs over the distinct match keys of cleaned names (``match_key`` stage) in four
steps, each a public function so that a distributed run (Dask) reproduces the single-machine
result and ids exactly:

1. features, a map: :func:`features.build_units`, then the word frequencies
   :meth:`score.ScoreModel.from_units` and TF-IDF vectors :func:`candidates.fit_vectors`
   (two reduces over all keys);
2. candidate pairs: :func:`candidates.blocking_keys` (map), :func:`candidates.block_pairs`,
   :func:`candidates.prefilter` and :func:`candidates.nearest` (one block at a time,
   :func:`candidates.block_candidates`), then each unit capped over all its blocks
   (:func:`candidates.select`, one pass);
3. pair scores: :func:`score.score_pair`, a pure function of two feature rows;
4. the global assignment: :func:`assign.assign` over the edges, sorted deterministically;
   then :mod:`ids` names and numbers the clusters.

:func:`cluster_units` runs the four steps; :func:`cluster_frame` clusters a cleaned frame
and :func:`cluster` cleans and clusters a list of names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from namecleaner.cluster import candidates
from namecleaner.cluster.assign import Assignment, Constraints, Thresholds, assign
from namecleaner.cluster.features import KEY_COLUMN, Units, units_from_frame
from namecleaner.cluster.ids import cluster_id, representative
from namecleaner.cluster.incremental import Authority, read_authority, with_authority
from namecleaner.cluster.model import MatchModel
from namecleaner.cluster.overrides import Overrides, read_overrides, resolve_keys
from namecleaner.cluster.score import ScoreModel, read_match_model, score_edges
from namecleaner.config import ClusterOptions, Config, as_config
from namecleaner.workers import worker_count

#: The default strictness (regional units apart): see :func:`thresholds`.
DEFAULT_STRICTNESS = ClusterOptions().threshold


def thresholds(strictness: float = DEFAULT_STRICTNESS) -> Thresholds:
    """The merge rule for a strictness: the match probability (0 to 1) at which average link
    merges two clusters (1: only equal keys); the veto floor sits :data:`assign.CHAIN_GAP` log-odds below it.

    The default is the fitted model's threshold (``data/cluster/model.tsv``): the one that
    maximised the mean pairwise F1 with each dev set held out in turn, over the sets whose
    owner keeps regional units apart (``tools/fit_cluster_model.py``; those that join them have
    their own, ``ClusterOptions(regional_units="together").threshold``).

    >>> thresholds(0.5)
    Thresholds(merge=0.5, veto=0.1824)
    """
    if not 0.0 <= strictness <= 1.0:
        raise ValueError(f"strictness is a match probability between 0 and 1, not {strictness}")
    return Thresholds.at(strictness)


@dataclass
class ClusterResult:
    """Clusters of units with their ids, names and the decisions that made them."""

    units: Units
    model: ScoreModel
    assignment: Assignment
    ids: list[str]
    names: list[str]
    thresholds: Thresholds

    def by_key(self) -> dict[str, tuple[str, str]]:
        """(cluster_id, cluster_name) by match key."""
        out = {}
        for number, members in enumerate(self.assignment.clusters):
            for unit in members:
                out[self.units.keys[unit]] = (self.ids[number], self.names[number])
        return out

    def label(self, keys: Iterable[Any]) -> pd.DataFrame:
        """``cluster_id`` and ``cluster_name`` for a sequence of match keys (missing stays missing)."""
        lookup = self.by_key()
        rows = [lookup.get(k, (None, None)) if isinstance(k, str) else (None, None) for k in keys]
        return pd.DataFrame(rows, columns=["cluster_id", "cluster_name"], dtype="string")


def edges_for(units: Units, model: ScoreModel, floor: float, *, workers: int = 1) -> list[tuple[int, int, float]]:
    """Steps 2 and 3 on one machine: the candidate pairs of all the blocks, scored."""
    pairs = candidates.unit_candidates(units, model, workers=workers)
    return score_edges(model, units, pairs, floor, workers=workers)


def cluster_units(
    units: Units,
    *,
    strictness: float = DEFAULT_STRICTNESS,
    constraints: Constraints | None = None,
    pinned: dict[int, str] | None = None,
    authority: Authority | None = None,
    workers: int | None = None,
    edges: list[tuple[int, int, float]] | None = None,
    model: MatchModel | None = None,
    regional_units: str = "apart",
) -> ClusterResult:
    """Cluster units: candidates, scores, assignment, ids and representative names.

    ``model`` is a fitted match model of one's own (:func:`score.read_match_model`); default
    the shipped one. ``regional_units`` is ``ClusterOptions.regional_units``.

    ``workers`` processes score the pairs (default: the CPUs available to this process).
    ``edges`` are the scored edges when computed elsewhere (:mod:`namecleaner.dask.cluster`).

    With an ``authority``, its keys must be among the units (:func:`incremental.with_authority`).
    """
    rule = thresholds(strictness)
    workers = worker_count(workers)
    scores = ScoreModel.from_units(units, model, regional_units)
    constraints = constraints or Constraints()
    initial: list[list[int]] = []
    authority_names: dict[str, str] = {}
    if authority is not None:
        index = units.index
        fixed: dict[int, str] = {}
        for existing_id in sorted(authority.keys):
            group = sorted({index[k] for k in authority.keys[existing_id] if k in index} - set(fixed))
            fixed.update(dict.fromkeys(group, existing_id))
            if group:
                initial.append(group)
        constraints = Constraints(constraints.must_link, constraints.cannot_link, fixed)
        authority_names = authority.names
    if edges is None:
        edges = edges_for(units, scores, rule.veto, workers=workers)
    assignment = assign(units, scores, edges, rule, constraints, initial=initial, workers=workers)
    pinned = pinned or {}
    ids, names = [], []
    taken = set(authority.keys) if authority is not None else set()  # a new id never repeats an existing one
    for members in assignment.clusters:
        existing = next((constraints.fixed[u] for u in members if u in constraints.fixed), None)
        ids.append(existing or cluster_id((units.keys[u] for u in members), taken))
        taken.add(ids[-1])
        pin = next((pinned[u] for u in members if u in pinned), None)
        if pin is None and existing in authority_names:
            pin = authority_names[existing]
        if pin is None:
            pin = representative(*(units.variants[u] for u in members))
        names.append(pin)
    return ClusterResult(units, scores, assignment, ids, names, rule)


def constrained(units: Units, config: Config) -> tuple[Units, dict[str, Any]]:
    """The units with the authority file's names, and the constraints, pins, authority, model and
    regional-unit convention of ``config.cluster`` (keyword arguments of :func:`cluster_units`).

    Override and authority names are cleaned with ``config``, as the names being clustered were;
    the CLI, Dask and :func:`cluster` all come through here.
    """
    from namecleaner.batch import clean

    options = config.cluster

    def make_keys(names: list[str]) -> list[str | None]:
        return clean(names, config)[KEY_COLUMN].tolist()

    existing = None
    if options.authority:
        existing = read_authority(options.authority, make_keys)
        units = with_authority(units, existing)
    constraints = pinned = None
    if options.overrides:
        decided = read_overrides(options.overrides)
        override_keys = resolve_keys(decided, make_keys)
        constraints = decided.constraints(override_keys, units.index, existing)
        pinned = decided.pinned(override_keys, units.index)
    model = read_match_model(options.model) if options.model else None
    return units, {
        "constraints": constraints,
        "pinned": pinned,
        "authority": existing,
        "model": model,
        "regional_units": options.regional_units,
    }


def cluster_frame(
    frame: pd.DataFrame,
    *,
    counts: pd.Series | None = None,
    strictness: float = DEFAULT_STRICTNESS,
    overrides: Overrides | None = None,
    override_keys: dict[str, str] | None = None,
    authority: Authority | None = None,
    model: MatchModel | None = None,
    regional_units: str = "apart",
) -> ClusterResult:
    """Cluster a cleaned frame (it needs ``match_key``; ``override_keys`` maps override names to keys)."""
    units = units_from_frame(frame, counts)
    if authority is not None:
        units = with_authority(units, authority)
    constraints, pinned = None, None
    if overrides is not None:
        index = units.index
        constraints = overrides.constraints(override_keys or {}, index, authority)
        pinned = overrides.pinned(override_keys or {}, index)
    return cluster_units(
        units,
        strictness=strictness,
        constraints=constraints,
        pinned=pinned,
        authority=authority,
        model=model,
        regional_units=regional_units,
    )


def cluster(
    values: Sequence[Any] | pd.Series,
    config: Config | str | None = None,
    *,
    country: Sequence[Any] | pd.Series | None = None,
    counts: Sequence[int] | None = None,
    **options: Any,
) -> pd.DataFrame:
    """Clean names and cluster them: the cleaned frame plus ``cluster_id`` and ``cluster_name``.

    ``config`` (a :class:`~namecleaner.config.Config`, an office code or a profile path) gives
    the cleaning and, in ``config.cluster``, the strictness, the overrides file of human
    decisions (:mod:`overrides`), the authority file of incremental mode (:mod:`incremental`),
    a match model of one's own (``namecleaner model fit``) and whether regional units join
    (``regional_units``). Keyword ``options`` change those (``strictness=0.6``,
    ``overrides="decisions.tsv"``, ``regional_units="together"``), checked like the rest.

    >>> frame = cluster(["ABC Co. Ltd.", "ABC CO LTD", "Motorola Inc", "MOTOROLA INC."])
    >>> frame["cluster_name"].tolist()
    ['ABC Co. Ltd.', 'ABC Co. Ltd.', 'Motorola Inc', 'Motorola Inc']
    """
    from namecleaner.batch import clean

    config = as_config(config)
    if options:
        config = config.replace(cluster=options)
    frame = clean(values, config, country=country)
    units = units_from_frame(frame, None if counts is None else pd.Series(list(counts)))
    units, constraints = constrained(units, config)
    result = cluster_units(units, strictness=config.cluster.threshold, workers=config.cluster.workers, **constraints)
    labels = result.label(frame[KEY_COLUMN].tolist())
    labels.index = frame.index
    return pd.concat([frame, labels], axis=1)
