"""Several cores: how many worker processes a run may use, and a map over pieces of work in them.

The lowest layer (the standard library only), so that cleaning (:mod:`namecleaner.parallel`)
and clustering (:mod:`namecleaner.cluster`) share one worker count and one way to start a pool.

:func:`pool_map` hands the large shared work to each worker once, through the pool's
initializer; under fork it reaches the children without being pickled, and only the pieces
and their results travel. Where fork is missing (Windows, macOS's default) or there is one
worker, the same map runs in this process, with the same result.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

Work = TypeVar("Work")
Piece = TypeVar("Piece")
Result = TypeVar("Result")


def worker_count(requested: int | None = None) -> int:
    """The number of worker processes: ``requested``, else the CPUs this process may use.

    ``os.process_cpu_count`` (Python 3.13) and ``os.sched_getaffinity`` (Linux) count the CPUs
    this process may run on; ``os.cpu_count`` those of the machine, where neither exists.

    >>> worker_count(3)
    3
    >>> worker_count() >= 1
    True
    """
    if requested is not None:
        if requested < 1:
            from namecleaner.errors import InputError

            raise InputError(f"--workers must be at least 1, not {requested}")
        return requested
    if hasattr(os, "process_cpu_count"):
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether this platform can start processes by fork."""
    return "fork" in mp.get_all_start_methods()


# What a pool worker runs: set in each worker process by the pool initializer, never in the parent.
_SHARED: tuple[Callable[[Any, Any], Any], Any] | None = None


#: The signals that stop a run (the CLI turns them into a clean stop in the parent process).
_STOPPING = (signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else []))


@contextmanager
def held_signals() -> Iterator[None]:
    """Hold SIGTERM and SIGHUP back in this thread while a pool starts its workers; they come after.

    A forked worker would otherwise begin with the parent's Python handlers (the CLI's). A
    Python handler runs only between bytecodes, and CPython forgets a signal caught during
    the fork, so a worker could miss the pool's terminate and the pool wait for it for ever.
    Held back, a signal to a new worker stays pending until :func:`default_signals`.
    """
    if not hasattr(signal, "pthread_sigmask"):  # Windows: spawned workers start with the defaults
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def default_signals() -> None:
    """In a new pool worker (its pool's initializer): SIGTERM and SIGHUP take their default
    action, the process dies, and those held back while it started (:func:`held_signals`) come now."""
    for signum in _STOPPING:
        signal.signal(signum, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)


def _start(function: Callable[[Any, Any], Any], work: Any) -> None:
    global _SHARED
    default_signals()
    _SHARED = (function, work)


def _run(piece: Any) -> Any:
    function, work = _SHARED  # type: ignore[misc]  # set by _start in this worker
    return function(work, piece)


def pool_map(
    function: Callable[[Work, Piece], Result], work: Work, pieces: Sequence[Piece], workers: int
) -> list[Result]:
    """``[function(work, piece) for piece in pieces]``, in ``workers`` forked processes when
    there are several workers and pieces and the platform forks; results in piece order.

    >>> pool_map(lambda base, n: base + n, 10, range(3), workers=1)
    [10, 11, 12]
    """
    if workers < 2 or len(pieces) < 2 or not can_fork():
        return [function(work, piece) for piece in pieces]
    with held_signals():
        pool = mp.get_context("fork").Pool(min(workers, len(pieces)), initializer=_start, initargs=(function, work))
    with pool:
        return pool.map(_run, pieces)
