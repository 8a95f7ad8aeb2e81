"""One ticker's prices: fetch (with retries), clean, and append in one transaction.

The transaction holds the ticker's new or revised bars, its dividend, capital-gain and split
facts and its moved cursor, so a run killed at any point leaves each ticker either fully
written or untouched, and the next run resumes from the stored cursor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from typing import Any

from events.sessions import SessionCalendar
from tracker.ingest.bars import CleanHistory, clean_history
from tracker.ingest.cursors import Cursor, FetchWindow, needs_full_reread
from tracker.sources.base import PriceSource
from tracker.sources.retry import OnRetry, RetryPolicy, with_retries
from warehouse import Run, Warehouse
from warehouse.vocabulary import CapitalGainObserved, DividendObserved, Fact, IngestTickerCounts, SplitObserved


@dataclass
class TickerOutcome:
    """What happened to one ticker in a run (stored in the run's ``counts``)."""

    ticker: str
    status: str = "pending"            # succeeded | failed | skipped
    window: str | None = None
    attempts: int = 0
    bars: int = 0                      # final bars fetched
    facts_added: int = 0               # bars, actions and cursor facts appended
    duplicates: int = 0                # bars and actions already known (re-fetch adds nothing)
    corrections: int = 0               # appended facts revising a stored one
    dividends: int = 0                 # dividend and capital-gain facts appended
    splits: int = 0
    provisional: int = 0               # bars of sessions not closed yet, not stored
    off_calendar: int = 0              # bars stored on days XNYS does not trade (returns skip them)
    nan_rows: int = 0
    duplicate_rows: int = 0
    full_reread: str | None = None     # the split date that caused a full re-read
    last_final_date: str | None = None
    error: str | None = None
    transient: bool = False            # whether the error was transient (retries exhausted)

    def as_counts(self) -> dict[str, Any]:
        """The run's record of this ticker (:class:`warehouse.vocabulary.IngestTickerCounts`, read by ``ingest_tickers``)."""
        return asdict(IngestTickerCounts(**{name: getattr(self, name) for name in _COUNT_FIELDS}))


_COUNT_FIELDS = tuple(f.name for f in fields(IngestTickerCounts))


@dataclass(frozen=True)
class FetchedPrices:
    history: CleanHistory
    window: FetchWindow
    attempts: int
    full_reread: dt.date | None = None


def fetch_prices(
    source: PriceSource,
    ticker: str,
    window: FetchWindow,
    *,
    cursor: Cursor | None,
    stored: tuple[dt.date, dt.date] | None,
    now: dt.datetime,
    calendar: SessionCalendar,
    policy: RetryPolicy,
    sleep: Callable[[float], None],
    on_retry: OnRetry | None = None,
) -> FetchedPrices:
    """Fetch and clean ``window``; re-read the whole stored range after a new split."""
    def fetch(w: FetchWindow) -> tuple[CleanHistory, int]:
        raw, attempts = with_retries(lambda: source.daily_history(ticker, w.start, w.end), policy, on_retry=on_retry, sleep=sleep)
        return clean_history(raw, now, calendar), attempts

    history, attempts = fetch(window)
    split = needs_full_reread([s.date for s in history.splits], cursor, stored, window)
    if split is None:
        return FetchedPrices(history, window, attempts)
    full = FetchWindow(stored[0], window.end, "full", window.moves_cursor)
    history, more = fetch(full)
    return FetchedPrices(history, full, attempts + more, split)


def action_facts(history: CleanHistory, source: str) -> tuple[list[Fact], list[Fact]]:
    """``(cash distributions, splits)`` as facts, one stream per ticker and ex-date."""
    ticker = history.ticker
    cash = [DividendObserved(ticker, a.date.isoformat(), a.value, source) for a in history.dividends]
    cash += [CapitalGainObserved(ticker, a.date.isoformat(), a.value, source) for a in history.capital_gains]
    return cash, [SplitObserved(ticker, a.date.isoformat(), a.value, source) for a in history.splits]


def moved_cursor(fetched: FetchedPrices, cursor: Cursor | None, source: str) -> Cursor | None:
    """The cursor after this fetch, or None when the window does not move it (a bounded backfill)."""
    if not fetched.window.moves_cursor:
        return None
    history = fetched.history
    finals = [d for d in (history.last_final_date, cursor.last_final_date if cursor else None) if d]
    splits = [s.date for s in history.splits] + ([cursor.split_basis] if cursor and cursor.split_basis else [])
    return Cursor(source, history.ticker, max(finals) if finals else None, max(splits) if splits else None)


def write_prices(
    warehouse: Warehouse, run: Run, fetched: FetchedPrices, cursor: Cursor | None, source: str, outcome: TickerOutcome
) -> None:
    """Append bars, actions and the moved cursor in one transaction; fill ``outcome``."""
    cash, splits = action_facts(fetched.history, source)
    new_cursor = moved_cursor(fetched, cursor, source)
    with warehouse.transaction():
        bars = warehouse.append_price_bars(fetched.history.bars, run)
        paid = warehouse.append_facts(cash, run)
        split = warehouse.append_facts(splits, run)
        moved = warehouse.append_facts([new_cursor.fact()] if new_cursor else [], run)
        warehouse.catch_up()
    outcome.facts_added = bars.added + paid.added + split.added + moved.added
    outcome.duplicates = bars.unchanged + paid.unchanged + split.unchanged
    outcome.corrections = bars.revised + paid.revised + split.revised
    outcome.dividends = paid.added
    outcome.splits = split.added
    last = new_cursor.last_final_date if new_cursor else fetched.history.last_final_date
    outcome.last_final_date = last.isoformat() if last else None


def fill_fetch_counts(outcome: TickerOutcome, fetched: FetchedPrices) -> None:
    history = fetched.history
    outcome.window = fetched.window.describe()
    outcome.attempts = fetched.attempts
    outcome.bars = history.bars.height
    outcome.provisional = len(history.provisional)
    outcome.off_calendar = len(history.off_calendar)
    outcome.nan_rows = history.nan_rows
    outcome.duplicate_rows = history.duplicate_rows
    outcome.full_reread = fetched.full_reread.isoformat() if fetched.full_reread else None


