"""``namecleaner clean``: formats, encodings, stdin/stdout and every error path."""

import csv
import io
import subprocess
import sys

import pandas as pd
import pytest
from conftest import SAMPLE_FILE

from namecleaner.cli import main
from namecleaner.pipeline import build_pipeline

NEW_COLUMNS = list(build_pipeline().columns)


def read_cells(path, delimiter=","):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


def read_records(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_sample_keeps_rows_order_and_original_column(tmp_path):
    out = tmp_path / "out.csv"
    assert main(["clean", str(SAMPLE_FILE), "-o", str(out), "--column", "applicant", "-q"]) == 0
    source, result = read_cells(SAMPLE_FILE), read_cells(out)
    assert result[0] == source[0] + NEW_COLUMNS
    assert [row[:4] for row in result] == source  # every input cell, byte for byte, in order


def test_sample_values_are_cleaned(tmp_path):
    out = tmp_path / "out.csv"
    main(["clean", str(SAMPLE_FILE), "-o", str(out), "--column", "applicant", "-q"])
    frame = pd.read_csv(out, dtype=str, keep_default_na=False).set_index("record_id")
    assert frame.loc[["A0089", "A0101", "A0146", "A0024"], "name_match"].tolist() == [
        "toyota motor corp",
        "samsung electronics co., ltd.",
        "(株)日立製作所",
        "société générale",
    ]


def test_tsv_to_parquet_and_back(tmp_path):
    tsv = tmp_path / "in.tsv"
    tsv.write_text("id\tname\n1\tＳｏｎｙ\n2\t\n", encoding="utf-8")
    parquet = tmp_path / "out.parquet"
    assert main(["clean", str(tsv), "-o", str(parquet), "-c", "name", "-q"]) == 0
    frame = pd.read_parquet(parquet)
    assert frame["name_clean"].tolist() == ["Sony", ""]
    again = tmp_path / "again.csv"
    assert main(["clean", str(parquet), "-o", str(again), "-c", "name_clean", "--prefix", "x_", "-q"]) == 0
    assert read_cells(again)[0][len(frame.columns) :] == [f"x_{c}" for c in NEW_COLUMNS]


def test_parquet_keeps_column_types(tmp_path):
    source = tmp_path / "in.parquet"
    pd.DataFrame({"n": [1, 2], "name": ["ＡＢＣ", None]}).to_parquet(source)
    out = tmp_path / "out.parquet"
    main(["clean", str(source), "-o", str(out), "-c", "name", "-q"])
    frame = pd.read_parquet(out)
    assert (frame["n"].tolist(), frame["name_clean"].tolist()[0], pd.isna(frame["name_clean"][1])) == (
        [1, 2],
        "ABC",
        True,
    )


@pytest.mark.parametrize("encoding", ["cp932", "utf-8-sig", "utf-16", "gb18030", "euc-kr", "cp1252"])
def test_encodings_are_detected(tmp_path, encoding):
    names = {
        "cp932": "株式会社日立製作所",
        "gb18030": "华为技术有限公司",
        "euc-kr": "삼성전자 주식회사",
        "cp1252": "Société Générale",
    }.get(encoding, "Müller GmbH")
    source = tmp_path / "in.csv"
    source.write_bytes(("id,name\n" + "".join(f"{i},{names}\n" for i in range(20))).encode(encoding))
    out = tmp_path / "out.csv"
    assert main(["clean", str(source), "-o", str(out), "-c", "name", "-q"]) == 0
    assert {row["name_clean"] for row in read_records(out)} == {names}


def test_explicit_encoding(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes("name\nｿﾆｰ株式会社\n".encode("cp932"))
    out = tmp_path / "out.csv"
    main(["clean", str(source), "-o", str(out), "-c", "name", "--encoding", "cp932", "-q"])
    assert read_records(out)[0]["name_clean"] == "ソニー株式会社"


def test_stdin_to_stdout():
    result = subprocess.run(
        [sys.executable, "-m", "namecleaner", "clean", "-", "-o", "-", "-c", "name", "-q"],
        input=b"name\nAT&amp;T\n",
        capture_output=True,
        check=True,
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode())))
    assert [(r["name"], r["name_clean"], r["name_match"]) for r in rows] == [("AT&amp;T", "AT&T", "at&t")]
    assert '"step": "decode_html_entities"' in rows[0]["steps"]


def test_taken_column_names_get_the_default_prefix(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("name_clean\nＡ\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    main(["clean", str(source), "-o", str(out), "-c", "name_clean", "-q"])
    header, row = read_cells(out)
    assert header == ["name_clean"] + [f"nc_{c}" for c in NEW_COLUMNS]
    assert (row[0], row[1], row[2]) == ("Ａ", "A", "a")


def test_bad_rows_are_kept_and_reported(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_text("id,name\n1,Sony\n2\n3,Canon,extra\n4,Ricoh\n", encoding="utf-8")
    out, errors = tmp_path / "out.csv", tmp_path / "errors.csv"
    assert main(["clean", str(source), "-o", str(out), "-c", "name", "--errors", str(errors)]) == 0
    assert [row[:2] for row in read_cells(out)] == [
        ["id", "name"],
        ["1", "Sony"],
        ["2", ""],
        ["3", "Canon,extra"],
        ["4", "Ricoh"],
    ]
    assert read_cells(errors)[1:] == [
        [str(source), "3", "", "1 cells, expected 2: filled the missing cells with empty text"],
        [str(source), "4", "", "3 cells, expected 2: kept the extra cells joined into the last column"],
    ]
    assert f"{source}:3: 1 cells, expected 2" in capsys.readouterr().err


def test_empty_input_gives_header_only(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("id,name\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["clean", str(source), "-o", str(out), "-c", "name", "-q"]) == 0
    assert read_cells(out) == [["id", "name", *NEW_COLUMNS]]


@pytest.mark.parametrize(
    ("content", "argv", "message"),
    [
        ("id,name\n1,a\n", ["-c", "applicant"], "no column 'applicant' (--column); the header has: id, name"),
        ("id;name\n1;a\n", ["-c", "name"], "is the delimiter ';'? try --delimiter ';'"),
        ("id,name\n1,a\n", ["-c", "name", "--encoding", "klingon"], "unknown encoding 'klingon'"),
        ("id,name\n1,a\n", ["-c", "name", "--country-column", "cc"], "no column 'cc' (--country-column)"),
        ("", ["-c", "name"], "the file is empty"),
        ("id,name\n1,a\n", ["-c", "name", "--office", "XX"], "no office profile 'XX'"),
    ],
)
def test_errors_are_one_line_without_traceback(tmp_path, capsys, content, argv, message):
    source = tmp_path / "in.csv"
    source.write_text(content, encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["clean", str(source), "-o", str(out), *argv]) == 1
    err = capsys.readouterr().err
    assert (message in err, err.count("\n"), "Traceback" in err, out.exists()) == (True, 1, False, False)


def test_missing_input_file(tmp_path, capsys):
    assert main(["clean", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o.csv"), "-c", "n"]) == 1
    assert "nope.csv: cannot read: No such file or directory" in capsys.readouterr().err


def test_refuses_to_overwrite_its_input(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_text("name\na\n", encoding="utf-8")
    assert main(["clean", str(source), "-o", str(source), "-c", "name"]) == 1
    assert "refusing to overwrite the input" in capsys.readouterr().err
    assert source.read_text(encoding="utf-8") == "name\na\n"


def test_undecodable_bytes_late_in_file_are_a_row_problem_and_kept(tmp_path, capsys):
    source = tmp_path / "in.csv"
    # Past the 1 MiB sample that encoding detection reads, in few rows.
    source.write_bytes(b"name\n" + (b"a" * 999 + b"\n") * 1100 + b"\xff\xfe\xfa\n")
    out = tmp_path / "out.csv"
    assert main(["clean", str(source), "-o", str(out), "-c", "name", "--encoding", "utf-8"]) == 0
    assert "in.csv:1102: bytes not valid in utf-8" in capsys.readouterr().err
    assert out.read_bytes().split(b"\n")[1101].startswith(b"\xff\xfe\xfa,")  # the row, its bytes as they were


def test_unknown_extension_asks_for_format(tmp_path, capsys):
    source = tmp_path / "in.xls"
    source.write_text("x", encoding="utf-8")
    assert main(["clean", str(source), "-o", str(tmp_path / "o.csv"), "-c", "n"]) == 1
    assert "use --format" in capsys.readouterr().err


def test_help_shows_examples(capsys):
    with pytest.raises(SystemExit):
        main(["clean", "--help"])
    assert "namecleaner clean examples/applicants_sample.csv" in capsys.readouterr().out


def test_top_level_help_shows_examples(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "examples:" in capsys.readouterr().out
