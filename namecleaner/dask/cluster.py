"""Clustering on Dask: the single-machine steps, each run where it can, so clusters and ids equal one machine's.

The rows are reduced to their distinct match keys and features (per partition or block, then
summed), and gathered into units on the client, where the authority file's clusters and the
override decisions are applied as on one machine. The blocking keys of every unit are spread
over the workers and shuffled so that each block is whole in one partition; each partition
gives the scored edges of its blocks (:func:`namecleaner.cluster.block_edges`). The global
assignment then runs once on the client (:func:`namecleaner.cluster.cluster_units` with the
edges), in this process with one worker: the client holds threads, so it never forks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import dask
import dask.dataframe as dd
import pandas as pd

from namecleaner.batch import appended_names, as_config
from namecleaner.cluster import (
    ClusterResult,
    block_edges,
    candidates,
    cluster_units,
    thresholds,
)
from namecleaner.cluster.features import (
    KEY_COLUMN,
    NAME_COLUMNS,
    OPTIONAL_COLUMNS,
    Units,
    UnitTally,
    tally_frame,
)
from namecleaner.cluster.model import MatchModel
from namecleaner.cluster.score import ScoreModel
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
_EDGE_META = pd.DataFrame(
    {
        "left": pd.Series(dtype="int64"),
        "right": pd.Series(dtype="int64"),
        "score": pd.Series(dtype="float64"),
    }
)


def _blocking_rows(frame: pd.DataFrame, units: Units, model: ScoreModel) -> pd.DataFrame:
    """One row (block, unit) per blocking key of each unit in the partition."""
    rows = [
        (key, unit) for unit in frame["unit"].tolist() for key in candidates.blocking_keys(units.words[unit], model)
    ]
    return pd.DataFrame(rows, columns=["block", "unit"]).astype(_BLOCK_META.dtypes.to_dict())


def _block_edges(frame: pd.DataFrame, units: Units, model: ScoreModel, vectors: Any, floor: float) -> pd.DataFrame:
    """The scored edges of the whole blocks in one shuffled partition."""
    groups = [sorted(members.tolist()) for _, members in frame.groupby("block", sort=True)["unit"] if len(members) > 1]
    edges = block_edges(groups, units, model, vectors, floor)
    return pd.DataFrame(edges, columns=list(_EDGE_META.columns)).astype(_EDGE_META.dtypes.to_dict())


def distributed_edges(
    units: Units, floor: float, npartitions: int, match: MatchModel | None = None
) -> list[tuple[int, int, float]]:
    """Steps 2 and 3 on the workers: every block's candidate pairs, scored, as one machine finds them.

    The word weights and TF-IDF vectors are fitted once here (reduces over every key) and
    shared with the workers; each block is scored whole in one partition, and the edges of a
    pair found in several blocks are kept once. ``match`` is a match model of one's own.
    """
    model = ScoreModel.from_units(units, match)
    vectors = candidates.fit_vectors(units.keys)
    shared_units, shared_model = (
        dask.delayed(units, pure=False),
        dask.delayed(model, pure=False),
    )
    numbers = dd.from_pandas(
        pd.DataFrame({"unit": range(len(units))}, dtype="int64"),
        npartitions=max(1, npartitions),
    )
    blocked = numbers.map_partitions(_blocking_rows, shared_units, shared_model, meta=_BLOCK_META)
    scored = blocked.shuffle("block").map_partitions(
        _block_edges,
        shared_units,
        shared_model,
        dask.delayed(vectors, pure=False),
        floor,
        meta=_EDGE_META,
    )
    edges = scored.compute().drop_duplicates(["left", "right"])
    return [(int(left), int(right), float(score)) for left, right, score in edges.itertuples(index=False, name=None)]


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
            units, thresholds(strictness).veto, 2 * len(self.client.nthreads()), constraints.get("model")
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
        units, thresholds(config.cluster.strictness).veto, cleaned.npartitions, constraints.get("model")
    )
    result = cluster_units(
        units,
        strictness=config.cluster.strictness,
        edges=edges,
        workers=1,
        **constraints,
    )
    names = tuple(appended_names(cleaned.columns, ("cluster_id", "cluster_name"), prefix))
    task = _LabelPartition(KEY_COLUMN, names)  # type: ignore[arg-type]
    return cleaned.map_partitions(task, dask.delayed(result, pure=False), meta=task(cleaned._meta, result))
