r"""Test statistics across firm-events, each returned as a small :class:`TestResult`.

Notation: :math:`N` firm-events, :math:`CAR_i` over :math:`L_2` days, :math:`M_i` estimation
returns, :math:`SCAR_i = CAR_i/\hat\sigma_{CAR_i}` with the estimation-error-corrected variance
(:func:`tracker.analysis.market_model.car_variance`). p-values are two-sided.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special


@dataclass(frozen=True)
class TestResult:
    """A test statistic with its p-value, null distribution and, when undefined, the reason."""

    name: str
    stat: float | None
    p: float | None
    distribution: str  # "N(0,1)" or "t(df)"
    df: float | None = None
    null: str = "mean abnormal return is zero"
    reason: str | None = None

    def to_dict(self) -> dict:
        out = {"stat": self.stat, "p": self.p, "distribution": self.distribution, "df": self.df}
        if self.reason:
            out["reason"] = self.reason
        return out


def two_sided_p_normal(z):
    """Two-sided p-value of ``z`` under N(0,1) (scalar or array)."""
    p = 2.0 * special.ndtr(-np.abs(z))
    return float(p) if np.ndim(p) == 0 else p


def two_sided_p_t(t, df):
    """Two-sided p-value of ``t`` under Student t with ``df`` degrees of freedom (scalar or array)."""
    p = 2.0 * special.stdtr(np.asarray(df, dtype=float), -np.abs(t))
    return float(p) if np.ndim(p) == 0 else p


def _undefined(name: str, distribution: str, reason: str) -> TestResult:
    return TestResult(name, None, None, distribution, reason=reason)


def cross_sectional_t(car: np.ndarray) -> TestResult:
    r"""Cross-sectional t (Brown & Warner 1985): :math:`t = \overline{CAR}\,/\,(s_{CAR}/\sqrt N)`.

    :math:`s_{CAR}` is the sample standard deviation (``ddof=1``) of the CARs; ``t(N-1)`` under
    the null. Robust to event-induced variance, not to cross-correlation (clustered dates).
    """
    name, n = "cross_sectional_t", car.size
    if n < 2:
        return _undefined(name, "t", "needs at least 2 firm-events")
    sd = float(np.std(car, ddof=1))
    if sd == 0.0:
        return _undefined(name, "t", "CARs do not vary across firm-events")
    t = float(np.mean(car)) / (sd / math.sqrt(n))
    return TestResult(name, t, two_sided_p_t(t, n - 1), f"t({n - 1})", float(n - 1))


def patell_z(scar: np.ndarray, n_obs: np.ndarray) -> TestResult:
    r"""Patell (1976) Z on standardised CARs.

    .. math:: Z = \frac{\sum_i SCAR_i}{\sqrt{\sum_i (M_i-2)/(M_i-4)}} \sim N(0,1)

    Each :math:`SCAR_i` is :math:`t(M_i-2)` under the null with variance :math:`(M_i-2)/(M_i-4)`.
    This is the "SCAR" form used by estudy2 and StatsPAI; it includes the estimation-error
    covariance across window days. Over-rejects when event dates cluster (Kolari–Pynnönen 2010).
    """
    name = "patell_z"
    if scar.size == 0:
        return _undefined(name, "N(0,1)", "no firm-events")
    if np.any(n_obs <= 4):
        return _undefined(name, "N(0,1)", "needs more than 4 estimation returns per firm-event")
    z = float(np.sum(scar) / math.sqrt(np.sum((n_obs - 2) / (n_obs - 4))))
    return TestResult(name, z, two_sided_p_normal(z), "N(0,1)")


def bmp_t(scar: np.ndarray) -> TestResult:
    r"""Boehmer, Musumeci & Poulsen (1991) standardised cross-sectional t.

    .. math:: t = \sqrt N\,\frac{\overline{SCAR}}{s_{SCAR}} \sim t(N-1)

    Robust to event-induced variance; over-rejects under clustered event dates.
    """
    name, n = "bmp_t", scar.size
    if n < 2:
        return _undefined(name, "t", "needs at least 2 firm-events")
    sd = float(np.std(scar, ddof=1))
    if sd == 0.0:
        return _undefined(name, "t", "standardised CARs do not vary across firm-events")
    t = math.sqrt(n) * float(np.mean(scar)) / sd
    return TestResult(name, t, two_sided_p_t(t, n - 1), f"t({n - 1})", float(n - 1))
