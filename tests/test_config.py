"""The one configuration: profiles read over the default, one validator, replace, TOML round trip."""

import dataclasses

import pytest

from namecleaner.config import Config, available_offices
from namecleaner.errors import DataFileError, NameCleanerError
from namecleaner.pipeline import build_pipeline


def _profile(tmp_path, text: str, name: str = "P.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_shipped_profiles_load_with_their_code():
    assert [Config.from_profile(code).office for code in available_offices()] == available_offices()


def test_lower_case_code_is_accepted():
    assert Config.from_profile("jp").office_name == "Japan Patent Office"


def test_unknown_office_names_the_choices():
    with pytest.raises(NameCleanerError, match="no office profile 'XX': use one of .*JP"):
        Config.from_profile("XX")


def test_user_profile_file_is_read_over_the_default(tmp_path):
    config = Config.from_profile(
        _profile(tmp_path, '[office]\ncode = "ZZ"\nname = "Test office"\ncountries = ["zz"]\n')
    )
    assert (config.office, config.countries, config.transliterate.han) == ("ZZ", ("ZZ",), "auto")


def test_malformed_profile_lists_every_problem(tmp_path):
    with pytest.raises(DataFileError) as error:
        Config.from_profile(_profile(tmp_path, '[office]\ncode = "B"\ncolour = "red"\n[extra]\n'))
    assert error.value.problems == [
        "unknown section 'extra' (expected office, stages, cluster)",
        "unknown key 'office.colour' (expected one of code, name, countries, notes)",
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param(
            '[office]\ncountries = "JP"\n',
            "office.countries must be a list of text values, not 'JP'",
            id="countries-as-text",
        ),
        pytest.param(
            '[stages.match_key]\nenabled = "false"\n',
            "stages.match_key.enabled must be true or false, not 'false'",
            id="enabled-as-text",
        ),
        pytest.param(
            "[stages.transliterate]\ntables = 1\n",
            "stages.transliterate.tables must be a table of text values, not 1",
            id="tables-number",
        ),
        pytest.param(
            "[stages.transliterate]\nprefer = 1\n",
            "stages.transliterate.prefer must be a table of text values, not 1",
            id="prefer-number",
        ),
        pytest.param(
            "[stages.transliterate]\ntables_dirs = 1\n",
            "stages.transliterate.tables_dirs must be a list of text values, not 1",
            id="dirs-number",
        ),
        pytest.param(
            "[cluster]\nstrictness = 2\n",
            "cluster.strictness must be between 0.0 and 1.0, not 2",
            id="strictness-range",
        ),
        pytest.param(
            "[cluster]\nstrictness = nan\n", "cluster.strictness must be a number, not nan", id="strictness-nan"
        ),
        pytest.param(
            "[cluster]\nworkers = 0\n", "cluster.workers must be between 1 and 4096, not 0", id="workers-zero"
        ),
        pytest.param(
            '[cluster]\nregional_units = "merged"\n',
            "cluster.regional_units must be one of 'apart', 'together', not 'merged'",
            id="regional-units",
        ),
        pytest.param(
            "[stages.spellcheck]\nenabled = true\n",
            "unknown stage 'spellcheck' (the stages are unicode, transliterate, legal_form, name_type, match_key)",
            id="unknown-stage",
        ),
        pytest.param(
            '[stages]\nunicode = "on"\n',
            "'stages.unicode' must be a table of options, not 'on'",
            id="stage-not-a-table",
        ),
    ],
)
def test_one_validator_names_each_problem(tmp_path, text, problem):
    with pytest.raises(DataFileError) as error:
        Config.from_profile(_profile(tmp_path, text))
    assert error.value.problems == [problem]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        pytest.param(b"[office\n", "not a valid TOML profile", id="not-toml"),
        pytest.param(b'[office]\nname = "\xff"\n', "not UTF-8 text", id="not-utf8"),
        pytest.param(b"a = " + b"[" * 600 + b"]" * 600 + b"\n", "nested", id="deep-nesting"),
    ],
)
def test_unreadable_profile_files_are_one_line_errors(tmp_path, content, problem):
    path = tmp_path / "bad.toml"
    path.write_bytes(content)
    with pytest.raises(DataFileError, match=f"bad.toml: .*{problem}"):
        Config.from_profile(str(path))


def test_a_missing_profile_or_a_folder_is_named(tmp_path):
    with pytest.raises(DataFileError, match="missing.toml: no such file"):
        Config.from_profile(str(tmp_path / "missing.toml"))
    folder = tmp_path / "dir.toml"
    folder.mkdir()
    with pytest.raises(DataFileError, match="dir.toml: is a folder"):
        Config.from_profile(str(folder))


def test_stage_can_be_switched_off(tmp_path):
    columns = build_pipeline(_profile(tmp_path, "[stages.match_key]\nenabled = false\n")).columns
    assert ("match_key" in columns, "name_clean" in columns) == (False, True)


def test_stage_needed_by_another_cannot_be_switched_off(tmp_path):
    with pytest.raises(NameCleanerError, match="switches off stage.*match_key needs legal_form"):
        build_pipeline(_profile(tmp_path, "[stages.legal_form]\nenabled = false\n"))


def test_a_loaded_profile_cannot_be_changed_behind_the_next_loader():
    """Defect: after load_office("JP").stages[...]["han"] = "zh", every later load returned the change."""
    config = Config.from_profile("JP")
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.transliterate.han = "zh"  # type: ignore[misc]
    changed = config.replace(transliterate={"han": "zh"})
    assert (changed.transliterate.han, Config.from_profile("JP").transliterate.han) == ("zh", "ja")


def test_replace_is_checked_by_the_same_validator():
    with pytest.raises(DataFileError, match="command line: cluster.strictness must be between 0.0 and 1.0, not 7"):
        Config().replace(source="command line", cluster={"strictness": 7})


def test_written_configuration_reads_back_equal(tmp_path):
    config = Config.from_profile("UA").replace(
        transliterate={"language": "uk"}, cluster={"strictness": 0.6, "workers": 2}
    )
    path = tmp_path / "run.config.toml"
    path.write_text(config.to_toml({"tables used": "x@1"}), encoding="utf-8")
    assert Config.from_profile(str(path)) == config
