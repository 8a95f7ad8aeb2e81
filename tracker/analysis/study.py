"""``EventStudy``: abnormal returns of firm-events and the whole battery of tests.

Usage::

    from tracker.analysis import EventStudy, FirmEvent
    study = EventStudy(data, firm_events, market="SPY")
    result = study.fit(model="market", estimation=(-250, -11), window=[(-1, 1), (0, 5)])
    result.car, result.caar, result.tests["kp_bmp_t"], print(result.summary)

``data`` is anything that answers :class:`~tracker.analysis.data.StudyData`: the warehouse at a
log position (:class:`tracker.study.WarehouseData`) or frames in memory
(:class:`~tracker.analysis.data.InMemoryData`). The engine knows nothing of DuckDB.

Everything is computed set-at-a-time over ``(N, L)`` arrays (see :mod:`tracker.analysis.panel`):
one load of the data, one regression pass for all firm-events, and per window a few array
reductions and the tests of :mod:`~tracker.analysis.statistics`,
:mod:`~tracker.analysis.nonparametric` and :mod:`~tracker.analysis.cross_correlation`.
Bad parameters raise :class:`tracker.errors.StudyOptionError` naming the parameter.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from tracker.analysis import models, nonparametric, statistics
from tracker.analysis.caar_band import caar_band
from tracker.analysis.cross_correlation import mean_cross_correlation
from tracker.analysis.data import StudyData
from tracker.analysis.models import MODELS, ModelFit, ModelSpec
from tracker.analysis.panel import Exclusion, FirmEvent, Panel, Skipped, load_panel, merge_shared_day0
from tracker.analysis.residuals import EstimationResiduals
from tracker.analysis.results import StudyResult, WindowResult
from tracker.errors import StudyError, StudyOptionError

Window = tuple[int, int]

_PROBLEMS = {
    models.CONSTANT_REGRESSOR: "{inputs} constant in the estimation window",
    models.COLLINEAR: "the factors are collinear in the estimation window",
    models.ZERO_VARIANCE: "residual variance is zero: returns constant or exactly explained by the model in the estimation window",
}


def min_obs_floor(spec: ModelSpec) -> int:
    """Fewest estimation days a model can use: one residual degree of freedom."""
    return spec.df_lost + 1


def default_min_obs(estimation: Window, spec: ModelSpec | None = None) -> int:
    """Half the estimation window, rounded up (120 of -250..-11)."""
    floor = min_obs_floor(spec or MODELS["market"])
    return max(floor, math.ceil((estimation[1] - estimation[0] + 1) / 2))


def as_windows(window: Window | Sequence[Window]) -> tuple[Window, ...]:
    """``(-1, 1)`` or ``[(-1, 1), (0, 5)]`` as a tuple of windows (duplicates dropped, order kept)."""
    if len(window) == 2 and all(isinstance(v, (int, np.integer)) for v in window):
        return ((int(window[0]), int(window[1])),)
    windows = tuple(dict.fromkeys((int(a), int(b)) for a, b in window))
    if not windows:
        raise StudyOptionError("window", (), "no event window given", example=(-1, 1))
    return windows


def check_options(model: str, estimation: Window, windows: tuple[Window, ...], min_obs: int) -> ModelSpec:
    """Refuse inconsistent study options with a message naming the parameter; return the model."""
    if model not in MODELS:
        raise StudyOptionError("model", model, "unknown model", hint=f"use one of: {', '.join(MODELS)}")
    spec = MODELS[model]
    for name, (start, end) in (("estimation", estimation), *(("window", w) for w in windows)):
        if start > end:
            raise StudyOptionError(name, (start, end), "start is after end", hint="write it as start,end", example=(end, start))
    first = min(windows, key=lambda w: w[0])
    if estimation[1] >= first[0]:
        raise StudyOptionError(
            "estimation", estimation, f"the estimation window overlaps the event window {first[0]},{first[1]}",
            hint="end the estimation window before every event window starts", example=(-250, -11),
        )
    length = estimation[1] - estimation[0] + 1
    floor = min_obs_floor(spec)
    if not floor <= min_obs <= length:
        raise StudyOptionError("min_obs", min_obs, f"must be between {floor} (for the {model} model) and the estimation length {length}")
    return spec


class EventStudy:
    """An event study over ``firm_events`` with returns read from ``data``.

    Parameters
    ----------
    data
        Where the returns and factors come from (:class:`~tracker.analysis.data.StudyData`):
        the warehouse at a log position, or frames in memory. The result records
        ``data.log_position``; the same position always reproduces the same numbers.
    firm_events
        The firm-events to study; each carries its aligned day 0 (a session of ``data``).
    market
        Ticker of the market benchmark (:math:`R_m` of the market and market-adjusted
        models; unused by the factor models, which read the factors).
    event
        Description of the event(s), copied into the result's ``event`` block.
    """

    def __init__(
        self,
        data: StudyData,
        firm_events: list[FirmEvent],
        *,
        market: str = "SPY",
        event: dict[str, Any] | None = None,
    ):
        if not firm_events:
            raise StudyError("no firm-events to study")
        self.data = data
        self.firm_events = firm_events
        self.market = market
        self.event = event or {}

    def fit(
        self,
        *,
        model: str = "market",
        estimation: Window = (-250, -11),
        window: Window | Sequence[Window] = (-1, 1),
        min_obs: int | None = None,
        exclusion: Exclusion | None = None,
    ) -> StudyResult:
        """Estimate the model on each estimation window and measure abnormal returns on each event window.

        Parameters
        ----------
        model
            ``mean-adjusted``, ``market-adjusted``, ``market`` (OLS), ``ff3`` or ``carhart``
            (see :mod:`tracker.analysis.models`).
        estimation
            Inclusive session offsets from day 0, e.g. ``(-250, -11)``.
        window
            One event window ``(start, end)`` or several; results are given per window.
        min_obs
            Fewest usable estimation days; default half the estimation window, rounded up.
        exclusion
            Other events whose day 0 contaminates estimation windows: estimation days within
            ``exclusion.within`` sessions of any of them are dropped (a firm-event's own event
            excepted). See :meth:`Exclusion.around`.

        Returns
        -------
        StudyResult
        """
        windows = as_windows(window)
        if min_obs is None:
            min_obs = default_min_obs(estimation, MODELS.get(model))
        spec = check_options(model, estimation, windows, min_obs)
        period = (min(w[0] for w in windows), max(w[1] for w in windows))
        market = self.market if spec.uses_market else None
        firm_events, merged = merge_shared_day0(self.firm_events)
        panel = load_panel(self.data, firm_events, spec, market, estimation, period, min_obs, exclusion)
        fitted = models.fit(spec, panel.y_est, panel.z_est, panel.est_valid)
        panel, fitted, degenerate = _drop_degenerate(panel, fitted)
        ar = models.abnormal_returns(fitted, panel.y, panel.z)
        residuals = EstimationResiduals.of(fitted.residuals, fitted.filled, fitted.valid)
        estimation_skipped = panel.skipped + degenerate
        by_window = [_window_result(panel, fitted, ar, residuals, w, estimation_skipped) for w in windows]
        return StudyResult(
            event=self.event,
            model=spec,
            market=market,
            estimation=estimation,
            windows=windows,
            min_obs=min_obs,
            log_position=self.data.log_position,
            exclusion=exclusion,
            firm_events=panel.firm_events,
            day0=panel.sessions[panel.day0],
            params=fitted.params,
            sigma=fitted.sigma,
            n_est=fitted.n_obs,
            df=fitted.df,
            n_excluded=panel.n_excluded,
            period=period,
            period_dates=panel.dates,
            period_returns=panel.returns,
            period_benchmark=panel.benchmark,
            period_ar=np.where(panel.valid, ar, np.nan),
            estimation_skipped=_sorted(estimation_skipped),
            by_window=by_window,
            merged=merged,
        )


def _sorted(skipped: list[Skipped]) -> list[Skipped]:
    return sorted(skipped, key=lambda s: (s.event_date, s.ticker, s.event_id or "", s.reason))


def _drop_degenerate(panel: Panel, fitted: ModelFit) -> tuple[Panel, ModelFit, list[Skipped]]:
    """Skip firm-events whose regression is undefined (constant inputs, zero residual variance)."""
    bad = fitted.problem != models.OK
    if not bad.any():
        return panel, fitted, []
    inputs = "the market's returns are" if panel.spec.uses_market and panel.spec.intercept else "a factor is"
    skipped = [
        Skipped(fe.ticker, fe.event_id, fe.event_date, _PROBLEMS[int(fitted.problem[i])].format(inputs=inputs))
        for i, fe in enumerate(panel.firm_events) if bad[i]
    ]
    keep = np.flatnonzero(~bad)
    return panel.take(keep), fitted.take(keep), skipped


def _window_result(
    panel: Panel,
    fitted: ModelFit,
    ar_period: np.ndarray,
    residuals: EstimationResiduals,
    window: Window,
    estimation_skipped: list[Skipped],
) -> WindowResult:
    """Every per-firm measure and aggregate test of one window."""
    rows, window_skipped = panel.window_rows(window)
    cols = panel.columns(window)
    everyone = rows.size == panel.n  # then slices stand in for copies
    pick = slice(None) if everyone else rows
    fit = fitted if everyone else fitted.take(rows)
    window_residuals = residuals.take(rows)
    ar = ar_period[pick, cols]
    n, l2 = ar.shape
    returns = panel.returns[pick, cols]
    car = ar.sum(axis=1)
    car_var = models.car_variance(fit, panel.z[:, pick, cols])
    with np.errstate(invalid="ignore", divide="ignore"):
        car_t = car / (fit.sigma * math.sqrt(l2))
        scar = car / np.sqrt(car_var)
    car_p = statistics.two_sided_p_t(scar, fit.df)
    window_return = np.prod(1.0 + returns, axis=1) - 1.0
    normal_return = np.prod(1.0 + (returns - ar), axis=1) - 1.0
    bhar = window_return - normal_return
    aar = ar.mean(axis=0) if n else np.full(l2, np.nan)
    aar_t, aar_p = statistics.daily_cross_sectional_t(ar)
    caar = float(aar.sum()) if n else float("nan")
    day0 = panel.day0[rows]
    r_bar = mean_cross_correlation(window_residuals, day0, l2, centred=panel.spec.intercept) if n >= 2 else None
    offsets = range(window[0], window[1] + 1)
    day0_column = offsets.index(0) if 0 in offsets else None

    tests: dict[str, statistics.TestResult] = {}
    tests["cross_sectional_t"] = statistics.cross_sectional_t(car)
    crude = statistics.crude_dependence(window_residuals)
    tests["cda_t"] = statistics.cda_t(crude, caar, l2)
    tests["patell_z"] = statistics.patell_z(scar, fit.df)
    tests["bmp_t"] = statistics.bmp_t(scar)
    tests["kp_bmp_t"], tests["kp_patell_z"] = statistics.kp_adjusted(tests["bmp_t"], tests["patell_z"], r_bar, n)
    tests["corrado_rank_z"], tests["rank_z"] = nonparametric.corrado_rank_tests(window_residuals, ar, day0_column)
    tests["grank_t"] = nonparametric.grank_t(window_residuals, fit.sigma, scar)
    tests["generalized_sign_z"] = nonparametric.generalized_sign_z(window_residuals, car)
    tests["sign_z"] = nonparametric.sign_z(car)
    tests["wilcoxon"] = nonparametric.wilcoxon(car)
    tests["skew_adjusted_t"] = statistics.skew_adjusted_t(bhar)
    tests["portfolio_t"] = _portfolio_test(panel, rows, cols)
    if n == 0:
        reason = "no firm-events with complete data in this window"
        tests = {name: statistics.undefined(name, t.distribution, reason, t.null) for name, t in tests.items()}

    return WindowResult(
        window=window,
        rows=rows,
        dates=panel.dates[pick, cols],
        returns=returns,
        benchmark=panel.benchmark[pick, cols],
        ar=ar,
        car=car,
        car_var=car_var,
        car_t=car_t,
        car_t_clm=scar,
        car_p=car_p,
        bhar=bhar,
        window_return=window_return,
        aar=aar,
        aar_t=aar_t,
        aar_p=aar_p,
        caar=caar,
        abhar=float(bhar.mean()) if n else float("nan"),
        mean_cross_correlation=r_bar,
        tests={name: tests[name] for name in statistics.TEST_NAMES},
        caar_band=caar_band(offsets, aar, crude) if n else None,
        skipped=_sorted(estimation_skipped + window_skipped),
    )


def _portfolio_test(panel: Panel, rows: np.ndarray, cols: slice) -> statistics.TestResult:
    """:func:`statistics.portfolio_t` for the equal-weighted portfolio of the window's firm-events."""
    if rows.size == 0:
        return statistics.undefined("portfolio_t", "t", "no firm-events")
    day0 = panel.day0[rows]
    if not (day0 == day0[0]).all():
        return statistics.undefined("portfolio_t", "t", "firm-events do not share day 0 (the portfolio needs one calendar window)")
    valid = panel.est_valid[rows]
    count = valid.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        y_est = np.where(valid, panel.y_est[rows], 0.0).sum(axis=0) / count
    first = rows[0]
    z_est = panel.z_est[:, first][:, None, :]
    portfolio_valid = (count > 0) & np.isfinite(z_est[:, 0]).all(axis=0)
    fitted = models.fit(panel.spec, y_est[None, :], z_est, portfolio_valid[None, :])
    if fitted.problem[0] != models.OK:
        return statistics.undefined("portfolio_t", "t", _PROBLEMS[int(fitted.problem[0])].format(inputs="an input is"))
    y = panel.y[rows, cols].mean(axis=0)[None, :]
    z = panel.z[:, first, cols][:, None, :]
    car = float(models.abnormal_returns(fitted, y, z).sum())
    return statistics.portfolio_t(car, float(models.car_variance(fitted, z)[0]), int(fitted.df[0]))
