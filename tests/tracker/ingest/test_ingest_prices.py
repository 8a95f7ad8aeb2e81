"""Ingestion runs end to end: recorded Yahoo frames -> real adapter -> real DuckDB warehouse."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace

import pandas as pd
import pytest
from ingest_fixtures import NY, at, no_sleep
from recorded_yahoo import RecordedYahoo, no_network, rate_limited, recorded_frame, sources_for

from tracker.ingest import IngestObserver, IngestRequest, run_ingest
from tracker.storage import open_reader

AFTER_CLOSE = at(2025, 2, 14, 18, 30)  # Friday, after the close


def ingest(settings, transport, clock=AFTER_CLOSE, sleep=no_sleep, observer=None, **request):
    return run_ingest(settings, IngestRequest(**request), sources=sources_for(transport), clock=clock, sleep=sleep, observer=observer)


def query(settings, sql):
    with open_reader(settings) as warehouse:
        return warehouse.query(sql)


def test_first_run_stores_history_and_a_rerun_adds_nothing(ingest_settings):
    frame = recorded_frame("AAPL.csv")
    transport = RecordedYahoo({"AAPL": frame})
    first = ingest(ingest_settings, transport, tickers=("AAPL",))
    assert first.status == "succeeded"
    outcome = first.tickers[0]
    assert (outcome.bars, outcome.dividends, outcome.last_final_date) == (len(frame), 1, "2025-02-14")
    assert outcome.facts_added == len(frame) + 1 + 1  # bars, the dividend, the cursor
    assert transport.calls[0][2:4] == (dt.date(2025, 1, 2), dt.date(2025, 2, 16))  # history_start .. today+1 (exclusive end)

    second = ingest(ingest_settings, transport, tickers=("AAPL",))
    again = second.tickers[0]
    assert (again.facts_added, again.corrections) == (0, 0)
    assert again.duplicates == 6 + 1  # the lag window's bars and its dividend, all known
    # resumed 5 sessions before the cursor (2025-02-14): 2025-02-07
    assert transport.calls[1][2] == dt.date(2025, 2, 7)

    prices = query(ingest_settings, "SELECT date, open, high, low, close, volume FROM prices WHERE ticker = 'AAPL' ORDER BY date")
    assert prices.height == len(frame)
    assert prices["close"].to_list() == frame["Close"].tolist()
    assert prices["volume"].to_list() == frame["Volume"].astype(float).tolist()
    runs = query(ingest_settings, "SELECT status, facts_added FROM runs WHERE command = 'ingest' ORDER BY start_seq")
    assert runs.rows() == [("succeeded", len(frame) + 2), ("succeeded", 0)]


def test_returns_from_raw_closes_plus_dividends_are_total_returns(ingest_settings):
    frame = recorded_frame("AAPL.csv")
    ingest(ingest_settings, RecordedYahoo({"AAPL": frame}), tickers=("AAPL",))
    got = query(ingest_settings, "SELECT date, ret, basis FROM returns WHERE ticker = 'AAPL' AND ret IS NOT NULL ORDER BY date")
    # independent computation with pandas on the recorded frame: (close + dividend) / previous close - 1
    expected = (frame["Close"] + frame["Dividends"]) / frame["Close"].shift(1) - 1
    assert got["ret"].to_list() == pytest.approx(expected.iloc[1:].tolist(), rel=1e-12)
    ex_day = got.filter(got["date"] == dt.date(2025, 2, 10))
    assert ex_day["basis"][0] == "close+dividend"
    assert ex_day["ret"][0] == pytest.approx((226.2583 + 0.25) / 225.99 - 1, rel=1e-12)
    # Yahoo's own adjusted series agrees to within its rounding (it uses C_t / (C_t-1 - D))
    yahoo = frame["Adj Close"] / frame["Adj Close"].shift(1) - 1
    assert got["ret"].to_list() == pytest.approx(yahoo.iloc[1:].tolist(), abs=2e-5)


def test_a_revised_bar_becomes_a_correction_and_as_of_shows_the_old_value(ingest_settings):
    frame = recorded_frame("AAPL.csv")
    ingest(ingest_settings, RecordedYahoo({"AAPL": frame}), tickers=("AAPL",))
    position = query(ingest_settings, "SELECT max(seq) AS head FROM facts")["head"][0]
    revised = frame.copy()
    revised.loc[pd.Timestamp("2025-02-12", tz=NY), "Volume"] = 45_300_000  # Yahoo revises volume after the close
    report = ingest(ingest_settings, RecordedYahoo({"AAPL": revised}), tickers=("AAPL",))
    assert (report.tickers[0].facts_added, report.tickers[0].corrections) == (1, 1)
    now = query(ingest_settings, "SELECT volume, revision FROM prices WHERE ticker = 'AAPL' AND date = '2025-02-12'")
    then = query(ingest_settings, f"SELECT volume FROM prices_as_of({position}) WHERE ticker = 'AAPL' AND date = '2025-02-12'")
    assert now.rows() == [(45_300_000.0, 2)]
    assert then["volume"][0] == 45_243_300.0


def test_a_new_split_rereads_the_whole_stored_history_in_the_new_share_basis(ingest_settings):
    pre, post = recorded_frame("NVDA_pre_split.csv"), recorded_frame("NVDA_post_split.csv")
    settings = replace(ingest_settings, ingest=replace(ingest_settings.ingest, history_start=dt.date(2024, 5, 20)))
    ingest(settings, RecordedYahoo({"NVDA": pre}), clock=at(2024, 6, 7, 18, 0), tickers=("NVDA",))
    before = query(settings, "SELECT close FROM prices WHERE ticker = 'NVDA' AND date = '2024-05-20'")["close"][0]
    assert before == pytest.approx(post["Close"].iloc[0] * 10, rel=1e-6)  # stored as traded before the split

    transport = RecordedYahoo({"NVDA": post})
    report = ingest(settings, transport, clock=at(2024, 6, 14, 18, 0), tickers=("NVDA",))
    outcome = report.tickers[0]
    assert outcome.full_reread == "2024-06-10" and outcome.splits == 1
    assert [c[2] for c in transport.calls] == [dt.date(2024, 5, 31), dt.date(2024, 5, 20)]  # lag window, then everything stored
    closes = query(settings, "SELECT date, close FROM prices WHERE ticker = 'NVDA' ORDER BY date")
    assert closes["close"].to_list() == post["Close"].tolist()  # one basis throughout
    rets = query(settings, "SELECT date, ret FROM returns WHERE ticker = 'NVDA' AND date IN ('2024-06-10', '2024-06-11') ORDER BY date")
    c = post["Close"]
    assert rets["ret"].to_list() == pytest.approx([
        c.iloc[c.index.get_loc(pd.Timestamp("2024-06-10", tz=NY))] / c.iloc[c.index.get_loc(pd.Timestamp("2024-06-07", tz=NY))] - 1,
        (c.iloc[c.index.get_loc(pd.Timestamp("2024-06-11", tz=NY))] + 0.01) / c.iloc[c.index.get_loc(pd.Timestamp("2024-06-10", tz=NY))] - 1,
    ], rel=1e-12)
    cursor = query(settings, "SELECT last_final_date, split_basis FROM ingest_cursors WHERE ticker = 'NVDA'")
    assert cursor.rows() == [(dt.date(2024, 6, 14), dt.date(2024, 6, 10))]
    # the split is now the basis: the next run re-reads only its lag window
    again = ingest(settings, transport, clock=at(2024, 6, 14, 18, 0), tickers=("NVDA",))
    assert again.tickers[0].full_reread is None and again.tickers[0].facts_added == 0


def test_one_bad_ticker_never_stops_the_others(ingest_settings):
    bad = recorded_frame("AAPL.csv")
    bad.loc[pd.Timestamp("2025-01-27", tz=NY), "High"] = 1.0
    transport = RecordedYahoo({"AAPL": recorded_frame("AAPL.csv"), "MSFT": bad, "2330.TW": recorded_frame("2330.TW.csv")})
    report = ingest(ingest_settings, transport, tickers=("NOPE", "MSFT", "AAPL", "2330.TW"))
    assert report.status == "partial"
    status = {t.ticker: t.status for t in report.tickers}
    assert status == {"NOPE": "failed", "MSFT": "failed", "AAPL": "succeeded", "2330.TW": "succeeded"}
    rows = query(ingest_settings, "SELECT ticker, status, error FROM ingest_tickers ORDER BY ticker").rows()
    errors = {ticker: error for ticker, _, error in rows}
    assert "unknown or delisted" in errors["NOPE"]
    assert "2025-01-27" in errors["MSFT"] and "none stored" in errors["MSFT"]
    stored = query(ingest_settings, "SELECT DISTINCT ticker FROM prices ORDER BY ticker")["ticker"].to_list()
    assert stored == ["2330.TW", "AAPL"]
    run = query(ingest_settings, "SELECT status, error, (counts->>'tickers_failed')::INT AS failed FROM runs").rows()[0]
    assert run[0] == "partial" and run[2] == 2 and "NOPE" in run[1]


class Retries(IngestObserver):
    def __init__(self):
        self.waits: list[tuple[str, int, float]] = []

    def retrying(self, subject, attempt, wait, error):
        self.waits.append((subject, attempt, wait))


def test_a_rate_limited_source_is_retried_with_growing_waits_and_then_succeeds(ingest_settings):
    settings = replace(ingest_settings, ingest=replace(ingest_settings.ingest, retries=3, backoff=0.05, backoff_max=1.0))
    transport = RecordedYahoo({"AAPL": recorded_frame("AAPL.csv")}, failures={"AAPL": [rate_limited(), rate_limited()]})
    observer = Retries()
    started = time.monotonic()
    report = ingest(settings, transport, sleep=time.sleep, observer=observer, tickers=("AAPL",))
    elapsed = time.monotonic() - started
    assert report.status == "succeeded" and report.tickers[0].attempts == 3
    (_, a1, w1), (_, a2, w2) = observer.waits
    assert (a1, a2) == (1, 2)
    assert 0.025 <= w1 <= 0.05 and 0.05 <= w2 <= 0.1  # base * 2**(k-1), full jitter in [0.5, 1]
    gaps = [b[-1] - a[-1] for a, b in zip(transport.calls, transport.calls[1:])]
    assert gaps[0] >= w1 * 0.9 and gaps[1] >= w2 * 0.9  # the waits really happened
    assert elapsed < 5


def test_a_source_that_stays_rate_limited_fails_cleanly_within_a_bounded_time(ingest_settings):
    settings = replace(ingest_settings, ingest=replace(ingest_settings.ingest, retries=3, backoff=0.05, backoff_max=0.1))
    transport = RecordedYahoo(
        {"AAPL": recorded_frame("AAPL.csv"), "MSFT": recorded_frame("AAPL.csv")},
        failures={"AAPL": [rate_limited() for _ in range(10)]},
    )
    started = time.monotonic()
    report = ingest(settings, transport, sleep=time.sleep, tickers=("AAPL", "MSFT"))
    elapsed = time.monotonic() - started
    # 4 attempts, waits bounded by 0.05 + 0.1 + 0.1 = 0.25 s; the other ticker is not hammered
    assert elapsed < 0.25 + 3.0
    assert [c[1] for c in transport.calls] == ["AAPL"] * 4
    assert report.status == "failed"
    assert report.tickers[0].status == "failed" and report.tickers[0].attempts == 4 and report.tickers[0].transient
    assert report.tickers[1].status == "skipped" and "rate limit" in report.tickers[1].error
    assert query(settings, "SELECT status FROM runs")["status"].to_list() == ["failed"]


def test_without_network_the_run_fails_with_one_reason_and_is_recorded(ingest_settings):
    transport = RecordedYahoo({}, failures={"AAPL": [no_network() for _ in range(5)]})
    report = ingest(ingest_settings, transport, tickers=("AAPL", "MSFT", "NVDA"))
    assert report.status == "failed"
    assert report.error.startswith("cannot reach Yahoo Finance: Could not resolve host")
    assert "network" in report.hint
    assert len(transport.calls) == 3  # 1 + retries for the first ticker, then the source counts as down
    runs = query(ingest_settings, "SELECT status, error FROM runs").rows()
    assert runs == [("failed", report.error)]
    assert query(ingest_settings, "SELECT count(*) AS n FROM prices")["n"][0] == 0


def test_the_bar_of_an_open_session_is_stored_by_the_next_run(ingest_settings):
    transport = RecordedYahoo({"AAPL": recorded_frame("AAPL.csv")})
    during = ingest(ingest_settings, transport, clock=at(2025, 2, 14, 11, 0), tickers=("AAPL",))
    assert during.tickers[0].provisional == 1 and during.tickers[0].last_final_date == "2025-02-13"
    assert query(ingest_settings, "SELECT max(date) AS d FROM prices")["d"][0] == dt.date(2025, 2, 13)
    after = ingest(ingest_settings, transport, clock=AFTER_CLOSE, tickers=("AAPL",))
    assert after.tickers[0].facts_added == 2  # the bar and the moved cursor
    assert query(ingest_settings, "SELECT max(date) AS d FROM prices")["d"][0] == dt.date(2025, 2, 14)


def test_a_bounded_backfill_fetches_exactly_its_dates_and_leaves_the_cursor(ingest_settings):
    transport = RecordedYahoo({"AAPL": recorded_frame("AAPL.csv")})
    ingest(ingest_settings, transport, clock=AFTER_CLOSE, tickers=("AAPL",), since=dt.date(2025, 2, 3))
    cursor = query(ingest_settings, "SELECT last_final_date FROM ingest_cursors").rows()
    report = ingest(ingest_settings, transport, tickers=("AAPL",), since=dt.date(2025, 1, 6), until=dt.date(2025, 1, 10))
    assert transport.calls[-1][2:4] == (dt.date(2025, 1, 6), dt.date(2025, 1, 11))
    assert report.tickers[0].bars == 4 and report.tickers[0].window == "2025-01-06..2025-01-10 (backfill)"
    assert query(ingest_settings, "SELECT last_final_date FROM ingest_cursors").rows() == cursor
    assert query(ingest_settings, "SELECT min(date) AS d FROM prices")["d"][0] == dt.date(2025, 1, 6)


def test_a_ticker_known_from_a_file_import_is_read_over_its_stored_range_once(ingest_settings, tmp_path):
    from tracker.ingest.files import import_prices

    csv = tmp_path / "AAPL.csv"
    recorded = recorded_frame("AAPL.csv")
    factor = 0.99  # a file with dividend-adjusted closes (like some of the shipped sample)
    csv.write_text("date,open,high,low,close,volume\n" + "".join(
        f"{ts:%Y-%m-%d},{r.Open * factor},{r.High * factor},{r.Low * factor},{r.Close * factor},{r.Volume}\n"
        for ts, r in recorded.iloc[:20].iterrows()
    ))
    import_prices(ingest_settings, [csv])
    transport = RecordedYahoo({"AAPL": recorded})
    report = ingest(ingest_settings, transport, tickers=("AAPL",))
    assert report.tickers[0].window == "2025-01-02..2025-02-15 (adopt)"
    assert report.tickers[0].corrections == 20
    closes = query(ingest_settings, "SELECT close FROM prices WHERE ticker = 'AAPL' ORDER BY date")["close"].to_list()
    assert closes == recorded["Close"].tolist()  # one source: no false return where the file ended
    again = ingest(ingest_settings, transport, tickers=("AAPL",))
    assert again.tickers[0].window.endswith("(incremental)") and again.tickers[0].facts_added == 0
