"""What a source delivers, behind small protocols, so ingestion never sees yfinance or HTTP.

A :class:`PriceSource` returns the daily history of one ticker over an inclusive date range
as a :class:`RawHistory`: one row per bar *as the source sent it* (NaN, duplicated dates,
the live bar of a session still open included), keyed by the exchange-local date. Cleaning
and validation are ingestion's job (:mod:`tracker.ingest.bars`), the same for every source.

A :class:`NewsSource` returns the latest news items of a ticker as the JSON list it received,
and a :class:`FeedFetcher` performs one conditional HTTP GET of a feed. Neither parses
articles: that belongs to the news/tagging side, which reads the stored payloads.

Errors are :mod:`tracker.sources.errors`: transient or permanent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

import polars as pl

#: Columns of :attr:`RawHistory.frame`. ``stamp`` is the bar's exchange-local timestamp (a
#: daily bar is stamped at local midnight; the live bar of an open session often is not).
RAW_COLUMNS = {
    "date": pl.Date,
    "stamp": pl.Datetime("us"),
    "open": pl.Float64,
    "high": pl.Float64,
    "low": pl.Float64,
    "close": pl.Float64,
    "adj_close": pl.Float64,
    "volume": pl.Float64,
    "dividends": pl.Float64,
    "splits": pl.Float64,
    "capital_gains": pl.Float64,
}


@dataclass(frozen=True)
class RawHistory:
    """Daily bars of one ticker as fetched; ``timezone`` is the exchange's IANA zone."""

    ticker: str
    timezone: str
    frame: pl.DataFrame  # RAW_COLUMNS
    source: str

    @classmethod
    def empty(cls, ticker: str, timezone: str, source: str) -> RawHistory:
        return cls(ticker, timezone, pl.DataFrame(schema=RAW_COLUMNS), source)


class PriceSource(Protocol):
    name: str

    def daily_history(self, ticker: str, start: dt.date, end: dt.date) -> RawHistory:
        """Bars with exchange-local dates in ``[start, end]`` (both inclusive)."""
        ...


class NewsSource(Protocol):
    name: str

    def latest_news(self, ticker: str) -> list[dict[str, Any]]:
        """The source's latest news items for ``ticker``, exactly as received."""
        ...


@dataclass(frozen=True)
class FeedResponse:
    """One conditional GET: ``status`` 200 with a body, or 304 (not modified) without."""

    url: str
    status: int
    body: bytes | None
    etag: str | None
    last_modified: str | None
    content_type: str | None


class FeedFetcher(Protocol):
    def fetch(self, url: str, *, etag: str | None, last_modified: str | None) -> FeedResponse:
        ...
