"""The report's summary charts, as Vega-Lite specifications drawn with altair.

Every chart is built from a small aggregate of :meth:`ReportCollector.table` (never the rows
themselves), so the specifications stay small whatever the size of the file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from namecleaner.cluster import ClusterResult
from namecleaner.report.data import link_scores, romanisation_doubt

#: Bars shown at most in a chart of categories (the rest are summed as "other").
TOP = 25
WIDTH = 360


def counts(table: pd.DataFrame) -> dict[str, int]:
    """Rows, distinct names and clusters of the table.

    >>> counts(pd.DataFrame({"name": ["A", "A", "B", ""], "cluster_id": ["x", "x", "y", ""], "rows": [2, 1, 1, 1]}))
    {'rows': 5, 'names': 2, 'clusters': 2}
    """
    return {
        "rows": int(table["rows"].sum()),
        "names": int(table.loc[table["name"] != "", "name"].nunique()),
        "clusters": int(table.loc[table["cluster_id"] != "", "cluster_id"].nunique()),
    }


def _tally(table: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Rows by the values of ``columns`` (empty values shown as "none"), largest first, the tail as "other"."""
    frame = table[list(columns)].replace("", "none").assign(rows=table["rows"])
    found = frame.groupby(list(columns), sort=False)["rows"].sum().reset_index().sort_values("rows", ascending=False)
    if len(columns) == 1 and len(found) > TOP:
        tail = pd.DataFrame({columns[0]: ["other"], "rows": [found["rows"].iloc[TOP:].sum()]})
        found = pd.concat([found.iloc[:TOP], tail], ignore_index=True)
    return found


def _bars(frame: pd.DataFrame, category: str, title: str, color: str | None = None) -> alt.Chart:
    encoding: dict[str, Any] = {
        "x": alt.X("rows:Q", title="rows"),
        "y": alt.Y(f"{category}:N", sort="-x", title=None),
        "tooltip": [f"{category}:N", "rows:Q", *([f"{color}:N"] if color else [])],
    }
    if color:
        encoding["color"] = alt.Color(f"{color}:N")
    return alt.Chart(frame, title=title, width=WIDTH).mark_bar().encode(**encoding)


def overview(table: pd.DataFrame) -> alt.Chart:
    """Rows, distinct names and clusters."""
    found = counts(table)
    frame = pd.DataFrame({"what": ["rows", "distinct names", "clusters"], "count": list(found.values())})
    return (
        alt.Chart(frame, title="Rows, distinct names and clusters", width=WIDTH)
        .mark_bar()
        .encode(
            x=alt.X("count:Q"),
            y=alt.Y("what:N", sort=None, title=None),
            tooltip=["what:N", "count:Q"],
        )
    )


def scripts(table: pd.DataFrame) -> alt.Chart:
    """Rows by script, and by language within the script."""
    return _bars(
        _tally(table, "script", "language"),
        "script",
        "Scripts and languages",
        color="language",
    )


def tables_used(table: pd.DataFrame) -> alt.Chart:
    """Rows romanised by each transliteration table."""
    return _bars(
        _tally(table[table["translit_table"] != ""], "translit_table"),
        "translit_table",
        "Transliteration tables used",
    )


def legal_forms(table: pd.DataFrame) -> alt.Chart:
    """Legal forms found, by class and country."""
    found = _tally(table[table["legal_form_class"] != ""], "legal_form_class", "country")
    return (
        alt.Chart(found, title="Legal forms found, by class and country", width=WIDTH)
        .mark_rect()
        .encode(
            x=alt.X("country:N"),
            y=alt.Y("legal_form_class:N", title="class"),
            color=alt.Color("rows:Q"),
            tooltip=["legal_form_class:N", "country:N", "rows:Q"],
        )
    )


def name_types(table: pd.DataFrame) -> alt.Chart:
    """Person, organisation and sector shares."""
    found = _tally(table, "sector", "name_type")
    found["share"] = (found["rows"] / max(int(found["rows"].sum()), 1)).round(4)
    return (
        alt.Chart(found, title="Person / organisation and sector", width=WIDTH)
        .mark_bar()
        .encode(
            x=alt.X("share:Q", axis=alt.Axis(format="%")),
            y=alt.Y("sector:N", sort="-x", title=None),
            color=alt.Color("name_type:N"),
            tooltip=[
                "sector:N",
                "name_type:N",
                "rows:Q",
                alt.Tooltip("share:Q", format=".1%"),
            ],
        )
    )


def stages_changed(table: pd.DataFrame) -> alt.Chart:
    """Rows changed by each stage."""
    # the few distinct combinations of stages, then each stage
    combined = table.groupby("stages", sort=False)["rows"].sum()
    stages = combined.index.to_series().str.split(",").explode()
    frame = pd.DataFrame({"stage": stages.to_numpy(), "rows": combined.reindex(stages.index).to_numpy()})
    frame = frame[frame["stage"] != ""].groupby("stage", sort=False)["rows"].sum().reset_index()
    return (
        alt.Chart(frame, title="Rows changed by each stage", width=WIDTH)
        .mark_bar()
        .encode(
            x=alt.X("rows:Q"),
            y=alt.Y("stage:N", sort=None, title=None),
            tooltip=["stage:N", "rows:Q"],
        )
    )


def size_label(size: int) -> str:
    """The power-of-two bin of a cluster size.

    >>> [size_label(n) for n in (1, 2, 3, 4, 5, 100)]
    ['1', '2', '3–4', '3–4', '5–8', '65–128']
    """
    if size <= 2:
        return str(size)
    top = 1 << int(np.ceil(np.log2(size)))
    return f"{top // 2 + 1}–{top}"


def cluster_sizes(table: pd.DataFrame) -> alt.Chart:
    """How many clusters have 1, 2, 3–4, 5–8 … rows."""
    sizes = table[table["cluster_id"] != ""].groupby("cluster_id", sort=False)["rows"].sum()
    labels = sizes.map(size_label)
    order = sorted(labels.unique(), key=lambda label: int(label.split("–")[0]))
    frame = labels.value_counts().rename_axis("rows per cluster").reset_index(name="clusters")
    return (
        alt.Chart(frame, title="Cluster sizes", width=WIDTH)
        .mark_bar()
        .encode(
            x=alt.X("rows per cluster:N", sort=order),
            y=alt.Y("clusters:Q", scale=alt.Scale(type="symlog")),
            tooltip=["rows per cluster:N", "clusters:Q"],
        )
    )


def links(result: ClusterResult) -> alt.LayerChart:
    """Accepted and refused merges by average link near the threshold."""
    frame = link_scores(result)
    bars = (
        alt.Chart(frame, title="Merges near the threshold (average link)", width=WIDTH)
        .mark_bar()
        .encode(
            x=alt.X("link:Q", bin="binned", title="average link"),
            x2="to:Q",
            y=alt.Y("merges:Q", stack=True),
            color=alt.Color("decision:N", scale=alt.Scale(domain=["accepted", "refused"])),
            tooltip=["link:Q", "to:Q", "decision:N", "merges:Q"],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"threshold": [result.thresholds.merge]}))
        .mark_rule(strokeDash=[4, 3])
        .encode(x="threshold:Q")
    )
    return bars + rule


def romanisation(table: pd.DataFrame) -> alt.Chart:
    """Names left unromanised or romanised with low confidence, by script."""
    fields = ["script", "name_latin", "translit_table"]
    foreign = table[~table["script"].isin(["", "Latn"])]  # a Latin name is never in doubt: skip the bulk
    distinct = foreign.groupby(fields, sort=False)["rows"].sum().reset_index()
    distinct["doubt"] = [romanisation_doubt(*row) for row in distinct[fields].itertuples(index=False, name=None)]
    frame = distinct[distinct["doubt"] != ""].groupby(["doubt", "script"], sort=False)["rows"].sum().reset_index()
    return _bars(frame, "doubt", "Romanisation in doubt", color="script")


#: The charts of the summary, in page order.
CHARTS: tuple[Callable[[pd.DataFrame], alt.TopLevelMixin], ...] = (
    overview,
    scripts,
    tables_used,
    legal_forms,
    name_types,
    stages_changed,
    cluster_sizes,
    romanisation,
)


def summary_specs(table: pd.DataFrame, result: ClusterResult | None) -> list[dict[str, Any]]:
    """Every summary chart's Vega-Lite specification."""
    charts = [chart(table) for chart in CHARTS]
    if result is not None:
        charts.insert(7, links(result))
    return [chart.to_dict() for chart in charts]
