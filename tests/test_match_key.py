"""The match-key stage: folding, glossary (Latin, Hangul, native scripts) and the key source."""

from __future__ import annotations

import json

import pytest
from conftest import golden_cases

from namecleaner.batch import clean
from namecleaner.config import Config
from namecleaner.context import Context
from namecleaner.errors import DataFileError, NameCleanerError
from namecleaner.pipeline import build_pipeline
from namecleaner.record import NameRecord
from namecleaner.stages import match_key
from namecleaner.stages.match_key import hepburn_spelling, load_glossary, make_key, split_katakana_words

KEYS = [
    ("spacing and dots", "A.B.C. Industries", "abc industry"),
    ("romanised Japanese", "Toyota Jidosha", "toyota motor"),
    ("pinyin by syllable", "Huawei Ji Shu", "huawei technology"),
    ("abbreviation", "Univ. of Nebraska", "university nebraska"),
    ("US state abbreviation", "Trustees of the Univ. of Penna.", "trustee university pennsylvania"),
    ("Korean letters", "에이치비이에너지", "hbe energy"),
    ("Korean words", "코아정보시스템", "core information system"),
    ("Cyrillic", "Автомобильный завод", "motor plant"),
    ("only function words", "The", "the"),
]


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in KEYS], ids=[label for label, _, _ in KEYS])
def test_make_key(text: str, expected: str) -> None:
    hangul = text if any("\uac00" <= c <= "\ud7a3" for c in text) else None
    assert make_key(text, hangul)[0] == expected


def test_cross_script_names_meet() -> None:
    frame = clean(["トヨタ自動車株式会社", "Toyota Jidosha K.K.", "TOYOTA JIDOSHA KABUSHIKI KAISHA"])
    assert frame["match_key"].nunique() == 1


HOMOPHONES = [
    ("mining, read kogyo", "日本鉱業株式会社", "japan mining"),
    ("industry, read kogyo", "日本工業株式会社", "japan industry"),
    ("science, read kagaku", "理想科学工業株式会社", "riso science industry"),
    ("a glossary word inside a longer word", "田中貴金属工業株式会社", "tanaka kikinzoku industry"),
    ("Chinese 中国 is not the Japanese region", "中国電力株式会社", "chugoku power"),
]


@pytest.mark.parametrize(
    ("name", "expected"), [(n, e) for _, n, e in HOMOPHONES], ids=[label for label, _, _ in HOMOPHONES]
)
def test_kanji_glossary_words_are_read_in_their_script(name: str, expected: str) -> None:
    assert clean([name], "JP")["match_key"].tolist() == [expected]


def test_a_kanji_glossary_hit_is_recorded_with_its_reading() -> None:
    steps = clean(["日本鉱業株式会社"], "JP")["steps"][0]
    assert '"rule": "鉱業 (kogyo)→mining"' in steps


def test_steps_record_glossary_hits_and_source() -> None:
    stage = build_pipeline(stages=("match_key",)).stages[-1]
    record = NameRecord("Univ. of Nebraska", name_clean="Univ. of Nebraska")
    stage(record)
    assert record.match_key == "university nebraska"
    rules = [(s.step, s.rule) for s in record.steps]
    assert ("glossary", "univ→university") in rules
    assert rules[-1] == ("match_key", "name_clean")


def test_unknown_option_is_refused() -> None:
    with pytest.raises(NameCleanerError, match="stages.match_key.glossary is not an option"):
        Config().replace(match_key={"glossary": "x"})


def test_glossary_conflict_is_reported_with_file_and_line(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "glossary"
    folder.mkdir()
    header = "# id: g\n# title: t\n# version: 1\n# source: s\n# licence: l\nconcept\tvariant\n"
    (folder / "a.tsv").write_text(header + "motor\tjidosha\nelectric\tjidosha\n", encoding="utf-8")
    monkeypatch.setattr(match_key, "data_path", lambda *parts: tmp_path.joinpath(*parts))
    Context.clear()
    try:
        with pytest.raises(DataFileError, match=r"a.tsv:8: 'jidosha' means 'electric' here but 'motor' at a.tsv:7"):
            load_glossary()
    finally:
        Context.clear()


KEY_CASES = golden_cases("match_key")


@pytest.mark.parametrize("case", KEY_CASES)
def test_golden_match_keys(case: dict) -> None:
    frame = clean([case["original"]], case.get("office"))
    assert frame["match_key"][0] == case["match_key"]
    if case.get("rule"):
        assert case["rule"] in [step["rule"] for step in json.loads(frame["steps"][0])]


def test_a_loanword_step_cites_the_dictionary_and_keeps_the_reading() -> None:
    steps = json.loads(clean(["モルガン・スタンレー"], "JP")["steps"][0])
    loanwords = [step for step in steps if step["step"] == "loanword"]
    assert [step["result"] for step in loanwords] == ["morgan", "stanley"]
    assert loanwords[0]["rule"] == "モルガン→morgan (UniDic モーガン-Morgan; romanised morugan)"
    assert loanwords[0]["table"] == match_key.LOANWORD_TABLE


def test_a_katakana_glossary_word_inside_a_coined_word_is_not_taken() -> None:
    glossary = load_glossary()
    assert split_katakana_words("ソフテックス", glossary) == ("ソフテックス", [], [])
    assert split_katakana_words("リケンテクノス", glossary)[1] == []
    assert split_katakana_words("グローバル・ロジスティクス", glossary)[:2] == (
        "global ・ logistics",
        ["global", "logistics"],
    )


@pytest.mark.parametrize(
    ("spelling", "hepburn"),
    [
        ("jidosya", "jidosha"),
        ("jidohsha", "jidosha"),
        ("zidousya", "jidosha"),
        ("tuusin", "tsushin"),
        ("huzi", "fuji"),
        ("shuhu", "shufu"),
    ],
)
def test_kunrei_nihon_and_passport_spellings_fold_to_hepburn(spelling: str, hepburn: str) -> None:
    assert hepburn_spelling(spelling) == hepburn


def test_misspelt_glossary_words_need_a_long_word_and_one_meaning() -> None:
    assert make_key("Nippon Denkii Seisakusyo")[0] == "japan denkii manufacturing"  # denki: too short for a typo
    assert make_key("Acme Electronnics")[0] == "acme electronics"
    assert make_key("Acme Electornic")[0] == "acme electronics"
    assert make_key("Royal Society")[0] == "royal society"


def test_the_key_is_romanised_by_the_table_the_configuration_chose() -> None:
    """Defect: match_key built a private transliteration from the profile, ignoring the chosen table."""
    config = Config().replace(transliterate={"tables": {"Jpan": "var-jpn-Hrkt-Latn-hepburn-1954"}})
    frame = clean(["サンポーコンピュータ"], config)
    assert (frame["name_latin"][0], frame["match_key"][0]) == ("Sanpōkonpyūta", "sanpo computer")


@pytest.mark.parametrize("case", golden_cases("match_key_words"))
def test_keys_keep_brands_drop_titles_forms_and_places(case: dict) -> None:
    """Issue 15: plurals only off dictionary plurals, a person keyed by family and given names,
    forms and places in any script out of the key (tests/cases/match_key_words.json, each with its why)."""
    frame = clean([case["original"]], country=[case.get("country")])
    assert frame["match_key"][0] == case["match_key"]


@pytest.mark.parametrize("original", ["Â\xa0", "Ø\x80", "\u200b"])
def test_a_name_that_cleans_to_nothing_has_no_key(original):
    # 'Â\xa0' is mojibake of a no-break space: keyed from the original it was 'a', and '' when cleaned again
    record = build_pipeline().run(original)
    assert (record.name_clean, record.match_key) == ("", "")
