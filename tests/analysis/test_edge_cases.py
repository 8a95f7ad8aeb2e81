"""Edge cases: one firm-event, an all-missing window, constant returns, too few estimation days,
events on the first and last available day, the benchmark as a firm, missing factor data."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from tracker.analysis import TEST_NAMES
from tracker.errors import StudyError


@pytest.fixture(scope="module")
def edge(tmp_path_factory, synth):
    market = synth.simulate(6, n_days=320, seed=4, with_factors=True)
    nan = np.nan
    market.returns["FLAT"] = np.r_[np.zeros(290), market.returns["F00"][290:]]  # constant price until session 290
    market.returns["LATE"] = np.r_[np.full(249, nan), market.returns["F01"][249:]]  # first bar on session 249
    market.returns["FIRST"] = np.r_[np.full(300, nan), market.returns["F02"][300:]]  # first bar on session 300
    market.returns["ENDS"] = np.r_[market.returns["F03"][:301], np.full(19, nan)]  # last bar on session 300
    for name in ("F00", "F01", "F02", "F03", "F04", "F05", "MKT"):
        market.returns[name][310] = nan  # nobody has a bar on session 310 ...
    for name in ("FLAT", "LATE", "FIRST", "ENDS"):
        market.returns[name][310] = nan
    market.factors["hml"][305] = nan  # a factor day missing inside a window
    for name in market.factors:
        market.factors[name][316:] = nan  # factors end four sessions before prices
    return market, market.dates


def test_a_single_firm_event(edge, engine):
    market, days = edge
    result = engine(market, [("F00", days[290], None)], window=(-1, 1), min_obs=200)
    tests = result.tests
    assert result.n == 1
    for name in ("cross_sectional_t", "bmp_t", "kp_bmp_t", "grank_t", "skew_adjusted_t"):
        assert tests[name].stat is None and tests[name].p is None and "at least 2" in tests[name].reason, name
    w = result.first
    df = float(result.df[0])
    assert tests["patell_z"].stat == pytest.approx(w.car_t_clm[0] / math.sqrt(df / (df - 2)), rel=1e-12)
    assert tests["kp_patell_z"].stat == pytest.approx(tests["patell_z"].stat, rel=1e-12)
    assert tests["portfolio_t"].stat == pytest.approx(w.car_t_clm[0], rel=1e-9)
    assert tests["portfolio_t"].p == pytest.approx(w.car_p[0], rel=1e-9)
    assert tests["wilcoxon"].p == 1.0
    assert tests["sign_z"].stat == pytest.approx(1.0 if w.car[0] > 0 else -1.0)
    document = json.loads(result.to_json())
    for name in TEST_NAMES:
        entry = document["aggregate"]["tests"][name]
        assert ("reason" in entry) == (entry["stat"] is None), name


def test_an_all_missing_window(edge, engine):
    market, days = edge
    firm_events = [(f"F0{i}", days[310], None) for i in range(6)]
    result = engine(market, firm_events, window=(0, 0), min_obs=200)
    assert result.n == 0 and len(result.skipped) == 6
    assert all("missing return" in s.reason for s in result.skipped)
    for name, test in result.tests.items():
        assert test.stat is None and test.reason == "no firm-events with complete data in this window", name
    document = json.loads(result.to_json())
    assert document["aggregate"]["n"] == 0 and document["aggregate"]["caar"] is None and document["firms"] == []
    assert "N = 0" in result.summary
    # a second window without the gap is studied in the same run
    both = engine(market, firm_events, window=[(0, 0), (-3, -1)], min_obs=200)
    assert [w.n for w in both.by_window] == [0, 6]


def test_constant_returns_in_the_estimation_window(edge, engine):
    market, days = edge
    result = engine(market, [("FLAT", days[295], None), ("F00", days[295], None)], window=(0, 0), min_obs=200)
    reasons = {s.ticker: s.reason for s in result.skipped}
    assert reasons == {"FLAT": "residual variance is zero: returns constant or exactly explained by the model in the estimation window"}
    # relative to the market, FLAT's returns vary: the market-adjusted model can study it
    adjusted = engine(market, [("FLAT", days[295], None)], model="market-adjusted", window=(0, 0), min_obs=200)
    assert adjusted.n == 1


def test_fewer_estimation_returns_than_min_obs(edge, engine):
    market, days = edge
    result = engine(market, [("LATE", days[290], None), ("F01", days[290], None)], window=(0, 0), min_obs=120)
    (skipped,) = result.skipped
    assert skipped.ticker == "LATE"
    # estimation window is sessions 40..279; LATE's first bar is 249, so returns from 250: 30 days
    assert skipped.reason.startswith("only 30 of 240 estimation days usable (min-obs 120)")
    assert "prices 20" in skipped.reason
    assert engine(market, [("LATE", days[290], None)], window=(0, 0), min_obs=30).n == 1


def test_event_on_the_first_available_day(edge, engine):
    market, days = edge
    result = engine(market, [("FIRST", days[300], None)], window=(0, 0), min_obs=100)
    (skipped,) = result.skipped
    assert skipped.reason.startswith("only 0 of 240 estimation days usable")
    assert f"prices {days[300]}" in skipped.reason


def test_event_on_the_last_available_day(edge, engine):
    market, days = edge
    result = engine(market, [("ENDS", days[300], None)], window=[(-1, 1), (-1, 0)], min_obs=200)
    first, second = result.by_window
    assert first.n == 0 and second.n == 1
    assert first.skipped[0].reason == f"event window runs past the last return of ENDS ({days[300]})"


def test_unknown_ticker_and_the_benchmark_as_a_firm(edge, engine):
    market, days = edge
    result = engine(market, [("NOPE", days[290], None), ("MKT", days[290], None), ("F02", days[290], None)], window=(0, 0), min_obs=200)
    reasons = {s.ticker: s.reason for s in result.skipped}
    assert reasons == {"NOPE": "no prices for NOPE", "MKT": "MKT is the market benchmark"}
    # models without the benchmark do not refuse it: MKT is then an ordinary firm
    assert engine(market, [("MKT", days[290], None)], model="mean-adjusted", window=(0, 0), min_obs=200).n == 1
    # here MKT - rf is the MKT-RF factor itself: three factors explain it exactly
    exact = engine(market, [("MKT", days[290], None)], model="ff3", window=(0, 0), min_obs=200)
    assert exact.n == 0 and exact.skipped[0].reason.startswith("residual variance is zero")


def test_missing_factor_data(edge, engine):
    market, days = edge
    result = engine(market, [("F04", days[305], None)], model="ff3", window=[(0, 0), (1, 2)], min_obs=200)
    first, second = result.by_window
    assert first.n == 0 and second.n == 1
    assert first.skipped[0].reason == f"missing hml factor return on {days[305]} in the event window"
    past = engine(market, [("F04", days[314], None)], model="ff3", window=(0, 3), min_obs=200)
    assert past.skipped[0].reason == f"event window runs past the last mkt_rf factor return ({days[315]})"


def test_factor_models_need_factors(tmp_path, synth, engine):
    from tracker.errors import MissingSeries

    market = synth.simulate(2, n_days=300, seed=2)
    with pytest.raises(MissingSeries, match="no mkt_rf, smb, hml, rf, mom factor returns in the data") as caught:
        engine(market, [("F00", market.dates[280], None)], model="carhart", window=(0, 0), min_obs=200)
    assert (caught.value.series, caught.value.names) == ("factors", ("mkt_rf", "smb", "hml", "rf", "mom"))
    assert "tracker" not in str(caught.value)  # the engine knows no command; `tracker study` adds what to import


def test_bad_options_name_the_parameter_and_on_the_command_line_the_flag(edge, engine):
    market, days = edge
    cases = [
        ({"model": "fama"}, "model='fama': unknown model", "--model fama: unknown model"),
        ({"window": (1, -1)}, "window=(1, -1): start is after end", "--window 1,-1: start is after end"),
        ({"window": [(-1, 1), (-20, 0)]}, "estimation=(-250, -11): the estimation window overlaps the event window -20,0",
         "--estimation -250,-11: the estimation window overlaps"),
        ({"min_obs": 2, "model": "ff3"}, "min_obs=2: must be between 5", "--min-obs 2: must be between 5"),
    ]
    for options, library, command_line in cases:
        with pytest.raises(StudyError) as caught:
            engine(market, [("F00", days[290], None)], **options)
        assert library in str(caught.value), options
        assert command_line in caught.value.for_command_line(), options
