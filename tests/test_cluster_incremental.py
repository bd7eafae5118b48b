"""Incremental mode: new names join existing clusters or get new ids; nothing is re-clustered."""

from __future__ import annotations

import pytest

from namecleaner.cluster import cluster
from namecleaner.config import Config
from namecleaner.errors import DataFileError


def test_new_names_join_existing_clusters_or_get_new_ids(tmp_path) -> None:
    authority = tmp_path / "authority.csv"
    authority.write_text(
        "name,cluster_id,cluster_name\nMotorola Inc,NC-MOTO,Motorola\nMotorola Solutions Inc,NC-MSI,Motorola Solutions\n",
        encoding="utf-8",
    )
    frame = cluster(
        ["MOTOROLA INC.", "Motorla Inc", "Nokia Oyj"], Config().replace(cluster={"authority": str(authority)})
    ).set_index("original")
    assert frame.loc["MOTOROLA INC.", ["cluster_id", "cluster_name"]].tolist() == ["NC-MOTO", "Motorola"]
    assert frame.loc["Motorla Inc", "cluster_id"] == "NC-MOTO"
    assert frame.loc["Nokia Oyj", "cluster_id"] not in ("NC-MOTO", "NC-MSI")


def test_authority_file_needs_its_columns(tmp_path) -> None:
    authority = tmp_path / "authority.csv"
    authority.write_text("name,id\nAcme,1\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="column 'cluster_id' is missing"):
        cluster(["Acme"], Config().replace(cluster={"authority": str(authority)}))
