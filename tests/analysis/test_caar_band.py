"""The CAAR band (Brown–Warner crude dependence adjustment), checked by hand, against the study's
own ``cda_t``, and against an independent computation (statsmodels OLS per firm on returns read
straight from the warehouse)."""

from __future__ import annotations

import json
import math
import statistics

import duckdb
import numpy as np
import pytest
from scipy import stats

from tracker.analysis.caar_band import caar_band
from tracker.analysis.residuals import EstimationResiduals
from tracker.analysis.statistics import crude_dependence
from tracker.study.request import StudyRequest, run_study

def crude(residuals: np.ndarray):
    """The CDA's estimation-window AAR sd of these residuals (one row per firm-event)."""
    r = EstimationResiduals.of(residuals)
    return crude_dependence(r.filled.sum(axis=0), r.day_count, r.n)


TICKERS = ("NVDA", "AVGO", "AAPL", "MSFT", "TSM", "META")
WINDOWS = ((0, 4), (-1, 1))


def test_hand_worked_case_with_missing_residuals():
    # three firm-events, four estimation days (one residual missing, one day with none at all)
    residuals = np.array([
        [0.01, -0.02, np.nan, 0.03, np.nan],
        [0.00, 0.01, 0.02, -0.01, np.nan],
        [-0.01, 0.04, 0.00, 0.01, np.nan],
    ])
    ar = np.array([[0.05, -0.01], [0.02, 0.00], [-0.01, 0.03]])
    band = caar_band([0, 1], ar.mean(axis=0), crude(residuals), level=0.90)

    portfolio = [0.0, 0.01, 0.01, 0.01]  # mean of each day's available residuals; the empty day is dropped
    s = statistics.stdev(portfolio)
    critical = stats.t.ppf(0.95, df=3)
    caar = [(0.05 + 0.02 - 0.01) / 3, (0.05 + 0.02 - 0.01) / 3 + (-0.01 + 0.00 + 0.03) / 3]
    assert band.df == 3
    assert band.s_aar == pytest.approx(s, rel=1e-12)
    assert band.critical == pytest.approx(critical, rel=1e-10)
    np.testing.assert_allclose(band.caar, caar, rtol=1e-12)
    np.testing.assert_allclose(band.se, [s, s * math.sqrt(2)], rtol=1e-12)
    np.testing.assert_allclose(band.lower, np.array(caar) - critical * band.se, rtol=1e-12)
    np.testing.assert_allclose(band.upper, np.array(caar) + critical * band.se, rtol=1e-12)


def test_undefined_without_two_estimation_days():
    band = caar_band([0], np.array([0.02]), crude(np.array([[0.01, np.nan]])))
    assert band.caar[0] == pytest.approx(0.02)
    assert band.s_aar is None and band.df is None and math.isnan(band.lower[0])
    document = band.to_dict()
    assert document["days"][0]["lower"] is None and document["s_aar"] is None  # JSON-safe
    assert document["reason"] == "needs at least 2 estimation days"


def test_rejects_a_level_outside_0_1():
    dependence = crude(np.array([[0.01, 0.02, -0.01]]))
    with pytest.raises(ValueError, match="level"):
        caar_band([0], np.zeros(1), dependence, level=95)


def test_study_band_per_window_matches_an_independent_computation(sample_settings):
    import statsmodels.api as sm

    result = run_study(sample_settings, StudyRequest(event_id="2025-01-20-deepseek-r1", tickers=TICKERS, windows=WINDOWS))
    document = json.loads(result.to_json())
    assert document["aggregate"]["caar_band"] == document["by_window"][0]["aggregate"]["caar_band"]
    assert "caar_band" in document["conventions"]

    with duckdb.connect(str(sample_settings.db), read_only=True) as con:
        [(day0,)] = con.execute("SELECT session FROM sessions WHERE date = DATE '2025-01-21'").fetchall()
        rows = con.execute(
            "SELECT ticker, session, ret FROM returns WHERE session BETWEEN ? AND ? AND ret IS NOT NULL",
            [day0 - 250, day0 + 4],
        ).fetchall()
    returns: dict[str, dict[int, float]] = {}
    for ticker, session, ret in rows:
        returns.setdefault(ticker, {})[session] = ret
    market = returns["SPY"]
    estimation = range(day0 - 250, day0 - 10)
    residual_by_day: dict[int, list[float]] = {}
    fits = {}
    for ticker in sorted(TICKERS):
        days = [s for s in estimation if s in returns[ticker] and s in market]
        fit = sm.OLS([returns[ticker][s] for s in days], sm.add_constant([market[s] for s in days])).fit()
        for s, e in zip(days, fit.resid):
            residual_by_day.setdefault(s, []).append(e)
        fits[ticker] = fit.params
    portfolio = [float(np.mean(v)) for _, v in sorted(residual_by_day.items())]
    s_aar = float(np.std(portfolio, ddof=1))
    critical = stats.t.ppf(0.975, df=len(portfolio) - 1)

    for (start, end), block in zip(WINDOWS, document["by_window"], strict=True):
        aggregate = block["aggregate"]
        band = aggregate["caar_band"]
        ars = [[returns[t][s] - fits[t][0] - fits[t][1] * market[s] for s in range(day0 + start, day0 + end + 1)]
               for t in sorted(TICKERS)]
        caar = np.cumsum(np.mean(ars, axis=0))
        se = s_aar * np.sqrt(np.arange(1, end - start + 2))
        assert band["level"] == 0.95 and band["df"] == len(portfolio) - 1
        assert band["s_aar"] == pytest.approx(s_aar, rel=1e-9)
        assert [d["offset"] for d in band["days"]] == list(range(start, end + 1))
        np.testing.assert_allclose([d["caar"] for d in aggregate["aar"]], caar, rtol=1e-9)
        np.testing.assert_allclose([d["se"] for d in band["days"]], se, rtol=1e-9)
        np.testing.assert_allclose([d["lower"] for d in band["days"]], caar - critical * se, rtol=1e-9)
        np.testing.assert_allclose([d["upper"] for d in band["days"]], caar + critical * se, rtol=1e-9)
        # the band's last day is the confidence interval of the window's cda_t
        cda = aggregate["tests"]["cda_t"]
        assert cda["stat"] == pytest.approx(caar[-1] / se[-1], rel=1e-9)
        last = band["days"][-1]
        assert (last["lower"] > 0 or last["upper"] < 0) == (cda["p"] < 0.05)

    frame = result.aar
    assert {"caar_se", "caar_lower", "caar_upper"} <= set(frame.columns)
    first = frame.filter(frame["window_start"] == 0)
    np.testing.assert_allclose(first["caar_lower"].to_numpy(),
                               [d["lower"] for d in document["aggregate"]["caar_band"]["days"]], rtol=1e-12)
