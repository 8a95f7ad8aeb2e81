r"""Rank and sign tests: no assumption on the distribution of abnormal returns.

All ranks are within one firm-event's own series (estimation days plus event days), with ties
given their average rank and missing days left out. The estimation-window part of the ranking
is the same for every window and every test, so it is computed once
(:class:`~tracker.analysis.residuals.EstimationResiduals`); each window then only counts how its
own values fall among them.

References: Corrado (1989, JFE 23:385–395); Corrado & Zivney (1992, JFQA 27:465–478);
Cowan (1992, RQFA 2:343–358); Campbell & Wasley (1993, RQFA 3:73–92);
Kolari & Pynnönen (2011, JEF 18:953–971); Wilcoxon (1945).
"""

from __future__ import annotations

import math

import numpy as np

from tracker.analysis.residuals import average_ranks
from tracker.analysis.statistics import TestResult, normal_test, t_test, two_sided_p_normal, undefined

MEDIAN_NULL = "abnormal returns are as likely to rank above as below their median"
SIGN_NULL = "positive and negative CARs are equally likely"
EXACT_WILCOXON_MAX_N = 50
#: Up to this many firm-events the sign tests' p-values are exact binomial ones.
EXACT_SIGN_MAX_N = 50


def _rank_scale(est_u: np.ndarray, day_count: np.ndarray, extra_u: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, float, int]:
    r"""Mean centred U per time point and :math:`S^2=\frac1T\sum_t\frac{N_t}{N}\bar U_t^2` over the :math:`T` points with data.

    ``est_u`` ``(L1,)`` sums of U over firm-events per estimation day (divided here by the day's
    count ``day_count``); ``extra_u`` ``(n, m)`` the U of the appended, complete columns.
    """
    days = day_count > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        est_mean = est_u / day_count - 0.5
    extra_mean = extra_u.mean(axis=0) - 0.5
    points = int(days.sum()) + extra_u.shape[1]
    s2 = (float(np.sum(day_count[days] / n * est_mean[days] ** 2)) + float(np.sum(extra_mean**2))) / points
    return est_mean, extra_mean, s2, points


def corrado_rank_tests(est_u: np.ndarray, day_count: np.ndarray, window_u: np.ndarray, day0_column: int | None) -> tuple[TestResult, TestResult]:
    r"""Corrado (1989) rank test on day 0 and the Cowan (1992) rank test over the window.

    Each firm's ARs on its estimation days and the window's :math:`L_2` days are ranked
    together; :math:`U_{it} = K_{it}/(L_i+1)` with :math:`L_i` the firm's non-missing days
    (Corrado & Zivney 1992), so :math:`E[U]=\tfrac12` whatever is missing. With
    :math:`\bar U_t` the mean over the :math:`N_t` firm-events with data on event day
    :math:`t` and :math:`L` the days of :math:`E\cup W` with data,

    .. math::

        S_U^2 = \frac1L\sum_{t\in E\cup W}\frac{N_t}{N}\bigl(\bar U_t-\tfrac12\bigr)^2,\qquad
        z_{Corrado} = \frac{\bar U_0-\tfrac12}{S_U},\qquad
        z_{rank} = \sqrt{L_2}\,\frac{\bar K_W-\tfrac12}{S_U},\quad
        \bar K_W = \frac1{L_2}\sum_{t\in W}\bar U_t

    both :math:`\sim N(0,1)`. :math:`S_U` is the time-series spread of the *average* rank, so
    cross-correlation is accounted for. For :math:`L_2=1` at day 0 the two coincide. The
    window test loses power as the window grows (use GRANK there).

    Parameters
    ----------
    est_u
        ``(L1,)`` sum over firm-events of each estimation day's U (a missing day counts 0), from
        :meth:`~tracker.analysis.residuals.EstimationResiduals.ranks_with` with the window's ARs, over T_i + 1.
    day_count
        ``(L1,)`` firm-events with data on each estimation day.
    window_u
        ``(N, L2)`` U of each firm-event's window days.
    day0_column
        Column of day 0 in the window, ``None`` when the window does not hold it.
    """
    names = ("corrado_rank_z", "rank_z")
    n, l2 = window_u.shape
    if n == 0:
        return undefined(names[0], "N(0,1)", "no firm-events", MEDIAN_NULL), undefined(names[1], "N(0,1)", "no firm-events", MEDIAN_NULL)
    _, window_mean, s2, _ = _rank_scale(est_u, day_count, window_u, n)
    s = math.sqrt(s2)
    if s == 0.0:
        reason = "average ranks do not vary over time"
        return undefined(names[0], "N(0,1)", reason, MEDIAN_NULL), undefined(names[1], "N(0,1)", reason, MEDIAN_NULL)
    corrado = (normal_test(names[0], float(window_mean[day0_column]) / s, MEDIAN_NULL) if day0_column is not None
               else undefined(names[0], "N(0,1)", "day 0 is not in the window", MEDIAN_NULL))
    return corrado, normal_test(names[1], math.sqrt(l2) * float(window_mean.mean()) / s, MEDIAN_NULL)


def grank_scale(scar: np.ndarray) -> tuple[float | None, TestResult | None]:
    """:math:`s(SCAR)`, the cross-sectional sd that re-scales the SCARs for :func:`grank_t`; or, when
    there is none, the undefined GRANK test saying why."""
    name, n = "grank_t", scar.size
    if n < 2:
        return None, undefined(name, "t", "needs at least 2 firm-events (SCARs are re-scaled by their cross-sectional sd)", MEDIAN_NULL)
    spread = float(np.std(scar, ddof=1))
    if spread == 0.0:
        return None, undefined(name, "t", "standardised CARs do not vary across firm-events", MEDIAN_NULL)
    return spread, None


def grank_t(est_u: np.ndarray, day_count: np.ndarray, event_u: np.ndarray) -> TestResult:
    r"""Generalised rank test of Kolari & Pynnönen (2011) on the cumulative abnormal return.

    Each firm's standardised estimation-window ARs :math:`SAR_{i\tau}=AR_{i\tau}/s_i` get one
    more observation, its standardised CAR re-scaled by the cross-sectional spread of the
    SCARs, :math:`SCAR^*_i = SCAR_i/s(SCAR)` (which absorbs event-induced variance). Over the
    :math:`T_i` non-missing values, :math:`U_{it} = \mathrm{rank}/(T_i+1)-\tfrac12`. With
    :math:`T = L_1+1` time points and :math:`\bar U_t` the mean over the :math:`N_t` firm-events
    with data at :math:`t`,

    .. math::

        Z = \frac{\bar U_0}{S_{\bar U}},\quad
        S_{\bar U}^2 = \frac1T\sum_t\frac{N_t}{N}\bar U_t^2,\qquad
        t_{grank} = Z\sqrt{\frac{T-2}{T-1-Z^2}} \sim t(T-2)

    Robust to cross-correlation, event-induced volatility and serial correlation of the
    window's ARs (KP 2011 §3). Stata estudy divides ranks by :math:`L_1+1` and uses :math:`L_1`
    for :math:`T`; here :math:`T` counts the appended observation.

    Parameters
    ----------
    est_u
        ``(L1,)`` sum over firm-events of each estimation day's U with :math:`SCAR^*_i` appended
        (a missing day counts 0); :func:`grank_scale` gives :math:`s(SCAR)`.
    day_count
        ``(L1,)`` firm-events with data on each estimation day.
    event_u
        ``(N,)`` U of each firm-event's :math:`SCAR^*_i`.
    """
    name = "grank_t"
    _, event_mean, s2, t_points = _rank_scale(est_u, day_count, event_u[:, None], event_u.size)
    if s2 == 0.0 or t_points < 3:
        return undefined(name, "t", "average ranks do not vary over time", MEDIAN_NULL)
    z = float(event_mean[0]) / math.sqrt(s2)
    if t_points - 1 - z * z <= 0:
        return undefined(name, f"t({t_points - 2})", "Z is too large for the t transformation", MEDIAN_NULL)
    return t_test(name, z * math.sqrt((t_points - 2) / (t_points - 1 - z * z)), t_points - 2, MEDIAN_NULL)


def generalized_sign_z(positive_share: np.ndarray, car: np.ndarray) -> TestResult:
    r"""Generalised sign test (Cowan 1992): positive CARs against the estimation-window rate.

    .. math::

        \hat p = \frac1N\sum_i\frac{1}{M_i}\sum_{\tau\in E}\mathbf 1[AR_{i\tau}>0],\qquad
        Z = \frac{w - N\hat p}{\sqrt{N\hat p(1-\hat p)}} \sim N(0,1)

    with :math:`w` the number of positive CARs; no continuity correction (as estudy2 and
    sipemu/eventstudy). For :math:`N \le 50` the p-value is the exact two-sided binomial one
    (:func:`binomial_p`); the statistic is still :math:`Z`.

    ``positive_share`` ``(N,)`` is each firm-event's share of positive estimation-window ARs
    (:math:`\frac{1}{M_i}\sum_{\tau\in E}\mathbf 1[AR_{i\tau}>0]`).
    """
    name, n = "generalized_sign_z", car.size
    null = "CARs are positive as often as estimation-window ARs"
    if n == 0:
        return undefined(name, "N(0,1)", "no firm-events", null)
    p_hat = float(np.mean(positive_share))
    if not 0.0 < p_hat < 1.0:
        return undefined(name, "N(0,1)", f"estimation-window share of positive ARs is {p_hat:g}", null)
    w = int((car > 0).sum())
    z = (w - n * p_hat) / math.sqrt(n * p_hat * (1.0 - p_hat))
    if n <= EXACT_SIGN_MAX_N:
        return TestResult(name, z, binomial_p(w, n, p_hat), f"exact binomial (N={n}, p={p_hat:.3f})", null=null)
    return normal_test(name, z, null)


def sign_z(car: np.ndarray) -> TestResult:
    r"""Sign test (e.g. Brown & Warner 1980; Cowan 1992): positive CARs against one half.

    .. math:: Z = \frac{w - N/2}{\sqrt{N/4}} \sim N(0,1)

    with :math:`w` the number of positive CARs. Assumes independent firm-events and a median AR
    of zero, which skewed daily returns violate (prefer the generalised sign test). For
    :math:`N \le 50` the p-value is the exact two-sided binomial one (:func:`binomial_p`).
    """
    n = car.size
    if n == 0:
        return undefined("sign_z", "N(0,1)", "no firm-events", SIGN_NULL)
    w = int((car > 0).sum())
    z = (w - n / 2.0) / math.sqrt(n / 4.0)
    if n <= EXACT_SIGN_MAX_N:
        return TestResult("sign_z", z, binomial_p(w, n, 0.5), f"exact binomial (N={n}, p=0.5)", null=SIGN_NULL)
    return normal_test("sign_z", z, SIGN_NULL)


def binomial_p(w: int, n: int, p: float) -> float:
    """Exact two-sided p-value of ``w`` successes in ``n`` trials of probability ``p``: the
    probability of every outcome no more likely than ``w`` (the "minimum likelihood" rule of
    scipy's ``binomtest``)."""
    pmf = [math.comb(n, k) * p**k * (1.0 - p) ** (n - k) for k in range(n + 1)]
    observed = pmf[w] * (1.0 + 1e-7)
    return min(1.0, math.fsum(q for q in pmf if q <= observed))


def signed_rank_distribution(n: int) -> np.ndarray:
    """Exact null probabilities of :math:`W^+ = 0..n(n+1)/2` for ``n`` untied, non-zero values."""
    counts = np.zeros(n * (n + 1) // 2 + 1)
    counts[0] = 1.0
    for k in range(1, n + 1):  # each rank k is added to W+ or not, with equal chance
        counts[k:] = counts[k:] + counts[:-k].copy()
    return counts / 2.0**n


def wilcoxon(car: np.ndarray) -> TestResult:
    r"""Wilcoxon signed-rank test on the CARs (median CAR zero, symmetric distribution).

    :math:`W^+ = \sum_{i:CAR_i>0}\mathrm{rank}(|CAR_i|)` over the :math:`n` non-zero CARs (ties
    averaged). The statistic reported is the standardised

    .. math:: Z = \frac{W^+ - n(n+1)/4}{\sqrt{n(n+1)(2n+1)/24 - \sum_g (t_g^3-t_g)/48}}

    (:math:`t_g` the sizes of groups of tied :math:`|CAR|`). The p-value is exact (the
    distribution of :math:`W^+` enumerated, doubled smaller tail) for :math:`n\le 50` without
    ties, else from N(0,1). Stata estudy's "Wilcoxon" row ranks each CAR within its own
    security's series and is not this test.
    """
    name = "wilcoxon"
    null = "CARs are symmetric about zero"
    nonzero = car[car != 0]
    n = nonzero.size
    if n == 0:
        return undefined(name, "N(0,1)", "no non-zero CARs", null)
    magnitude = np.abs(nonzero)
    ranks = average_ranks(magnitude[None, :])[0]
    w_plus = float(ranks[nonzero > 0].sum())
    _, tie_sizes = np.unique(magnitude, return_counts=True)
    variance = n * (n + 1) * (2 * n + 1) / 24.0 - float(np.sum(tie_sizes**3 - tie_sizes)) / 48.0
    z = (w_plus - n * (n + 1) / 4.0) / math.sqrt(variance) if variance > 0 else float("nan")
    if n <= EXACT_WILCOXON_MAX_N and (tie_sizes == 1).all():
        probabilities = signed_rank_distribution(n)
        w = int(round(w_plus))
        p = min(1.0, 2.0 * min(probabilities[: w + 1].sum(), probabilities[w:].sum()))
        return TestResult(name, z, p, f"exact signed-rank (n={n})", null=null)
    if not math.isfinite(z):
        return undefined(name, "N(0,1)", "signed ranks do not vary", null)
    return TestResult(name, z, two_sided_p_normal(z), "N(0,1)", null=null)
