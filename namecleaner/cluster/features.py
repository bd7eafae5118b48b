"""Step 1 of clustering (a map): the distinct match keys and the features of each.

Clustering works over *units*: the distinct match keys of the cleaned names. Every name with
the same key is the same unit, so a file of millions of rows clusters as its distinct keys.
A unit keeps its words, its legal-form class (the most frequent one among its names), its
name type, the number of mentions and the display variants that led to it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

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


def _most_common(values: Counter[str]) -> str | None:
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
    class_votes: dict[str, Counter[str]] = {}
    type_votes: dict[str, Counter[str]] = {}
    for key, name, count, form_class, kind in zip(keys, names, counts, classes, types):
        if not isinstance(key, str) or not key:
            continue
        variants.setdefault(key, Counter())[name if isinstance(name, str) else key] += int(count)
        if isinstance(form_class, str) and form_class:
            class_votes.setdefault(key, Counter())[form_class] += int(count)
        if isinstance(kind, str) and kind:
            type_votes.setdefault(key, Counter())[kind] += int(count)
    ordered = sorted(variants)
    return Units(
        keys=ordered,
        words=[tuple(key.split()) for key in ordered],
        legal_form_class=[_most_common(class_votes.get(key, Counter())) for key in ordered],
        name_type=[_most_common(type_votes.get(key, Counter())) for key in ordered],
        mentions=[sum(variants[key].values()) for key in ordered],
        variants=[variants[key] for key in ordered],
    )


def units_from_frame(frame: pd.DataFrame, counts: pd.Series | None = None) -> Units:
    """Units from a cleaned frame (the output of :func:`namecleaner.batch.clean`).

    The display name is ``name_clean`` when present, else ``original``; ``counts`` gives the
    mentions of each row (default 1).
    """
    if KEY_COLUMN not in frame.columns:
        raise ValueError(f"the frame has no '{KEY_COLUMN}' column; clean with the match_key stage first")
    name_column = next((c for c in NAME_COLUMNS if c in frame.columns), KEY_COLUMN)

    def column(name: str) -> list | None:
        return frame[name].astype(object).where(frame[name].notna(), None).tolist() if name in frame.columns else None

    return build_units(
        column(KEY_COLUMN),
        column(name_column),
        None if counts is None else [int(c) for c in counts],
        column("legal_form_class"),
        column("name_type"),
    )
