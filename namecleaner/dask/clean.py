"""Cleaning on Dask: the one batch API over each partition or block, so results equal one machine's.

Cleaning is per name, so a partition needs nothing from the others: :func:`clean` maps
:func:`namecleaner.batch.clean_frame` (what the CLI runs on each chunk) over the partitions of
a Dask DataFrame, and :class:`CleanBlock` runs it on one block of a file (what ``clean
--engine dask`` does), returning the row problems with their file lines. ``import
namecleaner.dask`` also registers the ``names`` accessor on Dask Series, which runs the pandas
accessor's row-by-row methods per partition.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

import dask
import dask.dataframe as dd
import pandas as pd
import pyarrow as pa
from dask.dataframe.extensions import register_series_accessor

from namecleaner import io as table_io
from namecleaner.accessor import NamesAccessor
from namecleaner.batch import Cleaner, appended_names, as_config, clean_frame
from namecleaner.config import Config
from namecleaner.context import Context
from namecleaner.dask.io import (
    Block,
    in_order,
    read_block,
    replace_dataset,
    window,
    write_part,
)
from namecleaner.errors import InputError
from namecleaner.io import is_dataset

#: A row problem: the file line (or row number), the column ("" for the row itself) and the reason.
Problem = tuple[int, str, str]

_local = threading.local()


def cleaner(config: Config, stages: tuple[str, ...] | None = None, steps: str = "full") -> Cleaner:
    """The cleaner of a configuration, built once per worker thread and kept across partitions.

    Each thread builds its own pipeline (ICU and tokenizer objects neither pickle nor promise
    thread safety), over the tables the process has loaded once; keeping the cleaner keeps
    its bounded cache of cleaned names warm across partitions, as the streaming command does
    across chunks. ``steps`` is the form of the ``steps`` column (:data:`namecleaner.batch.STEPS_FORMATS`).
    """
    key = (config, stages, steps)
    cached = getattr(_local, "cleaner", None)
    if cached is None or cached[0] != key:
        _local.cleaner = cached = (key, Cleaner(Context(config).pipeline(stages), steps=steps))
    return cached[1]


@dataclass(frozen=True)
class _CleanPartition:
    """The task run on each partition: append the cleaned fields of one column."""

    column: str
    country_column: str | None
    names: tuple[str, ...]
    config: Config
    stages: tuple[str, ...] | None

    def __call__(self, frame: pd.DataFrame) -> pd.DataFrame:
        run = cleaner(self.config, self.stages)
        return clean_frame(
            run,
            frame,
            self.column,
            country_column=self.country_column,
            names=self.names,
        ).frame


def check_column(columns: Iterable[str], column: str) -> None:
    """Refuse a target column that is missing, or named twice (which column would be cleaned?).

    >>> check_column(["id", "name", "name"], "name")
    Traceback (most recent call last):
    ...
    namecleaner.errors.InputError: the column 'name' appears 2 times; rename the copies so that one column holds the names
    """
    found = list(columns).count(column)
    if found > 1:
        raise InputError(
            f"the column '{column}' appears {found} times; rename the copies so that one column holds the names"
        )


def clean(
    ddf: dd.DataFrame,
    column: str,
    config: Config | str | None = None,
    *,
    country_column: str | None = None,
    stages: Iterable[str] | None = None,
    prefix: str | None = None,
) -> dd.DataFrame:
    """``ddf`` with the cleaned fields of ``column`` appended, lazily, partition by partition.

    ``config`` is a :class:`~namecleaner.config.Config`, an office code or a profile path, as
    for :func:`namecleaner.clean`. The new columns, their names (``prefix`` as in the CLI) and
    dtypes are those of :func:`namecleaner.batch.clean_frame` on a pandas frame. A value that
    fails is kept with empty fields and the error as a step in ``steps``. The pipeline is
    built here once, so a bad configuration fails now rather than on the workers.

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
        if name is not None:
            check_column(ddf.columns, name)
    config = as_config(config)
    stages = tuple(stages) if stages is not None else None
    built = Cleaner(Context.for_config(config).pipeline(stages))
    names = tuple(appended_names(ddf.columns, built.columns, prefix))
    task = _CleanPartition(column, country_column, names, config, stages)
    meta = clean_frame(built, ddf._meta, column, country_column=country_column, names=names).frame
    return ddf.map_partitions(task, meta=meta)


@dataclass(frozen=True)
class CleanBlock:
    """The task run on each block of a file: read it, clean one column, and say what went wrong where.

    Returns the cleaned rows, their problems (the reader's first and then the cleaning errors,
    as the streaming command reports them for a chunk) and the count of new cells a
    spreadsheet would run as formulas. ``columns`` are the cleaner's columns, appended as
    ``names``; ``keep`` lists the output columns when only some of the new ones are written
    (``--columns``). ``formulas`` says what to do with those cells, as the streaming command
    does for a CSV or TSV output: ``"ignore"`` them (another format), ``"count"`` them, or
    ``"defuse"`` them with a ``'`` before each (``--excel-safe``).
    """

    column: str
    country_column: str | None
    names: tuple[str, ...]
    config: Config
    steps: str = "full"
    columns: tuple[str, ...] = ()
    keep: tuple[str, ...] | None = None
    formulas: str = "ignore"

    @classmethod
    def for_header(
        cls,
        header: list[str],
        column: str,
        config: Config,
        *,
        country_column: str | None = None,
        prefix: str | None = None,
        steps: str = "full",
    ) -> CleanBlock:
        """The task for a file with this header; the pipeline is built here once, so a bad configuration fails now."""
        check_column(header, column)
        columns = Cleaner(Context.for_config(config).pipeline(), steps=steps).columns
        names = tuple(appended_names(header, columns, prefix))
        return cls(column, country_column, names, config, steps, tuple(columns))

    def keeping(self, header: Iterable[str], chosen: Iterable[str]) -> CleanBlock:
        """The task that writes the input's columns and only the ``chosen`` new ones."""
        named = dict(zip(self.columns, self.names))
        return replace(self, keep=(*header, *(named[c] for c in chosen if c in named)))

    def __call__(self, block: Block) -> tuple[pd.DataFrame, list[Problem], int]:
        chunk = read_block(block)
        run = cleaner(self.config, steps=self.steps)
        result = clean_frame(run, chunk.frame, self.column, country_column=self.country_column, names=self.names)
        problems = [(issue.line, "", issue.reason) for issue in chunk.issues]
        problems += [(chunk.lines[error.position], self.column, error.reason) for error in result.errors]
        frame = result.frame if self.keep is None else result.frame[list(self.keep)]
        formulas = 0
        if self.formulas != "ignore":
            new = [name for name in self.names if name in frame]
            formulas = table_io.formula_cells(frame, new, defuse=self.formulas == "defuse")
        return frame, problems, formulas

    def empty(self, header: Iterable[str]) -> pd.DataFrame:
        """The output's columns with no rows (what an input without rows gives)."""
        return pd.DataFrame(columns=list(self.keep) if self.keep is not None else [*header, *self.names])


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
    :func:`namecleaner.dask.cluster` is the Dask version.

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
            raise AttributeError(
                f"names.{method}() needs every name at once: on Dask, use namecleaner.dask.{method}() on a cleaned frame"
            )

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


@dataclass(frozen=True)
class _WritePart:
    """The task of a dataset output: clean one block and write it as the dataset's part ``index``."""

    clean: CleanBlock
    folder: str

    def __call__(self, block: Block, index: int, schema: pa.Schema | None) -> tuple[pa.Schema, list[Problem], int]:
        frame, problems, formulas = self.clean(block)
        return write_part(frame, self.folder, index, schema), problems, formulas


def clean_file(
    client: Any,
    task: CleanBlock,
    header: list[str],
    blocks: list[Block],
    output: str,
    fmt: str,
) -> tuple[list[Problem], int]:
    """Clean the blocks of a file on the cluster into ``output``; returns the row problems, in row
    order, and the count of new cells a spreadsheet would run as formulas (see :class:`CleanBlock`).

    A file output (CSV, TSV, Parquet) is written here, block by block in order, by the
    streaming command's writer; a dataset output (a folder) is written by the workers, one
    part per block, with the first part's schema.
    """
    problems: list[Problem] = []
    formulas = 0
    if not is_dataset(output):

        def frames() -> Iterator[pd.DataFrame]:
            nonlocal formulas
            for frame, found, count in in_order(client, task, blocks, window(client)):
                problems.extend(found)
                formulas += count
                yield frame

        table_io.write_frames(frames(), output, fmt, task.empty(header))
        return problems, formulas

    def fill(folder: str) -> None:
        nonlocal formulas
        writer = _WritePart(task, folder)
        if not blocks:
            write_part(task.empty(header), folder, 0, None)
            return
        schema, *first = client.submit(writer, blocks[0], 0, None, pure=False).result()
        futures = [client.submit(writer, block, index, schema, pure=False) for index, block in enumerate(blocks[1:], 1)]
        for found, count in [first, *(future.result()[1:] for future in futures)]:
            problems.extend(found)
            formulas += count

    replace_dataset(output, fill)
    return problems, formulas
