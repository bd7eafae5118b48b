"""Overrides: the file format, its errors, and decisions applied on every run."""

from __future__ import annotations

import pytest

from namecleaner.cluster import cluster
from namecleaner.cluster.overrides import read_overrides
from namecleaner.config import Config
from namecleaner.errors import DataFileError

NAMES = ["Motorola Inc", "Motorla Inc", "Acme Inc", "Zeta Holdings"]


def _write(tmp_path, body: str):
    path = tmp_path / "overrides.tsv"
    path.write_text("# decisions by the data team\naction\tname\tother\n" + body, encoding="utf-8")
    return path


def test_decisions_apply_and_survive_reruns(tmp_path) -> None:
    path = _write(
        tmp_path,
        "cannot_link\tMotorola Inc\tMotorla Inc\nmust_link\tACME INC.\tZeta Holdings\npin\tZeta Holdings\tAcme-Zeta Group\n",
    )
    for _ in range(2):
        frame = cluster(NAMES, Config().replace(cluster={"overrides": str(path)})).set_index("original")
        assert frame.loc["Motorola Inc", "cluster_id"] != frame.loc["Motorla Inc", "cluster_id"]
        assert frame.loc["Acme Inc", "cluster_id"] == frame.loc["Zeta Holdings", "cluster_id"]
        assert frame.loc["Acme Inc", "cluster_name"] == "Acme-Zeta Group"


def test_every_problem_is_reported_with_its_line(tmp_path) -> None:
    path = _write(tmp_path, "merge\tA\tB\npin\tA\t\n")
    with pytest.raises(DataFileError) as error:
        read_overrides(path)
    assert error.value.problems == [
        "line 3: action 'merge' is not one of must_link, cannot_link, pin",
        "line 4: 'pin' needs both a name and an other value",
    ]
