"""Incremental cursors: where each (source, ticker) resumes, and which dates a run fetches.

A cursor is an ``IngestCursorMoved`` fact in stream ``cursor/<source>/<ticker>`` with
``last_final_date`` (the newest final bar stored) and ``split_basis`` (the newest split the
stored closes are expressed in). It is written in the same transaction as the bars.

Windows (both ends inclusive, exchange-local dates), after dlt's ``Incremental``:

* **incremental** (no dates given): from ``lag`` sessions before the cursor to today, so
  bars revised by the source within that window become corrections. Moves the cursor.
* **initial**: a ticker without data starts at ``ingest.history_start``.
* **adopt**: a ticker this source has never fetched but whose bars are stored (e.g. imported
  files) is read over its whole stored range once, so its closes come from one source in one
  share basis (other files may hold dividend-adjusted closes; chaining them with raw closes
  would put a false return at the seam). Differing bars become corrections.
* **backfill** (``--since``, optionally ``--until``): exactly those dates. It moves the cursor
  only when it reaches today (no ``--until``).
* **full re-read**: when a fetch shows a split newer than the cursor's ``split_basis`` while
  older bars are stored, the source has restated every earlier close in the new share basis;
  the ticker's whole stored range is fetched again so stored closes stay in one basis.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from typing import Any

from events.sessions import SessionCalendar
from warehouse.vocabulary import IngestCursorMoved


@dataclass(frozen=True)
class Cursor:
    source: str
    ticker: str
    last_final_date: dt.date | None
    split_basis: dt.date | None

    @classmethod
    def from_content(cls, content: dict[str, Any]) -> Cursor:
        def day(key: str) -> dt.date | None:
            value = content.get(key)
            return dt.date.fromisoformat(value) if value else None

        return cls(content["source"], content["ticker"], day("last_final_date"), day("split_basis"))

    def fact(self) -> IngestCursorMoved:
        return IngestCursorMoved(
            source=self.source,
            ticker=self.ticker,
            last_final_date=self.last_final_date.isoformat() if self.last_final_date else None,
            split_basis=self.split_basis.isoformat() if self.split_basis else None,
        )


def cursor_stream(source: str, ticker: str) -> str:
    return IngestCursorMoved.STREAM.format(source=source, ticker=ticker)


@dataclass(frozen=True)
class FetchWindow:
    start: dt.date
    end: dt.date
    kind: str             # "incremental" | "initial" | "adopt" | "backfill" | "full"
    moves_cursor: bool

    def describe(self) -> str:
        return f"{self.start}..{self.end} ({self.kind})"


def sessions_before(calendar: SessionCalendar, day: dt.date, count: int) -> dt.date:
    """The session ``count`` sessions before the last session on or before ``day``."""
    dates = calendar.dates
    i = bisect.bisect_right(dates, day) - 1
    if i < 0:
        return day
    return dates[max(0, i - count)]


def plan_window(
    *,
    cursor: Cursor | None,
    stored: tuple[dt.date, dt.date] | None,
    since: dt.date | None,
    until: dt.date | None,
    today: dt.date,
    lag: int,
    history_start: dt.date,
    calendar: SessionCalendar,
) -> FetchWindow:
    """The dates to fetch for one ticker (see the module docstring)."""
    end_of_today = today + dt.timedelta(days=1)  # exchanges east of New York are a day ahead
    if since is not None:
        return FetchWindow(since, until or end_of_today, "backfill", until is None)
    if cursor is not None and cursor.last_final_date is not None:
        return FetchWindow(sessions_before(calendar, cursor.last_final_date, lag), end_of_today, "incremental", True)
    if stored is not None:
        return FetchWindow(stored[0], end_of_today, "adopt", True)
    return FetchWindow(history_start, end_of_today, "initial", True)


def needs_full_reread(
    splits: list[dt.date], cursor: Cursor | None, stored: tuple[dt.date, dt.date] | None, window: FetchWindow
) -> dt.date | None:
    """The newest split that restates stored closes outside ``window``, if any."""
    if not splits or stored is None or stored[0] >= window.start:
        return None
    basis = cursor.split_basis if cursor is not None else None
    newer = [s for s in splits if (basis is None or s > basis) and s > stored[0]]
    return max(newer) if newer else None
