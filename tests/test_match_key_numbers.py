"""Numbers in match keys: words, ordinals and Korean number signs key as digits."""

from __future__ import annotations

import json

import pytest

from namecleaner.batch import clean
from namecleaner.stages.match_key import load_glossary
from namecleaner.stages.match_key.numbers import digit_words, strip_number_signs

SAME_NUMBER = [
    pytest.param("Hana Twenty-nine Special Purpose Acquisition Company", "하나29호스팩", id="words and 호"),
    pytest.param("Kiwoom No.8 Special Purpose Acquisition Company", "키움제8호스팩", id="No. and 제…호"),
    pytest.param("Shinhan 16th Special Purpose Acquisition Company", "신한제16호스팩", id="ordinal"),
    pytest.param("Samsung Must Special Purpose Acquisition 5 Company", "삼성머스트기업인수목적5호", id="legal name"),
]


@pytest.mark.parametrize(("english", "korean"), SAME_NUMBER)
def test_a_number_keys_as_its_digits_in_either_script(english: str, korean: str) -> None:
    keys = clean([english, korean], "KR")["match_key"].tolist()
    numbers = [{word for word in key.split() if word.isdigit()} for key in keys]
    assert numbers[0] == numbers[1] != set()
    assert all("spac" in key.split() for key in keys)


def test_the_number_rule_is_recorded_as_a_step() -> None:
    steps = json.loads(clean(["Hana Twenty-nine Special Purpose Acquisition Company"])["steps"][0])
    numbers = [s for s in steps if s["step"] == "numbers"]
    assert [(s["rule"], s["table"].split()[0]) for s in numbers] == [("twenty nine→29", "text2num")]
    assert any(s["step"] == "glossary" and s["rule"] == "special purpose acquisition→spac" for s in steps)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        pytest.param(["seventh", "tir"], ["7", "tir"], id="ordinal word"),
        pytest.param(["7th", "tir"], ["7", "tir"], id="ordinal digits"),
        pytest.param(["one", "world", "technology"], ["one", "world", "technology"], id="a lone one stays"),
        pytest.param(["first", "national", "bank"], ["first", "national", "bank"], id="first stays"),
        pytest.param(["4th", "generation"], ["4", "generation"], id="4th"),
        pytest.param(["5thgen", "labs"], ["5thgen", "labs"], id="an ordinal inside a word stays"),
    ],
)
def test_digit_words(words: list[str], expected: list[str]) -> None:
    assert digit_words(words)[0] == expected


def test_a_number_sign_is_dropped_only_where_it_touches_a_number() -> None:
    glossary = load_glossary()
    assert strip_number_signs("호스팩", "하나29", "", glossary) == ("스팩", ["호"])
    # 제일 (first, 제일기획) is a word: no number follows it
    assert strip_number_signs("제일기획", "", "", glossary) == ("제일기획", [])
    # a glossary word that takes the sign keeps it: the 호 of 호텔 (hotel) after a number
    assert "호텔" in glossary.hangul
    assert strip_number_signs("호텔", "신라2", "", glossary) == ("호텔", [])
