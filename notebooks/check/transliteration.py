"""Self-checks for ``02_transliteration_tables``."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from check import CheckFailed, expect_type, passed, require
from check._data import expect_count, expect_ids, read_csv
from namecleaner.config import Config
from namecleaner.errors import DataFileError
from namecleaner.record import parse_steps
from namecleaner.translit.engine import example_failures
from namecleaner.translit.table import load_table

DATA_FILE = "cyrillic_names.csv"
ICAO = "icao-rus-Cyrl-Latn-9303"
BGN = "bgnpcgn-rus-Cyrl-Latn-1947"
RUSSIAN_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
OWN_ID = "xx-rus-Cyrl-Latn-2024"
OWN_TABLE = Path(__file__).resolve().parent.parent / "work" / "tables" / f"{OWN_ID}.csv"


@cache
def _names() -> pd.DataFrame:
    return read_csv(DATA_FILE).set_index("record_id")


def _latin(names: pd.Series, table: str) -> pd.Series:
    return names.names.transliterate(table=table)["name_latin"]


def task_1(answer: Any) -> None:
    """Rows read in another language than the data says."""
    require(1, answer, "answer_1")
    names = _names()
    detected = names["name"].names.transliterate()["language"]
    truth = set(names.index[detected != names["language"]])
    expect_ids(1, answer, truth, "rows read in another language")
    by_language = names.loc[sorted(truth), "language"].value_counts()
    passed(1, f"{len(truth)} rows ({', '.join(f'{n} {lang}' for lang, n in by_language.items())}) have no letter that only their language uses, so the default reading (Russian) wins.")


def task_2(answer: Any) -> None:
    """Bulgarian rows whose Latin form changes when read as Bulgarian."""
    require(2, answer, "answer_2")
    bulgarian = _names().loc[lambda d: d["language"] == "bg", "name"]
    default = bulgarian.names.transliterate()["name_latin"]
    as_bg = bulgarian.names.clean(Config().replace(transliterate={"prefer": {"Cyrl": "bg"}}))["name_latin"]
    truth = int((default != as_bg).sum())
    expect_count(2, answer, truth, "Bulgarian rows that change")
    passed(2, f"{truth} of {len(bulgarian)} Bulgarian names get another Latin form under the Bulgarian table (for example х is h and щ is sht in Bulgarian, kh and shch in Russian).")


def task_3(answer: Any) -> None:
    """Russian rows on which ICAO and BGN/PCGN disagree."""
    require(3, answer, "answer_3")
    russian = _names().loc[lambda d: d["language"] == "ru", "name"]
    truth = int((_latin(russian, ICAO) != _latin(russian, BGN)).sum())
    expect_count(3, answer, truth, "Russian names spelled differently")
    passed(3, f"{truth} of {len(russian)} Russian names are spelled differently by the two systems: a search in one spelling misses the other.")


def task_4(answer: Any) -> None:
    """Letters romanised differently by ICAO and BGN/PCGN."""
    require(4, answer, "answer_4")
    if isinstance(answer, str) or not hasattr(answer, "__iter__"):
        raise CheckFailed(4, "the answer should be a set of letters, e.g. {'а', 'б'}.")
    letters = pd.Series(list(RUSSIAN_LETTERS))
    differs = _latin(letters, ICAO) != _latin(letters, BGN)
    truth = set(letters[differs])
    given = {str(a) for a in answer}
    if any(len(g) != 1 for g in given):
        raise CheckFailed(4, "give single letters, not words or Latin forms.")
    if given & set(RUSSIAN_LETTERS.upper()):
        raise CheckFailed(4, "use the lower-case letters.")
    missing, extra = truth - given, given - truth
    if missing or extra:
        parts = [f"{len(missing)} letter(s) that differ are missing"] if missing else []
        parts += [f"{len(extra)} of your letters are romanised the same by both"] if extra else []
        raise CheckFailed(4, "; ".join(parts) + ". Transliterate each letter on its own with both tables.")
    passed(4, f"{len(truth)} of the 33 letters differ, the soft and hard signs, й and the vowels that start with a y sound (е ё ю я).")


def _own_table(task: int, answer: Any):
    expect_type(task, answer, (str, Path), "the path of your table file")
    path = Path(answer)
    if not path.is_absolute():
        path = OWN_TABLE.parent.parent.parent / path
    if not path.exists():
        raise CheckFailed(task, f"there is no file {answer}; write the table first.")
    if path.resolve() != OWN_TABLE.resolve():
        raise CheckFailed(task, f"the table should be work/tables/{OWN_ID}.csv, so that its file name is its id.")
    try:
        return load_table(path)
    except DataFileError as error:
        raise CheckFailed(task, f"the validator still finds {len(error.problems)} problem(s); run `namecleaner tables validate` on it and fix them.") from None


def task_5(answer: Any) -> None:
    """The office table, fixed and valid."""
    require(5, answer, "answer_5")
    table = _own_table(5, answer)
    rules = {rule.source: rule.target for rules_pass in table.passes for rule in rules_pass.rules}
    missing = [letter for letter in RUSSIAN_LETTERS if letter not in rules]
    if missing:
        raise CheckFailed(5, f"{len(missing)} Russian letter(s) have no rule; every letter needs one, or the fallback transform takes over.")
    if rules["х"] != "h" or rules["й"] != "y":
        raise CheckFailed(5, "the table is valid, but the office wants х written as h and й as y.")
    failures = example_failures(table)
    if failures:
        raise CheckFailed(5, f"{len(failures)} example(s) of the table do not come out as written; run `namecleaner tables test {OWN_ID} --tables work/tables`.")
    passed(5, f"{table.label} is valid, covers every Russian letter and passes its {len(table.examples)} examples.")


def task_6(answer: Any) -> None:
    """The provenance of C038 names the office table and its version."""
    require(6, answer, "answer_6")
    expect_type(6, answer, str, "a string: the table recorded in the step")
    table = _own_table(6, OWN_TABLE)
    if answer == table.id:
        raise CheckFailed(6, "that is the table id; the step records the id and the version of the table that was used.")
    if answer != table.label:
        raise CheckFailed(6, "that is not the table recorded in the step of C038; did you transliterate with your table, and read the `table` of the step?")
    row = _names().loc[["C038"], "name"]
    config = Config().replace(transliterate={"table": OWN_ID, "tables_dirs": [str(OWN_TABLE.parent)]})
    steps = parse_steps(row.names.clean(config)["steps"].iloc[0])
    latin = [s.result for s in steps if s.stage == "transliterate"]
    passed(6, f"the record says which table made {latin[-1]!r}, and which version: exactly what a reviewer needs to reproduce it.")
