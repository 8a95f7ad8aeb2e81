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
:math:`0..L_2-1` — :math:`O(N L_1 + G L_1 L_2)` for :math:`G` distinct days 0. Each chunk of
firm-events gives the :math:`U_g` of its day-0 groups and :math:`\sum_i u_i'u_i`
(:func:`group_correlation_sums`, summed in the canonical order of :mod:`tracker.analysis.chunks`);
:func:`mean_cross_correlation` combines them.
"""

from __future__ import annotations

import numpy as np

from tracker.analysis.chunks import group_starts, group_sums
from tracker.analysis.residuals import EstimationResiduals


def group_correlation_sums(residuals: EstimationResiduals, day0: np.ndarray, *, centred: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""The firm-events' part of :math:`\bar r`: ``(days, sums, own)``.

    ``days`` ``(G,)`` are the distinct day 0s (session numbers) of the rows, which come in day-0
    order; ``sums`` ``(G, L1)`` is :math:`U_g`, the sum of the normalised residuals :math:`u_i` of
    each day-0 group; ``own`` ``(N,)`` is each firm-event's :math:`u_i'u_i` (1, or 0 without
    variation), which :math:`\sum_{i\ne j}` leaves out.

    Parameters
    ----------
    residuals
        The firm-events' estimation-window abnormal returns.
    day0
        ``(N,)`` session index of each firm-event's day 0 (estimation offsets are relative to it),
        non-decreasing.
    centred
        The residuals already have mean zero per firm-event (OLS with an intercept): skip demeaning.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        e = residuals.filled
        if not centred:
            mean = e.sum(axis=1) / residuals.count
            e = e - mean[:, None] * residuals.present
        squares = np.einsum("nl,nl->n", e, e)
        norm = np.sqrt(squares)
        scale = 1.0 / np.where(norm > 0, norm, 1.0)  # u = e * scale
    starts = group_starts(day0)
    return day0[starts], group_sums(e, starts, scale), squares * scale * scale


def mean_cross_correlation(days: np.ndarray, sums: np.ndarray, own: np.ndarray, l2: int) -> float | None:
    r""":math:`\bar r` as defined above from the parts of :func:`group_correlation_sums`; ``None`` for fewer than 2 firm-events.

    ``days`` must be increasing (each day 0 once), ``own`` holds every firm-event's
    :math:`u_i'u_i`; ``l2`` is the event-window length.
    """
    n = own.size
    if n < 2:
        return None
    l1 = sums.shape[1]
    total = float(np.einsum("gl,gl->", sums, sums) - np.sum(own))  # same day 0, i != j
    for lag in range(1, min(l2, l1)):  # loop over day-0 distances, never over firms
        partner = np.searchsorted(days, days + lag)
        found = partner < days.size
        found[found] = days[partner[found]] == days[found] + lag
        if not found.any():
            continue
        a, b = sums[found], sums[partner[found]]
        # session of U_g[t] is g + t; U_h with h = g + lag has that session at t - lag
        overlap = float(np.einsum("gl,gl->", a[:, lag:], b[:, : l1 - lag]))
        total += 2.0 * overlap * (l2 - lag) / l2
    return total / (n * (n - 1))
