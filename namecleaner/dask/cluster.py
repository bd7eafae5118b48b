"""Clustering on Dask: the single-machine steps, each run where it can, so clusters and ids equal one machine's.

The rows are reduced to their distinct match keys and features (per partition or block, then
summed), and gathered into units on the client, where the authority file's clusters and the
override decisions are applied as on one machine. The blocking keys of every unit are spread
over the workers and shuffled so that each block is whole in one partition; each partition
gives the candidates of its blocks with their cosines and ranks
(:func:`namecleaner.cluster.candidates.block_candidates`). The client caps each unit's
candidates over all its blocks (:func:`~namecleaner.cluster.candidates.select`), the workers score those
pairs in chunks, and the global assignment runs once on the client
(:func:`namecleaner.cluster.cluster_units` with the edges), in this process with one worker:
the client holds threads, so it never forks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd

from namecleaner.batch import appended_names, as_config
from namecleaner.cluster import ClusterResult, candidates, cluster_units, thresholds
from namecleaner.cluster.features import (
    KEY_COLUMN,
    NAME_COLUMNS,
    OPTIONAL_COLUMNS,
    Units,
    UnitTally,
    tally_frame,
)
from namecleaner.cluster.model import MatchModel
from namecleaner.cluster.score import ScoreModel, score_edges
from namecleaner.config import Config
from namecleaner.dask.io import (
    Block,
    in_order,
    partitions,
    plan_blocks,
    read_block,
    window,
)
from namecleaner.errors import InputError

#: Partition tallies merged at once in the tree that gathers the units.
_MERGE_FANIN = 8
_BLOCK_META = pd.DataFrame({"block": pd.Series(dtype="string"), "unit": pd.Series(dtype="int64")})
_PAIR_META = pd.DataFrame(
    {
        "left": pd.Series(dtype="int64"),
        "right": pd.Series(dtype="int64"),
        "cosine": pd.Series(dtype="float32"),
        "left_rank": pd.Series(dtype="int64"),
        "right_rank": pd.Series(dtype="int64"),
    }
)


def _blocking_rows(frame: pd.DataFrame, units: Units, model: ScoreModel, sound: bool) -> pd.DataFrame:
    """One row (block, unit) per blocking key of each unit in the partition (``sound``: as
    :func:`namecleaner.cluster.candidates.blocks` decides for the whole file)."""
    words = units.words
    rows = [
        (key, unit) for unit in frame["unit"].tolist() for key in candidates.blocking_keys(words[unit], model, sound)
    ]
    return pd.DataFrame(rows, columns=["block", "unit"]).astype(_BLOCK_META.dtypes.to_dict())


def _block_pairs(frame: pd.DataFrame, units: Units, vectors: Any, romanised: np.ndarray) -> pd.DataFrame:
    """The candidates of the whole blocks in one shuffled partition: pairs, cosines and ranks."""
    groups = [sorted(members.tolist()) for _, members in frame.groupby("block", sort=True)["unit"] if len(members) > 1]
    pairs, cosines, ranks = candidates.block_candidates(groups, units.keys, vectors, romanised=romanised)
    columns = {"left": pairs[:, 0], "right": pairs[:, 1], "cosine": cosines, "left_rank": ranks[:, 0]}
    return pd.DataFrame({**columns, "right_rank": ranks[:, 1]}).astype(_PAIR_META.dtypes.to_dict())


def distributed_edges(
    units: Units, floor: float, npartitions: int, match: MatchModel | None = None, regional_units: str = "apart"
) -> list[tuple[int, int, float]]:
    """Steps 2 and 3 on the workers: the candidate pairs and their scores, as one machine finds them.

    The word weights and TF-IDF vectors are fitted once here (reduces over every key) and
    shared with the workers; each block's pairs are found whole in one partition, each unit's
    candidates over all its blocks are capped here (a pair found in several blocks counts
    once), and the workers score them in chunks. ``match`` is a match model of one's own,
    ``regional_units`` ``ClusterOptions.regional_units``.
    """
    model = ScoreModel.from_units(units, match, regional_units)
    vectors = candidates.fit_vectors(units.keys)
    shared_units, shared_model = (
        dask.delayed(units, pure=False),
        dask.delayed(model, pure=False),
    )
    numbers = dd.from_pandas(
        pd.DataFrame({"unit": range(len(units))}, dtype="int64"),
        npartitions=max(1, npartitions),
    )
    romanised = candidates.romanised(units)
    blocked = numbers.map_partitions(
        _blocking_rows, shared_units, shared_model, bool(romanised.any()), meta=_BLOCK_META
    )
    found = (
        blocked.shuffle("block")
        .map_partitions(
            _block_pairs, shared_units, dask.delayed(vectors, pure=False), dask.delayed(romanised), meta=_PAIR_META
        )
        .compute()
    )
    del vectors
    pairs = candidates.select(
        candidates.merge(
            [
                (
                    found[["left", "right"]].to_numpy(np.int64),
                    found["cosine"].to_numpy(),
                    found[["left_rank", "right_rank"]].to_numpy(np.int64),
                )
            ]
        )
    )
    chunks = [chunk for chunk in np.array_split(pairs, max(1, npartitions)) if len(chunk)]
    scored = dask.compute(*(dask.delayed(score_edges)(shared_model, shared_units, chunk, floor) for chunk in chunks))
    return [edge for part in scored for edge in part]


@dataclass(frozen=True)
class DaskEngine:
    """How ``namecleaner cluster`` runs on Dask: blocks of the file for its passes, edges on the workers.

    The streaming engine (:class:`namecleaner.cli.cluster.StreamEngine`) reads chunks in this
    process; the passes and their functions are the same.
    """

    client: Any
    #: Blocks to cut the input into (default: :func:`namecleaner.dask.io.partitions`).
    partitions: int | None = None

    def read(self, path: str, fmt: str, delimiter: str | None, encoding: str | None) -> tuple[list[str], list[Block]]:
        """The header and the blocks of the file."""
        wanted = partitions(self.client, self.partitions)
        return plan_blocks(path, fmt, delimiter=delimiter, encoding=encoding, partitions=wanted)

    def map(self, function: Callable[..., Any], parts: list[Block], *shared: Any) -> Iterator[Any]:
        """``function(rows, *shared)`` for the rows of each block, on the workers, in block order."""
        scattered = [self.client.scatter(value, broadcast=True) for value in shared]
        return in_order(self.client, _OnRows(function), parts, window(self.client), *scattered)

    def cluster(self, units: Units, strictness: float, **constraints: Any) -> ClusterResult:
        """Edges on the workers, then the assignment once, here, without forking."""
        edges = distributed_edges(
            units,
            thresholds(strictness).veto,
            2 * len(self.client.nthreads()),
            constraints.get("model"),
            constraints.get("regional_units", "apart"),
        )
        return cluster_units(units, strictness=strictness, edges=edges, workers=1, **constraints)


@dataclass(frozen=True)
class _OnRows:
    """A function of a block's rows, as a task of a block."""

    function: Callable[..., Any]

    def __call__(self, block: Block, *shared: Any) -> Any:
        return self.function(read_block(block).frame, *shared)


@dataclass(frozen=True)
class _LabelPartition:
    """The task run on each partition: append the cluster id and name of each row's match key."""

    key: str
    names: tuple[str, str]

    def __call__(self, frame: pd.DataFrame, result: ClusterResult) -> pd.DataFrame:
        labels = result.label(frame[self.key].tolist())
        labels.columns = list(self.names)
        labels.index = frame.index
        return pd.concat([frame, labels], axis=1)


def cluster(
    cleaned: dd.DataFrame,
    config: Config | str | None = None,
    *,
    counts_column: str | None = None,
    prefix: str | None = None,
) -> dd.DataFrame:
    """``cleaned`` (from :func:`namecleaner.dask.clean`, with ``match_key``) with ``cluster_id`` and ``cluster_name`` appended.

    The clusters, ids and names equal :func:`namecleaner.cluster.cluster_frame` on the whole
    table, for any partitioning. ``config`` (a :class:`~namecleaner.config.Config`, an office
    code or a profile path) gives, in ``config.cluster``, the strictness, the overrides file
    and the authority file, whose names are cleaned with the same configuration.
    ``counts_column`` gives each row's mentions (default 1). The clustering runs now; the
    returned frame is lazy and computes ``cleaned`` again, so persist or write ``cleaned``
    first when cleaning is costly.
    """
    from namecleaner.cluster import constrained

    if KEY_COLUMN not in cleaned.columns:
        raise InputError(f"the frame has no '{KEY_COLUMN}' column; clean with the match_key stage first")
    if counts_column is not None and counts_column not in cleaned.columns:
        raise InputError(f"no column '{counts_column}' (counts_column)")
    config = as_config(config)
    # The units as on one machine (features.UnitTally): each partition's distinct rows of the
    # columns clustering reads, with their mentions, merged in a tree on the workers.
    fields = [
        KEY_COLUMN,
        *(c for c in (*NAME_COLUMNS, *OPTIONAL_COLUMNS) if c in cleaned.columns),
    ]
    tallies = [
        dask.delayed(tally_frame)(part, count_column=counts_column)
        for part in cleaned[fields + ([counts_column] if counts_column else [])].to_delayed()
    ]
    while len(tallies) > 1:
        tallies = [
            dask.delayed(UnitTally.combined)(*tallies[i : i + _MERGE_FANIN])
            for i in range(0, len(tallies), _MERGE_FANIN)
        ]
    units, constraints = constrained(tallies[0].compute().units(), config)
    edges = distributed_edges(
        units,
        thresholds(config.cluster.threshold).veto,
        cleaned.npartitions,
        constraints.get("model"),
        config.cluster.regional_units,
    )
    result = cluster_units(
        units,
        strictness=config.cluster.threshold,
        edges=edges,
        workers=1,
        **constraints,
    )
    names = tuple(appended_names(cleaned.columns, ("cluster_id", "cluster_name"), prefix))
    task = _LabelPartition(KEY_COLUMN, names)  # type: ignore[arg-type]
    return cleaned.map_partitions(task, dask.delayed(result, pure=False), meta=task(cleaned._meta, result))
