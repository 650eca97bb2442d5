"""The Dask engine: the same per-batch function on a Dask cluster, for registries one machine cannot score.

The client reads the input in record batches, scatters each batch to the cluster, maps
:func:`micromets.cohort.engine.score_batch` over it and writes the results in input order, with at most
``window`` batches in flight (memory stays bounded on the client and the workers). The output is
identical to the local engine's (same function, same order, same metadata).

Schedulers: ``None``/``"local"`` starts a ``LocalCluster`` of ``workers`` processes on this machine;
``"inprocess"`` a cluster of threads inside this process (tests, small files); ``"tcp://host:port"``
connects to a running scheduler, whose workers need the same micromets version installed (the
input is read and the output written here, so the workers need no shared file system).

    >>> import tempfile, pathlib
    >>> from micromets.cohort.synthetic import write_synthetic
    >>> with tempfile.TemporaryDirectory() as d:
    ...     src = write_synthetic(pathlib.Path(d) / "r.parquet", 40, seed=1)
    ...     s = run_dask(src, pathlib.Path(d) / "out.parquet", scheduler="inprocess", batch_size=16)
    >>> s.rows, s.engine
    (40, 'dask')
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]

from micromets.cohort.engine import CohortSummary, Mode, check_version, score_batch, stream, write_results

__all__ = ["run_dask"]


def _client(stack: ExitStack, scheduler: str | None, workers: int) -> Any:
    import distributed

    Client: Any = distributed.Client
    LocalCluster: Any = distributed.LocalCluster

    if scheduler in (None, "local"):
        cluster = stack.enter_context(LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                   dashboard_address=None, silence_logs=logging.ERROR))
        return stack.enter_context(Client(cluster))
    if scheduler == "inprocess":
        cluster = stack.enter_context(LocalCluster(n_workers=1, threads_per_worker=max(workers, 1), processes=False,
                                                   dashboard_address=None, silence_logs=logging.ERROR))
        return stack.enter_context(Client(cluster))
    return stack.enter_context(Client(scheduler))


def run_dask(
    input_path: Path, output: Path, *, mode: Mode = "exact", scheduler: str | None = None, workers: int = 2,
    batch_size: int | None = None, prognosis_version: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> CohortSummary:
    """Score a registry file on a Dask cluster (see the module docstring for ``scheduler``)."""
    version = check_version(prognosis_version)
    with ExitStack() as stack:
        client = _client(stack, scheduler, workers)
        window = 2 * max(len(client.scheduler_info().get("workers", {})), workers, 1)

        def submit(batch: pa.RecordBatch) -> Any:
            data = client.scatter(batch, hash=False)
            return client.submit(score_batch, data, mode, version, pure=False)

        def results(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
            return stream(batches, submit, window)

        summary = write_results(input_path, output, mode, version, batch_size, "dask", results, progress)
    return summary
