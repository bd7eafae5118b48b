"""What a batch run did, told at its end: rows, distinct names, what each stage changed, clusters, time.

A :class:`RunSummary` is fed the cleaned columns of each chunk (:meth:`RunSummary.add`), the
clusters when there are any (:meth:`RunSummary.add_clusters`) and the time of each phase
(:meth:`RunSummary.phase`). It is printed on stderr (:meth:`RunSummary.lines`) and written as
JSON (:meth:`RunSummary.to_dict`) by ``namecleaner clean --summary FILE``.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

#: How many of the commonest legal forms and of the largest clusters a summary names.
TOP = 10
#: What "changed" means for each stage, read off its output columns: (column, compared with).
#: ``None`` as the second element means "has a value".
_CHANGED_BY = {
    "unicode": ("name_clean", "original"),
    "transliterate": ("name_latin", "name_clean"),
    "legal_form": ("legal_form", None),
}


@dataclass
class RunSummary:
    """Counts gathered over the chunks of a run, and the seconds spent in each phase."""

    rows: int = 0
    names: int = 0
    errors: int = 0
    changed: Counter[str] = field(default_factory=Counter)
    scripts: Counter[str] = field(default_factory=Counter)
    tables: Counter[str] = field(default_factory=Counter)
    legal_forms: Counter[str] = field(default_factory=Counter)
    name_types: Counter[str] = field(default_factory=Counter)
    clusters: int | None = None
    largest_clusters: list[dict[str, Any]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    _hashes: list[np.ndarray] = field(default_factory=list, repr=False)

    def add(self, original: pd.Series, cleaned: Mapping[str, pd.Series], errors: int = 0) -> None:
        """Count one chunk: its original names and its cleaned columns by their unprefixed names."""
        self.rows += len(original)
        self.errors += errors
        present = (original.notna() & (original != "")).to_numpy()
        self.names += int(present.sum())
        if present.any():
            self._hashes.append(np.unique(pd.util.hash_array(original[present].astype(str).to_numpy(dtype=object))))
            if sum(len(h) for h in self._hashes) > 4_000_000:
                self._hashes = [np.unique(np.concatenate(self._hashes))]
        columns = {
            "original": original.reset_index(drop=True),
            **{k: v.reset_index(drop=True) for k, v in cleaned.items()},
        }
        for stage, (column, other) in _CHANGED_BY.items():
            if column in columns and (other is None or other in columns):
                value = columns[column]
                differs = (
                    value.notna()
                    if other is None
                    else value.notna() & (value.astype(object) != columns[other].astype(object))
                )
                self.changed[stage] += int(differs.sum())
        for counter, column in (
            (self.scripts, "script"),
            (self.legal_forms, "legal_form"),
            (self.name_types, "name_type"),
        ):
            if column in columns:
                counter.update(columns[column].dropna().value_counts().to_dict())
        if "translit_table" in columns:
            used = columns["translit_table"].dropna().value_counts()
            for tables, count in used.items():
                for table in str(tables).split("+"):
                    self.tables[table] += int(count)

    def add_clusters(self, result: Any) -> None:
        """The clusters of a :class:`~namecleaner.cluster.ClusterResult`: how many, and the largest by rows."""
        mentions = result.units.mentions
        sizes = [
            (name, sum(mentions[unit] for unit in members), len(members))
            for name, members in zip(result.names, result.assignment.clusters)
        ]
        self.clusters = len(sizes)
        largest = sorted(sizes, key=lambda c: (-c[1], -c[2], c[0]))[:TOP]
        self.largest_clusters = [{"name": name, "rows": rows, "keys": keys} for name, rows, keys in largest]

    def restart(self) -> None:
        """Forget the counts, keeping the time spent: a pass that starts again from the first row."""
        self.__dict__.update({**RunSummary().__dict__, "seconds": self.seconds})

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Add the time spent in the block to phase ``name``."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

    @property
    def distinct(self) -> int:
        """Distinct names over the whole run (by a 64-bit hash of each)."""
        return len(np.unique(np.concatenate(self._hashes))) if self._hashes else 0

    def to_dict(self) -> dict[str, Any]:
        """The summary as plain JSON-ready values.

        >>> s = RunSummary()
        >>> s.add(pd.Series(["ＡＢＣ", "ABC", None]), {"name_clean": pd.Series(["ABC", "ABC", None])})
        >>> d = s.to_dict(); d["rows"], d["distinct_names"], d["rows_changed"]
        (3, 2, {'unicode': 1})
        """
        out: dict[str, Any] = {
            "rows": self.rows,
            "names": self.names,
            "distinct_names": self.distinct,
            "row_errors": self.errors,
            "rows_changed": dict(self.changed),
            "scripts": dict(self.scripts.most_common()),
            "tables": dict(self.tables.most_common()),
            "legal_forms_found": sum(self.legal_forms.values()),
            "legal_forms": dict(self.legal_forms.most_common(TOP)),
            "name_types": dict(self.name_types.most_common()),
        }
        if self.clusters is not None:
            out["clusters"] = self.clusters
            out["largest_clusters"] = self.largest_clusters
        out["seconds"] = {name: round(seconds, 3) for name, seconds in self.seconds.items()}
        return out

    def lines(self) -> list[str]:
        """The summary as a few lines of text, for stderr."""
        d = self.to_dict()

        def counts(values: Mapping[str, int], limit: int = TOP) -> str:
            return ", ".join(f"{k} {v:,}" for k, v in list(values.items())[:limit]) or "none"

        out = [
            f"{d['rows']:,} rows, {d['names']:,} names, {d['distinct_names']:,} distinct"
            + (f", {d['row_errors']:,} row problems" if d["row_errors"] else ""),
            "rows changed: " + counts(d["rows_changed"]),
            "scripts: " + counts(d["scripts"]),
            "tables: " + counts(d["tables"]),
            f"legal forms: {d['legal_forms_found']:,} found; " + counts(d["legal_forms"], 5),
            "name types: " + counts(d["name_types"]),
        ]
        if self.clusters is not None:
            largest = "; ".join(f"{c['name']} ({c['rows']:,} rows)" for c in self.largest_clusters[:3])
            out.append(f"clusters: {self.clusters:,}; largest: {largest or 'none'}")
        out.append("time: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.seconds.items()))
        return out
