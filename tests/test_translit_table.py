"""Reading and checking transliteration tables: TOML, the spreadsheet CSV form, refusals."""

from pathlib import Path

import pytest

from namecleaner.errors import DataFileError
from namecleaner.translit.engine import example_failures, transliterator
from namecleaner.translit.table import load_table

FIXTURES = Path(__file__).parent / "fixtures" / "translit"


def test_office_csv_table_loads_and_passes_its_examples():
    table = load_table(FIXTURES / "xx-ukr-Cyrl-Latn-office.csv")
    assert (table.id, table.offices, table.languages, len(table.examples)) == (
        "xx-ukr-Cyrl-Latn-office",
        ("XX",),
        ("uk",),
        3,
    )
    assert example_failures(table) == []
    assert transliterator(table)("Київ") == "Kiev"


def test_malformed_table_is_refused_with_every_problem_and_its_line():
    with pytest.raises(DataFileError) as caught:
        load_table(FIXTURES / "bad-ukr-Cyrl-Latn-x.toml")
    assert caught.value.problems == [
        (
            "unknown key 'colour' (the keys are id, title, authority, languages, source_script, target_script, version, "
            "source, licence, offices, url, notes, case, normalize, reader, word_chars, rules, pass, icu_rules, examples, "
            "classes)"
        ),
        "'source_script' must be an ISO 15924 code such as Cyrl or Latn, not 'Cyrillic'",
        "line 13: empty 'from' (a rule must consume at least one character)",
        "line 14: write 'from' in lower case: with case = \"auto\" capitals follow the source",
        "line 15: unknown context 'word_middle' (use word_start, word_end, after, not_after, before, not_before)",
        "line 16: unknown class '@vowels' (define it under [classes])",
        "line 17: same 'from' and context as line 12, so it can never fire",
        "line 18: 'to' has 40 characters (at most 32)",
        "line 21: example has 1 cells, expected source, expected and an optional 'known_failure: why'",
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param('id = "x"\ntitle = "t', "Unterminated string", id="toml-syntax"),
        pytest.param(
            'id = "a-ukr-Cyrl-Latn"\ntitle = "t"\nauthority = "a"\nlanguages = ["uk"]\nsource_script = "Cyrl"\n'
            'target_script = "Latn"\nversion = "1"\nsource = "s"\nlicence = "l"\nreader = "klingon"\nrules = """\na\tb\n"""\n',
            "unknown reader 'klingon'",
            id="unknown-reader",
        ),
        pytest.param(
            'id = "b-ukr-Cyrl-Latn"\n',
            "the file must be named after its id: b-ukr-Cyrl-Latn.toml",
            id="id-not-file-name",
        ),
        pytest.param('id = "ukrainian"\n', "is not in the ISO 24229 style", id="id-style"),
        pytest.param("icu_rules = 'a > ;;; [[['\n", "icu_rules do not compile", id="icu-rules"),
        pytest.param("", "the table has no rules", id="no-rules"),
        pytest.param("examples = [['Київ', 'Kyiv']]\n", "'examples' must be a string", id="examples-not-a-block"),
    ],
)
def test_refusals(tmp_path, text, problem):
    path = tmp_path / "a-ukr-Cyrl-Latn.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_table(path)
    assert any(problem in p for p in caught.value.problems), caught.value.problems


def test_csv_needs_its_header(tmp_path):
    path = tmp_path / "a-ukr-Cyrl-Latn.csv"
    path.write_text("# id: a-ukr-Cyrl-Latn\nsource,target\nщ,shch\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_table(path)
    assert "line 2: the header must be from,to,context (found source,target)" in caught.value.problems
