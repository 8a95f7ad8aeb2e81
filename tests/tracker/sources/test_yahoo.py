"""The Yahoo adapter at its boundary: recorded frames in, exchange-local raw bars and mapped errors out."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pandas as pd
import pytest
from recorded_yahoo import RecordedYahoo, no_network, rate_limited, recorded_frame, recorded_news

from tracker.sources.errors import PermanentSourceError, RateLimited, SourceUnreachable, TransientSourceError
from tracker.sources.yahoo import YahooSource, YFinanceTransport, classify


def test_taipei_bars_keep_their_exchange_local_dates():
    frame = recorded_frame("2330.TW.csv")
    # stamped 00:00+08:00, i.e. 16:00 UTC on the previous day: a UTC conversion would shift every bar
    assert frame.index[0].tz_convert("UTC").date() == dt.date(2025, 1, 5)
    raw = YahooSource(transport=RecordedYahoo({"2330.TW": frame})).daily_history("2330.TW", dt.date(2025, 1, 6), dt.date(2025, 1, 17))
    assert raw.timezone == "Asia/Taipei"
    assert raw.frame["date"].to_list() == [ts.date() for ts in frame.index]
    assert raw.frame["date"][0] == dt.date(2025, 1, 6)


def test_history_is_requested_with_an_exclusive_end_and_trimmed_to_the_range():
    transport = RecordedYahoo({"AAPL": recorded_frame("AAPL.csv")})
    raw = YahooSource(transport=transport).daily_history("AAPL", dt.date(2025, 2, 10), dt.date(2025, 2, 12))
    assert transport.calls[0][1:4] == ("AAPL", dt.date(2025, 2, 10), dt.date(2025, 2, 13))
    assert raw.frame["date"].to_list() == [dt.date(2025, 2, 10), dt.date(2025, 2, 11), dt.date(2025, 2, 12)]
    assert raw.frame.filter(raw.frame["dividends"] > 0)["date"].to_list() == [dt.date(2025, 2, 10)]
    assert raw.frame["adj_close"].is_not_null().all()  # the adapter reports what Yahoo sent


def test_an_empty_frame_is_a_transient_error_not_an_empty_success():
    empty = recorded_frame("AAPL.csv").iloc[0:0]
    with pytest.raises(TransientSourceError, match="empty history"):
        YahooSource(transport=RecordedYahoo({"AAPL": empty})).daily_history("AAPL", dt.date(2025, 1, 2), dt.date(2025, 1, 10))


def test_news_is_returned_exactly_as_received_in_both_shapes():
    new, legacy = recorded_news("yfinance_news_new_format_WBD_2025-05.json"), recorded_news("yfinance_news_legacy_format_NVDA_2024-01.json")
    source = YahooSource(transport=RecordedYahoo(news={"WBD": new, "NVDA": legacy}))
    assert source.latest_news("WBD") == new and "content" in source.latest_news("WBD")[0]
    assert source.latest_news("NVDA") == legacy and "providerPublishTime" in source.latest_news("NVDA")[0]


def test_a_malformed_news_payload_is_a_permanent_error():
    class Broken(RecordedYahoo):
        def news(self, ticker, count):
            return {"data": "not a list"}

    with pytest.raises(PermanentSourceError, match="malformed news payload"):
        YahooSource(transport=Broken()).latest_news("NVDA")


def _http_error(status: int):
    from curl_cffi.requests.exceptions import HTTPError

    return HTTPError(f"HTTP Error {status}", response=SimpleNamespace(status_code=status))


@pytest.mark.parametrize(
    ("make", "expected", "words"),
    [
        (rate_limited, RateLimited, "rate limit"),
        (no_network, SourceUnreachable, "cannot reach Yahoo Finance: Could not resolve host"),
        (lambda: __import__("curl_cffi.requests.exceptions", fromlist=["x"]).Timeout("Operation timed out after 20001 ms"), TransientSourceError, "timed out"),
        (lambda: _http_error(503), TransientSourceError, "HTTP 503"),
        (lambda: _http_error(429), RateLimited, "HTTP 429"),
        (lambda: _http_error(404), PermanentSourceError, "HTTP 404"),
        (lambda: __import__("yfinance.exceptions", fromlist=["x"]).YFTzMissingError("NOPE"), PermanentSourceError, "unknown or delisted"),
        (lambda: __import__("yfinance.exceptions", fromlist=["x"]).YFPricesMissingError("NVDA", "", yahoo_reason="Data doesn't exist for startDate"), PermanentSourceError, "Data doesn't exist"),
        (lambda: __import__("yfinance.exceptions", fromlist=["x"]).YFPricesMissingError("NVDA", " (1d 2025-01-02 -> 2025-01-10)"), TransientSourceError, "blocking"),
        (lambda: __import__("yfinance.exceptions", fromlist=["x"]).YFDataException("*** YAHOO! FINANCE IS CURRENTLY DOWN! ***"), TransientSourceError, "Yahoo Finance is down"),
        (lambda: json.JSONDecodeError("Expecting value", "<html>", 0), TransientSourceError, "malformed response"),
        (lambda: KeyError("chart"), PermanentSourceError, "unexpected error from yfinance"),
    ],
)
def test_yfinance_errors_map_to_transient_or_permanent(make, expected, words):
    error = classify(make(), "NVDA", "daily prices")
    assert type(error) is expected
    assert words in str(error)
    assert "\n" not in str(error) and "curl.se" not in str(error)


def test_errors_raised_by_the_transport_are_mapped_for_each_call():
    transport = RecordedYahoo({"AAPL": recorded_frame("AAPL.csv")}, failures={"AAPL": [rate_limited()], "news:AAPL": [no_network()]})
    source = YahooSource(transport=transport)
    with pytest.raises(RateLimited):
        source.daily_history("AAPL", dt.date(2025, 1, 2), dt.date(2025, 1, 10))
    assert source.daily_history("AAPL", dt.date(2025, 1, 2), dt.date(2025, 1, 10)).frame.height == 6
    with pytest.raises(SourceUnreachable):
        source.latest_news("AAPL")


def test_the_real_transport_makes_yfinance_raise_instead_of_returning_empty_frames():
    import yfinance as yf

    transport = YFinanceTransport(timeout=3)
    assert transport._yf is None  # nothing imported or fetched until a call needs it
    transport._yfinance()
    assert yf.config.debug.hide_exceptions is False
    assert yf.config.network.retries == 0


def test_frame_conversion_keeps_nan_for_the_cleaning_step():
    frame = recorded_frame("AAPL.csv").iloc[:3].copy()
    frame.iloc[1, frame.columns.get_loc("Close")] = float("nan")
    raw = YahooSource(transport=RecordedYahoo({"AAPL": frame})).daily_history("AAPL", dt.date(2025, 1, 2), dt.date(2025, 1, 6))
    assert raw.frame["close"].is_nan().to_list() == [False, True, False]
    assert isinstance(frame.index, pd.DatetimeIndex)
