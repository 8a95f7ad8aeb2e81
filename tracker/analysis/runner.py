"""Where a study's chunks are computed: in this process by default, or on a cluster.

A runner computes :func:`~tracker.analysis.partial.compute_chunk` for each chunk and hands the
parts back **in chunk order**; it keeps each chunk's :class:`~tracker.analysis.partial.RankState`
for GRANK's second pass (:func:`~tracker.analysis.partial.grank_part`), also given back in
chunk order. The order is all that matters for the result: any runner gives the same bits.

:class:`InProcess` is the default. It keeps the rank states in memory up to ``keep_bytes`` (256 MB) and
writes the rest to a temporary folder (one ``.npy`` file per chunk, removed at :meth:`close`),
so a study of any size runs in the memory of a few chunks. A cluster runner lives outside the
pure core (:mod:`tracker.scale.dask_runner`).
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Protocol

import numpy as np

from tracker.analysis.data import StudyData
from tracker.analysis.panel import FirmEvent
from tracker.analysis.partial import ChunkPart, GrankPart, RankState, StudyPlan, compute_chunk, grank_part

#: A chunk: the positions of its firm-events in the study's list, those firm-events, and their
#: day 0s as session numbers.
Chunk = tuple[np.ndarray, list[FirmEvent], np.ndarray]

#: Rank states kept in memory before later ones go to disk (about 140,000 firm-events at L1 = 240).
KEEP_BYTES = 256 * 2**20


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class ChunkRunner(Protocol):
    """Computes chunks (see the module docstring)."""

    #: How many chunks it computes at once (the study is split in at least that many when large).
    workers: int

    def run(self, plan: StudyPlan, chunks: Sequence[Chunk]) -> Iterator[ChunkPart]:
        """Each chunk's part, in chunk order."""
        ...

    def grank(self, spreads: list[float | None]) -> Iterator[list[GrankPart | None]]:
        """GRANK's second pass over every chunk of the last :meth:`run`, in chunk order."""
        ...

    def close(self) -> None:
        """Free what the last run kept."""
        ...


class InProcess:
    """Chunks computed in this process, ``workers`` at a time in threads (default: one per CPU, at
    most two), reading ``data`` (one read at a time: a DuckDB connection is not for two threads).

    numpy releases the GIL in its sorts, comparisons and sums, so two chunks in two threads take
    about half the time on two cores.
    """

    def __init__(self, data: StudyData, *, workers: int | None = None, keep_bytes: int = KEEP_BYTES,
                 spill_dir: Path | None = None):
        self.data = _OneAtATime(data)
        self.workers = max(1, workers if workers is not None else self.default_workers())
        self.keep_bytes = keep_bytes
        self.spill_dir = spill_dir
        self._states: list[RankState | tuple[Path, RankState]] = []
        self._kept = 0
        self._folder: tempfile.TemporaryDirectory | None = None

    @staticmethod
    def default_workers() -> int:
        """One per CPU, at most two (the memory of two chunks)."""
        return min(2, available_cpus())

    def run(self, plan: StudyPlan, chunks: Sequence[Chunk]) -> Iterator[ChunkPart]:
        self.close()

        def compute(chunk: Chunk) -> tuple[ChunkPart, RankState]:
            positions, firm_events, day0 = chunk
            return compute_chunk(self.data, firm_events, positions, day0, plan)

        for part, state in self._in_order(compute, chunks):
            self._keep(state)
            yield part

    def grank(self, spreads: list[float | None]) -> Iterator[list[GrankPart | None]]:
        yield from self._in_order(lambda stored: grank_part(self._load(stored), spreads), self._states)

    def _in_order(self, work, items):
        """``work(item)`` for each item, ``workers`` at a time, results in the items' order."""
        if self.workers == 1 or len(items) < 2:
            for item in items:
                yield work(item)
            return
        with ThreadPoolExecutor(self.workers, thread_name_prefix="chunk") as pool:
            pending: deque = deque()
            for item in items:
                if len(pending) == self.workers:  # at most `workers` chunks in memory at once
                    yield pending.popleft().result()
                pending.append(pool.submit(work, item))
            while pending:
                yield pending.popleft().result()

    def close(self) -> None:
        self._states, self._kept = [], 0
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    def _keep(self, state: RankState) -> None:
        if self._kept + state.nbytes <= self.keep_bytes:
            self._kept += state.nbytes
            self._states.append(state)
            return
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="tracker-ranks-", dir=self.spill_dir)
        path = Path(self._folder.name) / f"{len(self._states)}.npy"
        np.save(path, state.values)
        self._states.append((path, replace(state, values=np.empty((0, 0)))))

    @staticmethod
    def _load(stored: RankState | tuple[Path, RankState]) -> RankState:
        if isinstance(stored, RankState):
            return stored
        path, state = stored
        return replace(state, values=np.load(path))


class _OneAtATime:
    """``data`` read by one thread at a time."""

    def __init__(self, data: StudyData):
        self._data = data
        self._lock = threading.Lock()
        self.log_position = data.log_position

    def __getattr__(self, name: str):
        method = getattr(self._data, name)

        def locked(*args, **kwargs):
            with self._lock:
                return method(*args, **kwargs)

        return locked
