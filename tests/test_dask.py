"""namecleaner.dask on a real ``distributed`` cluster: every partitioning gives the single-machine output,
for cleaning and for clustering (same clusters, ids and names)."""

import importlib
import sys
from pathlib import Path

import dask.dataframe as dd
import pandas as pd
import pytest
from distributed import Client, LocalCluster

from conftest import TESTS_DIR
from namecleaner import dask as nc_dask
from namecleaner.batch import Cleaner, clean_frame
from namecleaner.cli import main
from namecleaner.cluster import cluster_frame
from namecleaner.errors import InputError, MissingDependencyError, NameCleanerError
from namecleaner.pipeline import build_pipeline

REAL_NAMES = TESTS_DIR / "fixtures" / "real_names.csv"


@pytest.fixture(scope="module")
def client():
    """Two single-threaded worker processes, as a small real cluster has."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as connected:
        yield connected


@pytest.fixture(scope="module")
def names():
    # "string" is the dtype Dask gives text columns, so the input columns compare equal too.
    return pd.read_csv(REAL_NAMES, dtype="string", keep_default_na=False)


def single_machine(frame, office=None, **kwargs):
    return clean_frame(Cleaner(build_pipeline(office)), frame, "name", **kwargs).frame


@pytest.mark.parametrize("partitions", [1, 3, 7])
def test_clean_equals_single_machine_for_any_partitioning(client, names, partitions):
    ddf = dd.from_pandas(names, npartitions=partitions)
    assert ddf.npartitions == partitions
    cleaned = nc_dask.clean(ddf, "name", country_column="country")
    result = cleaned.compute()
    expected = single_machine(names, country_column="country")
    pd.testing.assert_frame_equal(result, expected)
    pd.testing.assert_series_equal(cleaned.dtypes, expected.dtypes)  # the lazy frame's meta is exact


def test_office_profile_is_used_on_the_workers(client, names):
    result = nc_dask.clean(dd.from_pandas(names, npartitions=3), "name", "RU").compute()
    pd.testing.assert_frame_equal(result, single_machine(names, "RU"))
    assert not result["steps"].equals(single_machine(names)["steps"])  # the profile changed something


def test_taken_names_get_the_prefix(client, names):
    ddf = dd.from_pandas(names.rename(columns={"source": "steps"}), npartitions=2)
    assert list(nc_dask.clean(ddf, "name").columns[4:]) == [f"nc_{c}" for c in build_pipeline().columns]


def test_accessor_on_a_dask_series(client, names):
    ddf = dd.from_pandas(names, npartitions=3)
    result = ddf["name"].names.clean(country=ddf["country"]).compute()
    pd.testing.assert_frame_equal(result, names["name"].names.clean(country=names["country"]))
    normalized = ddf["name"].names.normalize().compute()
    pd.testing.assert_frame_equal(normalized, names["name"].names.normalize())


def test_accessor_refuses_what_pandas_lacks(names):
    series = dd.from_pandas(names, npartitions=2)["name"]
    with pytest.raises(AttributeError, match="no method 'frobnicate'"):
        series.names.frobnicate()
    with pytest.raises(TypeError, match="keyword arguments only"):
        series.names.clean("JP")
    with pytest.raises(AttributeError, match="needs every name at once"):
        series.names.cluster()


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"column": "applicant"}, InputError, "no column 'applicant' \\(column\\); the frame has: id, name, country, source"),
    ({"column": "name", "country_column": "cc"}, InputError, "no column 'cc' \\(country_column\\)"),
    ({"column": "name", "options": {"nostage": {}}}, NameCleanerError, "unknown stage\\(s\\) nostage"),
    ({"column": "name", "prefix": "", "office": "XX"}, NameCleanerError, "no office profile 'XX'"),
])
def test_bad_arguments_fail_before_any_work(names, kwargs, error, message):
    with pytest.raises(error, match=message):
        nc_dask.clean(dd.from_pandas(names, npartitions=2), **kwargs)


def cli(*argv):
    return main(["clean", *map(str, argv), "-c", "name", "--country-column", "country", "-q"])


def test_cli_parquet_dataset_in_and_out(client, names, tmp_path):
    source = tmp_path / "in"
    dd.from_pandas(names, npartitions=3).to_parquet(source, write_index=False)
    assert cli(source, "-o", f"{tmp_path / 'out'}/", "--engine", "dask", "--scheduler", client.scheduler.address) == 0
    assert cli(source, "-o", tmp_path / "single.parquet") == 0  # the streaming engine, on one machine
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["part.00000.parquet", "part.00001.parquet", "part.00002.parquet"]
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "out"), pd.read_parquet(tmp_path / "single.parquet"))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left behind


def test_cli_local_cluster_writes_the_same_csv(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes(REAL_NAMES.read_bytes())
    assert cli(source, "-o", tmp_path / "dask.csv", "--engine", "dask", "--workers", "1") == 0
    assert cli(source, "-o", tmp_path / "stream.csv") == 0
    assert (tmp_path / "dask.csv").read_bytes() == (tmp_path / "stream.csv").read_bytes()


@pytest.mark.parametrize(("argv", "message"), [
    (["-o", "out/"], "writing a partitioned Parquet dataset (a folder) needs --engine dask"),
    (["-o", "out.csv", "--scheduler", "tcp://127.0.0.1:1"], "--scheduler needs --engine dask"),
    (["-o", "out.csv", "--engine", "dask", "--errors", "e.csv"], "--errors needs --engine stream"),
    (["-o", "out.csv", "--engine", "dask", "--workers", "0"], "--workers sets the size of the local cluster"),
])
def test_cli_engine_errors(tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    Path("in.csv").write_text("name,country\nSony,JP\n", encoding="utf-8")
    assert cli("in.csv", *argv) == 1
    assert message in capsys.readouterr().err


def test_cli_dask_reads_files_not_stdin(capsys):
    assert cli("-", "-o", "out.csv", "--engine", "dask") == 1
    assert "the dask engine reads files, not stdin" in capsys.readouterr().err


def test_dataset_output_never_replaces_other_files(names, tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="holds files other than Parquet"):
        nc_dask.write_dataset(dd.from_pandas(names, npartitions=1), str(target))
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


@pytest.fixture(scope="module")
def single_machine_clusters(names):
    cleaned = single_machine(names)
    return cluster_frame(cleaned).label(cleaned["match_key"].tolist())


@pytest.mark.parametrize("partitions", [1, 3, 7])
def test_cluster_equals_single_machine_for_any_partitioning(client, names, single_machine_clusters, partitions):
    clustered = nc_dask.cluster(nc_dask.clean(dd.from_pandas(names, npartitions=partitions), "name")).compute()
    pd.testing.assert_frame_equal(clustered[["cluster_id", "cluster_name"]], single_machine_clusters)
    assert clustered["cluster_id"].nunique() < clustered["match_key"].nunique()  # variants were merged


def test_cluster_counts_column_weights_the_names(client, names):
    cleaned = single_machine(names).assign(n=1)
    cleaned.loc[cleaned.index[-1], "n"] = 1000
    expected = cluster_frame(cleaned, counts=cleaned["n"]).label(cleaned["match_key"].tolist())
    clustered = nc_dask.cluster(dd.from_pandas(cleaned, npartitions=3), counts_column="n").compute()
    pd.testing.assert_frame_equal(clustered[["cluster_id", "cluster_name"]], expected)


def test_cluster_needs_match_keys(names):
    with pytest.raises(InputError, match="no 'match_key' column"):
        nc_dask.cluster(dd.from_pandas(names, npartitions=1))


def test_without_dask_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "dask", None)  # what an environment without dask gives
    monkeypatch.delitem(sys.modules, "namecleaner.dask")
    with pytest.raises(MissingDependencyError, match=r"pip install 'namecleaner\[dask\]'"):
        importlib.import_module("namecleaner.dask")
