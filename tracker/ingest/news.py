"""News fetching: raw payloads kept as ``NewsPayloadFetched`` facts, then parsed into articles.

Each new payload is parsed (by :mod:`tracker.news`, the same code as ``tracker import news``)
and its ``NewsItemObserved`` article facts are appended in the same transaction as the payload
fact, referring to it by key; the run then tags the new articles. Each fact's content is::

    {"format": "yfinance-news-json" | "feed-xml",
     "source": "<ticker>" | "<feed url>",
     "fetched_at": "<ISO-8601 UTC>",
     "payload": <the JSON list exactly as fetched> | "<the XML text>",
     "http": {"etag": ..., "last_modified": ..., "status": ...}}

in stream ``newsfetch/yfinance/<TICKER>`` or ``newsfetch/feed/<url>``. A payload identical
to the stream's latest one adds nothing (``fetched_at`` aside), so re-fetching is idempotent.
Feeds are fetched conditionally with the validators of the stream's latest payload; a ``304``
stores nothing. Yahoo's news has no history (only the latest items), so it must be fetched
every day; an empty list is not stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields
from typing import Any

from tracker.news.items import FEED_FORMAT, YFINANCE_FORMAT
from warehouse.facts import canonical_json
from warehouse.vocabulary import IngestNewsCounts, NewsPayloadFetched


def news_stream(ticker: str) -> str:
    return NewsPayloadFetched(YFINANCE_FORMAT, ticker, "", None, {}).stream


def feed_stream(url: str) -> str:
    return NewsPayloadFetched(FEED_FORMAT, url, "", None, {}).stream


@dataclass
class NewsOutcome:
    """One news fetch (a ticker's Yahoo news or one feed) in a run."""

    kind: str                     # "yfinance" | "feed"
    subject: str                  # ticker or URL
    status: str = "pending"       # succeeded | not_modified | empty | failed | skipped
    items: int | None = None
    stored: bool = False          # a new payload fact was appended
    attempts: int = 0
    error: str | None = None
    articles: int | None = None   # distinct articles parsed from a stored payload
    new_articles: int = 0         # of which the log did not know
    malformed: int = 0            # items skipped as malformed (the raw payload keeps them)

    def as_counts(self) -> dict[str, Any]:
        """The run's record of this fetch (:class:`warehouse.vocabulary.IngestNewsCounts`)."""
        return asdict(IngestNewsCounts(**{name: getattr(self, name) for name in _COUNT_FIELDS}))


_COUNT_FIELDS = tuple(f.name for f in fields(IngestNewsCounts))


def payload_fact(
    fmt: str, source: str, payload: Any, fetched_at: dt.datetime,
    *, etag: str | None = None, last_modified: str | None = None, status: int | None = None,
) -> NewsPayloadFetched:
    return NewsPayloadFetched(
        format=fmt,
        source=source,
        fetched_at=fetched_at.astimezone(dt.timezone.utc).isoformat(timespec="seconds"),
        payload=payload,
        http={"etag": etag, "last_modified": last_modified, "status": status},
    )


def parse_payload(fact: NewsPayloadFetched, tickers: tuple[str, ...]):
    """The articles of a payload fact (:class:`tracker.news.ParsedPayload`); raises ``NewsPayloadError``."""
    import json

    from tracker.news import parse_news_payload

    payload = fact.payload if isinstance(fact.payload, str) else json.dumps(fact.payload)
    source = f"yfinance:{fact.source}" if fact.format == YFINANCE_FORMAT else fact.source
    return parse_news_payload(fact.format, payload, source, tickers=tickers,
                              fetched_at=dt.datetime.fromisoformat(fact.fetched_at))


def is_new_payload(fact: NewsPayloadFetched, latest: dict[str, Any] | None) -> bool:
    """Whether ``fact`` carries another payload than the stream's latest fact."""
    if latest is None:
        return True
    return canonical_json({"p": fact.payload}) != canonical_json({"p": latest.get("payload")})
