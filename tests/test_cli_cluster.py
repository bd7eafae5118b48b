"""The cluster and explain commands, and clean --cluster."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

from namecleaner.cli import main
from namecleaner.record import OUTPUT_COLUMNS

ROWS = "applicant,n\nMotorola Inc,5\nMOTOROLA INC.,2\nMotorla Inc,1\nNokia Oyj,1\n"


def _read(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_clean_with_cluster_puts_the_columns_in_contract_order(tmp_path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(ROWS, encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["clean", str(source), "-o", str(out), "--column", "applicant", "--cluster", "--quiet"]) == 0
    rows = _read(out)
    contract = [c for c in rows[0] if c in OUTPUT_COLUMNS]
    assert contract == [c for c in OUTPUT_COLUMNS if c in rows[0]]
    assert contract[-4:] == ["match_key", "cluster_id", "cluster_name", "steps"]
    assert len({r["cluster_id"] for r in rows[:3]}) == 1 and rows[3]["cluster_id"] != rows[0]["cluster_id"]


def test_cluster_an_already_cleaned_file_with_counts_and_decisions(tmp_path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(ROWS, encoding="utf-8")
    cleaned, out, decisions = tmp_path / "cleaned.csv", tmp_path / "out.tsv", tmp_path / "decisions.tsv"
    assert main(["clean", str(source), "-o", str(cleaned), "--column", "applicant", "--quiet"]) == 0
    assert main(["cluster", str(cleaned), "-o", str(out), "--count-column", "n", "--decisions", str(decisions)]) == 0
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert {r["cluster_name"] for r in rows[:3]} == {"Motorola Inc"}
    assert "merged" in decisions.read_text(encoding="utf-8")


def test_cluster_needs_the_key_column(tmp_path, capsys) -> None:
    source = tmp_path / "in.csv"
    source.write_text(ROWS, encoding="utf-8")
    assert main(["cluster", str(source), "-o", str(tmp_path / "out.csv")]) == 1
    assert "no column 'match_key'" in capsys.readouterr().err


def test_explain_prints_the_decision(capsys) -> None:
    assert main(["explain", "Motorola Inc", "Motorla Inc"]) == 0
    assert "together: joined by these merges" in capsys.readouterr().out


def test_regional_units_flag_reaches_the_clustering(tmp_path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("applicant\nMotorola Inc\nMotorola Japan Ltd\n", encoding="utf-8")
    ids = {}
    for convention in ("apart", "together"):
        out = tmp_path / f"{convention}.csv"
        command = ["clean", str(source), "-o", str(out), "--column", "applicant", "--cluster", "--quiet"]
        assert main([*command, "--regional-units", convention]) == 0
        ids[convention] = len({r["cluster_id"] for r in _read(out)})
        assert f'regional_units = "{convention}"' in (tmp_path / f"{convention}.csv.config.toml").read_text()
    assert ids == {"apart": 2, "together": 1}


def test_clean_cluster_keys_override_names_with_the_runs_language(tmp_path):
    """Defect: --cluster keyed override names with a pipeline that lacked --language (and --tables).

    Read as Ukrainian, Миргород keys as myrhorod (as Russian, mirgorod): the must_link applies only
    if the override name is cleaned with the run's own configuration.
    """
    source, out, overrides = tmp_path / "in.csv", tmp_path / "out.csv", tmp_path / "overrides.tsv"
    source.write_text("name\nМиргород\nPoltava Holdings\nNokia Oyj\n", encoding="utf-8")
    overrides.write_text("action\tname\tother\nmust_link\tМиргород\tPoltava Holdings\n", encoding="utf-8")
    argv = [
        "clean",
        str(source),
        "-o",
        str(out),
        "--column",
        "name",
        "--cluster",
        "--language",
        "uk",
        "--overrides",
        str(overrides),
        "-q",
    ]
    assert main(argv) == 0
    ids = pd.read_csv(out, dtype=str)["cluster_id"].tolist()
    assert (ids[0] == ids[1], ids[0] == ids[2]) == (True, False)


def test_out_of_range_strictness_is_refused_before_any_work(tmp_path, capsys):
    """Defect: --strictness 2 was accepted without --cluster and failed only after cleaning with it."""
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text("name\nAcme\n", encoding="utf-8")
    for extra in ([], ["--cluster"]):
        assert main(["clean", str(source), "-o", str(out), "--column", "name", "--strictness", "2", *extra]) == 1
        assert "cluster.strictness must be between 0.0 and 1.0, not 2.0" in capsys.readouterr().err
        assert not out.exists()


@pytest.mark.parametrize(
    ("source_bytes", "options"),
    [
        (b"id,name,id\n1,Motorola Inc,a\n2,MOTOROLA INC.,b\n3,Nokia Oyj,c\n", []),
        (b"id,name\n1,Motorola \xff Inc\n2,Motorola \xff Inc.\n3,Nokia Oyj\n", ["--encoding", "utf-8"]),
    ],
    ids=["two-columns-of-one-name", "undecodable-bytes"],
)
def test_clean_cluster_to_csv_keeps_what_its_parquet_pass_cannot_hold(tmp_path, source_bytes, options) -> None:
    # clean --cluster cleans into Parquet, which holds neither; the pass starts again in CSV
    source, out, summary = tmp_path / "in.csv", tmp_path / "out.csv", tmp_path / "run.json"
    source.write_bytes(source_bytes)
    argv = ["clean", str(source), "-o", str(out), "-c", "name", "--cluster", "-q", "--summary", str(summary)]
    assert main([*argv, *options]) == 0
    lines, given = out.read_bytes().splitlines(), source_bytes.splitlines()
    assert lines[0].startswith(given[0] + b",") and b"cluster_id" in lines[0]
    # every row, in order, its input cells byte for byte
    assert [line[: len(row) + 1] for line, row in zip(lines[1:], given[1:])] == [row + b"," for row in given[1:]]
    ids = [row["cluster_id"] for row in _read_bytes_tolerant(out)]
    assert ids[0] == ids[1] != ids[2]
    assert json.loads(summary.read_text(encoding="utf-8"))["rows"] == 3  # counted once, not per attempt


def _read_bytes_tolerant(path):
    with open(path, encoding="utf-8", errors="surrogateescape", newline="") as handle:
        return list(csv.DictReader(handle))
