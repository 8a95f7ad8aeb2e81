"""Every per-firm number and every aggregate test against the independent reference implementation.

Synthetic panels with missing bars, a missing factor day, firm-events on different and on
shared dates, several windows; every model. The engine works on dense arrays with a centred
closed form; the reference (``reference_impl.py``) loops over firm-events with statsmodels on
the SQL views.
"""

from __future__ import annotations

import numpy as np
import pytest

from tracker.analysis import TEST_NAMES

MODELS = ("mean-adjusted", "market-adjusted", "market", "ff3", "carhart")
ESTIMATION = (-250, -11)
WINDOWS = ((-1, 1), (0, 5))
RTOL = 1e-7


@pytest.fixture(scope="module")
def mixed_panel(tmp_path_factory, synth):
    """10 firms; gaps in prices and factors; events on shared, overlapping and separate dates."""
    market = synth.simulate(10, n_days=320, seed=11, common=0.6, with_factors=True)
    market.returns["F01"][[40, 41, 100]] = np.nan  # missing bars in estimation windows
    market.returns["F04"][150:200] = np.nan
    market.factors["smb"][120] = np.nan  # a missing factor day: dropped from factor-model estimation
    market.returns["F09"][281] = np.nan  # a missing return inside F09's window: skipped there
    days = market.dates
    firm_events = [
        ("F00", days[280], "e1"), ("F01", days[280], "e1"), ("F02", days[280], "e1"), ("F03", days[280], "e1"),
        ("F04", days[281], "e2"), ("F05", days[282], "e2"),  # windows overlapping the first group
        ("F06", days[300], "e3"), ("F07", days[300], "e3"), ("F00", days[305], "e4"),
        ("F08", days[290], "e5"), ("F09", days[280], "e1"),
    ]
    return market, firm_events


@pytest.fixture(scope="module")
def clustered_panel(tmp_path_factory, synth):
    """8 firms, one shared day 0, a common industry shock, complete data."""
    market = synth.simulate(8, n_days=300, seed=5, common=0.8, with_factors=True)
    day0 = market.dates[270]
    return market, [(f"F{i:02d}", day0, "shock") for i in range(8)]


def _compare(result, expected, window):
    w = result.window_result(window)
    studied = [(result.firm_events[i].ticker, result.firm_events[i].day0) for i in w.rows]
    assert studied == [(f.ticker, f.day0) for f in expected["firms"]]
    for j, f in enumerate(expected["firms"]):
        i = int(w.rows[j])
        np.testing.assert_allclose(result.params[i], f.params, rtol=RTOL, atol=1e-12)
        np.testing.assert_allclose(result.sigma[i] ** 2, f.sigma2, rtol=RTOL)
        assert int(result.n_est[i]) == f.n_est and int(result.df[i]) == f.df
        np.testing.assert_allclose(w.ar[j], f.ar, rtol=RTOL, atol=1e-12)
        np.testing.assert_allclose(w.returns[j], f.returns, rtol=1e-9)
        for name, mine, theirs in (("car", w.car[j], f.car), ("car_var", w.car_var[j], f.car_var), ("car_t", w.car_t[j], f.car_t),
                                   ("car_t_clm", w.car_t_clm[j], f.scar), ("car_p", w.car_p[j], f.car_p), ("bhar", w.bhar[j], f.bhar)):
            np.testing.assert_allclose(mine, theirs, rtol=RTOL, atol=1e-12, err_msg=f"{f.ticker} {name}")
    np.testing.assert_allclose(w.aar, expected["aar"], rtol=RTOL, atol=1e-12)
    np.testing.assert_allclose(w.caar, expected["caar"], rtol=RTOL, atol=1e-12)
    np.testing.assert_allclose(w.abhar, expected["abhar"], rtol=RTOL, atol=1e-12)
    np.testing.assert_allclose(w.mean_cross_correlation, expected["r_bar"], rtol=1e-6, atol=1e-10)
    for name, (stat, p) in expected["tests"].items():
        test = w.tests[name]
        assert test.stat is not None, f"{name}: {test.reason}"
        np.testing.assert_allclose(test.stat, stat, rtol=1e-6, atol=1e-9, err_msg=name)
        np.testing.assert_allclose(test.p, p, rtol=1e-6, atol=1e-9, err_msg=name)
    return w


@pytest.mark.parametrize("model", MODELS)
def test_every_number_matches_the_reference_on_a_mixed_panel(mixed_panel, engine, reference, model):
    market, firm_events = mixed_panel
    result = engine(market, firm_events, model=model, estimation=ESTIMATION, window=list(WINDOWS), min_obs=100)
    for window in WINDOWS:
        expected = reference.study(market, firm_events, model=model, estimation=ESTIMATION, window=window, min_obs=100)
        w = _compare(result, expected, window)
        # every test the reference computes; the portfolio needs a shared day 0
        assert set(expected["tests"]) == set(TEST_NAMES) - {"portfolio_t"}
        assert w.tests["portfolio_t"].stat is None and "share day 0" in w.tests["portfolio_t"].reason
    # F09 lacks a return on day +1 (session 281): skipped in both windows, with a reason
    for window in WINDOWS:
        reasons = {s.ticker: s.reason for s in result.window_result(window).skipped}
        assert "F09" in reasons and "missing return of F09" in reasons["F09"]


def test_the_factor_gap_is_missing_not_zero(mixed_panel, engine):
    market, firm_events = mixed_panel
    by_market = engine(market, firm_events, model="market", estimation=ESTIMATION, window=(-1, 1), min_obs=100)
    ff3 = engine(market, firm_events, model="ff3", estimation=ESTIMATION, window=(-1, 1), min_obs=100)
    f00 = [i for i, fe in enumerate(ff3.firm_events) if fe.ticker == "F00" and fe.event_id == "e1"][0]
    # session 120 has no SMB value: the factor model loses that estimation day, the market model does not
    assert int(ff3.n_est[f00]) == int(by_market.n_est[f00]) - 1 == 239


@pytest.mark.parametrize("model", MODELS)
def test_clustered_panel_adds_the_portfolio_and_exact_pearson_correlation(clustered_panel, engine, reference, model):
    market, firm_events = clustered_panel
    result = engine(market, firm_events, model=model, estimation=ESTIMATION, window=[(0, 0), (-2, 3)], min_obs=200)
    for window in ((0, 0), (-2, 3)):
        expected = reference.study(market, firm_events, model=model, estimation=ESTIMATION, window=window, min_obs=200)
        assert "portfolio_t" in expected["tests"]
        w = _compare(result, expected, window)
        # one shared day 0: the calendar-time portfolio has the window's days only, too few for (0, 0)
        # and for the five coefficients of carhart over six days
        assert ("calendar_time_t" in expected["tests"]) == (window == (-2, 3) and model != "carhart")
        assert (w.tests["calendar_time_t"].stat is None) == ("calendar_time_t" not in expected["tests"])
    # with one shared estimation window and no gaps, r is the mean off-diagonal Pearson correlation
    w = result.by_window[0]
    residuals = np.array([[f.est_offsets[o] for o in sorted(f.est_offsets)] for f in expected["firms"]])
    pearson = np.corrcoef(residuals)
    n = len(residuals)
    np.testing.assert_allclose(w.mean_cross_correlation, (pearson.sum() - n) / (n * (n - 1)), rtol=1e-9)
    assert w.mean_cross_correlation > 0.1  # the planted common shock (about 0.2 for these variances)


def test_exclusion_matches_the_reference_mask(tmp_path, synth, engine, reference):
    """Earnings are firm events: one excludes the estimation days of its own tickers only; a
    policy event (market-wide) those of every firm; a firm-event's own event never its own."""
    market = synth.simulate(4, n_days=320, seed=3)
    days = market.dates
    market.events = [("earn-a", "earnings", days[150], ("F00", "F02", "F03")), ("earn-b", "earnings", days[200], ("F00", "F01", "F02", "F03")),
                     ("rule", "policy", days[260]), ("own", "earnings", days[230], ("F00", "F01", "F02", "F03")),
                     ("other-firm", "earnings", days[100], ("ZZZ",))]
    firm_events = [("F00", days[280], "x"), ("F01", days[280], "x"), ("F02", days[290], "own"), ("F03", days[230], "own")]
    result = engine(market, firm_events, estimation=(-250, -11), window=(-1, 1), min_obs=100,
                    exclude_events=["earnings", "policy"], exclude_within=2)
    exclude = [("earn-a", days[150], ("F00", "F02", "F03")), ("earn-b", days[200], ("F00", "F01", "F02", "F03")),
               ("rule", days[260]), ("own", days[230], ("F00", "F01", "F02", "F03")), ("other-firm", days[100], ("ZZZ",))]
    expected = reference.study(market, firm_events, estimation=(-250, -11), window=(-1, 1), min_obs=100,
                               exclude=exclude, within=2)
    _compare(result, expected, (-1, 1))
    n_excluded = dict(zip([fe.ticker for fe in result.firm_events], result.n_excluded.tolist()))
    # F00 (day 0 = 280, estimation 30..269) loses 5 days around 150, 200, 230 and the policy's 260
    assert n_excluded["F00"] == 20
    # F01 is not named by earn-a: it keeps the days around 150
    assert n_excluded["F01"] == 15
    # F02's own event ("own", session 230) stays in its window (40..279); 150, 200 and 260 go
    assert n_excluded["F02"] == 15
    # F03's estimation (-20..219) holds 150 and 200 but not its own day 0; nobody loses ZZZ's day 100
    assert n_excluded["F03"] == 10
    document = result.to_dict()
    assert document["exclusion"]["kinds"] == ["earnings", "policy"] and document["exclusion"]["within"] == 2
    listed = {e["event_id"]: e for e in document["exclusion"]["events"]}
    assert set(listed) == {"earn-a", "earn-b", "own", "rule", "other-firm"}
    assert listed["earn-a"]["tickers"] == ["F00", "F02", "F03"] and "tickers" not in listed["rule"]  # market-wide
