"""Estimation-window abnormal returns, prepared once for every test that reads them.

The crude-dependence t, the rank tests, the generalised sign test and the cross-correlation
behind the Kolari–Pynnönen adjustments all read the firm-events' estimation-window ARs. They
are kept here with NaN-free copies, the mask of days with data, counts and within-firm ranks,
so each window's tests only do their own arithmetic.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np


#: Above this many appended columns, ranking the concatenation is faster than counting comparisons.
RANK_BY_SORTING = 6
#: From this many values on, row-wise work (ranks, rank comparisons) runs as two halves of the rows.
PARALLEL_RANK_CELLS = 500_000
_helper: ThreadPoolExecutor | None = None


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _halves(cells: int, rows: int) -> bool:
    """Whether row-wise work is done as two halves of the rows (see :func:`_on_halves`).

    Decided by the size of the work alone, so that sums over the rows are added in the same
    order, and give the same bits, on any number of cores.
    """
    return cells >= PARALLEL_RANK_CELLS and rows >= 2


def _on_halves(rows: int, work):
    """``work(top)`` and ``work(bottom)`` for the two halves of ``rows`` rows (slices), in that order.

    On two cores the top half runs in the helper thread while this one does the bottom half
    (numpy's sorts, comparisons and counts release the GIL); on one core they run in turn.
    """
    top, bottom = slice(0, rows // 2), slice(rows // 2, rows)
    if _cpus() < 2:
        return work(top), work(bottom)
    first = _helper_thread().submit(work, top)
    second = work(bottom)
    return first.result(), second


def _helper_thread() -> ThreadPoolExecutor:
    global _helper
    if _helper is None:
        _helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ranks")
    return _helper


def average_ranks(x: np.ndarray, missing: float = np.nan) -> np.ndarray:
    """Ranks ``1..n_i`` along each row of ``x`` (ties averaged), ``missing`` where ``x`` is NaN.

    Rows are ranked independently, so a large ``x`` is ranked as two halves of rows
    (:func:`_on_halves`, two threads on two cores): the same numbers, faster on two cores.
    """
    if not _halves(x.size, x.shape[0]):
        return _average_ranks(x, missing)
    return np.concatenate(_on_halves(x.shape[0], lambda rows: _average_ranks(x[rows], missing)))


def _average_ranks(x: np.ndarray, missing: float) -> np.ndarray:
    n, length = x.shape
    if x.size == 0:
        return np.empty(x.shape)
    order = np.argsort(x, axis=1)  # NaN sorts last
    flat = (order + (np.arange(n) * length)[:, None]).ravel()
    ranks = np.empty(n * length)
    ranks[flat] = np.tile(np.arange(1.0, length + 1.0), n)
    ranks = ranks.reshape(n, length)
    ordered = x.ravel()[flat].reshape(n, length)
    tied = (ordered[:, 1:] == ordered[:, :-1]).any(axis=1)
    if tied.any():  # rare in real data (stale prices): rank those rows with scipy
        from scipy.stats import rankdata  # slow to import, so only when needed

        ranks[tied] = rankdata(x[tied], axis=1, nan_policy="omit")
    ranks[np.isnan(x)] = missing
    return ranks


@dataclass(frozen=True)
class EstimationResiduals:
    """``(N, L1)`` estimation-window ARs of N firm-events, with what the tests need of them."""

    values: np.ndarray  # NaN where a day has no data
    filled: np.ndarray  # 0 where a day has no data
    present: np.ndarray  # bool
    count: np.ndarray  # (N,) days with data (M_i)
    ranks: np.ndarray  # within-row average ranks, 0 where a day has no data

    @classmethod
    def of(cls, values: np.ndarray, filled: np.ndarray | None = None, present: np.ndarray | None = None) -> EstimationResiduals:
        """From ARs with NaN for missing days (``filled`` and ``present`` when the caller has them)."""
        present = np.isfinite(values) if present is None else present
        filled = np.where(present, values, 0.0) if filled is None else filled
        return cls(values, filled, present, present.sum(axis=1), average_ranks(values, missing=0.0))

    def take(self, rows: np.ndarray) -> EstimationResiduals:
        """The firm-events at ``rows`` (no copy when that is all of them, in order)."""
        if rows.size == self.count.size and (rows.size == 0 or (rows[0] == 0 and (np.diff(rows) == 1).all())):
            return self
        return EstimationResiduals(self.values[rows], self.filled[rows], self.present[rows], self.count[rows], self.ranks[rows])

    @property
    def n(self) -> int:
        return int(self.count.size)

    @property
    def day_count(self) -> np.ndarray:
        """``(L1,)`` firm-events with data on each estimation day (event time)."""
        return self.present.sum(axis=0)

    def day_mean(self) -> np.ndarray:
        """``(L1,)`` average AR across firm-events on each estimation day, NaN where none has data."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.filled.sum(axis=0) / self.day_count

    def _rows(self, rows: slice) -> EstimationResiduals:
        """The firm-events in ``rows`` as views."""
        return EstimationResiduals(self.values[rows], self.filled[rows], self.present[rows], self.count[rows], self.ranks[rows])

    def uniform_ranks_with(self, extra: np.ndarray, scale: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        r"""Uniform ranks :math:`U = K/(T_i+1)` after appending the complete columns ``extra`` ``(N, m)``.

        Each firm's :math:`T_i = M_i + m` values (its estimation ARs with data and the appended
        ones) are ranked together, ties averaged. ``scale`` ``(N,)`` divides the ARs first
        (standardised ARs); within-firm ranks do not change under a positive scale, so only
        the comparisons with ``extra`` use it. Returns the sum over firm-events of the
        estimation days' U ``(L1,)`` (a missing day counts 0) and the appended values' U ``(N, m)``.

        Every row is ranked on its own, so for many firm-events the work runs as two halves of
        the rows, in two threads on two cores (numpy's comparisons and counts release the GIL);
        the halves' sums are added, first half first, however many cores there are.
        """
        n, m = extra.shape
        if m > RANK_BY_SORTING or not _halves(self.values.size, n):  # (sorting splits inside average_ranks)
            return self._uniform_ranks_with(extra, scale)
        def half(rows: slice) -> tuple[np.ndarray, np.ndarray]:
            return self._rows(rows)._uniform_ranks_with(extra[rows], None if scale is None else scale[rows])

        (sums_top, extra_top), (sums_bottom, extra_bottom) = _on_halves(n, half)
        return sums_top + sums_bottom, np.concatenate([extra_top, extra_bottom])

    def _uniform_ranks_with(self, extra: np.ndarray, scale: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        # a/s < v exactly when a < v s (s > 0): scale the few extra values, not the whole window
        reference = self.values
        if scale is not None:
            extra = extra * scale[:, None]
        n, m = extra.shape
        inverse = 1.0 / (self.count + m + 1.0)
        if m > RANK_BY_SORTING:  # a long window: one sort of everything beats m comparison passes
            ranks = average_ranks(np.concatenate([reference, extra], axis=1))
            length = reference.shape[1]
            est_ranks = np.where(self.present, ranks[:, :length], 0.0)
            return np.einsum("nl,n->l", est_ranks, inverse), ranks[:, length:] * inverse[:, None]
        above = np.zeros(reference.shape, dtype=np.int16)  # extra values below each estimation AR
        ties = None
        extra_ranks = np.empty((n, m))
        for j in range(m):  # over window days, never over firms
            v = extra[:, j, None]
            greater = reference > v
            np.add(above, greater, out=above, casting="unsafe")
            tied = reference == v
            n_tied = np.count_nonzero(tied, axis=1)
            if n_tied.any():
                ties = np.zeros(reference.shape) if ties is None else ties
                ties += tied
            below = self.count - np.count_nonzero(greater, axis=1) - n_tied  # NaN compares false
            others = (extra < v).sum(axis=1) + 0.5 * ((extra == v).sum(axis=1) - 1)
            extra_ranks[:, j] = 1.0 + below + 0.5 * n_tied + others
        # sum_i U_it = sum_i (rank + above [+ ties/2]) / (T_i + 1), without forming the ranks
        est_sums = np.einsum("nl,n->l", self.ranks, inverse) + np.einsum("nl,n->l", above, inverse)
        if ties is not None:
            est_sums += 0.5 * np.einsum("nl,n->l", ties, inverse)
        return est_sums, extra_ranks * inverse[:, None]
