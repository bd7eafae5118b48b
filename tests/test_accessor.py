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
        ["name_clean", "name_match", "steps"],
        "Samsung",
        "(株)日立",
    )


def test_name_type_equals_the_batch_api():
    series = pd.Series(["SMITH, John A.", "Universität Wien"], index=["p", "u"])
    expected = clean(series, stages=("transliterate", "legal_form", "name_type"))
    frame = series.names.name_type()
    assert list(frame.columns) == ["name_type", "sector", "name_type_confidence", "name_type_evidence"]
    pd.testing.assert_frame_equal(frame, expected[frame.columns])


def test_person_as_st96_elements():
    frame = pd.Series(["SMITH, John A.", "Siemens AG", None], index=[1, 2, 3]).names.person(st96=True)
    assert frame.loc[1].tolist() == [None, "John", "A.", "SMITH", None]
    assert frame.loc[2].isna().all() and frame.loc[3].isna().all()


def _greek() -> pd.Series:
    return pd.Series(["Σταθμός Α.Ε.", "ООО «Ромашка»", "Siemens AG"], index=[4, 5, 6])


def test_every_method_takes_the_country_of_each_row():
    """Defect: .names.cluster/.transliterate/.normalize(country=...) raised TypeError."""
    series = pd.Series(["Щука", "Щука"])
    countries = ["BG", None]
    assert series.names.transliterate(country=countries)["name_latin"].tolist() == ["Shtuka", "Shchuka"]
    assert series.names.normalize(country=countries)["name_clean"].tolist() == ["Щука", "Щука"]
    assert series.names.cluster(country=countries)["name_latin"].tolist() == ["Shtuka", "Shchuka"]


def test_every_method_gives_the_columns_that_clean_gives():
    """Defect: .names.legal_form() found no form in Greek "… Α.Ε.", which clean() reads as SA."""
    series = _greek()
    full = series.names.clean(country=["GR", "RU", "DE"])
    for method in ("normalize", "legal_form", "transliterate", "name_type", "person"):
        part = getattr(series.names, method)(country=["GR", "RU", "DE"])
        # The steps record which stages ran; every field a method gives must equal clean()'s.
        shared = [c for c in part.columns if c in full.columns and c != "steps"]
        assert part[shared].equals(full[shared]), method
    found = series.names.legal_form()["legal_form"].tolist()
    assert found == full["legal_form"].tolist() and all(isinstance(form, str) for form in found)
