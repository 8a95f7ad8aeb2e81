r"""The calendar-time portfolio test (Jaffe 1974; Mandelker 1974; Fama 1998; Mitchell & Stafford 2000).

For one event window :math:`[a, b]` of :math:`L_2` days, the portfolio holds on calendar session
:math:`t` every firm-event *i* of the window (complete data in it) with
:math:`day0_i + a \le t \le day0_i + b`. Its return is the equal-weighted mean over those
holdings of the model's dependent variable (:math:`R` for the market model, :math:`R - r_f` for
the factor models, :math:`R - R_m` for the market-adjusted one; the firm-events' ARs
:math:`R - \bar R_E` for the mean-adjusted one, whose dependent variable is the raw return).
Over the :math:`T` sessions with at least one holding it is regressed on an intercept and the
model's regressors on that session (the market's return; MKT−RF, SMB, HML[, MOM]; nothing for
the adjusted models):

.. math::

    y_{p,t} = \alpha + \beta' z_t + e_t,\qquad
    t_\alpha = \frac{\hat\alpha}{s\sqrt{1/T + \bar z' S_{zz}^{-1}\bar z}} \sim t(T-k)

with :math:`k = 1 + p`. :math:`\hat\alpha` is the portfolio's mean daily abnormal return;
:math:`L_2\hat\alpha` puts it on the scale of a CAR. Each session's cross-section is averaged
before the time series is formed, so its residual variance carries every covariance between
firm-events held together: the test stays valid when events cluster in calendar time.

Computed in chunks (:mod:`tracker.analysis.partial`): each chunk gives, per day-0 group of the
window's firm-events, the sum of their dependent variable on the window's days, their count
and the group's regressors (:func:`group_holdings`); :func:`calendar_time_t` lays the groups
out on the calendar in their canonical (day-0) order and sums each session's holdings one after
another, so the daily portfolio, and the test, come out the same to the bit however the study
was chunked (:mod:`tracker.analysis.chunks`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tracker.analysis import models
from tracker.analysis.chunks import group_starts, group_sums
from tracker.analysis.models import ModelSpec
from tracker.analysis.statistics import TestResult, two_sided_p_t, undefined

NAME = "calendar_time_t"
NULL = "the calendar-time portfolio's daily alpha is zero"
DIFFERENT_BENCHMARKS = "firm-events have different benchmarks"

_PROBLEMS = {
    models.CONSTANT_REGRESSOR: "a regressor is constant over the portfolio's calendar days",
    models.COLLINEAR: "the factors are collinear over the portfolio's calendar days",
    models.ZERO_VARIANCE: "the portfolio's residual variance is zero",
}


@dataclass
class GroupHoldings:
    """One window's holdings of a chunk, per day-0 group (in day-0 order)."""

    days: np.ndarray  # (g,) day 0 of each group, as a session number
    y_sums: np.ndarray  # (g, L2) sum of the dependent variable over the group's firm-events
    counts: np.ndarray  # (g,) firm-events of each group
    regressors: np.ndarray  # (p, g, L2) the group's regressors on the window's days
    same_regressors: bool  # every firm-event of each group has its group's regressors


def dependent(spec: ModelSpec, y: np.ndarray, ar: np.ndarray) -> np.ndarray:
    """What the portfolio averages: the model's dependent variable, or the ARs when that is the raw
    return and only a mean is taken off it (the mean-adjusted model)."""
    return ar if spec.intercept and not spec.regressors else y


def group_holdings(day0: np.ndarray, y: np.ndarray, z: np.ndarray) -> GroupHoldings:
    """Per day-0 group: the sums of ``y`` ``(n, L2)``, the counts and the regressors ``z`` ``(p, n, L2)``.

    ``day0`` ``(n,)`` holds the rows' day 0s in day-0 order (whole groups).
    """
    starts = group_starts(day0)
    counts = np.diff(np.r_[starts, day0.size]).astype(np.int64)
    regressors = z[:, starts]
    same = True
    if z.shape[0] and starts.size:
        same = bool((z == np.repeat(regressors, counts, axis=1)).all())
    return GroupHoldings(days=day0[starts], y_sums=group_sums(y, starts), counts=counts,
                         regressors=np.ascontiguousarray(regressors), same_regressors=same)


@dataclass(frozen=True)
class DailyPortfolio:
    """The calendar-time portfolio of one window: one entry per session with a holding."""

    sessions: np.ndarray  # (T,) session numbers, ascending
    returns: np.ndarray  # (T,) equal-weighted mean of the holdings' dependent variable
    holdings: np.ndarray  # (T,) firm-events held
    regressors: np.ndarray  # (p, T)


def daily_portfolio(parts: list[GroupHoldings], start: int) -> DailyPortfolio | None:
    """The groups of ``parts`` (in chunk order, which is day-0 order) laid out on the calendar.

    ``start`` is the window's first offset. ``None`` when groups holding the same session
    disagree on its regressors (per-firm benchmarks).
    """
    parts = [p for p in parts if p.counts.size]
    if not parts:
        return DailyPortfolio(np.empty(0, dtype=np.int64), np.empty(0), np.empty(0, dtype=np.int64), np.empty((0, 0)))
    if not all(p.same_regressors for p in parts):
        return None
    days = np.concatenate([p.days for p in parts])
    y_sums = np.concatenate([p.y_sums for p in parts])
    counts = np.concatenate([p.counts for p in parts])
    regressors = np.concatenate([p.regressors for p in parts], axis=1)
    g, l2 = y_sums.shape
    sessions = (days[:, None] + start + np.arange(l2)[None, :]).reshape(-1)
    order = np.argsort(sessions, kind="stable")  # group order (day 0), then offset, within a session
    sessions = sessions[order]
    firsts = np.flatnonzero(np.r_[True, sessions[1:] != sessions[:-1]])
    # each session's holdings added one after another, in that order (chunks.group_sums)
    totals = group_sums(y_sums.reshape(-1)[order][:, None], firsts)[:, 0]
    held = np.add.reduceat(np.repeat(counts, l2)[order], firsts)
    z = regressors.reshape(regressors.shape[0], g * l2)[:, order]
    if z.shape[0] and not (z == np.repeat(z[:, firsts], np.diff(np.r_[firsts, sessions.size]), axis=1)).all():
        return None
    return DailyPortfolio(sessions[firsts], totals / held, held, np.ascontiguousarray(z[:, firsts]))


def calendar_time_t(parts: list[GroupHoldings], window: tuple[int, int], spec: ModelSpec) -> TestResult:
    r"""The intercept of the calendar-time portfolio's regression and its OLS t (see the module).

    ``estimate`` is the daily alpha; ``details`` hold ``window_alpha`` (:math:`L_2\hat\alpha`),
    ``days`` (:math:`T`) and ``mean_holdings`` (firm-events held on an average day).
    """
    portfolio = daily_portfolio(parts, window[0])
    if portfolio is None:
        return undefined(NAME, "t", DIFFERENT_BENCHMARKS, NULL)
    days = int(portfolio.sessions.size)
    if days == 0:
        return undefined(NAME, "t", "no firm-events", NULL)
    k = 1 + len(spec.regressors)
    details = {"days": days, "mean_holdings": float(portfolio.holdings.mean())}
    if days < k + 2:
        reason = f"only {days} calendar day{'s' if days > 1 else ''} (needs {k + 2})"
        return TestResult(NAME, None, None, "t", null=NULL, reason=reason, details=details)
    regression = ModelSpec(NAME, "calendar-time portfolio regression", spec.regressors, True)
    fitted = models.fit(regression, portfolio.returns[None, :], portfolio.regressors[:, None, :],
                        np.ones((1, days), dtype=bool))
    if fitted.problem[0] != models.OK:
        return TestResult(NAME, None, None, "t", null=NULL, reason=_PROBLEMS[int(fitted.problem[0])], details=details)
    alpha = float(fitted.params[0, 0])
    z_mean = fitted.z_mean[0]
    variance = float(fitted.sigma2[0]) * (1.0 / days + float(z_mean @ fitted.szz_inv[0] @ z_mean))
    df = days - k
    t = alpha / math.sqrt(variance)
    if not math.isfinite(t):
        return TestResult(NAME, None, None, "t", null=NULL, reason="the statistic is not finite", details=details)
    details = {"window_alpha": alpha * (window[1] - window[0] + 1)} | details
    return TestResult(NAME, t, two_sided_p_t(t, df), f"t({df})", float(df), null=NULL, estimate=alpha, details=details)
