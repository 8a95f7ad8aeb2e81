r"""The average cross-correlation of abnormal returns behind the Kolari–Pynnönen adjustments.

Kolari & Pynnönen (2010, RFS 23:3996–4025) correct the variance of a cross-sectional mean of
standardised abnormal returns for their average pairwise correlation :math:`\bar r`,
estimated from the estimation-window residuals. The correlation that matters is the one
*clustered event dates* induce, so residuals are paired by **calendar date** (the same trading
session), not by event time: with different event dates, event-time pairing compares
unrelated days and finds :math:`\bar r\approx 0` however clustered the sample is (the pitfall
of Stata estudy and sipemu/eventstudy; StatsPAI's ``'calendar'`` option pairs by date).

Definition used here, for :math:`N` firm-events and an event window of :math:`L_2` days:

.. math::

    u_{i\tau} = \frac{e_{i\tau}-\bar e_i}{\sqrt{\sum_{\tau\in E_i}(e_{i\tau}-\bar e_i)^2}},\qquad
    \hat\rho_{ij} = \sum_{\text{sessions } s\in E_i\cap E_j} u_{is}\,u_{js},\qquad
    \bar r = \frac{1}{N(N-1)}\sum_{i\ne j}\hat\rho_{ij}\,\frac{o_{ij}}{L_2}

with :math:`e` the estimation-window abnormal returns and :math:`o_{ij}` the number of sessions
the two event windows share. When two firm-events share their estimation days,
:math:`\hat\rho_{ij}` is exactly the Pearson correlation of their residuals; the weight
:math:`o_{ij}/L_2` is the share of the CARs' days in common, so a fully clustered sample (every
day 0 equal) gives KP's :math:`\bar r`, and firm-events whose windows never overlap contribute
zero, as their CARs are uncorrelated. Missing days enter as zeros.

The double sum is never formed pair by pair: firm-events with the same day 0 share calendar
dates, so their :math:`u` vectors are summed first (:math:`U_g`), and
:math:`\sum_{i\ne j}` becomes inner products of those sums at day-0 distances
:math:`0..L_2-1` — :math:`O(N L_1 + G L_1 L_2)` for :math:`G` distinct days 0.
"""

from __future__ import annotations

import numpy as np

from tracker.analysis.residuals import EstimationResiduals


def _group_sums(x: np.ndarray, weights: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """``(G, L)``: the weighted sum of the rows of each run ``starts[g]..starts[g+1]-1`` of ``x``.

    One weighted sum per run of two or more rows (each row read once, in cache); runs of a
    single row, most of them when day 0s are spread out, are one vectorised product. numpy's own
    ``einsum`` rather than a BLAS product, whose order of additions may change with its threads:
    the same inputs give the same bits on any number of cores.
    """
    ends = np.r_[starts[1:], x.shape[0]]
    sums = np.empty((starts.size, x.shape[1]))
    single = ends - starts == 1
    sums[single] = x[starts[single]] * weights[starts[single], None]
    for g in np.flatnonzero(~single).tolist():
        np.einsum("n,nl->l", weights[starts[g]: ends[g]], x[starts[g]: ends[g]], out=sums[g])
    return sums


def mean_cross_correlation(residuals: EstimationResiduals, day0: np.ndarray, l2: int, *, centred: bool = False) -> float | None:
    """:math:`\\bar r` as defined above; ``None`` for fewer than 2 firm-events.

    Parameters
    ----------
    residuals
        The firm-events' estimation-window abnormal returns.
    day0
        ``(N,)`` session index of each firm-event's day 0 (estimation offsets are relative to it).
    l2
        Event-window length.
    centred
        The residuals already have mean zero per firm-event (OLS with an intercept): skip demeaning.
    """
    n = residuals.n
    if n < 2:
        return None
    with np.errstate(invalid="ignore", divide="ignore"):
        e = residuals.filled
        if not centred:
            mean = e.sum(axis=1) / residuals.count
            e = e - mean[:, None] * residuals.present
        squares = np.einsum("nl,nl->n", e, e)
        norm = np.sqrt(squares)
        scale = 1.0 / np.where(norm > 0, norm, 1.0)  # u = e * scale, never formed
    if (np.diff(day0) < 0).any():
        order = np.argsort(day0, kind="stable")
        day0, e, scale, squares = day0[order], e[order], scale[order], squares[order]
    starts = np.flatnonzero(np.r_[True, day0[1:] != day0[:-1]])
    group_day = day0[starts]
    sums = _group_sums(e, scale, starts)  # U_g, the sum of u over the firm-events of each day 0
    l1 = sums.shape[1]
    total = float(np.einsum("gl,gl->", sums, sums) - np.sum(squares * scale * scale))  # same day 0, i != j
    for lag in range(1, min(l2, l1)):  # loop over day-0 distances, never over firms
        partner = np.searchsorted(group_day, group_day + lag)
        found = partner < group_day.size
        found[found] = group_day[partner[found]] == group_day[found] + lag
        if not found.any():
            continue
        a, b = sums[found], sums[partner[found]]
        # session of U_g[t] is g + t; U_h with h = g + lag has that session at t - lag
        overlap = float(np.einsum("gl,gl->", a[:, lag:], b[:, : l1 - lag]))
        total += 2.0 * overlap * (l2 - lag) / l2
    return total / (n * (n - 1))
