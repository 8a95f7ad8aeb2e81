"""News as CSV: ``published_at,publisher,title,url,tickers`` (optional ``summary``, ``id``).

``published_at`` is ISO 8601 with an offset (``2025-01-20T09:00:00+08:00`` or ``…Z``); a time
without an offset is ambiguous and refused. ``tickers`` are separated by spaces, ``;`` or
``,`` (a leading ``$`` is dropped). A row without a title, without a usable URL or id, or with a
bad date or ticker is reported and skipped; the other rows are kept.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from events.tickers import TICKER_PATTERN
from tracker.news.items import CSV_FORMAT, NewsItem, NewsPayloadError, ParsedPayload, ParseProblem, as_utc, clean_text
from tracker.news.urls import canonical_url

REQUIRED_COLUMNS = ("published_at", "title", "url")
OPTIONAL_COLUMNS = ("publisher", "tickers", "summary", "id")
_TICKER_SPLIT = re.compile(r"[\s;,]+")


def parse_csv_news(text: str, source: str, tickers: tuple[str, ...] = ()) -> ParsedPayload:
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = [name.strip().lower() for name in reader.fieldnames or []]
    except csv.Error as exc:
        raise NewsPayloadError(f"{source}: not valid CSV ({exc})") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        said = "; ".join(
            part for part in (
                f"missing column(s) {', '.join(missing)}" if missing else "",
                f"unknown column(s) {', '.join(unknown)}" if unknown else "",
            ) if part
        )
        raise NewsPayloadError(
            f"{source}: {said}",
            hint="news CSV needs published_at,publisher,title,url,tickers (optional summary,id)",
        )
    items: list[NewsItem] = []
    problems: list[ParseProblem] = []
    try:
        for raw in reader:
            where = f"line {reader.line_num}"
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
            if None in raw:
                problems.append(ParseProblem(where, "more fields than columns (quote titles that contain commas)"))
                continue
            if None in raw.values():
                problems.append(ParseProblem(where, "fewer fields than columns (a truncated row?)"))
                continue
            try:
                items.append(_row_item(row, tickers))
            except ValueError as exc:
                problems.append(ParseProblem(where, str(exc)))
    except csv.Error as exc:
        raise NewsPayloadError(f"{source}: not valid CSV at line {reader.line_num} ({exc})") from None
    return ParsedPayload(CSV_FORMAT, source, tuple(items), tuple(problems))


def _row_item(row: dict[str, str], extra_tickers: tuple[str, ...]) -> NewsItem:
    title = clean_text(row.get("title"))
    if not title:
        raise ValueError("title is empty")
    published = parse_timestamp(row.get("published_at", ""))
    url = row.get("url") or None
    canonical = canonical_url(url) if url else None
    source_id = row.get("id") or None
    if url and canonical is None:
        raise ValueError(f"url {url!r} is not an http(s) link")
    if canonical is None and source_id is None:
        raise ValueError("url is empty (give a link, or an id column)")
    return NewsItem(
        title=title,
        url=url,
        canonical_url=canonical,
        source_id=source_id,
        published_at=published,
        published_basis="published",
        publisher=clean_text(row.get("publisher"), 200) or None,
        tickers=merge_tickers(parse_tickers(row.get("tickers", "")), extra_tickers),
        summary=clean_text(row.get("summary"), 400) or None,
    )


def parse_timestamp(text: str) -> dt.datetime:
    """ISO 8601 with an offset, as UTC; anything else raises ``ValueError`` naming the value."""
    value = text.strip()
    if not value:
        raise ValueError("published_at is empty")
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"published_at {value!r} is not ISO 8601 like 2025-01-20T09:00:00+08:00") from None
    if moment.tzinfo is None:
        raise ValueError(f"published_at {value!r} has no UTC offset (write it like 2025-01-20T09:00:00+08:00 or …Z)")
    return as_utc(moment)


def parse_tickers(text: str) -> tuple[str, ...]:
    """``"NVDA; $AAPL msft"`` -> ``("AAPL", "MSFT", "NVDA")``; a bad symbol raises ``ValueError``."""
    found = []
    for token in _TICKER_SPLIT.split(text or ""):
        symbol = token.strip().lstrip("$").upper()
        if not symbol:
            continue
        if not re.match(TICKER_PATTERN, symbol):
            raise ValueError(f"ticker {token!r} is not a valid symbol")
        found.append(symbol)
    return tuple(sorted(set(found)))


def merge_tickers(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({t for group in groups for t in group}))
