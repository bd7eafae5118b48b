"""The match-key stage: folding, glossary (Latin, Hangul, native scripts) and the key source."""

from __future__ import annotations

import pytest

from namecleaner.batch import clean
from namecleaner.errors import DataFileError
from namecleaner.record import NameRecord
from namecleaner.stages import match_key
from namecleaner.stages.match_key import fold_words, load_glossary, make_key

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


@pytest.mark.parametrize(("name", "expected"), [(n, e) for _, n, e in HOMOPHONES], ids=[label for label, _, _ in HOMOPHONES])
def test_kanji_glossary_words_are_read_in_their_script(name: str, expected: str) -> None:
    assert clean([name], office="JP")["match_key"].tolist() == [expected]


def test_a_kanji_glossary_hit_is_recorded_with_its_reading() -> None:
    steps = clean(["日本鉱業株式会社"], office="JP")["steps"][0]
    assert '"rule": "鉱業 (kogyo)→mining"' in steps


def test_fold_words_joins_letters_and_drops_punctuation() -> None:
    assert fold_words("A B C / R&D, O'Neil") == ["abc", "rd", "oneil"]


def test_steps_record_glossary_hits_and_source() -> None:
    stage = match_key.build({}, None)
    record = NameRecord("Univ. of Nebraska", name_clean="Univ. of Nebraska")
    stage(record)
    assert record.match_key == "university nebraska"
    rules = [(s.step, s.rule) for s in record.steps]
    assert ("glossary", "univ→university") in rules
    assert rules[-1] == ("match_key", "name_clean")


def test_unknown_option_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown option"):
        match_key.build({"glossary": "x"}, None)


def test_glossary_conflict_is_reported_with_file_and_line(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "glossary"
    folder.mkdir()
    header = "# id: g\n# title: t\n# version: 1\n# source: s\n# licence: l\nconcept\tvariant\n"
    (folder / "a.tsv").write_text(header + "motor\tjidosha\nelectric\tjidosha\n", encoding="utf-8")
    monkeypatch.setattr(match_key, "data_path", lambda *parts: tmp_path.joinpath(*parts))
    load_glossary.cache_clear()
    try:
        with pytest.raises(DataFileError, match=r"a.tsv:8: 'jidosha' means 'electric' here but 'motor' at a.tsv:7"):
            load_glossary()
    finally:
        load_glossary.cache_clear()
