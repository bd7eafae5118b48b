"""Misspelt legal forms (stages/legal_form/fuzzy.py) and the typo rule they use (text/typos.py)."""

from __future__ import annotations

import json
import pickle

import pandas as pd
import pytest
from conftest import golden_cases

from namecleaner.batch import clean
from namecleaner.stages.legal_form.fuzzy import MisspeltForms, load_misspelt_forms
from namecleaner.text.typos import TypoIndex, allowed_edits

CASES = golden_cases("legal_form_misspelt")


@pytest.mark.parametrize("case", CASES)
def test_golden_misspelt_forms(case: dict) -> None:
    frame = clean([case["original"]], stages=["legal_form"])
    found = frame["legal_form"][0]
    assert (None if pd.isna(found) else found) == case["legal_form"]
    assert frame["name_core"][0] == case["name_core"]
    if case.get("rule"):
        steps = json.loads(frame["steps"][0])
        first = next(s["step"] for s in steps if s["stage"] == "legal_form")
        assert first.endswith("_misspelt")
        assert any(s["rule"].startswith(case["rule"]) for s in steps)


def test_a_form_spelt_right_is_no_typo() -> None:
    steps = clean(["Siemens Aktiengesellschaft"], stages=["legal_form"])["steps"][0]
    assert "misspelt" not in steps


def test_short_forms_tolerate_no_edit() -> None:
    assert [allowed_edits(len(form)) for form in ("ag", "sa", "co", "gmbh", "ltd", "limited", "kabushikikaisha")] == [
        0,
        0,
        0,
        0,
        0,
        1,
        2,
    ]


def test_two_forms_at_one_distance_are_ambiguous() -> None:
    forms = MisspeltForms({"anstalten": "a", "anstaltem": "b"}, lambda word: False)
    assert forms.match(["anstaltex"]) is None
    assert forms.match(["anstalteen"]).alias_key == "anstalten"


def test_a_known_word_is_never_a_typo() -> None:
    forms = MisspeltForms({"corporation": "corp"}, lambda word: word == "coporation")
    assert forms.match(["coporation"]) is None
    assert TypoIndex({"limited": "ltd"}).nearest("limiter") is None  # an English word


def test_the_typo_indexes_pickle_with_their_cache_left_out() -> None:
    forms = load_misspelt_forms()
    forms.match(["coporation"])
    again = pickle.loads(pickle.dumps(forms))
    assert again.match(["coporation"]) == forms.match(["coporation"])
