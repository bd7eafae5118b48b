"""Run namecleaner on Dask: the one batch API over each partition, so results equal one machine's.

Cleaning is per name, so a partition needs nothing from the others: :func:`clean` maps
:func:`namecleaner.batch.clean_frame` (what the CLI runs on each chunk) over the partitions,
and the result is the same for any partitioning. :func:`cluster` clusters a cleaned frame
across partitions with the single-machine clustering steps, so clusters, ids and names are the
single-machine ones. ``import namecleaner.dask`` also registers the ``names`` accessor on Dask
Series, which runs the pandas accessor's row-by-row methods per partition.

Needs the ``dask`` extra: ``pip install 'namecleaner[dask]'``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from namecleaner import io as table_io
from namecleaner.accessor import NamesAccessor
from namecleaner.batch import Cleaner, appended_names, clean_frame
from namecleaner.errors import InputError, MissingDependencyError
from namecleaner.office import OfficeProfile
from namecleaner.pipeline import build_pipeline

try:
    import dask
    import dask.dataframe as dd
    from dask.dataframe.extensions import register_series_accessor
except ImportError as error:  # pragma: no cover - depends on the environment
    raise MissingDependencyError("dask", "namecleaner.dask", "dask") from error

_local = threading.local()


def _cleaner(office: str | OfficeProfile | None, stages: tuple[str, ...] | None, options: Mapping[str, Any] | None) -> Cleaner:
    """The cleaner for these settings, built once per worker thread and kept across partitions.

    Pipelines hold ICU and tokenizer objects that neither pickle nor promise thread safety, so
    each worker thread builds its own once; keeping the cleaner keeps its bounded cache of
    cleaned names warm across partitions, as the streaming command does across chunks.
    """
    key = (office, stages, options)
    cached = getattr(_local, "cleaner", None)
    if cached is None or cached[0] != key:
        _local.cleaner = cached = (key, Cleaner(build_pipeline(office, stages=stages, options=options)))
    return cached[1]


@dataclass(frozen=True)
class _CleanPartition:
    """The task run on each partition: append the cleaned fields of one column."""

    column: str
    country_column: str | None
    names: tuple[str, ...]
    office: str | OfficeProfile | None
    stages: tuple[str, ...] | None
    options: Mapping[str, Any] | None

    def __call__(self, frame: pd.DataFrame) -> pd.DataFrame:
        cleaner = _cleaner(self.office, self.stages, self.options)
        return clean_frame(cleaner, frame, self.column, country_column=self.country_column, names=self.names).frame


def clean(
    ddf: dd.DataFrame,
    column: str,
    office: str | OfficeProfile | None = None,
    *,
    country_column: str | None = None,
    stages: Iterable[str] | None = None,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    prefix: str | None = None,
) -> dd.DataFrame:
    """``ddf`` with the cleaned fields of ``column`` appended, lazily, partition by partition.

    The new columns, their names (``prefix`` as in the CLI) and dtypes are those of
    :func:`namecleaner.batch.clean_frame` on a pandas frame. A value that fails is kept with
    empty fields and the error as a step in ``steps``. The pipeline is built here once, so bad
    options fail now rather than on the workers.

    >>> frame = pd.DataFrame({"id": [1, 2, 3], "name": ["ＳＯＮＹ", None, "AT&amp;T"]})
    >>> ddf = dd.from_pandas(frame, npartitions=2)
    >>> clean(ddf, "name")[["id", "name_clean"]].compute()
       id name_clean
    0   1       SONY
    1   2       <NA>
    2   3       AT&T
    """
    for option, name in (("column", column), ("country_column", country_column)):
        if name is not None and name not in ddf.columns:
            raise InputError(f"no column '{name}' ({option}); the frame has: {', '.join(map(str, ddf.columns))}")
    stages = tuple(stages) if stages is not None else None
    pipeline = build_pipeline(office, stages=stages, options=options)
    names = tuple(appended_names(ddf.columns, pipeline.columns, prefix))
    task = _CleanPartition(column, country_column, names, office, stages, options)
    meta = clean_frame(Cleaner(pipeline), ddf._meta, column, country_column=country_column, names=names).frame
    return ddf.map_partitions(task, meta=meta)


def _blocking_rows(frame: pd.DataFrame, units: Any, model: Any) -> pd.DataFrame:
    """One row (block, unit) per blocking key of each unit in the partition."""
    from namecleaner.cluster import candidates

    rows = [(key, unit) for unit in frame["unit"].tolist() for key in candidates.blocking_keys(units.words[unit], model)]
    return pd.DataFrame(rows, columns=["block", "unit"]).astype(_BLOCK_META.dtypes.to_dict())


def _block_edges(frame: pd.DataFrame, units: Any, model: Any, vectors: Any, floor: float) -> pd.DataFrame:
    """The scored edges of the whole blocks in one shuffled partition."""
    from namecleaner.cluster import block_edges

    groups = [sorted(members.tolist()) for _, members in frame.groupby("block", sort=True)["unit"] if len(members) > 1]
    edges = block_edges(groups, units, model, vectors, floor)
    return pd.DataFrame(edges, columns=list(_EDGE_META.columns)).astype(_EDGE_META.dtypes.to_dict())


_BLOCK_META = pd.DataFrame({"block": pd.Series(dtype="string"), "unit": pd.Series(dtype="int64")})
_EDGE_META = pd.DataFrame({"left": pd.Series(dtype="int64"), "right": pd.Series(dtype="int64"), "score": pd.Series(dtype="float64")})


@dataclass(frozen=True)
class _LabelPartition:
    """The task run on each partition: append the cluster id and name of each row's match key."""

    key: str
    names: tuple[str, str]

    def __call__(self, frame: pd.DataFrame, result: Any) -> pd.DataFrame:
        labels = result.label(frame[self.key].tolist())
        labels.columns = list(self.names)
        labels.index = frame.index
        return pd.concat([frame, labels], axis=1)


def cluster(
    cleaned: dd.DataFrame,
    *,
    strictness: float | None = None,
    counts_column: str | None = None,
    prefix: str | None = None,
) -> dd.DataFrame:
    """``cleaned`` (from :func:`clean`, with ``match_key``) with ``cluster_id`` and ``cluster_name`` appended.

    The clusters, ids and names equal :func:`namecleaner.cluster.cluster_frame` on the whole
    table, for any partitioning: each step is the single-machine function, run where it can
    be. The rows are reduced to their distinct match keys and features (a groupby over the
    partitions); the blocking keys of each unit are spread over the workers, shuffled so
    that each block is whole in one partition, and each partition's blocks give scored edges
    (:func:`namecleaner.cluster.block_edges`); the assignment, ids and names are computed once
    from those edges (:func:`namecleaner.cluster.cluster_units`). That part runs now; the
    returned frame is lazy and computes ``cleaned`` again, so persist or write ``cleaned``
    first when cleaning is costly. ``counts_column`` gives each row's mentions (default 1).
    """
    from namecleaner.cluster import DEFAULT_STRICTNESS, candidates, cluster_units, thresholds
    from namecleaner.cluster.features import KEY_COLUMN, NAME_COLUMNS, OPTIONAL_COLUMNS, units_from_frame
    from namecleaner.cluster.score import ScoreModel

    if KEY_COLUMN not in cleaned.columns:
        raise InputError(f"the frame has no '{KEY_COLUMN}' column; clean with the match_key stage first")
    if counts_column is not None and counts_column not in cleaned.columns:
        raise InputError(f"no column '{counts_column}' (counts_column)")
    strictness = DEFAULT_STRICTNESS if strictness is None else strictness
    # The distinct rows of the columns clustering reads, with their mentions, give the same units as all rows.
    fields = [KEY_COLUMN, *(c for c in (*NAME_COLUMNS, *OPTIONAL_COLUMNS) if c in cleaned.columns)]
    grouped = cleaned[fields + ([counts_column] if counts_column else [])].groupby(fields, dropna=False)
    counted = (grouped[counts_column].sum() if counts_column else grouped.size()).compute().reset_index()
    units = units_from_frame(counted[fields], counts=counted.iloc[:, -1])
    model = ScoreModel.from_units(units)
    vectors = candidates.fit_vectors(units.keys)
    floor = thresholds(strictness).veto
    shared_units, shared_model = dask.delayed(units, pure=False), dask.delayed(model, pure=False)
    numbers = dd.from_pandas(pd.DataFrame({"unit": range(len(units))}, dtype="int64"), npartitions=cleaned.npartitions)
    blocked = numbers.map_partitions(_blocking_rows, shared_units, shared_model, meta=_BLOCK_META)
    edges = blocked.shuffle("block").map_partitions(
        _block_edges, shared_units, shared_model, dask.delayed(vectors, pure=False), floor, meta=_EDGE_META
    ).compute().drop_duplicates(["left", "right"])
    found = [(int(left), int(right), float(score)) for left, right, score in edges.itertuples(index=False, name=None)]
    result = cluster_units(units, strictness=strictness, edges=found)
    names = tuple(appended_names(cleaned.columns, ("cluster_id", "cluster_name"), prefix))
    task = _LabelPartition(KEY_COLUMN, names)  # type: ignore[arg-type]
    return cleaned.map_partitions(task, dask.delayed(result, pure=False), meta=task(cleaned._meta, result))


@dataclass(frozen=True)
class _AccessorCall:
    """The task run on each partition of a Dask Series: one method of the pandas accessor."""

    method: str
    kwargs: Mapping[str, Any]
    dask_kwargs: tuple[str, ...]

    def __call__(self, series: pd.Series, *aligned: pd.Series) -> Any:
        return getattr(series.names, self.method)(**self.kwargs, **dict(zip(self.dask_kwargs, aligned)))


@register_series_accessor("names")
class DaskNamesAccessor:
    """``ddf["applicant"].names.clean()``: each method of the pandas ``names`` accessor, per partition.

    Dask Series given as arguments (e.g. ``country=ddf["cc"]``) are aligned partition by
    partition with the names. Methods whose result depends on the other rows (``cluster``)
    are refused rather than run per partition, which would give partition-dependent results;
    :func:`cluster` is the Dask version.

    >>> series = dd.from_pandas(pd.Series(["Ｃａｎｏｎ", "ＲＩＣＯＨ"]), npartitions=2)
    >>> series.names.normalize()["name_match"].compute().tolist()
    ['canon', 'ricoh']
    """

    def __init__(self, series: dd.Series) -> None:
        self._series = series

    #: Pandas accessor methods that need every row at once.
    WHOLE_TABLE = frozenset({"cluster"})

    def __getattr__(self, method: str) -> Any:
        if method.startswith("_") or not callable(getattr(NamesAccessor, method, None)):
            raise AttributeError(f"the names accessor has no method '{method}'")
        if method in self.WHOLE_TABLE:
            raise AttributeError(f"names.{method}() needs every name at once: on Dask, use namecleaner.dask.{method}() on a cleaned frame")

        def run(*args: Any, **kwargs: Any) -> dd.DataFrame | dd.Series:
            if args:
                raise TypeError(f"names.{method}() on a Dask Series takes keyword arguments only")
            collections = {k: v for k, v in kwargs.items() if dask.is_dask_collection(v)}
            plain = {k: v for k, v in kwargs.items() if k not in collections}
            task = _AccessorCall(method, plain, tuple(collections))
            meta = task(self._series._meta, *(v._meta for v in collections.values()))
            return self._series.map_partitions(task, *collections.values(), meta=meta)

        run.__doc__ = getattr(NamesAccessor, method).__doc__
        return run

    def __dir__(self) -> list[str]:
        return [name for name in dir(NamesAccessor) if not name.startswith("_") and name not in self.WHOLE_TABLE]


@contextmanager
def client(scheduler: str | None = None, workers: int | None = None) -> Iterator[Any]:
    """A ``distributed`` client of the scheduler at ``scheduler``, else of a local cluster run for the block.

    The local cluster has ``workers`` single-threaded worker processes (default: one per core),
    since cleaning holds the GIL.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:
        raise MissingDependencyError("distributed", "a Dask cluster", "dask") from error
    if scheduler:
        try:
            connected = Client(scheduler, timeout="30s")
        except OSError as error:
            raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
        with connected:
            yield connected
        return
    with LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, dashboard_address=":0") as cluster, \
            Client(cluster) as local:
        yield local


def read_table(path: str, fmt: str, *, delimiter: str | None = None, encoding: str | None = None) -> dd.DataFrame:
    """A Parquet file or dataset directory, or a CSV/TSV file, as a Dask DataFrame.

    CSV cells are read as text with nothing taken as missing, as the streaming reader does.
    A CSV is split into blocks at line ends, so a quoted cell must not span lines.
    """
    if path == table_io.STDIO:
        raise InputError("the dask engine reads files, not stdin: give a file or use --engine stream")
    if not os.path.exists(path):
        raise InputError(f"{path}: cannot read: No such file or directory")
    if fmt == "parquet":
        return dd.read_parquet(path)
    with table_io.open_binary(path) as handle:
        encoding = encoding or table_io.detect_encoding(handle.read(table_io.ENCODING_SAMPLE_BYTES))
    return dd.read_csv(
        path, sep=delimiter or ("\t" if fmt == "tsv" else ","), dtype=str, na_filter=False, encoding=encoding,
        blocksize=None if path.lower().endswith(".gz") else "64MB",
    )


def _part_name(index: int) -> str:
    # Zero-padded so that every reader's name order is the row order.
    return f"part.{index:05d}.parquet"


def write_dataset(ddf: dd.DataFrame, path: str) -> None:
    """Write a partitioned Parquet dataset (a directory, one file per partition) that appears only when complete.

    An existing directory is replaced only when it holds nothing but Parquet files.
    """
    target = Path(path.rstrip("/" + os.sep))
    if target.exists() and any(p.suffix != ".parquet" and not p.name.startswith("_") for p in target.iterdir()):
        raise InputError(f"{target}: the folder holds files other than Parquet; refusing to replace it")
    if not target.parent.exists():
        raise InputError(f"{target}: the folder {target.parent} does not exist")
    temporary = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part"))
    try:
        ddf.to_parquet(temporary, write_index=False, name_function=_part_name)
        if target.exists():
            old = temporary.with_suffix(".old")
            target.rename(old)
            temporary.rename(target)
            shutil.rmtree(old)
        else:
            temporary.rename(target)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def partitions_in_order(ddf: dd.DataFrame, dask_client: Any, window: int) -> Iterator[pd.DataFrame]:
    """The computed partitions in order, at most ``window`` in flight, so memory stays bounded."""
    pending: deque[Any] = deque()
    for part in ddf.to_delayed():
        pending.append(dask_client.compute(part))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def write_file(ddf: dd.DataFrame, path: str, fmt: str, dask_client: Any) -> None:
    """Write one CSV, TSV or Parquet file, partitions in order, with the streaming command's writer."""
    window = 2 * max(1, sum(dask_client.nthreads().values()))
    with table_io.atomic_output(path, binary=fmt == "parquet") as handle:
        writer = table_io.TableWriter(handle, fmt)
        wrote = False
        for frame in partitions_in_order(ddf, dask_client, window):
            writer.write(frame)
            wrote = True
        if not wrote:
            writer.write(ddf._meta)
        writer.close()
