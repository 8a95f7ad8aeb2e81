"""Estimation-window abnormal returns, prepared once for every test that reads them.

The crude-dependence t, the rank tests, the generalised sign test and the cross-correlation
behind the Kolari–Pynnönen adjustments all read the firm-events' estimation-window ARs. They
are kept here with NaN-free copies, the mask of days with data, counts and within-firm ranks,
so each window's tests only do their own arithmetic.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np


def average_ranks(x: np.ndarray) -> np.ndarray:
    """Ranks ``1..n_i`` along each row of ``x`` (ties averaged), NaN where ``x`` is NaN."""
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
    ranks[np.isnan(x)] = np.nan
    return ranks


_RANKER: ThreadPoolExecutor | None = None


def _ranker() -> ThreadPoolExecutor:
    """One worker thread that ranks while the caller computes what needs no ranks (numpy releases the GIL)."""
    global _RANKER
    if _RANKER is None:
        _RANKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tracker-ranks")
    return _RANKER


def _ranks_or_zero(values: np.ndarray, present: np.ndarray) -> np.ndarray:
    ranks = average_ranks(values)
    ranks[~present] = 0.0
    return ranks


class EstimationResiduals:
    """``(N, L1)`` estimation-window ARs of N firm-events, with what the tests need of them.

    ``values`` (NaN where a day has no data), ``filled`` (0 there), ``present``, ``count`` (days
    with data per firm-event, :math:`M_i`) and ``ranks`` (within-firm average ranks, 0 where
    missing). The ranks are computed in a worker thread from construction on, and waited for on
    first use.
    """

    def __init__(self, values: np.ndarray, filled: np.ndarray, present: np.ndarray, count: np.ndarray,
                 ranks: np.ndarray | Future, rows: np.ndarray | None = None):
        self.values, self.filled, self.present, self.count = values, filled, present, count
        self._ranks, self._rows = ranks, rows

    @classmethod
    def of(cls, values: np.ndarray) -> EstimationResiduals:
        present = np.isfinite(values)
        ranks = _ranker().submit(_ranks_or_zero, values, present)
        return cls(values, np.where(present, values, 0.0), present, present.sum(axis=1), ranks)

    @property
    def ranks(self) -> np.ndarray:
        if isinstance(self._ranks, Future):
            ranks = self._ranks.result()
            self._ranks = ranks if self._rows is None else ranks[self._rows]
        return self._ranks

    def take(self, rows: np.ndarray) -> EstimationResiduals:
        """The firm-events at ``rows`` (no copy when that is all of them, in order)."""
        if rows.size == self.count.size and (rows.size == 0 or (rows[0] == 0 and (np.diff(rows) == 1).all())):
            return self
        if isinstance(self._ranks, Future):  # still ranking: remember which rows to keep
            ranks, base = self._ranks, (rows if self._rows is None else self._rows[rows])
        else:
            ranks, base = self._ranks[rows], None
        return EstimationResiduals(self.values[rows], self.filled[rows], self.present[rows], self.count[rows], ranks, base)

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

    def ranks_with(self, extra: np.ndarray, scale: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Ranks after appending the complete columns ``extra`` ``(N, m)`` to each firm's ARs.

        ``scale`` ``(N,)`` divides the ARs first (standardised ARs); within-firm ranks do not
        change under a positive scale, so only the comparisons with ``extra`` use it. Returns
        the estimation days' ranks (0 where missing), the extra values' ranks, and the number
        of ranked values per firm.
        """
        reference = self.values if scale is None else self.values / scale[:, None]
        n, m = extra.shape
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
        ranks = self.ranks + above
        if ties is not None:
            ranks += 0.5 * ties
        return ranks, extra_ranks, self.count + m
