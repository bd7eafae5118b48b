"""Several cores for the cluster steps: a map over independent pieces in forked processes.

The large shared work (units, model, vectors, edge tables) reaches the children through
fork, never pickled; only the pieces and their results travel. Where fork is missing
(Windows, or one worker) the same map runs in this process, with the same result.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Work = TypeVar("Work")
Piece = TypeVar("Piece")
Result = TypeVar("Result")

# Set only while a pool runs; the serial path never touches it, so threads that run the
# serial path at once (a multi-threaded Dask worker) do not share state.
_SHARED: tuple[Callable[[Any, Any], Any], Any] | None = None


def can_fork() -> bool:
    """Whether this platform starts processes by fork."""
    return "fork" in mp.get_all_start_methods()


def forked_map(function: Callable[[Work, Piece], Result], work: Work, pieces: Sequence[Piece], workers: int) -> list[Result]:
    """``[function(work, piece) for piece in pieces]``, in ``workers`` forked processes when
    there are several workers and pieces and the platform forks.

    >>> forked_map(lambda base, n: base + n, 10, range(3), workers=1)
    [10, 11, 12]
    """
    if workers < 2 or len(pieces) < 2 or not can_fork():
        return [function(work, piece) for piece in pieces]
    global _SHARED
    _SHARED = (function, work)
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            return pool.map(_run_shared, pieces)
    finally:
        _SHARED = None


def _run_shared(piece: Any) -> Any:
    function, work = _SHARED  # type: ignore[misc]  # set by forked_map before forking
    return function(work, piece)
