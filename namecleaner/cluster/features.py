"""Step 1 of clustering (a map): the distinct match keys and the features of each.

Clustering works over *units*: the distinct match keys of the cleaned names. Every name with
the same key is the same unit, so a file of millions of rows clusters as its distinct keys.
A unit keeps its words, its legal-form class (the most frequent one among its names), its
name type, the number of mentions and the display variants that led to it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from namecleaner.text.scripts import dominant_script

#: Columns a cleaned frame needs for clustering; the others are used when present.
KEY_COLUMN = "match_key"
NAME_COLUMNS = ("name_clean", "original")
OPTIONAL_COLUMNS = ("legal_form_class", "name_type")


@dataclass
class Units:
    """The distinct match keys and their features, as parallel lists indexed by unit number.

    Units are numbered in sorted key order, so the numbering depends only on the set of keys.
    """

    keys: list[str]
    words: list[tuple[str, ...]]
    legal_form_class: list[str | None]
    name_type: list[str | None]
    mentions: list[int]
    variants: list[Counter[str]] = field(repr=False)

    def __len__(self) -> int:
        return len(self.keys)

    @cached_property
    def scripts(self) -> list[str | None]:
        """The script (ISO 15924) of each unit's most mentioned variant, for the pair scores."""
        return [dominant_script(_most_common(variants) or "") for variants in self.variants]

    @property
    def index(self) -> dict[str, int]:
        """Unit number by key."""
        return {key: number for number, key in enumerate(self.keys)}


def _most_common(values: Mapping[str, int] | None) -> str | None:
    return min(values.items(), key=lambda item: (-item[1], item[0]))[0] if values else None


def build_units(
    keys: Iterable[str | None],
    names: Iterable[str | None],
    counts: Iterable[int] | None = None,
    legal_form_class: Iterable[str | None] | None = None,
    name_type: Iterable[str | None] | None = None,
) -> Units:
    """Group names by match key into units; rows with an empty key are left out.

    >>> u = build_units(["abc", "abc", "xyz", None], ["ABC Ltd", "ABC LTD", "XYZ", "?"], [3, 1, 1, 1])
    >>> u.keys, u.mentions, u.variants[0].most_common(1)
    (['abc', 'xyz'], [4, 1], [('ABC Ltd', 3)])
    """
    keys = list(keys)
    names = list(names)
    size = len(keys)
    counts = list(counts) if counts is not None else [1] * size
    classes = list(legal_form_class) if legal_form_class is not None else [None] * size
    types = list(name_type) if name_type is not None else [None] * size
    variants: dict[str, Counter[str]] = {}
    # plain dicts for the votes: a Counter per key costs more to make than the counting (100k keys)
    class_votes: dict[str, dict[str, int]] = {}
    type_votes: dict[str, dict[str, int]] = {}
    for key, name, count, form_class, kind in zip(keys, names, counts, classes, types):
        if not isinstance(key, str) or not key:
            continue
        count = int(count)
        found = variants.get(key)
        if found is None:
            found = variants[key] = Counter()
        found[name if isinstance(name, str) else key] += count
        for votes, value in ((class_votes, form_class), (type_votes, kind)):
            if isinstance(value, str) and value:
                tally = votes.setdefault(key, {})
                tally[value] = tally.get(value, 0) + count
    ordered = sorted(variants)
    return Units(
        keys=ordered,
        words=[tuple(key.split()) for key in ordered],
        legal_form_class=[_most_common(class_votes.get(key)) for key in ordered],
        name_type=[_most_common(type_votes.get(key)) for key in ordered],
        mentions=[sum(variants[key].values()) for key in ordered],
        variants=[variants[key] for key in ordered],
    )


@dataclass
class UnitTally:
    """The mentions of each distinct (key, display name, legal-form class, name type) row of cleaned tables.

    The one way units are built: a frame at once (:func:`units_from_frame`), a file chunk by
    chunk (``namecleaner cluster``) or a Dask frame partition by partition, tallies merged
    (:meth:`merge`) then turned into :class:`Units` (:meth:`units`). Rows without a key are
    left out. Any split of the rows, merged, gives the same units.

    >>> frame = pd.DataFrame({"match_key": ["abc", "abc", None], "name_clean": ["ABC Ltd", "ABC LTD", "?"]})
    >>> tally = UnitTally().add(frame.iloc[:1]).merge(UnitTally().add(frame.iloc[1:], counts=pd.Series(["3", "x"])))
    >>> tally.units().mentions, tally.units().variants[0].most_common(1)
    ([4], [('ABC LTD', 3)])
    """

    rows: Counter[tuple[str, str | None, str | None, str | None]] = field(default_factory=Counter)

    def add(
        self,
        frame: pd.DataFrame,
        *,
        key_column: str = KEY_COLUMN,
        name_column: str | None = None,
        class_column: str = "legal_form_class",
        type_column: str = "name_type",
        counts: pd.Series | None = None,
    ) -> UnitTally:
        """Count the rows of ``frame``; ``counts`` gives each row's mentions (not a number: 1), in row order.

        The display name is ``name_column``, else ``name_clean``, else ``original``, else the key.
        """
        if key_column not in frame.columns:
            raise ValueError(f"the frame has no '{key_column}' column; clean with the match_key stage first")
        name_column = name_column or next((c for c in NAME_COLUMNS if c in frame.columns), key_column)
        mentions = (
            [1] * len(frame)
            if counts is None
            else pd.to_numeric(pd.Series(list(counts)), errors="coerce").fillna(1).astype(int)
        )

        def column(name: str) -> list[Any]:
            if name not in frame.columns:
                return [None] * len(frame)
            return frame[name].astype(object).where(frame[name].notna(), None).tolist()

        rows = zip(column(key_column), column(name_column), column(class_column), column(type_column))
        for row, count in zip(rows, mentions):
            if isinstance(row[0], str) and row[0]:
                self.rows[row] += int(count)
        return self

    def merge(self, *others: UnitTally) -> UnitTally:
        """This tally with the rows of others added (a reduce over chunks or partitions)."""
        for other in others:
            self.rows.update(other.rows)
        return self

    @classmethod
    def combined(cls, *tallies: UnitTally) -> UnitTally:
        """A new tally of the rows of ``tallies`` (a picklable reduce step)."""
        return cls().merge(*tallies)

    def units(self) -> Units:
        """The units of the tallied rows."""
        rows = list(self.rows.items())
        return build_units(
            (r[0] for r, _ in rows),
            (r[1] for r, _ in rows),
            (c for _, c in rows),
            (r[2] for r, _ in rows),
            (r[3] for r, _ in rows),
        )


def tally_frame(frame: pd.DataFrame, *, count_column: str | None = None, **columns: Any) -> UnitTally:
    """The tally of one chunk or partition (a picklable function for a map over parts); ``columns`` as in :meth:`UnitTally.add`."""
    return UnitTally().add(frame, counts=frame[count_column] if count_column else None, **columns)


def units_from_frame(frame: pd.DataFrame, counts: pd.Series | None = None) -> Units:
    """Units from a cleaned frame (the output of :func:`namecleaner.batch.clean`).

    The display name is ``name_clean`` when present, else ``original``; ``counts`` gives the
    mentions of each row (default 1).
    """
    return UnitTally().add(frame, counts=counts).units()
