"""End-to-end clustering through namecleaner.cluster.cluster and the pandas accessor."""

from __future__ import annotations

import random

import pandas as pd
import pytest
from conftest import golden_cases

from namecleaner.batch import clean
from namecleaner.cluster import cluster, cluster_frame, thresholds

ABC = ["ABC Co. Ltd.", "ABC CO LTD", "A.B.C. Company Limited", "ＡＢＣ株式会社", "ABC Kabushiki Kaisha"]
OTHERS = [
    "ABC America Inc.",
    "Motorola Inc",
    "Motorla Inc",
    "Motorola Japan Ltd",
    "IBM",
    "IBN",
    "Fund 1 LP",
    "Fund 2 LP",
]


@pytest.fixture(scope="module")
def clustered() -> pd.DataFrame:
    return cluster(ABC + OTHERS).set_index("original")


def test_the_issue_example_is_one_cluster(clustered: pd.DataFrame) -> None:
    assert clustered.loc[ABC, "cluster_id"].nunique() == 1
    assert clustered.loc[ABC[0], "cluster_name"] == "ABC Co. Ltd."


def test_a_subsidiary_stays_apart(clustered: pd.DataFrame) -> None:
    assert clustered.loc["ABC America Inc.", "cluster_id"] != clustered.loc["ABC Co. Ltd.", "cluster_id"]


def test_typo_joins(clustered: pd.DataFrame) -> None:
    assert clustered.loc["Motorla Inc", "cluster_id"] == clustered.loc["Motorola Inc", "cluster_id"]


def test_a_trailing_place_word_keeps_a_regional_unit_apart(
    clustered: pd.DataFrame,
) -> None:
    assert clustered.loc["Motorola Japan Ltd", "cluster_id"] != clustered.loc["Motorola Inc", "cluster_id"]


def test_regional_units_together_joins_a_regional_unit() -> None:
    names = ["Motorola Inc", "Motorola Japan Ltd", "Acme Widgets Inc"]
    apart = cluster(names).set_index("original")["cluster_id"]
    together = cluster(names, regional_units="together").set_index("original")["cluster_id"]
    assert apart["Motorola Japan Ltd"] != apart["Motorola Inc"]
    assert together["Motorola Japan Ltd"] == together["Motorola Inc"]


@pytest.mark.parametrize(
    ("a", "b"),
    [("IBM", "IBN"), ("Fund 1 LP", "Fund 2 LP")],
    ids=["acronyms", "numbers"],
)
def test_guards_keep_apart(clustered: pd.DataFrame, a: str, b: str) -> None:
    assert clustered.loc[a, "cluster_id"] != clustered.loc[b, "cluster_id"]


PAIR_CASES = golden_cases("cluster_pairs")


@pytest.fixture(scope="module")
def pair_clusters() -> dict[tuple[str, str | None], str]:
    """Cluster ids of every name of ``cases/cluster_pairs.json``, clustered together in one run."""
    rows = {(case.values[0][side], case.values[0].get(f"{side}_country")) for case in PAIR_CASES for side in ("a", "b")}
    names, countries = zip(*sorted(rows, key=str))
    frame = clean(list(names), country=list(countries))
    labels = cluster_frame(frame).label(frame["match_key"].tolist())
    return dict(zip(zip(names, countries), labels["cluster_id"]))


@pytest.mark.parametrize("case", PAIR_CASES)
def test_golden_pairs_together_or_apart(pair_clusters: dict, case: dict) -> None:
    a = pair_clusters[case["a"], case.get("a_country")]
    b = pair_clusters[case["b"], case.get("b_country")]
    assert (a == b) is case["same"]


def test_same_input_in_any_order_gives_the_same_ids(clustered: pd.DataFrame) -> None:
    names = ABC + OTHERS
    shuffled = names[:]
    random.Random(7).shuffle(shuffled)
    again = cluster(shuffled).set_index("original")
    assert again.loc[names, "cluster_id"].tolist() == clustered.loc[names, "cluster_id"].tolist()


def test_untouched_clusters_keep_their_ids_when_names_are_added(clustered: pd.DataFrame) -> None:
    grown = cluster(ABC + OTHERS + ["Nokia Oyj", "Nokia Corporation", "Siemens AG"]).set_index("original")
    for name in ABC + OTHERS:
        assert grown.loc[name, "cluster_id"] == clustered.loc[name, "cluster_id"], name


def test_missing_names_stay_missing() -> None:
    frame = cluster(["Acme Inc", None, ""])
    assert frame["cluster_id"].isna().tolist() == [False, True, True]


def test_strictness_is_checked() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        thresholds(1.5)
    assert thresholds(0.0).merge < thresholds(1.0).merge


def test_accessor_keeps_the_index() -> None:
    frame = pd.Series(["Motorola Inc", "MOTOROLA INC."], index=["x", "y"]).names.cluster()
    assert list(frame.index) == ["x", "y"]
    assert frame["cluster_id"].nunique() == 1
