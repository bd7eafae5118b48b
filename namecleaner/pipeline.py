"""The pipeline: the ordered stages a configuration switches on, run over one name record.

Each stage is a package ``namecleaner.stages.<name>`` with ``NAME``, ``FIELDS`` (the record
fields it fills), ``REQUIRES`` (stages that must run before it) and ``build(context,
options)``, which returns a callable that fills a :class:`NameRecord` in place. ``options`` is
the stage's typed options object from the :class:`~namecleaner.config.Config`; the
:class:`~namecleaner.context.Context` gives the shared resources.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import Protocol

from namecleaner.config import STAGE_OPTIONS, Config, as_config
from namecleaner.context import Context
from namecleaner.errors import NameCleanerError
from namecleaner.record import MAX_NAME_CHARS, OUTPUT_COLUMNS, NameRecord

#: Every stage, in the order it runs.
STAGES: tuple[str, ...] = tuple(STAGE_OPTIONS)


def bounded(text: str) -> str:
    """The part of a name the stages read: its first :data:`MAX_NAME_CHARS` characters.

    >>> len(bounded("x" * 5000)), bounded("Sony")
    (1000, 'Sony')
    """
    return text[:MAX_NAME_CHARS]


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


def build_stage(context: Context, name: str) -> Stage:
    """Stage ``name`` built for the context's configuration."""
    try:
        return stage_module(name).build(context, getattr(context.config, name))
    except ValueError as error:
        raise NameCleanerError(f"{context.config.source or 'configuration'}: stage {name}: {error}") from None


@dataclass(frozen=True)
class Pipeline:
    """Stages built for one configuration, ready to run."""

    config: Config
    stages: tuple[Stage, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        """Output columns: the contract columns the stages fill, ``steps``, then any other fields."""
        filled = [field for stage in self.stages for field in stage.fields]
        contract = [c for c in OUTPUT_COLUMNS if c in filled or c == "steps"]
        return tuple(contract + [f for f in dict.fromkeys(filled) if f not in OUTPUT_COLUMNS])

    def run(self, original: str, country: str | None = None) -> NameRecord:
        """Run every stage over one name and return its record (the stages read at most :data:`MAX_NAME_CHARS`)."""
        record = NameRecord(bounded(original), country)
        if len(original) > MAX_NAME_CHARS:
            record.add_step(
                "pipeline", "cap_length", f"the stages read the first {MAX_NAME_CHARS} of {len(original)} characters"
            )
        for stage in self.stages:
            stage(record)
        record.original = original
        return record


def build_pipeline(config: Config | str | None = None, *, stages: Iterable[str] | None = None) -> Pipeline:
    """The pipeline of a configuration (a Config, an office code or profile path, or the default).

    ``stages`` narrows it to those stages and the ones they need. It is the context's pipeline,
    built once per configuration.

    >>> build_pipeline(stages=("unicode",)).columns
    ('name_clean', 'name_match', 'steps')
    """
    return Context.for_config(as_config(config)).pipeline(stages)


def assemble(context: Context, stages: Iterable[str] | None = None) -> Pipeline:
    """The stages of a context's configuration, in order (``Context.pipeline`` calls this once)."""
    config = context.config
    names = _with_requirements(stages) if stages is not None else list(config.enabled_stages())
    needed_but_off = {
        (name, required) for name in names for required in stage_module(name).REQUIRES if required not in names
    }
    if needed_but_off:
        raise NameCleanerError(
            f"{config.source or 'configuration'} switches off stage(s) that others need: "
            + ", ".join(f"{name} needs {required}" for name, required in sorted(needed_but_off))
        )
    return Pipeline(config, tuple(context.stage(name) for name in names))
