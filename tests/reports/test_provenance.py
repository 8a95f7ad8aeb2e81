"""Provenance is read at the study's own log position: a later correction shows up only after it."""

from __future__ import annotations

import json

from tracker.ingest.files import import_prices
from tracker.reports.provenance import collect_provenance
from tracker.storage import open_reader
from tracker.study.request import StudyRequest, run_study


def test_a_correction_is_a_new_source_at_head_and_absent_as_of_before_it(sample_settings, tmp_path):
    request = StudyRequest(event_id="2025-01-27-deepseek-selloff", tickers=("NVDA", "AAPL"), window=(0, 0))
    before_result = run_study(sample_settings, request)
    before = json.loads(before_result.to_json())

    correction = tmp_path / "fix.csv"
    correction.write_text("ticker,date,open,high,low,close,volume\nNVDA,2025-01-24,148.0,148.5,141.0,142.60,234000000\n")
    import_prices(sample_settings, [correction], source="vendor fix 2025-02")
    after_result = run_study(sample_settings, request)
    after = json.loads(after_result.to_json())
    again_result = run_study(sample_settings, StudyRequest(**{**request.__dict__, "as_of": before["log_position"]}))
    again = json.loads(again_result.to_json())
    assert after["log_position"] > before["log_position"] and again == before

    with open_reader(sample_settings) as warehouse:
        now = collect_provenance(warehouse, after_result)
        then = collect_provenance(warehouse, again_result)

    assert then.log_position == before["log_position"] and then.log_head == now.log_head == after["log_position"]
    assert [s.source for s in then.price_sources] == [s.source for s in now.price_sources if s.source != "vendor fix 2025-02"]
    fix = next(s for s in now.price_sources if s.source == "vendor fix 2025-02")
    assert fix.tickers == ("NVDA",) and fix.bars == 1 and str(fix.first_date) == "2025-01-24"
    assert fix.runs[0][1] == "import prices"
    original = next(s for s in now.price_sources if s.source != "vendor fix 2025-02")
    assert original.bars == next(s for s in then.price_sources).bars - 1  # the corrected bar moved to the fix
    assert set(original.tickers) == {"NVDA", "AAPL", "SPY"} and now.tickers_without_bars == ()
