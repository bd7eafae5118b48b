"""Where transliteration tables come from: user folders, installed packages, built-ins.

A table file is named after its id, so finding a table never parses the others. Places, in
priority order (a higher place replaces a table of the same id from a lower one):

1. folders given with ``--tables DIR`` (the ``tables_dirs`` option);
2. folders in the ``NAMECLEANER_TABLES`` environment variable (``os.pathsep``-separated);
3. packages declaring an entry point in the ``namecleaner.transliteration_tables`` group,
   whose value is an importable package holding ``.toml``/``.csv`` tables;
4. the built-in ``transliteration_tables`` folder.
"""

from __future__ import annotations

import importlib.resources
import os
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

from namecleaner.errors import DataFileError, NameCleanerError
from namecleaner.resources import load_resource, transliteration_tables_dir
from namecleaner.translit.table import Table, load_table

ENV_VAR = "NAMECLEANER_TABLES"
ENTRY_POINT_GROUP = "namecleaner.transliteration_tables"
TABLE_SUFFIXES = (".toml", ".csv")


@dataclass(frozen=True)
class TableSource:
    """Where a table file was found: ``origin`` is 'user', 'env', 'package NAME' or 'built-in'."""

    path: Path
    origin: str


def _files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in TABLE_SUFFIXES and p.is_file())


def _package_folders() -> list[tuple[str, Path]]:
    folders = []
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        try:
            folder = Path(str(importlib.resources.files(point.value)))
        except (ModuleNotFoundError, TypeError) as error:
            raise NameCleanerError(
                f"entry point '{point.name}' of group {ENTRY_POINT_GROUP} names '{point.value}', not an importable package: {error}"
            ) from None
        folders.append((f"package {point.name}", folder))
    return folders


def table_sources(tables_dirs: Iterable[str | Path] = ()) -> dict[str, TableSource]:
    """Every available table id and the file it is read from."""
    places: list[tuple[str, Path]] = [("user", Path(d)) for d in tables_dirs]
    places += [("env", Path(d)) for d in os.environ.get(ENV_VAR, "").split(os.pathsep) if d]
    places += _package_folders()
    places.append(("built-in", transliteration_tables_dir()))
    found: dict[str, TableSource] = {}
    for origin, folder in places:
        if not folder.is_dir():
            problem = "is not a folder" if folder.exists() else "does not exist"
            raise NameCleanerError(f"transliteration table folder {folder} ({origin}) {problem}")
        here: dict[str, Path] = {}
        for path in _files_in(folder):
            if path.stem in here:
                raise DataFileError(path, [f"table id '{path.stem}' is also defined by {here[path.stem]}"])
            here[path.stem] = path
        for table_id, path in here.items():
            found.setdefault(table_id, TableSource(path, origin))
    return found


def _load(path: Path, mtime_ns: int) -> Table:
    return load_table(path)


def load_cached(path: Path) -> Table:
    """A table read once per file version (the key includes the modification time), in the context's store."""
    return load_resource(_load, path, path.stat().st_mtime_ns)


class TableRegistry:
    """The tables available to a run, loaded on first use."""

    def __init__(self, tables_dirs: Iterable[str | Path] = ()) -> None:
        self.sources = table_sources(tables_dirs)

    def ids(self) -> list[str]:
        return sorted(self.sources)

    def __contains__(self, table_id: object) -> bool:
        return table_id in self.sources

    def get(self, table_id: str) -> Table:
        """The table with this id; a clear error naming the available ids otherwise."""
        source = self.sources.get(table_id)
        if source is None:
            raise NameCleanerError(f"no transliteration table '{table_id}'; available: {', '.join(self.ids())}")
        return load_cached(source.path)
