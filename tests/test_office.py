"""Office profiles: shipped profiles, user profile files and their validation."""

import pytest

from namecleaner.errors import DataFileError, NameCleanerError
from namecleaner.office import available_offices, load_office
from namecleaner.pipeline import build_pipeline


def test_shipped_profiles_load_with_their_code():
    codes = [load_office(code).code for code in available_offices()]
    assert codes == [code if code != "default" else "default" for code in available_offices()]


def test_lower_case_code_is_accepted():
    assert load_office("jp").name == "Japan Patent Office"


def test_unknown_office_names_the_choices():
    with pytest.raises(NameCleanerError, match="no office profile 'XX': use one of .*JP"):
        load_office("XX")


def test_user_profile_file_is_read_over_the_default(tmp_path):
    path = tmp_path / "ZZ.toml"
    path.write_text('[office]\ncode = "ZZ"\nname = "Test office"\ncountries = ["ZZ"]\n', encoding="utf-8")
    profile = load_office(str(path))
    assert (profile.code, profile.countries, "unicode" in profile.stages) == ("ZZ", ("ZZ",), True)


def test_malformed_profile_lists_every_problem(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[office]\ncode = "B"\ncolour = "red"\n[extra]\n', encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        load_office(str(path))
    assert error.value.problems == [
        "unknown section 'extra' (expected 'office' and 'stages')",
        "unknown key 'office.colour' (expected one of code, countries, name, notes)",
    ]


def test_invalid_toml_names_the_file(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[office\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="broken.toml"):
        load_office(str(path))


def test_profile_with_unknown_stage_is_refused(tmp_path):
    path = tmp_path / "S.toml"
    path.write_text("[stages.spellcheck]\nenabled = true\n", encoding="utf-8")
    with pytest.raises(NameCleanerError, match="unknown stage.*spellcheck"):
        build_pipeline(str(path))


def test_stage_can_be_switched_off(tmp_path):
    path = tmp_path / "OFF.toml"
    path.write_text("[stages.match_key]\nenabled = false\n", encoding="utf-8")
    columns = build_pipeline(str(path)).columns
    assert ("match_key" in columns, "name_clean" in columns) == (False, True)


def test_switching_off_a_needed_stage_names_who_needs_it(tmp_path):
    path = tmp_path / "OFF.toml"
    path.write_text("[stages.unicode]\nenabled = false\n", encoding="utf-8")
    with pytest.raises(NameCleanerError, match="switches off stage.*transliterate needs unicode"):
        build_pipeline(str(path))
