"""What the review report shows, gathered from a cleaned and clustered table chunk by chunk.

:class:`ReportCollector` keeps one row per distinct combination of the fields the report
shows (spelling, match key, cluster, script, romanisation, legal form, name type …) with the
number of rows behind it, so its memory grows with distinct names, not rows. :meth:`finish`
then gives the summary tables the charts draw and the compact cluster list the page embeds.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from namecleaner.cluster import ClusterResult
from namecleaner.cluster.assign import Decision
from namecleaner.cluster.score import legal_form_families, score_units
from namecleaner.resources import data_path, read_tsv_table
from namecleaner.text.scripts import script_counts

#: Cleaned-output fields the report reads, when the table has them (after any prefix).
FIELDS = (
    "script",
    "language",
    "name_latin",
    "translit_table",
    "legal_form",
    "legal_form_class",
    "name_type",
    "sector",
)
#: How far from the merge threshold a weakest link counts as doubtful.
NEAR = 0.1
#: Cluster flags (a bit mask in the page): why a cluster is worth a second look.
FLAG_NEAR, FLAG_NAME_TYPES, FLAG_COUNTRIES, FLAG_FAMILIES = 1, 2, 4, 8


@cache
def abjad_scripts() -> frozenset[str]:
    """Scripts written without most vowels (``data/report/abjad_scripts.tsv``)."""
    table = read_tsv_table(
        data_path("report", "abjad_scripts.tsv"), required_columns=("script", "name")
    )
    return frozenset(row["script"] for row in table.rows)


def changed_stages(steps: str) -> str:
    """The stages that changed a name, from its ``steps`` JSON, comma-joined in order.

    >>> changed_stages('[{"stage": "unicode", "step": "nfc"}, {"stage": "legal_form", "step": "split"}]')
    'unicode,legal_form'
    >>> changed_stages("")
    ''
    """
    if not steps:
        return ""
    return ",".join(dict.fromkeys(item["stage"] for item in json.loads(steps)))


def romanisation_doubt(script: str, latin: str, table: str) -> str:
    """Why a name's romanisation is doubtful, or ``""``.

    A name in an abjad is romanised as a consonant skeleton; letters of another script left in
    the romanisation were not romanised at all; a non-Latin name no table covered went through
    a generic transform.

    >>> romanisation_doubt("Hebr", "HVNYVRSYTH", "icao-heb-Hebr-Latn-9303")
    'consonant skeleton'
    >>> romanisation_doubt("Hani", "華為 Technology", "")
    'left unromanised'
    >>> romanisation_doubt("Cyrl", "Gazprom", "bgnpcgn-rus-Cyrl-Latn-1947"), romanisation_doubt("Latn", "Acme", "")
    ('', '')
    """
    if not script or script == "Latn":
        return ""
    if any(found != "Latn" for found in script_counts(latin)):
        return "left unromanised"
    if script in abjad_scripts():
        return "consonant skeleton"
    return "" if table else "generic transform"


@dataclass(frozen=True)
class Columns:
    """Where the report's fields are in a cleaned table."""

    name: str
    key: str
    prefix: str = ""
    country: str | None = None
    count: str | None = None


class ReportCollector:
    """Distinct report rows with their row counts, gathered chunk by chunk."""

    def __init__(self, columns: Columns) -> None:
        self.columns = columns
        self._parts: list[pd.Series] = []
        self._stages: dict[str, str] = {}

    def add(
        self, frame: pd.DataFrame, ids: Sequence[Any], names: Sequence[Any]
    ) -> None:
        """Add a chunk of the cleaned table and each row's cluster id and name (None when unclustered)."""
        c = self.columns
        text = {
            "name": frame[c.name],
            "key": frame[c.key],
            "country": frame[c.country] if c.country else None,
            **{f: frame.get(c.prefix + f) for f in FIELDS},
        }
        part = pd.DataFrame({k: _text(v, len(frame)) for k, v in text.items()})
        part["cluster_id"] = _text(pd.Series(list(ids), dtype=object), len(frame))
        part["cluster_name"] = _text(pd.Series(list(names), dtype=object), len(frame))
        steps = c.prefix + "steps"
        part["stages"] = (
            _text(frame[steps], len(frame)).map(self._changed) if steps in frame else ""
        )
        counts = (
            pd.to_numeric(frame[c.count], errors="coerce")
            .fillna(1)
            .astype(int)
            .to_numpy()
            if c.count
            else 1
        )
        part["rows"] = counts
        self._parts.append(
            part.groupby(list(part.columns[:-1]), sort=False)["rows"].sum()
        )

    def _changed(self, steps: str) -> str:
        found = self._stages.get(steps)
        if found is None:
            found = self._stages[steps] = changed_stages(steps)
        return found

    def table(self) -> pd.DataFrame:
        """One row per distinct combination of the report's fields, with ``rows``."""
        if not self._parts:
            columns = [
                "name",
                "key",
                "country",
                *FIELDS,
                "cluster_id",
                "cluster_name",
                "stages",
                "rows",
            ]
            return pd.DataFrame(columns=columns)
        joined = pd.concat(self._parts)
        self._parts = [joined]
        return (
            joined.groupby(level=list(range(joined.index.nlevels)), sort=False)
            .sum()
            .reset_index()
        )


def _text(values: pd.Series | None, size: int) -> pd.Series:
    """Values as plain strings, missing as ``""`` (so they group)."""
    if values is None:
        return pd.Series([""] * size, dtype=object)
    series = pd.Series(values).reset_index(drop=True).astype(object)
    return series.where(series.notna(), "").astype(str)


def link_explanation(result: ClusterResult, decision: Decision) -> list[str]:
    """The lines ``namecleaner explain`` prints for one merge: the pair score, the link, the rule."""
    keys, rule = result.units.keys, result.thresholds
    pair = score_units(result.model, result.units, decision.left, decision.right)
    return [
        f"{keys[decision.left]!r} + {keys[decision.right]!r}",
        f"pair: {pair.describe()}",
        (
            f"merge: edge {decision.score:.3f}, average link {decision.linkage:.3f}, "
            f"weakest member pair {decision.weakest:.3f} ({decision.reason})"
        ),
        f"rule: merge when the average link reaches {rule.merge} and no member pair scores under {rule.veto}",
    ]


def weakest_links(result: ClusterResult) -> dict[str, Decision]:
    """The accepted merge with the lowest average link of each cluster, by cluster id."""
    cluster_of = result.assignment.cluster_of()
    weakest: dict[int, Decision] = {}
    for decision in result.assignment.decisions:
        if decision.accepted:
            number = cluster_of[decision.left]
            if number not in weakest or decision.linkage < weakest[number].linkage:
                weakest[number] = decision
    return {result.ids[number]: decision for number, decision in weakest.items()}


def link_scores(
    result: ClusterResult, width: float = 0.25, bins: int = 25
) -> pd.DataFrame:
    """Counts of the accepted and refused merges by average link, within ``width`` of the threshold."""
    merge = result.thresholds.merge
    edges = np.linspace(merge - width, merge + width, bins + 1)
    frames = []
    for accepted, label in ((True, "accepted"), (False, "refused")):
        values = np.array(
            [d.linkage for d in result.assignment.decisions if d.accepted is accepted],
            dtype=float,
        )
        counts, _ = np.histogram(values, bins=edges)
        frames.append(
            pd.DataFrame(
                {
                    "link": edges[:-1].round(3),
                    "to": edges[1:].round(3),
                    "decision": label,
                    "merges": counts,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def cluster_list(table: pd.DataFrame, result: ClusterResult | None) -> dict[str, Any]:
    """The clusters as compact JSON-ready lists: ``scripts`` (the script codes) and ``clusters``.

    Each cluster is ``[id, name, rows, weakest link or None, scripts spanned, flags, units,
    explanation lines or None]``; each unit ``[match key, spellings]``; each spelling ``[name,
    rows, script number, romanisation ("" when the same)]``. Clusters, units and spellings come
    most mentioned first. One pass over the rows sorted by cluster, unit and spelling.
    """
    fields = [
        "cluster_id",
        "cluster_name",
        "key",
        "name",
        "script",
        "name_latin",
        "country",
        "name_type",
        "legal_form_class",
    ]
    rows = (
        table[table["cluster_id"] != ""]
        .groupby(fields, sort=False)["rows"]
        .sum()
        .reset_index()
    )
    rows["unit_rows"] = rows.groupby(["cluster_id", "key"], sort=False)[
        "rows"
    ].transform("sum")
    rows["cluster_rows"] = rows.groupby("cluster_id", sort=False)["rows"].transform(
        "sum"
    )
    rows = rows.sort_values(
        ["cluster_rows", "cluster_id", "unit_rows", "key", "rows", "name"],
        ascending=[False, True, False, True, False, True],
    )
    weakest = weakest_links(result) if result is not None else {}
    scripts: dict[str, int] = {}
    clusters: list[list[Any]] = []
    builder: _Cluster | None = None
    for (
        cluster_id,
        cluster_name,
        key,
        name,
        script,
        latin,
        country,
        name_type,
        form_class,
        count,
    ) in zip(*(rows[f].tolist() for f in [*fields, "rows"])):
        if builder is None or builder.cluster_id != cluster_id:
            if builder is not None:
                clusters.append(builder.finish(result, weakest.get(builder.cluster_id)))
            builder = _Cluster(cluster_id, cluster_name)
        builder.add(
            key,
            [
                name,
                int(count),
                scripts.setdefault(script, len(scripts)),
                "" if latin == name else latin,
            ],
            script,
            country,
            name_type,
            form_class,
        )
    if builder is not None:
        clusters.append(builder.finish(result, weakest.get(builder.cluster_id)))
    return {"scripts": list(scripts), "clusters": clusters}


class _Cluster:
    """One cluster of :func:`cluster_list` being built, spelling by spelling."""

    def __init__(self, cluster_id: str, name: str) -> None:
        self.cluster_id, self.name = cluster_id, name
        self.units: list[list[Any]] = []
        self.rows = 0
        self.scripts: set[str] = set()
        self.name_types: set[str] = set()
        self.countries: set[str] = set()
        self.families: set[str] = set()

    def add(
        self,
        key: str,
        spelling: list[Any],
        script: str,
        country: str,
        name_type: str,
        form_class: str,
    ) -> None:
        if not self.units or self.units[-1][0] != key:
            self.units.append([key, []])
        self.units[-1][1].append(spelling)
        self.rows += spelling[1]
        for found, value in (
            (self.scripts, script),
            (self.countries, country),
            (self.name_types, name_type),
        ):
            if value:
                found.add(value)
        if form_class:
            self.families.add(legal_form_families().get(form_class, form_class))

    def finish(self, result: ClusterResult | None, link: Decision | None) -> list[Any]:
        flags = 0
        if (
            link is not None
            and result is not None
            and abs(link.linkage - result.thresholds.merge) <= NEAR
        ):
            flags |= FLAG_NEAR
        for found, flag in (
            (self.name_types, FLAG_NAME_TYPES),
            (self.countries, FLAG_COUNTRIES),
            (self.families, FLAG_FAMILIES),
        ):
            if len(found) > 1:
                flags |= flag
        explanation = (
            link_explanation(result, link)
            if link is not None and result is not None
            else None
        )
        weakest = None if link is None else round(link.linkage, 3)
        return [
            self.cluster_id,
            self.name,
            self.rows,
            weakest,
            len(self.scripts),
            flags,
            self.units,
            explanation,
        ]
