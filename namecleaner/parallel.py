"""Several cores for cleaning: the distinct values of a batch cleaned in worker processes.

Each worker builds its own pipeline once, in the pool's initializer, from a picklable recipe
(a function and its arguments: :func:`config_pipeline` and the run's
:class:`~namecleaner.config.Config`); only the
values and their results travel between processes. The values are sent in slices and the
results come back in order, so the output is the one-process output: same rows, order, values
and errors. Small batches are cleaned in this process, where starting a pool would cost more
than it saves.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Sequence
from multiprocessing.pool import Pool
from typing import Any, Self

from namecleaner.batch import Cleaned, Cleaner, clean_value
from namecleaner.config import Config
from namecleaner.context import Context
from namecleaner.pipeline import Pipeline
from namecleaner.workers import can_fork, default_signals, held_signals, worker_count

#: Distinct values sent to a worker at a time: large enough that a slice costs more than its
#: trip between processes, small enough that the workers finish a batch together.
SLICE = 500
#: A batch with fewer values to clean than this is cleaned in this process.
MIN_PARALLEL = 2 * SLICE


def start_method() -> str:
    """``fork`` where the platform has it (the worker starts at once, sharing the loaded modules), else ``spawn``."""
    return "fork" if can_fork() else "spawn"


def config_pipeline(config: Config, stages: tuple[str, ...] | None = None) -> Pipeline:
    """The pipeline of a configuration, built in its context: the recipe a worker runs once."""
    return Context.for_config(config).pipeline(stages)


# The pipeline of this worker process, built once by the pool initializer; never set in the parent.
_WORKER: tuple[Pipeline, tuple[str, ...], str] | None = None


def _start_worker(
    build: Callable[..., Pipeline], arguments: tuple[Any, ...], columns: tuple[str, ...], steps: str
) -> None:
    global _WORKER
    default_signals()  # first: the pipeline takes a while to build
    _WORKER = (build(*arguments), columns, steps)


def _clean_slice(keys: Sequence[tuple[str, str | None]]) -> list[Cleaned]:
    pipeline, columns, steps = _WORKER  # type: ignore[misc]  # set by _start_worker in this process
    return [clean_value(pipeline, columns, steps, value, country) for value, country in keys]


class ParallelCleaner(Cleaner):
    """A :class:`~namecleaner.batch.Cleaner` whose uncached values are cleaned by ``workers`` processes.

    ``build(*arguments)`` must give the same pipeline as ``pipeline``; it runs once in each
    worker. ``slice_size`` values travel to a worker at a time; a batch with fewer than
    ``min_parallel`` values to clean stays in this process. The pool starts with the first large batch; use the cleaner as a context manager,
    or call :meth:`close`, to stop it.
    """

    def __init__(
        self,
        pipeline: Pipeline,
        build: Callable[..., Pipeline],
        arguments: tuple[Any, ...] = (),
        *,
        workers: int | None = None,
        cache_size: int = 200_000,
        steps: str = "full",
        slice_size: int | None = None,
        min_parallel: int | None = None,
    ) -> None:
        super().__init__(pipeline, cache_size=cache_size, steps=steps)
        self.workers = worker_count(workers)
        self.slice_size = slice_size or SLICE
        self.min_parallel = MIN_PARALLEL if min_parallel is None else min_parallel
        self._recipe = (build, arguments)
        self._pool: Pool | None = None

    @classmethod
    def for_config(
        cls, config: Config, stages: tuple[str, ...] | None = None, *, workers: int | None = None, steps: str = "full"
    ) -> ParallelCleaner:
        """The cleaner of a configuration: each worker builds the configuration's pipeline."""
        return cls(config_pipeline(config, stages), config_pipeline, (config, stages), workers=workers, steps=steps)

    def clean_many(self, keys: Sequence[tuple[str, str | None]]) -> list[Cleaned]:
        """Clean (value, country) pairs, in order: in the workers when there are enough of them."""
        if self.workers < 2 or len(keys) < self.min_parallel:
            return super().clean_many(keys)
        if self._pool is None:
            build, arguments = self._recipe
            with held_signals():  # until each worker takes the default action (workers.held_signals)
                self._pool = mp.get_context(start_method()).Pool(
                    self.workers, initializer=_start_worker, initargs=(build, arguments, self.columns, self.steps)
                )
        slices = [keys[start : start + self.slice_size] for start in range(0, len(keys), self.slice_size)]
        return [result for part in self._pool.imap(_clean_slice, slices) for result in part]

    def close(self) -> None:
        """Stop the worker processes (they are started again if the cleaner is used again)."""
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if exc_info[0] is not None and self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
        self.close()
