"""Candidate generation: blocking keys, block pairs and the TF-IDF prefilter."""

from __future__ import annotations

from namecleaner.cluster import candidates
from namecleaner.cluster.features import build_units
from namecleaner.cluster.score import ScoreModel


def test_typo_variants_share_a_block_and_unrelated_names_do_not() -> None:
    keys = ["motorola", "motorla", "nokia", "siemens"]
    units = build_units(keys, keys)
    model = ScoreModel.from_units(units)
    vectors = candidates.fit_vectors(units.keys)
    pairs = candidates.candidate_pairs(candidates.iter_blocks(candidates.blocks(units, model)), units.keys, vectors)
    found = {(units.keys[a], units.keys[b]) for a, b in pairs.tolist()}
    assert found == {("motorla", "motorola")}


def test_large_blocks_give_sorted_neighbours_only(monkeypatch) -> None:
    monkeypatch.setattr(candidates, "ALL_PAIRS_BLOCK", 3)
    monkeypatch.setattr(candidates, "WINDOW", 1)
    keys = ["acme alpha", "acme alphas", "acme beta", "acme betas", "acme gamma", "acme gammas"]
    pairs = candidates.block_pairs(list(range(len(keys))), keys).tolist()
    assert [0, 1] in pairs and [2, 3] in pairs and [4, 5] in pairs
    assert [0, 5] not in pairs


def test_no_pairs_from_singletons_or_oversized_blocks(monkeypatch) -> None:
    keys = ["a", "b", "c"]
    assert len(candidates.block_pairs([0], keys)) == 0
    monkeypatch.setattr(candidates, "MAX_BLOCK", 2)
    assert len(candidates.block_pairs([0, 1, 2], keys)) == 0


def test_unique_pairs_keeps_each_pair_once_sorted() -> None:
    import numpy as np

    parts = [np.array([[2, 5], [0, 1]]), np.array([[0, 1], [1, 3]])]
    assert candidates.unique_pairs(parts).tolist() == [[0, 1], [1, 3], [2, 5]]


def test_each_unit_keeps_its_best_neighbours_in_a_block(monkeypatch) -> None:
    monkeypatch.setattr(candidates, "NEIGHBOURS", 1)
    keys = ["acme tool", "acme tools", "acme toolz", "acme trading"]
    units = build_units(keys, keys)
    pairs = candidates.candidate_pairs([list(range(len(keys)))], units.keys, candidates.fit_vectors(units.keys))
    # tools / toolz pass the cosine floor but neither is the other's best neighbour
    assert [(units.keys[a], units.keys[b]) for a, b in pairs.tolist()] == [
        ("acme tool", "acme tools"),
        ("acme tool", "acme toolz"),
    ]
