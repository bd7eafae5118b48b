"""``namecleaner tables``: list, show, validate, test."""

import shutil
import sys
from pathlib import Path

from namecleaner.cli import main
from namecleaner.context import Context

FIXTURES = Path(__file__).parent / "fixtures" / "translit"


def test_list_shows_id_scripts_languages_offices(capsys):
    assert main(["tables", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "id\tscripts\tlanguages\toffices\ttitle"
    assert "ua-ukr-Cyrl-Latn-2010\tCyrl-Latn\tuk\tUA\tUkrainian national system (KMU Resolution No 55 of 2010)" in lines


def test_show_prints_metadata_rules_and_examples(capsys):
    assert main(["tables", "show", "ua-ukr-Cyrl-Latn-2010"]) == 0
    out = capsys.readouterr().out
    assert "authority: Cabinet of Ministers of Ukraine" in out
    assert "зг\t→ zgh" in out and "Київ\t→ Kyiv" in out


def test_validate_lists_every_problem_with_lines(capsys):
    assert main(["tables", "validate", str(FIXTURES / "bad-ukr-Cyrl-Latn-x.toml")]) == 1
    err = capsys.readouterr().err
    assert "invalid table, 9 problem(s):" in err and "  line 13: empty 'from'" in err
    assert main(["tables", "validate", str(FIXTURES / "xx-ukr-Cyrl-Latn-office.csv")]) == 0
    assert "valid table xx-ukr-Cyrl-Latn-office@1, 10 rules, 3 examples" in capsys.readouterr().out


def test_test_passes_for_a_good_table_and_fails_on_a_wrong_example(tmp_path, capsys):
    assert main(["tables", "test", "ua-ukr-Cyrl-Latn-2010"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 tables, 74 examples, 0 failed"
    text = (
        (FIXTURES / "xx-ukr-Cyrl-Latn-office.csv").read_text(encoding="utf-8").replace("Київ -> Kiev", "Київ -> Kyiv")
    )
    (tmp_path / "xx-ukr-Cyrl-Latn-office.csv").write_text(text, encoding="utf-8")
    assert main(["tables", "test", "xx-ukr-Cyrl-Latn-office", "--tables", str(tmp_path)]) == 1
    assert "FAIL xx-ukr-Cyrl-Latn-office: 'Київ' expected 'Kyiv', got 'Kiev'" in capsys.readouterr().out


def test_clean_takes_tables_and_language(tmp_path, capsys):
    shutil.copy(FIXTURES / "xx-ukr-Cyrl-Latn-office.csv", tmp_path)
    office = tmp_path / "office.toml"
    office.write_text(
        '[office]\ncode = "XX"\n[stages.transliterate.tables]\n"Cyrl:uk" = "xx-ukr-Cyrl-Latn-office"\n',
        encoding="utf-8",
    )
    source = tmp_path / "in.csv"
    source.write_text("name\nКия\n", encoding="utf-8")
    args = [
        "clean",
        str(source),
        "-o",
        "-",
        "-c",
        "name",
        "-q",
        "--office",
        str(office),
        "--tables",
        str(tmp_path),
        "--language",
        "uk",
    ]
    assert main(args) == 0
    assert "Кия,Кия,кия,Cyrl,uk,Kiia,xx-ukr-Cyrl-Latn-office," in capsys.readouterr().out
    assert main(args[:-2]) == 0  # without --language the letters say Russian
    assert "Кия,Кия,кия,Cyrl,ru,Kiya,bgnpcgn-rus-Cyrl-Latn-1947," in capsys.readouterr().out


def test_test_skips_a_table_whose_reader_lacks_its_package(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    Context.clear()
    try:
        assert main(["tables", "test", "royin-tha-Thai-Latn-1999"]) == 0
    finally:
        Context.clear()
    assert capsys.readouterr().out.splitlines() == [
        "royin-tha-Thai-Latn-1999: skipped, The Thai reader (RTGS) needs the 'onnxruntime' package: pip install 'onnxruntime'",
        "1 tables, 0 examples, 0 failed, 1 tables skipped (royin-tha-Thai-Latn-1999)",
    ]
