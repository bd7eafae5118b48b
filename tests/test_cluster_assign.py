"""The assignment: average link with a veto, no chaining, constraints, order independence."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pandas as pd

from namecleaner.batch import clean
from namecleaner.cluster import cluster_units, thresholds
from namecleaner.cluster.assign import Constraints, Decision, Thresholds, assign, sort_edges
from namecleaner.cluster.candidates import unit_candidates
from namecleaner.cluster.features import build_units
from namecleaner.cluster.score import ScoreModel, score_edges, score_units

REAL_NAMES = Path(__file__).parent / "fixtures" / "real_names.csv"

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


def _chain(size: int, seed: int = 5) -> list[str]:
    """Names one letter apart from the next (a typo each), all of one generic word: a chain
    from 'aeromaxi pharma' to a name sharing no letter position with it."""
    rng = random.Random(seed)
    word = list("aeromaxi")
    keys = []
    for step in range(size):
        keys.append("".join(word) + " pharma")
        word[step % 8] = rng.choice([c for c in "abcdefghijklmnoprstuvz" if c != word[step % 8]])
    return keys


def test_a_chain_of_similar_names_does_not_collapse() -> None:
    keys = _chain(60)
    units = build_units(keys, keys)
    model = ScoreModel.from_units(units)
    rule = thresholds()
    index = units.index
    links = [score_units(model, units, index[a], index[b]).score for a, b in zip(keys, keys[1:])]
    assert min(links) >= rule.merge  # every step of the chain would join under single link
    result = cluster_units(units, workers=1)
    clusters = result.assignment.clusters
    assert max(len(c) for c in clusters) <= 6
    assert len(clusters) >= 10
    for members in clusters:  # the chain guard: no cluster's weakest link far below the threshold
        weakest = min(
            (score_units(model, units, a, b).score for a in members for b in members if a < b),
            default=1.0,
        )
        assert weakest >= rule.veto


def test_core_pairs_scored_ahead_give_the_decisions_of_one_edge_at_a_time(monkeypatch) -> None:
    frame = clean(pd.read_csv(REAL_NAMES, dtype=str, keep_default_na=False)["name"].tolist())
    units = build_units(frame["match_key"].tolist(), frame["original"].tolist())
    model = ScoreModel.from_units(units)
    rule = thresholds()
    edges = list(score_edges(model, units, unit_candidates(units, model), rule.veto))

    def decided() -> tuple[list[list[int]], list[Decision]]:
        result = assign(units, ScoreModel.from_units(units), edges, rule)
        return result.clusters, result.decisions

    ahead = decided()
    # the module, which the package's assign function shadows as an attribute
    monkeypatch.setattr(
        sys.modules["namecleaner.cluster.assign"], "LOOKAHEAD", 1
    )  # each edge's core pairs scored when it is decided
    assert decided() == ahead
    assert sum(len(members) > 2 for members in ahead[0]) >= 10  # clusters whose merges needed core pairs
