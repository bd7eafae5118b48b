"""The context of a run: the resources one :class:`~namecleaner.config.Config` needs, built once.

Stages get what they need from the context in ``build(context, options)``: the table registry
of the configuration's folders, the built stages a later stage relies on (the match key
romanises katakana remainders with the run's own transliteration), and the shared data tables
(legal-form index, lexicons, glossary), loaded once through :func:`Context.load`. Every cache
of loaded data belongs here, and :meth:`Context.clear` empties them all.

>>> from namecleaner.config import Config
>>> context = Context.for_config(Config.from_profile("JP"))
>>> context is Context.for_config(Config.from_profile("JP")), context.config.office
(True, 'JP')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from namecleaner.config import Config
from namecleaner.resources import clear_resources, load_resource

if TYPE_CHECKING:
    from namecleaner.pipeline import Pipeline
    from namecleaner.translit.registry import TableRegistry

T = TypeVar("T")
#: Contexts kept at once; a run rarely uses more than a few configurations.
_MAX_CONTEXTS = 16


class Context:
    """What one configuration loads and builds, shared by every stage and every batch of a run."""

    _contexts: dict[Config, Context] = {}

    def __init__(self, config: Config) -> None:
        self.config = config
        self._stages: dict[str, Any] = {}
        self._pipelines: dict[tuple[str, ...] | None, Pipeline] = {}

    @classmethod
    def for_config(cls, config: Config | None = None) -> Context:
        """The context of ``config`` (the default configuration for None), built on first use."""
        config = config if config is not None else Config.from_profile()
        context = cls._contexts.get(config)
        if context is None:
            if len(cls._contexts) >= _MAX_CONTEXTS:
                cls._contexts.pop(next(iter(cls._contexts)))
            context = cls._contexts[config] = cls(config)
        return context

    @classmethod
    def clear(cls) -> None:
        """Forget every context and every loaded table (they are read again when next needed)."""
        cls._contexts.clear()
        clear_resources()

    @staticmethod
    def load(loader: Callable[[], T]) -> T:
        """The shared data table ``loader`` reads, read once per process.

        A loader decorated with :func:`~namecleaner.resources.shared` is stored under the
        function it wraps, so calling it directly or through the context reads one entry.
        """
        return load_resource(getattr(loader, "__wrapped__", loader))

    @cached_property
    def registry(self) -> TableRegistry:
        """The transliteration tables: the configuration's folders, then the installed ones."""
        from namecleaner.translit.registry import TableRegistry

        return TableRegistry(self.config.transliterate.tables_dirs)

    def table_labels(self) -> list[str]:
        """``id@version`` of every table the configuration names, for the provenance of a run."""
        options = self.config.transliterate
        ids = dict.fromkeys(t for t in [*dict(options.tables).values(), options.table] if t)
        return [self.registry.get(table_id).label for table_id in ids]

    def stage(self, name: str) -> Any:
        """The built stage ``name`` of this configuration (a later stage may use an earlier one)."""
        if name not in self._stages:
            from namecleaner.pipeline import build_stage

            self._stages[name] = build_stage(self, name)
        return self._stages[name]

    def pipeline(self, stages: Iterable[str] | None = None) -> Pipeline:
        """The pipeline of this configuration; ``stages`` narrows it to those and what they need."""
        key = None if stages is None else tuple(stages)
        if key not in self._pipelines:
            from namecleaner.pipeline import assemble

            self._pipelines[key] = assemble(self, key)
        return self._pipelines[key]
