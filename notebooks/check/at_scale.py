"""Self-checks for ``06_at_scale``. They read the files the notebook writes to ``work/``."""

from __future__ import annotations

import csv
import numbers
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from check import CheckFailed, expect_type, passed, require
from check._data import expect_count, expect_ids

WORK = Path(__file__).resolve().parent.parent / "work"
LARGE = WORK / "applicants_large.csv"
LATE = WORK / "late_delivery.csv"


def _need(task: int, path: Path) -> None:
    if not path.exists():
        raise CheckFailed(task, f"{path.name} is not in work/ yet: run the cell that writes it first.")


@cache
def _large() -> pd.DataFrame:
    return pd.read_csv(LARGE, dtype=str, keep_default_na=False)


@cache
def _match_counts() -> pd.Series:
    """Rows per matching form over the large file, cleaning each distinct name once."""
    applicants = _large()["applicant"]
    distinct = pd.Series(applicants.unique())
    match = dict(zip(distinct, distinct.names.normalize()["name_match"]))
    return applicants.map(match).value_counts()


def task_1(answer: Any) -> None:
    """Share of distinct names among the rows."""
    require(1, answer, "answer_1")
    _need(1, LARGE)
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        raise CheckFailed(1, f"the answer should be a number between 0 and 1, but it is a {type(answer).__name__}.")
    applicants = _large()["applicant"]
    truth = applicants.nunique() / len(applicants)
    if answer == applicants.nunique():
        raise CheckFailed(1, "that is the number of distinct names; divide it by the number of rows.")
    if abs(answer - 100 * truth) < 1e-6:
        raise CheckFailed(1, "that is a percentage; give the share as a number between 0 and 1.")
    if abs(answer - truth) > 1e-9:
        raise CheckFailed(1, f"{answer:.4f} is too {'high' if answer > truth else 'low'}; count distinct values of the `applicant` column over all rows.")
    passed(1, f"only {truth:.1%} of the rows are distinct names, so cleaning each distinct name once saves about {1 - truth:.0%} of the work.")


def _problem_lines() -> set[str]:
    with open(LATE, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        width = len(next(reader))
        return {str(reader.line_num) for row in reader if len(row) != width}


def task_2(answer: Any) -> None:
    """Line numbers of the broken rows of the late delivery."""
    require(2, answer, "answer_2")
    _need(2, LATE)
    truth = _problem_lines()
    given = {str(a) for a in answer} if not isinstance(answer, (str, bytes)) and hasattr(answer, "__iter__") else set()
    if given and {str(int(g) + 1) for g in given if g.isdigit()} == truth:
        raise CheckFailed(2, "each of your numbers is one too low: the errors file counts lines of the file, and the header is line 1.")
    expect_ids(2, answer, truth, "broken lines")
    passed(2, f"the {len(truth)} broken lines; every row was still kept, and the errors file tells the data supplier exactly where to look.")


def task_3(answer: Any) -> None:
    """The five most frequent matching forms, computed with Dask."""
    require(3, answer, "answer_3")
    _need(3, LARGE)
    expect_type(3, answer, (list, tuple, pd.Index, pd.Series), "a list of five matching forms")
    given = list(answer.index if isinstance(answer, pd.Series) and not answer.index.equals(pd.RangeIndex(len(answer))) else answer)
    if len(given) != 5:
        raise CheckFailed(3, f"the list has {len(given)} entries; the task asks for the five most frequent.")
    counts = _match_counts()
    unknown = [g for g in given if g not in counts.index]
    if unknown:
        raise CheckFailed(3, f"{len(unknown)} of your entries are not matching forms of this file; use the `name_match` column of the cleaned frame.")
    if [counts[g] for g in given] != list(counts.iloc[:5]):
        raise CheckFailed(3, "these are not the five most frequent matching forms, from the most rows to the fewest; count rows per `name_match` over the whole file.")
    passed(3, f"the top five matching forms cover {counts.iloc[:5].sum():,} of {counts.sum():,} rows: a few applicants file a large share of the records.")


def task_4(answer: Any) -> None:
    """Distinct matching forms over the large file."""
    require(4, answer, "answer_4")
    _need(4, LARGE)
    counts = _match_counts()
    if answer == _large()["applicant"].nunique() and answer != len(counts):
        raise CheckFailed(4, "that is the number of distinct original spellings; count distinct values of `name_match`.")
    expect_count(4, answer, len(counts), "distinct matching forms")
    passed(4, f"{_large()['applicant'].nunique():,} spellings, {len(counts):,} matching forms, the same whichever engine computed them.")
