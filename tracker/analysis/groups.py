r"""Two groups of firm-events compared: the difference of their CAARs and two tests of it that stay
valid when the firm-events share day 0 (chips against Apple on 2025-01-27).

For each pair of groups (A, B), in the order given, and each event window, with the firm-events
that have complete data in the window:

``difference``
    :math:`\mathrm{CAAR}_A - \mathrm{CAAR}_B = c'\,\mathrm{CAR}`, with weights
    :math:`c_i = 1/N_A` in A and :math:`-1/N_B` in B.

``long_short_t`` (the portfolio view)
    Per day 0 shared by both groups, the long-short portfolio "equal-weighted A minus
    equal-weighted B" is one security: the model is estimated on its estimation-window returns and
    its CAR tested with the estimation-error-corrected variance, exactly as the portfolio test
    treats one group (Brown & Warner 1980's portfolio approach). The cross-correlation of the
    firms is inside the portfolio's own variance, so the test is valid under a shared day 0.
    Several day 0s: the mean of the day 0s' long-short CARs, their variances added as
    independent (divided by :math:`D^2`), ``t(min df)``.

``binder_t`` (the regression view)
    Binder (1985)'s multivariate regression: each firm's returns on the model's regressors plus
    a dummy per event day, the equations joined as a SUR system; the sum of a firm's event-day
    dummies is its CAR, and :math:`c'\,\mathrm{CAR}` is tested with the system's covariance
    :math:`\Omega`:

    .. math::

        \Omega_{ij} = \hat\sigma_{ij} K_{ij},\qquad
        \hat\sigma_{ij} = \frac{\sum_{s\in W_i\cap W_j}\hat e_{is}\hat e_{js}}{|W_i\cap W_j| - k},

        K_{ij} = |E_i\cap E_j| - \sum_{s\in W_i\cap E_j} a_{is} - \sum_{s\in E_i\cap W_j} a_{js}
                 + \sum_{s\in W_i\cap W_j} a_{is}a_{js},

    where :math:`W_i` are firm-event *i*'s estimation days and :math:`E_i` its window days as
    calendar sessions, :math:`\hat e` the estimation residuals, and
    :math:`a_{is} = L_2/M_i + d_i'S_{zz,i}^{-1}(z_s-\bar z_i)` the weight of estimation day *s* in
    the CAR's expected part (so :math:`\Omega_{ii}` is the CAR's variance of
    :func:`~tracker.analysis.models.car_variance`). ``t = c'CAR / sqrt(c'Ωc) ~ t(min df)``.
    With one day 0 and complete data it equals ``long_short_t``; with firm-events on different
    dates it also counts one firm's window falling in another's estimation window.

:func:`car_covariance` is :math:`\Omega`; the cross-sectional regression of CARs
(:mod:`tracker.analysis.cross_section`) uses it for its standard errors.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from tracker.analysis import models, statistics
from tracker.analysis.formatting import json_number
from tracker.analysis.models import ModelFit
from tracker.analysis.panel import Panel
from tracker.analysis.partial import portfolio_car, valid_mean

Window = tuple[int, int]

#: Firm-events above which the full covariance Ω (n x n) is not formed (a few n x n matrices: about 0.5 GB at 3,000).
MAX_COVARIANCE_FIRMS = 3_000
#: Firm-events above which groups and cross-sections are refused: they hold the whole panel in memory.
MAX_COMPARED_FIRMS = 100_000

NULL = "the two groups' mean abnormal returns are equal"


@dataclass(frozen=True)
class GroupDifference:
    """Group ``first`` minus group ``second`` in one event window."""

    first: str
    second: str
    window: Window
    n_first: int
    n_second: int
    caar_first: float
    caar_second: float
    difference: float  # CAAR_first - CAAR_second
    long_short_car: float  # mean over shared day 0s of the long-short portfolio's CAR
    long_short_se: float
    long_short_days: int  # day 0s where both groups have firm-events
    binder_se: float
    tests: dict[str, statistics.TestResult]  # long_short_t, binder_t

    @property
    def label(self) -> str:
        return f"{self.first} − {self.second}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "first": self.first, "second": self.second, "window": list(self.window),
            "n_first": self.n_first, "n_second": self.n_second,
            "caar_first": json_number(self.caar_first), "caar_second": json_number(self.caar_second),
            "difference": json_number(self.difference),
            "long_short_car": json_number(self.long_short_car), "long_short_se": json_number(self.long_short_se),
            "long_short_day0s": self.long_short_days, "binder_se": json_number(self.binder_se),
            "tests": {name: test.to_dict() for name, test in self.tests.items()},
        }


def group_differences(panel: Panel, fitted: ModelFit, ar: np.ndarray, names: Sequence[str],
                      windows: Sequence[Window]) -> list[GroupDifference]:
    """Every pair of ``names`` (first minus second, in order) in every window.

    ``panel`` holds the estimated firm-events of all groups (each with its ``group``), ``fitted``
    their fits and ``ar`` their event-period ARs.
    """
    groups = np.array([fe.group for fe in panel.firm_events], dtype=object)
    out = []
    for window in windows:
        rows, _ = panel.window_rows(window)
        cols = panel.columns(window)
        car = ar[rows, cols].sum(axis=1)
        omega = car_covariance(panel, fitted, rows, window) if rows.size <= MAX_COVARIANCE_FIRMS else None
        for i, first in enumerate(names):
            for second in names[i + 1:]:
                a, b = groups[rows] == first, groups[rows] == second
                out.append(_difference(panel, fitted, rows, cols, car, omega, a, b, first, second, window))
    return out


def _difference(panel: Panel, fitted: ModelFit, rows: np.ndarray, cols: slice, car: np.ndarray, omega: np.ndarray | None,
                a: np.ndarray, b: np.ndarray, first: str, second: str, window: Window) -> GroupDifference:
    n_a, n_b = int(a.sum()), int(b.sum())
    nan = float("nan")
    caar_a = float(car[a].mean()) if n_a else nan
    caar_b = float(car[b].mean()) if n_b else nan
    difference = caar_a - caar_b
    if not (n_a and n_b):
        missing = first if not n_a else second
        reason = f"no firm-event of group {missing} has complete data in this window"
        tests = {name: statistics.undefined(name, "t", reason, NULL) for name in ("long_short_t", "binder_t")}
        return GroupDifference(first, second, window, n_a, n_b, caar_a, caar_b, difference, nan, nan, 0, nan, tests)

    long_short, ls_car, ls_se, days = _long_short(panel, rows, cols, a, b)
    c = np.where(a, 1.0 / n_a, 0.0) - np.where(b, 1.0 / n_b, 0.0)
    used = a | b
    df = int(fitted.df[rows[used]].min())
    if omega is None:
        binder = statistics.undefined("binder_t", "t", f"more than {MAX_COVARIANCE_FIRMS:,} firm-events", NULL)
        binder_se = nan
    else:
        variance = float(c @ omega @ c)
        binder_se = math.sqrt(variance) if variance > 0 else nan
        binder = (_t_test("binder_t", difference, binder_se, df) if variance > 0 else
                  statistics.undefined("binder_t", "t", "the estimated variance of the difference is not positive", NULL))
    return GroupDifference(first, second, window, n_a, n_b, caar_a, caar_b, difference, ls_car, ls_se, days, binder_se,
                           {"long_short_t": long_short, "binder_t": binder})


def _t_test(name: str, estimate: float, se: float, df: int) -> statistics.TestResult:
    """``estimate / se ~ t(df)``, the test carrying its estimate."""
    return replace(statistics.t_test(name, estimate / se, df, NULL), estimate=estimate)


def _long_short(panel: Panel, rows: np.ndarray, cols: slice, a: np.ndarray, b: np.ndarray
                ) -> tuple[statistics.TestResult, float, float, int]:
    """The long-short portfolio test (module docstring): per shared day 0, then across day 0s."""
    day0 = panel.day0[rows]
    cars, variances, dfs = [], [], []
    reasons = []
    for day in np.unique(day0[a | b]).tolist():
        here = day0 == day
        long, short = rows[here & a], rows[here & b]
        if not (long.size and short.size):
            continue
        members = np.concatenate([long, short])
        z_est, z = panel.z_est[:, members], panel.z[:, members, cols]
        if not (_same(z_est) and _same(z)):
            reasons.append("firm-events sharing a day 0 have different benchmarks")
            continue
        y_est = valid_mean(panel.y_est[long], panel.est_valid[long]) - valid_mean(panel.y_est[short], panel.est_valid[short])
        y = panel.y[long, cols].mean(axis=0) - panel.y[short, cols].mean(axis=0)
        fitted, car, variance = portfolio_car(panel, y_est, y, members[0], cols)
        if fitted.problem[0] != models.OK:
            reasons.append("the long-short portfolio's regression is undefined")
            continue
        cars.append(car)
        variances.append(variance)
        dfs.append(int(fitted.df[0]))
    nan = float("nan")
    if not cars:
        reason = reasons[0] if reasons else "the two groups share no day 0 (the long-short portfolio needs one calendar window)"
        return statistics.undefined("long_short_t", "t", reason, NULL), nan, nan, 0
    d = len(cars)
    estimate = sum(cars) / d
    se = math.sqrt(sum(variances)) / d
    return _t_test("long_short_t", estimate, se, min(dfs)), estimate, se, d


def _same(values: np.ndarray) -> bool:
    """Every firm-event (axis 1) has the same values (NaN equal to NaN)."""
    return bool(np.all((values == values[:, :1]) | (np.isnan(values) & np.isnan(values[:, :1]))))


def car_covariance(panel: Panel, fitted: ModelFit, rows: np.ndarray, window: Window) -> np.ndarray:
    r"""``(n, n)`` covariance :math:`\Omega` of the CARs of firm-events ``rows`` over ``window``
    (module docstring), from their estimation residuals on common calendar days."""
    spec = panel.spec
    l1 = panel.estimation[1] - panel.estimation[0] + 1
    l2 = window[1] - window[0] + 1
    n = rows.size
    day0 = panel.day0[rows]
    base = int(day0.min()) + min(panel.estimation[0], window[0])
    span = int(day0.max()) + max(panel.estimation[1], window[1]) - base + 1
    valid = fitted.valid[rows]
    residual = np.where(valid, fitted.filled[rows], 0.0)
    if not spec.intercept:  # nothing estimated: deviations from the estimation mean, as sigma^2 has them
        residual = np.where(valid, residual - residual.sum(axis=1, keepdims=True) / valid.sum(axis=1, keepdims=True), 0.0)
    weight = np.zeros((n, l1))
    if spec.intercept:
        cols = panel.columns(window)
        weight = np.broadcast_to((l2 / fitted.n_obs[rows])[:, None], (n, l1)).copy()
        p = len(spec.regressors)
        if p:
            z_mean = fitted.z_mean[rows]  # (n, p)
            d = (panel.z[:, rows, cols] - z_mean.T[:, :, None]).sum(axis=2).T  # (n, p)
            h = np.einsum("npq,nq->np", fitted.szz_inv[rows], d)  # S^-1 d
            for j in range(p):
                weight += h[:, j, None] * (panel.z_est[j, rows] - z_mean[:, j, None])
        weight = np.where(valid, weight, 0.0)

    est_cols = (day0 - base + panel.estimation[0])[:, None] + np.arange(l1)[None, :]
    win_cols = (day0 - base + window[0])[:, None] + np.arange(l2)[None, :]
    every = np.arange(n)[:, None]
    e_cal = np.zeros((n, span))
    w_cal = np.zeros((n, span))
    a_cal = np.zeros((n, span))
    in_window = np.zeros((n, span))
    e_cal[every, est_cols] = residual
    w_cal[every, est_cols] = valid
    a_cal[every, est_cols] = weight
    in_window[every, win_cols] = 1.0

    common = w_cal @ w_cal.T
    with np.errstate(invalid="ignore", divide="ignore"):
        sigma = np.where(common > spec.df_lost, (e_cal @ e_cal.T) / (common - spec.df_lost), 0.0)
    cross = a_cal @ in_window.T  # (i, j): sum over W_i ∩ E_j of a_i
    k = in_window @ in_window.T - cross - cross.T + a_cal @ a_cal.T
    return sigma * k


__all__ = ["GroupDifference", "MAX_COMPARED_FIRMS", "MAX_COVARIANCE_FIRMS", "car_covariance", "group_differences"]
