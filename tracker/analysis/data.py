"""What an event study reads: a session calendar and dense matrices of returns and factors.

The engine (:class:`~tracker.analysis.EventStudy`) asks for its inputs through the small
:class:`StudyData` protocol, so it runs on anything that can answer it:

* the warehouse, at a log position (:class:`tracker.study.WarehouseData`, what ``tracker study``
  uses);
* plain frames in memory (:class:`InMemoryData`), e.g. in a notebook::

      import polars as pl
      from tracker.analysis import EventStudy, FirmEvent, InMemoryData

      data = InMemoryData.from_frames(returns)       # ticker, date, ret (simple daily returns)
      events = [FirmEvent("NVDA", "r1", dt.date(2025, 1, 20), dt.date(2025, 1, 21))]
      EventStudy(data, events, market="SPY").fit(window=(0, 4)).car

Sessions are numbered by their position in :meth:`StudyData.session_dates`; a return on
session ``s`` is the return from the close of ``s - 1`` to the close of ``s`` (NaN where it is
missing). Factors are daily decimal returns by name (``mkt_rf``, ``smb``, ``hml``, ``rf``,
``mom``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np


class StudyData(Protocol):
    """The inputs of a study (see the module docstring)."""

    #: The log position the data reflects (stated in results); ``None`` for data not from a log.
    log_position: int | None

    def session_dates(self) -> np.ndarray:
        """Every session date in order, as ``datetime64[D]`` (position = session number)."""
        ...

    def return_matrix(self, tickers: Sequence[str], first_session: int, last_session: int) -> np.ndarray:
        """``(len(tickers), last - first + 1)`` daily returns, NaN where missing (also for unknown tickers)."""
        ...

    def factor_matrix(self, names: Sequence[str], first_session: int, last_session: int) -> np.ndarray:
        """``(len(names), last - first + 1)`` daily factor returns, NaN where missing."""
        ...

    def ticker_ranges(self, tickers: Sequence[str]) -> dict[str, tuple[dt.date, dt.date] | None]:
        """First and last date of each ticker's prices (the first has no return), ``None`` when it has none.

        Only used to word why a firm-event was skipped.
        """
        ...

    def factor_ranges(self) -> dict[str, tuple[dt.date, dt.date]]:
        """First and last date with a value, of each factor that has one."""
        ...


@dataclass(frozen=True)
class InMemoryData:
    """Study data held in memory as a dense ``(tickers, sessions)`` matrix of returns.

    Build it with :meth:`from_frames`. ``sessions`` defaults to every date that has a return
    or a factor value, so a study's offsets count the trading days the frames hold.
    """

    sessions: np.ndarray  # datetime64[D], sorted
    rows: dict[str, int]  # ticker -> row of ``returns``
    returns: np.ndarray  # (tickers, sessions)
    factors: dict[str, np.ndarray] = field(default_factory=dict)  # name -> (sessions,)
    log_position: int | None = None

    @classmethod
    def from_frames(cls, returns, factors=None, *, sessions: Sequence[dt.date] | None = None,
                    log_position: int | None = None) -> InMemoryData:
        """From a long polars frame ``ticker, date, ret`` and optionally ``date, <factor>...``.

        A (ticker, date) given twice, or a date off ``sessions``, raises ``ValueError``.
        """
        import polars as pl

        returns = returns.select(pl.col("ticker").cast(pl.String), pl.col("date").cast(pl.Date), pl.col("ret").cast(pl.Float64))
        if returns.select(pl.struct("ticker", "date").is_duplicated().any()).item():
            raise ValueError("returns: a ticker has two returns on one date")
        dates = returns["date"]
        if factors is not None:
            factors = factors.with_columns(pl.col("date").cast(pl.Date))
            dates = pl.concat([dates, factors["date"]])
        if sessions is None:
            calendar = np.unique(dates.to_numpy().astype("datetime64[D]"))
        else:
            calendar = np.array(sorted(sessions), dtype="datetime64[D]")
        position = {day: i for i, day in enumerate(calendar.astype(object).tolist())}

        def columns(days) -> np.ndarray:
            found = [position.get(day) for day in days.to_list()]
            if any(f is None for f in found):
                missing = next(day for day, f in zip(days.to_list(), found) if f is None)
                raise ValueError(f"{missing} is not one of the sessions")
            return np.array(found, dtype=np.int64)

        tickers = sorted(set(returns["ticker"].to_list()))
        rows = {ticker: i for i, ticker in enumerate(tickers)}
        matrix = np.full((len(tickers), len(calendar)), np.nan)
        matrix[np.array([rows[t] for t in returns["ticker"].to_list()], dtype=np.int64), columns(returns["date"])] = (
            returns["ret"].fill_null(np.nan).to_numpy()
        )
        series = {}
        if factors is not None:
            at = columns(factors["date"])
            for name in factors.columns:
                if name != "date":
                    values = np.full(len(calendar), np.nan)
                    values[at] = factors[name].cast(pl.Float64).fill_null(np.nan).to_numpy()
                    series[name] = values
        return cls(calendar, rows, matrix, series, log_position)

    def session_dates(self) -> np.ndarray:
        return self.sessions

    def return_matrix(self, tickers: Sequence[str], first_session: int, last_session: int) -> np.ndarray:
        out = np.full((len(tickers), last_session - first_session + 1), np.nan)
        for i, ticker in enumerate(tickers):
            if ticker in self.rows:
                out[i] = self.returns[self.rows[ticker], first_session: last_session + 1]
        return out

    def factor_matrix(self, names: Sequence[str], first_session: int, last_session: int) -> np.ndarray:
        out = np.full((len(names), last_session - first_session + 1), np.nan)
        for i, name in enumerate(names):
            if name in self.factors:
                out[i] = self.factors[name][first_session: last_session + 1]
        return out

    def ticker_ranges(self, tickers: Sequence[str]) -> dict[str, tuple[dt.date, dt.date] | None]:
        found: dict[str, tuple[dt.date, dt.date] | None] = {}
        for ticker in tickers:
            have = np.flatnonzero(np.isfinite(self.returns[self.rows[ticker]])) if ticker in self.rows else np.array([])
            # the price before the first return is the first price
            found[ticker] = None if have.size == 0 else (
                self._date(max(int(have[0]) - 1, 0)), self._date(int(have[-1])))
        return found

    def factor_ranges(self) -> dict[str, tuple[dt.date, dt.date]]:
        ranges = {}
        for name, values in self.factors.items():
            have = np.flatnonzero(np.isfinite(values))
            if have.size:
                ranges[name] = (self._date(int(have[0])), self._date(int(have[-1])))
        return ranges

    def _date(self, session: int) -> dt.date:
        return self.sessions[session].astype(object)


class ReadAhead:
    """``data`` read in blocks of sessions for the tickers of a whole study, for a study of many chunks.

    The chunks of a study come in day-0 order, so their session spans move forward. Each read
    of ``data`` pays a fixed cost (a DuckDB scan of the price table), so instead of one read per
    chunk this reads the returns of every ticker of the study (``universe``) from the first
    session a chunk asks for to ``ahead`` sessions past its last, and serves the following chunks
    from that block while they fall inside it. A return does not depend on the range it was read
    with, so the numbers are the same to the bit. Memory: ``len(universe) × (span + ahead)`` floats.
    """

    #: Floats a block holds at most past the request (128 MB), and sessions it reads ahead at least.
    BLOCK_CELLS = 16 * 2**20
    MIN_AHEAD = 1024

    def __init__(self, data: StudyData, universe: Sequence[str], ahead: int | None = None):
        self._data = data
        self.log_position = data.log_position
        self.universe = sorted(set(universe))
        self._row = {t: i for i, t in enumerate(self.universe)}
        self.ahead = ahead if ahead is not None else max(self.MIN_AHEAD, self.BLOCK_CELLS // max(1, len(self.universe)))
        self._block: tuple[int, int, np.ndarray] | None = None

    def return_matrix(self, tickers: Sequence[str], first_session: int, last_session: int) -> np.ndarray:
        if any(t not in self._row for t in tickers):
            return self._data.return_matrix(tickers, first_session, last_session)
        block = self._block
        if block is None or first_session < block[0] or last_session > block[1]:
            last = max(last_session, min(last_session + self.ahead, len(self._data.session_dates()) - 1))
            block = self._block = (first_session, last, self._data.return_matrix(self.universe, first_session, last))
        rows = np.fromiter((self._row[t] for t in tickers), dtype=np.int64, count=len(tickers))
        return block[2][rows, first_session - block[0]: last_session - block[0] + 1]

    def __getattr__(self, name: str):  # session_dates, factor_matrix, ticker_ranges, factor_ranges
        return getattr(self._data, name)
