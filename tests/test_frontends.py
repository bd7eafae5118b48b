"""One set of golden cases through every front end with the same configuration.

The function, the ``names`` accessor, the CLI (``--office`` with a profile path, ``--tables``,
``--language``, ``--config``) and Dask must give identical columns, in the spirit of splink's
backend-parametrised tests. Each configuration below is written once, as a Config and as the
CLI flags that mean the same.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import TESTS_DIR

import namecleaner
from namecleaner.cli import main
from namecleaner.config import Config

CASES = json.loads((TESTS_DIR / "cases" / "frontends.json").read_text(encoding="utf-8"))
TABLES = TESTS_DIR / "fixtures" / "translit"
PROFILE = '[office]\ncode = "ZZ"\nname = "Test office"\ncountries = ["JP"]\n[stages.transliterate]\nhan = "ja"\n'


def _configs(tmp_path) -> dict[str, tuple[Config, list[str]]]:
    profile = tmp_path / "ZZ.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    written = tmp_path / "written.config.toml"
    written.write_text(Config.from_profile("KR").replace(cluster={"strictness": 0.6}).to_toml(), encoding="utf-8")
    return {
        "default": (Config(), []),
        "office-code": (Config.from_profile("JP"), ["--office", "JP"]),
        "office-path": (Config.from_profile(str(profile)), ["--office", str(profile)]),
        "language": (Config().replace(transliterate={"language": "uk"}), ["--language", "uk"]),
        "tables": (
            Config().replace(
                transliterate={"tables_dirs": [str(TABLES)], "tables": {"Cyrl:uk": "xx-ukr-Cyrl-Latn-office"}}
            ),
            ["--tables", str(TABLES), "--config", None],
        ),
        "config-file": (Config.from_profile(str(written)), ["--config", str(written)]),
    }


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"name": [c["name"] for c in CASES], "country": [c["country"] for c in CASES]}, dtype=object)


def _comparable(frame: pd.DataFrame) -> list[list]:
    return [[None if pd.isna(v) else v for v in row] for row in frame.astype(object).itertuples(index=False)]


@pytest.fixture(params=["default", "office-code", "office-path", "language", "tables", "config-file"])
def setting(request, tmp_path):
    config, flags = _configs(tmp_path)[request.param]
    if "--config" in flags and flags[flags.index("--config") + 1] is None:
        # The tables setting maps a script to a table: only a profile can say that, so the CLI reads it from one.
        path = tmp_path / "tables.config.toml"
        path.write_text(config.to_toml(), encoding="utf-8")
        flags = ["--tables", str(TABLES), "--config", str(path)]
    return config, flags


def _expected(config: Config) -> pd.DataFrame:
    frame = _frame()
    return namecleaner.clean(frame["name"], config, country=frame["country"]).drop(columns="original")


def test_accessor_equals_the_function(setting):
    config, _ = setting
    frame = _frame()
    got = frame["name"].names.clean(config, country=frame["country"]).drop(columns="original")
    assert _comparable(got) == _comparable(_expected(config))


def test_cli_equals_the_function(setting, tmp_path):
    config, flags = setting
    # Parquet in and out keeps a missing name missing (a CSV has only empty cells) and the types.
    source, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    _frame().to_parquet(source)
    assert (
        main(["clean", str(source), "-o", str(out), "--column", "name", "--country-column", "country", "-q", *flags])
        == 0
    )
    got = pd.read_parquet(out).drop(columns=["name", "country"])
    assert list(got.columns) == list(_expected(config).columns)
    assert _comparable(got) == _comparable(_expected(config))


def test_cli_writes_the_configuration_that_repeats_the_run(setting, tmp_path):
    config, flags = setting
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    _frame().to_csv(source, index=False)
    assert main(["clean", str(source), "-o", str(out), "--column", "name", "-q", *flags]) == 0
    written = tmp_path / "out.csv.config.toml"
    assert Config.from_profile(str(written)) == config
    assert "# tables used:" in written.read_text(encoding="utf-8")


def test_dask_equals_the_function(setting):
    dd = pytest.importorskip("dask.dataframe")
    from namecleaner import dask as nc_dask

    config, _ = setting
    ddf = dd.from_pandas(_frame(), npartitions=3)
    got = nc_dask.clean(ddf, "name", config, country_column="country").compute().drop(columns=["name", "country"])
    assert _comparable(got.reset_index(drop=True)) == _comparable(_expected(config))
