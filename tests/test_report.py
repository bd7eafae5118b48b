"""The review report: what it gathers from a cleaned and clustered table, and the page it writes."""

from __future__ import annotations

import builtins
import json
import re

import pandas as pd
import pytest

from namecleaner.batch import clean
from namecleaner.cli import main
from namecleaner.cluster import cluster_frame
from namecleaner.cluster.score import score_units
from namecleaner.errors import NameCleanerError
from namecleaner.report import Columns, ReportCollector, render_report, require
from namecleaner.report.data import FLAG_NAME_TYPES, cluster_list

NAMES = [
    "Motorola Inc",
    "MOTOROLA INC.",
    "Motorola Incorporated",
    "Motorla Inc",
    "Nokia Oyj",
    "YAMADA, Taro",
    "山田太郎",
]


@pytest.fixture(scope="module")
def clustered() -> tuple[pd.DataFrame, object]:
    frame = clean(NAMES)
    result = cluster_frame(frame)
    labels = result.label(frame["match_key"])
    return pd.concat([pd.DataFrame({"applicant": NAMES}), frame, labels], axis=1), result


def _collector(frame: pd.DataFrame, chunks: int = 1) -> ReportCollector:
    collector = ReportCollector(Columns(name="applicant", key="match_key"))
    for part in (frame.iloc[i::chunks] for i in range(chunks)):
        collector.add(part, part["cluster_id"].tolist(), part["cluster_name"].tolist())
    return collector


def test_the_table_counts_every_row_once_whatever_the_chunks(clustered) -> None:
    frame, _ = clustered
    table = _collector(frame, chunks=3).table()
    assert table["rows"].sum() == len(NAMES)
    assert sorted(table["name"]) == sorted(NAMES)
    motorola = table[table["name"] == "Motorola Inc"].iloc[0]
    assert motorola["stages"].split(",")[0] in {
        "legal_form",
        "name_type",
        "match_key",
        "unicode",
    }
    assert "match_key" in motorola["stages"]


def test_cluster_list_groups_spellings_under_their_keys_with_the_weakest_link(
    clustered,
) -> None:
    frame, result = clustered
    found = cluster_list(_collector(frame).table(), result)
    by_name = {
        spelling[0]: cluster for cluster in found["clusters"] for _, spellings in cluster[6] for spelling in spellings
    }
    motorola = by_name["Motorola Inc"]
    assert motorola is by_name["Motorla Inc"] and motorola is not by_name["Nokia Oyj"]
    assert motorola[2] == 4  # rows
    assert len(motorola[6]) >= 2  # the typo has a key of its own, joined by a merge
    assert motorola[3] is not None and motorola[3] >= result.thresholds.merge
    left, right, _edge, link, _weakest, _reason, pair = motorola[7]
    assert {left, right} <= {key for key, _ in motorola[6]} and link == motorola[3]
    index = result.units.index
    score = score_units(result.model, result.units, index[left], index[right])
    assert pair[0] == score.describe()  # the lines explain prints: the probability, then its waterfall
    assert pair[-1].lstrip().startswith("log-odds") and pair[-1].endswith(f"probability {score.score:.3f}")
    assert by_name["Nokia Oyj"][3] is None and by_name["Nokia Oyj"][7] is None
    scripts = found["scripts"]
    assert {scripts[s[2]] for _, spellings in by_name["山田太郎"][6] for s in spellings} == {"Jpan", "Latn"}


def test_a_cluster_of_a_person_and_an_organisation_is_flagged() -> None:
    table = pd.DataFrame(
        {
            "name": ["Acme", "ACME"],
            "key": ["acme", "acme"],
            "country": ["", ""],
            "script": ["Latn", "Latn"],
            "language": ["", ""],
            "name_latin": ["Acme", "ACME"],
            "translit_table": ["", ""],
            "legal_form": ["", ""],
            "legal_form_class": ["", ""],
            "name_type": ["person", "organisation"],
            "sector": ["", ""],
            "cluster_id": ["NC1", "NC1"],
            "cluster_name": ["Acme", "Acme"],
            "stages": ["", ""],
            "rows": [1, 1],
        }
    )
    (cluster,) = cluster_list(table, None)["clusters"]
    assert cluster[5] & FLAG_NAME_TYPES
    assert [s[0] for s in cluster[6][0][1]] == [
        "ACME",
        "Acme",
    ]  # one key, its spellings by rows then name


def test_the_page_embeds_everything_and_loads_nothing_from_outside(clustered) -> None:
    frame, result = clustered
    page = render_report(_collector(frame), result, title="<sample>")
    assert "&lt;sample&gt;" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", page)
    assert "@import" not in page and "url(http" not in page
    data = re.search(
        r'<script id="report-data" type="application/json">(.*?)</script>',
        page,
        re.DOTALL,
    ).group(1)
    payload = json.loads(data)
    assert payload["counts"] == {
        "rows": len(NAMES),
        "names": len(NAMES),
        "clusters": frame["cluster_id"].nunique(),
    }
    assert len(payload["charts"]) == 9 and all("$schema" in spec for spec in payload["charts"])
    assert "window.vegaEmbed" in page


def test_without_the_report_extra_the_error_names_it(monkeypatch) -> None:
    real_import = builtins.__import__

    def refuse(name, *args, **kwargs):
        if name in {"altair", "vl_convert"}:
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)
    with pytest.raises(NameCleanerError, match=r"pip install 'namecleaner\[report\]'"):
        require()


def test_beyond_the_scored_budget_a_weakest_link_keeps_its_numbers_without_the_pair_score(
    clustered, monkeypatch
) -> None:
    frame, result = clustered
    monkeypatch.setattr("namecleaner.report.data.SCORED_LINKS", 0)
    found = cluster_list(_collector(frame).table(), result)
    details = [c[7] for c in found["clusters"] if c[7] is not None]
    assert details and all(d[6] == [] and d[3] >= result.thresholds.merge for d in details)


def _payload(path) -> dict:
    page = path.read_text(encoding="utf-8")
    found = re.search(r'<script id="report-data" type="application/json">(.*?)</script>', page, re.DOTALL)
    return json.loads(found.group(1))


def test_the_report_command_clusters_a_cleaned_file_and_writes_the_page(tmp_path, capsys) -> None:
    source, cleaned, report = tmp_path / "in.csv", tmp_path / "cleaned.csv", tmp_path / "report.html"
    source.write_text("applicant,n\nMotorola Inc,5\nMOTOROLA INC.,2\nMotorla Inc,1\nNokia Oyj,1\n", encoding="utf-8")
    assert main(["clean", str(source), "-o", str(cleaned), "--column", "applicant", "--quiet"]) == 0
    assert main(["report", str(cleaned), "-o", str(report), "--column", "applicant", "--count-column", "n"]) == 0
    payload = _payload(report)
    assert payload["counts"] == {"rows": 9, "names": 4, "clusters": 2}
    assert [c[2] for c in payload["clusters"]] == [8, 1]  # rows per cluster, from the count column
    assert payload["title"] == "cleaned.csv"


def test_report_errors_are_one_line_before_any_work(tmp_path, capsys) -> None:
    source = tmp_path / "in.csv"
    source.write_text("applicant\nAcme Inc\n", encoding="utf-8")
    assert main(["report", str(source), "-o", str(tmp_path / "r.html"), "--column", "nope"]) == 1
    assert capsys.readouterr().err.count("\n") == 1
    assert main(["report", str(source), "-o", str(tmp_path / "no" / "r.html")]) == 1
    assert "does not exist" in capsys.readouterr().err
    out = tmp_path / "out.csv"
    assert (
        main(["clean", str(source), "-o", str(out), "--column", "applicant", "--report", str(tmp_path / "r.html")]) == 1
    )
    assert "--report is an option of the clustering: add --cluster" in capsys.readouterr().err


def test_the_vega_bundle_is_made_once_and_then_read_from_the_cache(tmp_path, monkeypatch) -> None:
    import vl_convert

    from namecleaner.report import vega_bundle

    made = []
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(vl_convert, "javascript_bundle", lambda: made.append(1) or "window.vegaEmbed='</script>';")
    vega_bundle.cache_clear()
    try:
        assert vega_bundle() == "window.vegaEmbed='<\\/script>';"
        vega_bundle.cache_clear()
        assert vega_bundle() == "window.vegaEmbed='<\\/script>';" and made == [1]
        assert [p.name for p in (tmp_path / "namecleaner").iterdir()] == [f"vega-bundle-{vl_convert.__version__}.js"]
    finally:
        vega_bundle.cache_clear()


def test_without_the_extra_clean_report_fails_on_one_line_before_cleaning(tmp_path, monkeypatch, capsys) -> None:
    source = tmp_path / "in.csv"
    source.write_text("applicant\nAcme Inc\n", encoding="utf-8")
    monkeypatch.setattr(
        "namecleaner.cli.report.require",
        lambda: (_ for _ in ()).throw(NameCleanerError("the report needs the 'report' extra")),
    )
    args = [
        "clean",
        str(source),
        "-o",
        str(tmp_path / "out.csv"),
        "--column",
        "applicant",
        "--cluster",
        "--report",
        str(tmp_path / "r.html"),
    ]
    assert main(args) == 1
    assert capsys.readouterr().err.strip() == "namecleaner: error: the report needs the 'report' extra"
    assert not (tmp_path / "out.csv").exists()
