r"""Parametric tests across firm-events, each returned as a small :class:`TestResult`.

Notation (one event window :math:`W=[\tau_1,\tau_2]` of :math:`L_2` days): :math:`N` firm-events
with complete data in the window; :math:`CAR_i=\sum_{t\in W}AR_{it}`; :math:`M_i` estimation
days and :math:`d_i=M_i-k` residual degrees of freedom; :math:`\hat\sigma^2_{CAR_i}` the
estimation-error-corrected variance of :func:`tracker.analysis.models.car_variance`;
:math:`SCAR_i = CAR_i/\hat\sigma_{CAR_i}`. p-values are two-sided.

The rank and sign tests are in :mod:`tracker.analysis.nonparametric`, the cross-correlation
estimate behind the Kolari–Pynnönen adjustments in :mod:`tracker.analysis.cross_correlation`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import special

from tracker.analysis.formatting import json_number

#: Every aggregate test, in the order results list them.
TEST_NAMES = (
    "cross_sectional_t", "cda_t", "patell_z", "bmp_t", "kp_patell_z", "kp_bmp_t",
    "corrado_rank_z", "rank_z", "grank_t", "generalized_sign_z", "sign_z", "wilcoxon",
    "skew_adjusted_t", "portfolio_t", "calendar_time_t",
)

#: Tests that stay valid when firm-events share day 0 (their abnormal returns are
#: cross-correlated), in the order to read them: the portfolio treats the firms as one
#: security; Kolari–Pynnönen correct Patell and BMP for the average cross-correlation; the
#: crude-dependence t and the rank tests standardise by the time series of the *average*
#: abnormal return or rank, which carries the correlation (Brown & Warner 1985; Corrado 1989;
#: Kolari & Pynnönen 2010, 2011); the calendar-time portfolio is a time series of daily
#: cross-sectional means (Jaffe 1974; Mandelker 1974), valid however the dates cluster, but with
#: one shared day 0 it has only the window's days.
CLUSTER_ROBUST = ("portfolio_t", "kp_bmp_t", "kp_patell_z", "cda_t", "grank_t", "corrado_rank_z", "rank_z",
                  "calendar_time_t")


def reading_order(clustered: bool) -> list[tuple[str, bool]]:
    """``(name, valid_under_clustering)`` of every test in the order to read them.

    :data:`TEST_NAMES` order; when the firm-events are ``clustered`` (all share day 0), the
    :data:`CLUSTER_ROBUST` tests come first, in their order.
    """
    rows = [(name, name in CLUSTER_ROBUST) for name in TEST_NAMES]
    if clustered:
        rows.sort(key=lambda row: (not row[1], CLUSTER_ROBUST.index(row[0]) if row[1] else TEST_NAMES.index(row[0])))
    return rows


@dataclass(frozen=True)
class TestResult:
    """A test statistic with its p-value and null distribution, in the style of linearmodels.

    ``stat`` and ``p`` are ``None`` when the test is undefined for the data; ``reason`` says why.
    ``estimate`` is the quantity a regression test is about (the calendar-time portfolio's daily
    alpha) and ``details`` more numbers about it; both are in :meth:`to_dict` only when set.
    """

    __test__ = False  # not a pytest test class

    name: str
    stat: float | None
    p: float | None
    distribution: str  # "N(0,1)", "t(15)", "exact signed-rank (N=12)"
    df: float | None = None
    null: str = "mean abnormal return is zero"
    reason: str | None = None
    estimate: float | None = None
    details: Mapping[str, float | int] | None = field(default=None, hash=False)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"stat": json_number(self.stat), "p": json_number(self.p), "distribution": self.distribution,
                               "df": self.df, "null": self.null}
        if self.estimate is not None:
            out["estimate"] = json_number(self.estimate)
        if self.details:
            out.update({key: json_number(value) if isinstance(value, float) else value for key, value in self.details.items()})
        if self.reason:
            out["reason"] = self.reason
        return out

    def __str__(self) -> str:
        if self.stat is None:
            return f"{self.name}: undefined ({self.reason})"
        return f"{self.name} = {self.stat:.4f}, p = {self.p:.4g} under {self.distribution}"


def two_sided_p_normal(z):
    """Two-sided p-value of ``z`` under N(0,1) (scalar or array)."""
    p = 2.0 * special.ndtr(-np.abs(z))
    return float(p) if np.ndim(p) == 0 else p


def two_sided_p_t(t, df):
    """Two-sided p-value of ``t`` under Student t with ``df`` degrees of freedom (scalar or array)."""
    p = 2.0 * special.stdtr(np.asarray(df, dtype=float), -np.abs(t))
    return float(p) if np.ndim(p) == 0 else p


def undefined(name: str, distribution: str, reason: str, null: str = "mean abnormal return is zero") -> TestResult:
    return TestResult(name, None, None, distribution, null=null, reason=reason)


def normal_test(name: str, z: float, null: str = "mean abnormal return is zero") -> TestResult:
    if not math.isfinite(z):
        return undefined(name, "N(0,1)", "the statistic is not finite (no variation to scale by)", null)
    return TestResult(name, z, two_sided_p_normal(z), "N(0,1)", null=null)


def t_test(name: str, t: float, df: float, null: str = "mean abnormal return is zero") -> TestResult:
    label = f"t({df:g})"
    if not math.isfinite(t):
        return undefined(name, label, "the statistic is not finite (no variation to scale by)", null)
    return TestResult(name, t, two_sided_p_t(t, df), label, float(df), null=null)


def cross_sectional_t(car: np.ndarray) -> TestResult:
    r"""Cross-sectional t (Brown & Warner 1985, JFE 14:3–31).

    .. math:: t = \frac{\overline{CAR}}{s_{CAR}/\sqrt N},\qquad
              s^2_{CAR} = \frac{1}{N-1}\sum_i (CAR_i-\overline{CAR})^2 \;\sim\; t(N-1)

    Robust to event-induced variance; assumes independent firm-events, so it over-rejects when
    event dates cluster.
    """
    name, n = "cross_sectional_t", car.size
    if n < 2:
        return undefined(name, "t", "needs at least 2 firm-events")
    sd = float(np.std(car, ddof=1))
    if sd == 0.0:
        return undefined(name, "t", "CARs do not vary across firm-events")
    return t_test(name, float(np.mean(car)) / (sd / math.sqrt(n)), n - 1)


def daily_cross_sectional_t(ar: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cross-sectional t of each day's ARs (columns of ``ar``) and its two-sided p under t(N-1)."""
    n = ar.shape[0]
    if n < 2:
        nan = np.full(ar.shape[1], np.nan)
        return nan, nan
    with np.errstate(invalid="ignore", divide="ignore"):
        t = ar.mean(axis=0) / (ar.std(axis=0, ddof=1) / math.sqrt(n))
    return t, two_sided_p_t(t, n - 1)


@dataclass(frozen=True)
class CrudeDependence:
    r"""The estimation-window time series of the average abnormal return (Brown & Warner 1985).

    :math:`\hat S` (``sd``) is the standard deviation of :math:`AAR_\tau` over the
    :math:`T_E` (``days``) estimation days with data; the crude-dependence t and the CAAR band
    (:mod:`tracker.analysis.caar_band`) both scale by it. ``sd`` is ``None`` with a ``reason``
    when it is undefined.
    """

    sd: float | None
    days: int
    reason: str | None = None


def crude_dependence(day_sum: np.ndarray, day_count: np.ndarray, n: int) -> CrudeDependence:
    r""":math:`\hat S`, the time-series standard deviation of the estimation-window AAR.

    .. math::

        \hat S = \sqrt{\frac{1}{T_E-1}\sum_{\tau\in E}(AAR_\tau-\overline{AAR}_E)^2}

    :math:`AAR_\tau` is the mean estimation-window AR across the firm-events with data on event
    day :math:`\tau`, and :math:`T_E` the number of such days.

    Parameters
    ----------
    day_sum, day_count
        ``(L1,)`` sum of the ``n`` firm-events' estimation-window ARs on each event-time day
        (missing days counting 0), and how many of them have data that day.
    n
        Number of firm-events.
    """
    if n == 0:
        return CrudeDependence(None, 0, "no firm-events")
    with np.errstate(invalid="ignore", divide="ignore"):
        aar = day_sum / day_count
    aar = aar[np.isfinite(aar)]
    if aar.size < 2:
        return CrudeDependence(None, int(aar.size), "needs at least 2 estimation days")
    sd = float(np.std(aar, ddof=1))
    if sd == 0.0:
        return CrudeDependence(None, int(aar.size), "the estimation-window AAR does not vary")
    return CrudeDependence(sd, int(aar.size))


def cda_t(crude: CrudeDependence, caar: float, l2: int) -> TestResult:
    r"""Brown & Warner (1985) crude dependence adjustment: the AAR's own time series.

    .. math::

        t_{CDA} = \frac{CAAR(\tau_1,\tau_2)}{\sqrt{L_2}\,\hat S} \;\sim\; t(T_E-1)

    with :math:`\hat S` and :math:`T_E` from :func:`crude_dependence`. The portfolio's own
    variance absorbs cross-correlation, so the test holds under clustered event dates.

    Parameters
    ----------
    crude
        :math:`\hat S` of the window's firm-events (:func:`crude_dependence`).
    caar
        :math:`\sum_{t\in W} AAR_t`.
    l2
        Window length.
    """
    if crude.sd is None:
        return undefined("cda_t", "t", crude.reason or "undefined")
    return t_test("cda_t", caar / (math.sqrt(l2) * crude.sd), crude.days - 1)


def patell_z(scar: np.ndarray, df: np.ndarray) -> TestResult:
    r"""Patell (1976, JAR 14:246–276) Z on standardised CARs.

    .. math:: Z = \frac{\sum_i SCAR_i}{\sqrt{\sum_i d_i/(d_i-2)}} \sim N(0,1)

    Each :math:`SCAR_i` is :math:`t(d_i)` under the null, with variance :math:`d_i/(d_i-2)`
    (:math:`d_i = M_i - 2` for the market model). This is the "SCAR" form of estudy2 and
    StatsPAI, which keeps the covariance of estimation error across window days; the
    EventStudyTools form sums daily SARs instead. Over-rejects when event dates cluster and
    under event-induced variance.
    """
    name = "patell_z"
    if scar.size == 0:
        return undefined(name, "N(0,1)", "no firm-events")
    if np.any(df <= 2):
        return undefined(name, "N(0,1)", "needs more than 2 residual degrees of freedom per firm-event (raise --min-obs)")
    return normal_test(name, float(np.sum(scar) / math.sqrt(np.sum(df / (df - 2.0)))))


def bmp_t(scar: np.ndarray) -> TestResult:
    r"""Boehmer, Musumeci & Poulsen (1991, JFE 30:253–272) standardised cross-sectional t.

    .. math:: t = \sqrt N\,\frac{\overline{SCAR}}{s_{SCAR}} \sim t(N-1)

    with :math:`s_{SCAR}` the sample standard deviation of the SCARs. Robust to event-induced
    variance; over-rejects under clustered event dates.
    """
    name, n = "bmp_t", scar.size
    if n < 2:
        return undefined(name, "t", "needs at least 2 firm-events")
    sd = float(np.std(scar, ddof=1))
    if sd == 0.0:
        return undefined(name, "t", "standardised CARs do not vary across firm-events")
    return t_test(name, math.sqrt(n) * float(np.mean(scar)) / sd, n - 1)


def kp_adjusted(bmp: TestResult, patell: TestResult, r_bar: float | None, n: int) -> tuple[TestResult, TestResult]:
    r"""Kolari & Pynnönen (2010, RFS 23:3996–4025) adjustments for cross-correlation.

    .. math::

        t_{KP} = t_{BMP}\sqrt{\frac{1-\bar r}{1+(N-1)\bar r}},\qquad
        Z_{KP} = Z_{Patell}\sqrt{\frac{1}{1+(N-1)\bar r}}

    with :math:`\bar r` the average cross-correlation of the firm-events' abnormal returns
    (:func:`tracker.analysis.cross_correlation.mean_cross_correlation`, paired by calendar
    date). With :math:`N=1` there is nothing to correlate and :math:`Z_{KP}=Z_{Patell}`.
    The adjusted statistics keep the distributions of the unadjusted ones.
    """
    names = ("kp_bmp_t", "kp_patell_z")
    if r_bar is None or not math.isfinite(r_bar):
        reason = "needs at least 2 firm-events" if n < 2 else "cross-correlation is undefined"
        kp_patell = (TestResult(names[1], patell.stat, patell.p, patell.distribution, patell.df) if n == 1
                     else undefined(names[1], patell.distribution, reason))
        return undefined(names[0], bmp.distribution, reason), kp_patell
    inflation = 1.0 + (n - 1) * r_bar
    if inflation <= 0:
        reason = f"1 + (N-1) r = {inflation:.3g} is not positive (r = {r_bar:.3g})"
        return undefined(names[0], bmp.distribution, reason), undefined(names[1], patell.distribution, reason)
    out = []
    for name, base, factor in ((names[0], bmp, math.sqrt((1.0 - r_bar) / inflation)),
                               (names[1], patell, math.sqrt(1.0 / inflation))):
        if base.stat is None:
            out.append(undefined(name, base.distribution, base.reason or "the unadjusted test is undefined"))
        elif base.df is not None:
            out.append(t_test(name, base.stat * factor, base.df))
        else:
            out.append(normal_test(name, base.stat * factor))
    return out[0], out[1]


def skew_adjusted_t(bhar: np.ndarray) -> TestResult:
    r"""Lyon, Barber & Tsai (1999, JF 54:165–201) skewness-adjusted t on buy-and-hold ARs.

    .. math::

        S = \frac{\overline{BHAR}}{\sigma(BHAR)},\quad
        \hat\gamma = \frac{\sum_i (BHAR_i-\overline{BHAR})^3}{N\,\sigma(BHAR)^3},\quad
        t_{sa} = \sqrt N\Bigl(S + \frac{\hat\gamma S^2}{3} + \frac{\hat\gamma}{6N}\Bigr) \sim t(N-1)

    :math:`\sigma` is the sample standard deviation (:math:`N-1`). The Edgeworth correction
    removes the bias long-horizon BHARs' positive skewness gives the plain t.
    """
    name, n = "skew_adjusted_t", bhar.size
    null = "mean buy-and-hold abnormal return is zero"
    if n < 2:
        return undefined(name, "t", "needs at least 2 firm-events", null)
    mean = float(np.mean(bhar))
    sd = float(np.std(bhar, ddof=1))
    if sd == 0.0:
        return undefined(name, "t", "BHARs do not vary across firm-events", null)
    s = mean / sd
    gamma = float(np.sum((bhar - mean) ** 3)) / (n * sd**3)
    return t_test(name, math.sqrt(n) * (s + gamma * s * s / 3.0 + gamma / (6.0 * n)), n - 1, null)


def portfolio_t(car: float, car_var: float, df: int) -> TestResult:
    r"""The portfolio approach: the equal-weighted portfolio of the firms as one security.

    The portfolio's daily return is the mean of the firms' returns; the same model is fitted
    to it on the shared estimation window, and its CAR is tested with the single-security,
    estimation-error-corrected variance:

    .. math:: t_P = \frac{CAR_P}{\hat\sigma_{CAR_P}} \sim t(M_P-k)

    Because the portfolio's residual variance already contains every covariance between the
    firms, the test is exact under full clustering (MacKinlay 1997 §4; Campbell, Lo & MacKinlay
    1997 ch. 4; the recommendation of Kolari & Pynnönen 2010 for a common event date).
    """
    if not (car_var > 0):
        return undefined("portfolio_t", "t", "the portfolio's residual variance is zero")
    return t_test("portfolio_t", car / math.sqrt(car_var), df)
