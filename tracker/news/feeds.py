"""RSS 2.0 and Atom feeds, parsed with `feedparser <https://feedparser.readthedocs.io>`_.

The payload is handed to feedparser as a byte stream, never as a string: feedparser would
fetch a string that looks like a URL, or open one that names a file. feedparser's lenient
parser accepts slightly broken XML (it sets ``bozo``); such a feed is used if it has entries.

Dates: an entry's ``published`` time, else its ``updated`` time (RSS ``dcterms:modified``,
Atom ``updated``), else the fetch time when the caller knows it. Many real feeds carry neither;
such an article is kept with no date (``published_basis = "missing"``) rather than dropped.
The publisher is the entry's ``<source>`` title, else the feed's title.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io

from tracker.news.csv_news import merge_tickers
from tracker.news.items import FEED_FORMAT, NewsItem, NewsPayloadError, ParsedPayload, ParseProblem, clean_text
from tracker.news.urls import canonical_url


def parse_feed(data: bytes, source: str, tickers: tuple[str, ...] = (), fetched_at: dt.datetime | None = None) -> ParsedPayload:
    import feedparser

    parsed = feedparser.parse(io.BytesIO(data))
    if not parsed.entries and (parsed.bozo or not parsed.version):
        reason = parsed.get("bozo_exception") or "no <rss>, <feed> or <rdf> root"
        raise NewsPayloadError(
            f"{source}: not an RSS/Atom feed ({str(reason).splitlines()[0]})",
            hint="give an RSS 2.0 or Atom XML document",
        )
    feed_title = clean_text(parsed.feed.get("title"), 200) or None
    items: list[NewsItem] = []
    problems: list[ParseProblem] = []
    for number, entry in enumerate(parsed.entries, start=1):
        try:
            items.append(_entry(entry, feed_title, tickers, fetched_at))
        except ValueError as exc:
            problems.append(ParseProblem(f"entry {number}", str(exc)))
    return ParsedPayload(FEED_FORMAT, source, tuple(items), tuple(problems))


def _entry(entry, feed_title: str | None, tickers: tuple[str, ...], fetched_at: dt.datetime | None) -> NewsItem:
    title = clean_text(entry.get("title"))
    if not title:
        raise ValueError("no title")
    url = entry.get("link") or None
    source_id = str(entry.get("id") or "").strip() or None
    canonical = canonical_url(url) if url else None
    if canonical is None and source_id is None:
        raise ValueError(f"no usable link ({url!r}) and no guid/id")
    published, basis = _date(entry, fetched_at)
    origin = entry.get("source")
    publisher = clean_text(origin.get("title"), 200) if hasattr(origin, "get") else ""
    return NewsItem(
        title=title,
        url=url,
        canonical_url=canonical,
        source_id=source_id,
        published_at=published,
        published_basis=basis,
        publisher=publisher or feed_title,
        tickers=merge_tickers(tickers),
        summary=clean_text(entry.get("summary"), 400) or None,
    )


def _date(entry, fetched_at: dt.datetime | None) -> tuple[dt.datetime | None, str]:
    for field, basis in (("published_parsed", "published"), ("updated_parsed", "updated")):
        value = dict.get(entry, field)  # plain dict access: FeedParserDict aliases a missing key (with a warning)
        if value:
            return dt.datetime.fromtimestamp(calendar.timegm(value), tz=dt.timezone.utc), basis
    if fetched_at is not None:
        return fetched_at.astimezone(dt.timezone.utc), "fetched"
    return None, "missing"
