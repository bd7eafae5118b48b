"""Step 4 of clustering: a deterministic global assignment from the scored edges.

Single-link components over a threshold chain: A~B and B~C put A and C together however
far apart they are. Here clusters grow by *average link with a veto*: edges are taken best
first (sorted by score, then unit numbers, so the result never depends on the order the
edges arrived in), and two clusters merge only when

* the average score between their core members reaches the threshold,
* no pair between their cores scores below the veto (hard evidence against),
* no cannot-link decision separates them, and they do not carry two different authority ids.

A cluster's core is its :data:`CORE_SIZE` most mentioned members; pairs among the edges
keep their score, others are scored on demand, those the next
:data:`LOOKAHEAD` edges need together. Must-link decisions are merged first,
whatever the scores. Every merge and every refused merge above the threshold is logged for
explanations.

Clusters only ever grow along edges at the threshold, must-links and initial groups, so
the units split into independent parts (connected components of those links) that are
assigned separately, in parallel processes when there are many edges; the result is the
same as one pass over all edges.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from namecleaner.cluster.features import Units
from namecleaner.cluster.model import logit, sigmoid
from namecleaner.cluster.score import ScoreModel, unit_scores
from namecleaner.workers import can_fork, collector_paused, pool_map

#: Members of a cluster compared when it merges. Three did as well as six on every dev set
#: (``benchmarks/bench_cluster_quality.py``) with a quarter of the pair scores.
CORE_SIZE = 3
#: The chain guard: no member pair between two merging cores may have a log-odds more than
#: this far below the threshold's (at a threshold of 0.5, a pair under 0.18 vetoes the merge).
CHAIN_GAP = 1.5
#: Edges at the threshold from which parts are assigned in parallel processes.
_PARALLEL_EDGES = 10_000
#: Edges whose unknown core pairs are scored together before they are decided one by one: a
#: feature matrix costs mostly per call, and a merge needs a pair or two.
LOOKAHEAD = 256


@dataclass(frozen=True)
class Thresholds:
    """The merge rule: average-link threshold and the veto floor (match probabilities)."""

    merge: float
    veto: float

    @classmethod
    def at(cls, probability: float) -> Thresholds:
        """The rule at a match-probability threshold: the veto floor sits :data:`CHAIN_GAP`
        log-odds below it, so a cluster's weakest link cannot fall far below the threshold.

        >>> Thresholds.at(0.5)
        Thresholds(merge=0.5, veto=0.1824)
        """
        return cls(merge=probability, veto=round(sigmoid(logit(probability) - CHAIN_GAP), 4))


@dataclass(frozen=True)
class Decision:
    """One merge taken or refused: the edge that proposed it and what decided."""

    left: int
    right: int
    score: float
    linkage: float
    weakest: float
    accepted: bool
    reason: str


@dataclass
class Constraints:
    """Human and authority decisions the assignment must respect."""

    must_link: list[tuple[int, int]] = field(default_factory=list)
    cannot_link: list[tuple[int, int]] = field(default_factory=list)
    #: unit number → authority cluster id (incremental mode)
    fixed: Mapping[int, str] = field(default_factory=dict)


@dataclass
class Assignment:
    """The clusters (lists of unit numbers, each sorted) and the decisions taken."""

    clusters: list[list[int]]
    decisions: list[Decision]

    def cluster_of(self) -> list[int]:
        """Cluster number of each unit."""
        size = sum(len(c) for c in self.clusters)
        out = [0] * size
        for number, members in enumerate(self.clusters):
            for unit in members:
                out[unit] = number
        return out


def _edge_table(
    edges: Iterable[tuple[int, int, float]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(low, high, score) arrays of the edges, best first; ties by unit numbers."""
    table = np.asarray(edges if isinstance(edges, (list, tuple)) else list(edges), dtype=np.float64).reshape(-1, 3)
    low = np.minimum(table[:, 0], table[:, 1]).astype(np.int64)
    high = np.maximum(table[:, 0], table[:, 1]).astype(np.int64)
    scores = table[:, 2].copy()
    del table
    order = np.lexsort((high, low, -scores))
    return low[order], high[order], scores[order]


def sort_edges(
    edges: Iterable[tuple[int, int, float]],
) -> Iterator[tuple[int, int, float]]:
    """Edges best first; ties by unit numbers, so any arrival order gives the same order.

    >>> list(sort_edges([(3, 1, 0.8), (0, 2, 0.9), (1, 0, 0.8)]))
    [(0, 2, 0.9), (0, 1, 0.8), (1, 3, 0.8)]
    """
    low, high, scores = _edge_table(edges)
    yield from zip(low.tolist(), high.tolist(), scores.tolist())


class _State:
    """Union-find over the units of some parts, with members, cores and known pair scores."""

    def __init__(
        self,
        units: Units,
        model: ScoreModel,
        constraints: Constraints,
        known: dict[int, float],
    ) -> None:
        self.units = units
        self.model = model
        self.size = len(units)
        self.root: dict[int, int] = {}
        self.members: dict[int, list[int]] = {}
        self.cores: dict[int, list[int]] = {}
        self.forbidden: dict[int, set[int]] = {}
        for a, b in constraints.cannot_link:
            self.forbidden.setdefault(a, set()).add(b)
            self.forbidden.setdefault(b, set()).add(a)
        self.fixed: dict[int, str] = dict(constraints.fixed)
        #: pair score by low * size + high: the edges', then those scored on demand
        self.scores = known

    def find(self, unit: int) -> int:
        root = self.root.get(unit, unit)
        if root == unit:
            return unit
        path = [unit]
        while (parent := self.root.get(root, root)) != root:
            path.append(root)
            root = parent
        for node in path:
            self.root[node] = root
        return root

    def code(self, a: int, b: int) -> int:
        return a * self.size + b if a < b else b * self.size + a

    def unknown(self, a: int, b: int, edge: tuple[int, int]) -> list[int]:
        """The pairs between the cores of two clusters joined by an edge that have no score yet."""
        joined = self.code(*edge)
        return [
            code
            for x in self.core(a)
            for y in self.core(b)
            if (code := self.code(x, y)) != joined and code not in self.scores
        ]

    def score(self, codes: list[int]) -> None:
        """Score some pairs together (:func:`unit_scores`) and remember them."""
        if codes:
            self.scores.update(zip(codes, unit_scores(self.model, self.units, [divmod(c, self.size) for c in codes])))

    def prefetch(self, low: list[int], high: list[int]) -> None:
        """Score together the unknown core pairs that some edges need with the clusters as they
        are: a merge among those edges may change a core, whose new pairs are scored when decided."""
        unknown: dict[int, None] = {}
        for left, right in zip(low, high):
            a, b = self.find(left), self.find(right)
            if a != b:
                unknown.update(dict.fromkeys(self.unknown(a, b, (left, right))))
        self.score(list(unknown))

    def cross(self, a: int, b: int, edge: tuple[int, int, float]) -> list[float]:
        """The scores of the core members of two clusters joined by an edge, pair by pair: the
        edge's own, the known ones, and the others scored together."""
        self.score(self.unknown(a, b, (edge[0], edge[1])))
        joined = self.code(edge[0], edge[1])
        codes = [self.code(x, y) for x in self.core(a) for y in self.core(b)]
        return [edge[2] if code == joined else self.scores[code] for code in codes]

    def core(self, root: int) -> list[int]:
        return self.cores.get(root) or [root]

    def blocked(self, a: int, b: int) -> str:
        """Why two clusters may not merge whatever their scores, or ''."""
        fixed_a, fixed_b = self.fixed.get(a), self.fixed.get(b)
        if fixed_a and fixed_b and fixed_a != fixed_b:
            return f"both are existing clusters ({fixed_a}, {fixed_b})"
        if a in self.forbidden and self.forbidden[a] & set(self.members.get(b) or [b]):
            return "cannot-link decision"
        return ""

    def union(self, a: int, b: int) -> None:
        if len(self.members.get(a, ())) < len(self.members.get(b, ())):
            a, b = b, a
        self.root[b] = a
        self.members.setdefault(a, [a]).extend(self.members.pop(b, [b]))
        # the most mentioned members of the union are among the most mentioned of each side
        mentions = self.units.mentions
        self.cores[a] = sorted(self.core(a) + self.cores.pop(b, [b]), key=lambda u: (-mentions[u], u))[:CORE_SIZE]
        moved = self.forbidden.pop(b, set())
        if moved or a in self.forbidden:
            self.forbidden[a] = self.forbidden.get(a, set()) | moved
        if b in self.fixed:
            self.fixed[a] = self.fixed.pop(b)

    def merge_edges(
        self,
        low: list[int],
        high: list[int],
        scores: list[float],
        ranks: list[int],
        rule: Thresholds,
    ) -> Iterator[tuple[int, Decision]]:
        """The decisions on edges at the threshold (best first), with each edge's rank."""
        for number, (left, right, edge_score, rank) in enumerate(zip(low, high, scores, ranks)):
            if number % LOOKAHEAD == 0:
                self.prefetch(low[number : number + LOOKAHEAD], high[number : number + LOOKAHEAD])
            a, b = self.find(left), self.find(right)
            if a == b:
                continue
            reason = self.blocked(a, b) or self.blocked(b, a)
            if reason:
                yield rank, Decision(left, right, edge_score, 0.0, 0.0, False, reason)
                continue
            cross = self.cross(a, b, (left, right, edge_score))
            linkage, weakest = sum(cross) / len(cross), min(cross)
            if weakest < rule.veto:
                refused = f"a member pair scores {weakest:.3f} < veto {rule.veto}"
            elif linkage < rule.merge:
                refused = f"average link {linkage:.3f} < {rule.merge}"
            else:
                refused = ""
                self.union(a, b)
            yield rank, Decision(left, right, edge_score, linkage, weakest, not refused, refused or "average link")


@dataclass
class _Work:
    """What every part's assignment reads: edges sorted best first and the part of each unit."""

    units: Units
    model: ScoreModel
    rule: Thresholds
    constraints: Constraints
    must_link: list[tuple[int, int]]
    initial: list[list[int]]
    low: np.ndarray
    high: np.ndarray
    scores: np.ndarray
    part: np.ndarray
    batch_of_part: np.ndarray


def _parts(work: _Work) -> tuple[np.ndarray, int]:
    """Connected components of the edges at the threshold, the must-links and the initial groups."""
    top = work.scores >= work.rule.merge
    links = [np.stack([work.low[top], work.high[top]], axis=1)]
    links.append(np.asarray(work.must_link, dtype=np.int64).reshape(-1, 2))
    links.extend(
        np.asarray([(group[0], unit) for unit in group[1:]], dtype=np.int64).reshape(-1, 2) for group in work.initial
    )
    pairs = np.concatenate(links)
    size = len(work.units)
    graph = sp.coo_matrix(
        (np.ones(len(pairs), dtype=np.int32), (pairs[:, 0], pairs[:, 1])),
        shape=(size, size),
    )
    count, part = connected_components(graph, directed=False)
    return part, count


@collector_paused()  # decisions, members and scores by the hundred thousand, no reference cycles
def _assign_batch(work: _Work, batch: int) -> tuple[list[tuple[int, int, Decision]], list[list[int]]]:
    """Assign the parts of one batch: keyed decisions ((0, must-link number) or (1, edge rank)) and clusters of two or more."""
    size = len(work.units)
    in_batch = work.batch_of_part == batch
    part_low = work.part[work.low]
    ranks = np.flatnonzero(in_batch[part_low] & (part_low == work.part[work.high]))
    low, high, scores = work.low[ranks], work.high[ranks], work.scores[ranks]
    state = _State(
        work.units,
        work.model,
        work.constraints,
        dict(zip((low * size + high).tolist(), scores.tolist())),
    )
    for group in work.initial:
        if group and in_batch[work.part[group[0]]]:
            for unit in group[1:]:
                a, b = state.find(group[0]), state.find(unit)
                if a != b:
                    state.union(a, b)
    decisions: list[tuple[int, int, Decision]] = []
    for number, (left, right) in enumerate(work.must_link):
        if in_batch[work.part[left]]:
            a, b = state.find(left), state.find(right)
            if a != b:
                state.union(a, b)
                decisions.append(
                    (
                        0,
                        number,
                        Decision(left, right, 1.0, 1.0, 1.0, True, "must-link decision"),
                    )
                )
    top = int(np.searchsorted(-scores, -work.rule.merge, side="right"))
    found = state.merge_edges(
        low[:top].tolist(),
        high[:top].tolist(),
        scores[:top].tolist(),
        ranks[:top].tolist(),
        work.rule,
    )
    decisions.extend((1, rank, decision) for rank, decision in found)
    return decisions, [sorted(members) for members in state.members.values()]


def assign(
    units: Units,
    model: ScoreModel,
    edges: Iterable[tuple[int, int, float]],
    thresholds: Thresholds,
    constraints: Constraints | None = None,
    *,
    initial: Iterable[list[int]] = (),
    workers: int = 1,
) -> Assignment:
    """Cluster the units from scored edges (deterministic, order-independent).

    ``initial`` are groups that start together (existing clusters in incremental mode).
    With ``workers`` > 1 and many edges, batches of parts are assigned in forked processes.
    """
    constraints = constraints or Constraints()
    low, high, scores = _edge_table(edges)
    must_link = sorted((min(a, b), max(a, b)) for a, b in constraints.must_link)
    work = _Work(
        units,
        model,
        thresholds,
        constraints,
        must_link,
        [list(g) for g in initial],
        low,
        high,
        scores,
        np.zeros(0, dtype=np.int64),
        np.zeros(0, dtype=bool),
    )
    work.part, count = _parts(work)
    top = int(np.count_nonzero(scores >= thresholds.merge))
    parallel = workers > 1 and top >= _PARALLEL_EDGES and can_fork()
    batches = workers * 4 if parallel else 1
    # parts to batches, the largest first to the least loaded, for even work
    load = np.bincount(work.part[low[:top]], minlength=count)
    work.batch_of_part = np.zeros(count, dtype=np.int64)
    totals = [0] * batches
    for part in np.argsort(-load, kind="stable")[: np.count_nonzero(load)].tolist():
        lightest = totals.index(min(totals))
        work.batch_of_part[part] = lightest
        totals[lightest] += int(load[part])
    results = pool_map(_assign_batch, work, range(batches), workers)
    keyed = sorted((item for found, _ in results for item in found), key=lambda item: item[:2])
    grouped = {members[0]: members for _, clusters in results for members in clusters}
    covered = np.zeros(len(units), dtype=bool)
    for members in grouped.values():
        covered[members] = True
    # disjoint sorted lists sort by their first member
    clusters = [
        grouped[unit] if unit in grouped else [unit]
        for unit in range(len(units))
        if unit in grouped or not covered[unit]
    ]
    return Assignment(clusters, [decision for _, _, decision in keyed])
