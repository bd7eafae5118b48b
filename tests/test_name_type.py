"""The name-type stage, against the golden cases in tests/cases/person_names.json and name_sectors.json."""

import json
from functools import cache

import pytest
from conftest import golden_cases

from namecleaner.batch import clean
from namecleaner.config import Config
from namecleaner.errors import NameCleanerError
from namecleaner.pipeline import build_pipeline
from namecleaner.record import NameRecord
from namecleaner.stages import name_type


@cache
def pipeline(options: str = "{}"):
    """The name-type pipeline for a case's stage options (given as JSON, so they can be cached)."""
    return build_pipeline(Config().replace(name_type=json.loads(options)), stages=("name_type",))


def run(case: dict) -> NameRecord:
    return pipeline(json.dumps(case.get("options", {}), sort_keys=True)).run(case["name"], case.get("country"))


@pytest.mark.parametrize("case", golden_cases("person_names"))
def test_person_name_split(case):
    record = run(case)
    assert (record.name_type, record.sector) == ("person", "individual")
    expected = {key: case[key] for key in ("family_name", "given_names", "name_prefix", "name_suffix")}
    assert {key: getattr(record, key) for key in expected} == expected


@pytest.mark.parametrize("case", golden_cases("name_sectors"))
def test_name_type_and_sector(case):
    record = run(case)
    assert (record.name_type, record.sector) == (case["name_type"], case["sector"])


def test_organisations_are_not_split():
    record = run({"name": "Johnson & Johnson"})
    assert (record.family_name, record.given_names) == (None, None)


def test_steps_record_the_evidence_and_the_split():
    record = run({"name": "SMITH, John A."})
    classify, split = record.steps
    assert (classify.stage, classify.step, classify.result) == ("name_type", "classify", "person individual 0.95")
    assert "'SURNAME, Given' shape" in classify.rule and "namecleaner-person-names@" in classify.table
    assert (split.step, split.rule, split.result) == (
        "split_person",
        "'FAMILY, Given' comma",
        "family=SMITH; given=John A.",
    )
    assert record.name_type_evidence == classify.rule and record.name_type_confidence == 0.95


@pytest.mark.parametrize(
    ("name", "tables"),
    [
        pytest.param("Toyota Motor Corporation", ["legal-form-sectors", "institution-keywords"], id="legal form"),
        pytest.param("Universität Wien", ["institution-keywords"], id="keyword"),
        pytest.param(
            "Smith, John",
            ["person-names", "curated-person-names", "person-affixes", "name-endings", "romaji-morae"],
            id="person",
        ),
    ],
)
def test_the_classify_step_names_the_tables_its_evidence_came_from(name: str, tables: list[str]) -> None:
    classify = next(s for s in clean([name])["steps"].map(json.loads)[0] if s["step"] == "classify")
    assert [label.split("@")[0].removeprefix("namecleaner-") for label in classify["table"].split("; ")] == tables


def stage():
    return build_pipeline(stages=("name_type",)).stages[-1]


def test_legal_form_of_the_legal_form_stage_decides():
    record = NameRecord(
        "Stiftung X",
        name_clean="Acme Stiftung",
        legal_form="Stiftung",
        legal_form_class="FOUNDATION",
        legal_form_span="suffix [5:13] Stiftung",
        legal_form_start=5,
        legal_form_end=13,
    )
    stage()(record)
    assert (record.name_type, record.sector, record.name_type_confidence) == ("organisation", "non-profit", 0.97)
    assert record.name_type_evidence.startswith("legal form Stiftung")


@pytest.mark.parametrize(
    "name, form, form_class, span, sector",
    [
        ("学校法人早稲田大学", "Gakko Hojin", "NGO", "prefix [0:4] 学校法人", "university"),
        ("医療法人社団 鉄蕉会", "Iryo Hojin", "NGO", "prefix [0:4] 医療法人", "hospital"),
        ("Peking University Founder Group Co Ltd", "Co., Ltd.", "LLC", "suffix [32:38] Co Ltd", "company"),
    ],
)
def test_company_forms_decide_the_sector_other_classes_yield_to_keywords(name, form, form_class, span, sector):
    start, end = (int(n) for n in span.split("[")[1].split("]")[0].split(":"))
    record = NameRecord(
        name,
        name_clean=name,
        legal_form=form,
        legal_form_class=form_class,
        legal_form_span=span,
        legal_form_start=start,
        legal_form_end=end,
    )
    stage()(record)
    assert (record.name_type, record.sector) == ("organisation", sector)
    assert record.name_type_evidence.startswith(f"legal form {form}")


def test_legal_form_inside_a_word_is_not_believed():
    """A form found inside a word ("Sa'ad" read as а.д) does not outweigh the person shape."""
    record = NameRecord(
        "x",
        name_clean="AL-DAJANI, Sa'ad",
        legal_form="а.д",
        legal_form_span="suffix [14:16] ad",
        legal_form_start=14,
        legal_form_end=16,
    )
    stage()(record)
    assert (record.name_type, record.family_name) == ("person", "AL-DAJANI")


def test_legal_form_that_is_a_given_name_is_not_believed():
    record = NameRecord(
        "x",
        name_clean="NAMAN, Sam",
        legal_form="S.A.M.",
        legal_form_span="suffix [7:10] Sam",
        legal_form_start=7,
        legal_form_end=10,
    )
    stage()(record)
    assert (record.name_type, record.given_names) == ("person", "Sam")


def test_romanised_form_of_the_transliterate_stage_is_read():
    record = NameRecord("x", name_clean="Ереванский кампус", name_latin="Yerevan State University")
    stage()(record)
    assert (record.name_type, record.sector) == ("organisation", "university")


def test_unmarked_name_is_an_organisation_with_low_confidence():
    record = run({"name": "HERRI BATASUNA"})
    assert (record.name_type, record.name_type_confidence, record.name_type_evidence) == (
        "organisation",
        0.5,
        "no person-name evidence; sector company by default for organisations",
    )


def test_to_st96_person_structured_name():
    record = run({"name": "Prof. Dr. John Adam Smith Jr."})
    assert name_type.to_st96(record) == {
        "NamePrefix": "Prof. Dr.",
        "FirstName": "John",
        "MiddleName": "Adam",
        "LastName": "Smith",
        "NameSuffix": "Jr.",
    }


def test_to_st96_organisation_standard_name():
    assert name_type.to_st96(run({"name": "Siemens AG"})) == {"OrganizationStandardName": "Siemens AG"}


@pytest.mark.parametrize(
    "options, message",
    [
        (
            {"order": "x"},
            "stages.name_type.order is not an option (the options are enabled, person_order, capitals_family, family_first_countries, pinyin_family_first_countries)",
        ),
        (
            {"person_order": "surname-first"},
            "stages.name_type.person_order must be one of 'auto', 'given-first', 'family-first', not 'surname-first'",
        ),
        ({"capitals_family": "yes"}, "stages.name_type.capitals_family must be true or false, not 'yes'"),
        (
            {"family_first_countries": "HU"},
            "stages.name_type.family_first_countries must be a list of text values, not 'HU'",
        ),
    ],
)
def test_bad_options_are_rejected(options, message):
    with pytest.raises(NameCleanerError) as error:
        Config().replace(name_type=options)
    assert error.value.problems == [message]


def test_bad_options_in_a_profile_name_the_profile(tmp_path):
    path = tmp_path / "BAD.toml"
    path.write_text("[stages.name_type]\nbogus = 1\n", encoding="utf-8")
    with pytest.raises(NameCleanerError, match="BAD.toml: stages.name_type.bogus is not an option"):
        Config.from_profile(str(path))
