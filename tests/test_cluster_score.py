"""Pair scores: named features, the fitted model's probability, vetoes and linear-time syllable checks."""

from __future__ import annotations

import time

import numpy as np
import pytest

from namecleaner.cluster import score
from namecleaner.cluster.features import build_units
from namecleaner.cluster.model import MatchModel
from namecleaner.cluster.score import (
    FEATURE_NAMES,
    ScoreModel,
    compare,
    feature_matrix,
    japanese_syllables,
    korean_syllables,
    pair_features,
    score_edges,
    score_pair,
    shipped_model,
)

MODEL = ScoreModel({"motorola": 2, "international": 60, "technology": 70, "abc": 3, "america": 5, "fund": 10}, 100)


def test_common_words_weigh_less_than_rare_ones() -> None:
    common_extra = score_pair(MODEL, ("motorola",), ("motorola", "international")).score
    rare_extra = score_pair(MODEL, ("motorola",), ("motorola", "zyxel")).score
    assert common_extra > rare_extra


def test_a_trailing_place_word_is_a_feature_when_regional_units_join() -> None:
    together = ScoreModel(MODEL.document_frequency, MODEL.units, regional_units="together")
    assert score_pair(together, ("acme",), ("acme", "america")).feature("place") == 1.0
    assert score_pair(together, ("america", "acme"), ("acme",)).feature("place") == 0.0


@pytest.mark.parametrize(
    ("left", "right", "reason"),
    [
        (("acme",), ("acme", "america"), "regional unit"),
        (("acme", "europe"), ("acme", "asia"), "regional unit"),
        (("america", "acme"), ("acme",), ""),  # a place word opening the name names the body, not a unit
        (("acme", "america"), ("acme", "amerika"), ""),  # a typo of the place word covers it
        (("samty", "holding"), ("samty",), "group member"),
        (("mitsubishi", "chemical"), ("mitsubishi", "chemical", "group"), "group member"),
        (("samty", "chemical", "holding"), ("samty",), ""),  # another word more: the model weighs it
        (("visionary", "holding"), ("visionaryholdings",), ""),  # the group word joined into the other's
    ],
    ids=["trailing", "two-units", "leading", "typo", "holding", "group", "another-word", "joined"],
)
def test_a_regional_unit_or_group_member_is_vetoed_when_regional_units_stay_apart(left, right, reason) -> None:
    apart = score_pair(MODEL, left, right)
    together = score_pair(ScoreModel(MODEL.document_frequency, MODEL.units, regional_units="together"), left, right)
    assert apart.veto.split(" (")[0] == reason and (apart.score == 0.0) is bool(reason)
    assert not together.veto and together.values


@pytest.mark.parametrize(
    ("contained", "longer", "flagged"),
    [
        (("american", "technology"), ("american", "ozone", "technology"), True),
        (("general", "product"), ("general", "home", "product"), True),
        (("general", "machine", "product"), ("american", "machine", "product"), True),
        (("motorola",), ("motorola", "technology"), False),
        (("university", "health", "network"), ("university", "health", "network", "uhn"), False),
        (
            ("america", "environmental", "protection", "agency"),
            ("america", "environmental", "protection", "agency", "office"),
            False,
        ),
    ],
    ids=[
        "generic-name-extra-rare-word",
        "generic-name-extra-generic-word",
        "generic-names-differ",
        "own-word",
        "acronym",
        "long-description",
    ],
)
def test_a_generic_name_and_another_with_a_word_it_lacks_are_different_bodies(contained, longer, flagged) -> None:
    result = score_pair(MODEL, contained, longer)
    assert (result.feature("generic_extra") == 1.0) is flagged
    if flagged:
        assert result.score < shipped_model().threshold


def test_an_acronym_covers_the_words_it_abbreviates() -> None:
    long = ("america", "national", "aeronautic", "space", "administration")
    assert score_pair(MODEL, ("america", "nasa"), long).feature("cover_high") > 0.95
    assert score_pair(MODEL, ("america", "nasa"), long).feature("acronym") > 0
    assert score_pair(MODEL, ("america", "nasb"), long).feature("cover_high") < 0.7


def test_a_compass_word_in_one_name_only_lowers_the_probability() -> None:
    west = score_pair(MODEL, ("university", "florida"), ("university", "west", "florida"))
    assert west.feature("compass") == 1.0
    assert dict(shipped_model().contributions(west.values))["compass"] < 0
    assert score_pair(MODEL, ("philip", "america"), ("philip", "north", "america")).feature("compass") == 0.0


def test_a_governing_body_names_the_institution_it_holds() -> None:
    model = ScoreModel({"board": 8, "regent": 6, "university": 40, "nebraska": 3, "lincoln": 3}, 100)
    held = score_pair(model, ("board", "regent", "university", "nebraska"), ("university", "nebraska"))
    other = score_pair(model, ("lincoln", "university", "nebraska"), ("university", "nebraska"))
    assert held.score > other.score
    assert held.feature("cover_low") > other.feature("cover_low")


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
    result = score_pair(MODEL, left, right)
    assert (result.feature("skeleton") > 0) is joined
    assert (result.score >= shipped_model().threshold) is joined


def test_typos_in_long_words_still_match() -> None:
    result = score_pair(MODEL, ("motorola", "technology"), ("motorla", "technology"))
    assert result.feature("typo") > 0 and result.score > 0.9


@pytest.mark.parametrize(
    ("left", "right", "reason"),
    [
        (("ibm",), ("ibn",), "short name"),
        (("fund", "1"), ("fund", "2"), "numbers differ"),
    ],
    ids=["acronym", "numbers"],
)
def test_hard_evidence_vetoes_the_pair(left, right, reason) -> None:
    result = score_pair(MODEL, left, right)
    assert result.score == 0.0 and reason in result.veto and not result.values


def test_legal_form_class_conflict_is_negative_evidence() -> None:
    same = score_pair(MODEL, ("motorola",), ("motorola", "technology"), "LLC", "LLC").score
    differ = score_pair(MODEL, ("motorola",), ("motorola", "technology"), "LLC", "LP")
    assert differ.score < same and differ.feature("legal_form_conflict") == 1.0
    assert score_pair(MODEL, ("motorola",), ("motorola", "technology"), "LLC", "JSC").score == same


def test_the_scripts_of_the_originals_are_a_feature() -> None:
    crossed = score_pair(
        MODEL,
        ("toyota", "motor"),
        ("toyota", "moto"),
        left_script="Hani",
        right_script="Latn",
    )
    assert crossed.feature("crossed_script") == 1.0
    assert (
        score_pair(
            MODEL,
            ("toyota", "motor"),
            ("toyota", "moto"),
            left_script="Latn",
            right_script="Latn",
        ).feature("crossed_script")
        == 0.0
    )


@pytest.mark.parametrize(
    ("hangul", "latin", "long", "short"),
    [
        # 피엔에스커튼월, PNS Curtainwall: seven consonants
        pytest.param(("pien", "s", "keoteunwol"), ("pns", "curtainwall"), 1.0, 0.0, id="curtainwall"),
        # 부방, Ubang: two companies, three consonants alike by chance
        pytest.param(("bubang",), ("ubang",), 0.0, 1.0, id="bubang"),
    ],
)
def test_a_sound_match_across_scripts_weighs_by_its_consonants(
    hangul: tuple[str, ...], latin: tuple[str, ...], long: float, short: float
) -> None:
    pair = score_pair(MODEL, hangul, latin, left_script="Hang", right_script="Latn")
    assert pair.feature("crossed_sound") >= 0.9
    assert (pair.feature("crossed_sound_long"), pair.feature("crossed_sound_short")) == (long, short)
    assert (
        score_pair(MODEL, hangul, latin, left_script="Latn", right_script="Latn").feature("crossed_sound_long") == 0.0
    )


def test_features_of_a_chunk_are_those_of_each_pair() -> None:
    pairs = [
        compare(MODEL, ("acme", "america"), ("acme",), (None, None), ("person", None), ("Latn", "Jpan")),
        compare(MODEL, ("motorola", "international"), ("motorla",)),
        compare(MODEL, ("abc", "fund"), ("abc", "fund", "technology")),
    ]
    rows = feature_matrix(pairs)
    assert rows.shape == (3, len(FEATURE_NAMES))
    assert rows.tolist() == [list(pair_features(pair)) for pair in pairs]
    assert rows[0, FEATURE_NAMES.index("crossed_script")] == 1.0 and rows[1, FEATURE_NAMES.index("typo")] > 0
    assert feature_matrix([]).shape == (0, len(FEATURE_NAMES))
    # the rows of values as one array (how a chunk of pairs keeps them) give the same features
    values = np.array([score.PairColumns.values(pair) for pair in pairs])
    assert feature_matrix(values).tolist() == rows.tolist()


def test_shortened_words_are_found_either_way() -> None:
    others = frozenset({"techno", "nebraska", "co"})
    assert score._shortened_in("technology", others) and score._shortened_in("ne", others)
    assert not score._shortened_in("tec", frozenset({"tech"})) and not score._shortened_in("cow", others)


def test_edge_scores_do_not_depend_on_how_the_pairs_are_split() -> None:
    keys = ["acme tool", "acme tools", "acme tooling", "motorola", "motorla", "motorola japan", "abc fund"]
    units = build_units(keys, keys)
    model = ScoreModel.from_units(units)
    pairs = np.array([(a, b) for a in range(len(keys)) for b in range(a + 1, len(keys))])
    whole = score_edges(model, units, pairs, 0.0)
    assert score_edges(model, units, pairs[:5], 0.0) + score_edges(model, units, pairs[5:], 0.0) == whole
    # one pair alone (a Python sum of the contributions) gives the same probability, to rounding
    assert [s for _, _, s in whole] == pytest.approx([score.score_units(model, units, a, b).score for a, b, _ in whole])


def test_equal_without_spaces_is_a_full_match() -> None:
    assert score_pair(MODEL, ("glo", "post"), ("glopost",)).score == 1.0


def test_the_probability_is_the_sum_of_the_contributions() -> None:
    result = score_pair(MODEL, ("motorola", "technology"), ("motorla", "tech"))
    match = shipped_model()
    log_odds = match.intercept + sum(c for _, c in match.contributions(result.values))
    assert result.score == pytest.approx(1 / (1 + 2.718281828459045**-log_odds))
    assert result.waterfall(match)[-1].endswith(f"probability {result.score:.3f}")


def test_a_model_of_ones_own_changes_the_probability() -> None:
    own = MatchModel(FEATURE_NAMES, tuple(0.0 for _ in FEATURE_NAMES), 2.0, 0.5)
    words = ScoreModel(MODEL.document_frequency, MODEL.units, own)
    assert score_pair(words, ("acme",), ("zeta", "corp")).score == pytest.approx(0.8808, abs=1e-4)


@pytest.mark.parametrize(
    ("check", "worst"),
    [
        (japanese_syllables, "na"),
        (japanese_syllables, "kya"),
        (korean_syllables, "nang"),
        (korean_syllables, "gwaen"),
    ],
    ids=["romaji-n", "romaji-glide", "rr-coda", "rr-glide"],
)
def test_syllable_checks_take_linear_time_on_near_misses(check, worst) -> None:
    # a regex with nested quantifiers backtracks exponentially on these: 0.03 s at 33 letters
    started = time.perf_counter()
    assert check(worst * (10_000 // len(worst)) + "x") is False
    assert check(worst * (10_000 // len(worst))) is True
    assert time.perf_counter() - started < 5.0


@pytest.mark.parametrize(
    ("left", "right", "apart"),
    [
        (("america", "represented", "secretary", "navy"), ("america", "represented", "secretary", "army"), True),
        (
            ("board", "regent", "acting", "behalf", "university", "utah"),
            ("board", "regent", "acting", "behalf", "utah", "state", "university"),
            True,
        ),
        (
            ("board", "regent", "acting", "behalf", "university", "utah"),
            ("board", "regent", "acting", "behalf", "university", "utah", "research", "foundation"),
            False,
        ),
        (
            ("america", "represented", "administration", "national", "aeronautic", "space", "administration"),
            ("america", "represented", "administator", "national", "aeronautic", "space", "administration"),
            False,
        ),
        (
            ("america", "represented", "secretary", "agriculture"),
            ("america", "represented", "secretary", "agriculture", "america"),
            False,
        ),
    ],
    ids=["navy-army", "utah-utah-state", "utah-foundation", "typo", "place-word"],
)
def test_two_acting_bodies_of_one_government_are_compared_part_by_part(left, right, apart) -> None:
    model = ScoreModel(
        {
            "america": 40,
            "represented": 40,
            "secretary": 30,
            "navy": 5,
            "army": 5,
            "university": 30,
            "utah": 4,
            "state": 20,
        },
        100,
    )
    result = score_pair(model, left, right)
    assert result.veto.startswith("acting bodies differ") is apart
