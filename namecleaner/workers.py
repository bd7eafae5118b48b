"""Several cores: how many worker processes a run may use, and a map over pieces of work in them.

The lowest layer (the standard library only), so that cleaning (:mod:`namecleaner.parallel`)
and clustering (:mod:`namecleaner.cluster`) share one worker count and one way to start a pool.

:func:`pool_map` hands the large shared work to each worker once, through the pool's
initializer; under fork it reaches the children without being pickled, and only the pieces
and their results travel. Where fork is missing (Windows, macOS's default) or there is one
worker, the same map runs in this process, with the same result.

Every pool starts through :func:`start_pool`, which holds the stop signals back while the
workers are forked (see there why).
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from multiprocessing.context import BaseContext
from multiprocessing.pool import Pool
from types import FrameType
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


#: The signals that stop a run (Ctrl-C, kill, a closed terminal), where the platform has them.
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
#: The ones a pool worker leaves to the kernel: the pool's terminate stops a worker with one
#: SIGTERM, which a Python handler can miss (CPython loses a signal that comes just before a
#: blocking wait, such as a worker's wait for work).
WORKER_DEFAULT_SIGNALS = tuple(signum for signum in STOP_SIGNALS if signum != signal.SIGINT)
#: Seconds :func:`start_pool` waits at most for its forked workers to say they have started.
START_WAIT = 30.0

#: A Python signal handler, as ``signal.signal`` takes it.
Handler = Callable[[int, FrameType | None], Any]

# While a pool starts, in the process starting it: the stop handlers set aside and the
# (process id, signal) pairs that came meanwhile. A worker forked then inherits it.
_HELD: tuple[dict[int, Handler], list[tuple[int, int]]] | None = None


def start_pool(
    context: BaseContext, processes: int, initializer: Callable[..., object], initargs: tuple[Any, ...] = ()
) -> Pool:
    """A process pool of ``processes`` workers, each running ``initializer(*initargs)`` first,
    whose start a stop signal cannot break, and which its ``terminate`` stops for certain.

    A handler that raises (Ctrl-C, or the command line's SIGTERM and SIGHUP) in the middle of
    the forks runs either in an at-fork hook, where Python prints the exception and goes on (the
    signal is lost, the run continues), or between a fork and the pool's bookkeeping, which
    leaves a worker that nobody stops: it outlives the run, waiting for work and holding the
    run's pipes open. So while the workers start, the stop signals' Python handlers only note
    the signal; then the handlers are put back and the signals that came raised again, and the
    pool is terminated before their exception goes on. (Blocking the signals would not do: the
    mask is per thread, and a thread that does not block a signal lets its handler run in the
    main thread.)

    Each worker leaves SIGTERM and SIGHUP to the kernel (:data:`WORKER_DEFAULT_SIGNALS`) before
    its initializer, puts back an inherited Ctrl-C handler and raises again what it got since
    its fork; under fork it then says so, and the pool is returned once every worker has (or
    after :data:`START_WAIT`): a worker that has not got so far still has the Python handler of
    the process that forked it, and Python drops a signal that came before its fork returned
    in the child, so the pool's terminate, which sends one SIGTERM and waits, could wait for
    ever.

    >>> import multiprocessing
    >>> with start_pool(multiprocessing.get_context(), 2, int) as pool:
    ...     pool.map(abs, [-1, -2])
    [1, 2]
    """
    pool: Pool | None = None
    try:
        with _held_stop_signals() as held:
            started = context.Semaphore(0) if held and context.get_start_method() == "fork" else None
            pool = context.Pool(processes, initializer=_start_worker, initargs=(started, initializer, initargs))
            if started is not None:
                _await_starts(started, processes)
    except BaseException:
        if pool is not None:
            pool.terminate()
            pool.join()
        raise
    return pool


def _await_starts(started: Any, count: int) -> None:
    """Until ``count`` releases of the semaphore ``started``, or :data:`START_WAIT` seconds."""
    deadline = time.monotonic() + START_WAIT
    for _ in range(count):
        if not started.acquire(timeout=max(0.0, deadline - time.monotonic())):
            return


@contextmanager
def _held_stop_signals() -> Iterator[bool]:
    """The stop signals' Python handlers only note a signal in the block; it is raised again after.

    Yields whether any handler was set aside (none where Python has none for these signals, or
    outside the main thread, the only one where Python runs signal handlers).
    """
    global _HELD
    if threading.current_thread() is not threading.main_thread():
        yield False
        return
    came: list[tuple[int, int]] = []

    def note(signum: int, frame: FrameType | None) -> None:
        came.append((os.getpid(), signum))

    aside: dict[int, Handler] = {}
    for signum in STOP_SIGNALS:
        handler = signal.getsignal(signum)
        if callable(handler):  # SIG_DFL and SIG_IGN act in the kernel, without Python's help
            aside[signum] = handler
            signal.signal(signum, note)
    _HELD = (aside, came)
    try:
        yield bool(aside)
    finally:
        _HELD = None
        _put_back(aside, came)


def _put_back(handlers: Mapping[int, Handler | int], came: list[tuple[int, int]]) -> None:
    """The ``handlers`` in place, then each signal this process got meanwhile raised again, once."""
    for signum, handler in handlers.items():
        signal.signal(signum, handler)
    pid = os.getpid()
    for signum in dict.fromkeys(signum for to, signum in came if to == pid):
        signal.raise_signal(signum)  # handled before this returns


def _start_worker(started: Any, initializer: Callable[..., object], initargs: tuple[Any, ...]) -> None:
    """In a new worker: its stop signals set up (see :func:`start_pool`), its start said, then the initializer."""
    global _HELD
    aside, came = _HELD or ({}, [])
    _HELD = None
    _put_back({**aside, **dict.fromkeys(WORKER_DEFAULT_SIGNALS, signal.SIG_DFL)}, came)
    if started is not None:
        started.release()
    initializer(*initargs)


# What a pool worker runs: set in each worker process by the pool initializer, never in the parent.
_SHARED: tuple[Callable[[Any, Any], Any], Any] | None = None


def _start(function: Callable[[Any, Any], Any], work: Any) -> None:
    global _SHARED
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
    with start_pool(mp.get_context("fork"), min(workers, len(pieces)), _start, (function, work)) as pool:
        return pool.map(_run, pieces)


Item = TypeVar("Item")
_DONE = object()


def read_ahead(items: Iterable[Item]) -> Iterator[Item]:
    """The items of ``items``, in order, each next one read in a thread while the caller works on
    the one before: the parent reads the next chunk of a file while its workers clean this one.
    An error of the reader is raised here, at the item where it happened.

    >>> list(read_ahead(iter("abc")))
    ['a', 'b', 'c']
    """
    ready: queue.Queue[Any] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def offer(value: tuple[Any, BaseException | None]) -> bool:
        """Hand ``value`` to the caller; False once the caller has stopped (never block for ever)."""
        while not stop.is_set():
            try:
                ready.put(value, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for item in items:
                if not offer((item, None)):
                    break
            result: tuple[Any, BaseException | None] = (_DONE, None)
        except BaseException as error:  # handed to the caller, which raises it
            result = (_DONE, error)
        finally:
            close = getattr(items, "close", None)
            if close is not None and stop.is_set():
                close()  # a generator's file is closed in the thread that ran it
        offer(result)

    thread = threading.Thread(target=read, name="namecleaner-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item, error = ready.get()
            if error is not None:
                raise error
            if item is _DONE:
                return
            yield item
    finally:
        stop.set()
        thread.join(timeout=1.0)  # bounded: a reader blocked on a terminal must not hold up Ctrl-C


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a block (or, as a decorator, a function)
    that makes many objects but no reference cycles: each full collection walks every object
    of the process (a cleaned file's frame and units too), and the objects made while scoring
    pairs trigger one after another (a quarter of the scoring time with 30,000 names).
    Refcounting still frees all that the block drops; the collector resumes after it, as it was.

    >>> import gc
    >>> with collector_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
