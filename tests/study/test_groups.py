"""Groups of firm-events compared: each group's own battery, the difference of CAARs with a
long-short portfolio t and a Binder regression t checked against an independent statsmodels
computation, the cross-sectional regression of CARs, and every output that shows them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from pathlib import Path

import numpy as np
import pytest
import statsmodels.api as sm

from tests.conftest import SAMPLE_PRICES
from tests.study import independent
from tracker.errors import StudyError
from tracker.study import StudyRequest, run_study

SELLOFF = dt.date(2025, 1, 27)
CHIPS = ("NVDA", "AVGO", "TSM", "MRVL", "MU")
ACCEPTANCE = ("--kind", "model_release", "--group", "chips=NVDA,AVGO,TSM,MRVL,MU", "--group", "apple=AAPL",
              "--window", "0,0", "--window", "0,20")


@pytest.fixture(scope="module")
def sample_returns():
    return independent.read_returns(SAMPLE_PRICES)


def _long_short_by_hand(sessions, returns, long, short, day0, window):
    """The long-short portfolio as one security: statsmodels OLS on SPY, CAR and its corrected t."""
    d0 = sessions.index(day0)
    est = np.arange(d0 - 250, d0 - 10)
    win = np.arange(d0 + window[0], d0 + window[1] + 1)
    y = np.mean([returns[t] for t in long], axis=0) - np.mean([returns[t] for t in short], axis=0)
    x = sm.add_constant(returns["SPY"][est])
    fit = sm.OLS(y[est], x).fit()
    x_e = sm.add_constant(returns["SPY"][win], has_constant="add")
    car = float((y[win] - fit.predict(x_e)).sum())
    ones = x_e.sum(axis=0)
    variance = fit.scale * (len(win) + ones @ np.linalg.inv(x.T @ x) @ ones)
    return car, car / math.sqrt(variance), int(fit.df_resid)


@pytest.mark.parametrize("window", [(0, 0), (0, 20)])
def test_difference_on_a_shared_day0_equals_an_independent_long_short_portfolio(sample_settings, sample_returns, window):
    sessions, returns = sample_returns
    request = StudyRequest(event_id="2025-01-27-deepseek-selloff", groups=(("chips", CHIPS), ("apple", ("AAPL",))),
                           windows=(window,))
    result = run_study(sample_settings, request)
    [difference] = result.group_differences
    chips = [t for t in CHIPS if t != "MRVL"]  # the shipped sample has no MRVL: skipped, not refused
    car, t, df = _long_short_by_hand(sessions, returns, chips, ["AAPL"], SELLOFF, window)
    assert (difference.first, difference.second, difference.n_first, difference.n_second) == ("chips", "apple", 4, 1)
    assert difference.difference == pytest.approx(car, rel=1e-9)
    assert difference.long_short_car == pytest.approx(car, rel=1e-9)
    for name in ("long_short_t", "binder_t"):  # one day 0, complete data: the two views agree
        assert difference.tests[name].stat == pytest.approx(t, rel=1e-8)
        assert difference.tests[name].df == df
    assert difference.difference == pytest.approx(result.groups["chips"].first.caar - result.groups["apple"].first.caar, rel=1e-12)
    assert any(s.ticker == "MRVL" and "no prices" in s.reason for s in result.groups["chips"].skipped)


def test_binder_covariance_with_firm_events_on_different_dates_equals_the_g_vector_form(sample_settings, sample_returns, tmp_path):
    """Firm-events whose windows fall in each other's estimation windows: Omega_ij = sigma_ij g_i'g_j."""
    sessions, returns = sample_returns
    rows = [("NVDA", "2025-01-27", "chips"), ("MU", "2024-12-19", "chips"), ("AVGO", "2024-12-13", "chips"),
            ("AAPL", "2025-01-27", "apple"), ("MSFT", "2024-12-19", "apple"), ("AAPL", "2024-12-13", "apple")]
    path = tmp_path / "firm_events.csv"
    path.write_text("ticker,event_date,group\n" + "".join(f"{t},{d},{g}\n" for t, d, g in rows))
    window = (0, 5)
    result = run_study(sample_settings, StudyRequest(events_file=path, windows=(window,)))
    [difference] = result.group_differences
    fits = [independent.market_model(sessions, returns, t, dt.date.fromisoformat(d), window=window) for t, d, _ in rows]
    groups = np.array([g for _, _, g in rows])
    c = np.where(groups == "chips", 1 / 3, -1 / 3)
    omega = independent.covariance(fits)
    assert difference.difference == pytest.approx(float(c @ [f.car for f in fits]), rel=1e-9)
    assert difference.binder_se == pytest.approx(math.sqrt(c @ omega @ c), rel=1e-8)
    # three day 0s each with both groups: the long-short t averages three portfolios
    assert difference.long_short_days == 3
    by_hand = [_long_short_by_hand(sessions, returns, [t for t, d, g in rows if d == day and g == "chips"],
                                   [t for t, d, g in rows if d == day and g == "apple"], dt.date.fromisoformat(day), window)
               for day in ("2024-12-13", "2024-12-19", "2025-01-27")]
    assert difference.long_short_car == pytest.approx(np.mean([b[0] for b in by_hand]), rel=1e-9)


def test_each_group_gets_the_full_battery_of_a_study_of_its_own_tickers(sample_settings):
    grouped = run_study(sample_settings, StudyRequest(event_id="2025-01-27-deepseek-selloff",
                                                      groups=(("chips", ("NVDA", "AVGO", "TSM", "MU")), ("big", ("AAPL", "MSFT", "GOOGL")))))
    alone = run_study(sample_settings, StudyRequest(event_id="2025-01-27-deepseek-selloff", tickers=("AAPL", "MSFT", "GOOGL")))
    mine = grouped.groups["big"].to_dict()["aggregate"]
    theirs = alone.to_dict()["aggregate"]
    assert mine["tests"] == theirs["tests"] and mine["caar"] == theirs["caar"]
    assert {fe.group for fe in grouped.firm_events} == {"chips", "big"}


def test_reference_figures_on_the_shared_prices(shared_data, tmp_path, cli):
    """The issue's reference: NVDA, AVGO, TSM, MRVL, MU minus AAPL on 2025-01-27, market model vs SPY:
    dCAR(0,0) about -16.8%, t about -7.2; and equal to an independent computation on the same files."""
    from tracker.config import Settings
    from tracker.ingest.files import import_catalogue, import_prices
    from tests.conftest import CATALOGUE

    settings = Settings(db=tmp_path / "shared.duckdb", lock_timeout=5.0)
    import_catalogue(settings, CATALOGUE)
    import_prices(settings, sorted((shared_data / "prices").glob("*.csv")))
    result = run_study(settings, StudyRequest(event_id="2025-01-27-deepseek-selloff", windows=((0, 0),),
                                              groups=(("chips", CHIPS), ("apple", ("AAPL",)))))
    [difference] = result.group_differences
    assert difference.n_first == 5
    assert round(difference.difference, 3) == -0.168
    assert round(difference.tests["long_short_t"].stat, 1) == -7.2
    sessions, returns = independent.read_shared_returns(shared_data / "prices")
    car, t, _ = _long_short_by_hand(sessions, returns, CHIPS, ["AAPL"], SELLOFF, (0, 0))
    assert difference.difference == pytest.approx(car, rel=1e-9)
    assert difference.tests["binder_t"].stat == pytest.approx(t, rel=1e-8)
    run = cli("study", *ACCEPTANCE, "--db", settings.db)  # the command, on the full prices (MRVL included)
    assert run.exit_code == 0, run.output
    assert "Groups side by side, days 0 to +20" in run.output and "chips − apple" in run.output
    assert "no prices for MRVL" not in run.output


# -- the command line -------------------------------------------------------------------------------

def test_the_acceptance_command_prints_both_groups_their_difference_and_its_test(cli, sample_settings):
    run = cli("study", *ACCEPTANCE, "--db", sample_settings.db)
    assert run.exit_code == 0, run.output
    out = run.output
    assert "Groups side by side, day 0" in out and "Groups side by side, days 0 to +20" in out
    assert "chips − apple" in out
    assert "Long-short portfolio t" in out and "Binder regression t" in out
    assert "no prices for MRVL" in out  # an unknown group ticker is skipped with a note


def test_group_outputs_json_csv_parquet_markdown_html(cli, sample_settings, tmp_path):
    import polars as pl

    run = cli("study", *ACCEPTANCE, "--db", sample_settings.db, "--format", "json")
    assert run.exit_code == 0, run.output
    document = json.loads(run.output)
    assert list(document["groups"]) == ["chips", "apple"]
    assert [d["window"] for d in document["group_differences"]] == [[0, 0], [0, 20]]
    assert {f["group"] for f in document["firms"]} == {"chips", "apple"}

    run = cli("study", *ACCEPTANCE, "--db", sample_settings.db, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(run.output)))
    assert {r["group"] for r in rows} == {"chips", "apple"}

    out = tmp_path / "study.csv"
    run = cli("study", *ACCEPTANCE, "--db", sample_settings.db, "--format", "csv", "--out", out)
    assert run.exit_code == 0, run.output
    tests = list(csv.DictReader(open(tmp_path / "study.tests.csv")))
    assert {r["group"] for r in tests} >= {"", "chips", "apple", "chips − apple"}
    assert {r["test"] for r in tests if r["group"] == "chips − apple"} == {"long_short_t", "binder_t"}

    run = cli("study", *ACCEPTANCE, "--db", sample_settings.db, "--format", "parquet", "--out", tmp_path / "r.parquet")
    assert run.exit_code == 0, run.output
    frame = pl.read_parquet(tmp_path / "r.tests.parquet")
    assert frame.filter(pl.col("test") == "long_short_t").height == 2
    assert pl.read_parquet(tmp_path / "r.parquet")["group"].unique().sort().to_list() == ["apple", "chips"]
    assert cli("study", *ACCEPTANCE, "--db", sample_settings.db, "--format", "parquet").exit_code != 0  # needs --out

    run = cli("report", *ACCEPTANCE, "--db", sample_settings.db, "--out", tmp_path / "r.md")
    assert run.exit_code == 0, run.output
    markdown = (tmp_path / "r.md").read_text()
    assert "## Groups" in markdown and "|  | chips | apple | chips − apple |" in markdown
    assert "--group chips=NVDA,AVGO,TSM,MRVL,MU --group apple=AAPL" in markdown  # the reproduce command keeps the groups
    [chart] = tmp_path.glob("r-caar-by-group*.png")  # of the widest window
    assert chart.stat().st_size > 10_000 and chart.name in markdown
    assert not list(tmp_path.glob("r-car-paths*.png"))  # the group chart replaces the tangle of firm lines


def test_group_names_from_outside_are_escaped(cli, sample_settings, tmp_path):
    name = "<script>alert(1)</script>"
    run = cli("report", "2025-01-27-deepseek-selloff", "--group", f"{name}=NVDA,AVGO", "--group", "b|c=AAPL",
              "--db", sample_settings.db, "--out", tmp_path / "r.html")
    assert run.exit_code == 0, run.output
    html = (tmp_path / "r.html").read_text()
    body = html.split('<script type="application/json"')[0]
    assert "<script>alert" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    run = cli("report", "2025-01-27-deepseek-selloff", "--group", f"{name}=NVDA", "--group", "b|c=AAPL",
              "--db", sample_settings.db, "--out", tmp_path / "r.md")
    assert "b\\|c" in (tmp_path / "r.md").read_text()


@pytest.mark.parametrize("args, message", [
    (("--group", "a=NVDA,AVGO", "--group", "b=AVGO"), "AVGO is in two groups"),
    (("--group", "a=NVDA", "--tickers", "AAPL"), "leave out --tickers"),
    (("--group", "chips"), "NAME=TICKER"),
    (("--group", "a=NVDA", "--group", "a=AAPL"), "given twice"),
    (("--group", "a=SPY"), "market benchmark"),
    (("--group", "a=N$VDA"), "not a valid symbol"),
])
def test_bad_groups_are_refused_with_what_to_do(cli, sample_settings, args, message):
    run = cli("study", "2025-01-27-deepseek-selloff", *args, "--db", sample_settings.db)
    assert run.exit_code != 0
    assert message in run.output


def test_an_events_file_group_column_gives_the_groups(cli, sample_settings, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("ticker,event_date,group\nNVDA,2025-01-27,chips\nAVGO,2025-01-27,chips\nAAPL,2025-01-27,apple\n")
    run = cli("study", "--events-file", path, "--window", "0,0", "--db", sample_settings.db, "--format", "json")
    assert run.exit_code == 0, run.output
    document = json.loads(run.output)
    assert list(document["groups"]) == ["chips", "apple"]
    path.write_text("ticker,event_date,group\nNVDA,2025-01-27,chips\nAAPL,2025-01-27,\n")
    run = cli("study", "--events-file", path, "--window", "0,0", "--db", sample_settings.db)
    assert run.exit_code != 0 and "belongs to no group" in run.output


# -- cross-sectional regression -------------------------------------------------------------------

def _characteristics(tmp_path: Path, rows: list[tuple]) -> Path:
    path = tmp_path / "characteristics.csv"
    path.write_text("ticker,log_size,ai_share\n" + "".join(f"{t},{a},{b}\n" for t, a, b in rows))
    return path


CHARACTERISTICS = [("NVDA", 28.9, 0.85), ("AVGO", 27.8, 0.30), ("TSM", 27.7, 0.25), ("MU", 25.0, 0.20),
                   ("AAPL", 28.1, 0.02), ("MSFT", 28.1, 0.10), ("GOOGL", 27.9, 0.12), ("AMD", 26.0, 0.22)]


def test_cross_section_on_a_shared_day0_matches_statsmodels_and_the_omega_sandwich(sample_settings, sample_returns, tmp_path):
    sessions, returns = sample_returns
    path = _characteristics(tmp_path, CHARACTERISTICS)
    tickers = tuple(t for t, _, _ in CHARACTERISTICS)
    result = run_study(sample_settings, StudyRequest(event_id="2025-01-27-deepseek-selloff", tickers=tickers,
                                                     windows=((0, 0),), characteristics=path))
    [regression] = result.cross_sections
    order = [fe.ticker for fe in result.firm_events]
    fits = [independent.market_model(sessions, returns, t, SELLOFF) for t in order]
    x = np.array([[a, b] for t in order for tt, a, b in CHARACTERISTICS if tt == t])
    design = sm.add_constant(x)
    cars = np.array([f.car for f in fits])
    ols = sm.OLS(cars, design).fit()
    estimates = [c.estimate for c in regression.coefficients]
    np.testing.assert_allclose(estimates, ols.params, rtol=1e-8)
    np.testing.assert_allclose([c.se["ols"] for c in regression.coefficients], ols.bse, rtol=1e-8)
    bread = np.linalg.inv(design.T @ design)
    sandwich = bread @ design.T @ independent.covariance(fits) @ design @ bread
    np.testing.assert_allclose([c.se["shared_day0"] for c in regression.coefficients], np.sqrt(np.diag(sandwich)), rtol=1e-8)
    assert all(c.se["cluster"] is None for c in regression.coefficients)  # one day 0: one cluster


def test_cross_section_across_day0s_clusters_like_statsmodels(sample_settings, tmp_path):
    path = _characteristics(tmp_path, CHARACTERISTICS)
    tickers = tuple(t for t, _, _ in CHARACTERISTICS)
    result = run_study(sample_settings, StudyRequest(kind="model_release", since=dt.date(2024, 1, 1), tickers=tickers,
                                                     windows=((0, 1),), characteristics=path))
    [regression] = result.cross_sections
    window = result.first
    events = [result.firm_events[i] for i in window.rows.tolist()]
    x = np.array([[a, b] for fe in events for t, a, b in CHARACTERISTICS if t == fe.ticker])
    day0 = np.array([fe.day0.toordinal() for fe in events])
    fit = sm.OLS(window.car, sm.add_constant(x)).fit(cov_type="cluster", cov_kwds={"groups": day0})
    assert regression.clusters == len(set(day0)) > 10
    np.testing.assert_allclose([c.estimate for c in regression.coefficients], fit.params, rtol=1e-8)
    np.testing.assert_allclose([c.se["cluster"] for c in regression.coefficients], fit.bse, rtol=1e-8)
    assert regression.left_out == 0 and regression.n == window.n


@pytest.mark.parametrize("text, message", [
    ("ticker,size\nNVDA,abc\n", "line 2: size 'abc' is not a number"),
    ("size\n1\n", "needs a ticker column"),
    ("ticker\nNVDA\n", "no characteristic columns"),
    ("ticker,size\nNVDA,1\nNVDA,2\n", "line 3: a second row for NVDA"),
    ("ticker,date,size\nNVDA,27/01/2025,1\n", "not a date like 2025-01-27"),
])
def test_bad_characteristics_files_name_the_line(cli, sample_settings, tmp_path, text, message):
    path = tmp_path / "chars.csv"
    path.write_text(text)
    run = cli("study", "2025-01-27-deepseek-selloff", "--characteristics", path, "--db", sample_settings.db)
    assert run.exit_code != 0
    assert message in run.output


def test_too_few_firm_events_for_the_regression_is_an_error(sample_settings, tmp_path):
    path = _characteristics(tmp_path, CHARACTERISTICS[:3])
    with pytest.raises(StudyError, match="3 firm-events for 3 coefficients"):
        run_study(sample_settings, StudyRequest(event_id="2025-01-27-deepseek-selloff", tickers=("NVDA", "AVGO", "TSM"),
                                                characteristics=path))


def test_the_group_chart_draws_one_line_and_band_per_group_and_its_legend_says_so(sample_settings):
    import numpy as np
    from matplotlib.collections import PolyCollection

    from tracker.reports.charts import GROUP_COLOURS, group_caar_figure
    from tracker.reports.view import report_view

    result = run_study(sample_settings, StudyRequest(event_id="2025-01-27-deepseek-selloff", windows=((-2, 20),),
                                                     groups=(("chips", ("NVDA", "AVGO", "TSM", "MU")), ("apple", ("AAPL",)))))
    view = report_view(result)
    figure = group_caar_figure(view)
    figure.draw_without_rendering()
    ax = figure.axes[0]
    lines = [line for line in ax.get_lines() if len(line.get_xdata()) == 24]  # day -3 (the base) .. +20
    assert [line.get_color() for line in lines] == list(GROUP_COLOURS[:2])
    for line, name in zip(lines, ("chips", "apple")):  # each line is its group's CAAR path
        np.testing.assert_allclose(line.get_ydata()[1:], np.cumsum(result.groups[name].first.aar), rtol=1e-12)
    assert len([c for c in ax.collections if isinstance(c, PolyCollection)]) == 2  # a band each
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert legend[0].startswith("chips (N = 4): CAAR −") and legend[1].startswith("apple (N = 1): CAAR ")
    assert any(text.startswith("chips − apple: −") and "long_short_t" in text for text in legend)
    dated = [t.get_text() for t in ax.get_xticklabels() if "\n" in t.get_text()]
    assert 3 <= len(dated) <= 8  # dated every few days, not all 24


def test_groups_with_their_own_benchmarks_use_binder_when_the_portfolio_has_no_single_market(sample_settings, sample_returns):
    """Chips against SMH, Apple against SPY: the long-short portfolio has no one benchmark (undefined, with
    the reason); the Binder t still holds and equals the g-vector form with each firm's own market."""
    sessions, returns = sample_returns
    chips = ("NVDA", "AVGO", "TSM", "MU")
    result = run_study(sample_settings, StudyRequest(
        event_id="2025-01-27-deepseek-selloff", groups=(("chips", chips), ("apple", ("AAPL",))), windows=((0, 0),),
        benchmarks=tuple((t, "SMH") for t in chips)))
    [difference] = result.group_differences
    assert difference.tests["long_short_t"].stat is None
    assert "different benchmarks" in difference.tests["long_short_t"].reason
    order = [fe.ticker for fe in result.firm_events]
    fits = [independent.market_model(sessions, returns, t, SELLOFF, market="SMH" if t in chips else "SPY") for t in order]
    c = np.array([1 / 4 if t in chips else -1.0 for t in order])
    assert difference.difference == pytest.approx(float(c @ [f.car for f in fits]), rel=1e-9)
    assert difference.binder_se == pytest.approx(math.sqrt(c @ independent.covariance(fits) @ c), rel=1e-8)
    assert result.groups["chips"].firm_events[0].market == "SMH"
