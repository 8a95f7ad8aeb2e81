"""yfinance ``Ticker.news`` payloads (a JSON list), in both shapes Yahoo has served.

* current (yfinance ≥ 0.2.51): ``{"id", "content": {"title", "pubDate", "provider":
  {"displayName"}, "canonicalUrl": {"url"}, "clickThroughUrl", "summary", "finance":
  {"stockTickers": [{"symbol"}]}, …}}``;
* legacy: ``{"uuid", "title", "publisher", "link", "providerPublishTime" (Unix seconds),
  "relatedTickers"}``.

Both may appear in one list. A dict holding the list under ``"news"`` is accepted too. An item
in neither shape, or without a title, a date, or a link and id, is reported and skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

from events.tickers import TICKER_PATTERN
from tracker.news.csv_news import merge_tickers
from tracker.news.items import YFINANCE_FORMAT, NewsItem, NewsPayloadError, ParsedPayload, ParseProblem, as_utc, clean_text
from tracker.news.urls import canonical_url

HINT = "expected the JSON list returned by yfinance Ticker.news (current or legacy shape)"


def parse_yfinance_news(text: str, source: str, tickers: tuple[str, ...] = ()) -> ParsedPayload:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NewsPayloadError(f"{source}: not valid JSON ({exc.msg} at line {exc.lineno})", hint=HINT) from None
    if isinstance(document, Mapping) and isinstance(document.get("news"), list):
        document = document["news"]
    if not isinstance(document, list):
        raise NewsPayloadError(f"{source}: JSON {type(document).__name__} is not a list of news items", hint=HINT)
    items: list[NewsItem] = []
    problems: list[ParseProblem] = []
    for number, entry in enumerate(document, start=1):
        where = f"item {number}"
        try:
            items.append(_item(entry, tickers))
        except ValueError as exc:
            problems.append(ParseProblem(where, str(exc)))
    return ParsedPayload(YFINANCE_FORMAT, source, tuple(items), tuple(problems))


def _item(entry: Any, tickers: tuple[str, ...]) -> NewsItem:
    if not isinstance(entry, Mapping):
        raise ValueError(f"is a {type(entry).__name__}, not an object")
    if isinstance(entry.get("content"), Mapping):
        return _current(entry, entry["content"], tickers)
    if "uuid" in entry or "providerPublishTime" in entry or "link" in entry:
        return _legacy(entry, tickers)
    keys = ", ".join(sorted(map(str, entry))[:6]) or "none"
    raise ValueError(f"neither the current ({{id, content}}) nor the legacy ({{uuid, title, link}}) shape (keys: {keys})")


def _current(entry: Mapping[str, Any], content: Mapping[str, Any], tickers: tuple[str, ...]) -> NewsItem:
    title = clean_text(content.get("title"))
    if not title:
        raise ValueError("content.title is empty")
    stamp = content.get("pubDate") or content.get("displayTime")
    if not stamp:
        raise ValueError("content.pubDate is missing")
    try:
        published = dt.datetime.fromisoformat(str(stamp))
    except ValueError:
        raise ValueError(f"content.pubDate {stamp!r} is not an ISO 8601 time") from None
    if published.tzinfo is None:
        published = published.replace(tzinfo=dt.timezone.utc)  # Yahoo serves UTC
    url = _url(content.get("canonicalUrl")) or _url(content.get("clickThroughUrl")) or content.get("previewUrl")
    source_id = str(entry.get("id") or content.get("id") or "") or None
    canonical = canonical_url(url) if url else None
    if canonical is None and source_id is None:
        raise ValueError("no link (content.canonicalUrl.url) and no id")
    provider = content.get("provider")
    publisher = provider.get("displayName") if isinstance(provider, Mapping) else None
    finance = content.get("finance")
    listed = finance.get("stockTickers") if isinstance(finance, Mapping) else None
    symbols = [s.get("symbol") for s in listed if isinstance(s, Mapping)] if isinstance(listed, list) else []
    return NewsItem(
        title=title,
        url=url,
        canonical_url=canonical,
        source_id=source_id,
        published_at=as_utc(published),
        published_basis="published",
        publisher=clean_text(publisher, 200) or None,
        tickers=merge_tickers(_symbols(symbols), tickers),
        summary=clean_text(content.get("summary") or content.get("description"), 400) or None,
    )


def _legacy(entry: Mapping[str, Any], tickers: tuple[str, ...]) -> NewsItem:
    title = clean_text(entry.get("title"))
    if not title:
        raise ValueError("title is empty")
    stamp = entry.get("providerPublishTime")
    if isinstance(stamp, bool) or not isinstance(stamp, (int, float)) and not (isinstance(stamp, str) and stamp.isdigit()):
        raise ValueError(f"providerPublishTime {stamp!r} is not Unix seconds")
    published = dt.datetime.fromtimestamp(int(stamp), tz=dt.timezone.utc)
    url = entry.get("link") or None
    source_id = str(entry.get("uuid") or "") or None
    canonical = canonical_url(url) if isinstance(url, str) else None
    if canonical is None and source_id is None:
        raise ValueError("no link and no uuid")
    related = entry.get("relatedTickers")
    return NewsItem(
        title=title,
        url=url if isinstance(url, str) else None,
        canonical_url=canonical,
        source_id=source_id,
        published_at=published,
        published_basis="published",
        publisher=clean_text(entry.get("publisher"), 200) or None,
        tickers=merge_tickers(_symbols(related if isinstance(related, list) else []), tickers),
        summary=clean_text(entry.get("summary"), 400) or None,
    )


def _url(value: Any) -> str | None:
    if isinstance(value, Mapping):
        value = value.get("url")
    return value if isinstance(value, str) and value.strip() else None


def _symbols(values: list[Any]) -> tuple[str, ...]:
    """Valid symbols only: Yahoo lists odd ones (``^GSPC`` passes, ``"$$"`` does not)."""
    found = {str(v).strip().upper() for v in values if isinstance(v, str)}
    return tuple(sorted(s for s in found if re.match(TICKER_PATTERN, s)))
