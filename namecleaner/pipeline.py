"""The pipeline: the ordered stages an office profile configures, run over one name record.

Each stage is a module ``namecleaner.stages.<name>`` with ``NAME``, ``FIELDS`` (the record
fields it fills), ``REQUIRES`` (stages that must run before it) and ``build(options,
profile)``, which returns a callable that fills a :class:`NameRecord` in place.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Protocol

from namecleaner.errors import NameCleanerError
from namecleaner.office import OfficeProfile, load_office
from namecleaner.record import OUTPUT_COLUMNS, NameRecord

#: Every stage, in the order it runs.
STAGES: tuple[str, ...] = ("unicode", "transliterate", "legal_form", "name_type", "match_key")


class Stage(Protocol):
    """A pipeline stage: fills some fields of a record and records its steps."""

    name: str
    fields: tuple[str, ...]

    def __call__(self, record: NameRecord) -> None: ...


def stage_module(name: str) -> ModuleType:
    """The module implementing a stage."""
    if name not in STAGES:
        raise NameCleanerError(f"unknown stage '{name}': the stages are {', '.join(STAGES)}")
    return importlib.import_module(f"namecleaner.stages.{name}")


def _with_requirements(names: Iterable[str]) -> list[str]:
    wanted: set[str] = set()
    pending = list(names)
    while pending:
        name = pending.pop()
        if name not in wanted:
            wanted.add(name)
            pending.extend(stage_module(name).REQUIRES)
    return [name for name in STAGES if name in wanted]


@dataclass(frozen=True)
class Pipeline:
    """Stages built for one office profile, ready to run."""

    profile: OfficeProfile
    stages: tuple[Stage, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        """Output columns: the contract columns the stages fill, ``steps``, then any other fields."""
        filled = [field for stage in self.stages for field in stage.fields]
        contract = [c for c in OUTPUT_COLUMNS if c in filled or c == "steps"]
        return tuple(contract + [f for f in dict.fromkeys(filled) if f not in OUTPUT_COLUMNS])

    def run(self, original: str, country: str | None = None) -> NameRecord:
        """Run every stage over one name and return its record."""
        record = NameRecord(original, country)
        for stage in self.stages:
            stage(record)
        return record


def build_pipeline(
    office: str | OfficeProfile | None = None,
    *,
    stages: Iterable[str] | None = None,
    options: Mapping[str, Mapping[str, Any]] | None = None,
) -> Pipeline:
    """Build the pipeline for an office profile.

    ``stages`` limits the run to these stages and those they require; ``options`` overrides
    the profile's options per stage, e.g. ``{"transliterate": {"language": "uk"}}``.

    >>> build_pipeline(stages=("unicode",)).columns
    ('name_clean', 'name_match', 'steps')
    """
    profile = office if isinstance(office, OfficeProfile) else load_office(office)
    options = dict(options or {})
    unknown = sorted((set(options) | set(profile.stages)) - set(STAGES))
    if unknown:
        raise NameCleanerError(
            f"unknown stage(s) {', '.join(unknown)} in options or profile {profile.source}: the stages are {', '.join(STAGES)}"
        )
    names = _with_requirements(stages) if stages is not None else [s for s in STAGES if profile.stage_enabled(s)]
    needed_but_off = {(name, required) for name in names for required in stage_module(name).REQUIRES if required not in names}
    if needed_but_off:
        raise NameCleanerError(f"profile {profile.source} switches off stage(s) that others need: " + ", ".join(
            f"{name} needs {required}" for name, required in sorted(needed_but_off)))
    built = []
    for name in names:
        stage_options = {**profile.stage_options(name), **options.get(name, {})}
        try:
            built.append(stage_module(name).build(stage_options, profile))
        except ValueError as error:
            raise NameCleanerError(f"profile {profile.source}: {error}") from None
    return Pipeline(profile, tuple(built))
