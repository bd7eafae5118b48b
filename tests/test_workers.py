"""Several cores: the worker count, the pool map, and clustering with 2 workers against 1."""

import gc
import importlib
import multiprocessing
import os
import signal

import pandas as pd
import pytest
from conftest import SAMPLE_FILE

import namecleaner
from namecleaner import workers
from namecleaner.cluster import candidates, cluster_units, score
from namecleaner.cluster.features import units_from_frame
from namecleaner.errors import InputError

# the package exports the function assign, which hides its module
assign = importlib.import_module("namecleaner.cluster.assign")


def _piece_and_pid(base: int, piece: int) -> tuple[int, int]:
    return base + piece, os.getpid()


@pytest.mark.skipif(not workers.can_fork(), reason="the pool path forks")
def test_pool_map_runs_in_worker_processes_in_piece_order():
    results = workers.pool_map(_piece_and_pid, 100, range(6), workers=2)
    assert [value for value, _ in results] == [100, 101, 102, 103, 104, 105]
    assert os.getpid() not in {pid for _, pid in results}
    assert workers._SHARED is None  # the parent never holds the work


class _Stopped(Exception):
    pass


def _stop(signum, frame):
    raise _Stopped(signum)


def _stop_handlers(_piece: int) -> tuple[object, object]:
    return signal.getsignal(signal.SIGTERM), getattr(signal.getsignal(signal.SIGINT), "__name__", None)


#: While True, the next fork sends this process a SIGTERM from the parent's at-fork hook:
#: the signal then comes in the middle of a pool's forks, where its handler cannot raise.
_SIGNAL_AT_FORK = [False]


def _signal_at_fork() -> None:
    if _SIGNAL_AT_FORK[0]:
        _SIGNAL_AT_FORK[0] = False
        os.kill(os.getpid(), signal.SIGTERM)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_parent=_signal_at_fork)


@pytest.fixture
def stop_handlers():
    """SIGTERM and SIGINT raise _Stopped in this process, as the command line's SIGTERM does."""
    previous = {signum: signal.signal(signum, _stop) for signum in (signal.SIGTERM, signal.SIGINT)}
    yield
    for signum, handler in previous.items():
        signal.signal(signum, handler)


@pytest.mark.skipif(not workers.can_fork(), reason="the pool path forks")
def test_a_stop_signal_while_a_pool_starts_is_raised_once_it_is_whole_and_the_pool_is_stopped(stop_handlers):
    _SIGNAL_AT_FORK[0] = True
    with pytest.raises(_Stopped):
        workers.start_pool(multiprocessing.get_context("fork"), 2, int)
    assert multiprocessing.active_children() == []  # terminated and joined: no worker outlives the run
    assert signal.getsignal(signal.SIGTERM) is _stop and workers._HELD is None


@pytest.mark.skipif(not workers.can_fork(), reason="the pool path forks")
def test_pool_workers_leave_sigterm_to_the_kernel_and_keep_the_ctrl_c_handler(stop_handlers):
    with workers.start_pool(multiprocessing.get_context("fork"), 2, int) as pool:
        handlers = set(pool.map(_stop_handlers, range(4)))
    assert handlers == {(signal.SIG_DFL, "_stop")}  # the pool's terminate sends one SIGTERM and waits
    assert signal.getsignal(signal.SIGTERM) is _stop


def _default_action(_: None, signum: int) -> bool:
    return signal.getsignal(signum) is signal.SIG_DFL


@pytest.mark.skipif(not workers.can_fork(), reason="the pool path forks")
def test_pool_workers_die_by_the_default_action_of_sigterm_and_sighup():
    """The parent's Python handlers (the CLI's) are not the workers': Pool.terminate must never wait for one to run.

    The parent's handler here does nothing, as a handler that missed the signal would: without
    the signals held back while the workers start, a worker not yet started misses the terminate
    and the map never returns."""
    signums = [signal.SIGTERM, signal.SIGHUP]
    previous = {signum: signal.signal(signum, lambda *_: None) for signum in signums}
    try:
        defaults = workers.pool_map(_default_action, None, signums, workers=2)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    assert defaults == [True, True]


def test_pool_map_with_one_worker_stays_in_this_process():
    assert workers.pool_map(_piece_and_pid, 1, [1, 2], workers=1) == [(2, os.getpid()), (3, os.getpid())]


def test_worker_count_without_affinity_calls(monkeypatch):
    """macOS and Windows have neither os.process_cpu_count (before 3.13) nor os.sched_getaffinity."""
    monkeypatch.delattr(os, "process_cpu_count", raising=False)
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert (workers.worker_count(), workers.worker_count(2)) == (6, 2)
    with pytest.raises(InputError, match="--workers must be at least 1"):
        workers.worker_count(0)


@pytest.mark.skipif(not workers.can_fork(), reason="the pool path forks")
def test_clustering_with_two_workers_gives_what_one_gives(monkeypatch):
    """Every parallel step (candidate batches, scoring chunks, assignment parts) really runs in workers."""
    names = pd.read_csv(SAMPLE_FILE, dtype=str, keep_default_na=False)["applicant"]
    variants = pd.concat(
        [names, names.str.upper(), names.str.replace(",", "", regex=False) + " Inc"], ignore_index=True
    )
    units = units_from_frame(namecleaner.clean(variants))
    monkeypatch.setattr(candidates, "_BATCH_MEMBERS", 40)
    monkeypatch.setattr(score, "_PARALLEL_PAIRS", 1)
    monkeypatch.setattr(assign, "_PARALLEL_EDGES", 1)
    calls = []
    for module in (candidates, score, assign):

        def spy(function, work, pieces, count, _module=module.__name__):
            calls.append((_module, len(pieces), count))
            return workers.pool_map(function, work, pieces, count)

        monkeypatch.setattr(module, "pool_map", spy)
    one = cluster_units(units, workers=1)
    two = cluster_units(units, workers=2)
    parallel_steps = {module for module, pieces, count in calls if count == 2 and pieces > 1}
    assert parallel_steps == {candidates.__name__, score.__name__, assign.__name__}
    assert (two.assignment.clusters, two.ids, two.names) == (one.assignment.clusters, one.ids, one.names)
    assert two.assignment.decisions == one.assignment.decisions
    assert len(one.assignment.clusters) < len(units)  # the variants did merge


def test_read_ahead_gives_every_item_in_order_then_the_readers_error_where_it_happened():
    def items():
        yield from range(3)
        raise InputError("names.csv: line 4: bad row")

    seen = []
    with pytest.raises(InputError, match="line 4"):
        for item in workers.read_ahead(items()):
            seen.append(item)
    assert seen == [0, 1, 2]


def test_read_ahead_stopped_early_closes_its_source():
    closed = []

    def items():
        try:
            yield from range(100)
        finally:
            closed.append(True)

    ahead = workers.read_ahead(items())
    assert next(ahead) == 0
    ahead.close()
    assert closed == [True]


def test_the_collector_resumes_as_it_was_after_a_block() -> None:
    with pytest.raises(KeyError), workers.collector_paused():
        assert not gc.isenabled()
        raise KeyError("scoring failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with workers.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
