"""Shared helpers for the self-checks: the course data, read the way the notebooks read it."""

from __future__ import annotations

import numbers
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from check import CheckFailed

DATA = Path(__file__).resolve().parent.parent / "data"


@cache
def read_csv(name: str) -> pd.DataFrame:
    """A course data file with every value as text and empty cells as empty strings."""
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


def expect_count(task: int | str, answer: Any, truth: int, what: str) -> None:
    """Compare a counted answer, hinting at the direction of the error only."""
    if isinstance(answer, bool) or not isinstance(answer, numbers.Integral):
        raise CheckFailed(task, f"the answer should be a whole number (the count of {what}), but it is a {type(answer).__name__}.")
    if answer < truth:
        raise CheckFailed(task, f"{answer} is too few {what}; your count misses some.")
    if answer > truth:
        raise CheckFailed(task, f"{answer} is too many {what}; your count includes some it should not.")


def expect_ids(task: int | str, answer: Any, truth: set[str], what: str) -> set[str]:
    """Compare a collection of ids; the hint says how many are missing or extra, never which."""
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__iter__"):
        raise CheckFailed(task, f"the answer should be a list or set of record ids ({what}), but it is a {type(answer).__name__}.")
    given = {str(a) for a in answer}
    missing, extra = truth - given, given - truth
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"{len(missing)} of the {what} {'is' if len(missing) == 1 else 'are'} missing")
        if extra:
            parts.append(f"{len(extra)} of your entries {'is' if len(extra) == 1 else 'are'} not {what}")
        raise CheckFailed(task, "; ".join(parts) + ".")
    return given
