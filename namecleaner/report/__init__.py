"""The review report: one self-contained HTML page to see, check and correct the clusters.

The page embeds its data as compact JSON, the summary charts as Vega-Lite specifications
(drawn with altair) and the Vega JavaScript itself (vl-convert's bundle), so it opens offline
from the file, with no server and no request leaving it. The reviewer's decisions are exported
from the page as an overrides file (:mod:`namecleaner.cluster.overrides`) for the next run.

:class:`ReportCollector` gathers what the page shows from a cleaned and clustered table, chunk
by chunk (``cli/cluster.py`` feeds it during its writing pass); :func:`write_report` writes it.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from string import Template

from namecleaner import io as table_io
from namecleaner.cluster import ClusterResult
from namecleaner.errors import NameCleanerError
from namecleaner.report.data import Columns, ReportCollector
from namecleaner.workers import collector_paused

__all__ = ["Columns", "ReportCollector", "render_report", "write_report"]

#: What would end a ``<script>`` element early.
_SCRIPT_END = re.compile("</(script)", re.IGNORECASE)

MISSING = "the report needs the 'report' extra: pip install 'namecleaner[report]'"


def require() -> None:
    """Fail with one line naming the extra when the report's libraries are missing."""
    try:
        import altair  # noqa: F401
        import vl_convert  # noqa: F401
    except ImportError:
        raise NameCleanerError(MISSING) from None


@cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script.

    vl-convert bundles them, which takes seconds, so the bundle is kept in the user's cache
    folder (``$XDG_CACHE_HOME/namecleaner``, else ``~/.cache/namecleaner``), one file per
    vl-convert version; where that folder cannot be written, it is bundled on every run.
    """
    import vl_convert

    version = getattr(vl_convert, "__version__", "unknown")  # the stub does not declare it
    cached = _cache_folder() / f"vega-bundle-{version}.js"
    with contextlib.suppress(OSError):
        return cached.read_text(encoding="utf-8")
    bundle = _script_safe(vl_convert.javascript_bundle())  # type: ignore[call-arg]  # the stub omits the default snippet
    with contextlib.suppress(OSError):
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.part")
        partial.write_text(bundle, encoding="utf-8")
        partial.replace(cached)  # whole or absent, even with two runs at once
    return bundle


def _cache_folder() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "namecleaner"


def _script_safe(text: str) -> str:
    """Text that cannot close the ``<script>`` element holding it (``<\\/`` means ``</`` in JS strings and JSON).

    >>> _script_safe('{"a": "</Script>"}')
    '{"a": "<\\\\/Script>"}'
    """
    return _SCRIPT_END.sub(r"<\\/\1", text)


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def render_report(collector: ReportCollector, result: ClusterResult | None, *, title: str) -> str:
    """The report page as HTML text."""
    with collector_paused():
        return _render(collector, result, title)


def _render(collector: ReportCollector, result: ClusterResult | None, title: str) -> str:
    from namecleaner.report.charts import counts, summary_specs
    from namecleaner.report.data import cluster_list

    table = collector.table()
    found = counts(table)
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    payload = {
        "title": title,
        "generated": generated,
        "threshold": result.thresholds.merge if result is not None else None,
        "veto": result.thresholds.veto if result is not None else None,
        "counts": found,
        "charts": summary_specs(table, result),
        **cluster_list(table, result),
    }
    # "<" only ever stands inside JSON strings, where \u003c reads the same and cannot end the element.
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return Template(_asset("template.html")).substitute(
        title=html.escape(title),
        generated=generated,
        style=_asset("report.css"),
        data=data.replace("<", "\\u003c"),
        vega=vega_bundle(),
        script=_script_safe(_asset("report.js")),
        **{k: f"{v:,}" for k, v in found.items()},
    )


def write_report(
    path: str | Path,
    collector: ReportCollector,
    result: ClusterResult | None,
    *,
    title: str,
) -> None:
    """Write the report page to ``path`` (atomically: the file appears only when complete)."""
    require()
    page = render_report(collector, result, title=title)
    with table_io.atomic_output(str(path)) as handle:
        handle.write(page)
