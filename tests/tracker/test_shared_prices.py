"""The full real price files of ../shared (per-ticker CSVs with adj_close); skipped on a fresh clone."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import CATALOGUE
from tracker.ingest.files import import_catalogue, import_prices
from tracker.study.request import StudyRequest, run_study
from warehouse import Warehouse

pytestmark = pytest.mark.shared


@pytest.fixture
def full_warehouse(settings, shared_data):
    report = import_prices(settings, [shared_data / "prices"])
    import_catalogue(settings, CATALOGUE)
    assert report.rejected == () and report.tickers == 25
    return settings


def test_deepseek_day_returns_match_published_moves(full_warehouse):
    with Warehouse.open(full_warehouse.db, read_only=True) as wh:
        rows = dict(wh.query(
            "SELECT ticker, ret FROM returns WHERE date = '2025-01-27'"
        ).rows())
        basis = wh.query("SELECT DISTINCT basis FROM returns WHERE ticker = 'NVDA' AND ret IS NOT NULL")["basis"].to_list()
    assert basis == ["adj_close"]
    published = {"NVDA": -0.1697, "AVGO": -0.1740, "AAPL": 0.0318, "MSFT": -0.0214, "TSM": -0.1333,
                 "VST": -0.2827, "CEG": -0.2085, "GSPC": -0.0146, "IXIC": -0.0307}
    for ticker, move in published.items():
        assert rows[ticker] == pytest.approx(move, abs=0.003), ticker  # ±0.3 pp as the notes advise


def test_gspc_as_market_and_ipo_skips(full_warehouse):
    result = run_study(full_warehouse, StudyRequest(
        event_id="2023-07-18-meta-llama-2", tickers=("META", "MSFT", "ARM", "CEG"), market="GSPC", window=(-1, 1),
    ))
    assert sorted(fe.ticker for fe in result.firm_events) == ["CEG", "META", "MSFT"]
    [skipped] = result.skipped
    assert skipped.ticker == "ARM" and "2023-09-14" in skipped.reason
    assert result.firm_events[0].day0 == dt.date(2023, 7, 18)


def test_reimporting_the_folder_adds_nothing(full_warehouse, shared_data):
    again = import_prices(full_warehouse, [shared_data / "prices"])
    assert again.added == 0 and again.unchanged == again.bars_read > 40_000
