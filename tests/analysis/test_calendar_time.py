"""The calendar-time portfolio test (Jaffe 1974; Mandelker 1974) against a portfolio built by hand.

The independent side reads the market's planted arrays (``tests/markets.py``), never the engine:
per calendar session it averages the dependent variable of the firm-events whose window covers
the session, and regresses that series on an intercept and the model's regressors with
statsmodels. Also: a case small enough to work on paper, the undefined cases, the same bits
whatever the chunk size, and where the JSON and the reports show the alpha.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

from tracker.analysis import EventStudy, FirmEvent, MODELS
from tracker.analysis.calendar_time import DIFFERENT_BENCHMARKS, calendar_time_t, group_holdings

ESTIMATION = (-250, -11)
FACTORS = {"ff3": ("mkt_rf", "smb", "hml"), "carhart": ("mkt_rf", "smb", "hml", "mom")}
# day 0 (session number) and ticker: several dates, overlapping windows, a firm twice, gaps between groups
HOLDINGS = [(280, "F00"), (280, "F01"), (280, "F02"), (281, "F03"), (283, "F00"), (290, "F04"), (291, "F05"),
            (291, "F06"), (300, "F07"), (310, "F08"), (311, "F01"), (312, "F09"), (312, "F02")]


@pytest.fixture(scope="module")
def market(synth):
    return synth.simulate(10, n_days=330, seed=17, common=0.4, with_factors=True)


def _events(market, holdings=HOLDINGS):
    days = market.dates
    return [FirmEvent(ticker, f"e{day}", days[day], days[day]) for day, ticker in holdings]


def _by_hand(market, model, window, holdings=HOLDINGS):
    """statsmodels on the calendar-time portfolio built from the planted arrays: (alpha, t, p, df, days, mean held)."""
    r, f = market.returns, market.factors
    held: dict[int, list[float]] = {}
    for day0, ticker in holdings:
        mean = np.mean(r[ticker][day0 + ESTIMATION[0]: day0 + ESTIMATION[1] + 1])  # the mean-adjusted model's
        for s in range(day0 + window[0], day0 + window[1] + 1):
            subtract = {"market": 0.0, "market-adjusted": r["MKT"][s], "mean-adjusted": mean}.get(model, f["rf"][s])
            held.setdefault(s, []).append(r[ticker][s] - subtract)
    sessions = sorted(held)
    y = np.array([np.mean(held[s]) for s in sessions])
    columns = [np.ones(len(sessions))]
    if model == "market":
        columns.append(r["MKT"][sessions])
    columns += [f[name][sessions] for name in FACTORS.get(model, ())]
    fit = sm.OLS(y, np.column_stack(columns)).fit()
    return (float(fit.params[0]), float(fit.tvalues[0]), float(fit.pvalues[0]), int(fit.df_resid), len(sessions),
            np.mean([len(held[s]) for s in sessions]))


@pytest.mark.parametrize("model", ["market", "ff3", "carhart", "mean-adjusted", "market-adjusted"])
def test_alpha_and_t_match_statsmodels_on_the_portfolio_built_by_hand(market, model):
    windows = [(-1, 1), (0, 0), (-3, 5)]
    result = EventStudy(market.data(), _events(market), market="MKT").fit(model=model, estimation=ESTIMATION,
                                                                           window=windows, min_obs=200)
    for window in windows:
        alpha, t, p, df, days, mean_held = _by_hand(market, model, window)
        test = result.window_result(window).tests["calendar_time_t"]
        assert test.stat == pytest.approx(t, rel=1e-7), (model, window)
        assert test.p == pytest.approx(p, rel=1e-6)
        assert test.estimate == pytest.approx(alpha, rel=1e-7, abs=1e-14)
        assert test.df == df == days - MODELS[model].k - (model == "market-adjusted")
        assert test.distribution == f"t({df})"
        assert test.details["days"] == days and test.details["mean_holdings"] == pytest.approx(mean_held, rel=1e-12)
        assert test.details["window_alpha"] == pytest.approx(alpha * (window[1] - window[0] + 1), rel=1e-12)
    # the sessions of (-1, 1): 279..284 (280, 281, 283), 289..292, 299..301, 309..313; 282 holds the most
    assert result.window_result((-1, 1)).tests["calendar_time_t"].details["days"] == 6 + 4 + 3 + 5


def test_a_case_worked_by_hand(synth):
    """Market-adjusted, window (0, 1), AAA on day 0 = session 5, BBB on session 6 (they overlap on 6).

    Abnormal returns R - Rm: AAA 0.01 (session 5), 0.02 (6); BBB 0.04 (6), 0.02 (7). The portfolio:
    0.01, (0.02 + 0.04)/2 = 0.03, 0.02 on sessions 5, 6, 7: alpha = 0.02, s = 0.01, t = 0.02 / (0.01/sqrt 3)
    = 2 sqrt 3 with 3 - 1 = 2 degrees of freedom; 4 holdings over 3 days; alpha x 2 days = 0.04.
    """
    days = synth.sessions(count=9)
    mkt = np.r_[0.0, 0.001, -0.002, 0.003, 0.0, 0.001, 0.002, -0.001, 0.0]
    aaa = mkt + np.r_[0.0, 0.001, 0.0, -0.001, 0.0, 0.01, 0.02, 0.0, 0.0]
    bbb = mkt + np.r_[0.0, 0.0, 0.002, 0.001, 0.0, 0.0, 0.04, 0.02, 0.0]
    m = synth.Market(days, {"MKT": mkt, "AAA": aaa, "BBB": bbb})
    events = [FirmEvent("AAA", "a", days[5], days[5]), FirmEvent("BBB", "b", days[6], days[6])]
    result = EventStudy(m.data(), events, market="MKT").fit(model="market-adjusted", estimation=(-4, -1), window=(0, 1), min_obs=3)
    test = result.tests["calendar_time_t"]
    assert test.estimate == pytest.approx(0.02, abs=1e-12)
    assert test.stat == pytest.approx(2 * math.sqrt(3), rel=1e-9)
    assert test.df == 2 and test.distribution == "t(2)"
    assert test.p == pytest.approx(2 * stats.t.sf(2 * math.sqrt(3), 2), rel=1e-9)
    assert test.details == {"window_alpha": pytest.approx(0.04, abs=1e-12), "days": 3, "mean_holdings": pytest.approx(4 / 3)}
    assert result.tests["portfolio_t"].stat is None  # the event-time portfolio needs one day 0


def test_one_shared_day0_with_a_one_day_window_is_undefined(market):
    day0 = market.dates[300]
    events = [FirmEvent(f"F{i:02d}", "shock", day0, day0) for i in range(6)]
    result = EventStudy(market.data(), events, market="MKT").fit(estimation=ESTIMATION, window=[(0, 0), (-2, 2)], min_obs=200)
    test = result.tests["calendar_time_t"]
    assert test.stat is None and test.p is None and test.estimate is None
    assert test.reason == "only 1 calendar day (needs 4)"
    assert test.details == {"days": 1, "mean_holdings": 6.0}
    # five sessions are enough for the market model's two coefficients (t(3)); the portfolio t is there too
    wider = result.window_result((-2, 2)).tests
    assert wider["calendar_time_t"].df == 3 and wider["portfolio_t"].stat is not None


def test_degenerate_regressions_are_undefined_with_a_reason(synth):
    """A market constant over the portfolio's days cannot be regressed on."""
    m = synth.simulate(3, n_days=320, seed=4)
    m.returns["MKT"][295:305] = 0.001
    days = m.dates
    events = [FirmEvent("F00", "a", days[297], days[297]), FirmEvent("F01", "b", days[300], days[300])]
    result = EventStudy(m.data(), events, market="MKT").fit(estimation=ESTIMATION, window=(-1, 1), min_obs=200)
    test = result.tests["calendar_time_t"]
    assert test.stat is None and test.reason == "a regressor is constant over the portfolio's calendar days"
    assert test.details["days"] == 6


def test_firm_events_with_different_benchmarks_make_it_undefined():
    """Per-firm benchmarks: a session must have one value of each regressor, within a day-0 group and across groups."""
    spec = MODELS["market"]
    day0 = np.array([10, 10, 11])
    y = np.array([[0.01, 0.02], [0.03, 0.0], [0.01, -0.01]])
    same = np.array([[[0.001, 0.002], [0.001, 0.002], [0.002, 0.004]]])
    assert calendar_time_t([group_holdings(day0, y, same)], (0, 1), spec).reason != DIFFERENT_BENCHMARKS
    within = same.copy()
    within[0, 1, 0] = 0.005  # the second firm-event of day 10 has another market
    assert calendar_time_t([group_holdings(day0, y, within)], (0, 1), spec).reason == DIFFERENT_BENCHMARKS
    across = same.copy()
    across[0, 2, 0] = 0.003  # day 11's group disagrees with day 10's on session 11
    parts = [group_holdings(day0[:2], y[:2], across[:, :2]), group_holdings(day0[2:], y[2:], across[:, 2:])]
    assert calendar_time_t(parts, (0, 1), spec).reason == DIFFERENT_BENCHMARKS
    # the adjusted models regress on nothing (no regressors), so their benchmarks may differ
    none = np.empty((0, 3, 2))
    adjusted = [group_holdings(day0[:2], y[:2], none[:, :2]), group_holdings(day0[2:], y[2:], none[:, 2:])]
    test = calendar_time_t(adjusted, (0, 1), MODELS["market-adjusted"])
    # sessions 10, 11, 12: (0.01 + 0.03)/2, ((0.02 + 0.0) + 0.01)/3, -0.01
    assert test.estimate == pytest.approx((0.02 + 0.01 - 0.01) / 3, abs=1e-15) and test.df == 2


@pytest.mark.parametrize("model", ["market", "ff3", "mean-adjusted"])
def test_every_chunk_size_gives_the_same_bits(market, model):
    data = market.data()
    events = _events(market)[::-1]  # not in day-0 order

    def fit(chunk_size=None):
        result = EventStudy(data, events, market="MKT").fit(model=model, estimation=ESTIMATION,
                                                             window=[(-1, 1), (-3, 5)], min_obs=200, chunk_size=chunk_size)
        return [w.tests["calendar_time_t"] for w in result.by_window]

    whole = fit()
    assert all(t.stat is not None for t in whole)
    for size in (1, 2, 3, 1000):
        found = fit(size)
        for mine, theirs in zip(found, whole):
            assert mine.to_dict() == theirs.to_dict(), size
            assert np.float64(mine.stat).tobytes() == np.float64(theirs.stat).tobytes()
            assert np.float64(mine.estimate).tobytes() == np.float64(theirs.estimate).tobytes()


def test_the_json_and_the_reports_show_the_alpha(market):
    from tracker.reports.sections import methodology, test_table
    from tracker.reports.text import as_text
    from tracker.reports.view import report_view

    result = EventStudy(market.data(), _events(market), market="MKT").fit(estimation=ESTIMATION, window=(-1, 1), min_obs=200)
    test = result.tests["calendar_time_t"]
    document = result.to_dict()
    shown = document["aggregate"]["tests"]["calendar_time_t"]
    assert shown["estimate"] == test.estimate and shown["stat"] == test.stat
    assert shown["window_alpha"] == test.details["window_alpha"] and shown["days"] == 18
    assert "calendar-time portfolio" in document["conventions"]["calendar_time_t"]
    assert "estimate" not in document["aggregate"]["tests"]["cda_t"]  # the other tests keep their keys
    rows = result.test_table.filter(test="calendar_time_t")
    assert rows.height == 1 and rows["stat"][0] == test.stat and rows["valid_under_clustering"][0]
    view = report_view(result)
    row = next(t for t in view.window.tests if t.name == "calendar_time_t")
    assert row.label.startswith("Calendar-time portfolio") and row.estimate == test.estimate
    words = f"alpha {test.estimate * 100:+.3f}% a day (x 3 days = {test.details['window_alpha'] * 100:+.2f}%); 18 calendar days"
    assert words in row.estimate_note
    assert words in as_text(view)
    table = test_table(view, view.window)  # the tests' table of the Markdown and HTML reports
    assert "Calendar-time portfolio alpha t (Jaffe 1974; Mandelker 1974)" in [row[0].text for row in table.rows]
    assert any(words in note for note in table.notes)
    assert "Calendar-time portfolio" in dict(methodology(view))
