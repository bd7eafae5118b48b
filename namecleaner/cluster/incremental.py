"""Incremental mode: assign new names to the clusters of an existing authority file.

An authority file lists canonical names with their cluster ids (CSV or TSV with columns
``name`` and ``cluster_id``, and optionally ``cluster_name``). Its names join the run as
units already grouped by id; existing clusters never merge with each other and keep their
ids and names, so a new name either joins an existing cluster or starts a new one with a
new id. Nothing already in the authority is re-clustered.

A name, or two names with one match key, under two ids is refused with the lines: one key
is one unit, which cannot belong to two clusters.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from namecleaner.cluster.features import Units, build_units
from namecleaner.errors import DataFileError
from namecleaner.resources import read_data_text

REQUIRED = ("name", "cluster_id")


@dataclass(frozen=True)
class Authority:
    """Existing clusters: the match keys of each cluster id, and the cluster names."""

    keys: dict[str, list[str]]
    names: dict[str, str] = field(default_factory=dict)
    #: (key, display name) of every authority row, to add them to the units
    variants: tuple[tuple[str, str], ...] = ()

    def id_of_key(self) -> dict[str, str]:
        """The cluster id of each authority key."""
        return {key: cluster for cluster, keys in self.keys.items() for key in keys}


def read_authority(path: str | Path, make_keys: Callable[[list[str]], list[str | None]]) -> Authority:
    """Read an authority file; names are cleaned to match keys by ``make_keys``."""
    path = Path(path)
    delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
    reader = csv.DictReader(io.StringIO(read_data_text(path), newline=""), delimiter=delimiter)
    try:
        header = reader.fieldnames or []
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise DataFileError(path, [f"column '{c}' is missing from the header" for c in missing])
        rows = []
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as error:
        raise DataFileError(path, [f"line {reader.line_num}: {error}"]) from None
    problems = [
        f"line {line}: empty name or cluster_id"
        for line, r in rows
        if not (r["name"] or "").strip() or not (r["cluster_id"] or "").strip()
    ]
    if problems:
        raise DataFileError(path, problems)
    names = [r["name"].strip() for _, r in rows]
    keys = make_keys(names)
    by_id: dict[str, list[str]] = {}
    shown: dict[str, str] = {}
    variants = []
    first: dict[str, tuple[int, str, str]] = {}  # key -> (line, name, id) where it first appears
    for (line, row), name, key in zip(rows, names, keys):
        cluster = row["cluster_id"].strip()
        if isinstance(row.get("cluster_name"), str) and row["cluster_name"]:
            shown.setdefault(cluster, row["cluster_name"].strip())
        if key:
            seen_line, seen_name, seen_id = first.setdefault(key, (line, name, cluster))
            if seen_id != cluster:
                same = f"{name!r}" if name == seen_name else f"{seen_name!r} and {name!r} (one key, {key!r})"
                problems.append(f"lines {seen_line}, {line}: {same} under two ids, {seen_id} and {cluster}")
                continue
            by_id.setdefault(cluster, []).append(key)
            variants.append((key, name))
    if problems:
        raise DataFileError(path, problems)
    return Authority(by_id, shown, tuple(variants))


def with_authority(units: Units, authority: Authority) -> Units:
    """The units plus the authority's names (with no mentions of their own)."""
    keys, names, counts = [], [], []
    for number, key in enumerate(units.keys):
        for name, count in units.variants[number].items():
            keys.append(key)
            names.append(name)
            counts.append(count)
    known = set(units.keys)
    for key, name in authority.variants:
        if key not in known:
            keys.append(key)
            names.append(name)
            counts.append(0)
    merged = build_units(keys, names, counts)
    index = {key: number for number, key in enumerate(units.keys)}
    merged.legal_form_class = [units.legal_form_class[index[k]] if k in index else None for k in merged.keys]
    merged.name_type = [units.name_type[index[k]] if k in index else None for k in merged.keys]
    return merged
