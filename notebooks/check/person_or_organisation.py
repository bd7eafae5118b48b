"""Self-checks for ``04_person_or_organisation``."""

from __future__ import annotations

import numbers
from functools import cache
from typing import Any

import pandas as pd

from namecleaner.config import Config

from check import CheckFailed, expect_pair, expect_type, passed, require
from check._data import expect_count, expect_ids, read_csv

DATA_FILE = "patent_assignees.csv"
REVIEW_BELOW = 0.6


@cache
def _names() -> pd.DataFrame:
    return read_csv(DATA_FILE).set_index("record_id")


@cache
def _typed() -> pd.DataFrame:
    return _names()["name"].names.name_type()


@cache
def _persons(person_order: str) -> pd.DataFrame:
    return _names()["name"].names.person(Config().replace(name_type={"person_order": person_order}))


def _gold_person() -> pd.Series:
    return _names()["category"] == "individual"


def task_1(answer: Any) -> None:
    """Share of rows where namecleaner agrees with the curated labels."""
    require(1, answer, "answer_1")
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        raise CheckFailed(1, f"the answer should be a number between 0 and 1, but it is a {type(answer).__name__}.")
    agree = (_typed()["name_type"] == "person") == _gold_person()
    truth = float(agree.mean())
    if abs(answer - 100 * truth) < 1e-6:
        raise CheckFailed(1, "that is a percentage; give the share as a number between 0 and 1.")
    if abs(answer - truth) > 1e-9:
        raise CheckFailed(1, f"{answer:.4f} is too {'high' if answer > truth else 'low'}. A row agrees when namecleaner says person exactly where the label says individual.")
    passed(1, f"namecleaner agrees with the curated labels on {truth:.1%} of the rows; {int((~agree).sum())} rows disagree.")


def task_2(answer: Any) -> None:
    """Rows labelled individual that carry a legal form."""
    require(2, answer, "answer_2")
    forms = _names()["name"].names.legal_form()
    truth = set(forms.index[_gold_person() & forms["legal_form"].notna()])
    expect_ids(2, answer, truth, "individuals with a legal form")
    passed(2, f"{len(truth)} rows labelled as individuals carry a legal form. Read them: most are companies (KK, AG, SA …) that the label got wrong; a few are people whose name only looks as if it held a form.")


def task_3(answer: Any) -> None:
    """The most frequent sector after company."""
    require(3, answer, "answer_3")
    expect_type(3, answer, str, "a sector name, as a string")
    sectors = _typed().loc[lambda t: t["name_type"] == "organisation", "sector"].value_counts()
    others = sectors.drop("company", errors="ignore")
    if answer == "company":
        raise CheckFailed(3, "company is excluded by the task; which sector comes next?")
    if answer not in sectors.index:
        raise CheckFailed(3, f"'{answer}' is not a sector namecleaner gave to these organisations; the sectors are in the `sector` column.")
    if answer != others.index[0]:
        raise CheckFailed(3, f"'{answer}' is a sector of these names, but not the most frequent one after company.")
    passed(3, f"{answer}: {others.iloc[0]} organisations, recognised from keywords such as University, Universität, 大学.")


def task_4(answer: Any) -> None:
    """Persons whose family name changes with the family-first order."""
    require(4, answer, "answer_4")
    auto, family_first = _persons("auto"), _persons("family-first")
    persons = _typed()["name_type"] == "person"
    truth = int((persons & (auto["family_name"].fillna("") != family_first["family_name"].fillna(""))).sum())
    expect_count(4, answer, truth, "persons whose family name changes")
    passed(4, f"{truth} persons get another family name: patent feeds write inventors FAMILY GIVEN, and telling namecleaner so removes the guesswork.")


def task_5(answer: Any) -> None:
    """Rows to review and disagreements caught under the confidence threshold."""
    require(5, answer, "answer_5")
    expect_pair(5, answer, "rows to review, disagreements among them")
    typed = _typed()
    low = typed["name_type_confidence"].astype(float) < REVIEW_BELOW
    disagree = (typed["name_type"] == "person") != _gold_person()
    expect_count(5, answer[0], int(low.sum()), "rows to review")
    expect_count(5, answer[1], int((low & disagree).sum()), "disagreements among the rows to review")
    passed(5, f"reviewing {int(low.sum())} rows ({low.mean():.1%} of the file) catches {int((low & disagree).sum())} of the {int(disagree.sum())} disagreements: confidence tells you where to look first.")
