"""Why are two names together or apart: keys, glossary hits, pair score and the merge decisions.

:func:`explain` cleans both names (with optional context names, e.g. the file they come
from, so that word weights and clusters are those of the real run), clusters them, and
describes: each name's match key and the glossary words that shaped it; the direct pair
score as a waterfall (each feature's contribution to the log-odds, then the probability, or
the veto that decided); and then either the chain of merges that joined the two clusters,
or what kept them apart (a probability under the threshold, a veto, a cannot-link decision).

:func:`explain_cluster` takes one cluster of a clustered file: its weakest internal link and
the merges that join its members, re-scored among them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

import pandas as pd

from namecleaner.batch import clean
from namecleaner.cluster import (
    DEFAULT_STRICTNESS,
    ClusterResult,
    cluster_frame,
    thresholds,
)
from namecleaner.cluster.assign import Decision, assign
from namecleaner.cluster.features import KEY_COLUMN, units_from_frame
from namecleaner.cluster.model import MatchModel
from namecleaner.cluster.overrides import Overrides, resolve_keys
from namecleaner.cluster.score import ScoreModel, score_units
from namecleaner.record import parse_steps


def _path(result: ClusterResult, start: int, goal: int) -> list[Decision]:
    """The accepted merges linking two units (breadth-first over the merge graph)."""
    links: dict[int, list[Decision]] = {}
    for decision in result.assignment.decisions:
        if decision.accepted:
            links.setdefault(decision.left, []).append(decision)
            links.setdefault(decision.right, []).append(decision)
    came: dict[int, Decision | None] = {start: None}
    queue = deque([start])
    while queue:
        unit = queue.popleft()
        if unit == goal:
            break
        for decision in links.get(unit, []):
            other = decision.right if decision.left == unit else decision.left
            if other not in came:
                came[other] = decision
                queue.append(other)
    path: list[Decision] = []
    unit = goal
    while (step := came.get(unit)) is not None:
        path.append(step)
        unit = step.left if step.right == unit else step.right
    return path[::-1]


def explain(
    left: str,
    right: str,
    *,
    context: Sequence[str] = (),
    office: str | None = None,
    strictness: float = DEFAULT_STRICTNESS,
    overrides: Overrides | None = None,
    model: MatchModel | None = None,
    regional_units: str = "apart",
) -> list[str]:
    """Lines explaining whether and why two names cluster together (``model``: a match model
    of one's own, else the shipped one; ``regional_units``: ``ClusterOptions.regional_units``).

    >>> lines = explain("Motorola Inc.", "MOTOROLA INC", context=["Motorola Solutions", "Acme"])
    >>> lines[-1]
    'together: same match key'
    """
    names = [left, right, *context]
    frame = clean(names, office)
    override_keys = None
    if overrides is not None:
        override_keys = resolve_keys(overrides, lambda found: clean(found, office)[KEY_COLUMN].tolist())
    result = cluster_frame(
        frame,
        strictness=strictness,
        overrides=overrides,
        override_keys=override_keys,
        model=model,
        regional_units=regional_units,
    )
    lines = []
    keys = []
    for label, position in (("A", 0), ("B", 1)):
        key = frame[KEY_COLUMN].iloc[position]
        keys.append(key)
        hits = [s.rule for s in parse_steps(frame["steps"].iloc[position]) if s.step in ("glossary", "numbers")]
        lines.append(
            f"{label}: {names[position]!r} -> match key {key!r}" + (f" (glossary: {', '.join(hits)})" if hits else "")
        )
    if not keys[0] or not keys[1]:
        return [*lines, "apart: a name has no match key (nothing left to compare)"]
    index = result.units.index
    a, b = index[keys[0]], index[keys[1]]
    rule = result.thresholds
    lines.append(
        f"rule: merge when the average match probability reaches {rule.merge} and no member pair is under {rule.veto}"
    )
    if a == b:
        return [*lines, "together: same match key"]
    pair = score_units(result.model, result.units, a, b)
    lines.append(f"pair: {pair.describe()}")
    if pair.values:
        lines.extend(f"  {line}" for line in pair.waterfall(result.model.matcher))
    together = result.assignment.cluster_of()
    if together[a] == together[b]:
        lines.append("together: joined by these merges")
        for decision in _path(result, a, b):
            lines.append(
                f"  {result.units.keys[decision.left]!r} + {result.units.keys[decision.right]!r}: "
                f"edge {decision.score:.3f}, average link {decision.linkage:.3f} ({decision.reason})"
            )
        return lines
    members = {u for u, c in enumerate(together) if c in (together[a], together[b])}
    refused = [d for d in result.assignment.decisions if not d.accepted and d.left in members and d.right in members]
    if refused:
        first = refused[0]
        lines.append(
            f"apart: the merge proposed by {result.units.keys[first.left]!r} + {result.units.keys[first.right]!r} "
            f"(edge {first.score:.3f}) was refused: {first.reason}"
        )
    elif pair.score >= rule.merge:
        lines.append("apart: they share no blocking key, so they were never compared")
    else:
        lines.append(f"apart: no pair between their clusters reached the merge threshold {rule.merge}")
    return lines


#: Members of a cluster re-scored pair by pair by :func:`explain_cluster`.
MAX_EXPLAINED_MEMBERS = 200


def explain_cluster(
    frame: pd.DataFrame,
    cluster: str,
    *,
    strictness: float = DEFAULT_STRICTNESS,
    model: MatchModel | None = None,
    regional_units: str = "apart",
) -> list[str]:
    """Lines explaining one cluster of a clustered frame (``match_key`` and ``cluster_id``):
    its members, the weakest link between two of them and the merges that join them,
    every pair of members re-scored with the word weights of the whole frame.

    >>> frame = pd.DataFrame({"match_key": ["motorola", "motorla", "acme"], "cluster_id": ["C1", "C1", "C2"]})
    >>> explain_cluster(frame, "C1")[0]
    "cluster C1: 2 match keys: 'motorla', 'motorola'"
    """
    for column in (KEY_COLUMN, "cluster_id"):
        if column not in frame.columns:
            raise ValueError(f"the file has no '{column}' column; give a file written by 'namecleaner cluster'")
    units = units_from_frame(frame)
    words = ScoreModel.from_units(units, model, regional_units)
    keys = sorted(
        {k for k, c in zip(frame[KEY_COLUMN], frame["cluster_id"]) if c == cluster and isinstance(k, str) and k}
    )
    if not keys:
        raise ValueError(f"no cluster '{cluster}' in the file")
    shown = ", ".join(repr(k) for k in keys[:12]) + (f" … ({len(keys) - 12} more)" if len(keys) > 12 else "")
    lines = [f"cluster {cluster}: {len(keys)} match keys: {shown}"]
    if len(keys) == 1:
        return [*lines, "one match key: nothing to link"]
    if len(keys) > MAX_EXPLAINED_MEMBERS:
        return [
            *lines,
            f"more than {MAX_EXPLAINED_MEMBERS} match keys: too many to re-score pair by pair",
        ]
    index = units.index
    members = [index[k] for k in keys]
    edges = [(a, b, score_units(words, units, a, b).score) for i, a in enumerate(members) for b in members[i + 1 :]]
    weakest = min(edges, key=lambda e: (e[2], e[0], e[1]))
    rule = thresholds(strictness)
    lines.append(
        f"weakest link: {units.keys[weakest[0]]!r} + {units.keys[weakest[1]]!r}: "
        f"{score_units(words, units, weakest[0], weakest[1]).describe()} (threshold {rule.merge}, veto under {rule.veto})"
    )
    decisions = assign(units, words, edges, rule).decisions
    lines.append("joined by these merges (best first):")
    lines.extend(
        f"  {units.keys[d.left]!r} + {units.keys[d.right]!r}: probability {d.score:.3f}, average link {d.linkage:.3f}"
        + ("" if d.accepted else f" (refused now: {d.reason})")
        for d in decisions
    )
    return lines
