"""From a fetched :class:`~tracker.sources.base.RawHistory` to bars fit for the log.

Whatever the source, the same rules apply:

* **Exchange-local dates.** The source already keys rows by the exchange's wall-clock date.
* **Only closed sessions are final.** A bar whose session has not closed yet (plus a short
  settle delay) is the live bar of the day: it is counted as ``provisional`` and not stored;
  the next run stores it. For New York listings the XNYS close is used (early closes count);
  elsewhere a bar is final once its local calendar day is over.
* **Source quirks are repaired, not stored:** rows without a close (Yahoo's NaN rows, e.g. a
  dividend on a day without a bar) are dropped, NaN in other columns becomes "not given", and a
  date given twice keeps its latest-stamped row (Yahoo's duplicated live bar).
* **Validation** then uses the very checks of file imports
  (:func:`tracker.ingest.bar_checks.check_bars`): dates within the calendar and not in the
  future, prices > 0, low <= open/close <= high, volume >= 0. A fetch with a bad bar is refused
  whole, naming the bar. Bars on days XNYS does not trade are kept and counted
  (``off_calendar``), as file imports do.
* **Corporate actions** (dividends, capital gains, splits) are taken from every row, NaN rows
  and the live bar included: an announced ex-date is known before its session closes.

Ingested bars carry no ``adj_close``: Yahoo rewrites the adjusted history at every dividend,
so adjusted closes of different fetches do not chain. Total returns come from the raw closes
plus the dividend facts instead (the ``returns`` view).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import polars as pl

from events.sessions import NEW_YORK, SessionCalendar
from tracker.ingest.bar_checks import check_bars, off_calendar
from tracker.sources.base import RawHistory
from tracker.sources.errors import PermanentSourceError
from warehouse.price_facts import BAR_COLUMNS

#: How long after the close a daily bar is taken as final (Yahoo settles the close quickly;
#: later revisions are caught by the lag re-read).
SETTLE = dt.timedelta(minutes=15)
MAX_PROBLEMS_SHOWN = 3


@dataclass(frozen=True)
class Action:
    date: dt.date
    value: float  # cash per share, or the split ratio (new shares per old share)


@dataclass(frozen=True)
class CleanHistory:
    ticker: str
    timezone: str
    bars: pl.DataFrame                  # BAR_COLUMNS, final bars only, sorted by date
    dividends: tuple[Action, ...]
    capital_gains: tuple[Action, ...]
    splits: tuple[Action, ...]
    provisional: tuple[dt.date, ...]    # bars of sessions not closed yet: not stored
    nan_rows: int                       # rows without a close: dropped
    duplicate_rows: int                 # extra rows for an already-seen date: dropped
    off_calendar: tuple[dt.date, ...] = ()  # stored bars on days XNYS does not trade (returns skip them)

    @property
    def last_final_date(self) -> dt.date | None:
        return self.bars["date"].max() if self.bars.height else None


def is_final(day: dt.date, timezone: str, now: dt.datetime, calendar: SessionCalendar) -> bool:
    """Whether the bar of ``day`` (exchange-local) is complete at ``now`` (aware)."""
    zone = ZoneInfo(timezone)
    if zone.key == NEW_YORK.key and calendar.is_session(day):
        return now >= calendar.close_of(day) + SETTLE
    return day < now.astimezone(zone).date()


def clean_history(raw: RawHistory, now: dt.datetime, calendar: SessionCalendar) -> CleanHistory:
    """Apply the rules above; raise :class:`PermanentSourceError` for invalid bars."""
    frame = raw.frame.with_row_index("_order")
    dividends = _actions(frame, "dividends")
    capital_gains = _actions(frame, "capital_gains")
    splits = _actions(frame, "splits", ignore=1.0)

    priced = frame.filter(pl.col("close").is_not_null() & pl.col("close").is_not_nan())
    nan_rows = frame.height - priced.height
    latest = priced.sort("stamp", "_order").unique("date", keep="last", maintain_order=True).sort("date")
    duplicate_rows = priced.height - latest.height
    latest = latest.with_columns(pl.col(c).fill_nan(None) for c in ("open", "high", "low", "volume"))

    final_mask = [is_final(d, raw.timezone, now, calendar) for d in latest["date"].to_list()]
    provisional = tuple(latest.filter(~pl.Series(final_mask, dtype=pl.Boolean))["date"].to_list())
    final = latest.filter(pl.Series(final_mask, dtype=pl.Boolean))

    bars = final.select(
        pl.lit(raw.ticker).alias("ticker"), "date", "open", "high", "low", "close",
        pl.lit(None, dtype=pl.Float64).alias("adj_close"), "volume",
        pl.lit(raw.source).alias("source"), pl.lit(0, dtype=pl.Int64).alias("batch_order"),
    ).select(BAR_COLUMNS)
    problems = check_bars(bars.select("ticker", "date", "open", "high", "low", "close", "volume"))
    if problems:
        shown = "; ".join(f"{bars['date'][row - 1]}: {message}" for row, message in problems[:MAX_PROBLEMS_SHOWN])
        more = f" (and {len(problems) - MAX_PROBLEMS_SHOWN} more)" if len(problems) > MAX_PROBLEMS_SHOWN else ""
        raise PermanentSourceError(
            f"{raw.ticker}: {raw.source} sent invalid bars, none stored: {shown}{more}",
            hint="the source's data is inconsistent for these dates; retry later or import a corrected file",
            subject=raw.ticker,
        )
    odd = tuple(off_calendar(bars, calendar.dates)["date"].to_list())
    return CleanHistory(raw.ticker, raw.timezone, bars, dividends, capital_gains, splits, provisional, nan_rows,
                        duplicate_rows, odd)


def _actions(frame: pl.DataFrame, column: str, ignore: float = 0.0) -> tuple[Action, ...]:
    """Non-zero values of an action column, one per date (the latest stamped row wins)."""
    rows = (
        frame.filter(pl.col(column).is_not_null() & ~pl.col(column).is_nan() & (pl.col(column) != 0) & (pl.col(column) != ignore))
        .sort("stamp", "_order")
        .unique("date", keep="last")
        .sort("date")
    )
    actions = []
    for day, value in rows.select("date", column).iter_rows():
        if not math.isfinite(value) or value < 0:
            raise PermanentSourceError(f"{column.replace('_', ' ')} of {value} on {day} is not a valid amount", subject=None)
        actions.append(Action(day, float(value)))
    return tuple(actions)
