"""A parsed news article and the outcome of parsing one payload.

Every format (CSV, yfinance JSON, RSS/Atom) is parsed into :class:`NewsItem` records. An
article's identity is its canonical URL, or the source's own id when there is no link, so the
same story fetched twice, or through two sources, is one article (:attr:`NewsItem.news_id`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from events.errors import QUOTE_LIMIT, TrackerError, clip

#: Payload formats understood by :func:`tracker.news.parse_news_payload`.
CSV_FORMAT = "news-csv"
YFINANCE_FORMAT = "yfinance-news-json"
FEED_FORMAT = "feed-xml"
NEWS_FORMATS = (CSV_FORMAT, YFINANCE_FORMAT, FEED_FORMAT)

#: How ``published_at`` was obtained, best first. ``missing``: no date at all.
DATE_BASES = ("published", "updated", "fetched", "missing")
MAX_TITLE = 500
MAX_SUMMARY = 400
_SPACES = re.compile(r"\s+")
_TAGS = re.compile(r"<[^>]+>")


class NewsPayloadError(TrackerError):
    """A whole payload cannot be read as the format it claims (not JSON, not a feed, no columns…)."""


@dataclass(frozen=True)
class NewsItem:
    """One article as observed in a payload."""

    title: str
    url: str | None
    canonical_url: str | None
    source_id: str | None
    published_at: dt.datetime | None  # UTC
    published_basis: str
    publisher: str | None
    tickers: tuple[str, ...]
    summary: str | None = None

    @property
    def identity(self) -> str:
        """What makes two observations the same article: the canonical URL, else the source's id."""
        if self.canonical_url:
            return self.canonical_url
        return f"id:{self.publisher or ''}:{self.source_id}"

    @property
    def news_id(self) -> str:
        return news_id_for(self.identity)


def news_id_for(identity: str) -> str:
    """A short stable id derived from an article's identity (``n-`` + 14 hex digits)."""
    return "n-" + hashlib.sha256(identity.encode("utf-8")).hexdigest()[:14]


@dataclass(frozen=True)
class ParseProblem:
    """A malformed item: where it is in the payload (``line 7``, ``item 3``) and what is wrong."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {clip(self.message, 2 * QUOTE_LIMIT)}"


@dataclass(frozen=True)
class ParsedPayload:
    """The good items of one payload, the problems of the bad ones, and the symbols dropped from
    good items because they are not equity tickers (``CRYPTO:BTC``: the article is kept)."""

    format: str
    source: str
    items: tuple[NewsItem, ...]
    problems: tuple[ParseProblem, ...] = ()
    raw: bytes = field(default=b"", repr=False)
    dropped_tickers: tuple[ParseProblem, ...] = ()

    @property
    def total(self) -> int:
        return len(self.items) + len(self.problems)

    @property
    def undated(self) -> int:
        return sum(1 for item in self.items if item.published_at is None)


def clean_text(text: object, limit: int = MAX_TITLE) -> str:
    """Plain single-line text: HTML tags dropped, whitespace collapsed, cut at ``limit``."""
    import html

    value = html.unescape(_TAGS.sub(" ", str(text or "")))
    value = _SPACES.sub(" ", value).strip()
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def as_utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.timezone.utc)
