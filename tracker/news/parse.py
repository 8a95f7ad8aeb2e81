"""Parsing a news payload of any supported format into :class:`~tracker.news.items.NewsItem` records."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from tracker.news.csv_news import parse_csv_news, parse_tickers
from tracker.news.feeds import parse_feed
from tracker.news.items import CSV_FORMAT, FEED_FORMAT, NEWS_FORMATS, YFINANCE_FORMAT, NewsPayloadError, ParsedPayload
from tracker.news.yfinance_news import parse_yfinance_news

#: Short names accepted by ``tracker import news --format``.
FORMAT_ALIASES = {
    "csv": CSV_FORMAT, "yfinance": YFINANCE_FORMAT, "json": YFINANCE_FORMAT,
    "rss": FEED_FORMAT, "atom": FEED_FORMAT, "feed": FEED_FORMAT, "xml": FEED_FORMAT,
    **{name: name for name in NEWS_FORMATS},
}
SUFFIX_FORMATS = {".csv": CSV_FORMAT, ".json": YFINANCE_FORMAT, ".xml": FEED_FORMAT, ".rss": FEED_FORMAT, ".atom": FEED_FORMAT}


def resolve_format(name: str) -> str:
    try:
        return FORMAT_ALIASES[name.strip().lower()]
    except KeyError:
        raise NewsPayloadError(
            f"unknown news format {name!r}", hint=f"use one of {', '.join(sorted(FORMAT_ALIASES))}"
        ) from None


def detect_format(path: Path, data: bytes) -> str:
    """The format of a file: by suffix, else by its first non-blank character."""
    by_suffix = SUFFIX_FORMATS.get(Path(path).suffix.lower())
    if by_suffix:
        return by_suffix
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head in (b"[", b"{"):
        return YFINANCE_FORMAT
    if head == b"<":
        return FEED_FORMAT
    return CSV_FORMAT


def parse_news_payload(
    format: str,
    payload: str | bytes,
    source: str,
    *,
    tickers: Sequence[str] = (),
    fetched_at: dt.datetime | None = None,
) -> ParsedPayload:
    """Parse ``payload`` (text or bytes) as ``format``; bad items go to ``problems``.

    ``tickers`` are attached to every item (e.g. the ticker a yfinance payload was fetched
    for); ``fetched_at`` dates feed entries that carry no date of their own. A payload that
    is not the format at all raises :class:`NewsPayloadError`.
    """
    fmt = resolve_format(format)
    try:
        extra = parse_tickers(" ".join(tickers))
    except ValueError as exc:
        raise NewsPayloadError(f"{source}: {exc}", hint="give symbols like NVDA,AAPL") from None
    raw = payload.encode("utf-8") if isinstance(payload, str) else bytes(payload)
    if fetched_at is not None and fetched_at.tzinfo is None:
        raise NewsPayloadError(f"{source}: fetched_at {fetched_at.isoformat()} has no time zone")
    try:
        if fmt == FEED_FORMAT:
            parsed = parse_feed(raw, source, extra, fetched_at)
        else:
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise NewsPayloadError(f"{source}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
            parse = parse_csv_news if fmt == CSV_FORMAT else parse_yfinance_news
            parsed = parse(text, source, extra)
    except RecursionError:
        raise NewsPayloadError(f"{source}: nested too deeply to be a {fmt} payload",
                               hint="check that the file is what its name says") from None
    return dataclasses.replace(parsed, raw=raw)
