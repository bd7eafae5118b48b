"""Explanations: why two names are together or apart, the waterfall of a pair, one cluster."""

from __future__ import annotations

import pandas as pd
import pytest

from namecleaner.cluster.explain import explain, explain_cluster


def test_together_through_a_merge() -> None:
    lines = explain("Motorola Inc", "Motorla Inc")
    assert lines[0] == "A: 'Motorola Inc' -> match key 'motorola'"
    assert lines[-2] == "together: joined by these merges"
    assert lines[-1].startswith("  'motorla' + 'motorola': edge ")


def test_the_pair_is_shown_as_a_waterfall_of_log_odds() -> None:
    lines = explain("Motorola Technology Inc", "Motorla Tech Inc")
    start = next(i for i, line in enumerate(lines) if line.startswith("pair: probability "))
    assert lines[start + 1].startswith("  (intercept) ")
    assert any(line.startswith("  typo ") for line in lines[start:])
    total = next(line for line in lines[start:] if line.startswith("  log-odds"))
    assert total.endswith(lines[start].removeprefix("pair: "))


def test_a_veto_is_named() -> None:
    lines = explain(
        "The United States of America as represented by the Secretary of the Navy",
        "The United States of America as represented by the Secretary of the Army",
    )
    assert "veto, acting bodies differ ('secretary navy', 'secretary army')" in next(
        line for line in lines if line.startswith("pair: ")
    )
    assert lines[-1].startswith("apart: ")


def test_a_regional_unit_is_vetoed_or_weighed_by_the_convention() -> None:
    def pair(**options: str) -> str:
        return next(
            line for line in explain("Motorola Japan Ltd", "Motorola Inc", **options) if line.startswith("pair: ")
        )

    assert "veto, regional unit ('japan' in one name only" in pair()
    assert "veto" not in pair(regional_units="together")


def test_glossary_hits_are_shown() -> None:
    assert "glossary: univ→university" in explain("Univ. of Nebraska", "University of Nebraska")[0]


def test_a_cluster_shows_its_weakest_link_and_the_merges() -> None:
    frame = pd.DataFrame(
        {
            "match_key": ["motorola", "motorla", "motorola solution", "acme"],
            "cluster_id": ["C1", "C1", "C1", "C2"],
        }
    )
    lines = explain_cluster(frame, "C1")
    assert lines[0].startswith("cluster C1: 3 match keys")
    assert lines[1].startswith("weakest link: ") and "'motorola solution': probability " in lines[1]
    assert lines[2] == "joined by these merges (best first):"
    assert lines[3].startswith("  'motorla' + 'motorola': probability ")


def test_an_unknown_cluster_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no cluster 'C9'"):
        explain_cluster(pd.DataFrame({"match_key": ["acme"], "cluster_id": ["C1"]}), "C9")
