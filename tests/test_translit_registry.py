"""Where tables come from: built-ins, user folders, the environment and installed packages."""

import shutil
from pathlib import Path

import pytest

from namecleaner.errors import NameCleanerError
from namecleaner.translit.registry import ENTRY_POINT_GROUP, ENV_VAR, TableRegistry

FIXTURES = Path(__file__).parent / "fixtures" / "translit"
OFFICE_TABLE = "xx-ukr-Cyrl-Latn-office"


def test_built_in_tables_are_listed():
    registry = TableRegistry()
    assert {"ua-ukr-Cyrl-Latn-2010", "gost-rus-Cyrl-Latn-7.79-2000"} <= set(registry.ids())
    assert registry.sources["ua-ukr-Cyrl-Latn-2010"].origin == "built-in"


def test_user_folder_and_environment(tmp_path, monkeypatch):
    user = tmp_path / "user"
    user.mkdir()
    shutil.copy(FIXTURES / f"{OFFICE_TABLE}.csv", user)
    assert TableRegistry([user]).get(OFFICE_TABLE).id == OFFICE_TABLE
    monkeypatch.setenv(ENV_VAR, str(user))
    assert TableRegistry().sources[OFFICE_TABLE].origin == "env"


def test_user_table_replaces_a_built_in_one_of_the_same_id(tmp_path):
    text = (FIXTURES / f"{OFFICE_TABLE}.csv").read_text(encoding="utf-8").replace(OFFICE_TABLE, "ua-ukr-Cyrl-Latn-2010")
    (tmp_path / "ua-ukr-Cyrl-Latn-2010.csv").write_text(text, encoding="utf-8")
    registry = TableRegistry([tmp_path])
    assert (
        registry.sources["ua-ukr-Cyrl-Latn-2010"].origin,
        registry.get("ua-ukr-Cyrl-Latn-2010").metadata["authority"],
    ) == ("user", "Example office")


def test_third_party_package_through_an_entry_point(tmp_path, monkeypatch):
    package = tmp_path / "acme_tables"
    package.mkdir()
    (package / "__init__.py").write_text('"""Tables of the Acme office."""\n', encoding="utf-8")
    shutil.copy(FIXTURES / f"{OFFICE_TABLE}.csv", package)
    dist_info = tmp_path / "acme_tables-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-tables\nVersion: 1.0\n", encoding="utf-8")
    (dist_info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\nacme = acme_tables\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = TableRegistry()
    assert registry.sources[OFFICE_TABLE].origin == "package acme"
    assert registry.get(OFFICE_TABLE).offices == ("XX",)


def test_unknown_table_and_missing_folder_are_clear_errors(tmp_path):
    with pytest.raises(NameCleanerError, match="no transliteration table 'nope'; available: "):
        TableRegistry().get("nope")
    with pytest.raises(NameCleanerError, match="does not exist"):
        TableRegistry([tmp_path / "missing"])
