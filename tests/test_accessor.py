"""The pandas ``names`` accessor calls the batch API and stays aligned on the index."""

import pandas as pd

import namecleaner  # noqa: F401  (registers the accessor)
from namecleaner.batch import clean


def test_clean_equals_the_batch_api():
    series = pd.Series(["ＴＯＹＯＴＡ", None, "AT&amp;T"], index=[10, 20, 30], name="applicant")
    pd.testing.assert_frame_equal(series.names.clean(), clean(series))


def test_missing_values_stay_missing():
    frame = pd.Series([None, float("nan"), "x"]).names.clean()
    assert frame["name_clean"].isna().tolist() == [True, True, False]


def test_normalize_returns_the_unicode_fields_only():
    frame = pd.Series(["S\u0430msung", "㈱日立"], index=["a", "b"]).names.normalize()
    assert (list(frame.columns), frame.loc["a", "name_clean"], frame.loc["b", "name_match"]) == (
        ["name_clean", "name_match", "steps"], "Samsung", "(株)日立")
