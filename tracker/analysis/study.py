"""``EventStudy``: abnormal returns of firm-events against a market benchmark.

Usage::

    from tracker.analysis import EventStudy, FirmEvent
    study = EventStudy(warehouse, firm_events, market="SPY")
    result = study.fit(model="market", estimation=(-250, -11), window=(-1, 1), min_obs=120)
    result.firms, result.aar, result.tests["bmp_t"]

Everything is computed set-at-a-time over ``(N, L)`` arrays (see :mod:`tracker.analysis.panel`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from tracker.analysis import statistics
from tracker.analysis.caar_band import caar_band
from tracker.analysis.market_model import MarketModelFit, abnormal_returns, car_variance, fit_market_model
from tracker.analysis.panel import FirmEvent, Panel, Skipped, load_panel
from tracker.analysis.results import StudyResult
from tracker.errors import StudyError
from warehouse import Warehouse

MODELS = ("market",)
MIN_OBS_FLOOR = 3  # sigma^2 needs n - 2 > 0


def default_min_obs(estimation: tuple[int, int]) -> int:
    return max(MIN_OBS_FLOOR, math.ceil((estimation[1] - estimation[0] + 1) / 2))


def check_options(model: str, estimation: tuple[int, int], window: tuple[int, int], min_obs: int) -> None:
    """Refuse inconsistent study options with a message naming the option."""
    if model not in MODELS:
        raise StudyError(f"unknown model {model!r}", hint=f"use one of: {', '.join(MODELS)}")
    for name, (start, end) in (("estimation", estimation), ("window", window)):
        if start > end:
            raise StudyError(f"--{name} {start},{end}: start is after end", hint=f"write it as START,END like {end},{start}")
    if estimation[1] >= window[0]:
        raise StudyError(
            f"estimation window {estimation[0]},{estimation[1]} overlaps the event window {window[0]},{window[1]}",
            hint="end the estimation window before the event window starts (e.g. --estimation -250,-11)",
        )
    length = estimation[1] - estimation[0] + 1
    if not MIN_OBS_FLOOR <= min_obs <= length:
        raise StudyError(f"--min-obs {min_obs} must be between {MIN_OBS_FLOOR} and the estimation length {length}")


class EventStudy:
    """An event study over ``firm_events`` with returns read from ``warehouse``.

    Parameters
    ----------
    warehouse
        An open warehouse (read-only is enough).
    firm_events
        The firm-events to study; each carries its aligned day 0.
    market
        Ticker of the market benchmark (its returns are R_m).
    as_of
        Log position to read; ``None`` means the current head. The result records the position
        used, and the same position always reproduces the same numbers.
    event
        Description of the event(s), copied into the result's ``event`` block.
    """

    def __init__(
        self,
        warehouse: Warehouse,
        firm_events: list[FirmEvent],
        *,
        market: str = "SPY",
        as_of: int | None = None,
        event: dict[str, Any] | None = None,
    ):
        if not firm_events:
            raise StudyError("no firm-events to study", hint="give tickers with --tickers or rows in --events-file")
        self.warehouse = warehouse
        self.firm_events = firm_events
        self.market = market
        self.position = warehouse.position(as_of)
        self.event = event or {}

    def fit(
        self,
        *,
        model: str = "market",
        estimation: tuple[int, int] = (-250, -11),
        window: tuple[int, int] = (-1, 1),
        min_obs: int | None = None,
    ) -> StudyResult:
        """Estimate the model on each estimation window and measure abnormal returns on the event window.

        ``min_obs`` defaults to half the estimation window, rounded up (120 of -250..-11).
        """
        if min_obs is None:
            min_obs = default_min_obs(estimation)
        check_options(model, estimation, window, min_obs)
        panel = load_panel(self.warehouse, self.firm_events, self.market, estimation, window, min_obs, self.position)
        panel = _drop_degenerate(panel, fit_market_model(panel.firm_est, panel.market_est))
        fit = fit_market_model(panel.firm_est, panel.market_est)
        ar = abnormal_returns(fit, panel.firm_win, panel.market_win)
        l2 = ar.shape[1]
        car = ar.sum(axis=1)
        sigma = np.sqrt(fit.sigma2)
        car_t = car / (sigma * np.sqrt(l2))
        car_t_clm = car / np.sqrt(car_variance(fit, panel.market_win))
        car_p = statistics.two_sided_p_t(car_t_clm, fit.n_obs - 2)

        tests = {
            "cross_sectional_t": statistics.cross_sectional_t(car),
            "patell_z": statistics.patell_z(car_t_clm, fit.n_obs),
            "bmp_t": statistics.bmp_t(car_t_clm),
        }
        return StudyResult(
            event=self.event,
            model=model,
            market=self.market,
            estimation=estimation,
            window=window,
            min_obs=min_obs,
            log_position=self.position,
            firm_events=panel.firm_events,
            day0=np.array([fe.day0 for fe in panel.firm_events], dtype="datetime64[D]"),
            window_dates=panel.win_dates,
            returns=panel.firm_win,
            market_returns=panel.market_win,
            alpha=fit.alpha,
            beta=fit.beta,
            sigma=sigma,
            n_est=fit.n_obs,
            ar=ar,
            car=car,
            car_t=car_t,
            car_t_clm=car_t_clm,
            car_p=car_p,
            skipped=sorted(panel.skipped, key=lambda s: (s.event_date, s.ticker, s.event_id or "")),
            tests=tests,
            caar_band=caar_band(fit.residuals, ar, panel.window_offsets) if panel.n else None,
        )


def _drop_degenerate(panel: Panel, fit: MarketModelFit) -> Panel:
    """Skip firm-events whose regression is undefined (constant market or zero residual variance)."""
    bad_market = ~(fit.market_ss > 0)
    bad_sigma = ~(fit.sigma2 > 0)
    bad = bad_market | bad_sigma
    if not bad.any():
        return panel
    skipped = list(panel.skipped)
    for i in np.flatnonzero(bad).tolist():
        fe = panel.firm_events[i]
        reason = (
            "market returns are constant in the estimation window" if bad_market[i]
            else "residual variance is zero (constant returns in the estimation window)"
        )
        skipped.append(Skipped(fe.ticker, fe.event_id, fe.event_date, reason))
    keep = np.flatnonzero(~bad)
    return Panel(
        firm_events=[panel.firm_events[i] for i in keep.tolist()],
        estimation=panel.estimation,
        window=panel.window,
        firm_est=panel.firm_est[keep],
        market_est=panel.market_est[keep],
        firm_win=panel.firm_win[keep],
        market_win=panel.market_win[keep],
        win_dates=panel.win_dates[keep],
        skipped=skipped,
    )
