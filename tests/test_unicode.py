"""The Unicode cleaning stage, against the golden cases in tests/cases/unicode.json."""

import pytest
from conftest import golden_cases

from namecleaner.pipeline import build_pipeline
from namecleaner.stages.unicode import FIXES, load_homoglyphs

PIPELINE = build_pipeline(stages=("unicode",))


@pytest.mark.parametrize("case", golden_cases("unicode"))
def test_display_form(case):
    assert PIPELINE.run(case["original"]).name_clean == case["name_clean"]


@pytest.mark.parametrize("case", golden_cases("unicode"))
def test_match_form(case):
    assert PIPELINE.run(case["original"]).name_match == case["name_match"]


@pytest.mark.parametrize("case", golden_cases("unicode"))
def test_steps_recorded(case):
    assert [s.step for s in PIPELINE.run(case["original"]).steps] == case["steps"]


@pytest.mark.parametrize("case", golden_cases("unicode"))
def test_steps_replay_to_display_form(case):
    """The provenance is a plan: replaying its steps on the original gives the display form."""
    record = PIPELINE.run(case["original"])
    text = case["original"]
    for step in record.steps:
        text = FIXES[step.step](text)
        assert text == step.result
    assert text == record.name_clean


def test_original_is_never_modified():
    original = " ＡＴ&amp;Ｔ\u00a0"
    assert PIPELINE.run(original).original == original


def test_steps_name_the_table_and_library():
    steps = PIPELINE.run("S\u0430msung").steps + PIPELINE.run("MÃ¼ller").steps
    assert [(s.rule.split()[0], s.table.split("@")[0]) for s in steps] == [
        ("UTS", "unicode-confusables-homoglyphs"),
        ("ftfy", ""),
    ]


def test_homoglyph_table_pairs_basic_letters():
    homoglyphs = load_homoglyphs()
    assert (homoglyphs.to_latin["\u0430"], homoglyphs.from_latin["Cyrl"]["O"], homoglyphs.from_latin["Grek"]["A"]) == (
        "a",
        "\u041e",
        "\u0391",
    )


def test_only_listed_words_turn_cyrillic():
    assert sorted(load_homoglyphs().words["Cyrl"]) == ["АО", "НАО", "ОАО", "ООО", "ТОВ", "ТОО"]


@pytest.mark.parametrize(
    "original",
    [
        "\x1fÆ0ß\x1fÆ0ß",  # the control dropped, 'ßÆ' is mojibake of U+07EF
        "À\x1f\x86",  # the C1 control read as cp1252 '†', then 'À†' as mojibake
        "Acme \ufc5e Trading",  # NFKC gives the ligature a leading space
    ],
)
def test_the_display_form_cleans_to_itself(original):
    record = PIPELINE.run(original)
    again = PIPELINE.run(record.name_clean)
    assert (again.name_clean, again.steps) == (record.name_clean, [])


def test_an_expansion_past_the_cap_is_cut_to_it():
    from namecleaner.record import MAX_NAME_CHARS

    record = PIPELINE.run("\ufdfa" * 100)  # each one 18 letters under NFKC
    assert len(record.name_clean) == MAX_NAME_CHARS and record.steps[-1].step == "cap_length"
