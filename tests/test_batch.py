"""The batch API: one row per input, in order, each distinct value cleaned once."""

import math
import random
import warnings

import pandas as pd
import pytest
from conftest import SAMPLE_FILE

import namecleaner
from namecleaner.batch import Cleaner, clean
from namecleaner.pipeline import build_pipeline

SAMPLE = pd.read_csv(SAMPLE_FILE, dtype=str, keep_default_na=False)


def test_matches_a_plain_row_by_row_loop():
    """The distinct-once fast path gives what running the pipeline on every row gives."""
    rng = random.Random(7)
    values = [rng.choice(SAMPLE["applicant"].tolist()) for _ in range(600)] + [None, math.nan, pd.NA]
    pipeline = build_pipeline()
    fast = clean(values)
    for position, value in enumerate(values):
        if isinstance(value, str):
            record = pipeline.run(value)
            expected = [record.value(c) for c in pipeline.columns]
            assert [None if pd.isna(v) else v for v in fast.iloc[position, 1:]] == expected
        else:
            assert fast.iloc[position, 1:].isna().all()


def test_one_row_per_input_in_order_with_original_kept():
    frame = clean(SAMPLE["applicant"])
    assert (len(frame), frame["original"].tolist()) == (len(SAMPLE), SAMPLE["applicant"].tolist())


def test_each_distinct_value_is_cleaned_once():
    calls = []
    pipeline = build_pipeline()
    original_run = pipeline.run

    class Counting(type(pipeline)):
        def run(self, value, country=None):
            calls.append(value)
            return original_run(value, country)

    counting = Counting(pipeline.config, pipeline.stages)
    Cleaner(counting).clean(["A", "B", "A", "A", None, "B"])
    assert sorted(calls) == ["A", "B"]


def test_same_name_with_different_country_is_cleaned_per_country():
    """A BG row reads Cyrillic as Bulgarian (щ is sht), a row without a country as Russian: the cache keys on both."""
    frame = clean(["Щука", "Щука", "Щука"], country=["BG", None, "BG"])
    assert frame["name_latin"].tolist() == ["Shtuka", "Shchuka", "Shtuka"]


def test_series_index_is_kept():
    frame = clean(pd.Series(["ＡＢＣ", "x"], index=["r1", "r9"]))
    assert (frame.index.tolist(), frame.loc["r1", "name_clean"]) == (["r1", "r9"], "ABC")


def test_numbers_are_cleaned_as_text():
    assert clean([1234])["name_clean"].tolist() == ["1234"]


def test_country_length_must_match():
    with pytest.raises(ValueError, match="country has 1 values for 2 names"):
        clean(["a", "b"], country=["DE"])


def test_a_failing_value_is_kept_and_reported(monkeypatch):
    from namecleaner.context import Context

    pipeline = build_pipeline()
    stage = pipeline.stages[0]

    def failing(record):
        if record.original == "boom":
            raise RuntimeError("stage broke")
        stage(record)

    broken = type(pipeline)(pipeline.config, (failing,))
    object.__setattr__(failing, "fields", stage.fields)
    result = Cleaner(broken).clean(["ok", "boom", "boom"])
    assert [(e.position, e.value, e.reason) for e in result.errors] == [
        (1, "boom", "RuntimeError: stage broke"),
        (2, "boom", "RuntimeError: stage broke"),
    ]
    assert result.frame["name_clean"].tolist()[0] == "ok"
    assert pd.isna(result.frame["name_clean"][1])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        monkeypatch.setattr(Context, "pipeline", lambda self, stages=None: broken)
        clean(["boom"])
    assert "1 value(s) could not be cleaned" in str(caught[0].message)


def test_public_api_is_exported():
    assert namecleaner.clean is clean


def test_a_lone_surrogate_is_kept_in_the_original_and_replaced_in_the_cleaned_fields():
    """A reader keeps an undecodable byte as a surrogate escape; no cleaned field can store one."""
    frame = clean(["ACME\udcff GmbH", "ok"])
    assert frame["original"][0] == "ACME\udcff GmbH"
    assert (frame["name_clean"][0], frame["legal_form"][0]) == ("ACME\ufffd GmbH", "GmbH")
