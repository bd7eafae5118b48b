"""Self-checks for ``03_legal_forms``."""

from __future__ import annotations

from functools import cache
from typing import Any

import pandas as pd

from check import CheckFailed, passed, require
from check._data import expect_count, expect_ids, read_csv
from namecleaner.record import parse_steps

DATA_FILE = "legal_forms.csv"


@cache
def _names() -> pd.DataFrame:
    return read_csv(DATA_FILE).set_index("record_id")


@cache
def _forms(with_country: bool = True) -> pd.DataFrame:
    names = _names()
    return names["name"].names.legal_form(country=names["country"] if with_country else None)


def task_1(answer: Any) -> None:
    """Rows with a legal form."""
    require(1, answer, "answer_1")
    forms = _forms()
    truth = int(forms["legal_form"].notna().sum())
    expect_count(1, answer, truth, "rows with a legal form")
    passed(1, f"{truth} of {len(forms)} names carry a legal form; the other {len(forms) - truth} are universities, institutes, people, or forms the tables do not know.")


def task_2(answer: Any) -> None:
    """Rows whose legal form opens the name."""
    require(2, answer, "answer_2")
    forms = _forms()
    truth = set(forms.index[forms["legal_form_span"].fillna("").str.startswith("prefix")])
    expect_ids(2, answer, truth, "rows whose form stands at the start")
    written = forms.loc[sorted(truth), "legal_form_span"].str.split("] ", n=1).str[1]
    latin = int(written.str.contains(r"[A-Za-z]").sum())
    passed(2, f"{len(truth)} names open with their form ({len(truth) - latin} of these forms are not written in Latin letters): the usual order in Russian, Ukrainian, Japanese and Korean.")


def task_3(answer: Any) -> None:
    """Core names shared by several spellings."""
    require(3, answer, "answer_3")
    forms = _forms()
    per_core = forms.groupby("name_core")["name_clean"].nunique()
    truth = int((per_core > 1).sum())
    rows_per_core = forms["name_core"].value_counts()
    if answer == int((rows_per_core > 1).sum()) and answer != truth:
        raise CheckFailed(3, "count the cores shared by rows that are spelled differently (distinct `name_clean`), not rows that are exact repeats.")
    expect_count(3, answer, truth, "shared core names")
    passed(3, f"{truth} core names are shared by differently written names (AG and Aktiengesellschaft, ООО and its long form …): once the form is split off, they match.")


def task_4(answer: Any) -> None:
    """Rows that get an ELF code only with their country."""
    require(4, answer, "answer_4")
    with_country, without = _forms(True)["elf_code"], _forms(False)["elf_code"]
    truth = int((with_country.notna() & without.isna()).sum())
    changed = int((with_country.fillna("") != without.fillna("")).sum())
    if answer == changed and changed != truth:
        raise CheckFailed(4, "your count includes rows whose code changes from one code to another; count only rows that have no code without the country.")
    expect_count(4, answer, truth, "rows that need their country for an ELF code")
    passed(4, f"{truth} rows get their ISO 20275 code only when the country is known: the code belongs to one jurisdiction.")


def _legal_steps(record_id: str) -> list[str]:
    return [s.step for s in parse_steps(_forms().loc[record_id, "steps"]) if s.stage == "legal_form"]


def task_5(answer: Any) -> None:
    """The legal-form steps of L050."""
    require(5, answer, "answer_5")
    if isinstance(answer, str) or not hasattr(answer, "__iter__"):
        raise CheckFailed(5, "the answer should be a list of step names, in the order they were recorded.")
    truth = _legal_steps("L050")
    given = [str(a) for a in answer]
    if set(given) == set(truth) and given != truth:
        raise CheckFailed(5, "the right steps, but keep them in the order they were recorded.")
    if given != truth:
        raise CheckFailed(5, f"that is not the list of steps the legal-form stage recorded for L050 (it recorded {len(truth)}); keep only steps whose `stage` is 'legal_form'.")
    passed(5, "the form was split off the start of the name, then the quotes «» around what was left were removed: each step says which rule fired and which table version.")


def task_6(answer: Any) -> None:
    """Rows with a legal form but no ELF code."""
    require(6, answer, "answer_6")
    forms = _forms()
    truth = int((forms["legal_form"].notna() & forms["elf_code"].isna()).sum())
    expect_count(6, answer, truth, "rows with a form but no ELF code")
    passed(6, f"{truth} forms have no ELF code here: US corporations are registered per state, some forms (Ltd, Co., Ltd.) exist in many jurisdictions, and some are not yet mapped to a code by the legal-form table.")
