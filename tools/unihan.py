"""Reading Unihan's bz2 data files (Unicode licence) for the table generators in this folder."""

from __future__ import annotations

import bz2
from collections.abc import Iterator
from pathlib import Path


def unihan_entries(path: Path) -> tuple[str, Iterator[tuple[str, str, str]]]:
    """The file's Unicode version and its (character, field, value) entries, in file order."""
    with bz2.open(path, "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    version = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("# Unicode version:")), "")

    def entries() -> Iterator[tuple[str, str, str]]:
        for line in lines:
            parts = line.split("\t")
            if len(parts) == 3 and parts[0].startswith("U+"):
                yield chr(int(parts[0][2:], 16)), parts[1], parts[2]

    return version, entries()


def write_table(path: Path, header: list[str], rows: list[str]) -> None:
    """Write a generated table: its ``# key: value`` metadata and column line, then its rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(header + rows) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} rows to {path}")
