"""News as facts: parsing CSV, yfinance JSON and RSS/Atom payloads, and recording articles.

The entry points:

* :func:`record_news` — append a parsed payload's facts in the caller's transaction: live
  ingestion (:mod:`tracker.ingest.run`) and the file import (``tracker import news``,
  :func:`tracker.ingest.files.import_news`) both call it;
* :func:`record_news_payload` — parse one payload and record it in one transaction (the library's
  one-call entry point);
* :func:`parse_news_payload` — parsing alone, no warehouse.
"""

from tracker.news.items import NEWS_FORMATS, NewsItem, NewsPayloadError, ParsedPayload, ParseProblem
from tracker.news.parse import parse_news_payload
from tracker.news.record import NewsRecordResult, record_news, record_news_payload

__all__ = [
    "NEWS_FORMATS",
    "NewsItem",
    "NewsPayloadError",
    "NewsRecordResult",
    "ParseProblem",
    "ParsedPayload",
    "parse_news_payload",
    "record_news",
    "record_news_payload",
]
