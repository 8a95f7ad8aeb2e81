"""News as facts: parsing CSV, yfinance JSON and RSS/Atom payloads, and recording articles.

The entry points:

* :func:`record_news_payload` — parse one payload and append its facts: live ingestion
  (:mod:`tracker.ingest.news`) and the file import (``tracker import news``,
  :func:`tracker.ingest.files.import_news`) both call it;
* :func:`parse_news_payload` — parsing alone, no warehouse.
"""

from tracker.news.items import NEWS_FORMATS, NewsItem, NewsPayloadError, ParsedPayload, ParseProblem
from tracker.news.parse import parse_news_payload
from tracker.news.record import NewsRecordResult, append_parsed_news, record_news_payload, store_parsed_news

__all__ = [
    "NEWS_FORMATS",
    "NewsItem",
    "NewsPayloadError",
    "NewsRecordResult",
    "ParseProblem",
    "ParsedPayload",
    "append_parsed_news",
    "parse_news_payload",
    "record_news_payload",
    "store_parsed_news",
]
