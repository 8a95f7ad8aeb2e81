"""Synthetic panels with planted abnormal returns: every statistic recovers the sign and significance.

And the Kolari–Pynnönen adjustment: with a common shock on a shared event date it shrinks BMP
and Patell; with independent residuals it leaves them nearly unchanged; it pairs residuals by
calendar date, so the same firms spread over unrelated dates need no adjustment.
"""

from __future__ import annotations

import numpy as np
import pytest

from tracker.analysis import TEST_NAMES

N_DAYS = 700


def _plant(market, events, size, window_days=(0,)):
    for ticker, index in events:
        for d in window_days:
            market.returns[ticker][index + d] += size


@pytest.fixture(scope="module")
def spread_events(synth):
    """40 firms x 2 events on distinct dates between sessions 260 and 690."""
    rng = np.random.default_rng(21)
    indexes = rng.choice(np.arange(260, N_DAYS - 10), 80, replace=False)
    return [(f"F{i % 40:02d}", int(j)) for i, j in enumerate(indexes)]


@pytest.mark.parametrize("size", [0.025, -0.025])
def test_every_test_recovers_a_planted_effect(tmp_path, synth, engine, spread_events, size):
    market = synth.simulate(40, n_days=N_DAYS, seed=8, noise=0.015)
    _plant(market, spread_events, size)
    firm_events = [(t, market.dates[j], f"e{k}") for k, (t, j) in enumerate(spread_events)]
    result = engine(market, firm_events, window=[(0, 0), (-1, 1)], min_obs=200)
    for w in result.by_window:
        assert w.n == 80
        assert np.sign(w.caar) == np.sign(size)
        for name in TEST_NAMES:
            test = w.tests[name]
            if name == "portfolio_t":  # the firm-events do not share day 0
                assert test.stat is None and test.reason
                continue
            assert np.sign(test.stat) == np.sign(size), (w.window, name, test)
            assert test.p < 0.01, (w.window, name, test)


def test_no_planted_effect_rejects_nothing_much(tmp_path, synth, engine, spread_events):
    market = synth.simulate(40, n_days=N_DAYS, seed=8, noise=0.015)
    firm_events = [(t, market.dates[j], f"e{k}") for k, (t, j) in enumerate(spread_events)]
    result = engine(market, firm_events, window=(-1, 1), min_obs=200)
    stats = {name: t.stat for name, t in result.tests.items() if t.stat is not None}
    assert len(stats) == len(TEST_NAMES) - 1
    assert all(abs(s) < 3 for s in stats.values()), stats


@pytest.mark.parametrize("size", [0.03, -0.03])
def test_clustered_planted_effect_and_the_portfolio(tmp_path, synth, engine, size):
    market = synth.simulate(30, n_days=300, seed=9, noise=0.015, common=0.3)
    day = 280
    _plant(market, [(f"F{i:02d}", day) for i in range(30)], size)
    result = engine(market, [(f"F{i:02d}", market.dates[day], "shock") for i in range(30)], window=(0, 0), min_obs=200)
    w = result.first
    assert w.clustered and result.common_day0
    for name in ("portfolio_t", "kp_bmp_t", "kp_patell_z", "cda_t", "corrado_rank_z", "grank_t"):
        assert np.sign(w.tests[name].stat) == np.sign(size), name
        assert w.tests[name].p < 0.05, (name, w.tests[name])
    # the robust tests come first when day 0 is shared
    order = [name for name, _, _ in w.ordered_tests()]
    assert order[:7] == ["portfolio_t", "kp_bmp_t", "kp_patell_z", "cda_t", "grank_t", "corrado_rank_z", "rank_z"]


def _kp_ratios(result):
    t = result.tests
    return t["kp_bmp_t"].stat / t["bmp_t"].stat, t["kp_patell_z"].stat / t["patell_z"].stat


def test_kolari_pynnonen_shrinks_under_a_common_shock(tmp_path, synth, engine):
    market = synth.simulate(30, n_days=300, seed=12, noise=0.01, common=1.0)
    _plant(market, [(f"F{i:02d}", 280) for i in range(30)], 0.02)
    result = engine(market, [(f"F{i:02d}", market.dates[280], "x") for i in range(30)], window=(0, 0), min_obs=200)
    r_bar = result.first.mean_cross_correlation
    assert 0.3 < r_bar < 0.7
    bmp_ratio, patell_ratio = _kp_ratios(result)
    assert bmp_ratio == pytest.approx(np.sqrt((1 - r_bar) / (1 + 29 * r_bar)), rel=1e-12)
    assert patell_ratio == pytest.approx(np.sqrt(1 / (1 + 29 * r_bar)), rel=1e-12)
    assert bmp_ratio < 0.3 and patell_ratio < 0.3
    assert abs(result.tests["kp_bmp_t"].stat) < abs(result.tests["bmp_t"].stat)


def test_kolari_pynnonen_barely_moves_with_independent_residuals(tmp_path, synth, engine):
    market = synth.simulate(30, n_days=300, seed=13, noise=0.015, common=0.0)
    _plant(market, [(f"F{i:02d}", 280) for i in range(30)], 0.02)
    result = engine(market, [(f"F{i:02d}", market.dates[280], "x") for i in range(30)], window=(0, 0), min_obs=200)
    assert abs(result.first.mean_cross_correlation) < 0.01
    bmp_ratio, patell_ratio = _kp_ratios(result)
    assert abs(bmp_ratio - 1) < 0.15 and abs(patell_ratio - 1) < 0.15


def test_cross_correlation_is_paired_by_calendar_date(tmp_path, synth, engine):
    """The same correlated firms: on one date r is large; on dates far apart their CARs share no day, r is ~0."""
    market = synth.simulate(20, n_days=700, seed=14, noise=0.01, common=1.0)
    same = engine(market, [(f"F{i:02d}", market.dates[600], "x") for i in range(20)], window=(-1, 1), min_obs=200)
    spread = engine(market, [(f"F{i:02d}", market.dates[300 + 20 * i], f"x{i}") for i in range(20)], window=(-1, 1), min_obs=200)
    # partly overlapping windows: day 0 one session apart share 2 of 3 window days
    near = engine(market, [(f"F{i:02d}", market.dates[600 + (i % 2)], "x") for i in range(20)], window=(-1, 1), min_obs=200)
    assert same.first.mean_cross_correlation > 0.3
    assert abs(spread.first.mean_cross_correlation) < 0.02
    assert spread.tests["kp_bmp_t"].stat == pytest.approx(spread.tests["bmp_t"].stat, rel=0.3)
    assert 0.5 * same.first.mean_cross_correlation < near.first.mean_cross_correlation < same.first.mean_cross_correlation
