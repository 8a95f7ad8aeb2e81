"""The report's view of a study: headline wording, lead firm, panels, empty studies."""

from __future__ import annotations

import json

import pytest

from tracker.errors import ReportError
from tracker.reports.charts import car_path
from tracker.reports.model import report_view, reproduce_command
from tracker.reports.sections import firm_table, result_tables
from tracker.studies import StudyRequest, run_study

MINUS = "\u2212"
SELLOFF = "2025-01-27-deepseek-selloff"


def signed_pct(value: float, digits: int = 1) -> str:
    return f"{value * 100:+.{digits}f}%".replace("-", MINUS)


@pytest.fixture(scope="module")
def selloff(report_settings) -> dict:
    tickers = ("NVDA", "AVGO", "AAPL", "MSFT", "VST", "NEWCO")
    return json.loads(run_study(report_settings, StudyRequest(event_id=SELLOFF, tickers=tickers, window=(0, 0))).to_json())


def test_one_day_headline_names_the_lead_firm_with_the_study_numbers(selloff):
    view = report_view(selloff, lead="nvda")
    nvda = next(f for f in selloff["firms"] if f["ticker"] == "NVDA")
    band = selloff["aggregate"]["caar_band"]["days"][0]
    t = f"{nvda['car_t_clm']:.1f}".replace("-", MINUS)
    assert view.headline == (
        f"NVDA's abnormal return on 2025-01-27 was {signed_pct(nvda['car'])} (t = {t}). "
        f"Across the {len(selloff['firms'])} firms the average abnormal return was {signed_pct(selloff['aggregate']['caar'])} "
        f"(95% band {signed_pct(band['lower'])} to {signed_pct(band['upper'])})."
    )


def test_default_lead_is_the_firm_with_the_largest_absolute_t(selloff):
    strongest = max(selloff["firms"], key=lambda f: abs(f["car_t_clm"]))
    assert report_view(selloff).lead_ticker == strongest["ticker"]
    assert report_view(selloff).headline.startswith(f"{strongest['ticker']}'s abnormal return")


def test_a_lead_that_was_not_studied_is_refused_with_the_reason(selloff):
    with pytest.raises(ReportError, match=r"--lead NEWCO is not among the studied firms \(it was skipped: only \d+ estimation-window returns"):
        report_view(selloff, lead="NEWCO")
    with pytest.raises(ReportError, match="the studied firms are AAPL, AVGO, MSFT, NVDA, VST"):
        report_view(selloff, lead="TSLA")


def test_car_path_starts_at_zero_and_ends_at_the_study_car(rendered):
    view = report_view(rendered.study)
    for firm in view.window.firms:
        path = car_path(firm)
        assert path[0] == 0.0 and len(path) == len(view.window.offsets) + 1
        assert path[-1] == pytest.approx(firm.car, abs=1e-15)


def test_reproduce_command_names_every_option_and_the_log_position(rendered):
    command = reproduce_command(report_view(rendered.study))
    study = rendered.study
    assert command == (
        f"tracker study 2025-01-20-deepseek-r1 --tickers AAPL,AVGO,META,MSFT,NEWCO,NVDA,TSM --market SPY --model market "
        f"--estimation -250,-11 --window 0,4 --min-obs {study['min_obs']} --as-of {study['log_position']}"
    )


def test_panel_view_reports_the_caar_and_shows_day0_per_firm(report_settings, tmp_path):
    events = tmp_path / "panel.csv"
    events.write_text("ticker,event_date\nNVDA,2024-08-29\nNVDA,2024-11-21\nAVGO,2024-12-13\nAAPL,2024-09-10\n")
    study = json.loads(run_study(report_settings, StudyRequest(events_file=events, window=(-1, 1))).to_json())
    view = report_view(study)
    assert view.is_panel and view.common_day0 is None and not view.clustered
    band = study["aggregate"]["caar_band"]["days"][-1]
    assert view.headline == (
        f"Across 4 firm-events from panel.csv, the cumulative average abnormal return over days {MINUS}1 to +1 was "
        f"{signed_pct(study['aggregate']['caar'], 2)} (95% band {signed_pct(band['lower'])} to {signed_pct(band['upper'])})."
    )
    table = firm_table(view, view.window)
    assert table.columns[:2] == ("Ticker", "Day 0")
    assert sorted(row[1].text for row in table.rows) == sorted(f["day0"] for f in study["firms"])
    assert reproduce_command(view).startswith("tracker study --events-file panel.csv --market SPY")


def test_a_study_with_no_firm_event_says_so(report_settings):
    request = StudyRequest(event_id="2024-05-13-openai-gpt-4o", tickers=("NVDA", "AAPL"), min_obs=240)
    study = json.loads(run_study(report_settings, request).to_json())
    assert study["aggregate"]["n"] == 0 and study["aggregate"]["caar_band"] is None
    view = report_view(study)
    assert view.headline == "No firm-event could be studied: all 2 were skipped (reasons under Data provenance)."
    assert result_tables(view, view.window) == []


def test_renderers_show_every_window_of_a_view(rendered):
    """Several windows per study (coming with the statistics engine) need only ``_windows`` to change."""
    from dataclasses import replace

    from tracker.reports.html import render_html
    from tracker.reports.markdown import render_markdown

    view = report_view(rendered.study)
    two = replace(view, windows=(view.window, view.window))
    html = render_html(two, [{}, {}], "{}")
    assert 'id="table-firms"' in html and 'id="table-firms-2"' in html and 'id="table-tests-2"' in html
    assert html.count("<h3>Days 0 to +4</h3>") == 2
    assert "Event windows" in html
    markdown = render_markdown(two, [{}, {"car_paths": "r-car-paths-2.png"}])
    assert markdown.count("### Days 0 to +4") == 2 and "](r-car-paths-2.png)" in markdown


def test_long_firm_tables_show_the_extremes_and_say_so(rendered, monkeypatch):
    from tracker.reports import sections

    monkeypatch.setattr(sections, "MAX_FIRM_ROWS", 4)
    view = report_view(rendered.study)
    table = sections.firm_table(view, view.window)
    cars = sorted(f["car"] for f in rendered.study["firms"])
    assert [row[-4].value for row in table.rows] == cars[:2] + cars[-2:]
    assert table.notes[0].startswith(f"Showing the 2 lowest and 2 highest CARs of {len(cars)} firm-events")


def test_long_windows_move_the_daily_ars_to_their_own_table(report_settings):
    from tracker.reports.sections import firm_ar_table

    request = StudyRequest(event_id="2025-01-20-deepseek-r1", tickers=("NVDA", "AAPL", "MSFT"), window=(-2, 6))
    study = json.loads(run_study(report_settings, request).to_json())
    view = report_view(study)
    assert not any(c.startswith("AR(") for c in firm_table(view, view.window).columns)
    table = firm_ar_table(view, view.window)
    assert table.columns == ("Ticker", *(f"AR({o})" for o in (f"{MINUS}2", f"{MINUS}1", "0", "+1", "+2", "+3", "+4", "+5", "+6")))
    firms = {f["ticker"]: f for f in study["firms"]}
    for row in table.rows:
        assert [cell.value for cell in row[1:]] == [day["ar"] for day in firms[row[0].text]["ar"]]
