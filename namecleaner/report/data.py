"""What the review report shows, gathered from a cleaned and clustered table chunk by chunk.

:class:`ReportCollector` keeps one row per distinct combination of the fields the report
shows (spelling, match key, cluster, script, romanisation, legal form, name type …) with the
number of rows behind it, so its memory grows with distinct names, not rows. :meth:`finish`
then gives the summary tables the charts draw and the compact cluster list the page embeds.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from namecleaner.cluster import ClusterResult
from namecleaner.cluster.assign import Decision
from namecleaner.cluster.score import legal_form_families, score_units
from namecleaner.errors import InputError
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
#: How many weakest links are scored again for the page (the doubtful ones first, then the largest):
#: each costs a pair score, and a reviewer reads the doubtful ones.
SCORED_LINKS = 10_000
#: Cluster flags (a bit mask in the page): why a cluster is worth a second look.
FLAG_NEAR, FLAG_NAME_TYPES, FLAG_COUNTRIES, FLAG_FAMILIES = 1, 2, 4, 8


@cache
def abjad_scripts() -> frozenset[str]:
    """Scripts written without most vowels (``data/report/abjad_scripts.tsv``)."""
    table = read_tsv_table(data_path("report", "abjad_scripts.tsv"), required_columns=("script", "name"))
    return frozenset(row["script"] for row in table.rows)


def changed_stages(steps: str) -> str:
    """The stages that changed a name, comma-joined in order, from its ``steps``: the full JSON
    provenance, or the compact ``stage.step`` words of ``clean --steps compact``.

    >>> changed_stages('[{"stage": "unicode", "step": "nfc"}, {"stage": "legal_form", "step": "split"}]')
    'unicode,legal_form'
    >>> changed_stages("unicode.nfc legal_form.split legal_form.standardise"), changed_stages("")
    ('unicode,legal_form', '')
    """
    if steps.startswith("["):
        stages = (item["stage"] for item in json.loads(steps))
    else:
        stages = (word.partition(".")[0] for word in steps.split())
    return ",".join(dict.fromkeys(stages))


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
    """Where the report's fields are in a cleaned table: ``name`` holds the spellings shown
    (default: the cleaned ``name_clean``, else the key), ``prefix`` is that of the new columns."""

    key: str
    name: str | None = None
    prefix: str = ""
    country: str | None = None
    count: str | None = None


#: The report table's columns, in order (then ``rows``).
TABLE_COLUMNS = (
    "name",
    "key",
    "country",
    *FIELDS,
    "cluster_id",
    "cluster_name",
    "stages",
)


class ReportCollector:
    """Distinct report rows with their row counts, gathered chunk by chunk."""

    def __init__(self, columns: Columns) -> None:
        self.columns = columns
        self._rows: Counter[tuple[str, ...]] = Counter()
        self._stages: dict[str, str] = {}

    def check(self, header: Sequence[str], path: str) -> None:
        """Fail on one line, before any work, when the table lacks a column the report was told to read."""
        c = self.columns
        for option, column in (
            ("--column", c.name),
            ("--country-column", c.country),
            ("--count-column", c.count),
        ):
            if column is not None and column not in header:
                raise InputError(
                    f"{path}: no column '{column}' ({option}) for the report; the header has: {', '.join(header[:12])}"
                )

    def add(self, frame: pd.DataFrame, ids: Sequence[Any], names: Sequence[Any]) -> None:
        """Add a chunk of the cleaned table and each row's cluster id and name (None when unclustered)."""
        c, size = self.columns, len(frame)
        name = c.name or (c.prefix + "name_clean" if c.prefix + "name_clean" in frame else c.key)
        steps = frame.get(c.prefix + "steps")
        values = [
            frame[name],
            frame[c.key],
            frame[c.country] if c.country else None,
            *(frame.get(c.prefix + f) for f in FIELDS),
            pd.Series(list(ids)),
            pd.Series(list(names)),
        ]
        columns = [_text(v, size) for v in values]
        columns.append([self._changed(v) for v in _text(steps, size)] if steps is not None else [""] * size)
        rows = zip(*columns, strict=True)
        if c.count:
            counts = pd.to_numeric(frame[c.count], errors="coerce").fillna(1).astype(int).tolist()
            for row, count in zip(rows, counts, strict=True):
                self._rows[row] += count
        else:
            self._rows.update(rows)

    def each(self, frames: Iterable[pd.DataFrame], id_column: str, name_column: str) -> Iterator[pd.DataFrame]:
        """Add each labelled chunk as it passes (``cluster_file`` writes them meanwhile)."""
        for frame in frames:
            self.add(frame, frame[id_column], frame[name_column])
            yield frame

    def _changed(self, steps: str) -> str:
        found = self._stages.get(steps)
        if found is None:
            found = self._stages[steps] = changed_stages(steps)
        return found

    def table(self) -> pd.DataFrame:
        """One row per distinct combination of the report's fields, with ``rows``."""
        frame = pd.DataFrame(list(self._rows), columns=list(TABLE_COLUMNS), dtype=object)
        frame["rows"] = pd.Series(list(self._rows.values()), dtype="int64")
        return frame


def _text(values: pd.Series | None, size: int) -> list[str]:
    """Values as plain strings, missing as ``""`` (so they group).

    >>> _text(pd.Series(["a", None, float("nan"), pd.NA, 3]), 5)
    ['a', '', '', '', '3']
    """
    if values is None:
        return [""] * size
    missing = values.isna().tolist()
    return ["" if gap else str(v) for v, gap in zip(values.tolist(), missing, strict=True)]


def link_detail(result: ClusterResult, decision: Decision, *, scored: bool = True) -> list[Any]:
    """One merge as the page shows it, in the words of ``namecleaner explain``: ``[key, other key,
    edge, average link, weakest member pair, reason, pair lines]``.

    The pair lines are the pair score and its waterfall, scored again (the costly part), or
    none without ``scored``: the page then names the ``explain`` command that shows them.
    """
    keys, model = result.units.keys, result.model
    lines: list[str] = []
    if scored:
        pair = score_units(model, result.units, decision.left, decision.right)
        lines = (
            [pair.describe(), *(f"  {line}" for line in pair.waterfall(model.matcher))]
            if pair.values
            else [pair.describe()]
        )
    numbers = (
        round(decision.score, 3),
        round(decision.linkage, 3),
        round(decision.weakest, 3),
    )
    return [keys[decision.left], keys[decision.right], *numbers, decision.reason, lines]


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


def link_scores(result: ClusterResult, width: float = 0.25, bins: int = 25) -> pd.DataFrame:
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
    weakest link's detail (:func:`link_detail`) or None]``; each unit ``[match key, spellings]``; each spelling ``[name,
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
    rows = table[table["cluster_id"] != ""].groupby(fields, sort=False)["rows"].sum().reset_index()
    rows["unit_rows"] = rows.groupby(["cluster_id", "key"], sort=False)["rows"].transform("sum")
    rows["cluster_rows"] = rows.groupby("cluster_id", sort=False)["rows"].transform("sum")
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
    if result is not None:
        _explain(clusters, weakest, result)
    return {"scripts": list(scripts), "clusters": clusters}


def _explain(clusters: list[list[Any]], weakest: dict[str, Decision], result: ClusterResult) -> None:
    """Each cluster's weakest link explained; the first :data:`SCORED_LINKS`, doubtful first, with the pair score."""
    order = sorted(range(len(clusters)), key=lambda i: (not clusters[i][5] & FLAG_NEAR, i))
    scored = 0
    for i in order:
        link = weakest.get(clusters[i][0])
        if link is not None:
            clusters[i][7] = link_detail(result, link, scored=scored < SCORED_LINKS)
            scored += 1


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
        if link is not None and result is not None and abs(link.linkage - result.thresholds.merge) <= NEAR:
            flags |= FLAG_NEAR
        for found, flag in (
            (self.name_types, FLAG_NAME_TYPES),
            (self.countries, FLAG_COUNTRIES),
            (self.families, FLAG_FAMILIES),
        ):
            if len(found) > 1:
                flags |= flag
        weakest = None if link is None else round(link.linkage, 3)
        return [
            self.cluster_id,
            self.name,
            self.rows,
            weakest,
            len(self.scripts),
            flags,
            self.units,
            None,  # the weakest link's detail, filled by cluster_list
        ]
