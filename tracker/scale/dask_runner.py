"""Chunks of a study computed on a Dask cluster (``tracker study … --engine dask``).

The driver (the ``tracker study`` process) plans the chunks and reduces them; each worker
computes whole chunks (:func:`~tracker.analysis.partial.compute_chunk`) reading a
``tracker export parquet`` folder (:class:`~tracker.scale.parquet_data.ParquetData`). The parts
come back in chunk order, so the result is the in-process one to the bit. Each chunk's rank
state stays on its worker (as a Dask future, spilled to disk by Dask under memory pressure) for
GRANK's second pass, which runs there too. Why Dask: ``docs/scale-out.md``.

``distributed`` is imported only when a study asks for it (``pip install 'market-reaction-tracker[cluster]'``).
"""

from __future__ import annotations

import operator
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from tracker.analysis.partial import ChunkPart, GrankPart, StudyPlan, compute_chunk, grank_part
from tracker.errors import StudyError

#: Workers of the local cluster started when no scheduler address is given.
LOCAL_WORKERS = 2


@lru_cache(maxsize=4)
def _data(folder: str):
    """The export, opened once per worker process."""
    from tracker.scale.parquet_data import ParquetData

    return ParquetData(Path(folder))


def _compute(folder: str, chunk, plan: StudyPlan):
    positions, firm_events, day0 = chunk
    return compute_chunk(_data(folder), firm_events, positions, day0, plan)


class DaskRunner:
    """A :class:`~tracker.analysis.runner.ChunkRunner` on a Dask cluster.

    ``client`` is a ``distributed.Client``; ``folder`` the export the workers read (a path they
    all see). ``cluster`` is a cluster this runner started and closes.
    """

    def __init__(self, client, folder: Path, cluster=None):
        self.client = client
        self.folder = str(Path(folder).resolve())
        self.cluster = cluster
        self.workers = max(1, sum(client.nthreads().values()))
        self._states: list = []

    @classmethod
    def connect(cls, folder: Path, address: str | None = None) -> DaskRunner:
        """A runner on the scheduler at ``address``, or on a new local cluster of :data:`LOCAL_WORKERS` processes."""
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise StudyError("--engine dask needs Dask's distributed package",
                             hint="pip install 'market-reaction-tracker[cluster]'") from None
        if address is not None:
            try:
                return cls(Client(address, timeout="10s"), folder)
            except OSError as exc:
                raise StudyError(f"cannot reach the Dask scheduler at {address}: {exc}",
                                 hint="start one with `dask scheduler` and workers with `dask worker ADDRESS`") from None
        cluster = LocalCluster(n_workers=LOCAL_WORKERS, threads_per_worker=1, processes=True, dashboard_address=None)
        return cls(Client(cluster), folder, cluster)

    @classmethod
    def factory(cls, folder: Path, address: str | None = None):
        """``runner(data)`` for :func:`tracker.study.request.run_study` (the driver's data is not sent)."""
        return lambda data: cls.connect(folder, address)

    def run(self, plan: StudyPlan, chunks: Sequence) -> Iterator[ChunkPart]:
        self._states = []
        both = [self.client.submit(_compute, self.folder, chunk, plan, pure=False) for chunk in chunks]
        parts = [self.client.submit(operator.itemgetter(0), f) for f in both]
        self._states = [self.client.submit(operator.itemgetter(1), f) for f in both]
        del both  # the pair goes; each half stays where it is needed
        for future in parts:
            yield future.result()
            future.release()

    def grank(self, spreads: list[float | None]) -> Iterator[list[GrankPart | None]]:
        futures = [self.client.submit(grank_part, state, spreads) for state in self._states]
        for future in futures:
            yield future.result()

    def close(self) -> None:
        self._states = []
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
