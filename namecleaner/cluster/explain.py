"""Why are two names together or apart: keys, glossary hits, pair score and the merge decisions.

:func:`explain` cleans both names (with optional context names, e.g. the file they come
from, so that word weights and clusters are those of the real run), clusters them, and
describes: each name's match key and the glossary words that shaped it; the direct pair
score with its features; and then either the chain of merges that joined the two clusters,
or what kept them apart (a score under the threshold, a veto, a cannot-link decision).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from namecleaner.batch import clean
from namecleaner.cluster import DEFAULT_STRICTNESS, ClusterResult, cluster_frame
from namecleaner.cluster.assign import Decision
from namecleaner.cluster.features import KEY_COLUMN
from namecleaner.cluster.overrides import Overrides, resolve_keys
from namecleaner.cluster.score import score_units
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
    while came.get(unit) is not None:
        decision = came[unit]
        path.append(decision)
        unit = decision.left if decision.right == unit else decision.right
    return path[::-1]


def explain(
    left: str,
    right: str,
    *,
    context: Sequence[str] = (),
    office: str | None = None,
    strictness: float = DEFAULT_STRICTNESS,
    overrides: Overrides | None = None,
) -> list[str]:
    """Lines explaining whether and why two names cluster together.

    >>> lines = explain("Motorola Inc.", "MOTOROLA INC", context=["Motorola Solutions", "Acme"])
    >>> lines[-1]
    'together: same match key'
    """
    names = [left, right, *context]
    frame = clean(names, office)
    override_keys = None
    if overrides is not None:
        override_keys = resolve_keys(overrides, lambda found: clean(found, office)[KEY_COLUMN].tolist())
    result = cluster_frame(frame, strictness=strictness, overrides=overrides, override_keys=override_keys)
    lines = []
    keys = []
    for label, position in (("A", 0), ("B", 1)):
        key = frame[KEY_COLUMN].iloc[position]
        keys.append(key)
        hits = [s.rule for s in parse_steps(frame["steps"].iloc[position]) if s.step == "glossary"]
        lines.append(f"{label}: {names[position]!r} -> match key {key!r}" + (f" (glossary: {', '.join(hits)})" if hits else ""))
    if not keys[0] or not keys[1]:
        return [*lines, "apart: a name has no match key (nothing left to compare)"]
    index = result.units.index
    a, b = index[keys[0]], index[keys[1]]
    rule = result.thresholds
    lines.append(f"rule: merge when the average link reaches {rule.merge} and no member pair scores under {rule.veto}")
    if a == b:
        return [*lines, "together: same match key"]
    pair = score_units(result.model, result.units, a, b)
    lines.append(f"pair: {pair.describe()}")
    together = result.assignment.cluster_of()
    if together[a] == together[b]:
        lines.append("together: joined by these merges")
        for decision in _path(result, a, b):
            lines.append(f"  {result.units.keys[decision.left]!r} + {result.units.keys[decision.right]!r}: "
                         f"edge {decision.score:.3f}, average link {decision.linkage:.3f} ({decision.reason})")
        return lines
    members = {u for u, c in enumerate(together) if c in (together[a], together[b])}
    refused = [d for d in result.assignment.decisions if not d.accepted and d.left in members and d.right in members]
    if refused:
        first = refused[0]
        lines.append(f"apart: the merge proposed by {result.units.keys[first.left]!r} + {result.units.keys[first.right]!r} "
                     f"(edge {first.score:.3f}) was refused: {first.reason}")
    elif pair.score >= rule.merge:
        lines.append("apart: they share no blocking key, so they were never compared")
    else:
        lines.append(f"apart: no pair between their clusters reached the merge threshold {rule.merge}")
    return lines
