"""The one batch API. The CLI, the pandas accessor and Dask all call :func:`clean`.

Each distinct (name, country) pair is cleaned once and the result is mapped back to every row
that holds it, so the output has one row per input, in input order. Missing values (None,
NaN, ``pd.NA``) stay missing. A value that makes a stage fail is kept, reported as a
:class:`RowError` and gets empty fields; it never stops the batch.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from namecleaner.errors import InputError
from namecleaner.office import OfficeProfile
from namecleaner.pipeline import Pipeline, build_pipeline
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


class Cleaner:
    """Runs a pipeline over batches, remembering recent results across batches.

    The memory is bounded (``cache_size`` distinct values), so streaming a file in chunks
    keeps a steady footprint while repeated names are cleaned once.
    """

    def __init__(self, pipeline: Pipeline, *, cache_size: int = 200_000) -> None:
        self.pipeline = pipeline
        self.columns = pipeline.columns
        self.cache_size = cache_size
        self._cache: dict[tuple[str, str | None], tuple[tuple[Any, ...], str | None]] = {}

    def _clean_one(self, value: str, country: str | None) -> tuple[tuple[Any, ...], str | None]:
        key = (value, country)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        try:
            record = self.pipeline.run(value, country)
            result: tuple[tuple[Any, ...], str | None] = (tuple(record.value(c) for c in self.columns), None)
        except Exception as error:  # one bad value must never stop a batch of millions
            failed = NameRecord(value, country)
            failed.add_step("pipeline", "error", f"{type(error).__name__}: {error}")
            result = (tuple(failed.value(c) for c in self.columns), f"{type(error).__name__}: {error}")
        if len(self._cache) >= self.cache_size:
            del self._cache[next(iter(self._cache))]
        self._cache[key] = result
        return result

    def clean(self, values: Sequence[Any] | pd.Series, country: Sequence[Any] | pd.Series | None = None) -> CleanResult:
        """Clean a batch; the frame has the pipeline's columns and a RangeIndex over the input."""
        texts = pd.Series(values, dtype=object).reset_index(drop=True)
        missing = texts.isna().to_numpy()
        texts = texts.where(missing, texts.astype(str)) if len(texts) else texts
        if country is None:
            codes, uniques = pd.factorize(texts, use_na_sentinel=True)
            unique_keys = [(value, None) for value in uniques]
        else:
            countries = pd.Series(country, dtype=object).reset_index(drop=True)
            countries = countries.where(countries.notna(), None)
            keys = pd.Series([None if m else (v, c) for m, v, c in zip(missing, texts, countries)], dtype=object)
            codes, unique_index = pd.factorize(keys, use_na_sentinel=True)
            unique_keys = list(unique_index)
        rows, errors_by_code = [], {}
        for code, (value, row_country) in enumerate(unique_keys):
            row, error = self._clean_one(value, None if pd.isna(row_country) else str(row_country))
            rows.append(row)
            if error:
                errors_by_code[code] = error
        rows.append((None,) * len(self.columns))  # the row that missing values map to
        codes = codes.copy()
        codes[codes < 0] = len(rows) - 1
        table = pd.DataFrame(rows, columns=list(self.columns), dtype=object)
        frame = table.iloc[codes].reset_index(drop=True).astype({c: column_dtype(c) for c in self.columns})
        errors = tuple(
            RowError(position, unique_keys[code][0], errors_by_code[code])
            for position, code in enumerate(codes) if code in errors_by_code
        ) if errors_by_code else ()
        return CleanResult(frame, errors)


def clean(
    values: Iterable[Any] | pd.Series,
    office: str | OfficeProfile | None = None,
    *,
    country: Iterable[Any] | pd.Series | None = None,
    stages: Iterable[str] | None = None,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    pipeline: Pipeline | None = None,
) -> pd.DataFrame:
    """Clean names; one output row per input value, in input order.

    The frame has the original value in ``original`` and one column per field the pipeline
    fills. A Series keeps its index. ``country`` gives an ISO country code per row;
    ``stages`` and ``options`` narrow and override the office profile (see
    :func:`namecleaner.pipeline.build_pipeline`).

    >>> frame = clean(["ＴＯＹＯＴＡ", None, "AT&amp;T"])
    >>> frame["name_clean"].tolist(), frame["name_match"].tolist()
    (['TOYOTA', <NA>, 'AT&T'], ['toyota', <NA>, 'at&t'])
    """
    pipeline = pipeline or build_pipeline(office, stages=stages, options=options)
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
    cleaner: Cleaner, frame: pd.DataFrame, column: str, *, country_column: str | None = None, names: Sequence[str] | None = None
) -> CleanResult:
    """``frame`` with the cleaned fields of ``column`` appended, as ``names`` (see :func:`appended_names`).

    The rows, their order and index are the input's; this is what the CLI does to each chunk
    and Dask to each partition, so both give the same table.

    >>> frame = pd.DataFrame({"id": [7], "name": ["ＳＯＮＹ"]}, index=[3])
    >>> clean_frame(Cleaner(build_pipeline()), frame, "name").frame[["id", "name_clean"]]
       id name_clean
    3   7       SONY
    """
    result = cleaner.clean(frame[column], frame[country_column] if country_column else None)
    cleaned = result.frame
    cleaned.columns = list(names) if names is not None else appended_names(frame.columns, cleaner.columns)
    cleaned.index = frame.index
    return CleanResult(pd.concat([frame, cleaned], axis=1), result.errors)
