"""Run namecleaner on Dask: the one batch API over each partition, so results equal one machine's.

Cleaning is per name, so a partition needs nothing from the others: :func:`clean` maps
:func:`namecleaner.batch.clean_frame` (what the CLI runs on each chunk) over the partitions,
and the result is the same for any partitioning. ``import namecleaner.dask`` also registers
the ``names`` accessor on Dask Series, which runs the pandas accessor's methods per partition.

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
    are refused rather than run per partition, which would give partition-dependent results.

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
            raise AttributeError(f"names.{method}() needs every name at once and does not run partition by partition on Dask")

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
