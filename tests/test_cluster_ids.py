"""Cluster ids and representative names."""

from __future__ import annotations

from collections import Counter

from namecleaner.cluster.ids import cluster_id, representative


def test_id_depends_only_on_the_smallest_key() -> None:
    assert cluster_id(["b", "a"]) == cluster_id(["a", "c"]) != cluster_id(["b"])
    assert cluster_id(["a"]).startswith("NC") and len(cluster_id(["a"])) == 16


def test_representative_prefers_well_formed_then_frequent() -> None:
    assert (
        representative(Counter({"TOYOTA MOTOR CORP": 9, "Toyota Motor Corp.": 2, "Toyota Motor Corporation": 2}))
        == "Toyota Motor Corp."
    )
    assert representative(Counter({"ACME": 1, "ACME INC": 3})) == "ACME INC"
