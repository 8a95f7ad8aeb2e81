"""Data sources behind small protocols: Yahoo Finance (prices, news) and RSS/Atom feeds.

Only :mod:`tracker.sources.yahoo` imports yfinance, and only when a fetch happens, so the
CLI starts fast. :class:`Sources` bundles what an ingestion run uses; tests build one with
fake transports at the adapter boundary.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.sources.base import FeedFetcher, FeedResponse, NewsSource, PriceSource, RawHistory
from tracker.sources.errors import (
    PermanentSourceError,
    RateLimited,
    SourceError,
    SourceUnreachable,
    TransientSourceError,
)


@dataclass(frozen=True)
class Sources:
    prices: PriceSource
    news: NewsSource
    feeds: FeedFetcher


def default_sources(timeout: float = 20.0, news_count: int = 20, feed_timeout: float = 20.0) -> Sources:
    """Yahoo Finance for prices and news, urllib for feeds."""
    from tracker.sources.feeds import HttpFeedFetcher
    from tracker.sources.yahoo import YahooSource

    yahoo = YahooSource(timeout=timeout, news_count=news_count)
    return Sources(prices=yahoo, news=yahoo, feeds=HttpFeedFetcher(timeout=feed_timeout))


__all__ = [
    "FeedFetcher", "FeedResponse", "NewsSource", "PermanentSourceError", "PriceSource",
    "RateLimited", "RawHistory", "SourceError", "SourceUnreachable", "Sources", "TransientSourceError",
    "default_sources",
]
