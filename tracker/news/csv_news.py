"""News as CSV: ``published_at,publisher,title,url,tickers`` (optional ``summary``, ``id``).

``published_at`` is ISO 8601 with an offset (``2025-01-20T09:00:00+08:00`` or ``…Z``); a time
without an offset is ambiguous and refused. ``tickers`` are separated by spaces, ``;`` or
``,`` (a leading ``$`` is dropped). A row without a title, without a usable URL or id, or with a
bad date is reported and skipped; the other rows are kept. A symbol that is not an equity ticker
(``CRYPTO:BTC``, ``FOREX:USD``) is dropped from its row, which is kept, and reported as such.
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
    dropped: list[ParseProblem] = []
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
                symbols, odd = split_tickers(row.get("tickers", ""))
                items.append(_row_item(row, merge_tickers(symbols, tickers)))
            except ValueError as exc:
                problems.append(ParseProblem(where, str(exc)))
                continue
            dropped.extend(ParseProblem(where, f"{token!r} is not an equity ticker") for token in odd)
    except csv.Error as exc:
        raise NewsPayloadError(f"{source}: not valid CSV at line {reader.line_num} ({exc})") from None
    return ParsedPayload(CSV_FORMAT, source, tuple(items), tuple(problems), dropped_tickers=tuple(dropped))


def _row_item(row: dict[str, str], tickers: tuple[str, ...]) -> NewsItem:
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
        tickers=tickers,
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
    symbols, odd = split_tickers(text)
    if odd:
        raise ValueError(f"ticker {odd[0]!r} is not a valid symbol")
    return symbols


def split_tickers(text: str) -> tuple[tuple[str, ...], list[str]]:
    """The valid symbols of ``text`` (sorted, unique) and the tokens that are not symbols, as written."""
    found, odd = set(), []
    for token in _TICKER_SPLIT.split(text or ""):
        symbol = token.strip().lstrip("$").upper()
        if not symbol:
            continue
        if re.match(TICKER_PATTERN, symbol):
            found.add(symbol)
        else:
            odd.append(token.strip())
    return tuple(sorted(found)), odd


def merge_tickers(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({t for group in groups for t in group}))
