"""The report's view of a study: headline wording, lead firm, panels, empty studies."""

from __future__ import annotations

import json

import pytest

from tracker.analysis import TEST_NAMES
from tracker.errors import ReportError
from tracker.reports.charts import car_path
from tracker.reports.view import report_view, reproduce_command
from tracker.reports.sections import firm_table, result_tables
from tracker.study.request import StudyRequest, run_study

MINUS = "\u2212"
SELLOFF = "2025-01-27-deepseek-selloff"


def signed_pct(value: float, digits: int = 1) -> str:
    return f"{value * 100:+.{digits}f}%".replace("-", MINUS)


@pytest.fixture(scope="module")
def selloff_result(report_settings):
    tickers = ("NVDA", "AVGO", "AAPL", "MSFT", "VST", "NEWCO")
    return run_study(report_settings, StudyRequest(event_id=SELLOFF, tickers=tickers, window=(0, 0)))


@pytest.fixture(scope="module")
def selloff(selloff_result) -> dict:
    """The same study's JSON document, parsed: what the view's numbers must equal."""
    return json.loads(selloff_result.to_json())


def test_one_day_headline_names_the_lead_firm_with_the_study_numbers(selloff, selloff_result):
    view = report_view(selloff_result, lead="nvda")
    nvda = next(f for f in selloff["firms"] if f["ticker"] == "NVDA")
    band = selloff["aggregate"]["caar_band"]["days"][0]
    t = f"{nvda['car_t_clm']:.1f}".replace("-", MINUS)
    assert view.headline == (
        f"NVDA's abnormal return on 2025-01-27 was {signed_pct(nvda['car'])} (t = {t}). "
        f"Across the {len(selloff['firms'])} firms the average abnormal return was {signed_pct(selloff['aggregate']['caar'])} "
        f"(95% band {signed_pct(band['lower'])} to {signed_pct(band['upper'])})."
    )


def test_default_lead_is_the_firm_with_the_largest_absolute_t(selloff, selloff_result):
    strongest = max(selloff["firms"], key=lambda f: abs(f["car_t_clm"]))
    assert report_view(selloff_result).lead_ticker == strongest["ticker"]
    assert report_view(selloff_result).headline.startswith(f"{strongest['ticker']}'s abnormal return")


def test_a_lead_that_was_not_studied_is_refused_with_the_reason(selloff_result):
    with pytest.raises(ReportError, match=r"--lead NEWCO is not among the studied firms \(it was skipped: only \d+ of 240 estimation days usable"):
        report_view(selloff_result, lead="NEWCO")
    with pytest.raises(ReportError, match="the studied firms are AAPL, AVGO, MSFT, NVDA, VST"):
        report_view(selloff_result, lead="TSLA")


def test_car_path_starts_at_zero_and_ends_at_the_study_car(rendered):
    view = report_view(rendered.result)
    for firm in view.window.firms:
        path = car_path(firm)
        assert path[0] == 0.0 and len(path) == len(view.window.offsets) + 1
        assert path[-1] == pytest.approx(firm.car, abs=1e-15)


def test_reproduce_command_names_every_option_and_the_log_position(rendered):
    command = reproduce_command(report_view(rendered.result))
    study = rendered.study
    assert command == (
        f"tracker study 2025-01-20-deepseek-r1 --tickers AAPL,AVGO,META,MSFT,NEWCO,NVDA,TSM --market SPY --model market "
        f"--estimation -250,-11 --window 0,4 --window -1,1 --min-obs {study['min_obs']} --as-of {study['log_position']}"
    )


def test_reproduce_command_recomputes_the_same_json(rendered, cli):
    """The command the report prints gives back the study's JSON, byte for byte."""
    import shlex

    args = shlex.split(reproduce_command(report_view(rendered.result)))[1:]
    result = cli(*args, "--db", rendered.settings.db, "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stdout == rendered.result.to_json()


def test_reproduce_command_names_the_model_and_the_excluded_events(report_settings):
    request = StudyRequest(event_id=SELLOFF, tickers=("NVDA", "AAPL"), windows=((0, 0),), model="market-adjusted",
                           exclude_events=("earnings",), exclude_within=2)
    command = reproduce_command(report_view(run_study(report_settings, request)))
    assert "--model market-adjusted" in command and "--exclude-events earnings --exclude-within 2" in command


def test_panel_view_reports_the_caar_and_shows_day0_per_firm(report_settings, tmp_path):
    events = tmp_path / "panel.csv"
    events.write_text("ticker,event_date\nNVDA,2024-08-29\nNVDA,2024-11-21\nAVGO,2024-12-13\nAAPL,2024-09-10\n")
    study_result = run_study(report_settings, StudyRequest(events_file=events, window=(-1, 1)))
    study = json.loads(study_result.to_json())
    view = report_view(study_result)
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
    # the portfolio test needs one calendar window: the study says why it is undefined, and so does the table
    from tracker.reports.sections import test_table

    portfolio = study["aggregate"]["tests"]["portfolio_t"]
    assert portfolio["stat"] is None and "do not share day 0" in portfolio["reason"]
    row = next(r for r in test_table(view, view.window).rows if r[0].value == "portfolio_t")
    assert row[1].text == f"\u2014 ({portfolio['reason']})"
    assert [t.name for t in view.window.tests] == list(study["aggregate"]["tests"])  # not clustered: the study's order


def test_a_study_with_no_firm_event_says_so(report_settings):
    request = StudyRequest(event_id="2024-05-13-openai-gpt-4o", tickers=("NVDA", "AAPL"), min_obs=240)
    study_result = run_study(report_settings, request)
    study = json.loads(study_result.to_json())
    assert study["aggregate"]["n"] == 0 and study["aggregate"]["caar_band"] is None
    view = report_view(study_result)
    assert view.headline == "No firm-event could be studied: all 2 were skipped (reasons under Data provenance)."
    assert result_tables(view, view.window) == []


def test_each_window_keeps_its_own_firms_tests_band_and_skips(report_settings):
    """Three windows, one study: each window's view holds exactly its own block of the JSON."""
    request = StudyRequest(event_id=SELLOFF, tickers=("NVDA", "AAPL", "MSFT", "NEWCO"), windows=((0, 0), (-5, 5), (-1, 1)))
    study_result = run_study(report_settings, request)
    study = json.loads(study_result.to_json())
    view = report_view(study_result)
    assert [w.window for w in view.windows] == [(0, 0), (-5, 5), (-1, 1)]
    for w, block in zip(view.windows, study["by_window"], strict=True):
        assert [f.ticker for f in w.firms] == [f["ticker"] for f in block["firms"]]
        assert w.n == block["aggregate"]["n"] and w.caar == block["aggregate"]["caar"]
        assert [t.name for t in w.tests][0] == "portfolio_t" and len(w.tests) == len(TEST_NAMES)
        assert [d.upper for d in w.days] == [d["upper"] for d in block["aggregate"]["caar_band"]["days"]]
    # -5..+5 covers the other two: one chart of CAR paths, CAR bars for every window
    assert [w.window for w in view.path_windows] == [(-5, 5)]
    assert view.widest.window == (-5, 5)
    # the first window is the primary one: headline and lead come from it, the others follow
    assert view.headline.startswith(f"{view.lead_ticker}'s abnormal return on 2025-01-27 was")
    assert f" over days {MINUS}5 to +5" in view.headline and f" over days {MINUS}1 to +1" in view.headline


def test_windows_outside_the_widest_get_their_own_path_chart(rendered):
    from tracker.reports.writer import window_charts

    view = report_view(rendered.result)
    assert [w.window for w in view.path_windows] == [(0, 4), (-1, 1)]
    assert [sorted(window_charts(view, w)) for w in view.windows] == [["car_bars", "car_paths"]] * 2


def test_long_firm_tables_show_the_extremes_and_say_so(rendered, monkeypatch):
    from tracker.reports import sections

    monkeypatch.setattr(sections, "MAX_FIRM_ROWS", 4)
    view = report_view(rendered.result)
    table = sections.firm_table(view, view.window)
    cars = sorted(f["car"] for f in rendered.study["firms"])
    assert [row[-4].value for row in table.rows] == cars[:2] + cars[-2:]  # CAR, t, p, marks
    assert table.notes[0].startswith(f"Showing the 2 lowest and 2 highest CARs of {len(cars)} firm-events")


def test_long_windows_move_the_daily_ars_to_their_own_table(report_settings):
    from tracker.reports.sections import firm_ar_table

    request = StudyRequest(event_id="2025-01-20-deepseek-r1", tickers=("NVDA", "AAPL", "MSFT"), window=(-2, 6))  # one window
    study_result = run_study(report_settings, request)
    study = json.loads(study_result.to_json())
    view = report_view(study_result)
    assert not any(c.startswith("AR(") for c in firm_table(view, view.window).columns)
    table = firm_ar_table(view, view.window)
    assert table.columns == ("Ticker", *(f"AR({o})" for o in (f"{MINUS}2", f"{MINUS}1", "0", "+1", "+2", "+3", "+4", "+5", "+6")))
    firms = {f["ticker"]: f for f in study["firms"]}
    for row in table.rows:
        assert [cell.value for cell in row[1:]] == [day["ar"] for day in firms[row[0].text]["ar"]]
