"""Cleaning fetched bars: NaN rows, repeated dates, sessions still open, invalid bars, actions."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from ingest_fixtures import NY
from recorded_yahoo import RecordedYahoo, recorded_frame

from events.sessions import SessionCalendar
from tracker.ingest.bars import SETTLE, clean_history, is_final
from tracker.sources.errors import PermanentSourceError
from tracker.sources.yahoo import YahooSource

XNYS = SessionCalendar.xnys(dt.date(2024, 1, 1), dt.date(2026, 12, 31))
UTC = dt.timezone.utc


def raw_of(frame, start=dt.date(2025, 1, 1), end=dt.date(2025, 3, 1), ticker="AAPL"):
    return YahooSource(transport=RecordedYahoo({ticker: frame})).daily_history(ticker, start, end)


def test_a_clean_recorded_frame_passes_through_unchanged():
    frame = recorded_frame("AAPL.csv")
    clean = clean_history(raw_of(frame), dt.datetime(2025, 2, 15, tzinfo=UTC), XNYS)
    assert clean.bars.height == len(frame)
    assert clean.bars["close"].to_list() == frame["Close"].tolist()
    assert clean.bars["adj_close"].null_count() == clean.bars.height  # see the module docstring: not stored
    assert [(d.date, d.value) for d in clean.dividends] == [(dt.date(2025, 2, 10), 0.25)]
    assert (clean.nan_rows, clean.duplicate_rows, clean.provisional) == (0, 0, ())


def test_nan_rows_are_dropped_but_their_dividend_is_kept_and_partial_nans_become_null():
    frame = recorded_frame("AAPL.csv")
    extra = pd.DataFrame(
        {c: [float("nan")] for c in frame.columns} | {"Dividends": [0.26]},
        index=pd.DatetimeIndex([pd.Timestamp("2025-02-15", tz=NY)], name="Date"),
    )
    frame = pd.concat([frame, extra])
    frame.loc[pd.Timestamp("2025-02-12", tz=NY), "Volume"] = float("nan")
    clean = clean_history(raw_of(frame), dt.datetime(2025, 2, 18, tzinfo=UTC), XNYS)
    assert clean.nan_rows == 1
    assert dt.date(2025, 2, 15) not in clean.bars["date"].to_list()
    assert [d.date for d in clean.dividends] == [dt.date(2025, 2, 10), dt.date(2025, 2, 15)]
    row = clean.bars.filter(clean.bars["date"] == dt.date(2025, 2, 12))
    assert row["volume"][0] is None and row["close"][0] == 235.422


def test_a_repeated_date_keeps_the_latest_stamped_row():
    frame = recorded_frame("AAPL.csv")
    live = frame.loc[[pd.Timestamp("2025-02-14", tz=NY)]].copy()
    live.index = pd.DatetimeIndex([pd.Timestamp("2025-02-14 15:59", tz=NY)], name="Date")
    live["Close"] = 243.90
    exact = frame.loc[[pd.Timestamp("2025-02-13", tz=NY)]]
    clean = clean_history(raw_of(pd.concat([frame, live, exact])), dt.datetime(2025, 2, 18, tzinfo=UTC), XNYS)
    assert clean.duplicate_rows == 2
    assert clean.bars["date"].is_unique().all()
    assert clean.bars.filter(clean.bars["date"] == dt.date(2025, 2, 14))["close"][0] == 243.90


def test_the_bar_of_a_session_still_open_is_provisional_and_not_stored():
    frame = recorded_frame("AAPL.csv")
    during = dt.datetime(2025, 2, 14, 11, 0, tzinfo=NY)
    clean = clean_history(raw_of(frame), during, XNYS)
    assert clean.provisional == (dt.date(2025, 2, 14),)
    assert clean.last_final_date == dt.date(2025, 2, 13)
    close = XNYS.close_of(dt.date(2025, 2, 14))
    assert not is_final(dt.date(2025, 2, 14), "America/New_York", close + SETTLE - dt.timedelta(seconds=1), XNYS)
    assert is_final(dt.date(2025, 2, 14), "America/New_York", close + SETTLE, XNYS)


def test_an_early_close_makes_the_bar_final_in_the_afternoon():
    early = dt.date(2024, 11, 29)  # day after Thanksgiving: NYSE closes at 13:00
    assert is_final(early, "America/New_York", dt.datetime(2024, 11, 29, 13, 20, tzinfo=NY), XNYS)
    assert not is_final(dt.date(2024, 11, 27), "America/New_York", dt.datetime(2024, 11, 27, 13, 20, tzinfo=NY), XNYS)


def test_outside_new_york_a_bar_is_final_once_its_local_day_is_over():
    frame = recorded_frame("2330.TW.csv")
    # 2025-01-17 08:00 New York = 21:00 Taipei, the 17th: its own bar is not final yet
    clean = clean_history(raw_of(frame, ticker="2330.TW"), dt.datetime(2025, 1, 17, 8, 0, tzinfo=NY), XNYS)
    assert clean.provisional == (dt.date(2025, 1, 17),)
    # 12:00 New York = 01:00 on the 18th in Taipei
    clean = clean_history(raw_of(frame, ticker="2330.TW"), dt.datetime(2025, 1, 17, 12, 0, tzinfo=NY), XNYS)
    assert clean.provisional == () and clean.last_final_date == dt.date(2025, 1, 17)


def test_an_inconsistent_bar_refuses_the_whole_fetch_naming_the_bar():
    frame = recorded_frame("AAPL.csv")
    frame.loc[pd.Timestamp("2025-01-27", tz=NY), "Low"] = 300.0
    with pytest.raises(PermanentSourceError, match=r"AAPL: yfinance sent invalid bars, none stored: 2025-01-27: low 300.0 is above high"):
        clean_history(raw_of(frame), dt.datetime(2025, 2, 18, tzinfo=UTC), XNYS)


def test_a_negative_price_is_refused_with_the_file_import_rules():
    frame = recorded_frame("AAPL.csv")
    frame.loc[pd.Timestamp("2025-01-28", tz=NY), ["Open", "Low", "Close"]] = [-1.0, -1.0, -1.0]
    with pytest.raises(PermanentSourceError, match="2025-01-28: open -1.0 is not a positive price"):
        clean_history(raw_of(frame), dt.datetime(2025, 2, 18, tzinfo=UTC), XNYS)


def test_splits_are_read_as_ratios():
    clean = clean_history(raw_of(recorded_frame("NVDA_post_split.csv"), dt.date(2024, 5, 20), dt.date(2024, 6, 14), "NVDA"),
                          dt.datetime(2024, 6, 15, tzinfo=UTC), XNYS)
    assert [(s.date, s.value) for s in clean.splits] == [(dt.date(2024, 6, 10), 10.0)]
    assert [(d.date, d.value) for d in clean.dividends] == [(dt.date(2024, 6, 11), 0.01)]
