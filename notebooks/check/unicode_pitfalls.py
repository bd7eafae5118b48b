"""Self-checks for ``01_unicode_pitfalls``."""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Any

import pandas as pd

from check import CheckFailed, expect_pair, expect_type, passed, require
from check._data import expect_count, expect_ids, read_csv
from namecleaner.record import parse_steps
from namecleaner.text.scripts import script_counts

DATA_FILE = "unicode_pitfalls.csv"
BROKEN = "TelefÃ³nica, S.A."


def _names() -> pd.Series:
    return read_csv(DATA_FILE).set_index("record_id")["applicant"]


def _is_wide(char: str) -> bool:
    return "\uff00" <= char <= "\uffef"


def _is_invisible(char: str) -> bool:
    return unicodedata.category(char) in ("Cf", "Cc") and not char.isspace()


def task_1(answer: Any) -> None:
    """Rows holding a full-width or half-width form."""
    require(1, answer, "answer_1")
    names = _names()
    truth = sum(any(map(_is_wide, name)) for name in names)
    characters = sum(sum(map(_is_wide, name)) for name in names)
    if answer == characters and characters != truth:
        raise CheckFailed(1, "that is the number of wide characters; the task asks for the number of rows that hold at least one.")
    expect_count(1, answer, truth, "rows with wide forms")
    passed(1, f"{truth} of {len(names)} rows hold full-width or half-width forms; they typically come from East Asian input methods.")


def _mixes_scripts(name: str) -> bool:
    return any({"Latn", "Cyrl"} <= set(script_counts(word)) for word in name.split())


def task_2(answer: Any) -> None:
    """Rows where one word mixes Latin and Cyrillic letters."""
    require(2, answer, "answer_2")
    names = _names()
    truth = {rid for rid, name in names.items() if _mixes_scripts(name)}
    given = {str(a) for a in answer} if not isinstance(answer, (str, bytes)) and hasattr(answer, "__iter__") else None
    whole_names = {rid for rid, name in names.items() if {"Latn", "Cyrl"} <= set(script_counts(name))}
    if given is not None and given - truth and given <= whole_names:
        raise CheckFailed(2, "some of your rows mix the two scripts only across words (a Latin brand in a Cyrillic name is fine); test each word on its own.")
    expect_ids(2, answer, truth, "rows with a mixed-script word")
    passed(2, f"all {len(truth)} rows with a word that mixes Latin and Cyrillic letters; to the eye they look right, to a computer they never match.")


def task_3(answer: Any) -> None:
    """The mojibake repaired by hand."""
    require(3, answer, "answer_3")
    expect_type(3, answer, str, "a string")
    truth = BROKEN.encode("cp1252").decode("utf-8")
    if answer == BROKEN:
        raise CheckFailed(3, "that is still the broken text. Turn it back into the bytes it was made from, with the codec that misread them, then decode those bytes as UTF-8.")
    if answer.strip() != answer:
        raise CheckFailed(3, "the text has spaces at its ends; only the broken letters should change.")
    if answer != truth:
        raise CheckFailed(3, f"not quite: {answer!r} still differs from the intended name. Which codec decoded the UTF-8 bytes wrongly?")
    passed(3, "UTF-8 bytes read as cp1252, reversed: the same repair ftfy makes, but ftfy also decides when it is safe.")


def task_4(answer: Any) -> None:
    """Rows holding an invisible character."""
    require(4, answer, "answer_4")
    names = _names()
    truth = sum(any(map(_is_invisible, name)) for name in names)
    with_space_controls = sum(any(unicodedata.category(c) in ("Cf", "Cc") for c in name) for name in names)
    if answer == with_space_controls and with_space_controls != truth:
        raise CheckFailed(4, "your count includes rows whose only control character is a tab; a tab is white space, not an invisible character.")
    expect_count(4, answer, truth, "rows with invisible characters")
    passed(4, f"{truth} rows hide a format or control character (zero-width space, soft hyphen, BOM, direction marks, word joiner).")


def task_5(answer: Any) -> None:
    """Rows changed per cleaning step."""
    require(5, answer, "answer_5")
    expect_type(5, answer, (pd.Series, dict), "a pandas Series (step name → number of rows)")
    cleaned = _names().names.normalize()
    truth = Counter(step.step for steps in cleaned["steps"] for step in parse_steps(steps))
    given = {str(k): v for k, v in dict(answer).items()}
    missing = sorted(set(truth) - set(given))
    if missing:
        raise CheckFailed(5, f"{len(missing)} step(s) that changed rows are not in your answer; read every row's `steps`.")
    extra = sorted(set(given) - set(truth))
    if extra:
        raise CheckFailed(5, f"{', '.join(extra)} did not change any row of this file; count only the steps that were recorded.")
    wrong = [step for step in truth if given[step] != truth[step]]
    if wrong:
        raise CheckFailed(5, f"the counts for {', '.join(wrong)} are not right; count each row once per step.")
    if isinstance(answer, pd.Series) and list(answer.values) != sorted(answer.values, reverse=True):
        raise CheckFailed(5, "the counts are right; now sort the Series from the most frequent step to the least.")
    top, count = truth.most_common(1)[0]
    passed(5, f"{len(truth)} kinds of fix fired; the most frequent, {top}, changed {count} rows.")


def task_6(answer: Any) -> None:
    """Distinct names before and after cleaning."""
    require(6, answer, "answer_6")
    expect_pair(6, answer, "distinct originals, distinct matching forms")
    names = _names()
    before = names.nunique()
    after = names.names.normalize()["name_match"].nunique()
    expect_count(6, answer[0], before, "distinct original names")
    if answer[1] == names.names.normalize()["name_clean"].nunique() and answer[1] != after:
        raise CheckFailed(6, "the second number counts display forms; count the matching forms (`name_match`).")
    expect_count(6, answer[1], after, "distinct matching forms")
    passed(6, f"{before} distinct spellings became {after} matching forms: {before - after} variants that only Unicode noise kept apart.")
