"""The hostile-input campaign of issue 19: malformed files, tables, overrides and faults.

Each case is refused with one line naming the file (and line), or processed with every row
kept and the original byte-identical. Nothing may hang: every case runs under a time bound
far above its normal time (``bounded``), so a regression to exponential backtracking or a
loop fails instead of stalling the suite.
"""

from __future__ import annotations

import gzip
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from namecleaner import io as table_io
from namecleaner.batch import Cleaner, clean
from namecleaner.context import Context
from namecleaner.errors import DataFileError, InputError
from namecleaner.translit.table import load_table

#: Seconds any one hostile case may take; a normal run takes well under a tenth of it.
TIME_BOUND = 60


@contextmanager
def bounded(seconds: float = TIME_BOUND) -> Iterator[None]:
    """Fail with TimeoutError when the block runs longer than ``seconds`` (SIGALRM, main thread)."""

    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s: hung")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read_all(path, **options) -> tuple[list[str], list[list[str]], list[table_io.RowIssue]]:
    """Header, rows and row issues of a delimited file, read as the CLI reads it."""
    options = {"delimiter": ",", "encoding": None, "chunk_rows": 2, **options}
    with bounded():
        header, chunks = table_io.read_delimited(str(path), **options)
        rows, issues = [], []
        for chunk in chunks:
            rows += chunk.frame.values.tolist()
            issues += chunk.issues
    return header, rows, issues


# --- encodings, compression, line endings ----------------------------------------------------


@pytest.mark.parametrize("encoding", ["rot13", "hex", "base64", "zlib", "no-such-codec"])
def test_a_codec_that_is_not_a_text_encoding_is_refused(tmp_path, encoding):
    path = tmp_path / "a.csv"
    path.write_text("id,name\n1,Sony\n", encoding="utf-8")
    with pytest.raises(InputError, match=f"'{encoding}'"):
        read_all(path, encoding=encoding)


@pytest.mark.parametrize("order", ["le", "be"])
def test_utf16_without_a_bom_is_read_in_its_byte_order(tmp_path, order):
    path = tmp_path / "a.csv"
    path.write_bytes("id,name\n1,Sony\n2,株式会社\n".encode(f"utf-16-{order}"))
    header, rows, issues = read_all(path, encoding="utf-16")
    assert (header, rows, issues) == (
        ["id", "name"],
        [["1", "Sony"], ["2", "株式会社"]],
        [],
    )


def test_a_gz_file_that_is_not_gzip_is_refused_on_one_line(tmp_path):
    path = tmp_path / "a.csv.gz"
    path.write_bytes(b"id,name\n1,Sony\n")
    with pytest.raises(InputError, match=r"a\.csv\.gz: not a gzip file"):
        read_all(path)


def test_a_truncated_gzip_file_is_refused_on_one_line(tmp_path):
    path = tmp_path / "a.csv.gz"
    packed = gzip.compress(b"id,name\n" + b"1,Toyota Motor Corporation\n" * 5000)
    path.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(InputError, match="truncated"):
        read_all(path)


def test_a_csv_gz_output_is_written_as_gzip(tmp_path):
    path = tmp_path / "out.csv.gz"
    with table_io.atomic_output(str(path)) as handle:
        handle.write("id,name\n1,Sony\n")
    assert gzip.decompress(path.read_bytes()) == b"id,name\n1,Sony\n"
    assert not list(tmp_path.glob("*.part"))


def test_a_parquet_gz_name_is_refused():
    with pytest.raises(InputError, match="drop the .gz"):
        table_io.detect_format("out.parquet.gz")


def test_mixed_line_endings_keep_every_row(tmp_path):
    # CRLF rows, LF rows, and a lone CR inside a cell, quoted and unquoted: six rows
    path = tmp_path / "mixed.csv"
    path.write_bytes(b'id,name\r\n1,Sony\n2,"To\ryota"\r\n3,Hit\rachi\r\n4,Canon\n5,Ricoh\r\n6,NEC\n')
    _, rows, issues = read_all(path)
    assert rows == [
        ["1", "Sony"],
        ["2", "To\ryota"],
        ["3", "Hit\rachi"],
        ["4", "Canon"],
        ["5", "Ricoh"],
        ["6", "NEC"],
    ]
    assert issues == []


def test_a_file_of_cr_line_ends_reads_its_rows(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(b"id,name\r1,Sony\r2,Canon\r")
    assert read_all(path)[1] == [["1", "Sony"], ["2", "Canon"]]


def test_invalid_utf8_is_a_row_issue_and_the_bytes_are_written_back(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"id,name\n1,Sony\n2,Ca\xffnon\n3,NEC\n")
    header, rows, issues = read_all(path, encoding="utf-8")
    assert [row[0] for row in rows] == ["1", "2", "3"]
    assert [(i.line, "bytes not valid in utf-8" in i.reason) for i in issues] == [(3, True)]
    out = tmp_path / "out.csv"
    with table_io.atomic_output(str(out)) as handle:
        pd.DataFrame(rows, columns=header, dtype=object).to_csv(handle, index=False)
    assert b"2,Ca\xffnon\n" in out.read_bytes()


@pytest.mark.parametrize(
    "delimiter, expected",
    [(d, "--delimiter must be one character") for d in (";;", "", "ab")]
    + [(d, "cannot be a line break or the quote character") for d in ("\n", "\\r", '"')],
)
def test_a_delimiter_of_other_than_one_plain_character_is_refused(tmp_path, delimiter, expected):
    path = tmp_path / "a.csv"
    path.write_text("id,name\n1,Sony\n", encoding="utf-8")
    with pytest.raises(InputError, match=expected):
        read_all(path, delimiter=delimiter)


def test_a_parquet_float_column_with_nan_and_null_comes_back_unchanged(tmp_path):
    path = tmp_path / "in.parquet"
    pq.write_table(
        pa.table(
            {
                "score": [1.5, float("nan"), None],
                "count": pa.array([1, None, 3], pa.int32()),
            }
        ),
        path,
    )
    _, _, chunks = table_io.read_parquet(str(path), chunk_rows=10)
    frame = next(chunks).frame
    back = pa.Table.from_pandas(frame, preserve_index=False)
    assert str(back["score"].to_pylist()) == "[1.5, nan, None]"
    assert back["count"].type == pa.int32() and back["count"].to_pylist() == [
        1,
        None,
        3,
    ]


def test_bytes_of_a_binary_column_are_decoded_and_bad_ones_reported():
    names, bad = table_io.decoded_names(pd.Series([b"Sony", b"Ca\xffnon", None], dtype=object))
    assert names.tolist() == ["Sony", "Ca\ufffdnon", None] and bad == [1]


@pytest.mark.parametrize(
    "encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]
)
def test_a_file_with_a_byte_order_mark_reads_its_header_and_rows(tmp_path, encoding):
    path = tmp_path / "a.csv"
    text = "id,name\n1,Sony\n2,株式会社\n"
    path.write_bytes(("\ufeff" + text if encoding.endswith(("-le", "-be")) else text).encode(encoding))
    assert read_all(path) == (["id", "name"], [["1", "Sony"], ["2", "株式会社"]], [])


def test_nul_bytes_and_a_byte_order_mark_inside_cells_are_kept(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("id,name\n1,So\x00ny\n2,\ufeffCanon\n".encode())
    assert read_all(path)[1] == [["1", "So\x00ny"], ["2", "\ufeffCanon"]]


def test_an_empty_first_line_is_refused_as_no_header(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"\n\nid,name\n1,Sony\n")
    with pytest.raises(InputError, match=r"a\.csv: line 1 is empty; expected a header row"):
        read_all(path)


def test_an_empty_encoding_is_refused_not_read_as_detect(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("id,name\n1,Sony\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown encoding ''"):
        read_all(path, encoding="")


def test_a_folder_without_parquet_files_is_one_line(tmp_path):
    (tmp_path / "parts").mkdir()
    with pytest.raises(InputError, match="a folder without Parquet files"):
        table_io.read_parquet(str(tmp_path / "parts"), chunk_rows=10)


# --- transliteration tables -------------------------------------------------------------------

TABLE_HEAD = """id = "x-rus-Cyrl-Latn-1"
title = "t"
authority = "a"
languages = ["ru"]
source_script = "Cyrl"
target_script = "Latn"
version = "1"
source = "s"
licence = "CC0-1.0"
"""
RULES = 'rules = """\nа\ta\n"""\n'

HOSTILE_TABLES = {
    "reader as a list": (
        TABLE_HEAD + 'reader = ["japanese"]\n' + RULES,
        "unknown reader",
    ),
    "reader as a table": (TABLE_HEAD + "reader = {a = 1}\n" + RULES, "unknown reader"),
    "pass entries that are strings": (
        TABLE_HEAD + 'pass = ["abc"]\n',
        "[[pass]] 1: must be a [[pass]] section",
    ),
    "pass entries that are numbers": (
        TABLE_HEAD + "pass = [1, 2]\n",
        "[[pass]] 2: must be a [[pass]] section",
    ),
    "escape beyond U+10FFFF": (
        TABLE_HEAD + 'rules = """\n\\\\U0011FFFF\ta\n"""\n',
        "line 11: \\U0011FFFF is beyond",
    ),
    "surrogate escape in from": (
        TABLE_HEAD + 'rules = """\n\\\\uD800\ta\n"""\n',
        "line 11: \\uD800 is a surrogate",
    ),
    "surrogate escape in to": (
        TABLE_HEAD + 'rules = """\nа\t\\\\uDFFF\n"""\n',
        "line 11: \\uDFFF is a surrogate",
    ),
    "bad escape in a context": (
        TABLE_HEAD + 'rules = """\nа\ta\tbefore:\\\\U0011FFFF\n"""\n',
        "line 11:",
    ),
    "bad escape in an example": (
        TABLE_HEAD + RULES + 'examples = """\n\\\\U0011FFFF\tx\n"""\n',
        "line 14:",
    ),
    "surrogate class": (TABLE_HEAD + '[classes]\nv = "\\\\uD800"\n', "class 'v'"),
    "deeply nested TOML": (
        TABLE_HEAD + "x = " + "[" * 5000 + "]" * 5000 + "\n",
        "nest too deeply",
    ),
    "case as a list": (
        TABLE_HEAD + 'case = ["auto"]\n' + RULES,
        "case ['auto'] is not one of",
    ),
}


@pytest.mark.parametrize("text, expected", HOSTILE_TABLES.values(), ids=HOSTILE_TABLES.keys())
def test_a_malformed_table_is_reported_with_its_problem(tmp_path, text, expected):
    path = tmp_path / "x-rus-Cyrl-Latn-1.toml"
    path.write_text(text, encoding="utf-8")
    with bounded(), pytest.raises(DataFileError) as caught:
        load_table(path)
    assert any(expected in problem for problem in caught.value.problems), caught.value.problems


@pytest.mark.parametrize("suffix", [".toml", ".csv"])
def test_a_table_not_in_utf8_names_the_line(tmp_path, suffix):
    path = tmp_path / f"x-rus-Cyrl-Latn-1{suffix}"
    body = TABLE_HEAD.encode() + b'rules = """\n' if suffix == ".toml" else b"# id: x\nfrom,to\n"
    path.write_bytes(body + "é\ta\n".encode("latin-1"))
    with pytest.raises(DataFileError, match="not UTF-8") as caught:
        load_table(path)
    line = body.count(b"\n") + 1
    assert caught.value.problems[0].startswith(f"line {line}:")


def test_a_missing_table_and_a_folder_are_one_problem(tmp_path):
    with pytest.raises(DataFileError, match="no such file"):
        load_table(tmp_path / "x-rus-Cyrl-Latn-1.toml")
    (tmp_path / "x-rus-Cyrl-Latn-1.toml").mkdir()
    with pytest.raises(DataFileError, match="is a folder"):
        load_table(tmp_path / "x-rus-Cyrl-Latn-1.toml")


def test_a_table_linked_to_another_file_never_shows_its_lines(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n")
    for suffix in (".csv", ".toml"):
        link = tmp_path / f"x-rus-Cyrl-Latn-1{suffix}"
        os.symlink(secret, link)
        with pytest.raises(DataFileError) as caught:
            load_table(link)
        assert "root:x" not in str(caught.value) and "daemon" not in str(caught.value)


# --- overrides and authority files --------------------------------------------------------------

CLUSTER_NAMES = [
    "Motorola Inc",
    "Motorla Inc",
    "Acme Inc",
    "Zeta Holdings",
    "Bosch GmbH",
]


def cluster_with(
    tmp_path,
    overrides: str | None = None,
    authority: str | None = None,
    names=CLUSTER_NAMES,
):
    """Cluster ``names`` with an overrides TSV body and an authority CSV body."""
    from namecleaner.cluster import cluster
    from namecleaner.config import Config

    options = {}
    if overrides is not None:
        (tmp_path / "overrides.tsv").write_text("action\tname\tother\n" + overrides, encoding="utf-8")
        options["overrides"] = str(tmp_path / "overrides.tsv")
    if authority is not None:
        (tmp_path / "authority.csv").write_text("name,cluster_id\n" + authority, encoding="utf-8")
        options["authority"] = str(tmp_path / "authority.csv")
    with bounded():
        return cluster(names, Config().replace(cluster=options)).set_index("original")


CONTRADICTIONS = {
    "must and cannot for one pair": (
        "must_link\tAcme Inc\tZeta Holdings\ncannot_link\tZeta Holdings\tAcme Inc\n",
        "line 3: cannot_link 'Zeta Holdings' / 'Acme Inc' contradicts must_link on line(s) 2",
    ),
    "cannot against a chain of musts": (
        "must_link\tAcme Inc\tZeta Holdings\nmust_link\tZeta Holdings\tBosch GmbH\ncannot_link\tAcme Inc\tBosch GmbH\n",
        "line 4: cannot_link 'Acme Inc' / 'Bosch GmbH' contradicts must_link on line(s) 2, 3",
    ),
    "cannot between spellings of one key": (
        "cannot_link\tMotorola Inc\tMOTOROLA INC.\n",
        "line 2: cannot_link 'Motorola Inc' / 'MOTOROLA INC.': both clean to the key 'motorola', one name",
    ),
    "two pins for one key": (
        "pin\tAcme Inc\tAcme\npin\tACME INC\tAcme Group\n",
        "lines 2, 3: pins 'Acme' and 'Acme Group'",
    ),
    "two pins in one must-linked cluster": (
        "must_link\tAcme Inc\tZeta Holdings\npin\tAcme Inc\tAcme\npin\tZeta Holdings\tZeta\n",
        "lines 3, 4: pins 'Acme' and 'Zeta'",
    ),
}


@pytest.mark.parametrize("body, expected", CONTRADICTIONS.values(), ids=CONTRADICTIONS.keys())
def test_contradicting_overrides_are_refused_with_their_lines(tmp_path, body, expected):
    with pytest.raises(DataFileError) as caught:
        cluster_with(tmp_path, overrides=body)
    assert [problem[: len(expected)] for problem in caught.value.problems] == [expected]


def test_names_pinned_to_different_cluster_names_never_merge(tmp_path):
    # without the pins the two spellings are one cluster
    assert len(set(cluster_with(tmp_path)["cluster_id"][["Motorola Inc", "Motorla Inc"]])) == 1
    frame = cluster_with(
        tmp_path,
        overrides="pin\tMotorola Inc\tMotorola\npin\tMotorla Inc\tMotorla Corp\n",
    )
    assert frame.loc[["Motorola Inc", "Motorla Inc"], "cluster_name"].tolist() == [
        "Motorola",
        "Motorla Corp",
    ]
    assert frame.loc["Motorola Inc", "cluster_id"] != frame.loc["Motorla Inc", "cluster_id"]


def test_a_must_link_across_two_authority_clusters_is_refused(tmp_path):
    with pytest.raises(
        DataFileError,
        match=r"line\(s\) 2, 3: must_link joins the authority clusters B, M",
    ):
        cluster_with(
            tmp_path,
            overrides="must_link\tBosch GmbH\tAcme Inc\nmust_link\tAcme Inc\tMotorola Inc\n",
            authority="Bosch GmbH,B\nMotorola Inc,M\n",
        )


def test_a_name_or_a_key_under_two_ids_in_the_authority_file_is_refused(tmp_path):
    with pytest.raises(DataFileError) as caught:
        cluster_with(
            tmp_path,
            authority="Bosch GmbH,A1\nBosch GmbH,A2\nMotorola Inc,M1\nMOTOROLA INC.,M2\n",
        )
    assert caught.value.problems == [
        "lines 2, 3: 'Bosch GmbH' under two ids, A1 and A2",
        "lines 4, 5: 'Motorola Inc' and 'MOTOROLA INC.' (one key, 'motorola') under two ids, M1 and M2",
    ]


def test_an_overrides_file_with_a_byte_order_mark_is_read(tmp_path):
    (tmp_path / "overrides.tsv").write_bytes(
        b"\xef\xbb\xbfaction\tname\tother\ncannot_link\tMotorola Inc\tMotorla Inc\n"
    )
    from namecleaner.cluster import cluster
    from namecleaner.config import Config

    with bounded():
        frame = cluster(CLUSTER_NAMES, Config().replace(cluster={"overrides": str(tmp_path / "overrides.tsv")}))
    ids = frame.set_index("original")["cluster_id"]
    assert ids["Motorola Inc"] != ids["Motorla Inc"]  # one cluster without the cannot_link


def test_a_generated_id_never_takes_an_authority_id(tmp_path):
    motorola = cluster_with(tmp_path, names=["Motorola Inc"]).loc["Motorola Inc", "cluster_id"]
    frame = cluster_with(
        tmp_path,
        authority=f"Bosch GmbH,{motorola}\n",
        names=["Motorola Inc", "Bosch GmbH"],
    )
    assert frame.loc["Bosch GmbH", "cluster_id"] == motorola
    assert frame.loc["Motorola Inc", "cluster_id"] not in (motorola, None)


@pytest.mark.parametrize(
    "write, expected",
    [
        (lambda path: None, "no such file"),
        (lambda path: path.mkdir(), "is a folder"),
        (
            lambda path: path.write_bytes("name,cluster_id\nBosch,B\nMüller,M\n".encode("latin-1")),
            "line 3: not UTF-8",
        ),
    ],
    ids=["missing", "folder", "latin-1"],
)
@pytest.mark.parametrize("option", ["overrides", "authority"])
def test_an_unreadable_overrides_or_authority_file_is_one_problem(tmp_path, write, expected, option):
    from namecleaner.cluster import cluster
    from namecleaner.config import Config

    path = tmp_path / "decisions.tsv"
    write(path)
    with pytest.raises(DataFileError, match=expected):
        cluster(CLUSTER_NAMES, Config().replace(cluster={option: str(path)}))


# --- the command line: options, rows kept, faults -----------------------------------------------


def run_cli(*argv: str) -> int:
    from namecleaner.cli import main

    with bounded():
        return main(list(argv))


def test_an_empty_delimiter_is_refused_not_read_as_the_default(tmp_path, capsys):
    (tmp_path / "a.csv").write_text("id,name\n1,Sony\n", encoding="utf-8")
    code = run_cli(
        "clean", str(tmp_path / "a.csv"), "-o", str(tmp_path / "o.csv"), "-c", "name", "--delimiter", "", "-q"
    )
    assert code == 1 and "--delimiter must be one character" in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()


def test_invalid_utf8_in_a_csv_keeps_the_row_and_its_bytes(tmp_path, capsys):
    (tmp_path / "a.csv").write_bytes(b"id,name\n1,Sony\n2,Ca\xffnon\n3,NEC\n")
    out = tmp_path / "o.csv"
    assert run_cli("clean", str(tmp_path / "a.csv"), "-o", str(out), "-c", "name", "--encoding", "utf-8") == 0
    lines = out.read_bytes().split(b"\n")
    assert [line.split(b",")[:2] for line in lines[1:4]] == [[b"1", b"Sony"], [b"2", b"Ca\xffnon"], [b"3", b"NEC"]]
    assert "a.csv:3" in capsys.readouterr().err


def test_a_parquet_binary_name_column_is_cleaned_and_written_back_unchanged(tmp_path):
    source = tmp_path / "in.parquet"
    pq.write_table(
        pa.table({"name": pa.array([b"Sony", b"Ca\xffnon", None], pa.binary()), "x": [1.5, float("nan"), None]}), source
    )
    out = tmp_path / "out.parquet"
    assert run_cli("clean", str(source), "-o", str(out), "-c", "name", "-q") == 0
    table = pq.read_table(out)
    assert table["name"].type == pa.binary() and table["name"].to_pylist() == [b"Sony", b"Ca\xffnon", None]
    assert table["name_clean"].to_pylist()[0] == "Sony" and str(table["x"].to_pylist()) == "[1.5, nan, None]"


def test_repeated_column_names_are_each_written_once(tmp_path):
    source = tmp_path / "a.csv"
    source.write_bytes(b"id,id,name,\n1,2,Sony,x\n3,4,Canon,y\n")
    out = tmp_path / "o.csv"
    assert run_cli("clean", str(source), "-o", str(out), "-c", "name", "-q", "--columns", "match_key") == 0
    assert out.read_bytes() == b"id,id,name,,match_key\n1,2,Sony,x,sony\n3,4,Canon,y,canon\n"


def test_repeated_column_names_in_parquet_output_are_one_line(tmp_path, capsys):
    source = tmp_path / "a.csv"
    source.write_bytes(b"id,id,name\n1,2,Sony\n")
    code = run_cli("clean", str(source), "-o", str(tmp_path / "o.parquet"), "-c", "name", "-q")
    error = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and error == [
        "namecleaner: error: Parquet cannot hold two columns of one name ('id' in the input): rename them, or write .csv"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]


@pytest.mark.parametrize(
    "options, expected",
    [
        (["--model", "{tmp}/a.csv"], "--model is an option of the clustering: add --cluster"),
        (["--delimiter", '"'], "--delimiter cannot be a line break or the quote character"),
        (["--encoding", ""], "unknown encoding ''"),
        (["--language", "zz"], "no script is read in language 'zz'; languages: ar, be"),
    ],
    ids=["model without cluster", "quote delimiter", "empty encoding", "unknown language"],
)
def test_a_bad_option_value_is_one_line_and_writes_nothing(tmp_path, capsys, options, expected):
    (tmp_path / "a.csv").write_text("id,name\n1,Sony\n", encoding="utf-8")
    code = run_cli(
        "clean",
        str(tmp_path / "a.csv"),
        "-o",
        str(tmp_path / "o.csv"),
        "-c",
        "name",
        "-q",
        *[o.format(tmp=tmp_path) for o in options],
    )
    error = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(error) == 1 and expected in error[0]
    assert not (tmp_path / "o.csv").exists()


def test_a_header_of_control_characters_is_shown_escaped(tmp_path, capsys):
    (tmp_path / "a.csv").write_bytes(b"\x00\x01,x\n1,2\n")
    assert run_cli("clean", str(tmp_path / "a.csv"), "-o", str(tmp_path / "o.csv"), "-c", "name") == 1
    assert capsys.readouterr().err.strip().endswith("the header has: \\x00\\x01, x")


def test_a_header_only_file_gives_a_header_only_output(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"id,name\n")
    out = tmp_path / "o.csv"
    assert run_cli("clean", str(tmp_path / "a.csv"), "-o", str(out), "-c", "name", "-q", "--columns", "match_key") == 0
    assert out.read_bytes() == b"id,name,match_key\n"


def test_excel_safe_prefixes_formula_cells_of_the_new_columns_only(tmp_path, capsys):
    source = tmp_path / "a.csv"
    source.write_text('id,name\n1,"=HYPERLINK(""http://x"",""a"")"\n2,+cmd\n3,@SUM(A1)\n4,Sony\n', encoding="utf-8")
    plain, safe = tmp_path / "plain.csv", tmp_path / "safe.csv"
    assert run_cli("clean", str(source), "-o", str(plain), "-c", "name") == 0
    capsys.readouterr()
    assert run_cli("clean", str(source), "-o", str(safe), "-c", "name", "--excel-safe") == 0
    assert "--excel-safe" in capsys.readouterr().err
    frame = pd.read_csv(safe, dtype=str, keep_default_na=False)
    assert frame["name"].tolist() == [
        '=HYPERLINK("http://x","a")',
        "+cmd",
        "@SUM(A1)",
        "Sony",
    ]  # the original, as it was
    assert frame["name_clean"].tolist() == ['\'=HYPERLINK("http://x","a")', "'+cmd", "'@SUM(A1)", "Sony"]
    assert pd.read_csv(plain, dtype=str)["name_clean"].tolist()[1] == "+cmd"


def test_formula_cells_are_warned_about_once(tmp_path, capsys):
    source = tmp_path / "a.csv"
    source.write_text("id,name\n1,+cmd\n2,=1+1\n", encoding="utf-8")
    assert run_cli("clean", str(source), "-o", str(tmp_path / "o.csv"), "-c", "name") == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "formulas" in line]
    assert len(warnings) == 1 and "--excel-safe" in warnings[0]


@pytest.mark.parametrize(
    ("options", "cells"),
    [
        ((), "5 new cell(s)"),  # name_clean, name_match, name_latin, name_core, name_core_latin
        (("--columns", "name_clean"), "1 new cell(s)"),
        (("--columns", "match_key"), None),
        (("--cluster", "--columns", "cluster_id"), None),
        (("--cluster", "--columns", "cluster_name"), "1 new cell(s)"),
    ],
    ids=["every-column", "one-formula-column", "no-formula-column", "cluster-id", "cluster-name"],
)
def test_formula_cells_are_counted_in_the_columns_written_only(tmp_path, capsys, options, cells):
    source = tmp_path / "a.csv"
    source.write_text("id,name\n1,+cmd\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    assert run_cli("clean", str(source), "-o", str(out), "-c", "name", "--excel-safe", *options) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "new cell(s)" in line]
    assert [cells in line for line in warnings] == ([True] if cells else [])
    if "cluster_name" in options:  # the cluster's name is its defused cleaned name
        assert pd.read_csv(out, dtype=str)["cluster_name"].tolist() == ["'+cmd"]


def test_zero_names_to_cluster_keep_every_row(tmp_path, capsys):
    source = tmp_path / "a.csv"
    source.write_text("id,name\n1,\n2,\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    assert run_cli("clean", str(source), "-o", str(out), "-c", "name", "--cluster", "-q") == 0
    frame = pd.read_csv(out, dtype=str)
    assert frame["id"].tolist() == ["1", "2"] and frame["cluster_id"].isna().all()
    assert "empty vocabulary" not in capsys.readouterr().err


@pytest.mark.parametrize("strictness", ["7", "nan", "-0.1"])
def test_a_strictness_outside_0_to_1_is_refused(tmp_path, capsys, strictness):
    (tmp_path / "a.csv").write_text("name,match_key\nSony,sony\n", encoding="utf-8")
    code = run_cli("cluster", str(tmp_path / "a.csv"), "-o", str(tmp_path / "o.csv"), "--strictness", strictness)
    error = capsys.readouterr().err.strip()
    assert code == 1 and "strictness" in error and len(error.splitlines()) == 1


def test_a_full_disk_is_one_line_and_leaves_no_output(tmp_path, capsys, monkeypatch):
    (tmp_path / "a.csv").write_text("id,name\n1,Sony\n", encoding="utf-8")

    def full(self, frame):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(table_io.TableWriter, "write", full)
    code = run_cli("clean", str(tmp_path / "a.csv"), "-o", str(tmp_path / "o.csv"), "-c", "name", "-q")
    assert code == 1
    assert (
        capsys.readouterr().err.strip()
        == f"namecleaner: error: {tmp_path / 'o.csv'}: cannot write: No space left on device; nothing was written"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]


def test_a_full_stdout_is_one_line(tmp_path):
    import subprocess
    import sys

    (tmp_path / "a.csv").write_text("id,name\n1,Sony\n", encoding="utf-8")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "namecleaner", "clean", str(tmp_path / "a.csv"), "-o", "-", "-c", "name", "-q"],
            stdout=full,
            check=False,
            stderr=subprocess.PIPE,
            text=True,
            timeout=TIME_BOUND,
        )
    assert done.returncode == 1 and done.stderr.strip().splitlines() == [
        "namecleaner: error: No space left on device; no output was written"
    ]


def _writing(folder) -> bool:
    """True once the temporary output of ``out.csv`` in ``folder`` has bytes."""
    for part in folder.glob(".out.csv.*.part"):
        try:
            if part.stat().st_size:
                return True
        except FileNotFoundError:  # renamed into place meanwhile
            pass
    return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_stop_like_ctrl_c_without_part_files(tmp_path, signum):
    import subprocess
    import sys
    import time

    source = tmp_path / "big.csv"
    source.write_text(
        "id,name\n" + "".join(f"{i},Company {i} Holdings Co Ltd\n" for i in range(300_000)), encoding="utf-8"
    )
    out = tmp_path / "out.csv"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "namecleaner",
            "clean",
            str(source),
            "-o",
            str(out),
            "-c",
            "name",
            "-q",
            "--chunk-size",
            "1000",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + TIME_BOUND
    # until rows are being written (a signal while the workers start is the test below)
    while not _writing(tmp_path) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signum)
    error = process.communicate(timeout=TIME_BOUND)[1]
    assert process.returncode == 128 + signum, error
    assert (
        error.strip().splitlines()[-1]
        == f"namecleaner: stopped by {signal.Signals(signum).name}; no output was written"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv"]


def _children(pid: int) -> list[int]:
    """The child processes of ``pid`` (Linux /proc)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as listing:
            return [int(child) for child in listing.read().split()]
    except FileNotFoundError:  # exited
        return []


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="finds the worker processes in Linux /proc")
@pytest.mark.parametrize("delay", [0.0, 0.005, 0.02])
def test_sigterm_while_the_worker_processes_start_stops_the_run_and_every_worker(tmp_path, delay):
    """A signal in the middle of the forks was lost in an at-fork hook (the run went on), or left
    a worker that nobody stopped, holding the run's pipes open (a reader of its stderr hung)."""
    import subprocess
    import sys
    import time

    source = tmp_path / "big.csv"
    source.write_text("id,name\n" + "".join(f"{i},Company {i} Holdings Co Ltd\n" for i in range(20_000)))
    command = [sys.executable, "-m", "namecleaner", "clean", str(source), "-o", str(tmp_path / "out.csv")]
    process = subprocess.Popen([*command, "-c", "name", "-q", "--workers", "2"], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + TIME_BOUND
    while not _children(process.pid) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.0005)  # until the first worker is forked
    time.sleep(delay)
    process.send_signal(signal.SIGTERM)
    seen = set()
    while process.poll() is None and time.monotonic() < deadline:
        seen.update(_children(process.pid))
        time.sleep(0.001)
    left = [pid for pid in seen if _running(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    if process.poll() is None:
        process.kill()
    error = process.communicate(timeout=TIME_BOUND)[1]
    assert (process.returncode, left) == (128 + signal.SIGTERM, []), error
    assert error.strip().splitlines()[-1] == "namecleaner: stopped by SIGTERM; no output was written"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv"]


# --- properties over random Unicode (hypothesis) ------------------------------------------------


#: Texts from every plane, with combining marks, bidi controls and the odd 10k-character name.
_CHARACTERS = st.characters(codec="utf-8")  # every code point but the surrogates a str from a file never holds
_MARKS = st.sampled_from(["\u0301", "\u0308", "\u0323", "\u200d", "\u200b", "\ufe0f", "\u3099"])
_BIDI = st.sampled_from(
    ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f"]
)
NAMES = st.one_of(
    st.text(_CHARACTERS, max_size=40),
    st.lists(st.one_of(_CHARACTERS, _MARKS, _BIDI), max_size=30).map("".join),
    st.builds(
        lambda unit, n: (unit * n)[:10_000], st.text(_CHARACTERS, min_size=1, max_size=5), st.integers(2_000, 10_000)
    ),
    st.sampled_from(
        ["Toyota Motor Corp.", "株式会社日立製作所", "삼성전자 주식회사", "ООО «Ромашка»", "SMITH, John", ""]
    ),
)
VALUES = st.lists(
    st.one_of(NAMES, NAMES, st.none(), st.integers(), st.floats(allow_nan=True), st.booleans()), max_size=12
)
PROPERTY_SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def _rows(frame: pd.DataFrame) -> list[tuple]:
    """The cleaned fields of each row, missing as None, for comparing runs."""
    fields = frame.drop(columns=["original"], errors="ignore")
    return [tuple(None if pd.isna(v) else v for v in row) for row in fields.itertuples(index=False)]


@PROPERTY_SETTINGS
@given(VALUES)
def test_one_row_per_input_in_order_with_the_originals_identical(values):
    with bounded():
        frame = clean(values)
    assert len(frame) == len(values) and list(frame.index) == list(range(len(values)))
    for original, value in zip(frame["original"], values):
        assert original is value or (pd.isna(original) and pd.isna(value))


@PROPERTY_SETTINGS
@given(VALUES, st.randoms(use_true_random=False), st.integers(1, 5))
def test_the_same_output_for_any_chunking_and_order(values, random, size):
    with bounded(3 * TIME_BOUND):  # three runs
        whole = _rows(clean(values))
        order = list(range(len(values)))
        random.shuffle(order)
        shuffled = _rows(clean([values[i] for i in order]))
        assert [shuffled[order.index(i)] for i in range(len(values))] == whole
        cleaner = Cleaner(Context.for_config().pipeline())  # one cache across chunks, as the CLI streams
        chunked = []
        for start in range(0, len(values), size):
            chunked += _rows(cleaner.clean(pd.Series(values[start : start + size], dtype=object)).frame)
    assert chunked == whole


@PROPERTY_SETTINGS
@given(VALUES, st.randoms(use_true_random=False), st.integers(1, 4))
def test_the_same_output_for_random_chunks_through_a_cache_that_evicts(values, random, cache_size):
    """Chunks of random sizes through one cleaner whose cache holds a few values, so entries are
    dropped and cleaned again; then the whole batch again, reversed, through the same cache."""
    with bounded(3 * TIME_BOUND):
        whole = _rows(clean(values))
        cleaner = Cleaner(Context.for_config().pipeline(), cache_size=cache_size)
        chunked, start = [], 0
        while start < len(values):
            size = random.randint(1, 7)
            chunked += _rows(cleaner.clean(pd.Series(values[start : start + size], dtype=object)).frame)
            start += size
        again = _rows(cleaner.clean(pd.Series(values[::-1], dtype=object)).frame)[::-1]
    assert len(cleaner._cache) <= cache_size
    assert chunked == whole and again == whole


@PROPERTY_SETTINGS
@example(["\x1fÆ0ß\x1fÆ0ß"])  # found by hypothesis: once the controls were dropped, 'ßÆ' read as mojibake of U+07EF
@example(["À\x1f\x86"])  # the same: the C1 control read as cp1252 '†', then 'À†' as mojibake
@example(["\ufbea" * 2000])  # found by hypothesis: NFKC doubled the capped name past the cap
@example(["Â\xa0"])  # found by hypothesis: mojibake of a no-break space, cleaned to nothing, keyed from the original
@given(st.lists(NAMES, min_size=1, max_size=8))
def test_the_key_is_idempotent_when_name_clean_is_cleaned_again(names):
    with bounded():
        first = clean(names)
        again = clean(first["name_clean"].tolist())
    assert again["match_key"].tolist() == first["match_key"].tolist()


def test_a_kana_iteration_mark_after_a_character_beyond_the_bmp_is_cleaned():
    # found by hypothesis: ICU repeated half of 𐀀 for ゝ, and the stages raised on the lone surrogate
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a row error warns
        frame = clean(["\U00010000ゝ", "\U00010000 ゞ株式会社"])
    assert frame["match_key"].tolist() == ["", "kabushiki kaisha"]


# --- long names: no stage may hang ---------------------------------------------------------------

#: The units the package's regexes quantify over (benchmarks/bench_regex_linear.py times each
#: pattern on them); repeated to 10k characters, with and without a character that fails a match.
WORST_UNITS = (" ", "a", "na", "1", ".", "a.", "A. ", "-", "'", '"', "(", ",", " ,", "、", "&", "&#", "e\u0301", "щ",
               "株", "アー", "가", "ก", "\u200f", "x-", "Co.", " - ", "株式会社", "Ltd ")  # fmt: skip


def test_each_stage_takes_10k_character_worst_cases_in_bounded_time():
    from namecleaner.cluster import cluster
    from namecleaner.pipeline import MAX_NAME_CHARS

    names = [unit * (10_000 // len(unit)) + tail for unit in WORST_UNITS for tail in ("", "!")]
    with bounded(2 * TIME_BOUND):
        frame = cluster(names)
    assert frame["original"].tolist() == names and frame["cluster_id"].notna().sum() >= len(names) // 2
    capped = [s for s in frame["steps"] if '"step": "cap_length"' in s]
    assert len(capped) == len(names) and f"first {MAX_NAME_CHARS} of" in capped[0]


def test_a_5_mb_field_does_not_stall_clean(tmp_path):
    source = tmp_path / "a.csv"
    field = "Toyota Motor Corporation " * 200_000
    source.write_text(f"id,name\n1,Sony\n2,{field}\n3,NEC\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    assert run_cli("clean", str(source), "-o", str(out), "-c", "name", "-q") == 0
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert frame["id"].tolist() == ["1", "2", "3"] and frame["name"][1] == field


# --- office profiles (the Config validator) ------------------------------------------------------

HOSTILE_PROFILES = {
    "countries as text": ('[office]\ncode = "XX"\ncountries = "JP"\n', "office.countries must be a list"),
    "enabled as text": ('[stages.unicode]\nenabled = "false"\n', "stages.unicode.enabled must be true or false"),
    "tables as a number": ("[stages.transliterate]\ntables = 1\n", "stages.transliterate.tables must be a table"),
    "prefer as a number": ("[stages.transliterate]\nprefer = 1\n", "stages.transliterate.prefer must be a table"),
    "tables_dirs as a number": (
        "[stages.transliterate]\ntables_dirs = 1\n",
        "stages.transliterate.tables_dirs must be a list",
    ),
    "deeply nested": ("x = " + "[" * 3000 + "]" * 3000 + "\n", "nested"),
}


@pytest.mark.parametrize("text, expected", HOSTILE_PROFILES.values(), ids=HOSTILE_PROFILES.keys())
def test_a_malformed_profile_is_one_problem(tmp_path, text, expected):
    from namecleaner.config import Config

    path = tmp_path / "profile.toml"
    path.write_text(text, encoding="utf-8")
    with bounded(), pytest.raises(DataFileError, match=expected):
        Config.from_profile(str(path))


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda path: None, "no such file"),
        (lambda path: path.mkdir(), "is a folder"),
        (lambda path: path.write_bytes(b"\xff\xfe[office]\n"), "not UTF-8"),
    ],
    ids=["missing", "folder", "not utf-8"],
)
def test_an_unreadable_office_file_is_one_line(tmp_path, capsys, make, expected):
    (tmp_path / "a.csv").write_text("id,name\n1,Sony\n", encoding="utf-8")
    make(tmp_path / "profile.toml")
    code = run_cli(
        "clean",
        str(tmp_path / "a.csv"),
        "-o",
        str(tmp_path / "o.csv"),
        "-c",
        "name",
        "--office",
        str(tmp_path / "profile.toml"),
    )
    error = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(error) == 1 and expected in error[0]
