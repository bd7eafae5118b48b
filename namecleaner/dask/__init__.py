"""Run namecleaner on Dask: the one batch API and the single-machine clustering steps, so results equal one machine's.

- :func:`clean` cleans a column of a Dask DataFrame partition by partition (:mod:`.clean`);
  ``import namecleaner.dask`` also registers the ``names`` accessor on Dask Series.
- :func:`cluster` clusters a cleaned Dask DataFrame across partitions (:mod:`.cluster`), with
  the overrides and authority file of the configuration.
- ``namecleaner clean --engine dask`` (and ``--cluster``) reads files in line-exact blocks and
  writes them in row order (:mod:`.io`), so its output, row problems and ``--errors`` file
  are the streaming command's.

Needs the ``dask`` extra: ``pip install 'namecleaner[dask]'``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from namecleaner.errors import InputError, MissingDependencyError

try:
    import dask
    import dask.dataframe  # noqa: F401
except ImportError as error:  # pragma: no cover - depends on the environment
    raise MissingDependencyError("dask", "namecleaner.dask", "dask") from error

from namecleaner.dask.clean import (
    CleanBlock,
    DaskNamesAccessor,
    Problem,
    check_column,
    clean,
    clean_file,
)
from namecleaner.dask.cluster import DaskEngine, cluster, distributed_edges
from namecleaner.dask.io import Block, partitions, plan_blocks, read_block, read_header

__all__ = [
    "Block",
    "CleanBlock",
    "DaskEngine",
    "DaskNamesAccessor",
    "Problem",
    "check_column",
    "clean",
    "clean_file",
    "client",
    "cluster",
    "distributed_edges",
    "partitions",
    "plan_blocks",
    "read_block",
    "read_header",
]


@contextmanager
def client(scheduler: str | None = None, workers: int | None = None) -> Iterator[Any]:
    """A ``distributed`` client of the scheduler at ``scheduler``, else of a local cluster run for the block.

    The local cluster has ``workers`` single-threaded worker processes (default: one per core),
    since cleaning holds the GIL.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:
        raise MissingDependencyError("distributed", "a Dask cluster", "dask") from error
    if scheduler:
        try:
            connected = Client(scheduler, timeout="30s")
        except OSError as error:
            raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
        with connected:
            yield connected
        return
    with (
        LocalCluster(
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,
            dashboard_address=":0",
        ) as cluster,
        Client(cluster) as local,
    ):
        yield local
