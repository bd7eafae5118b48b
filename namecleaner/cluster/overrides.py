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
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from namecleaner.cluster.assign import Constraints
from namecleaner.errors import DataFileError
from namecleaner.resources import read_tsv_table

ACTIONS = ("must_link", "cannot_link", "pin")


@dataclass(frozen=True)
class Overrides:
    """The decisions, by name as written."""

    must_link: tuple[tuple[str, str], ...] = ()
    cannot_link: tuple[tuple[str, str], ...] = ()
    pins: tuple[tuple[str, str], ...] = ()

    def names(self) -> list[str]:
        """Every name the decisions mention (to be cleaned to keys)."""
        pairs = self.must_link + self.cannot_link
        return sorted({n for pair in pairs for n in pair} | {name for name, _ in self.pins})

    def constraints(self, key_of: Mapping[str, str], unit_of: Mapping[str, int]) -> Constraints:
        """Constraints on unit numbers; decisions on names absent from this run are left out."""

        def units(pairs: tuple[tuple[str, str], ...]) -> list[tuple[int, int]]:
            found = []
            for a, b in pairs:
                ua, ub = unit_of.get(key_of.get(a, "")), unit_of.get(key_of.get(b, ""))
                if ua is not None and ub is not None and ua != ub:
                    found.append((ua, ub))
            return found

        return Constraints(must_link=units(self.must_link), cannot_link=units(self.cannot_link))

    def pinned(self, key_of: Mapping[str, str], unit_of: Mapping[str, int]) -> dict[int, str]:
        """Pinned representative name by unit number."""
        return {unit_of[key_of[name]]: shown for name, shown in self.pins if key_of.get(name, "") in unit_of}


def read_overrides(path: str | Path) -> Overrides:
    """Read and check an overrides file; every problem is reported at once with its line."""
    table = read_tsv_table(path, required_columns=("action", "name", "other"), required_metadata=())
    problems = []
    found: dict[str, list[tuple[str, str]]] = {action: [] for action in ACTIONS}
    for row, line in zip(table.rows, table.line_numbers):
        action, name, other = row["action"].strip(), row["name"].strip(), row["other"].strip()
        if action not in ACTIONS:
            problems.append(f"line {line}: action '{action}' is not one of {', '.join(ACTIONS)}")
        elif not name or not other:
            problems.append(f"line {line}: '{action}' needs both a name and an other value")
        else:
            found[action].append((name, other))
    if problems:
        raise DataFileError(path, problems)
    return Overrides(tuple(found["must_link"]), tuple(found["cannot_link"]), tuple(found["pin"]))


def resolve_keys(overrides: Overrides, make_keys: Callable[[list[str]], list[str | None]]) -> dict[str, str]:
    """Match key of every name the decisions mention, cleaned by ``make_keys``."""
    names = overrides.names()
    return {name: key for name, key in zip(names, make_keys(names)) if key}
