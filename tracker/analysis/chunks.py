"""Chunks of firm-events, and sums across firm-events that come out the same however they are chunked.

A study is computed chunk by chunk (:mod:`tracker.analysis.partial`), so its memory is that of
one chunk, not of the whole panel. What each firm-event gets (its regression, ARs, CAR, ranks
of its own values) depends on that firm-event alone. What the cross-sectional tests reduce over
firm-events falls in two kinds:

* reductions of one number per firm-event (mean CAR, sums of SCARs, sign counts, Wilcoxon…) and
  of a few per firm-event (the window's ARs): computed once, at the end, on the gathered vectors,
  exactly as on a panel held whole;
* sums over firm-events of whole estimation windows (``(N, L1)`` arrays summed to ``(L1,)``: the
  CDA's estimation-window AAR, the rank tests' per-day sums of U, GRANK's, the cross-correlation's
  per-day-0 sums). These are summed in a **canonical order** that does not depend on the chunks:
  first within each *day-0 group* (the firm-events sharing a day 0, in their study order), then
  over the groups in the order of their day 0.

Chunk boundaries therefore fall between day-0 groups (:func:`plan_chunks`): a chunk takes whole
groups, growing past its target size when a group is larger (a DeepSeek-like study, every firm on
one day, is one chunk). Each chunk returns one partial sum per group it holds
(:func:`group_sums`); the driver concatenates them in chunk order, which is day-0 order, and sums
them (:func:`total`). Both sums add rows one after another, from zero, in that order. The same
firm-events give the same ``(G, L1)`` array of group sums whether they came from one chunk or a
thousand, on one machine or a cluster, so the totals are the same to the bit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: Firm-events per chunk by default: about 0.4 GB of working arrays at a 240-day estimation window.
DEFAULT_CHUNK_SIZE = 20_000
#: A study smaller than twice this is not split for more workers: two chunks would cost more than they save.
MIN_SPLIT = 2_000


def default_chunk_size(n: int, workers: int) -> int:
    """Chunk size for ``n`` firm-events computed ``workers`` chunks at a time: at most
    :data:`DEFAULT_CHUNK_SIZE`, and small enough to give every worker a chunk when there is enough work."""
    if workers > 1 and n >= 2 * MIN_SPLIT:
        return min(DEFAULT_CHUNK_SIZE, max(MIN_SPLIT, -(-n // workers)))
    return DEFAULT_CHUNK_SIZE


def study_order(day0: np.ndarray) -> np.ndarray:
    """Positions of the firm-events sorted by day 0 (session number), ties in their given order."""
    return np.argsort(day0, kind="stable")


def plan_chunks(day0: np.ndarray, size: int) -> list[np.ndarray]:
    """Split firm-events into chunks of about ``size``: positions per chunk, in :func:`study_order`.

    ``day0`` is each firm-event's day 0 as a session number. A chunk holds whole day-0 groups: it
    is closed at the first group boundary at or past ``size`` firm-events, so it may be larger.
    """
    if size < 1:
        raise ValueError(f"chunk size must be at least 1, not {size}")
    order = study_order(day0)
    if order.size == 0:
        return []
    ordered = day0[order]
    group_ends = np.r_[np.flatnonzero(ordered[1:] != ordered[:-1]) + 1, order.size]
    chunks, start = [], 0
    while start < order.size:
        # the first group end at least `size` past the start (or the last one)
        end = group_ends[min(np.searchsorted(group_ends, start + size), group_ends.size - 1)]
        chunks.append(order[start:end])
        start = int(end)
    return chunks


def group_starts(day0: np.ndarray) -> np.ndarray:
    """First row of each run of equal ``day0`` (rows already in day-0 order)."""
    if day0.size == 0:
        return np.empty(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, day0[1:] != day0[:-1]])


def group_sums(x: np.ndarray, starts: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """``(G, L)``: the sum over the rows of each group (``starts`` as from :func:`group_starts`).

    Each group's rows are added one after another, in their order, starting from zero:
    ``((0 + w1 x1) + w2 x2) + ...`` (``weights`` ``(N,)`` default 1). That is the product of a
    sparse ``(G, N)`` matrix of the weights with ``x``, which scipy computes row by row in exactly
    this order (``tests/analysis/test_chunks.py`` checks it against a plain loop); so a group's
    sum depends on its own rows alone, and gives the same bits in any chunk.
    """
    from scipy.sparse import csr_matrix  # about 40 ms to import: only when a study runs

    n = x.shape[0]
    if starts.size == 0:
        return np.zeros((0, x.shape[1]))
    data = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    groups = csr_matrix((data, np.arange(n), np.r_[starts, n]), shape=(starts.size, n))
    return np.asarray(groups @ np.ascontiguousarray(x, dtype=np.float64))


def total(parts: Sequence[np.ndarray], width: int) -> np.ndarray:
    """``(L,)``: the sum over groups of the per-group sums ``parts`` (each ``(g, L)``), in their order.

    One reduction over the rows of the concatenated ``(G, L)`` array, which is the same array
    however the groups were split into chunks; numpy adds the rows of a C-ordered array one after
    another (checked in ``tests/analysis/test_chunks.py``).
    """
    parts = [p for p in parts if p.shape[0]]
    if not parts:
        return np.zeros(width)
    return np.add.reduce(np.concatenate(parts), axis=0)
