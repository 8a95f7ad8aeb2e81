"""The result of an event study: arrays for computing, polars frames for analysts, JSON for machines.

:class:`StudyResult` follows linearmodels' results objects: frames (``.firms``, ``.ar``,
``.car``, ``.bhar``, ``.aar``, ``.caar``), test objects (``.tests``), a text ``.summary``
(also ``str(result)``), ``_repr_html_`` for notebooks and ``to_json()``. Each event window's
numbers live in a :class:`WindowResult` (``result.by_window``) as numpy arrays.

The JSON document (``StudyResult.to_dict()``, schema version 2) is a stable, documented schema;
the same inputs and log position always give byte-identical JSON (no timestamps, no paths,
fixed order). Version 2 extends version 1: the top-level ``window``, ``firms``, ``skipped``
and ``aggregate`` describe the first window exactly as before (with more fields), and
``by_window`` repeats that shape for every requested window.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from tracker.analysis.caar_band import CaarBand
from tracker.analysis.formatting import json_number
from tracker.analysis.models import ModelSpec
from tracker.analysis.panel import Exclusion, FirmEvent, Skipped
from tracker.analysis.statistics import TestResult, reading_order

if TYPE_CHECKING:  # only named in annotations (groups computes with the chunked engine, which builds results)
    from tracker.analysis.cross_section import CrossSection
    from tracker.analysis.groups import GroupDifference

SCHEMA_VERSION = 2

CLUSTER_NOTE = (
    "All firm-events share day 0, so their abnormal returns are cross-correlated: tests that assume "
    "independent firm-events (cross-sectional t, Patell Z, BMP t, sign and signed-rank tests, the "
    "skewness-adjusted t) over-reject (Kolari & Pynnönen 2010). Read first the tests listed as valid "
    "under clustering: the portfolio t, the Kolari-Pynnönen adjusted BMP and Patell, the crude-dependence "
    "t and the rank tests; and each firm's own t."
)


def conventions(spec: ModelSpec) -> dict[str, str]:
    """Conventions stated in every JSON result (and in the README), for the model used."""
    k = spec.k
    df = f"n-{spec.df_lost}"
    return {
        "returns": "simple daily total returns R_t = P_t/P_{t-1} - 1 on XNYS sessions, from adj_close where both bars have it, else (close + that day's dividends) / previous close",
        "missing": "a missing bar makes that day's return missing; a firm-event missing any input on a window day is skipped for that window; missing factor days are missing, never zero",
        "windows": "inclusive offsets in trading sessions from day 0; day 0 is the first session the event could move; several windows share one estimation",
        "model": spec.description,
        "estimation": (
            f"OLS with {k} coefficient(s) on the estimation days where the firm's return and every model input exist "
            f"(minus days excluded around other events); sigma^2 = SSR/({df})"
            if spec.k else
            "nothing estimated; sigma^2 = variance of the estimation-window ARs about their mean, SSR/(n-1)"
        ),
        "factors": "Fama-French daily factors as decimals; factor models explain the excess return R - rf",
        "ar": "AR = R - expected return; CAR = sum of AR over the window (L2 days); BHAR = prod(1+R) - prod(1+expected)",
        "car_t": "CAR / (sigma * sqrt(L2)), no estimation-error correction",
        "car_t_clm": "CAR / sqrt(sigma^2 * (L2 + L2^2/n + d' Szz^-1 d)), d = sum over the window of the regressors' deviations from their estimation means (MacKinlay 1997; CLM 1997 ch. 4); sigma^2 * L2 for the market-adjusted model",
        "car_p": f"two-sided p-value of car_t_clm under t({df})",
        "scar": "standardised CAR = car_t_clm; Patell, BMP, their KP adjustments and GRANK use it",
        "cross_sectional_t": "mean(CAR) / (sd(CAR)/sqrt(N)) ~ t(N-1)",
        "cda_t": "Brown-Warner crude dependence adjustment: CAAR / (sqrt(L2) * sd over estimation days of the event-time AAR) ~ t(days-1)",
        "caar_band": "95% pointwise band of the CAAR through each window day: CAAR +/- t(days-1) quantile x sqrt(days so far) x the cda_t's sd of the estimation-window AAR (Brown-Warner crude dependence; valid under a shared day 0); at the last day it is cda_t's confidence interval",
        "patell_z": "sum SCAR / sqrt(sum df/(df-2)) ~ N(0,1) (SCAR form, as estudy2 and StatsPAI)",
        "bmp_t": "sqrt(N) mean(SCAR) / sd(SCAR) ~ t(N-1)",
        "kp": "Kolari-Pynnonen: kp_bmp_t = bmp_t sqrt((1-r)/(1+(N-1)r)), kp_patell_z = patell_z / sqrt(1+(N-1)r); r = mean over pairs of the correlation of estimation-window residuals paired by CALENDAR date, weighted by the share of event-window sessions the pair has in common (equals KP's r when all share day 0; Stata estudy pairs by event time)",
        "ranks": "ARs ranked within each firm over estimation + window days, ties averaged, U = rank/(L_i+1); S_U^2 = mean over days of (N_t/N)(mean U_t - 1/2)^2; corrado_rank_z = (mean U_0 - 1/2)/S_U, rank_z = sqrt(L2)(mean over window of mean U_t - 1/2)/S_U, both ~ N(0,1)",
        "grank_t": "Kolari-Pynnonen 2011: estimation SARs plus SCAR/sd(SCAR) ranked per firm, U = rank/(T_i+1) - 1/2, Z = mean U_0 / sqrt(mean (N_t/N) mean U_t^2), t = Z sqrt((T-2)/(T-1-Z^2)) ~ t(T-2), T = estimation days + 1",
        "sign": "generalized_sign_z = (w - N p)/sqrt(N p (1-p)), p = mean over firms of the estimation share of positive ARs; sign_z = (w - N/2)/sqrt(N/4); w = positive CARs; no continuity correction; for N <= 50 the p-values are exact two-sided binomial ones (outcomes no more likely than w)",
        "wilcoxon": "signed-rank test on CARs; stat = standardised W+; exact p for n <= 50 without ties, else N(0,1) with tie correction",
        "skew_adjusted_t": "Lyon-Barber-Tsai on BHARs: sqrt(N)(S + g S^2/3 + g/(6N)), S = mean/sd, g = skewness ~ t(N-1)",
        "portfolio_t": "equal-weighted portfolio of the window's firms as one security, same model, CAR / its corrected sd ~ t(n-k); only when all share day 0",
        "calendar_time_t": (
            "calendar-time portfolio (Jaffe 1974; Mandelker 1974): on each session the equal-weighted mean, over the "
            "firm-events whose window covers it, of the model's dependent variable (R for the market model, R - rf for "
            "ff3/carhart, R - Rm for market-adjusted, the AR for mean-adjusted), regressed by OLS on an intercept and "
            "the model's regressors that session (nothing for the adjusted models) over the days with a holding; "
            "estimate = the intercept (daily alpha), stat = its OLS t ~ t(days-k), k = 1 + regressors; window_alpha "
            "= alpha x L2, on the scale of a CAR; days and mean_holdings (firm-events held on an average day) alongside; "
            "undefined under k+2 days"
        ),
        "p_values": "two-sided",
    }


_PLACEHOLDER = "@@firms-of-window-{}@@"


def _json_list(values: np.ndarray) -> list:
    """An array as (nested) lists of floats, NaN and infinities as None (JSON null)."""
    values = np.asarray(values, dtype=float)
    return np.where(np.isfinite(values), values, None).tolist()


def _date(value: np.datetime64) -> str | None:
    return None if np.isnat(value) else str(value)


def event_name(event_id: str | None, names: Mapping[str, str]) -> str | None:
    """The name of a firm-event's event; a merged ``a+b`` joins the names of both (ids stand in for unnamed ones)."""
    if not event_id:
        return None
    parts = event_id.split("+")
    found = [names.get(part) for part in parts]
    return " + ".join(name or part for name, part in zip(found, parts)) if any(found) else None


def firm_event_ids(firm_events: list[FirmEvent], names: Mapping[str, str], market: str | None = None) -> dict[str, pl.Series]:
    """The identifying columns of firm-events: ticker, event_id, event_name, event_date, day0; and
    ``group`` when the firm-events belong to groups.

    With ``market`` (a study in which some firm-events have a benchmark of their own), also
    ``market``: each firm-event's benchmark ticker (its own, else ``market``). Studies with one
    market for all leave the column out, so their frames keep their shape.
    """
    columns = {
        "ticker": pl.Series([fe.ticker for fe in firm_events], dtype=pl.String),
        "event_id": pl.Series([fe.event_id for fe in firm_events], dtype=pl.String),
        "event_name": pl.Series([event_name(fe.event_id, names) for fe in firm_events], dtype=pl.String),
        "event_date": pl.Series([fe.event_date for fe in firm_events], dtype=pl.Date),
        "day0": pl.Series([fe.day0 for fe in firm_events], dtype=pl.Date),
    }
    if any(fe.group is not None for fe in firm_events):
        columns["group"] = pl.Series([fe.group for fe in firm_events], dtype=pl.String)
    if market is not None:
        columns["market"] = pl.Series([fe.market or market for fe in firm_events], dtype=pl.String)
    return columns


def ar_frame(firm_events: list[FirmEvent], names: Mapping[str, str], period: tuple[int, int], dates: np.ndarray,
             returns: np.ndarray, benchmark: np.ndarray, ar: np.ndarray, market: str | None = None) -> pl.DataFrame:
    """One row per firm-event and event-period day: return, benchmark, expected return, AR (``(N, Lp)`` arrays).

    ``market``: see :func:`firm_event_ids`."""
    n, lp = ar.shape
    offsets = np.arange(period[0], period[1] + 1)
    ids = {k: v.gather(np.repeat(np.arange(n), lp)) for k, v in firm_event_ids(firm_events, names, market).items()}
    frame = pl.DataFrame(ids | {
        "offset": np.tile(offsets, n),
        "date": dates.reshape(-1),
        "ret": returns.reshape(-1),
        "market_ret": benchmark.reshape(-1),
        "expected": (returns - ar).reshape(-1),
        "ar": ar.reshape(-1),
    }, schema_overrides={"date": pl.Date})
    return frame.with_columns(pl.col(c).fill_nan(None) for c in ("ret", "market_ret", "expected", "ar"))


def firm_rows_frame(firm_events: list[FirmEvent], spec: ModelSpec, firms: dict[str, np.ndarray], window: tuple[int, int],
                    rows: np.ndarray, names: Mapping[str, str], per_window: dict[str, np.ndarray],
                    market: str | None = None) -> pl.DataFrame:
    """One row per firm-event studied in ``window``: the model's estimates and the window's measures.

    ``firms`` holds ``params, sigma, n_est, df, n_excluded`` of every firm-event; ``rows`` those
    studied in the window, whose ``window_return, car, car_var, car_t, car_t_clm, car_p, bhar``
    are in ``per_window``. The columns of the JSON's firm objects, without the AR list (and with
    a ``market`` column when ``market`` is given: see :func:`firm_event_ids`).
    """
    columns: dict[str, Any] = {
        "window_start": pl.Series([window[0]] * rows.size, dtype=pl.Int64),
        "window_end": pl.Series([window[1]] * rows.size, dtype=pl.Int64),
    } | firm_event_ids([firm_events[i] for i in rows.tolist()], names, market)
    for j, name in enumerate(spec.param_names):
        columns[name] = firms["params"][rows, j]
    columns |= {name: firms[name][rows] for name in ("sigma", "n_est", "df", "n_excluded")}
    with np.errstate(invalid="ignore"):
        columns |= {"window_return": per_window["window_return"], "car": per_window["car"],
                    "car_se": np.sqrt(per_window["car_var"]), "car_t": per_window["car_t"],
                    "car_t_clm": per_window["car_t_clm"], "car_p": per_window["car_p"],
                    "scar": per_window["car_t_clm"], "bhar": per_window["bhar"]}
    frame = pl.DataFrame(columns, schema_overrides={name: pl.Float64 for name in spec.param_names})
    return frame.with_columns(pl.col(pl.Float64).fill_nan(None))


@dataclass(frozen=True)
class WindowResult:
    """Every number of one event window, as numpy arrays (``n`` firm-events x ``L2`` days).

    ``rows`` index :attr:`StudyResult.firm_events`: the firm-events with complete data in this
    window. ``car_t_clm`` is the SCAR. :attr:`StudyResult` shows the same numbers as frames.
    """

    window: tuple[int, int]
    rows: np.ndarray
    dates: np.ndarray
    returns: np.ndarray
    benchmark: np.ndarray
    ar: np.ndarray
    car: np.ndarray
    car_var: np.ndarray
    car_t: np.ndarray
    car_t_clm: np.ndarray
    car_p: np.ndarray
    bhar: np.ndarray
    window_return: np.ndarray
    aar: np.ndarray
    aar_t: np.ndarray
    aar_p: np.ndarray
    caar: float
    abhar: float
    mean_cross_correlation: float | None
    tests: dict[str, TestResult]
    caar_band: CaarBand | None  # None when no firm-event was studied in the window
    skipped: list[Skipped]

    @property
    def n(self) -> int:
        return int(self.rows.size)

    @property
    def offsets(self) -> list[int]:
        return list(range(self.window[0], self.window[1] + 1))

    @property
    def scar(self) -> np.ndarray:
        return self.car_t_clm

    @property
    def common_dates(self) -> np.ndarray | None:
        """The window's session dates when every firm-event shares day 0, else ``None``."""
        if self.n and (self.dates == self.dates[0]).all():
            return self.dates[0]
        return None

    @property
    def clustered(self) -> bool:
        """More than one firm-event and all share day 0 (fully clustered, like DeepSeek)."""
        return self.n > 1 and self.common_dates is not None

    def ordered_tests(self) -> list[tuple[str, TestResult, bool]]:
        """``(name, test, valid_under_clustering)``; the robust tests first when clustered."""
        return [(name, self.tests[name], robust) for name, robust in reading_order(self.clustered)]


@dataclass
class StudyResult:
    """Abnormal returns and tests of one study. Build it with :class:`tracker.analysis.EventStudy`.

    Attributes
    ----------
    firm_events
        The firm-events whose model could be estimated (their order is the order of every frame).
    by_window
        One :class:`WindowResult` per requested window, in the order given.
    """

    event: dict[str, Any]
    model: ModelSpec
    market: str | None
    estimation: tuple[int, int]
    windows: tuple[tuple[int, int], ...]
    min_obs: int
    log_position: int
    exclusion: Exclusion | None
    firm_events: list[FirmEvent]
    day0: np.ndarray  # (N,) datetime64[D]
    params: np.ndarray  # (N, k)
    sigma: np.ndarray
    n_est: np.ndarray
    df: np.ndarray
    n_excluded: np.ndarray
    period: tuple[int, int]
    period_dates: np.ndarray  # (N, Lp) every day of every window
    period_returns: np.ndarray
    period_benchmark: np.ndarray
    period_ar: np.ndarray
    estimation_skipped: list[Skipped]
    by_window: list[WindowResult]
    #: Firm-events that shared ticker and day 0 and were studied as one (``ticker, day0, event_ids``).
    merged: list[dict[str, Any]] = field(default_factory=list)
    #: ``event id -> name`` of the events studied (filled by :func:`tracker.study.run_study`).
    event_names: dict[str, str] = field(default_factory=dict)
    #: Firm-events whose event period holds another curated event's day 0 (``tracker.study.sample``).
    overlaps: list[dict[str, Any]] = field(default_factory=list)
    #: The groups compared, in order (empty: no groups), and each group's own study.
    group_names: tuple[str, ...] = ()
    groups: dict[str, StudyResult] = field(default_factory=dict)
    #: Per pair of groups (first minus second) and window: the difference of CAARs and its tests.
    group_differences: list[GroupDifference] = field(default_factory=list)
    #: Per window, the regression of CARs on the firm characteristics given (empty: none given).
    cross_sections: list[CrossSection] = field(default_factory=list)
    #: Some firm-event has a market benchmark of its own (``FirmEvent.market``; ``None`` there means
    #: ``market``): frames gain a ``market`` column, JSON firm objects a ``benchmark``.
    own_benchmarks: bool = False
    #: ``ticker -> benchmark`` asked for the study (``EventStudy(benchmarks=...)``, ``--benchmark``).
    benchmarks: dict[str, str] = field(default_factory=dict)

    # -- the first window, as the slice's single-window result had it ------------------------------
    @property
    def window(self) -> tuple[int, int]:
        return self.windows[0]

    @property
    def first(self) -> WindowResult:
        return self.by_window[0]

    @property
    def n(self) -> int:
        """Firm-events studied in the first window."""
        return self.first.n

    @property
    def offsets(self) -> list[int]:
        return self.first.offsets

    @property
    def tests(self) -> dict[str, TestResult]:
        """Tests of the first window by name (see ``by_window`` or :attr:`test_table` for the others)."""
        return self.first.tests

    @property
    def skipped(self) -> list[Skipped]:
        """Firm-events not studied in the first window, each with its reason."""
        return self.first.skipped

    @property
    def common_day0(self) -> bool:
        """True when every firm-event of the first window shares day 0 (fully clustered, like DeepSeek)."""
        return self.first.common_dates is not None

    def window_result(self, window: tuple[int, int]) -> WindowResult:
        return self.by_window[self.windows.index(tuple(window))]

    @property
    def param_names(self) -> tuple[str, ...]:
        return self.model.param_names

    def _param(self, name: str) -> np.ndarray:
        names = self.param_names
        return self.params[:, names.index(name)] if name in names else np.full(len(self.firm_events), np.nan)

    @property
    def alpha(self) -> np.ndarray:
        return self._param("alpha")

    @property
    def beta(self) -> np.ndarray:
        """Loading on the market: ``beta`` of the market model, ``mkt_rf`` of the factor models."""
        return self._param("beta") if "beta" in self.param_names else self._param("mkt_rf")

    # -- frames ----------------------------------------------------------------------------------
    @property
    def _id_market(self) -> str | None:
        """The ``market`` argument of :func:`firm_event_ids`: the study's market when benchmarks vary."""
        return self.market if self.own_benchmarks else None

    def _ids(self, rows: np.ndarray | None = None) -> dict[str, Any]:
        return firm_event_ids(self.firm_events if rows is None else [self.firm_events[i] for i in rows.tolist()],
                              self.event_names, self._id_market)

    @property
    def firms(self) -> pl.DataFrame:
        """One row per estimated firm-event: the model's coefficients, sigma and estimation days."""
        columns = self._ids()
        for j, name in enumerate(self.param_names):
            columns[name] = self.params[:, j]
        columns |= {"sigma": self.sigma, "n_est": self.n_est, "df": self.df, "n_excluded": self.n_excluded}
        return pl.DataFrame(columns)

    @property
    def ar(self) -> pl.DataFrame:
        """Long frame, one row per firm-event and day of any window: return, benchmark, expected return, AR."""
        return ar_frame(self.firm_events, self.event_names, self.period, self.period_dates, self.period_returns,
                        self.period_benchmark, self.period_ar, self._id_market)

    @property
    def firm_rows(self) -> pl.DataFrame:
        """One row per window and firm-event studied in it: estimates, CAR and its tests, BHAR
        (the JSON's firm objects without their AR lists; ``tracker study --out`` writes it)."""
        firms = {"params": self.params, "sigma": self.sigma, "n_est": self.n_est, "df": self.df, "n_excluded": self.n_excluded}
        return pl.concat([
            firm_rows_frame(self.firm_events, self.model, firms, w.window, w.rows, self.event_names, {
                "window_return": w.window_return, "car": w.car, "car_var": w.car_var, "car_t": w.car_t,
                "car_t_clm": w.car_t_clm, "car_p": w.car_p, "bhar": w.bhar}, self._id_market)
            for w in self.by_window
        ], how="vertical")

    def _per_window(self, build) -> pl.DataFrame:
        frames = [
            build(w).select(pl.lit(w.window[0], dtype=pl.Int64).alias("window_start"),
                            pl.lit(w.window[1], dtype=pl.Int64).alias("window_end"), pl.all())
            for w in self.by_window
        ]
        return pl.concat(frames, how="vertical")

    @property
    def car(self) -> pl.DataFrame:
        """One row per window and firm-event: CAR, its t with and without estimation error, p, SCAR."""
        return self._per_window(lambda w: pl.DataFrame(self._ids(w.rows) | {
            "car": w.car, "car_se": np.sqrt(w.car_var), "car_t": w.car_t, "car_t_clm": w.car_t_clm,
            "car_p": w.car_p, "scar": w.car_t_clm,
        }))

    @property
    def bhar(self) -> pl.DataFrame:
        """One row per window and firm-event: compounded return, compounded expected return, BHAR."""
        return self._per_window(lambda w: pl.DataFrame(self._ids(w.rows) | {
            "window_return": w.window_return, "normal_return": w.window_return - w.bhar, "bhar": w.bhar,
        }))

    @property
    def aar(self) -> pl.DataFrame:
        """One row per window and day: AAR, the CAAR up to that day with its CDA standard error and
        95% band, N, cross-sectional t and p of the day."""
        def build(w: WindowResult) -> pl.DataFrame:
            common = w.common_dates
            nan = np.full(len(w.offsets), np.nan)
            band = w.caar_band
            return pl.DataFrame({
                "offset": w.offsets,
                "date": pl.Series(common if common is not None else [None] * len(w.offsets), dtype=pl.Date),
                "n": [w.n] * len(w.offsets),
                "aar": w.aar, "caar": np.cumsum(w.aar),
                "caar_se": band.se if band else nan, "caar_lower": band.lower if band else nan,
                "caar_upper": band.upper if band else nan,
                "t": w.aar_t, "p": w.aar_p,
            }).with_columns(pl.col("caar_se", "caar_lower", "caar_upper").fill_nan(None))
        return self._per_window(build)

    @property
    def caar(self) -> pl.DataFrame:
        """One row per window: N, CAAR, ABHAR and the average cross-correlation used by the KP tests."""
        return pl.DataFrame({
            "window_start": [w.window[0] for w in self.by_window],
            "window_end": [w.window[1] for w in self.by_window],
            "n": [w.n for w in self.by_window],
            "caar": [json_number(w.caar) for w in self.by_window],
            "abhar": [json_number(w.abhar) for w in self.by_window],
            "mean_cross_correlation": [json_number(w.mean_cross_correlation) for w in self.by_window],
        }, schema={"window_start": pl.Int64, "window_end": pl.Int64, "n": pl.Int64, "caar": pl.Float64,
                   "abhar": pl.Float64, "mean_cross_correlation": pl.Float64})

    @property
    def test_table(self) -> pl.DataFrame:
        """Every test of every window: statistic, p-value, distribution, and whether clustering leaves it valid.

        With groups, a ``group`` column says whose test it is: null for the whole study, a group's
        name for its own tests, ``first − second`` for the tests of a difference (``long_short_t``,
        ``binder_t``; ``estimate`` holds the difference of CAARs)."""
        def rows_of(result: StudyResult, group: str | None) -> list[dict[str, Any]]:
            return [
                {"group": group, "window_start": w.window[0], "window_end": w.window[1], "test": name,
                 "estimate": json_number(w.caar), "stat": json_number(t.stat), "p": json_number(t.p),
                 "distribution": t.distribution, "valid_under_clustering": robust, "reason": t.reason}
                for w in result.by_window for name, t, robust in w.ordered_tests()
            ]

        rows = rows_of(self, None)
        schema = {"group": pl.String, "window_start": pl.Int64, "window_end": pl.Int64, "test": pl.String, "estimate": pl.Float64,
                  "stat": pl.Float64, "p": pl.Float64, "distribution": pl.String, "valid_under_clustering": pl.Boolean,
                  "reason": pl.String}
        if not self.group_names:
            return pl.DataFrame(rows, schema=schema).drop("group", "estimate")
        for name in self.group_names:
            rows += rows_of(self.groups[name], name)
        rows += [
            {"group": d.label, "window_start": d.window[0], "window_end": d.window[1], "test": name,
             "estimate": json_number(d.difference), "stat": json_number(t.stat), "p": json_number(t.p),
             "distribution": t.distribution, "valid_under_clustering": True, "reason": t.reason}
            for d in self.group_differences for name, t in d.tests.items()
        ]
        return pl.DataFrame(rows, schema=schema)

    # -- JSON ------------------------------------------------------------------------------------
    def _firm_dicts(self, w: WindowResult, part: slice = slice(None)) -> list[dict[str, Any]]:
        """The window's firm-events (those in ``part`` of its rows) as JSON objects (columns converted
        at once, not value by value)."""
        rows = w.rows[part]
        events = [self.firm_events[i] for i in rows.tolist()]
        offsets = w.offsets
        dates = np.datetime_as_string(w.dates[part]).tolist() if rows.size else []
        returns, benchmark, ar = _json_list(w.returns[part]), _json_list(w.benchmark[part]), _json_list(w.ar[part])
        expected = _json_list(w.returns[part] - w.ar[part])
        params = _json_list(self.params[rows])
        alpha, beta, sigma = _json_list(self.alpha[rows]), _json_list(self.beta[rows]), _json_list(self.sigma[rows])
        n_est, df, n_excluded = self.n_est[rows].tolist(), self.df[rows].tolist(), self.n_excluded[rows].tolist()
        with np.errstate(invalid="ignore"):
            car_se = _json_list(np.sqrt(w.car_var[part]))
        columns = {name: _json_list(getattr(w, name)[part]) for name in ("window_return", "car", "car_t", "car_t_clm", "car_p", "bhar")}
        names = self.param_names
        firms = []
        for j, fe in enumerate(events):
            firms.append({
                "ticker": fe.ticker,
                "event_id": fe.event_id,
                "event_name": event_name(fe.event_id, self.event_names),
                "event_date": fe.event_date.isoformat(),
                "day0": fe.day0.isoformat(),
                # its own benchmark, when not the study's market
                **({"benchmark": fe.market} if fe.market is not None and self.market else {}),
                "alpha": alpha[j],
                "beta": beta[j],
                "params": dict(zip(names, params[j])),
                "sigma": sigma[j],
                "n_est": n_est[j],
                "df": df[j],
                "n_excluded": n_excluded[j],
                "ar": [
                    {"offset": offset, "date": dates[j][d], "ret": returns[j][d], "market_ret": benchmark[j][d],
                     "expected": expected[j][d], "ar": ar[j][d]}
                    for d, offset in enumerate(offsets)
                ],
                "window_return": columns["window_return"][j],
                "car": columns["car"][j],
                "car_se": car_se[j],
                "car_t": columns["car_t"][j],
                "car_t_clm": columns["car_t_clm"][j],
                "car_p": columns["car_p"][j],
                "scar": columns["car_t_clm"][j],
                "bhar": columns["bhar"][j],
            } | ({"group": fe.group} if fe.group is not None else {}))
        return firms

    def _window_dict(self, w: WindowResult, firms: bool = True) -> dict[str, Any]:
        common = w.common_dates
        caar = np.cumsum(w.aar)
        return {
            "window": list(w.window),
            "firms": self._firm_dicts(w) if firms else None,
            "skipped": [s.to_dict() for s in w.skipped],
            "aggregate": {
                "n": w.n,
                "common_day0": str(self.day0[w.rows[0]]) if common is not None else None,
                "caar": json_number(w.caar),
                "abhar": json_number(w.abhar),
                "mean_cross_correlation": json_number(w.mean_cross_correlation),
                "aar": [
                    {
                        "offset": offset,
                        "date": _date(common[d]) if common is not None else None,
                        "aar": json_number(w.aar[d]),
                        "caar": json_number(caar[d]),
                        "n": w.n,
                        "t": json_number(w.aar_t[d]),
                        "p": json_number(w.aar_p[d]),
                    }
                    for d, offset in enumerate(w.offsets)
                ],
                "tests": {name: test.to_dict() for name, test in w.tests.items()},
                "caar_band": w.caar_band.to_dict() if w.caar_band is not None else None,
            },
        }

    def to_dict(self, *, firms: bool = True) -> dict[str, Any]:
        """The JSON document as Python objects; ``firms=False`` leaves every ``firms`` list out (``null``),
        for a study whose firm-events are written elsewhere (``tracker study --out``)."""
        blocks = [self._window_dict(w, firms) for w in self.by_window]
        return {
            "schema_version": SCHEMA_VERSION,
            "event": self.event,
            "model": self.model.name,
            "market": self.market,
            **({"benchmarks": dict(sorted(self.benchmarks.items()))} if self.benchmarks else {}),
            "factors": list(self.model.factors),
            "estimation": list(self.estimation),
            "window": list(self.window),
            "windows": [list(w) for w in self.windows],
            "min_obs": self.min_obs,
            "exclusion": self.exclusion.to_dict() if self.exclusion else None,
            "merged": self.merged,
            "overlaps": self.overlaps,
            "log_position": self.log_position,
            "conventions": conventions(self.model),
            "firms": blocks[0]["firms"],
            "skipped": blocks[0]["skipped"],
            "aggregate": blocks[0]["aggregate"],
            "by_window": blocks,
        } | self._groups_dict()

    def _groups_dict(self) -> dict[str, Any]:
        """The groups' own studies, their differences and the cross-sectional regressions, when there are any."""
        out: dict[str, Any] = {}
        if self.group_names:
            out["groups"] = {
                name: {"tickers": sorted({fe.ticker for fe in self.groups[name].firm_events}),
                       "by_window": [{k: v for k, v in self.groups[name]._window_dict(w, False).items() if k != "firms"}
                                     for w in self.groups[name].by_window]}
                for name in self.group_names
            }
            out["group_differences"] = [d.to_dict() for d in self.group_differences]
        if self.cross_sections:
            out["cross_sections"] = [c.to_dict() for c in self.cross_sections]
        return out

    def to_json(self) -> str:
        """The JSON document: indented, with one compact line per firm-event (see :meth:`write_json`)."""
        import io

        out = io.StringIO()
        self.write_json(out)
        return out.getvalue()

    def write_json(self, stream, *, rows_at_a_time: int = 5_000) -> None:
        """Write the JSON document to the text ``stream``, firm-events a few thousand at a time.

        The same text as :meth:`to_json`, in the memory of ``rows_at_a_time`` firm-events, so a
        study of a million firm-events can be written out (about 2 KB each). Written with orjson
        (about ten times faster than the standard library); numbers are the shortest text that
        reads back as the same float, as with ``json``, though small ones may be spelled
        ``0.00001`` rather than ``1e-05``.
        """
        import orjson

        document = self.to_dict(firms=False)
        document["firms"] = _PLACEHOLDER.format(0)
        document["by_window"][0]["firms"] = _PLACEHOLDER.format(0)
        for k, block in enumerate(document["by_window"][1:], start=1):
            block["firms"] = _PLACEHOLDER.format(k)
        text = orjson.dumps(document, option=orjson.OPT_INDENT_2).decode()
        # every placeholder but the first window's (which appears twice) once, in document order
        for k, w in enumerate(self.by_window):
            marker = f'"{_PLACEHOLDER.format(k)}"'
            while marker in text:
                head, text = text.split(marker, 1)
                stream.write(head)
                if not w.n:
                    stream.write("[]")
                    continue
                stream.write("[\n")
                for start in range(0, w.n, rows_at_a_time):
                    firms = self._firm_dicts(w, slice(start, start + rows_at_a_time))
                    lines = ",\n".join("    " + orjson.dumps(firm).decode() for firm in firms)
                    stream.write(lines + (",\n" if start + rows_at_a_time < w.n else "\n"))
                stream.write("  ]")
        stream.write(text + "\n")

    # -- text and HTML ---------------------------------------------------------------------------
    @property
    def summary(self) -> str:
        """The study as plain text, as ``tracker study`` prints it (the view and its text renderer,
        :mod:`tracker.reports.view` and :mod:`tracker.reports.text`, imported only when asked)."""
        from tracker.reports.text import as_text
        from tracker.reports.view import report_view

        return as_text(report_view(self))

    def __str__(self) -> str:
        return self.summary

    def _repr_html_(self) -> str:
        """Notebooks: the study's tables as HTML, the same tables as ``tracker report``'s."""
        from tracker.reports.html import render_fragment
        from tracker.reports.view import report_view

        return render_fragment(report_view(self))


__all__ = ["SCHEMA_VERSION", "StudyResult", "WindowResult", "ar_frame", "conventions", "firm_event_ids", "firm_rows_frame"]
