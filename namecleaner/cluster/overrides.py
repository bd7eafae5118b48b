"""Human decisions applied on every clustering run: must-link, cannot-link, pinned names.

The overrides file is a TSV with a header ``action, name, other`` (``# key: value`` lines
at the top are allowed and ignored), one decision per line:

=============  ====================  ======================================
action         name                  other
=============  ====================  ======================================
must_link      ABC Co. Ltd.          ABC Holdings (one applicant)
cannot_link    ABC Co. Ltd.          ABC America Inc. (two applicants)
pin            ABC Co. Ltd.          ABC Company Limited (the cluster name)
=============  ====================  ======================================

Names are written as they appear in the data; they are cleaned to match keys with the same
pipeline as the data, so a decision keeps applying to every spelling with that key, run after
run. Decisions about names absent from a run are kept and simply have nothing to act on.

Contradictions are refused with their lines (:func:`resolve_keys`): a ``cannot_link`` between
names that ``must_link`` lines join, directly or through a chain, or that clean to one key; two
different pins for names that must be one cluster; a ``must_link`` joining two clusters of an
authority file (merge them in the authority file instead). Two names pinned to different
cluster names are different applicants: they are never merged (the pins act as a cannot-link).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from namecleaner.cluster.assign import Constraints
from namecleaner.errors import DataFileError
from namecleaner.resources import read_data_text, read_tsv_table

ACTIONS = ("must_link", "cannot_link", "pin")


@dataclass(frozen=True)
class Overrides:
    """The decisions, by name as written."""

    must_link: tuple[tuple[str, str], ...] = ()
    cannot_link: tuple[tuple[str, str], ...] = ()
    pins: tuple[tuple[str, str], ...] = ()
    #: the file and the line of each decision, (action, name, other) -> line, for messages
    source: str = ""
    lines: Mapping[tuple[str, str, str], int] = field(default_factory=dict, compare=False)

    def names(self) -> list[str]:
        """Every name the decisions mention (to be cleaned to keys)."""
        pairs = self.must_link + self.cannot_link
        return sorted({n for pair in pairs for n in pair} | {name for name, _ in self.pins})

    def constraints(
        self,
        key_of: Mapping[str, str],
        unit_of: Mapping[str, int],
        authority: object = None,
    ) -> Constraints:
        """Constraints on unit numbers; decisions on names absent from this run are left out.

        Units pinned to different cluster names may not merge. With an ``authority``
        (:class:`~namecleaner.cluster.incremental.Authority`), a must-link joining two of its
        clusters is refused with its lines.
        """
        if authority is not None:
            self.check_authority(key_of, authority.id_of_key())  # type: ignore[attr-defined]

        def units(pairs: tuple[tuple[str, str], ...]) -> list[tuple[int, int]]:
            found = []
            for a, b in pairs:
                ua, ub = unit_of.get(key_of.get(a, "")), unit_of.get(key_of.get(b, ""))
                if ua is not None and ub is not None and ua != ub:
                    found.append((ua, ub))
            return found

        by_name: dict[str, set[int]] = defaultdict(set)
        for unit, shown in self.pinned(key_of, unit_of).items():
            by_name[shown].add(unit)
        apart = [
            (a, b) for one, other in combinations(sorted(by_name), 2) for a in by_name[one] for b in by_name[other]
        ]
        return Constraints(must_link=units(self.must_link), cannot_link=units(self.cannot_link) + apart)

    def _line(self, action: str, pair: tuple[str, str]) -> int:
        return self.lines.get((action, *pair), 0)

    def _joined(self, key_of: Mapping[str, str]) -> dict[str, dict[str, list[int]]]:
        """The must-link graph over keys: key -> neighbour key -> lines."""
        graph: dict[str, dict[str, list[int]]] = defaultdict(dict)
        for pair in self.must_link:
            a, b = (key_of.get(n) for n in pair)
            if a and b and a != b:
                graph[a].setdefault(b, []).append(self._line("must_link", pair))
                graph[b].setdefault(a, []).append(self._line("must_link", pair))
        return graph

    @staticmethod
    def _chain(graph: Mapping[str, Mapping[str, list[int]]], start: str, goal: str) -> list[int] | None:
        """The lines of a shortest chain of must-links from one key to another (breadth first), or None."""
        previous: dict[str, tuple[str, int] | None] = {start: None}
        queue = deque([start])
        while queue:
            key = queue.popleft()
            if key == goal:
                lines = []
                while previous[key] is not None:
                    key, line = previous[key]  # type: ignore[misc]
                    lines.append(line)
                return sorted(lines)
            for other, on in sorted(graph.get(key, {}).items()):
                if other not in previous:
                    previous[other] = (key, min(on))
                    queue.append(other)
        return None

    def _components(self, key_of: Mapping[str, str]) -> dict[str, str]:
        """Each key of a must-link to the smallest key of its chain (its component)."""
        graph = self._joined(key_of)
        component: dict[str, str] = {}
        for start in sorted(graph):
            if start in component:
                continue
            seen, stack = {start}, [start]
            while stack:
                for other in graph[stack.pop()]:
                    if other not in seen:
                        seen.add(other)
                        stack.append(other)
            component.update(dict.fromkeys(seen, min(seen)))
        return component

    def check(self, key_of: Mapping[str, str]) -> None:
        """Refuse contradictions among the decisions, naming their lines (see the module doc)."""
        problems = []
        graph = self._joined(key_of)
        for pair in self.cannot_link:
            a, b = (key_of.get(n) for n in pair)
            line = self._line("cannot_link", pair)
            if not a or not b:
                continue
            if a == b:
                problems.append(
                    f"line {line}: cannot_link {pair[0]!r} / {pair[1]!r}: both clean to the key {a!r}, one name"
                )
            elif (chain := self._chain(graph, a, b)) is not None:
                lines = ", ".join(map(str, chain))
                problems.append(
                    f"line {line}: cannot_link {pair[0]!r} / {pair[1]!r} contradicts must_link on line(s) {lines}"
                )
        component = self._components(key_of)
        pins: dict[str, dict[str, int]] = defaultdict(dict)
        for pair in self.pins:
            key = key_of.get(pair[0])
            if key:
                pins[component.get(key, key)].setdefault(pair[1], self._line("pin", pair))
        for shown in pins.values():
            if len(shown) > 1:
                lines = ", ".join(str(line) for line in sorted(shown.values()))
                names = " and ".join(repr(n) for n in sorted(shown))
                problems.append(
                    f"lines {lines}: pins {names} name one cluster (the names share a key or are must-linked); keep one"
                )
        if problems:
            raise DataFileError(self.source or "overrides", problems)

    def check_authority(self, key_of: Mapping[str, str], id_of_key: Mapping[str, str]) -> None:
        """Refuse must-links (or chains of them) that join two clusters of an authority file."""
        component = self._components(key_of)
        ids: dict[str, set[str]] = defaultdict(set)
        for key, root in component.items():
            if key in id_of_key:
                ids[root].add(id_of_key[key])
        problems = []
        for root, found in sorted(ids.items()):
            if len(found) > 1:
                members = {k for k, r in component.items() if r == root}
                lines = sorted(self._line("must_link", p) for p in self.must_link if key_of.get(p[0]) in members)
                problems.append(
                    f"line(s) {', '.join(map(str, lines))}: must_link joins the authority clusters {', '.join(sorted(found))};"
                    " merge them in the authority file instead"
                )
        if problems:
            raise DataFileError(self.source or "overrides", problems)

    def pinned(self, key_of: Mapping[str, str], unit_of: Mapping[str, int]) -> dict[int, str]:
        """Pinned representative name by unit number."""
        return {unit_of[key_of[name]]: shown for name, shown in self.pins if key_of.get(name, "") in unit_of}


def read_overrides(path: str | Path) -> Overrides:
    """Read and check an overrides file; every problem is reported at once with its line."""
    read_data_text(path)  # a missing file, a folder or bytes that are not UTF-8: one problem, with the line
    table = read_tsv_table(path, required_columns=("action", "name", "other"), required_metadata=())
    problems = []
    found: dict[str, list[tuple[str, str]]] = {action: [] for action in ACTIONS}
    lines: dict[tuple[str, str, str], int] = {}
    for row, line in zip(table.rows, table.line_numbers):
        action, name, other = (
            row["action"].strip(),
            row["name"].strip(),
            row["other"].strip(),
        )
        if action not in ACTIONS:
            problems.append(f"line {line}: action '{action}' is not one of {', '.join(ACTIONS)}")
        elif not name or not other:
            problems.append(f"line {line}: '{action}' needs both a name and an other value")
        else:
            found[action].append((name, other))
            lines.setdefault((action, name, other), line)
    if problems:
        raise DataFileError(path, problems)
    return Overrides(
        tuple(found["must_link"]),
        tuple(found["cannot_link"]),
        tuple(found["pin"]),
        str(path),
        lines,
    )


def resolve_keys(overrides: Overrides, make_keys: Callable[[list[str]], list[str | None]]) -> dict[str, str]:
    """Match key of every name the decisions mention, cleaned by ``make_keys``; contradictions are refused."""
    names = overrides.names()
    key_of = {name: key for name, key in zip(names, make_keys(names)) if key}
    overrides.check(key_of)
    return key_of
