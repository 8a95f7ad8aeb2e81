"""A fake fetch layer for Yahoo: recorded frames and payloads served the way yfinance does.

It replaces only :class:`tracker.sources.yahoo.YFinanceTransport` (the network); the adapter,
error mapping, cleaning, ingestion and warehouse under test are the real ones. Failures are
scripted with yfinance's and curl_cffi's real exception classes.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[1] / "data"
YAHOO = DATA / "yahoo"
NEWS = DATA / "news"

ZONES = {"2330.TW.csv": "Asia/Taipei"}


def recorded_frame(name: str) -> pd.DataFrame:
    """A recorded ``Ticker.history`` frame (tz-aware index in the exchange zone)."""
    frame = pd.read_csv(YAHOO / name, index_col="Date")
    frame.index = pd.to_datetime(frame.index, utc=True).tz_convert(ZONES.get(name, "America/New_York"))
    frame.index.name = "Date"
    return frame


def recorded_news(name: str) -> list:
    return json.loads((NEWS / name).read_text(encoding="utf-8"))


def rate_limited():
    from yfinance.exceptions import YFRateLimitError

    return YFRateLimitError()


def no_network(host: str = "query2.finance.yahoo.com"):
    from curl_cffi.requests.exceptions import DNSError

    return DNSError(f"Failed to perform, curl: (6) Could not resolve host: {host}. "
                    "See https://curl.se/libcurl/c/libcurl-errors.html first for more details.")


class RecordedYahoo:
    """Serves ``history`` sliced to ``[start, end)`` like yfinance, and ``news`` lists.

    ``failures[key]`` is a list of exceptions raised by the next calls for ``key`` (a ticker for
    prices, ``"news:<T>"`` for news), one per call, before serving normally.
    """

    def __init__(self, frames=None, news=None, failures=None, delay: float = 0.0) -> None:
        self.frames = dict(frames or {})
        self.news_items = dict(news or {})
        self.failures = {k: list(v) for k, v in (failures or {}).items()}
        self.delay = delay
        self.calls: list[tuple] = []

    def _fail(self, key: str) -> None:
        pending = self.failures.get(key)
        if pending:
            raise pending.pop(0)

    def history(self, ticker, start, end_exclusive):
        from yfinance.exceptions import YFPricesMissingError, YFTzMissingError

        self.calls.append(("history", ticker, start, end_exclusive, time.monotonic()))
        if self.delay:
            time.sleep(self.delay)
        self._fail(ticker)
        if ticker not in self.frames:
            raise YFTzMissingError(ticker)
        frame = self.frames[ticker]
        if frame.empty:
            return frame
        local = frame.index.tz_localize(None).normalize()
        sliced = frame[(local >= pd.Timestamp(start)) & (local < pd.Timestamp(end_exclusive))]
        if sliced.empty:
            raise YFPricesMissingError(ticker, f" (1d {start} -> {end_exclusive})")
        return sliced

    def news(self, ticker, count):
        self.calls.append(("news", ticker, count, time.monotonic()))
        self._fail(f"news:{ticker}")
        return list(self.news_items.get(ticker, []))[:count]


def sources_for(transport: RecordedYahoo, feeds=None):
    """A :class:`tracker.sources.Sources` whose Yahoo side uses ``transport``."""
    from tracker.sources import Sources
    from tracker.sources.feeds import HttpFeedFetcher
    from tracker.sources.yahoo import YahooSource

    yahoo = YahooSource(transport=transport)
    return Sources(prices=yahoo, news=yahoo, feeds=feeds or HttpFeedFetcher(timeout=2.0))


def synthetic_frame(ticker: str, days, *, seed: int = 0, tz: str = "America/New_York") -> pd.DataFrame:
    """A deterministic ``Ticker.history``-shaped frame for ``days`` (for scheduler tests that
    need bars around *today*; recorded frames are historical)."""
    import random

    rng = random.Random(f"{ticker}-{seed}")
    rows = []
    price = 100.0 + rng.random() * 50
    for _ in days:
        price *= 1 + rng.uniform(-0.02, 0.02)
        close = round(price, 2)
        rows.append({"Open": close, "High": round(close * 1.01, 2), "Low": round(close * 0.99, 2), "Close": close,
                     "Adj Close": close, "Volume": rng.randint(1_000_000, 9_000_000), "Dividends": 0.0, "Stock Splits": 0.0})
    frame = pd.DataFrame(rows, index=pd.DatetimeIndex([pd.Timestamp(d) for d in days]).tz_localize(tz))
    frame.index.name = "Date"
    return frame


def recent_sessions(count: int = 25):
    """The last ``count`` XNYS sessions up to today (from the warehouse's calendar source)."""
    import datetime as dt

    from events.sessions import SessionCalendar

    today = dt.date.today()
    calendar = SessionCalendar.xnys(today - dt.timedelta(days=3 * count + 10), today + dt.timedelta(days=10))
    return [d for d in calendar.dates if d <= today][-count:]
