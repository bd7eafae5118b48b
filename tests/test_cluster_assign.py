"""The assignment: average link with a veto, no chaining, constraints, order independence."""

from __future__ import annotations

import random

from namecleaner.cluster.assign import Constraints, Thresholds, assign, sort_edges
from namecleaner.cluster.features import build_units
from namecleaner.cluster.score import ScoreModel

RULE = Thresholds(merge=0.75, veto=0.45)


def _units(keys: list[str]):
    units = build_units(keys, keys)
    return units, ScoreModel.from_units(units)


def test_no_chaining_through_a_bridge() -> None:
    units, model = _units(["norvatek", "norvatek hydrosys", "hydrosys"])
    index = units.index
    a, bridge, c = index["norvatek"], index["norvatek hydrosys"], index["hydrosys"]
    edges = [(a, bridge, 0.9), (bridge, c, 0.9)]
    result = assign(units, model, edges, RULE)
    together = result.cluster_of()
    assert together[a] != together[c]
    assert together[bridge] in (together[a], together[c])
    refused = [d for d in result.decisions if not d.accepted]
    assert refused and "veto" in refused[0].reason


def test_edges_in_any_order_give_the_same_clusters() -> None:
    keys = ["acme", "acme tool", "acme tools", "zeta", "zeta one"]
    units, model = _units(keys)
    edges = [(0, 1, 0.8), (1, 2, 0.95), (0, 2, 0.78), (3, 4, 0.76)]
    shuffled = edges[:]
    random.Random(3).shuffle(shuffled)
    assert list(sort_edges(edges)) == list(sort_edges([(b, a, s) for a, b, s in shuffled]))
    assert assign(units, model, edges, RULE).clusters == assign(units, model, shuffled, RULE).clusters


def test_cannot_link_and_must_link() -> None:
    units, model = _units(["acme", "acme co", "zeta"])
    edges = [(0, 1, 0.99)]
    apart = assign(units, model, edges, RULE, Constraints(cannot_link=[(0, 1)]))
    assert [0] in apart.clusters and [1] in apart.clusters
    joined = assign(units, model, [], RULE, Constraints(must_link=[(0, 2)]))
    assert [0, 2] in joined.clusters


def test_existing_clusters_never_merge_with_each_other() -> None:
    units, model = _units(["acme", "acme co"])
    result = assign(units, model, [(0, 1, 0.99)], RULE, Constraints(fixed={0: "NC1", 1: "NC2"}))
    assert result.clusters == [[0], [1]]
    assert "existing clusters" in result.decisions[0].reason
