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
    pairs = candidates.prefilter(candidates.candidate_pairs(candidates.iter_blocks(candidates.blocks(units, model)), vectors), vectors)
    found = {(units.keys[a], units.keys[b]) for a, b in pairs.tolist()}
    assert found == {("motorla", "motorola")}


def test_large_blocks_give_top_k_neighbours_only(monkeypatch) -> None:
    monkeypatch.setattr(candidates, "ALL_PAIRS_BLOCK", 3)
    keys = [f"acme {w}" for w in ("alpha", "alphas", "beta", "betas", "gamma", "gammas")]
    vectors = candidates.fit_vectors(keys)
    pairs = candidates.block_pairs(list(range(len(keys))), vectors)
    assert len(pairs) < len(keys) * (len(keys) - 1) // 2
    assert [0, 1] in pairs.tolist() and [2, 3] in pairs.tolist()


def test_no_pairs_from_singletons_or_oversized_blocks(monkeypatch) -> None:
    vectors = candidates.fit_vectors(["a", "b", "c"])
    assert len(candidates.block_pairs([0], vectors)) == 0
    monkeypatch.setattr(candidates, "MAX_BLOCK", 2)
    assert len(candidates.block_pairs([0, 1, 2], vectors)) == 0
