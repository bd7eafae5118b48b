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

import gc
import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.pool import Pool
from typing import Any, Self

import pandas as pd

from namecleaner.batch import CACHE_SIZE, Cleaned, Cleaner, clean_value, distinct_keys
from namecleaner.config import Config
from namecleaner.context import Context
from namecleaner.pipeline import Pipeline
from namecleaner.workers import can_fork, start_pool, worker_count

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
        cache_size: int = CACHE_SIZE,
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
        # batches sent ahead by prefetch, oldest first, with their results to come, and their pairs
        self._ahead: deque[tuple[list[tuple[str, str | None]], Iterator[list[Cleaned]]]] = deque()
        self._sent: set[tuple[str, str | None]] = set()

    @classmethod
    def for_config(
        cls, config: Config, stages: tuple[str, ...] | None = None, *, workers: int | None = None, steps: str = "full"
    ) -> ParallelCleaner:
        """The cleaner of a configuration: each worker builds the configuration's pipeline."""
        return cls(config_pipeline(config, stages), config_pipeline, (config, stages), workers=workers, steps=steps)

    def prefetch(self, values: Sequence[Any] | pd.Series, country: Sequence[Any] | pd.Series | None = None) -> None:
        """Send the workers the values of a batch that a later :meth:`clean` will be given, those
        neither cached nor already sent: they clean it while this process finishes the batch
        before (the command line writes it), so the workers do not wait for that."""
        if self.workers < 2:
            return
        keys = [key for key in distinct_keys(values, country)[1] if key not in self._cache and key not in self._sent]
        if len(keys) >= self.min_parallel:
            self._ahead.append((keys, self._send(keys)))
            self._sent.update(keys)

    def clean_many(self, keys: Sequence[tuple[str, str | None]]) -> list[Cleaned]:
        """Clean (value, country) pairs, in order: in the workers when there are enough of them;
        those :meth:`prefetch` sent are taken as they come back."""
        came: dict[tuple[str, str | None], Cleaned] = {}
        # the batches sent ahead come back in the order they were sent: up to the last one this needs
        while self._ahead and not self._sent.isdisjoint(keys):
            sent, results = self._ahead.popleft()
            came.update(zip(sent, (result for part in results for result in part)))
            self._sent.difference_update(sent)
        rest = [key for key in keys if key not in came]
        cleaned = dict(zip(rest, self._clean_here_or_there(rest)))
        return [came[key] if key in came else cleaned[key] for key in keys]

    def _clean_here_or_there(self, keys: Sequence[tuple[str, str | None]]) -> list[Cleaned]:
        """Clean pairs in this process, or in the workers when there are enough of them."""
        if self.workers < 2 or len(keys) < self.min_parallel:
            return super().clean_many(keys)
        return [result for part in self._send(keys) for result in part]

    def _send(self, keys: Sequence[tuple[str, str | None]]) -> Iterator[list[Cleaned]]:
        """The results of pairs sent to the workers in slices, in order, as they come (the pool started first)."""
        if self._pool is None:
            build, arguments = self._recipe
            # The loaded tables never change: out of the collector's sight (garbage collected first, so
            # none is kept), a full collection no longer walks them in this process (23 times a million
            # rows) and forked workers neither walk nor copy them. close() gives them back.
            gc.collect()
            gc.freeze()
            self._pool = start_pool(
                mp.get_context(start_method()),
                self.workers,
                _start_worker,
                (build, arguments, self.columns, self.steps),
            )
        slices = [keys[start : start + self.slice_size] for start in range(0, len(keys), self.slice_size)]
        return self._pool.imap(_clean_slice, slices)

    def close(self) -> None:
        """Stop the worker processes (they are started again if the cleaner is used again)."""
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None
            gc.unfreeze()
        self._ahead.clear()
        self._sent.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if exc_info[0] is not None and self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
            gc.unfreeze()
        self.close()
