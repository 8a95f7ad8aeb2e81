"""Study numbers against independent computations: a hand-worked case and statsmodels on real prices."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

from conftest import SAMPLE_PRICES
from synthetic import prices_from_returns, sample_returns, sessions, write_catalogue, write_ticker_csv
from tracker.analysis import EventStudy, FirmEvent
from tracker.ingest.files import import_catalogue, import_prices
from tracker.study.request import StudyRequest, run_study
from tracker.study import WarehouseData
from warehouse import Warehouse

# -- a case small enough to work by hand ----------------------------------------------------------
# Estimation days -6..-2 (M = 5): market x = -2%, -1%, 0, 1%, 2%  (mean 0, Sxx = 0.001).
# Firm A: y = 0.1% + 1.5 x + e with e = (+0.1, -0.2, 0, +0.2, -0.1)%  (sum 0, orthogonal to x),
# so OLS gives beta = 1.5, alpha = 0.001 exactly, SSR = 1e-5, s^2 = 1e-5 / 3.
# Day 0: market +1%; A returns +3% -> AR = 0.03 - 0.001 - 0.015 = 0.014;
#        B (same estimation returns) returns +2% -> AR = 0.004.
# car_t = AR / s;  CLM variance = s^2 (1 + 1/5 + (0.01 - 0)^2 / 0.001) = 1.3 s^2.
X_EST = [-0.02, -0.01, 0.0, 0.01, 0.02]
E_EST = [0.001, -0.002, 0.0, 0.002, -0.001]


@pytest.fixture
def hand_worked(settings, tmp_path):
    days = sessions("2024-03-01", 8)  # a base price, then days -6 .. 0 (day -1 is unused)
    market = X_EST + [0.005, 0.01]
    firm = [0.001 + 1.5 * x + e for x, e in zip(X_EST, E_EST)]
    folder = tmp_path / "hand"
    write_ticker_csv(folder, "MKT", days, prices_from_returns(market))
    write_ticker_csv(folder, "AAA", days, prices_from_returns(firm + [0.0, 0.03]))
    write_ticker_csv(folder, "BBB", days, prices_from_returns(firm + [0.0, 0.02]))
    import_prices(settings, [folder])
    return settings, days[-1]


def test_hand_worked_market_model(hand_worked):
    settings, day0 = hand_worked
    with Warehouse.open(settings.db, read_only=True) as wh:
        events = [FirmEvent(t, "hand", day0, day0) for t in ("AAA", "BBB")]
        result = EventStudy(WarehouseData.at(wh), events, market="MKT").fit(estimation=(-6, -2), window=(0, 0), min_obs=5)
    s = math.sqrt(1e-5 / 3)
    assert result.beta == pytest.approx([1.5, 1.5], abs=1e-9)
    assert result.alpha == pytest.approx([0.001, 0.001], abs=1e-10)
    assert result.sigma == pytest.approx([s, s], rel=1e-7)
    window = result.first  # the window's numbers as arrays (result.car etc. are polars frames)
    assert window.car == pytest.approx([0.014, 0.004], abs=1e-10)
    assert window.car_t == pytest.approx([0.014 / s, 0.004 / s], rel=1e-7)
    assert window.car_t_clm == pytest.approx([0.014 / (s * math.sqrt(1.3)), 0.004 / (s * math.sqrt(1.3))], rel=1e-7)
    scar = np.array([0.014, 0.004]) / (s * math.sqrt(1.3))
    # Patell: sum SCAR / sqrt(N (M-2)/(M-4)) = sum SCAR / sqrt(2 * 3)
    assert result.tests["patell_z"].stat == pytest.approx(scar.sum() / math.sqrt(6), rel=1e-7)
    # BMP: sqrt(2) mean / sd;  cross-sectional: mean CAR / (sd CAR / sqrt 2), both t(1)
    assert result.tests["bmp_t"].stat == pytest.approx(math.sqrt(2) * scar.mean() / scar.std(ddof=1), rel=1e-7)
    cs = 0.009 / (np.std([0.014, 0.004], ddof=1) / math.sqrt(2))
    assert result.tests["cross_sectional_t"].stat == pytest.approx(cs, rel=1e-7)
    assert result.tests["cross_sectional_t"].p == pytest.approx(2 * stats.t.sf(cs, 1), rel=1e-9)
    assert window.caar == pytest.approx(0.009, abs=1e-10)


def test_single_firm_tests_that_need_two_are_undefined_with_a_reason(hand_worked):
    settings, day0 = hand_worked
    with Warehouse.open(settings.db, read_only=True) as wh:
        result = EventStudy(WarehouseData.at(wh), [FirmEvent("AAA", "hand", day0, day0)], market="MKT").fit(
            estimation=(-6, -2), window=(0, 0), min_obs=5
        )
    document = result.to_dict()["aggregate"]["tests"]
    assert document["cross_sectional_t"]["stat"] is None
    assert "at least 2" in document["cross_sectional_t"]["reason"]
    assert document["patell_z"]["stat"] == pytest.approx(result.first.car_t_clm[0] / math.sqrt(3), rel=1e-9)


# -- real prices: the shipped sample, checked with statsmodels ------------------------------------

def independent_study(ticker: str, market: str, day0: dt.date, estimation, window):
    """OLS with statsmodels on returns computed straight from the CSV, CLM variance as gamma' V gamma."""
    returns = sample_returns(SAMPLE_PRICES)
    days = sorted(returns[market])
    i0 = days.index(day0)
    est_days = days[i0 + estimation[0]: i0 + estimation[1] + 1]
    win_days = days[i0 + window[0]: i0 + window[1] + 1]
    y = np.array([returns[ticker][d] for d in est_days])
    x = np.array([returns[market][d] for d in est_days])
    X = sm.add_constant(x)
    ols = sm.OLS(y, X).fit()
    alpha, beta = ols.params
    s2 = ols.ssr / (len(y) - 2)
    xw = np.array([returns[market][d] for d in win_days])
    yw = np.array([returns[ticker][d] for d in win_days])
    ar = yw - alpha - beta * xw
    Xw = sm.add_constant(xw, has_constant="add")
    V = s2 * (np.eye(len(xw)) + Xw @ np.linalg.inv(X.T @ X) @ Xw.T)
    ones = np.ones(len(xw))
    var_car = ones @ V @ ones
    car = ar.sum()
    return {
        "alpha": alpha, "beta": beta, "sigma": math.sqrt(s2), "n_est": len(y), "ar": ar, "car": car,
        "car_t": car / math.sqrt(s2 * len(xw)), "car_t_clm": car / math.sqrt(var_car),
        "car_p": 2 * stats.t.sf(abs(car / math.sqrt(var_car)), len(y) - 2),
    }


TICKERS = ("NVDA", "AVGO", "AAPL", "MSFT", "TSM", "VST")


@pytest.mark.parametrize("window", [(0, 0), (-1, 1), (0, 4)])
def test_market_model_matches_statsmodels_on_real_prices(sample_settings, window):
    result = run_study(sample_settings, StudyRequest(
        event_id="2025-01-27-deepseek-selloff", tickers=TICKERS, window=window, estimation=(-250, -11), min_obs=200,
    ))
    document = json.loads(result.to_json())
    firms = {f["ticker"]: f for f in document["firms"]}
    cars, scars = [], []
    for ticker in TICKERS:
        expected = independent_study(ticker, "SPY", dt.date(2025, 1, 27), (-250, -11), window)
        got = firms[ticker]
        for key in ("alpha", "beta", "sigma", "car", "car_t", "car_t_clm", "car_p"):
            assert got[key] == pytest.approx(expected[key], rel=1e-9, abs=1e-12), (ticker, key)
        assert got["n_est"] == expected["n_est"] == 240
        assert [d["ar"] for d in got["ar"]] == pytest.approx(list(expected["ar"]), rel=1e-9, abs=1e-12)
        cars.append(expected["car"])
        scars.append(expected["car_t_clm"])
    cars, scars = np.array(cars), np.array(scars)
    tests = document["aggregate"]["tests"]
    ttest = stats.ttest_1samp(cars, 0.0)
    assert tests["cross_sectional_t"]["stat"] == pytest.approx(ttest.statistic, rel=1e-9)
    assert tests["cross_sectional_t"]["p"] == pytest.approx(ttest.pvalue, rel=1e-7)
    bmp = stats.ttest_1samp(scars, 0.0)
    assert tests["bmp_t"]["stat"] == pytest.approx(bmp.statistic, rel=1e-9)
    assert tests["bmp_t"]["p"] == pytest.approx(bmp.pvalue, rel=1e-7)
    patell = scars.sum() / math.sqrt(len(scars) * (240 - 2) / (240 - 4))
    assert tests["patell_z"]["stat"] == pytest.approx(patell, rel=1e-9)
    assert tests["patell_z"]["p"] == pytest.approx(2 * stats.norm.sf(abs(patell)), rel=1e-7)
    assert document["aggregate"]["caar"] == pytest.approx(cars.mean(), rel=1e-9)


def test_deepseek_day_figures_from_the_sample(sample_settings):
    result = run_study(sample_settings, StudyRequest(event_id="2025-01-27-deepseek-selloff", window=(0, 0)))
    day = result.first  # the window's arrays, rows = the firm-events studied in it
    by = {result.firm_events[i].ticker: j for j, i in enumerate(day.rows.tolist())}
    assert day.returns[by["NVDA"], 0] == pytest.approx(-0.1697, abs=0.0005)
    assert day.returns[by["AVGO"], 0] == pytest.approx(-0.1740, abs=0.0005)
    assert day.returns[by["AAPL"], 0] == pytest.approx(0.0318, abs=0.0005)
    assert day.benchmark[by["NVDA"], 0] == pytest.approx(-0.0141, abs=0.0005)
    # the abnormal return removes beta times the market's fall: above the raw move for high-beta losers
    assert day.returns[by["NVDA"], 0] < day.ar[by["NVDA"], 0] < 0
    assert day.ar[by["AAPL"], 0] > day.returns[by["AAPL"], 0]


# -- skipped firm-events carry reasons -------------------------------------------------------------

@pytest.fixture
def patchy(settings, tmp_path):
    days = sessions("2024-01-02", 300)
    rng = np.random.default_rng(7)
    market = rng.normal(0, 0.01, 299)
    folder = tmp_path / "patchy"
    write_ticker_csv(folder, "MKT", days, prices_from_returns(market))
    write_ticker_csv(folder, "FULL", days, prices_from_returns(market * 1.2 + rng.normal(0, 0.01, 299)))
    write_ticker_csv(folder, "LATE", days[200:], prices_from_returns(rng.normal(0, 0.01, 99)))
    write_ticker_csv(folder, "SHORT", days[:250], prices_from_returns(rng.normal(0, 0.01, 249)))
    gap = [d for i, d in enumerate(days) if i != 260]
    write_ticker_csv(folder, "GAP", gap, prices_from_returns(rng.normal(0, 0.01, 298)))
    flat = [100.0] * 300
    write_ticker_csv(folder, "FLAT", days, flat)
    import_prices(settings, [folder])
    write_catalogue(tmp_path / "cat.csv", [{
        "event_id": "e1", "name": "Event one", "kind": "other", "announced_at": f"{days[260].isoformat()}T00:00",
        "timezone": "America/New_York", "date_precision": "day",
    }])
    import_catalogue(settings, tmp_path / "cat.csv")
    return settings, days


def test_skip_reasons(patchy):
    settings, days = patchy
    result = run_study(settings, StudyRequest(
        event_id="e1", tickers=("FULL", "LATE", "SHORT", "GAP", "FLAT"), market="MKT",
        estimation=(-250, -11), window=(-1, 1),
    ))
    reasons = {s.ticker: s.reason for s in result.skipped}
    assert [result.firm_events[i].ticker for i in result.first.rows] == ["FULL"]
    assert "only 49 of 240 estimation days usable (min-obs 120" in reasons["LATE"]
    assert f"runs past the last return of SHORT ({days[249]})" in reasons["SHORT"]
    assert f"missing return of GAP on {days[260]}" in reasons["GAP"]
    assert "residual variance is zero" in reasons["FLAT"]
    assert json.loads(result.to_json())["skipped"][0].keys() == {"ticker", "event_id", "event_date", "reason"}


def test_event_on_the_first_available_day(patchy, tmp_path):
    settings, days = patchy
    write_catalogue(tmp_path / "cat2.csv", [{
        "event_id": "e0", "name": "Too early", "kind": "other", "announced_at": f"{days[0].isoformat()}T00:00",
        "timezone": "America/New_York", "date_precision": "day",
    }])
    import_catalogue(settings, tmp_path / "cat2.csv")
    result = run_study(settings, StudyRequest(event_id="e0", tickers=("FULL",), market="MKT", window=(0, 0)))
    assert result.n == 0
    assert "only 0 of 240 estimation days usable" in result.skipped[0].reason
    assert result.to_dict()["aggregate"]["tests"]["patell_z"]["reason"] == "no firm-events with complete data in this window"
