"""Pair scores: rare words weigh more, guards and penalties."""

from __future__ import annotations

import pytest

from namecleaner.cluster.score import ScoreModel, score_pair

MODEL = ScoreModel({"motorola": 2, "international": 60, "technology": 70, "abc": 3, "america": 5, "fund": 10}, 100)


def test_common_words_weigh_less_than_rare_ones() -> None:
    common_extra = score_pair(MODEL, ("motorola",), ("motorola", "international")).score
    rare_extra = score_pair(MODEL, ("motorola",), ("motorola", "zyxel")).score
    assert common_extra > rare_extra


def test_a_trailing_place_word_marks_a_regional_unit() -> None:
    result = score_pair(MODEL, ("acme",), ("acme", "america"))
    assert result.score <= 0.4 and "extra place word 'america'" in result.reason
    assert "place" not in score_pair(MODEL, ("america", "acme"), ("acme",)).reason


@pytest.mark.parametrize(
    ("contained", "longer", "capped"),
    [
        (("american", "technology"), ("american", "ozone", "technology"), True),
        (("general", "product"), ("general", "home", "product"), True),
        (("general", "machine", "product"), ("american", "machine", "product"), True),
        (("motorola",), ("motorola", "technology"), False),
        (("university", "health", "network"), ("university", "health", "network", "uhn"), False),
        (("america", "environmental", "protection", "agency"), ("america", "environmental", "protection", "agency", "office"), False),
    ],
    ids=["generic-name-extra-rare-word", "generic-name-extra-generic-word", "generic-names-differ", "own-word", "acronym", "long-description"],
)
def test_a_generic_name_and_another_with_a_word_it_lacks_are_different_bodies(contained, longer, capped) -> None:
    result = score_pair(MODEL, contained, longer)
    assert ("generic words only" in result.reason) is capped
    assert (result.score <= 0.4) is capped


def test_an_acronym_covers_the_words_it_abbreviates() -> None:
    long = ("america", "national", "aeronautic", "space", "administration")
    assert score_pair(MODEL, ("america", "nasa"), long).words > 0.95
    assert score_pair(MODEL, ("america", "nasb"), long).words < 0.7


def test_a_compass_word_in_one_name_only_marks_another_body() -> None:
    result = score_pair(MODEL, ("university", "florida"), ("university", "west", "florida"))
    assert result.score <= 0.4 and "compass word 'west'" in result.reason
    assert "compass" not in score_pair(MODEL, ("philip", "america"), ("philip", "north", "america")).reason


def test_a_governing_body_names_the_institution_it_holds() -> None:
    model = ScoreModel({"board": 8, "regent": 6, "university": 40, "nebraska": 3, "lincoln": 3}, 100)
    held = score_pair(model, ("board", "regent", "university", "nebraska"), ("university", "nebraska"))
    other = score_pair(model, ("lincoln", "university", "nebraska"), ("university", "nebraska"))
    assert held.score > other.score > 0.7
    assert "rare word" not in score_pair(model, ("board", "regent", "university", "nebraska"), ("university", "nebraska", "lincoln")).reason


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        (("toruku", "kogyo"), ("torq", "kogyo"), True),
        (("keompyuteo", "center"), ("computer", "center"), True),
        (("tokuyama",), ("takuma",), False),
        (("general", "oceanus"), ("general", "science"), False),
    ],
    ids=["japanese-loanword", "korean-loanword", "two-japanese-readings", "two-english-words"],
)
def test_a_sound_skeleton_joins_a_loanword_to_its_source_only(left, right, joined) -> None:
    assert (score_pair(MODEL, left, right).words > 0.8) is joined


def test_typos_in_long_words_still_match() -> None:
    assert score_pair(MODEL, ("motorola", "technology"), ("motorla", "technology")).score > 0.85


@pytest.mark.parametrize(
    ("left", "right", "reason"),
    [
        (("ibm",), ("ibn",), "short name"),
        (("fund", "1"), ("fund", "2"), "numbers differ"),
    ],
    ids=["acronym", "numbers"],
)
def test_hard_evidence_caps_the_score(left, right, reason) -> None:
    result = score_pair(MODEL, left, right)
    assert result.score <= 0.3 and reason in result.reason


def test_legal_form_class_conflict_is_negative_evidence() -> None:
    same = score_pair(MODEL, ("motorola",), ("motorola", "technology"), "LLC", "LLC").score
    differ = score_pair(MODEL, ("motorola",), ("motorola", "technology"), "LLC", "LP")
    assert differ.score < same and "legal-form classes differ" in differ.reason
    assert score_pair(MODEL, ("motorola",), ("motorola", "technology"), "LLC", "JSC").score == same


def test_equal_without_spaces_is_a_full_match() -> None:
    assert score_pair(MODEL, ("glo", "post"), ("glopost",)).score == 1.0
