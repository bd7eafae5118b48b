"""Step 4 of clustering: a deterministic global assignment from the scored edges.

Single-link components over a threshold chain: A~B and B~C put A and C together however
far apart they are. Here clusters grow by *average link with a veto*: edges are taken best
first (sorted by score, then unit numbers, so the result never depends on the order the
edges arrived in), and two clusters merge only when

* the average score between their core members reaches the threshold,
* no pair between their cores scores below the veto (hard evidence against),
* no cannot-link decision separates them, and they do not carry two different authority ids.

A cluster's core is its :data:`CORE_SIZE` most mentioned members; pairs not among the
candidate edges are scored on demand. Must-link decisions are merged first, whatever the
scores. Every merge and every refused merge above the threshold is logged for explanations.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np

from namecleaner.cluster.features import Units
from namecleaner.cluster.score import ScoreModel, score_units

#: Members of a cluster compared when it merges.
CORE_SIZE = 6


@dataclass(frozen=True)
class Thresholds:
    """The merge rule: average-link threshold and the veto floor."""

    merge: float
    veto: float


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


def sort_edges(edges: Iterable[tuple[int, int, float]]) -> Iterator[tuple[int, int, float]]:
    """Edges best first; ties by unit numbers, so any arrival order gives the same order.

    >>> list(sort_edges([(3, 1, 0.8), (0, 2, 0.9), (1, 0, 0.8)]))
    [(0, 2, 0.9), (0, 1, 0.8), (1, 3, 0.8)]
    """
    table = np.asarray(list(edges), dtype=np.float64).reshape(-1, 3)
    low = np.minimum(table[:, 0], table[:, 1]).astype(np.int64)
    high = np.maximum(table[:, 0], table[:, 1]).astype(np.int64)
    scores = table[:, 2]
    del table
    for index in np.lexsort((high, low, -scores)):
        yield int(low[index]), int(high[index]), float(scores[index])


class _State:
    def __init__(self, units: Units, model: ScoreModel, constraints: Constraints) -> None:
        self.units = units
        self.model = model
        self.root = list(range(len(units)))
        self.members: dict[int, list[int]] = {u: [u] for u in range(len(units))}
        self.forbidden: dict[int, set[int]] = {}
        for a, b in constraints.cannot_link:
            self.forbidden.setdefault(a, set()).add(b)
            self.forbidden.setdefault(b, set()).add(a)
        self.fixed: dict[int, str] = {}
        for unit, cluster_id in constraints.fixed.items():
            self.fixed[unit] = cluster_id
        self.scores: dict[tuple[int, int], float] = {}
        self.cores: dict[int, list[int]] = {u: [u] for u in range(len(units))}

    def find(self, unit: int) -> int:
        root = self.root[unit]
        while root != self.root[root]:
            self.root[root] = self.root[self.root[root]]
            root = self.root[root]
        self.root[unit] = root
        return root

    def score(self, a: int, b: int) -> float:
        pair = (a, b) if a < b else (b, a)
        value = self.scores.get(pair)
        if value is None:
            value = score_units(self.model, self.units, *pair).score
            self.scores[pair] = value
        return value

    def core(self, root: int) -> list[int]:
        core = self.cores.get(root)
        if core is None:
            mentions = self.units.mentions
            core = sorted(self.members[root], key=lambda u: (-mentions[u], u))[:CORE_SIZE]
            self.cores[root] = core
        return core

    def blocked(self, a: int, b: int) -> str:
        """Why two clusters may not merge whatever their scores, or ''."""
        fixed_a, fixed_b = self.fixed.get(a), self.fixed.get(b)
        if fixed_a and fixed_b and fixed_a != fixed_b:
            return f"both are existing clusters ({fixed_a}, {fixed_b})"
        if a in self.forbidden and self.forbidden[a] & set(self.members[b]):
            return "cannot-link decision"
        return ""

    def union(self, a: int, b: int) -> None:
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        self.root[b] = a
        self.members[a].extend(self.members.pop(b))
        self.cores.pop(a, None)
        self.cores.pop(b, None)
        moved = self.forbidden.pop(b, set())
        if moved or a in self.forbidden:
            self.forbidden[a] = self.forbidden.get(a, set()) | moved
        if b in self.fixed:
            self.fixed[a] = self.fixed.pop(b)


def assign(
    units: Units,
    model: ScoreModel,
    edges: Iterable[tuple[int, int, float]],
    thresholds: Thresholds,
    constraints: Constraints | None = None,
    *,
    initial: Iterable[list[int]] = (),
) -> Assignment:
    """Cluster the units from scored edges (deterministic, order-independent).

    ``initial`` are groups that start together (existing clusters in incremental mode).
    """
    constraints = constraints or Constraints()
    state = _State(units, model, constraints)
    for group in initial:
        for unit in group[1:]:
            a, b = state.find(group[0]), state.find(unit)
            if a != b:
                state.union(a, b)
    decisions: list[Decision] = []
    for left, right in sorted((min(a, b), max(a, b)) for a, b in constraints.must_link):
        a, b = state.find(left), state.find(right)
        if a != b:
            state.union(a, b)
            decisions.append(Decision(left, right, 1.0, 1.0, 1.0, True, "must-link decision"))
    for left, right, edge_score in sort_edges(edges):
        if edge_score < thresholds.merge:
            break
        a, b = state.find(left), state.find(right)
        if a == b:
            continue
        reason = state.blocked(a, b) or state.blocked(b, a)
        if reason:
            decisions.append(Decision(left, right, edge_score, 0.0, 0.0, False, reason))
            continue
        edge = {(left, right), (right, left)}
        cross = [edge_score if (x, y) in edge else state.score(x, y) for x in state.core(a) for y in state.core(b)]
        linkage, weakest = sum(cross) / len(cross), min(cross)
        if weakest < thresholds.veto:
            decisions.append(Decision(left, right, edge_score, linkage, weakest, False, f"a member pair scores {weakest:.3f} < veto {thresholds.veto}"))
        elif linkage < thresholds.merge:
            decisions.append(Decision(left, right, edge_score, linkage, weakest, False, f"average link {linkage:.3f} < {thresholds.merge}"))
        else:
            state.union(a, b)
            decisions.append(Decision(left, right, edge_score, linkage, weakest, True, "average link"))
    clusters = sorted(sorted(members) for members in state.members.values())
    return Assignment(clusters, decisions)
