"""Explanations: why two names are together or apart."""

from __future__ import annotations

from namecleaner.cluster.explain import explain


def test_together_through_a_merge() -> None:
    lines = explain("Motorola Inc", "Motorla Inc")
    assert lines[0] == "A: 'Motorola Inc' -> match key 'motorola'"
    assert lines[-2] == "together: joined by these merges"
    assert lines[-1].startswith("  'motorla' + 'motorola': edge ")


def test_apart_gives_the_score_and_the_reason() -> None:
    lines = explain("ABC Co. Ltd.", "ABC America Inc.")
    assert any(line.startswith("pair: score ") for line in lines)
    assert lines[-1].startswith("apart: ")


def test_glossary_hits_are_shown() -> None:
    assert "glossary: univ→university" in explain("Univ. of Nebraska", "University of Nebraska")[0]
