"""Small cases worked by hand: every number below follows from the returns in a few lines of arithmetic."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats


@pytest.fixture(scope="module")
def tiny(tmp_path_factory, synth):
    """Eight sessions; AAA for the mean-adjusted case, BBB = 0.001 + 1.5 MKT + e for the market model."""
    days = synth.sessions(count=8)
    nan = float("nan")
    market = np.array([nan, 0.0, 0.01, 0.02, -0.01, 0.00, 0.02, 0.01])
    aaa = np.array([nan, 0.0, 0.01, -0.01, 0.02, 0.00, 0.03, -0.01])
    e = np.array([0.0, 0.0, 0.001, -0.001, -0.001, 0.001, 0.0, 0.0])
    bbb = 0.001 + 1.5 * market + e
    bbb[6] = 0.05
    bbb[0] = nan
    # a first bar is needed before the first return: prepend it by starting each series with a price
    m = synth.Market(days, {"MKT": np.r_[0.0, market[1:]], "AAA": np.r_[0.0, aaa[1:]], "BBB": np.r_[0.0, bbb[1:]]})
    return m, days


def test_mean_adjusted_by_hand(tiny, engine):
    market, days = tiny
    result = engine(market, [("AAA", days[6], None)], model="mean-adjusted", estimation=(-4, -1), window=(0, 1), min_obs=4)
    w = result.first
    # estimation returns 0.01, -0.01, 0.02, 0.00: mean 0.005, residuals ±0.005, ±0.015, SSR 0.0005, s2 = 0.0005/3
    s2 = 0.0005 / 3
    assert result.alpha[0] == pytest.approx(0.005, abs=1e-12)
    assert result.sigma[0] ** 2 == pytest.approx(s2, rel=1e-9)
    np.testing.assert_allclose(w.ar[0], [0.025, -0.015], atol=1e-12)
    assert w.car[0] == pytest.approx(0.01, abs=1e-12)
    # Var(CAR) = s2 (L2 + L2^2/M) = s2 (2 + 1) = 0.0005
    assert w.car_var[0] == pytest.approx(0.0005, rel=1e-9)
    assert w.car_t_clm[0] == pytest.approx(0.01 / math.sqrt(0.0005), rel=1e-9)
    assert w.car_t[0] == pytest.approx(0.01 / math.sqrt(2 * s2), rel=1e-9)
    assert w.car_p[0] == pytest.approx(2 * stats.t.sf(0.01 / math.sqrt(0.0005), 3), rel=1e-9)
    # BHAR = 1.03 * 0.99 - 1.005^2
    assert w.bhar[0] == pytest.approx(1.03 * 0.99 - 1.005**2, abs=1e-12)
    assert w.window_return[0] == pytest.approx(1.03 * 0.99 - 1, abs=1e-12)


def test_market_model_by_hand(tiny, engine):
    market, days = tiny
    result = engine(market, [("BBB", days[6], None)], model="market", estimation=(-4, -1), window=(0, 0), min_obs=4)
    w = result.first
    # residuals e sum to 0 and are orthogonal to the market: OLS recovers alpha and beta exactly
    assert result.alpha[0] == pytest.approx(0.001, abs=1e-12)
    assert result.beta[0] == pytest.approx(1.5, rel=1e-9)
    s2 = 4e-6 / 2  # SSR / (M - 2)
    assert result.sigma[0] ** 2 == pytest.approx(s2, rel=1e-6)
    assert w.ar[0, 0] == pytest.approx(0.05 - 0.001 - 1.5 * 0.02, abs=1e-12)
    # Var(AR0) = s2 (1 + 1/M + (Rm0 - mean Rm)^2 / Sxx) = 2e-6 (1 + 0.25 + 0.015^2 / 0.0005)
    assert w.car_var[0] == pytest.approx(2e-6 * (1.25 + 0.45), rel=1e-6)
    assert w.car_t_clm[0] == pytest.approx(0.019 / math.sqrt(3.4e-6), rel=1e-6)
    # one firm: the portfolio is that firm; with df = 2 the variance df/(df-2) of a SCAR is undefined
    assert result.tests["portfolio_t"].stat == pytest.approx(w.car_t_clm[0], rel=1e-9)
    assert result.tests["patell_z"].stat is None and "degrees of freedom" in result.tests["patell_z"].reason


def test_market_adjusted_by_hand(tiny, engine):
    market, days = tiny
    result = engine(market, [("AAA", days[6], None)], model="market-adjusted", estimation=(-4, -1), window=(0, 1), min_obs=4)
    w = result.first
    # AR = R - Rm; estimation ARs 0.00, -0.03, 0.03, 0.00: variance about their mean, M - 1 = 3 df
    est = np.array([0.01 - 0.01, -0.01 - 0.02, 0.02 + 0.01, 0.0])
    s2 = est.var(ddof=1)
    assert result.sigma[0] ** 2 == pytest.approx(s2, rel=1e-9)
    np.testing.assert_allclose(w.ar[0], [0.03 - 0.02, -0.01 - 0.01], atol=1e-12)
    assert w.car_var[0] == pytest.approx(2 * s2, rel=1e-9)  # nothing estimated: L2 s2
    assert w.car_t[0] == pytest.approx(w.car_t_clm[0], rel=1e-12)
    assert int(result.df[0]) == 3
