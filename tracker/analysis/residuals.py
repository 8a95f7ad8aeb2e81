"""Estimation-window abnormal returns, prepared once for every test that reads them.

The crude-dependence t, the rank tests, the generalised sign test and the cross-correlation
behind the Kolari–Pynnönen adjustments all read the firm-events' estimation-window ARs. They
are kept here with NaN-free copies, the mask of days with data, counts and within-firm ranks,
so each window's tests only do their own arithmetic. Everything here is row by row (one
firm-event's own values); the sums across firm-events are made by the caller in the canonical
order of :mod:`tracker.analysis.chunks`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


#: Above this many appended columns, ranking the concatenation is faster than counting comparisons.
RANK_BY_SORTING = 6


def average_ranks(x: np.ndarray, missing: float = np.nan) -> np.ndarray:
    """Ranks ``1..n_i`` along each row of ``x`` (ties averaged), ``missing`` where ``x`` is NaN."""
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

    def ranks_with(self, extra: np.ndarray, scale: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        r"""Within-firm ranks after appending the complete columns ``extra`` ``(N, m)``.

        Each firm's :math:`T_i = M_i + m` values (its estimation ARs with data and the appended
        ones) are ranked together, ties averaged; the tests use :math:`U = K/(T_i+1)`. ``scale``
        ``(N,)`` divides the ARs first (standardised ARs); within-firm ranks do not change under a
        positive scale, so only the comparisons with ``extra`` use it. Returns the estimation
        days' ranks ``(N, L1)`` (0 on a missing day) and the appended values' ``(N, m)``.
        """
        if extra.shape[1] > RANK_BY_SORTING:  # a long window: one sort of everything beats m comparison passes
            if scale is not None:
                extra = extra * scale[:, None]
            ranks = average_ranks(np.concatenate([self.values, extra], axis=1), missing=0.0)
            length = self.values.shape[1]
            return ranks[:, :length], ranks[:, length:]
        shift, extra_ranks = rank_shift(self.values, self.count, extra, scale)
        shift += self.ranks
        return shift, extra_ranks


def rank_shift(values: np.ndarray, count: np.ndarray, extra: np.ndarray, scale: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """How appending ``extra`` ``(N, m)`` moves the ranks of estimation ARs ``values``, and the ranks of ``extra``.

    ``values`` ``(N, L1)`` has NaN on missing days, ``count`` ``(N,)`` the days with data. The first
    result ``(N, L1)``: for each estimation AR, the number of appended values below it, ties
    counting one half (0 on a missing day); its rank among all :math:`T_i = M_i + m` values is its
    own rank (:attr:`EstimationResiduals.ranks`) plus that. The second ``(N, m)``: each appended
    value's rank among all :math:`T_i`. ``scale`` as in :meth:`EstimationResiduals.ranks_with`.
    """
    # a/s < v exactly when a < v s (s > 0): scale the few extra values, not the whole window
    if scale is not None:
        extra = extra * scale[:, None]
    n, m = extra.shape
    above = np.zeros(values.shape, dtype=np.int16)  # extra values below each estimation AR
    ties = None
    extra_ranks = np.empty((n, m))
    for j in range(m):  # over window days, never over firms
        v = extra[:, j, None]
        greater = values > v
        np.add(above, greater, out=above, casting="unsafe")
        tied = values == v
        n_tied = np.count_nonzero(tied, axis=1)
        if n_tied.any():
            ties = np.zeros(values.shape) if ties is None else ties
            ties += tied
        below = count - np.count_nonzero(greater, axis=1) - n_tied  # NaN compares false
        others = (extra < v).sum(axis=1) + 0.5 * ((extra == v).sum(axis=1) - 1)
        extra_ranks[:, j] = 1.0 + below + 0.5 * n_tied + others
    shift = above.astype(np.float64)
    if ties is not None:
        shift += 0.5 * ties
    return shift, extra_ranks
