"""The rank and sign machinery against scipy and brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats

from tracker.analysis.nonparametric import signed_rank_distribution, wilcoxon
from tracker.analysis.residuals import EstimationResiduals, average_ranks


def test_average_ranks_with_ties_and_gaps():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 30)).round(1)  # rounding makes ties
    x[rng.random(x.shape) < 0.1] = np.nan
    x[3] = 0.5  # a whole row of ties
    expected = stats.rankdata(x, axis=1, nan_policy="omit")
    np.testing.assert_allclose(average_ranks(x), expected, equal_nan=True)
    untied = rng.normal(size=(20, 15))
    np.testing.assert_allclose(average_ranks(untied), stats.rankdata(untied, axis=1))


@pytest.mark.parametrize("scaled", [False, True])
@pytest.mark.parametrize("m", [1, 3, 12])  # 12: past RANK_BY_SORTING, ranked by one sort
def test_ranks_with_appended_columns_equal_ranking_the_concatenation(scaled, m):
    rng = np.random.default_rng(1)
    est = rng.normal(size=(40, 25)).round(1)  # rounding makes ties, with each other and with extra
    est[rng.random(est.shape) < 0.15] = np.nan
    est[4] = np.nan  # a firm-event with no estimation AR at all
    extra = rng.normal(size=(40, m)).round(1)
    extra[:, -1] = extra[:, 0]  # ties among the appended values too
    scale = rng.uniform(0.5, 2.0, 40) if scaled else None
    residuals = EstimationResiduals.of(est)
    est_ranks, extra_ranks = residuals.ranks_with(extra, scale)
    reference = est if scale is None else est / scale[:, None]
    combined = stats.rankdata(np.concatenate([reference, extra], axis=1), axis=1, nan_policy="omit")
    np.testing.assert_allclose(est_ranks, np.where(np.isnan(est), 0.0, combined[:, :25]), rtol=1e-12)
    np.testing.assert_allclose(extra_ranks, combined[:, 25:], rtol=1e-12)


def test_signed_rank_distribution_by_enumeration():
    n = 10
    counts = np.zeros(n * (n + 1) // 2 + 1)
    for signs in itertools.product((0, 1), repeat=n):
        counts[sum(rank for rank, positive in zip(range(1, n + 1), signs) if positive)] += 1
    np.testing.assert_allclose(signed_rank_distribution(n), counts / 2**n)


@pytest.mark.parametrize("n", [1, 3, 8, 16, 50])
def test_wilcoxon_exact_against_scipy(n):
    rng = np.random.default_rng(n)
    car = rng.normal(0.01, 0.02, n)
    result = wilcoxon(car)
    assert result.distribution == f"exact signed-rank (n={n})"
    assert result.p == pytest.approx(stats.wilcoxon(car, method="exact").pvalue, rel=1e-10)
    w_plus = stats.rankdata(np.abs(car))[car > 0].sum()
    assert result.stat == pytest.approx((w_plus - n * (n + 1) / 4) / np.sqrt(n * (n + 1) * (2 * n + 1) / 24))


def test_wilcoxon_with_ties_or_large_n_uses_the_normal_approximation():
    tied = np.array([0.01, -0.01, 0.02, 0.02, -0.03, 0.04, 0.01, 0.0, 0.05])
    result = wilcoxon(tied)
    assert result.distribution == "N(0,1)"
    expected = stats.wilcoxon(tied, method="approx", correction=False, zero_method="wilcox")
    assert result.p == pytest.approx(expected.pvalue, rel=1e-10)
    large = np.random.default_rng(3).normal(0.001, 0.02, 200)
    big = wilcoxon(large)
    assert big.distribution == "N(0,1)"
    assert big.p == pytest.approx(stats.wilcoxon(large, method="approx", correction=False).pvalue, rel=1e-10)
def test_sign_tests_take_exact_binomial_p_values_up_to_50_firm_events():
    from scipy.stats import binomtest

    from tracker.analysis.nonparametric import binomial_p, sign_z

    for n, w, p in ((12, 9, 0.5), (12, 2, 0.5), (30, 21, 0.47), (50, 33, 0.52), (7, 0, 0.5), (7, 7, 0.5), (20, 10, 0.5)):
        assert binomial_p(w, n, p) == pytest.approx(binomtest(w, n, p).pvalue, rel=1e-12), (n, w, p)
    small = sign_z(np.array([0.01] * 9 + [-0.01] * 3))
    assert small.p == pytest.approx(binomtest(9, 12, 0.5).pvalue, rel=1e-12) and small.distribution.startswith("exact binomial")
    assert small.stat == pytest.approx((9 - 6) / np.sqrt(3))
    large = sign_z(np.array([0.01] * 40 + [-0.01] * 20))
    assert large.distribution == "N(0,1)"
