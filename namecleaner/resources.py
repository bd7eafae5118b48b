"""Reading the project's data files: package resources and TSV tables with metadata.

Reference data lives in data files, never in Python literals. A TSV table opens with
``# key: value`` metadata lines (authority, version, licence, source), then a header row,
then one record per line. :func:`read_tsv_table` checks the whole file and reports every
problem at once, with file and line.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from namecleaner.errors import DataFileError

PACKAGE_DIR = Path(__file__).resolve().parent
T = TypeVar("T")
# The one store of loaded data tables, keyed by their loader; the context owns and clears it.
_LOADED: dict[tuple[Callable[..., Any], tuple[Any, ...]], Any] = {}

#: Metadata every shipped table must carry.
REQUIRED_METADATA = ("id", "title", "version", "source", "licence")


def data_path(*parts: str) -> Path:
    """Path of a file in the package's ``data`` folder, independent of the working directory."""
    return PACKAGE_DIR.joinpath("data", *parts)


@cache
def transliteration_tables_dir() -> Path:
    """The built-in ``transliteration_tables`` folder.

    An installed wheel carries it inside the package; a source checkout has it at the top of
    the repository, beside the package.
    """
    for candidate in (PACKAGE_DIR / "transliteration_tables", PACKAGE_DIR.parent / "transliteration_tables"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the built-in transliteration_tables folder is missing from this install")


def load_resource(loader: Callable[..., T], *args: Any) -> T:
    """What ``loader(*args)`` reads, read once until :func:`clear_resources` (``Context.load`` calls this)."""
    key = (loader, args)
    if key not in _LOADED:
        _LOADED[key] = loader(*args)
    return _LOADED[key]


def clear_resources() -> None:
    """Forget every loaded table (``Context.clear`` calls this)."""
    _LOADED.clear()


def shared(loader: Callable[[], T]) -> Callable[[], T]:
    """Decorate a loader of a data table so that it reads once into the context's store.

    >>> @shared
    ... def numbers() -> list[int]:
    ...     return [1, 2]
    >>> numbers() is numbers()
    True
    """

    def load() -> T:
        return load_resource(loader)

    load.__doc__, load.__name__, load.__wrapped__ = loader.__doc__, loader.__name__, loader  # type: ignore[attr-defined]
    return load


@dataclass(frozen=True)
class TsvTable:
    """A data table read from a TSV file: its metadata, column names and rows.

    ``line_numbers[i]`` is the file line of ``rows[i]``, for error messages.
    """

    path: Path
    metadata: dict[str, str]
    columns: tuple[str, ...]
    rows: tuple[dict[str, str], ...]
    line_numbers: tuple[int, ...]

    @property
    def label(self) -> str:
        """``id@version``, the form recorded in provenance steps."""
        return f"{self.metadata.get('id', self.path.stem)}@{self.metadata.get('version', '?')}"


def read_tsv_table(
    path: Path | str,
    *,
    required_columns: Iterable[str] = (),
    required_metadata: Iterable[str] = REQUIRED_METADATA,
) -> TsvTable:
    """Read and check a TSV table; raise :class:`DataFileError` listing every problem."""
    path = Path(path)
    metadata: dict[str, str] = {}
    problems: list[str] = []
    rows: list[dict[str, str]] = []
    line_numbers: list[int] = []
    columns: tuple[str, ...] = ()
    opener = gzip.open if path.suffix == ".gz" else open  # large lexicons ship gzip-compressed
    # utf-8-sig: the BOM that Notepad and Excel write is no part of the header
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        lines = handle.read().splitlines()
    # The metadata lines open the file; the body starts at the first other line.
    body_start = next((number for number, line in enumerate(lines) if not line.startswith("#")), len(lines))
    for line in lines[:body_start]:
        key, sep, value = line[1:].partition(":")
        if sep and key.strip():
            metadata[key.strip()] = value.strip()
    reader = csv.reader(lines[body_start:], delimiter="\t", quoting=csv.QUOTE_NONE)
    for offset, cells in enumerate(reader):
        line_no = body_start + offset + 1
        if not columns:
            columns = tuple(cells)
            continue
        if not cells or (len(cells) == 1 and not cells[0]):
            continue
        if len(cells) != len(columns):
            problems.append(f"line {line_no}: {len(cells)} cells, expected {len(columns)} ({', '.join(columns)})")
            continue
        rows.append(dict(zip(columns, cells)))
        line_numbers.append(line_no)
    problems[:0] = [
        f"metadata '{key}' is missing (add a '# {key}: ...' line)" for key in required_metadata if key not in metadata
    ]
    if not columns:
        problems.append("no header row")
    problems[:0] = [
        f"column '{name}' is missing from the header" for name in required_columns if columns and name not in columns
    ]
    if problems:
        raise DataFileError(path, problems)
    return TsvTable(path, metadata, columns, tuple(rows), tuple(line_numbers))


def read_data_text(path: Path | str) -> str:
    """The UTF-8 text of a data file (a table, overrides, authority file), with a one-line
    :class:`DataFileError` for a missing path, a folder, or bytes that are not UTF-8 (with their line).

    A BOM is dropped. The error never quotes the file, which may be any file a link points to.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise DataFileError(path, ["is a folder, not a file"]) from None
    except FileNotFoundError:
        raise DataFileError(path, ["no such file"]) from None
    except OSError as error:
        raise DataFileError(path, [f"cannot read: {error.strerror or error}"]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise DataFileError(
            path, [f"line {line}: not UTF-8 text (byte {data[error.start]:#04x}); save the file as UTF-8"]
        ) from None
