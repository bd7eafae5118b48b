"""Clustering quality on the labelled dev sets: leave-one-dataset-out, in-sample and the peers in one run.

The headline is **leave-one-dataset-out** (LOO): each dev set is clustered with the match
model fitted on the *other* sets (``tools/fit_cluster_model.py``'s fit), at the shipped
model's threshold for the set's regional-units convention (:data:`REGIONAL_UNITS`), so no
figure comes from a model that saw the set. Beside it: in-sample
(the shipped ``data/cluster/model.tsv``, fitted on every set), the hand-set scorer the model replaced
(``hand_scorer.py``: "hand LOO" at the strictness best on the other sets, "hand in-sample" at its best single
strictness over all six) and the peers, string_grouper
(TF-IDF + cosine, default settings) and cleanco + rapidfuzz (cleanco's base name, then names
whose bases reach a token-sort ratio of 90 joined). Both peers are benchmark-only
dependencies (the ``bench`` extra); a peer that is not installed is reported as such.

Scores are pairwise and B-cubed precision, recall and F1 over distinct names, plus
mention-weighted versions where the set has mention counts (NBER).

    python benchmarks/bench_cluster_quality.py [--strictness P] [--sets nber,edinet,...] [--methods ...] [--audit] [--cache DIR]

``--audit`` also checks the gold itself: names with one match key (the same name once
cleaned) under two or more gold labels, and our scores against the gold with those labels
joined. Such labels are mostly typos in the label (LANG MEKRA NORTH AMICICA) or a split no
name can show (FORD MOTOR CO / FORD MOTOR CORP, both "Ford Motor Company"); the headline
figures stay those against the gold as published.

EDINET names are cleaned with the JP office profile and OpenDART names with KR (the feeds
they come from). Skips cleanly when ../shared/data is absent."""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

from shared_data import read_rows, require_shared_data  # noqa: E402

Dataset = tuple[list[str], list[str], list[int]]  # distinct names, gold label, mentions


def _distinct(rows: Sequence[tuple[str, str, int]]) -> Dataset:
    seen: dict[str, tuple[str, int]] = {}
    for name, gold, count in rows:
        name = name.strip()
        if name:
            label, total = seen.get(name, (gold, 0))
            seen[name] = (label, total + count)
    names = list(seen)
    return names, [seen[n][0] for n in names], [seen[n][1] for n in names]


def load_sets() -> dict[str, Dataset]:
    """The dev sets as distinct names with gold labels and mention counts."""
    sets: dict[str, Dataset] = {}
    nber = read_rows("eval/patentsview/assignee/nber-subset-assignees.dev.csv", ",")
    sets["nber"] = _distinct([(r["organization"], r["unique_id"], int(r["n_mentions"] or 1)) for r in nber])
    edinet = read_rows("eval/multiscript/edinet-japan/edinet_filers_corporate.dev.tsv", "\t")
    sets["edinet"] = _distinct([(r[c], r["edinet_code"], 1) for r in edinet for c in ("name_ja", "name_en") if r[c]])
    dart = read_rows("eval/multiscript/opendart-korea/opendart_listed_corps.dev.tsv", "\t")
    sets["opendart"] = _distinct(
        [(r[c], r["corp_code"], 1) for r in dart for c in ("corp_name_ko", "corp_name_en") if r[c]]
    )
    ofac = read_rows("eval/ofac-sdn-2022/sdn_name_variants.dev.tsv", "\t")
    for kind in ("entity", "individual"):
        sets[f"ofac-{kind}"] = _distinct([(r["name"], r["ent_num"], 1) for r in ofac if r["sdn_type"] == kind])
    fraunhofer = read_rows("eval/assignee-harmonisation/fraunhofer-pharma/organization.tsv", "\t")
    sets["fraunhofer"] = _distinct([(r["name"], r["harmonized_name"], 1) for r in fraunhofer])
    return sets


def _pairs(sizes: Counter) -> float:
    return sum(s * s for s in sizes.values())


def scores(
    predicted: Sequence[object], gold: Sequence[object], weights: Sequence[int] | None = None
) -> dict[str, float]:
    """Pairwise and B-cubed precision/recall/F1 (weighted by mentions when ``weights`` given)."""
    w = list(weights) if weights is not None else [1] * len(gold)
    cell: Counter = Counter()
    pred_size: Counter = Counter()
    gold_size: Counter = Counter()
    sq_cell: Counter = Counter()
    sq_pred: Counter = Counter()
    sq_gold: Counter = Counter()
    for p, g, x in zip(predicted, gold, w):
        cell[(p, g)] += x
        pred_size[p] += x
        gold_size[g] += x
        sq_cell[(p, g)] += x * x
        sq_pred[p] += x * x
        sq_gold[g] += x * x
    tp = (_pairs(cell) - sum(sq_cell.values())) / 2
    pp = (_pairs(pred_size) - sum(sq_pred.values())) / 2
    gp = (_pairs(gold_size) - sum(sq_gold.values())) / 2
    out = {}
    precision = tp / pp if pp else 1.0
    recall = tp / gp if gp else 1.0
    out["pair_p"], out["pair_r"] = precision, recall
    out["pair_f1"] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    total = sum(w)
    b_p = sum(x * cell[(p, g)] / pred_size[p] for p, g, x in zip(predicted, gold, w)) / total
    b_r = sum(x * cell[(p, g)] / gold_size[g] for p, g, x in zip(predicted, gold, w)) / total
    out["b3_p"], out["b3_r"] = b_p, b_r
    out["b3_f1"] = 2 * b_p * b_r / (b_p + b_r) if b_p + b_r else 0.0
    return out


#: Sets whose rows carry mention counts.
MENTION_COUNTS = ("nber",)
#: The office whose feed a set comes from (its profile reads Han as Japanese, Hangul as Korean …).
OFFICES = {"edinet": "JP", "opendart": "KR"}
#: Each source's convention for a regional unit or group member (ClusterOptions.regional_units):
#: the gold of a set follows its owner's rule, which the names cannot show. PatentsView/NBER's
#: disambiguation, EDINET's filer codes and OpenDART's corporation codes name legal entities, so a
#: subsidiary (Motorola Japan) is another applicant; OFAC lists a unit's names as aliases of one
#: entry and the Fraunhofer harmonisation folds units into their group: together.
REGIONAL_UNITS = {
    "nber": "apart",
    "edinet": "apart",
    "opendart": "apart",
    "ofac-entity": "together",
    "ofac-individual": "together",
    "fraunhofer": "together",
}


def string_grouper(names: list[str], counts: list[int], strictness: float, office: str | None) -> list[object]:
    import pandas as pd
    from string_grouper import group_similar_strings

    grouped = group_similar_strings(pd.Series(names))
    column = grouped.iloc[:, 0] if hasattr(grouped, "columns") else grouped
    return column.tolist()


def cleanco_rapidfuzz(names: list[str], counts: list[int], strictness: float, office: str | None) -> list[object]:
    from cleanco import basename
    from rapidfuzz import fuzz, process
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    bases = [basename(n).lower() or n.lower() for n in names]
    distinct = sorted(set(bases))
    matrix = process.cdist(distinct, distinct, scorer=fuzz.token_sort_ratio, score_cutoff=90, workers=-1)
    rows, cols = matrix.nonzero()
    graph = coo_matrix(([1] * len(rows), (rows, cols)), shape=(len(distinct), len(distinct)))
    _, labels = connected_components(graph, directed=False)
    index = {b: labels[i] for i, b in enumerate(distinct)}
    return [index[b] for b in bases]


#: The peers, run on the distinct names of a set.
PEERS: dict[str, Callable[[list[str], list[int], float, str | None], list[object]]] = {
    "string_grouper": string_grouper,
    "cleanco+rapidfuzz": cleanco_rapidfuzz,
}


def joined_gold(keys: Sequence[object], gold: Sequence[str]) -> tuple[list[str], int, int]:
    """The gold with the labels that share a match key joined; also how many keys carry two
    or more labels and how many names those keys have."""
    labels_of: dict[object, set[str]] = defaultdict(set)
    for key, label in zip(keys, gold):
        labels_of[key].add(label)
    shared = {key: sorted(labels) for key, labels in labels_of.items() if len(labels) > 1 and isinstance(key, str)}
    parent: dict[str, str] = {}

    def find(label: str) -> str:
        while parent.get(label, label) != label:
            label = parent[label]
        return label

    for labels in shared.values():
        for label in labels[1:]:
            a, b = find(labels[0]), find(label)
            if a != b:
                parent[b] = a
    return [find(g) for g in gold], len(shared), sum(1 for k in keys if k in shared)


def _row(label: str, method: str, size: int, s: dict[str, float], seconds: float) -> str:
    return (
        f"{label:<22}{method:<32}{size:>6}{s['pair_p']:>8.3f}{s['pair_r']:>8.3f}{s['pair_f1']:>8.3f}"
        f"{s['b3_p']:>7.3f}{s['b3_r']:>7.3f}{s['b3_f1']:>7.3f}{seconds:>7.1f}"
    )


def main() -> None:
    from fit_cluster_model import cluster_figures, fit_on, load_dev_sets, predicted_clusters
    from hand_scorer import STRICTNESS_GRID, best_strictness, hand_figures

    from namecleaner.cluster.score import shipped_model

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--strictness",
        type=float,
        help="match-probability threshold (default: the shipped model's for each set's regional-units convention)",
    )
    parser.add_argument(
        "--sets", default="", help="comma-separated subset of the sets (LOO still fits on all the others)"
    )
    parser.add_argument(
        "--methods",
        default=",".join(["loo", "in-sample", "hand", *PEERS]),
        help="comma-separated subset of loo, in-sample, hand (the old hand-set scorer, LOO and in-sample) and the peers",
    )
    parser.add_argument(
        "--audit",
        action="store_true",
        help="also score in-sample against the gold with labels that share a match key joined",
    )
    parser.add_argument("--cache", type=Path, help="folder keeping the cleaned dev sets between runs")
    args = parser.parse_args()
    require_shared_data()
    devs = load_dev_sets(args.cache)
    sets = load_sets()
    wanted = [s for s in args.sets.split(",") if s] or list(sets)
    methods = args.methods.split(",")
    print(
        f"match-probability threshold {args.strictness or 'per set: that of the shipped model for its regional-units convention'};"
        " 'namecleaner LOO' is fitted on the other five sets"
    )
    print(
        f"{'set':<22}{'method':<32}{'names':>6}{'pair P':>8}{'pair R':>8}{'pair F1':>8}{'B3 P':>7}{'B3 R':>7}{'B3 F1':>7}{'secs':>7}"
    )
    means: dict[str, list[tuple[float, float]]] = defaultdict(list)
    # the hand scorer's strictness is chosen over sets, so each set's figures at every strictness come first
    hand = {dev.name: hand_figures(dev) for dev in devs} if "hand" in methods else {}
    hand_best = best_strictness(list(hand.values())) if hand else STRICTNESS_GRID[0]
    if hand:
        print(f"hand scorer: best single strictness over the six sets {hand_best}")
    for dev in devs:
        if dev.name not in wanted:
            continue
        names, gold, counts = sets[dev.name]
        threshold = args.strictness or shipped_model().threshold_for(REGIONAL_UNITS[dev.name])
        runs: list[tuple[str, Callable[[], dict[str, float]]]] = []
        if "loo" in methods:
            runs.append(
                (
                    f"namecleaner LOO (t={threshold})",
                    lambda dev=dev, t=threshold: cluster_figures(dev, fit_on([d for d in devs if d is not dev]), (t,))[
                        t
                    ],
                )
            )
        if "in-sample" in methods:
            runs.append(
                (
                    f"namecleaner in-sample (t={threshold})",
                    lambda dev=dev, t=threshold: cluster_figures(dev, shipped_model(), (t,))[t],
                )
            )
        if hand:
            held = best_strictness([f for name, f in hand.items() if name != dev.name])
            runs.append((f"hand LOO (s={held})", lambda held=held, dev=dev: hand[dev.name][held]))
            runs.append((f"hand in-sample (s={hand_best})", lambda dev=dev: hand[dev.name][hand_best]))
        office = OFFICES.get(dev.name)
        for peer in (m for m in methods if m in PEERS):
            runs.append(
                (
                    peer,
                    lambda peer=peer, names=names, counts=counts, gold=gold, office=office, t=threshold: scores(
                        PEERS[peer](names, counts, t, office), gold
                    ),
                )
            )
        for method, run in runs:
            started = time.perf_counter()
            try:
                figures = run()
            except ImportError as error:
                print(f"{dev.name:<22}{method:<32} not installed ({error.name}); pip install -e '.[bench]'")
                continue
            means[method.split(" (")[0]].append((figures["pair_f1"], figures["b3_f1"]))
            print(_row(dev.name, method, len(names), figures, time.perf_counter() - started))
        if args.audit and "in-sample" in methods:
            joined, shared, affected = joined_gold(dev.keys, gold)
            print(
                f"{dev.name:<22}audit: {shared} match keys carry 2+ gold labels ({affected} names); '(joined)' scores against the gold with those labels joined"
            )
            print(
                _row(
                    dev.name + " (joined)",
                    "namecleaner in-sample",
                    len(names),
                    scores(predicted_clusters(dev, shipped_model(), threshold), joined),
                    0.0,
                )
            )
    for method, pairs in means.items():
        print(
            f"{'mean':<22}{method:<32}{len(pairs):>6}{'':>16}{sum(p for p, _ in pairs) / len(pairs):>8.3f}{'':>14}{sum(b for _, b in pairs) / len(pairs):>7.3f}"
        )


if __name__ == "__main__":
    main()
