"""Firm-events and their returns aligned in event time, as dense arrays.

Every firm-event *i* has a day 0 on the XNYS calendar. Its estimation window and event window
are inclusive offsets in sessions from day 0. The panel gathers, for all firm-events at once,
the firm's and the market's simple daily returns at those offsets into ``(N, L)`` arrays
(NaN where a return is missing). All later computations are vectorised over these arrays:
there is no Python loop per firm.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from events.sessions import SessionCalendar
from tracker.errors import StudyError
from warehouse import Warehouse


@dataclass(frozen=True)
class FirmEvent:
    """One security around one event: ``day0`` is the first session the event could move."""

    ticker: str
    event_id: str | None
    event_date: dt.date
    day0: dt.date


@dataclass(frozen=True)
class Skipped:
    ticker: str
    event_id: str | None
    event_date: dt.date
    reason: str


@dataclass
class Panel:
    """Aligned returns of the firm-events that can be studied (``firm_events``)."""

    firm_events: list[FirmEvent]
    estimation: tuple[int, int]
    window: tuple[int, int]
    firm_est: np.ndarray  # (N, L1) firm returns on estimation days
    market_est: np.ndarray  # (N, L1)
    firm_win: np.ndarray  # (N, L2) firm returns on event-window days
    market_win: np.ndarray  # (N, L2)
    win_dates: np.ndarray  # (N, L2) datetime64[D] session dates of the window days
    skipped: list[Skipped]

    @property
    def n(self) -> int:
        return len(self.firm_events)

    @property
    def window_offsets(self) -> list[int]:
        return list(range(self.window[0], self.window[1] + 1))


def load_panel(
    warehouse: Warehouse,
    firm_events: list[FirmEvent],
    market: str,
    estimation: tuple[int, int],
    window: tuple[int, int],
    min_obs: int,
    position: int,
) -> Panel:
    """Gather returns for ``firm_events`` as known at log ``position``; skip what cannot be studied."""
    calendar: SessionCalendar = warehouse.calendar()
    est_offsets = np.arange(estimation[0], estimation[1] + 1)
    win_offsets = np.arange(window[0], window[1] + 1)
    n_sessions = len(calendar)

    day0_index = np.array([calendar.index_of(fe.day0) for fe in firm_events], dtype=np.int64)
    lo = int(max(0, day0_index.min() + estimation[0]))
    hi = int(min(n_sessions - 1, day0_index.max() + window[1]))
    tickers = sorted({fe.ticker for fe in firm_events} | {market})
    frame = warehouse.returns(tickers, lo, hi, position)
    coverage = warehouse.coverage(position, tickers)

    # Dense (tickers x sessions) matrix with one extra NaN column for offsets off the calendar.
    code = {t: i for i, t in enumerate(tickers)}
    width = hi - lo + 1
    matrix = np.full((len(tickers), width + 1), np.nan)
    if frame.height:
        rows = frame["ticker"].replace_strict(code, return_dtype=pl.Int64).to_numpy()
        cols = frame["session"].to_numpy().astype(np.int64) - lo
        matrix[rows, cols] = frame["ret"].fill_null(np.nan).to_numpy()

    def gather(offsets: np.ndarray, ticker_codes: np.ndarray) -> np.ndarray:
        idx = day0_index[:, None] + offsets[None, :] - lo
        idx = np.where((idx >= 0) & (idx < width), idx, width)
        return matrix[ticker_codes[:, None], idx]

    firm_codes = np.array([code[fe.ticker] for fe in firm_events], dtype=np.int64)
    market_codes = np.full(len(firm_events), code[market], dtype=np.int64)
    firm_est, market_est = gather(est_offsets, firm_codes), gather(est_offsets, market_codes)
    firm_win, market_win = gather(win_offsets, firm_codes), gather(win_offsets, market_codes)

    first_last = {r["ticker"]: (r["first_date"], r["last_date"]) for r in coverage.iter_rows(named=True)}
    if market not in first_last:
        raise StudyError(f"no prices for the market benchmark {market}", hint=f"import {market} with `tracker import prices` or choose --market")

    # Vectorised screen; words for the (usually few) firm-events that fail it.
    win_index = day0_index[:, None] + win_offsets[None, :]
    on_calendar = ((win_index >= 0) & (win_index < n_sessions)).all(axis=1)
    n_est = (np.isfinite(firm_est) & np.isfinite(market_est)).sum(axis=1)
    known = np.array([fe.ticker in first_last and fe.ticker != market for fe in firm_events])
    ok = (
        known & on_calendar & (n_est >= min_obs)
        & np.isfinite(firm_win).all(axis=1) & np.isfinite(market_win).all(axis=1)
    )
    sessions = np.array(calendar.dates, dtype="datetime64[D]")
    skipped = [
        Skipped(fe.ticker, fe.event_id, fe.event_date, _skip_reason(
            fe, market, [calendar.dates[j] if 0 <= j < n_sessions else None for j in win_index[i].tolist()],
            firm_win[i], market_win[i], int(n_est[i]), min_obs, first_last,
        ))
        for i, fe in enumerate(firm_events) if not ok[i]
    ]
    k = np.flatnonzero(ok)
    return Panel(
        firm_events=[firm_events[i] for i in k.tolist()],
        estimation=estimation,
        window=window,
        firm_est=firm_est[k],
        market_est=market_est[k],
        firm_win=firm_win[k],
        market_win=market_win[k],
        win_dates=sessions[win_index[k]] if k.size else np.empty((0, len(win_offsets)), dtype="datetime64[D]"),
        skipped=skipped,
    )


def _skip_reason(
    fe: FirmEvent,
    market: str,
    dates: list[dt.date | None],
    firm_win: np.ndarray,
    market_win: np.ndarray,
    n_est: int,
    min_obs: int,
    first_last: dict[str, tuple[dt.date, dt.date]],
) -> str:
    """Why a firm-event that failed the screen cannot be studied, in words."""
    if fe.ticker == market:
        return f"{fe.ticker} is the market benchmark"
    if fe.ticker not in first_last:
        return f"no prices for {fe.ticker}"
    first, last = first_last[fe.ticker]
    m_first, m_last = first_last[market]
    if dates[-1] is None or dates[0] is None:
        return "event window runs off the session calendar"
    if dates[-1] > min(last, m_last):
        who = fe.ticker if last <= m_last else market
        return f"event window runs past the last price of {who} ({min(last, m_last)})"
    if dates[0] <= max(first, m_first):
        who = fe.ticker if first >= m_first else market
        return f"event window starts before the first return of {who} (prices from {max(first, m_first)})"
    for day, r, m in zip(dates, firm_win.tolist(), market_win.tolist()):
        if not np.isfinite(r):
            return f"missing return of {fe.ticker} on {day} in the event window"
        if not np.isfinite(m):
            return f"missing return of {market} on {day} in the event window"
    return f"only {n_est} estimation-window returns (min-obs {min_obs}; prices of {fe.ticker} start {first})"
