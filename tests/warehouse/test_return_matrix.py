"""The dense return matrix the study reads equals the documented ``returns`` view, also as of an earlier position."""

from __future__ import annotations

import datetime as dt

import numpy as np

from tracker.ingest.files import import_prices
from tracker.storage import open_reader, open_writer
from warehouse.vocabulary import CapitalGainObserved, DividendObserved


def _view(warehouse, tickers, first, last, position):
    relation = "returns" if position == warehouse.position() else f"returns_as_of({position})"
    out = np.full((len(tickers), last - first + 1), np.nan)
    rows = warehouse.con.execute(
        f"SELECT ticker, session, ret FROM {relation} WHERE session BETWEEN ? AND ? AND ret IS NOT NULL", [first, last]
    ).fetchall()
    for ticker, session, ret in rows:
        if ticker in tickers:
            out[tickers.index(ticker), session - first] = ret
    return out


def test_matches_the_returns_view(settings, tmp_path):
    prices = tmp_path / "prices.csv"
    prices.write_text(
        "ticker,date,open,high,low,close,volume,adj_close\n"
        "AAA,2025-01-21,10,10,10,10,1,9.5\n"
        "AAA,2025-01-22,11,11,11,11,1,10.6\n"
        "AAA,2025-01-23,12,12,12,12,1,\n"        # no adj_close: this return and the next use close
        "AAA,2025-01-24,11,11,11,11,1,10.5\n"
        "AAA,2025-01-28,12,12,12,12,1,11.6\n"    # no bar on 01-27: that return and 01-28's are missing
        "BBB,2025-01-22,20,20,20,20,1,\n"
        "BBB,2025-01-23,21,21,21,21,1,\n"
        "BBB,2025-01-24,22,22,22,22,1,\n"
        "CCC,2025-01-22,30,30,30,30,1,\n"       # ingested-style bars (no adj_close) with dividends
        "CCC,2025-01-23,29,29,29,29,1,\n"
        "CCC,2025-01-24,29,29,29,29,1,\n"
    )
    first = import_prices(settings, [prices])
    correction = tmp_path / "correction.csv"
    correction.write_text("ticker,date,open,high,low,close,volume,adj_close\nBBB,2025-01-23,23,23,23,23,1,\n")
    corrected = import_prices(settings, [correction])
    dividends = [("CCC", "2025-01-23", DividendObserved, 0.5), ("CCC", "2025-01-23", CapitalGainObserved, 0.25),
                 ("AAA", "2025-01-22", DividendObserved, 5.0),  # AAA has adj_close there: not added twice
                 ("CCC", "2025-01-25", DividendObserved, 1.0)]  # a Saturday: no session, no return
    with open_writer(settings) as warehouse:
        run = warehouse.start_run("test", {})
        with warehouse.transaction():
            warehouse.append_facts([
                kind(ticker=ticker, date=date, amount=amount, source="test") for ticker, date, kind, amount in dividends
            ], run)
            warehouse.catch_up()
        warehouse.finish_run(run, "succeeded", {})
    with open_reader(settings) as warehouse:
        calendar = warehouse.calendar()
        lo = calendar.index_of(dt.date(2025, 1, 17))
        hi = lo + 10
        tickers = ["AAA", "BBB", "NONE", "CCC"]
        for position in (warehouse.position(), first.head, corrected.head):  # head: with dividends
            matrix = warehouse.return_matrix(tickers, lo, hi, position)
            np.testing.assert_array_equal(np.isnan(matrix), np.isnan(_view(warehouse, tickers, lo, hi, position)))
            np.testing.assert_allclose(matrix, _view(warehouse, tickers, lo, hi, position), rtol=1e-15)
        current = warehouse.return_matrix(tickers, lo, hi, warehouse.position())
        assert np.isfinite(current[0]).sum() == 3 and np.isnan(current[2]).all()
        day = calendar.index_of(dt.date(2025, 1, 23)) - lo
        assert current[3, day] == (29 + 0.75) / 30 - 1
        assert current[0, day - 1] == 10.6 / 9.5 - 1
