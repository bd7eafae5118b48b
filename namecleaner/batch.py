"""The one batch API. The CLI, the pandas accessor and Dask all call :func:`clean`.

Each distinct (name, country) pair is cleaned once and the result is mapped back to every row
that holds it, so the output has one row per input, in input order. Missing values (None,
NaN, ``pd.NA``) stay missing. A value that makes a stage fail is kept, reported as a
:class:`RowError` and gets empty fields; it never stops the batch.
"""

from __future__ import annotations

import warnings
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa

from namecleaner.config import Config, as_config
from namecleaner.context import Context
from namecleaner.errors import InputError
from namecleaner.pipeline import Pipeline
from namecleaner.record import NameRecord, column_dtype

ORIGINAL_COLUMN = "original"
#: Prefix of the appended columns when a name is already taken in the input table.
DEFAULT_PREFIX = "nc_"


@dataclass(frozen=True)
class RowError:
    """A row whose value could not be cleaned: its position in the batch, value and reason."""

    position: int
    value: str
    reason: str


@dataclass(frozen=True)
class CleanResult:
    """The cleaned columns, aligned with the input rows, and the rows that failed."""

    frame: pd.DataFrame
    errors: tuple[RowError, ...]


#: What the ``steps`` column holds: the provenance as JSON, its ``stage.step`` names only, or no column.
STEPS_FORMATS = ("full", "compact", "none")

#: Distinct values a :class:`Cleaner` remembers across batches: a value met again after it was
#: dropped is cleaned again (200,000 cleaned 17% of the 300,000 distinct names of
#: ``bench_clean_speed.py`` twice). A value costs about 1.8 KB with full steps, 0.7 KB without.
CACHE_SIZE = 400_000

#: A cleaned distinct value: its column values, and the error message when a stage failed.
Cleaned = tuple[tuple[Any, ...], str | None]


def record_columns(pipeline: Pipeline, steps: str = "full") -> tuple[str, ...]:
    """The columns a cleaner writes: the pipeline's, without ``steps`` when ``steps`` is ``"none"``.

    >>> record_columns(Context.for_config().pipeline(("unicode",)), "none")
    ('name_clean', 'name_match')
    """
    if steps not in STEPS_FORMATS:
        raise InputError(f"steps must be one of {', '.join(STEPS_FORMATS)}, not {steps!r}")
    return tuple(c for c in pipeline.columns if steps != "none" or c != "steps")


def _values(record: NameRecord, columns: Sequence[str], steps: str) -> tuple[Any, ...]:
    """The record's values of ``columns``, ``steps`` in the ``steps`` format (one look-up per column: it runs per name)."""
    return tuple([_steps_text(record, steps) if c == "steps" else getattr(record, c) for c in columns])


def _steps_text(record: NameRecord, steps: str) -> str:
    if steps == "compact":
        return " ".join(dict.fromkeys(f"{s.stage}.{s.step}" for s in record.steps))
    return record.steps_json()


def clean_value(pipeline: Pipeline, columns: Sequence[str], steps: str, value: str, country: str | None) -> Cleaned:
    """One distinct value through the pipeline: its column values, and the error if a stage failed.

    A failing value gets empty fields and the error as its step; it never stops a batch.
    """
    try:
        record = pipeline.run(value, country)
        return _values(record, columns, steps), None
    except Exception as error:  # one bad value must never stop a batch of millions
        failed = NameRecord(value, country)
        failed.add_step("pipeline", "error", f"{type(error).__name__}: {error}")
        return _values(failed, columns, steps), f"{type(error).__name__}: {error}"


class Cleaner:
    """Runs a pipeline over batches, remembering recent results across batches.

    The memory is bounded (``cache_size`` distinct values), so streaming a file in chunks
    keeps a steady footprint while repeated names are cleaned once. ``steps`` is one of
    :data:`STEPS_FORMATS`. The values not yet cached are cleaned by :meth:`clean_many`, which
    :class:`namecleaner.parallel.ParallelCleaner` spreads over processes.
    """

    def __init__(self, pipeline: Pipeline, *, cache_size: int = CACHE_SIZE, steps: str = "full") -> None:
        self.pipeline = pipeline
        self.steps = steps
        self.columns = record_columns(pipeline, steps)
        self.cache_size = cache_size
        # Oldest first; an OrderedDict drops its oldest at once, where a dict must skip the slots of those it dropped.
        self._cache: OrderedDict[tuple[str, str | None], Cleaned] = OrderedDict()

    def clean_many(self, keys: Sequence[tuple[str, str | None]]) -> list[Cleaned]:
        """Clean (value, country) pairs, in order, without the cache."""
        return [clean_value(self.pipeline, self.columns, self.steps, value, country) for value, country in keys]

    def _clean_distinct(self, keys: list[tuple[str, str | None]]) -> list[Cleaned]:
        """The results of distinct keys: from the cache, else cleaned (all misses at once) and cached."""
        found: list[Cleaned | None] = [self._cache.get(key) for key in keys]
        missing = [position for position, result in enumerate(found) if result is None]
        for position, result in zip(missing, self.clean_many([keys[p] for p in missing])):
            found[position] = result
            if len(self._cache) >= self.cache_size:
                self._cache.popitem(last=False)
            self._cache[keys[position]] = result
        return found  # type: ignore[return-value]  # every miss was filled

    def prefetch(self, values: Sequence[Any] | pd.Series, country: Sequence[Any] | pd.Series | None = None) -> None:
        """Start cleaning a batch that a later :meth:`clean` will be given, where values are
        cleaned elsewhere (:class:`namecleaner.parallel.ParallelCleaner`); here, nothing."""

    def clean(self, values: Sequence[Any] | pd.Series, country: Sequence[Any] | pd.Series | None = None) -> CleanResult:
        """Clean a batch; the frame has the cleaner's columns and a RangeIndex over the input."""
        codes, unique_keys = distinct_keys(values, country)
        results = self._clean_distinct(unique_keys)
        rows = [row for row, _ in results]
        errors_by_code = {code: error for code, (_, error) in enumerate(results) if error}
        rows.append((None,) * len(self.columns))  # the row that missing values map to
        codes = codes.copy()
        codes[codes < 0] = len(rows) - 1
        # typed once per distinct value, then repeated for the rows: the conversion costs more than the take
        table = pd.DataFrame({c: typed_column(v, column_dtype(c)) for c, v in zip(self.columns, zip(*rows))})
        frame = table.iloc[codes].reset_index(drop=True)
        errors = (
            tuple(
                RowError(position, unique_keys[code][0], errors_by_code[code])
                for position, code in enumerate(codes)
                if code in errors_by_code
            )
            if errors_by_code
            else ()
        )
        return CleanResult(frame, errors)


def typed_column(values: Sequence[Any], dtype: str) -> pd.api.extensions.ExtensionArray:
    """One output column of Python values (str or None for text) as its pandas dtype: text
    straight into an Arrow array, a quarter of the time pandas' cast takes to check each value.

    >>> typed_column(("ACME", None), "string").tolist(), typed_column((0.9, None), "Float64").tolist()
    (['ACME', <NA>], [0.9, <NA>])
    """
    if dtype == "string":
        return pd.arrays.ArrowStringArray(pa.array(values, type=pa.large_string())).astype(dtype, copy=False)
    return pd.array(values, dtype=dtype)


def distinct_keys(
    values: Sequence[Any] | pd.Series, country: Sequence[Any] | pd.Series | None = None
) -> tuple[Any, list[tuple[str, str | None]]]:
    """The distinct (value, country) pairs of a batch and the code of each row's (-1 for a
    missing value): what :meth:`Cleaner.clean` cleans.

    >>> codes, keys = distinct_keys(["Sony", None, "Sony", 7])
    >>> codes.tolist(), keys
    ([0, -1, 0, 1], [('Sony', None), ('7', None)])
    """
    texts = pd.Series(values, dtype=object).reset_index(drop=True)
    missing = texts.isna().to_numpy()
    # Text kept as Python str (object), not a string dtype: that cannot hold the lone surrogates a reader may keep.
    texts = pd.Series([v if m else str(v) for v, m in zip(texts, missing)], dtype=object)
    if country is None:
        codes, uniques = pd.factorize(texts, use_na_sentinel=True)
        return codes, [(value, None) for value in uniques]
    countries = pd.Series(country, dtype=object).reset_index(drop=True)
    countries = countries.where(countries.notna(), None)
    keys = pd.Series([None if m else (v, c) for m, v, c in zip(missing, texts, countries)], dtype=object)
    codes, unique_index = pd.factorize(keys, use_na_sentinel=True)
    return codes, [(value, None if pd.isna(c) else str(c)) for value, c in unique_index]


def clean(
    values: Iterable[Any] | pd.Series,
    config: Config | str | None = None,
    *,
    country: Iterable[Any] | pd.Series | None = None,
    stages: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Clean names; one output row per input value, in input order.

    The frame has the original value in ``original`` and one column per field the pipeline
    fills. A Series keeps its index. ``config`` is a :class:`~namecleaner.config.Config`, an
    office code or a profile path; ``country`` gives an ISO country code per row; ``stages``
    narrows the run to those stages and the ones they need.

    >>> frame = clean(["ＴＯＹＯＴＡ", None, "AT&amp;T"])
    >>> frame["name_clean"].tolist(), frame["name_match"].tolist()
    (['TOYOTA', <NA>, 'AT&T'], ['toyota', <NA>, 'at&t'])
    """
    pipeline = Context.for_config(as_config(config)).pipeline(stages)
    index = values.index if isinstance(values, pd.Series) else None
    originals = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    countries = None if country is None else (country if isinstance(country, pd.Series) else list(country))
    if countries is not None and len(countries) != len(originals):
        raise ValueError(f"country has {len(countries)} values for {len(originals)} names")
    result = Cleaner(pipeline).clean(originals, countries)
    if result.errors:
        first = result.errors[0]
        warnings.warn(
            f"{len(result.errors)} value(s) could not be cleaned and were kept with empty fields; "
            f"first at position {first.position}: {first.reason}",
            stacklevel=2,
        )
    frame = result.frame
    frame.insert(0, ORIGINAL_COLUMN, originals.reset_index(drop=True))
    if index is not None:
        frame.index = index
    return frame


def appended_names(existing: Iterable[str], columns: Sequence[str], prefix: str | None = None) -> list[str]:
    """Names for cleaned columns appended to a table: prefixed when asked or when a name is taken.

    >>> appended_names(["id", "name"], ["name_clean", "steps"])
    ['name_clean', 'steps']
    >>> appended_names(["steps"], ["name_clean", "steps"]), appended_names([], ["steps"], "x_")
    (['nc_name_clean', 'nc_steps'], ['x_steps'])
    """
    taken = set(existing)
    if prefix is None and taken.isdisjoint(columns):
        return list(columns)
    named = [f"{prefix if prefix is not None else DEFAULT_PREFIX}{c}" for c in columns]
    clash = sorted(taken.intersection(named))
    if clash:
        raise InputError(f"the input already has column(s) {', '.join(clash)}: choose another --prefix")
    return named


def clean_frame(
    cleaner: Cleaner,
    frame: pd.DataFrame,
    column: str,
    *,
    country_column: str | None = None,
    names: Sequence[str] | None = None,
) -> CleanResult:
    """``frame`` with the cleaned fields of ``column`` appended, as ``names`` (see :func:`appended_names`).

    The rows, their order and index are the input's; this is what the CLI does to each chunk
    and Dask to each partition, so both give the same table.

    >>> frame = pd.DataFrame({"id": [7], "name": ["ＳＯＮＹ"]}, index=[3])
    >>> clean_frame(Cleaner(Context.for_config().pipeline()), frame, "name").frame[["id", "name_clean"]]
       id name_clean
    3   7       SONY
    """
    result = cleaner.clean(frame[column], frame[country_column] if country_column else None)
    cleaned = result.frame
    cleaned.columns = list(names) if names is not None else appended_names(frame.columns, cleaner.columns)
    cleaned.index = frame.index
    return CleanResult(pd.concat([frame, cleaned], axis=1), result.errors)
