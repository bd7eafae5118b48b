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


def _found(keys: list[str], names: list[str]) -> set[tuple[str, str]]:
    units = build_units(keys, names)
    model = ScoreModel.from_units(units)
    pairs = candidates.unit_candidates(units, model)
    return {(units.keys[a], units.keys[b]) for a, b in pairs.tolist()}


def test_a_loanword_meets_its_source_by_sound_only_across_scripts() -> None:
    # スノーピーク is one word, Snow Peak two: no letter 3-gram, word or skeleton of a word in common
    keys, names = ["sunopiku", "snow peak", "sinopec"], ["株式会社スノーピーク", "Snow Peak Inc.", "Sinopec"]
    assert ("snow peak", "sunopiku") in _found(keys, names)
    # the same keys written in Latin script on both sides are not loanwords: no sound pair
    assert ("snow peak", "sunopiku") not in _found(keys, keys)


def test_a_close_sound_joins_only_a_romanised_key_and_a_latin_one() -> None:
    sounds = (["skts", "skt", "skt", "sktr"], candidates.np.array([True, False, False, False]))
    pairs = candidates.np.array([[0, 1], [1, 3], [1, 2]])
    kept = candidates.prefilter(pairs, candidates.np.zeros(3), sounds).tolist()
    assert kept == [True, False, True]  # sokettsu/socket; socket/sockter (both Latin); equal skeletons


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


def test_merge_keeps_each_pair_once_sorted_with_its_best_ranks() -> None:
    import numpy as np

    parts = [
        (np.array([[2, 5], [0, 1]]), np.array([0.5, 0.9]), np.array([[0, 3], [2, 0]])),
        (np.array([[0, 1], [1, 3]]), np.array([0.9, 0.7]), np.array([[1, 5], [0, 0]])),
    ]
    pairs, cosines, ranks = candidates.merge(parts)
    assert pairs.tolist() == [[0, 1], [1, 3], [2, 5]]
    assert (cosines.tolist(), ranks.tolist()) == ([0.9, 0.7, 0.5], [[1, 0], [0, 0], [0, 3]])


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


def test_a_unit_keeps_the_best_of_each_block_first_up_to_the_cap() -> None:
    """Unit 0's second best of one block (0, 2) has a better cosine than its best of another (0, 3):
    the cap of two keeps each block's best; by cosine alone it would keep (0, 1) and (0, 2)."""
    import numpy as np

    pairs = np.array([[0, 1], [0, 2], [0, 3], [1, 4], [1, 5], [2, 4], [2, 5], [3, 4], [3, 5]])
    cosines = np.array([0.9, 0.85, 0.6, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7])
    ranks = np.array([[0, 5], [1, 5], [0, 5]] + [[0, 0]] * 6)
    chosen = candidates.select((pairs, cosines, ranks), 2).tolist()
    assert [0, 3] in chosen and [0, 2] not in chosen
    by_cosine = candidates.select((pairs, cosines, np.zeros_like(ranks)), 2).tolist()
    assert [0, 2] in by_cosine and [0, 3] not in by_cosine


def test_a_pair_found_in_several_blocks_counts_once() -> None:
    keys = ["acme tool", "acme tools", "acme toolz"]
    units = build_units(keys, keys)
    pairs, _, ranks = candidates.block_candidates([[0, 1, 2], [1, 2], [1, 2]], units.keys, candidates.fit_vectors(keys))
    assert pairs.tolist() == [[0, 1], [0, 2], [1, 2]]
    assert ranks[2].tolist() == [0, 0]  # (tools, toolz) is the only pair, so the best, of the two small blocks


def test_the_candidates_of_a_split_of_the_blocks_merged_are_those_of_all_blocks() -> None:
    keys = ["acme tool", "acme tools", "acme toolz", "acme trading", "acme tradings", "beta tool", "beta tools"]
    units = build_units(keys, keys)
    vectors = candidates.fit_vectors(units.keys)
    blocks = [[0, 1, 2, 3, 4], [0, 5, 6], [3, 4], [1, 6]]
    whole = candidates.block_candidates(blocks, units.keys, vectors)
    split = candidates.merge(
        candidates.block_candidates(part, units.keys, vectors) for part in (blocks[:1], blocks[1:])
    )
    assert all(a.tolist() == b.tolist() for a, b in zip(whole, split))
