"""The total-return views with dividend facts, and the module boundaries ingestion must keep."""

from __future__ import annotations

import ast
import datetime as dt
import io
from pathlib import Path

import pytest
from ingest_fixtures import at, no_sleep
from recorded_yahoo import RecordedYahoo, recorded_frame, sources_for

from tracker.ingest import IngestRequest, run_ingest
from tracker.storage import open_reader, open_writer
from warehouse.vocabulary import DividendObserved

REPO = Path(__file__).resolve().parents[3]


def test_returns_as_of_a_position_before_the_dividend_fact_omit_it(ingest_settings):
    run_ingest(ingest_settings, IngestRequest(tickers=("AAPL",), since=dt.date(2025, 2, 3), until=dt.date(2025, 2, 14)),
               sources=sources_for(RecordedYahoo({"AAPL": recorded_frame("AAPL.csv")})), clock=at(2025, 2, 14, 18), sleep=no_sleep)
    with open_reader(ingest_settings) as warehouse:
        dividend_seq = warehouse.query("SELECT seq FROM dividends")["seq"][0]
        ret = "SELECT ret FROM {} WHERE ticker = 'AAPL' AND date = '2025-02-10'"
        now = warehouse.query(ret.format("returns"))["ret"][0]
        before = warehouse.query(ret.format(f"returns_as_of({dividend_seq - 1})"))["ret"][0]
        same = warehouse.query(ret.format(f"returns_as_of({dividend_seq})"))["ret"][0]
    assert now == pytest.approx((226.2583 + 0.25) / 225.99 - 1, rel=1e-12)
    assert before == pytest.approx(226.2583 / 225.99 - 1, rel=1e-12)
    assert same == now


def test_bars_with_adj_close_keep_their_adjusted_returns_and_never_add_the_dividend_twice(ingest_settings, tmp_path):
    from tracker.ingest.files import import_prices

    csv = tmp_path / "XYZ.csv"
    csv.write_text("date,open,high,low,close,volume,adj_close\n"
                   "2025-02-07,100,101,99,100,1000,98\n2025-02-10,99,100,98,99,1000,98.5\n")
    import_prices(ingest_settings, [csv])
    with open_writer(ingest_settings) as warehouse:
        run = warehouse.start_run("test", {})
        with warehouse.transaction():
            warehouse.append_facts([DividendObserved(ticker="XYZ", date="2025-02-10", amount=1.0, source="test")], run)
            warehouse.catch_up()
    with open_reader(ingest_settings) as warehouse:
        row = warehouse.query("SELECT ret, basis FROM returns WHERE ticker = 'XYZ' AND date = '2025-02-10'").row(0)
    assert row == (pytest.approx(98.5 / 98 - 1, rel=1e-12), "adj_close")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_only_the_yahoo_adapter_imports_yfinance():
    importers = sorted(str(p.relative_to(REPO)) for p in (REPO / "tracker").rglob("*.py") if "yfinance" in _imports(p))
    assert importers == ["tracker/sources/yahoo.py"]
    assert "tracker" in _imports(REPO / "tracker" / "ingest" / "run.py")  # the scan sees imports


def test_the_progress_bar_renders_on_a_terminal(ingest_settings):
    from rich.console import Console

    from tracker.cli.progress import ProgressObserver

    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120)
    observer = ProgressObserver(console)
    run_ingest(ingest_settings, IngestRequest(tickers=("AAPL", "2330.TW")), observer=observer, clock=at(2025, 2, 14, 18), sleep=no_sleep,
               sources=sources_for(RecordedYahoo({"AAPL": recorded_frame("AAPL.csv"), "2330.TW": recorded_frame("2330.TW.csv")})))
    text = out.getvalue()
    assert "AAPL: 30 bar(s)" in text and "2330.TW: 9 bar(s)" in text and "succeeded" in text
    assert "\x1b[" in text  # drawn with terminal control codes
    assert observer.progress.tasks[0].completed == 2
