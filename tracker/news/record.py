"""Recording news in the log: the raw payload once, then one ``NewsItemObserved`` fact per article.

Facts written here:

``NewsPayloadImported`` (stream ``news-payload/<sha256>``)
    The raw bytes of an imported file (``format``, ``sha256``, ``size``, ``encoding``,
    ``payload``), so every article can be re-parsed later. Live ingestion stores its own
    ``NewsPayloadFetched`` facts instead and passes their reference as ``payload_ref``.
``NewsItemObserved`` (stream ``news/<news_id>``)
    One article: ``news_id, title, url, canonical_url, source_id, published_at (UTC),
    published_basis, publisher, tickers, summary, source, format, payload``. An article seen
    again is *merged* with what is stored: the first observation's fields are kept, tickers
    are united, and a missing date or publisher is filled in. Only a merge that adds something
    appends a new fact (the article's next revision), so re-importing or re-fetching the same
    news adds nothing.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tracker.news.items import DATE_BASES, NewsItem, ParsedPayload, ParseProblem
from tracker.news.parse import parse_news_payload
from warehouse import AppendResult, Run, Warehouse
from warehouse.vocabulary import Fact, NewsItemObserved, NewsPayloadImported

MAX_PROBLEMS_KEPT = 5


@dataclass(frozen=True)
class NewsRecordResult:
    """What recording one payload did."""

    format: str
    source: str
    items: int  # good items in the payload
    articles: int  # distinct articles among them
    new_articles: int  # articles the log did not know
    malformed: int
    problems: tuple[ParseProblem, ...]  # the first few
    undated: int
    payload_ref: str
    facts: AppendResult
    dropped_tickers: tuple[ParseProblem, ...] = ()  # the first few symbols dropped from kept articles
    dropped_count: int = 0

    def describe_problems(self) -> str:
        return _first_few(self.problems, self.malformed)

    def describe_dropped_tickers(self) -> str:
        return _first_few(self.dropped_tickers, self.dropped_count)


def _first_few(shown: tuple[ParseProblem, ...], total: int) -> str:
    more = total - len(shown)
    return "; ".join(str(p) for p in shown) + (f"; … and {more} more" if more > 0 else "")


def record_news_payload(
    warehouse: Warehouse,
    run: Run,
    format: str,
    payload: str | bytes,
    source: str,
    *,
    tickers: Sequence[str] = (),
    fetched_at: dt.datetime | None = None,
    payload_ref: str | None = None,
) -> NewsRecordResult:
    """Parse one payload and append its news facts in one transaction; the library entry point.

    Parameters
    ----------
    warehouse, run
        An open writable warehouse and the run the facts belong to (see
        :func:`tracker.storage.recorded_run`). Must not be inside a transaction: this opens one.
    format
        ``"news-csv"``, ``"yfinance-news-json"`` or ``"feed-xml"`` (aliases: csv, yfinance, rss, atom).
    payload
        The raw text or bytes as fetched or read.
    source
        Where it came from, kept on each article: a file path, ``yfinance:NVDA``, a feed URL.
    tickers
        Symbols to attach to every article (the ticker a yfinance payload was fetched for).
    fetched_at
        When the payload was fetched (aware); dates feed entries that have no date.
    payload_ref
        The stream or key of a payload fact the caller already stored (``NewsPayloadFetched``);
        when ``None`` the raw payload is stored here as a ``NewsPayloadImported`` fact.

    Raises
    ------
    NewsPayloadError
        The payload is not ``format`` at all. Malformed *items* never raise: they are counted
        and the first few are returned in ``problems``.
    """
    parsed = parse_news_payload(format, payload, source, tickers=tickers, fetched_at=fetched_at)
    with warehouse.transaction():
        result = record_news(warehouse, run, parsed, payload_ref=payload_ref)
        warehouse.catch_up()
    return result


def record_news(warehouse: Warehouse, run: Run, parsed: ParsedPayload, *, payload_ref: str | None = None) -> NewsRecordResult:
    """Append a parsed payload's facts inside the caller's transaction: the raw payload (unless
    ``payload_ref`` names one the caller stored) and one fact per new or enriched article.

    The one way news reaches the log: ``tracker import news`` and live ingestion both call it.
    ``payload_ref`` is the stream, or the key ``stream#revision`` when the stream holds several
    payloads (as live fetches do), of the ``NewsPayloadFetched`` fact the articles came from.
    """
    facts: list[Fact] = []
    if payload_ref is None:
        payload_fact = payload_fact_for(parsed)
        payload_ref = payload_fact.stream
        facts.append(payload_fact)
    observed: dict[str, dict[str, Any]] = {}
    for item in parsed.items:
        content = article_content(item, parsed.source, parsed.format, payload_ref)
        stream = NewsItemObserved.STREAM.format(news_id=item.news_id)
        observed[stream] = merge_article(observed.get(stream), content)
    stored = warehouse.latest_facts(NewsItemObserved, list(observed))
    facts += [NewsItemObserved(**merge_article(stored.get(stream), content)) for stream, content in observed.items()]
    result = warehouse.append_facts(facts, run)
    return NewsRecordResult(
        format=parsed.format,
        source=parsed.source,
        items=len(parsed.items),
        articles=len(observed),
        new_articles=sum(1 for stream in observed if stream not in stored),
        malformed=len(parsed.problems),
        problems=parsed.problems[:MAX_PROBLEMS_KEPT],
        undated=parsed.undated,
        payload_ref=payload_ref,
        facts=result,
        dropped_tickers=parsed.dropped_tickers[:MAX_PROBLEMS_KEPT],
        dropped_count=len(parsed.dropped_tickers),
    )


def payload_fact_for(parsed: ParsedPayload) -> NewsPayloadImported:
    """The raw payload as a fact keyed by its SHA-256 (text when UTF-8, else base64)."""
    digest = hashlib.sha256(parsed.raw).hexdigest()
    try:
        text, encoding = parsed.raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = base64.b64encode(parsed.raw).decode("ascii"), "base64"
    return NewsPayloadImported(format=parsed.format, sha256=digest, size=len(parsed.raw), encoding=encoding, payload=text)


def payload_bytes(content: Mapping[str, Any]) -> bytes:
    """The raw bytes of a payload fact's content."""
    text = content.get("payload") or ""
    if content.get("encoding") == "base64":
        return base64.b64decode(text)
    return text.encode("utf-8")


def article_content(item: NewsItem, source: str, format: str, payload_ref: str) -> dict[str, Any]:
    return {
        "news_id": item.news_id,
        "title": item.title,
        "url": item.url,
        "canonical_url": item.canonical_url,
        "source_id": item.source_id,
        "published_at": item.published_at.strftime("%Y-%m-%dT%H:%M:%SZ") if item.published_at else None,
        "published_basis": item.published_basis,
        "publisher": item.publisher,
        "tickers": list(item.tickers),
        "summary": item.summary,
        "source": source,
        "format": format,
        "payload": payload_ref,
    }


def merge_article(stored: Mapping[str, Any] | None, observed: Mapping[str, Any]) -> dict[str, Any]:
    """What the log should say about an article after another observation of it.

    The first observation wins, except that tickers are united, empty fields are filled in,
    and a better-founded date (``published`` over ``updated`` over ``fetched``) replaces a
    weaker one.
    """
    if stored is None:
        return dict(observed)
    merged = dict(stored)
    for key, value in observed.items():
        if merged.get(key) in (None, "", []) and value not in (None, "", []):
            merged[key] = value
    merged["tickers"] = sorted(set(stored.get("tickers") or []) | set(observed.get("tickers") or []))
    rank = {basis: i for i, basis in enumerate(DATE_BASES)}
    if rank.get(observed.get("published_basis"), 99) < rank.get(stored.get("published_basis"), 99):
        merged["published_at"] = observed.get("published_at")
        merged["published_basis"] = observed.get("published_basis")
    return merged
