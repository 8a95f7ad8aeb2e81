"""Yahoo Finance through yfinance: the only module of the project that imports yfinance.

Two layers, so tests can replace the network and keep everything else real:

* :class:`YFinanceTransport` makes the calls (``Ticker.history`` with ``auto_adjust=False,
  actions=True`` and ``Ticker.get_news``), with ``yf.config.debug.hide_exceptions = False`` so
  a failure raises instead of returning an empty frame, and yfinance's own retries off (ours
  are in :mod:`tracker.sources.retry`). yfinance is imported on first use (it takes seconds).
* :class:`YahooSource` turns what the transport returns into a :class:`RawHistory` keyed by
  the *exchange-local* date (never a UTC shift: a Taipei bar stamped 00:00+08:00 stays on its
  own day) and maps every error to a transient or permanent :mod:`~tracker.sources.errors`
  class. Tests give it a fake transport serving recorded frames and raising yfinance's real
  exception classes (yfinance uses curl_cffi, so HTTP cassettes do not apply).

Error mapping (see ``docs`` in the README, "Ingestion"):

=====================================================  ==============================  =========
what yfinance raises                                   meaning                         class
=====================================================  ==============================  =========
``YFRateLimitError``, HTTP 429                         too many requests               transient
curl ``DNSError``/``ConnectionError``/``ProxyError``   no network, host unreachable    transient
curl ``Timeout``, HTTP 5xx, ``YFDataException``        Yahoo slow or down              transient
an empty frame (should not happen: errors raise)       a broken answer                 transient
malformed JSON / ``InvalidJSONError``                  a bad response page             transient
``YFTzMissingError``                                   unknown or delisted symbol      permanent
``YFPricesMissingError`` without Yahoo's reason        often blocking, not delisting   transient
``YFPricesMissingError`` with Yahoo's reason           no data for the range           permanent
``YFTickerMissingError``                               no data for the symbol          permanent
HTTP 4xx (not 429), anything else                      a request Yahoo will not serve  permanent
=====================================================  ==============================  =========
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from typing import Any

import polars as pl

from tracker.sources.base import RAW_COLUMNS, RawHistory
from tracker.sources.errors import (
    PermanentSourceError,
    RateLimited,
    SourceError,
    SourceUnreachable,
    TransientSourceError,
)

SOURCE_NAME = "yfinance"
DEFAULT_TIMEZONE = "America/New_York"
#: yfinance's column names -> ours.
COLUMNS = {
    "Open": "open", "High": "high", "Low": "low", "Close": "close", "Adj Close": "adj_close",
    "Volume": "volume", "Dividends": "dividends", "Stock Splits": "splits", "Capital Gains": "capital_gains",
}
_CURL_NOISE = re.compile(r"\s*See https://curl\.se/\S+ first for more details\.?|^Failed to perform, curl: \(\d+\) ")


class YFinanceTransport:
    """Calls yfinance; returns its objects unchanged (a pandas frame, a list of news items)."""

    def __init__(self, timeout: float = 20.0) -> None:
        self.timeout = timeout
        self._yf = None

    def _yfinance(self):
        if self._yf is None:
            import yfinance as yf

            yf.config.debug.hide_exceptions = False  # raise, never an empty frame on failure
            yf.config.network.retries = 0            # retries are ours, with backoff and a bound
            if not os.environ.get("TRACKER_DEBUG"):
                logging.getLogger("yfinance").setLevel(logging.CRITICAL)  # we report errors ourselves
            self._yf = yf
        return self._yf

    def history(self, ticker: str, start: dt.date, end_exclusive: dt.date):
        yf = self._yfinance()
        return yf.Ticker(ticker).history(
            start=start.isoformat(), end=end_exclusive.isoformat(), interval="1d",
            auto_adjust=False, actions=True, timeout=self.timeout,
        )

    def news(self, ticker: str, count: int) -> Any:
        return self._yfinance().Ticker(ticker).get_news(count=count, tab="news")


class YahooSource:
    """Prices and news from Yahoo Finance, behind :class:`~tracker.sources.base.PriceSource`."""

    name = SOURCE_NAME

    def __init__(self, *, timeout: float = 20.0, news_count: int = 20, transport: Any = None) -> None:
        self.transport = transport if transport is not None else YFinanceTransport(timeout)
        self.news_count = news_count

    def daily_history(self, ticker: str, start: dt.date, end: dt.date) -> RawHistory:
        try:
            frame = self.transport.history(ticker, start, end + dt.timedelta(days=1))
        except Exception as exc:  # every failure is mapped; nothing escapes as a traceback
            raise classify(exc, ticker, f"daily prices {start}..{end}") from exc
        if frame is None or frame.empty:
            # with hide_exceptions off, "no data" raises; an empty frame means a broken answer
            raise TransientSourceError(f"{ticker}: Yahoo returned an empty history for {start}..{end}", subject=ticker)
        raw = frame_to_raw(frame, ticker)
        return RawHistory(ticker, raw[0], raw[1].filter(pl.col("date").is_between(start, end)), SOURCE_NAME)

    def latest_news(self, ticker: str) -> list[dict[str, Any]]:
        try:
            items = self.transport.news(ticker, self.news_count)
        except Exception as exc:
            raise classify(exc, ticker, "news") from exc
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise PermanentSourceError(
                f"{ticker}: malformed news payload from Yahoo (expected a list of objects, got {type(items).__name__})",
                subject=ticker,
            )
        return items


def frame_to_raw(frame: Any, ticker: str) -> tuple[str, pl.DataFrame]:
    """``(exchange timezone, RAW_COLUMNS frame)`` from a ``Ticker.history`` pandas frame."""
    index = frame.index
    timezone = str(index.tz) if getattr(index, "tz", None) is not None else DEFAULT_TIMEZONE
    if frame.empty:
        return timezone, pl.DataFrame(schema=RAW_COLUMNS)
    # The index is in the exchange's zone: its wall-clock date is the trading date.
    local = index.tz_localize(None) if getattr(index, "tz", None) is not None else index
    data: dict[str, Any] = {
        "date": list(local.normalize().date),
        "stamp": list(local.to_pydatetime()),
    }
    for theirs, ours in COLUMNS.items():
        data[ours] = frame[theirs].astype("float64").tolist() if theirs in frame.columns else [None] * len(frame)
    raw = pl.DataFrame(data, schema=RAW_COLUMNS, nan_to_null=False)
    return timezone, raw


def classify(exc: BaseException, ticker: str, what: str) -> SourceError:
    """Map an exception raised while fetching ``what`` for ``ticker`` to a source error."""
    if isinstance(exc, SourceError):
        return exc
    name = type(exc).__name__
    detail = _one_line(exc)
    try:
        from yfinance import exceptions as yfe
    except ImportError:  # pragma: no cover - yfinance is a dependency
        yfe = None
    if yfe is not None:
        if isinstance(exc, yfe.YFRateLimitError):
            return RateLimited(
                f"Yahoo Finance rate limit while fetching {what} for {ticker}",
                hint="too many requests: wait (an hour is usually enough); the next run catches up", subject=ticker,
            )
        if isinstance(exc, yfe.YFTzMissingError):
            return PermanentSourceError(
                f"{ticker}: Yahoo has no time zone for this symbol: unknown or delisted",
                hint="check the spelling Yahoo uses (BRK-B, ^GSPC, 2330.TW); if well-known tickers fail the same way, "
                     "Yahoo is blocking requests: retry later", subject=ticker,
            )
        if isinstance(exc, yfe.YFPricesMissingError):
            if exc.yahoo_reason:  # Yahoo said why (e.g. no data for the range): final
                return PermanentSourceError(f"{ticker}: Yahoo has no {what}: {exc.yahoo_reason}",
                                            hint="check the ticker and the date range", subject=ticker)
            # "possibly delisted; no price data found" for a live ticker usually means blocking
            return TransientSourceError(
                f"{ticker}: Yahoo sent no {what} (delisted symbol, or Yahoo is blocking requests)",
                hint="check the symbol; if it is listed, retry later", subject=ticker,
            )
        if isinstance(exc, yfe.YFTickerMissingError):
            return PermanentSourceError(f"{ticker}: Yahoo has no data for this symbol ({exc.rationale})", subject=ticker)
        if isinstance(exc, yfe.YFDataException):
            return TransientSourceError(f"Yahoo Finance is down ({detail}) while fetching {what} for {ticker}", subject=ticker)
    status = getattr(getattr(exc, "response", None), "status_code", None)
    module = type(exc).__module__
    if status == 429:
        return RateLimited(f"Yahoo Finance rate limit (HTTP 429) while fetching {what} for {ticker}", subject=ticker)
    if isinstance(status, int) and status >= 500:
        return TransientSourceError(f"Yahoo Finance answered HTTP {status} for {what} of {ticker}", subject=ticker)
    if isinstance(status, int) and status >= 400:
        return PermanentSourceError(f"Yahoo Finance refused {what} for {ticker} (HTTP {status})", subject=ticker)
    if "Timeout" in name or isinstance(exc, TimeoutError):
        return TransientSourceError(f"timed out fetching {what} for {ticker} ({detail})", subject=ticker)
    if name in {"DNSError", "ConnectionError", "ProxyError", "SSLError", "CertificateVerifyError"} or (
        isinstance(exc, ConnectionError)
    ):
        return SourceUnreachable(
            f"cannot reach Yahoo Finance: {detail}",
            hint="check the network connection (and any proxy), then rerun; stored data is unchanged", subject=ticker,
        )
    if "JSON" in name or isinstance(exc, ValueError) and "JSON" in str(exc):
        return TransientSourceError(f"malformed response from Yahoo for {what} of {ticker} ({detail})", subject=ticker)
    if module.startswith("curl_cffi") or isinstance(exc, OSError):
        return TransientSourceError(f"network error fetching {what} for {ticker}: {name}: {detail}", subject=ticker)
    return PermanentSourceError(
        f"{ticker}: unexpected error from yfinance fetching {what}: {name}: {detail}",
        hint="rerun with `tracker --debug ingest` and report it if it persists", subject=ticker,
    )


def _one_line(exc: BaseException) -> str:
    text = _CURL_NOISE.sub("", str(exc)).strip()
    return text.splitlines()[0].rstrip(".") if text else type(exc).__name__
