"""``namecleaner clean``, the stream engine: workers, the run summary, output options, permissions, Excel."""

import csv
import json
import os
import stat
from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLE_FILE
from openpyxl import Workbook, load_workbook

from namecleaner import parallel
from namecleaner.batch import Cleaner
from namecleaner.cli import main


def read_cells(path, delimiter=","):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


@pytest.fixture
def names_csv(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        "id,name,country\n1,ＴＯＹＯＴＡ MOTOR CORP,JP\n2,Siemens AG,DE\n3,株式会社日立製作所,JP\n"
        '4,ＴＯＹＯＴＡ MOTOR CORP,JP\n5,,\n6,"SMITH, John",US\n7,Иванов Иван Иванович,RU\n',
        encoding="utf-8",
    )
    return source


# --- the three crashes a new user hit


def test_tab_delimiter_given_as_an_escape(tmp_path):
    source = tmp_path / "in.txt"
    source.write_text("id\tname\n1\tＳＯＮＹ Corp\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert (
        main(["clean", str(source), "-o", str(out), "-c", "name", "--format", "tsv", "--delimiter", "\\t", "-q"]) == 0
    )
    assert [row[:3] for row in read_cells(out)] == [["id", "name", "name_clean"], ["1", "ＳＯＮＹ Corp", "SONY Corp"]]


def test_a_delimiter_of_two_characters_is_one_line_error(names_csv, tmp_path, capsys):
    assert main(["clean", str(names_csv), "-o", str(tmp_path / "o.csv"), "-c", "name", "--delimiter", ";;"]) == 1
    err = capsys.readouterr().err
    assert ("--delimiter must be one character" in err, err.count("\n"), "Traceback" in err) == (True, 1, False)


def test_missing_input_with_an_existing_output(tmp_path, capsys):
    out = tmp_path / "out.csv"
    out.write_text("kept\n", encoding="utf-8")
    assert main(["clean", str(tmp_path / "nope.csv"), "-o", str(out), "-c", "name"]) == 1
    err = capsys.readouterr().err
    assert ("nope.csv: cannot read: No such file or directory" in err, "Traceback" in err) == (True, False)
    assert out.read_text(encoding="utf-8") == "kept\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--cluster", "--strictness", "2"], "cluster.strictness must be between 0.0 and 1.0, not 2.0"),
        (["--strictness", "0.6"], "--strictness is an option of the clustering: add --cluster"),
        (["--workers", "0"], "cluster.workers must be between 1 and 4096, not 0"),
        (["--columns", "name_clean,nope"], "--columns: unknown column(s) nope; choose from name_clean"),
        (["--limit", "-1"], "--limit must be a number of rows"),
    ],
)
def test_bad_options_are_refused_before_any_name_is_cleaned(names_csv, tmp_path, capsys, monkeypatch, argv, message):
    def never(*args, **kwargs):
        raise AssertionError("a name was cleaned before the options were checked")

    monkeypatch.setattr(Cleaner, "clean_many", never)
    out = tmp_path / "out.csv"
    assert main(["clean", str(names_csv), "-o", str(out), "-c", "name", *argv]) == 1
    err = capsys.readouterr().err
    assert (message in err, err.count("\n"), "Traceback" in err, out.exists()) == (True, 1, False, False)


# --- workers


def test_two_workers_write_the_bytes_one_process_writes(tmp_path, monkeypatch):
    """The parallel path really runs (small slices, no lower bound) and changes nothing in the output."""
    monkeypatch.setattr(parallel, "SLICE", 8)
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    started = []
    original = parallel.ParallelCleaner.clean_many

    def counting(self, keys):
        started.append(len(keys))
        result = original(self, keys)
        assert self._pool is not None
        return result

    monkeypatch.setattr(parallel.ParallelCleaner, "clean_many", counting)
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}.csv"
        argv = ["clean", str(SAMPLE_FILE), "-o", str(out), "-c", "applicant", "--country-column", "country", "-q"]
        assert main([*argv, "--workers", workers, "--chunk-size", "50"]) == 0
        outputs.append(out.read_bytes())
    assert started and outputs[0] == outputs[1]


# --- the run summary


def test_summary_on_stderr_and_as_json(names_csv, tmp_path, capsys):
    out, summary = tmp_path / "out.csv", tmp_path / "run.json"
    argv = ["clean", str(names_csv), "-o", str(out), "-c", "name", "--country-column", "country"]
    assert main([*argv, "--summary", str(summary), "--workers", "1"]) == 0
    report = json.loads(summary.read_text(encoding="utf-8"))
    assert (report["rows"], report["names"], report["distinct_names"]) == (7, 6, 5)
    assert report["rows_changed"] == {"unicode": 2, "transliterate": 2, "legal_form": 4}
    assert report["scripts"] == {"Latn": 4, "Jpan": 1, "Cyrl": 1}
    assert (report["legal_forms_found"], report["legal_forms"]["AG"]) == (4, 1)
    assert report["name_types"] == {"organisation": 4, "person": 2}
    assert set(report["seconds"]) == {"reading", "cleaning", "writing"}
    err = capsys.readouterr().err
    assert "namecleaner: 7 rows, 6 names, 5 distinct" in err
    assert "name types: organisation 4, person 2" in err


def test_quiet_silences_the_summary(names_csv, tmp_path, capsys):
    assert main(["clean", str(names_csv), "-o", str(tmp_path / "out.csv"), "-c", "name", "-q", "--workers", "1"]) == 0
    assert capsys.readouterr().err == ""


# --- output options


def test_columns_picks_the_new_columns_in_the_order_given(names_csv, tmp_path):
    out = tmp_path / "out.csv"
    argv = ["clean", str(names_csv), "-o", str(out), "-c", "name", "-q", "--columns", "name_type,name_clean"]
    assert main(argv) == 0
    cells = read_cells(out)
    assert cells[0] == ["id", "name", "country", "name_type", "name_clean"]
    assert cells[2] == ["2", "Siemens AG", "DE", "organisation", "Siemens AG"]


@pytest.mark.parametrize(
    ("steps", "expected"),
    [("compact", "legal_form.split_suffix name_type.classify match_key.match_key"), ("none", None)],
)
def test_steps_compact_or_none(names_csv, tmp_path, steps, expected):
    out = tmp_path / "out.csv"
    assert main(["clean", str(names_csv), "-o", str(out), "-c", "name", "-q", "--steps", steps]) == 0
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert frame["steps"].iloc[1] == expected if expected else "steps" not in frame.columns
    assert frame["name_clean"].iloc[0] == "TOYOTA MOTOR CORP"


def test_limit_cleans_the_first_rows(names_csv, tmp_path):
    out = tmp_path / "out.csv"
    assert main(["clean", str(names_csv), "-o", str(out), "-c", "name", "-q", "--limit", "3", "--chunk-size", "2"]) == 0
    assert [row[0] for row in read_cells(out)] == ["id", "1", "2", "3"]


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_output_permissions_follow_the_umask(names_csv, tmp_path, umask, mode):
    out, summary = tmp_path / "out.parquet", tmp_path / "run.json"
    old = os.umask(umask)
    try:
        assert main(["clean", str(names_csv), "-o", str(out), "-c", "name", "-q", "--summary", str(summary)]) == 0
    finally:
        os.umask(old)
    assert (stat.S_IMODE(out.stat().st_mode), stat.S_IMODE(summary.stat().st_mode)) == (mode, mode)


def test_a_replaced_output_keeps_its_permissions(names_csv, tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o640)
    assert main(["clean", str(names_csv), "-o", str(out), "-c", "name", "-q"]) == 0
    assert (stat.S_IMODE(out.stat().st_mode), out.read_text(encoding="utf-8")[:2]) == (0o640, "id")


# --- Excel


def test_excel_in_and_out(tmp_path):
    source = tmp_path / "in.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "name"])
    sheet.append([1, "ＴＯＹＯＴＡ MOTOR CORP"])
    sheet.append([2, None])
    sheet.append([3, None])
    sheet["B4"].value = '=HYPERLINK("x") Ltd'
    sheet["B4"].data_type = "s"  # text that looks like a formula, as Excel keeps it
    book.save(source)
    out = tmp_path / "out.xlsx"
    assert main(["clean", str(source), "-o", str(out), "-c", "name", "-q", "--columns", "name_clean"]) == 0
    sheet = load_workbook(out).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows == [
        ("id", "name", "name_clean"),
        (1, "ＴＯＹＯＴＡ MOTOR CORP", "TOYOTA MOTOR CORP"),
        (2, None, None),
        (3, '=HYPERLINK("x") Ltd', '=HYPERLINK("x") Ltd'),
    ]
    assert (sheet["B4"].data_type, sheet["C4"].data_type) == ("s", "s")  # text, never a formula


def test_a_formula_cell_without_a_saved_value_keeps_its_formula(tmp_path):
    # a workbook written by a program (openpyxl, pandas) holds a formula with no value Excel computed
    source = tmp_path / "in.xlsx"
    book = Workbook()
    book.active.append(["id", "name"])
    book.active.append([1, '=CONCATENATE("Sony ", "Group")'])
    book.save(source)
    out = tmp_path / "out.csv"
    assert main(["clean", str(source), "-o", str(out), "-c", "name", "-q", "--columns", "name_clean"]) == 0
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert frame["name"].tolist() == ['=CONCATENATE("Sony ", "Group")']


def test_a_file_that_is_no_workbook(tmp_path, capsys):
    source = tmp_path / "in.xlsx"
    source.write_text("id,name\n", encoding="utf-8")
    assert main(["clean", str(source), "-o", str(tmp_path / "o.csv"), "-c", "name"]) == 1
    err = capsys.readouterr().err
    assert ("in.xlsx: cannot read as an Excel workbook" in err, err.count("\n")) == (True, 1)


def test_summary_of_a_run_with_clusters(tmp_path):
    out, summary = tmp_path / "out.csv", tmp_path / "run.json"
    argv = ["clean", str(SAMPLE_FILE), "-o", str(out), "-c", "applicant", "--cluster", "-q"]
    assert main([*argv, "--columns", "cluster_id,cluster_name", "--summary", str(summary)]) == 0
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(frame.columns)[-2:] == ["cluster_id", "cluster_name"] and "name_clean" not in frame.columns
    report = json.loads(summary.read_text(encoding="utf-8"))
    labelled = frame[frame["cluster_id"] != ""]  # a name with nothing left to key has no cluster
    sizes = labelled.groupby("cluster_name")["cluster_id"].size()
    assert report["clusters"] == labelled["cluster_id"].nunique()
    assert report["largest_clusters"][0]["rows"] == sizes.max()
    assert report["largest_clusters"][0]["name"] in set(sizes[sizes == sizes.max()].index)
    assert "clustering" in report["seconds"]


def test_a_dataset_folder_gets_the_umask_permissions(tmp_path):
    from namecleaner.dask.io import replace_dataset

    target = tmp_path / "cleaned"
    old = os.umask(0o022)
    try:
        replace_dataset(
            str(target) + "/", lambda folder: pd.DataFrame({"a": [1]}).to_parquet(Path(folder) / "part.0.parquet")
        )
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o755
