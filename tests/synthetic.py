"""Building real price files for tests: XNYS sessions, prices from chosen returns, CSV writers."""

from __future__ import annotations

import csv
import datetime as dt
from functools import lru_cache
from pathlib import Path

import numpy as np


@lru_cache(maxsize=1)
def _calendar():
    from events.sessions import SessionCalendar

    return SessionCalendar.xnys()


def sessions(start: str, count: int) -> list[dt.date]:
    """``count`` consecutive XNYS sessions from the first one on or after ``start``."""
    calendar = _calendar()
    first = calendar.index_of(calendar.first_on_or_after(dt.date.fromisoformat(start)))
    return calendar.dates[first:first + count]


def prices_from_returns(returns, start_price: float = 100.0) -> np.ndarray:
    """Closes whose close-to-close returns are ``returns`` (one more price than returns)."""
    return start_price * np.concatenate([[1.0], np.cumprod(1.0 + np.asarray(returns, dtype=float))])


def write_ticker_csv(folder: Path, ticker: str, dates, closes, *, adj_close=None, volume: float = 1_000_000) -> Path:
    """A ``<TICKER>.csv`` with consistent OHLC around each close (full float precision)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{ticker}.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "open", "high", "low", "close", "volume"] + (["adj_close"] if adj_close is not None else []))
        for i, (day, close) in enumerate(zip(dates, closes)):
            close = float(close)
            row = [day.isoformat(), repr(close), repr(close * 1.01), repr(close * 0.99), repr(close), int(volume)]
            if adj_close is not None:
                row.append(repr(float(adj_close[i])))
            writer.writerow(row)
    return path


def write_long_csv(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_catalogue(path: Path, rows: list[dict]) -> Path:
    columns = ["event_id", "name", "kind", "org", "announced_at", "timezone", "date_precision", "source_url", "notes"]
    columns += [c for c in ("reaction_date", "tickers") if any(r.get(c) for r in rows)]
    full = [{c: r.get(c, "") for c in columns} for r in rows]
    return write_long_csv(path, full)


def sample_returns(path: Path) -> dict[str, dict[dt.date, float]]:
    """Close-to-close returns per ticker read straight from a long CSV (independent of the warehouse)."""
    by_ticker: dict[str, list[tuple[dt.date, float]]] = {}
    with path.open() as handle:
        for row in csv.DictReader(handle):
            by_ticker.setdefault(row["ticker"], []).append((dt.date.fromisoformat(row["date"]), float(row["close"])))
    out = {}
    for ticker, rows in by_ticker.items():
        rows.sort()
        out[ticker] = {rows[i][0]: rows[i][1] / rows[i - 1][1] - 1.0 for i in range(1, len(rows))}
    return out
