"""A study computed chunk by chunk: what one chunk of firm-events contributes, and how the chunks
are put together into a :class:`~tracker.analysis.results.StudyResult`.

:func:`compute_chunk` takes a chunk of firm-events (whole day-0 groups, in day-0 order: see
:mod:`tracker.analysis.chunks`), loads its data, fits the model and returns a :class:`ChunkPart`:
every per-firm number, and per window the chunk's part of each cross-sectional sum. Only GRANK
needs a second look at the estimation windows, once the spread of every SCAR of the study is
known (:func:`grank_part`, fed by the chunk's :class:`RankState`). :class:`Reduction` gathers the
parts in chunk order and runs the tests once, on the whole study.

Everything here is a plain function of its arguments, so the chunks can be computed in this
process, in threads or on a cluster's workers (:mod:`tracker.analysis.runner`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from tracker.analysis import calendar_time, models, nonparametric, statistics
from tracker.analysis.caar_band import caar_band
from tracker.analysis.chunks import group_starts, group_sums, total
from tracker.analysis.cross_correlation import group_correlation_sums, mean_cross_correlation
from tracker.analysis.data import StudyData
from tracker.analysis.models import ModelFit, ModelSpec
from tracker.analysis.panel import Exclusion, FirmEvent, Panel, Skipped, load_panel
from tracker.analysis.residuals import EstimationResiduals, rank_shift
from tracker.analysis.results import StudyResult, WindowResult, ar_frame, firm_rows_frame

Window = tuple[int, int]

_PROBLEMS = {
    models.CONSTANT_REGRESSOR: "{inputs} constant in the estimation window",
    models.COLLINEAR: "the factors are collinear in the estimation window",
    models.ZERO_VARIANCE: "residual variance is zero: returns constant or exactly explained by the model in the estimation window",
}


@dataclass(frozen=True)
class StudyPlan:
    """The options of a study, checked (see :meth:`tracker.analysis.EventStudy.fit`)."""

    spec: ModelSpec
    market: str | None
    estimation: Window
    windows: tuple[Window, ...]
    min_obs: int
    exclusion: Exclusion | None
    event_names: Mapping[str, str] = field(default_factory=dict)  # event id -> name, for the rows
    #: some firm-event has a market benchmark of its own: the firm rows gain a ``market`` column
    own_benchmarks: bool = False

    @property
    def period(self) -> Window:
        """The event period: every window's days."""
        return (min(w[0] for w in self.windows), max(w[1] for w in self.windows))

    @property
    def estimation_length(self) -> int:
        return self.estimation[1] - self.estimation[0] + 1


@dataclass
class WindowPart:
    """One window's numbers for the firm-events of a chunk with complete data in it.

    ``rows`` index the chunk's estimated firm-events. The ``*_sums`` are ``(g, L1)`` sums over
    the firm-events of each day-0 group (``group_days``), in the canonical order of
    :mod:`tracker.analysis.chunks`.
    """

    rows: np.ndarray
    skipped: list[Skipped]
    car: np.ndarray
    car_var: np.ndarray
    car_t: np.ndarray
    scar: np.ndarray
    car_p: np.ndarray
    bhar: np.ndarray
    window_return: np.ndarray
    window_u: np.ndarray  # (n, L2) Corrado U of the window's days
    positive_share: np.ndarray  # (n,) share of positive estimation-window ARs
    correlation_own: np.ndarray  # (n,) u_i'u_i of the cross-correlation
    group_days: np.ndarray  # (g,) day 0 (session number) of each group
    ar_sums: np.ndarray  # estimation-window ARs (the CDA's AAR)
    rank_sums: np.ndarray  # Corrado U of the estimation days
    grank_rank_sums: np.ndarray  # within-firm ranks / (M_i + 2): GRANK's U before the SCAR is appended
    correlation_sums: np.ndarray  # U_g of the cross-correlation
    day_count: np.ndarray  # (L1,) firm-events with data on each estimation day
    portfolio: statistics.TestResult | None  # when the chunk's firm-events share day 0
    calendar: calendar_time.GroupHoldings  # the calendar-time portfolio's holdings, per day-0 group


@dataclass
class ChunkPart:
    """What one chunk contributes: its estimated firm-events' numbers and its windows' parts."""

    plan: StudyPlan
    positions: np.ndarray  # position of each estimated firm-event in the study's list
    firm_events: list[FirmEvent]
    day0: np.ndarray  # session numbers
    params: np.ndarray
    sigma: np.ndarray
    n_est: np.ndarray
    df: np.ndarray
    n_excluded: np.ndarray
    period_dates: np.ndarray
    period_returns: np.ndarray
    period_benchmark: np.ndarray
    period_ar: np.ndarray
    skipped: list[Skipped]  # at estimation
    windows: list[WindowPart]

    @property
    def n(self) -> int:
        return len(self.firm_events)

    def firm_rows(self) -> pl.DataFrame:
        """The chunk's rows of :attr:`StudyResult.firm_rows <tracker.analysis.results.StudyResult.firm_rows>`."""
        firms = {"params": self.params, "sigma": self.sigma, "n_est": self.n_est, "df": self.df, "n_excluded": self.n_excluded}
        return pl.concat([
            firm_rows_frame(self.firm_events, self.plan.spec, firms, window, w.rows, self.plan.event_names, {
                "window_return": w.window_return, "car": w.car, "car_var": w.car_var, "car_t": w.car_t,
                "car_t_clm": w.scar, "car_p": w.car_p, "bhar": w.bhar},
                market=self.plan.market if self.plan.own_benchmarks else None)
            for window, w in zip(self.plan.windows, self.windows)
        ], how="vertical")

    def ar_rows(self) -> pl.DataFrame:
        """The chunk's rows of :attr:`StudyResult.ar <tracker.analysis.results.StudyResult.ar>`."""
        return ar_frame(self.firm_events, self.plan.event_names, self.plan.period, self.period_dates, self.period_returns,
                        self.period_benchmark, self.period_ar, self.plan.market if self.plan.own_benchmarks else None)


@dataclass
class RankState:
    """What GRANK's second pass reads of a chunk: its estimation-window ARs and, per window, the SCARs."""

    values: np.ndarray  # (n, L1), NaN on missing days
    count: np.ndarray
    sigma: np.ndarray
    day0: np.ndarray
    windows: list[tuple[np.ndarray, np.ndarray]]  # (rows, scar)

    @property
    def nbytes(self) -> int:
        return int(self.values.nbytes)


@dataclass
class GrankPart:
    """One window's GRANK numbers of a chunk, once the SCARs' spread is known."""

    shift_sums: np.ndarray  # (g, L1) how far appending SCAR* moves the estimation days' U
    event_u: np.ndarray  # (n,) U of each SCAR*


def compute_chunk(data: StudyData, firm_events: list[FirmEvent], positions: np.ndarray, day0: np.ndarray,
                  plan: StudyPlan) -> tuple[ChunkPart, RankState]:
    """Every per-firm number of ``firm_events`` and their part of each window's sums.

    ``firm_events`` are whole day-0 groups in day-0 order; ``positions`` their places in the
    study's list of firm-events and ``day0`` their day 0s as session numbers.
    """
    panel, fitted, degenerate, ar = fit_panel(data, firm_events, day0, plan)
    residuals = EstimationResiduals.of(fitted.residuals, fitted.filled, fitted.valid)
    windows = [_window_part(panel, fitted, ar, residuals, w) for w in plan.windows]
    part = ChunkPart(
        plan=plan, positions=positions[panel.index], firm_events=panel.firm_events, day0=panel.day0,
        params=fitted.params, sigma=fitted.sigma, n_est=fitted.n_obs, df=fitted.df, n_excluded=panel.n_excluded,
        period_dates=panel.dates, period_returns=panel.returns, period_benchmark=panel.benchmark,
        period_ar=np.where(panel.valid, ar, np.nan), skipped=panel.skipped + degenerate, windows=windows,
    )
    state = RankState(residuals.values, residuals.count, fitted.sigma, panel.day0, [(w.rows, w.scar) for w in windows])
    return part, state


def fit_panel(data: StudyData, firm_events: list[FirmEvent], day0: np.ndarray, plan: StudyPlan
              ) -> tuple[Panel, ModelFit, list[Skipped], np.ndarray]:
    """Load the inputs of ``firm_events``, fit the model and compute the event-period ARs: the
    panel and fits of the firm-events that could be estimated, the degenerate ones skipped, the ARs."""
    panel = load_panel(data, firm_events, plan.spec, plan.market, plan.estimation, plan.period, plan.min_obs,
                       plan.exclusion, day0)
    fitted = models.fit(plan.spec, panel.y_est, panel.z_est, panel.est_valid)
    panel, fitted, degenerate = _drop_degenerate(panel, fitted)
    return panel, fitted, degenerate, models.abnormal_returns(fitted, panel.y, panel.z)


def grank_part(state: RankState, spreads: list[float | None]) -> list[GrankPart | None]:
    """GRANK's second pass over a chunk: per window (``None`` where its spread is ``None``)."""
    out: list[GrankPart | None] = []
    everyone = np.arange(state.count.size)
    for (rows, scar), spread in zip(state.windows, spreads):
        if spread is None:
            out.append(None)
            continue
        pick = slice(None) if np.array_equal(rows, everyone) else rows  # a slice, not a copy
        count = state.count[pick]
        shift, event_ranks = rank_shift(state.values[pick], count, (scar / spread)[:, None], state.sigma[pick])
        inverse = 1.0 / (count + 2.0)
        out.append(GrankPart(group_sums(shift, group_starts(state.day0[pick]), inverse), event_ranks[:, 0] * inverse))
    return out


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


def _window_part(panel: Panel, fitted: ModelFit, ar_period: np.ndarray, residuals: EstimationResiduals, window: Window) -> WindowPart:
    """The per-firm measures of one window and the chunk's part of its sums."""
    rows, skipped = panel.window_rows(window)
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
    window_return = np.prod(1.0 + returns, axis=1) - 1.0
    normal_return = np.prod(1.0 + (returns - ar), axis=1) - 1.0
    day0 = panel.day0[rows]
    starts = group_starts(day0)
    est_ranks, window_ranks = window_residuals.ranks_with(ar)
    rank_inverse = 1.0 / (window_residuals.count + l2 + 1.0)  # U = rank / (T_i + 1)
    days, correlation_sums, own = group_correlation_sums(window_residuals, day0, centred=panel.spec.intercept)
    grank_inverse = 1.0 / (window_residuals.count + 2.0)
    return WindowPart(
        rows=rows, skipped=skipped, car=car, car_var=car_var, car_t=car_t, scar=scar,
        car_p=statistics.two_sided_p_t(scar, fit.df), bhar=window_return - normal_return, window_return=window_return,
        window_u=window_ranks * rank_inverse[:, None], positive_share=np.count_nonzero(window_residuals.filled > 0, axis=1) / window_residuals.count,
        correlation_own=own, group_days=days, ar_sums=group_sums(window_residuals.filled, starts),
        rank_sums=group_sums(est_ranks, starts, rank_inverse), grank_rank_sums=group_sums(window_residuals.ranks, starts, grank_inverse),
        correlation_sums=correlation_sums, day_count=window_residuals.day_count,
        portfolio=_portfolio_test(panel, rows, cols) if n and (day0 == day0[0]).all() else None,
        calendar=calendar_time.group_holdings(day0, calendar_time.dependent(panel.spec, panel.y[pick, cols], ar),
                                              panel.z[:, pick, cols]),
    )


def _portfolio_test(panel: Panel, rows: np.ndarray, cols: slice) -> statistics.TestResult:
    """:func:`statistics.portfolio_t` for the equal-weighted portfolio of firm-events sharing day 0
    and, under the market model, a market benchmark: the portfolio is one security, regressed on one
    market. (Market-adjusted ARs net each firm's own benchmark, so their portfolio needs none.)"""
    if ("market" in panel.spec.regressors and panel.market_codes is not None
            and np.unique(panel.market_codes[rows]).size > 1):
        return statistics.undefined("portfolio_t", "t", "firm-events have different market benchmarks "
                                    "(the portfolio needs one market; study each benchmark's firms apart)")
    first = rows[0]
    fitted, car, car_var = portfolio_car(panel, valid_mean(panel.y_est[rows], panel.est_valid[rows]),
                                         panel.y[rows, cols].mean(axis=0), first, cols)
    if fitted.problem[0] != models.OK:
        return statistics.undefined("portfolio_t", "t", _PROBLEMS[int(fitted.problem[0])].format(inputs="an input is"))
    return statistics.portfolio_t(car, car_var, int(fitted.df[0]))


def valid_mean(values: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Per column, the mean over rows of the ``valid`` cells of ``values`` (NaN where none is)."""
    count = valid.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(valid, values, 0.0).sum(axis=0) / count


def portfolio_car(panel: Panel, y_est: np.ndarray, y: np.ndarray, row: int, cols: slice) -> tuple[ModelFit, float, float]:
    """A portfolio as one security: the model fitted to its estimation-window series ``y_est`` (NaN
    on days it has none) with the regressors of firm-event ``row``, and the CAR of its window
    series ``y`` over ``cols`` with the CAR's variance (NaN when the fit has a ``problem``)."""
    z_est = panel.z_est[:, row][:, None, :]
    valid = np.isfinite(y_est) & np.isfinite(z_est[:, 0]).all(axis=0)
    fitted = models.fit(panel.spec, y_est[None, :], z_est, valid[None, :])
    if fitted.problem[0] != models.OK:
        return fitted, float("nan"), float("nan")
    z = panel.z[:, row, cols][:, None, :]
    car = float(models.abnormal_returns(fitted, y[None, :], z).sum())
    return fitted, car, float(models.car_variance(fitted, z)[0])


def _sorted(skipped: list[Skipped]) -> list[Skipped]:
    return sorted(skipped, key=lambda s: (s.event_date, s.ticker, s.event_id or "", s.reason))


class Reduction:
    """The chunks' parts, gathered in chunk order, and the study they add up to.

    Per-firm numbers are concatenated (and put back in the order the firm-events were given);
    each window's group sums are concatenated in chunk order, which is day-0 order, so every
    total comes out the same however the study was chunked (:mod:`tracker.analysis.chunks`).
    """

    def __init__(self, plan: StudyPlan):
        self.plan = plan
        self.parts: list[ChunkPart] = []
        self.grank: list[list[GrankPart | None]] = []

    def add(self, part: ChunkPart) -> None:
        self.parts.append(part)

    def add_grank(self, parts: list[GrankPart | None]) -> None:
        self.grank.append(parts)

    def grank_spreads(self) -> list[float | None]:
        """Per window, the cross-sectional sd of the SCARs GRANK re-scales by (``None``: GRANK undefined)."""
        order = self._order()
        spreads = []
        for k in range(len(self.plan.windows)):
            _, by = self._window_rows(k, order)
            spreads.append(nonparametric.grank_scale(_take(self._concat(k, "scar"), by))[0])
        return spreads

    def _concat(self, k: int, name: str, width: tuple[int, ...] = ()) -> np.ndarray:
        """Window ``k``'s per-firm ``name`` in chunk order."""
        if not self.parts:
            return np.empty((0, *width))
        return np.concatenate([getattr(p.windows[k], name) for p in self.parts])

    def _order(self) -> np.ndarray | None:
        """Permutation from chunk order to the study's order of firm-events (``None``: the same)."""
        positions = np.concatenate([p.positions for p in self.parts]) if self.parts else np.empty(0, dtype=np.int64)
        if positions.size < 2 or (np.diff(positions) > 0).all():
            return None
        return np.argsort(positions)

    def _window_rows(self, k: int, order: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None]:
        """Window ``k``'s rows in the study's list of estimated firm-events, and the permutation
        that puts its per-firm values from chunk order in that order (``None``: the same)."""
        offsets = np.cumsum([0] + [p.n for p in self.parts[:-1]])
        rows = [p.windows[k].rows + offset for p, offset in zip(self.parts, offsets)]
        rows = np.concatenate(rows).astype(np.int64) if rows else np.empty(0, dtype=np.int64)
        if order is None:
            return rows, None
        rank = np.empty_like(order)
        rank[order] = np.arange(order.size)
        study_rows = rank[rows]
        by = np.argsort(study_rows)
        return study_rows[by], by

    def result(self, *, event: dict, log_position: int | None, sessions: np.ndarray) -> StudyResult:
        plan = self.plan
        parts = self.parts
        order = self._order()

        def gather(name: str, width: tuple[int, ...] = (), dtype=np.float64) -> np.ndarray:
            values = np.concatenate([getattr(p, name) for p in parts]) if parts else np.empty((0, *width), dtype=dtype)
            return _take(values, order)

        firm_events = [fe for p in parts for fe in p.firm_events]
        if order is not None:
            firm_events = [firm_events[i] for i in order.tolist()]
        lp = plan.period[1] - plan.period[0] + 1
        day0 = gather("day0", dtype=np.int64)
        period = {name: gather(name, (lp,)) for name in ("period_returns", "period_benchmark", "period_ar")}
        period["period_dates"] = gather("period_dates", (lp,), "datetime64[D]")
        df = gather("df", dtype=np.int64)
        sigma = gather("sigma")
        estimation_skipped = [s for p in parts for s in p.skipped]
        by_window = [self._window_result(k, order, period, df, day0, estimation_skipped) for k in range(len(plan.windows))]
        return StudyResult(
            event=event, model=plan.spec, market=plan.market, own_benchmarks=plan.own_benchmarks,
            estimation=plan.estimation, windows=plan.windows,
            min_obs=plan.min_obs, log_position=log_position, exclusion=plan.exclusion, firm_events=firm_events,
            day0=sessions[day0], params=gather("params", (plan.spec.k,)), sigma=sigma, n_est=gather("n_est", dtype=np.int64),
            df=df, n_excluded=gather("n_excluded", dtype=np.int64), period=plan.period,
            period_dates=period["period_dates"], period_returns=period["period_returns"],
            period_benchmark=period["period_benchmark"], period_ar=period["period_ar"],
            estimation_skipped=_sorted(estimation_skipped), by_window=by_window, event_names=dict(plan.event_names),
        )

    def _window_result(self, k: int, order: np.ndarray | None, period: dict[str, np.ndarray], df: np.ndarray,
                       day0: np.ndarray, estimation_skipped: list[Skipped]) -> WindowResult:
        window = self.plan.windows[k]
        parts = [p.windows[k] for p in self.parts]
        l1 = self.plan.estimation_length
        cols = slice(window[0] - self.plan.period[0], window[1] - self.plan.period[0] + 1)
        offsets = range(window[0], window[1] + 1)
        l2 = len(offsets)

        rows, by = self._window_rows(k, order)

        def per_firm(name: str, width: tuple[int, ...] = ()) -> np.ndarray:
            return _take(self._concat(k, name, width), by)

        car, scar, bhar = per_firm("car"), per_firm("scar"), per_firm("bhar")
        n = rows.size
        ar = period["period_ar"][rows, cols]
        aar = ar.mean(axis=0) if n else np.full(l2, np.nan)
        aar_t, aar_p = statistics.daily_cross_sectional_t(ar)
        caar = float(aar.sum()) if n else float("nan")

        def summed(name: str) -> np.ndarray:
            return total([getattr(w, name) for w in parts], l1)

        day_count = sum((w.day_count for w in parts), np.zeros(l1, dtype=np.int64))
        r_bar = None
        if n >= 2:
            r_bar = mean_cross_correlation(np.concatenate([w.group_days for w in parts]),
                                           np.concatenate([w.correlation_sums for w in parts]),
                                           np.concatenate([w.correlation_own for w in parts]), l2)
        day0_column = offsets.index(0) if 0 in offsets else None

        tests: dict[str, statistics.TestResult] = {}
        tests["cross_sectional_t"] = statistics.cross_sectional_t(car)
        crude = statistics.crude_dependence(summed("ar_sums"), day_count, n)
        tests["cda_t"] = statistics.cda_t(crude, caar, l2)
        tests["patell_z"] = statistics.patell_z(scar, df[rows])
        tests["bmp_t"] = statistics.bmp_t(scar)
        tests["kp_bmp_t"], tests["kp_patell_z"] = statistics.kp_adjusted(tests["bmp_t"], tests["patell_z"], r_bar, n)
        tests["corrado_rank_z"], tests["rank_z"] = nonparametric.corrado_rank_tests(
            summed("rank_sums"), day_count, per_firm("window_u", (l2,)), day0_column)
        tests["grank_t"] = self._grank(k, by, scar, day_count)
        tests["generalized_sign_z"] = nonparametric.generalized_sign_z(per_firm("positive_share"), car)
        tests["sign_z"] = nonparametric.sign_z(car)
        tests["wilcoxon"] = nonparametric.wilcoxon(car)
        tests["skew_adjusted_t"] = statistics.skew_adjusted_t(bhar)
        tests["portfolio_t"] = self._portfolio(parts, day0[rows])
        tests["calendar_time_t"] = calendar_time.calendar_time_t([w.calendar for w in parts], window, self.plan.spec)
        if n == 0:
            reason = "no firm-events with complete data in this window"
            tests = {name: statistics.undefined(name, t.distribution, reason, t.null) for name, t in tests.items()}

        return WindowResult(
            window=window,
            rows=rows,
            dates=period["period_dates"][rows, cols],
            returns=period["period_returns"][rows, cols],
            benchmark=period["period_benchmark"][rows, cols],
            ar=ar,
            car=car,
            car_var=per_firm("car_var"),
            car_t=per_firm("car_t"),
            car_t_clm=scar,
            car_p=per_firm("car_p"),
            bhar=bhar,
            window_return=per_firm("window_return"),
            aar=aar,
            aar_t=aar_t,
            aar_p=aar_p,
            caar=caar,
            abhar=float(bhar.mean()) if n else float("nan"),
            mean_cross_correlation=r_bar,
            tests={name: tests[name] for name in statistics.TEST_NAMES},
            caar_band=caar_band(offsets, aar, crude) if n else None,
            skipped=_sorted(estimation_skipped + [s for w in parts for s in w.skipped]),
        )

    def _grank(self, k: int, by: np.ndarray | None, scar: np.ndarray, day_count: np.ndarray) -> statistics.TestResult:
        spread, undefined = nonparametric.grank_scale(scar)
        if undefined is not None:
            return undefined
        if len(self.grank) != len(self.parts):
            raise RuntimeError("GRANK's second pass is missing: run grank_part on every chunk")
        second = [g[k] for g in self.grank]
        est_u = total([w.grank_rank_sums for w in (p.windows[k] for p in self.parts)], day_count.size)
        est_u = est_u + total([g.shift_sums for g in second], day_count.size)
        event_u = _take(np.concatenate([g.event_u for g in second]), by)
        return nonparametric.grank_t(est_u, day_count, event_u)

    @staticmethod
    def _portfolio(parts: list[WindowPart], day0: np.ndarray) -> statistics.TestResult:
        if day0.size == 0:
            return statistics.undefined("portfolio_t", "t", "no firm-events")
        if not (day0 == day0[0]).all():
            return statistics.undefined("portfolio_t", "t", "firm-events do not share day 0 (the portfolio needs one calendar window)")
        # one day 0 is one group, and a group is never split between chunks
        return next(w.portfolio for w in parts if w.rows.size)


def _take(values: np.ndarray, order: np.ndarray | None) -> np.ndarray:
    return values if order is None else values[order]
