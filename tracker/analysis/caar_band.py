r"""The CAAR path over the event window with a pointwise confidence band.

The band uses the standard deviation of the *portfolio* average abnormal return in the
estimation window, the Brown & Warner (1985) "crude dependence adjustment" (CDA; engineering
notes §2.5). Because the AAR is the return of one equal-weighted portfolio of the firms, its
time-series variance includes every covariance between them, so the band stays honest when all
firm-events share day 0 (DeepSeek), where cross-sectional standard errors are too narrow
(Kolari & Pynnönen 2010).

.. math::

    AAR_\tau = \frac{1}{N_\tau}\sum_i \hat\varepsilon_{i\tau}\ (\tau \in E),\qquad
    \hat S = \sqrt{\frac{1}{M-1}\sum_{\tau\in E}\bigl(AAR_\tau - \overline{AAR}_E\bigr)^2}

    CAAR(\tau_1, t) = \sum_{s=\tau_1}^{t} AAR_s,\qquad
    SE\bigl(CAAR(\tau_1, t)\bigr) = \sqrt{t-\tau_1+1}\;\hat S,\qquad
    \text{band} = CAAR \pm t_{M-1,\,(1+\ell)/2}\; SE

:math:`\hat\varepsilon_{i\tau}` are the estimation-window residuals in event time, :math:`N_\tau`
the firm-events with a residual on day :math:`\tau` and :math:`M` the estimation days with at
least one. The band at the last window day is the confidence interval of the CDA t-test of the
window's CAAR, :math:`t_{CDA} = CAAR/(\sqrt{L_2}\hat S)`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

METHOD = "Brown-Warner (1985) crude dependence adjustment: sqrt(days) x sd of the estimation-window portfolio AAR"


@dataclass(frozen=True)
class CaarBand:
    """CAAR through each window day with its standard error and ``level`` confidence band.

    Attributes
    ----------
    offsets
        Event-window days :math:`\\tau_1..\\tau_2`.
    caar
        Cumulative average abnormal return from :math:`\\tau_1` through each day.
    se
        Standard error of each cumulative CAAR, :math:`\\sqrt{k}\\,\\hat S`.
    lower, upper
        The band, ``caar ∓ critical · se``.
    s_aar
        :math:`\\hat S`, the estimation-window standard deviation of the portfolio AAR.
    df
        Degrees of freedom of the critical value, :math:`M-1`.
    """

    offsets: tuple[int, ...]
    caar: np.ndarray
    se: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    level: float
    critical: float
    s_aar: float
    df: int
    method: str = METHOD

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "method": self.method,
            "s_aar": _num(self.s_aar),
            "df": self.df,
            "critical": _num(self.critical),
            "days": [
                {"offset": o, "caar": _num(c), "se": _num(s), "lower": _num(lo), "upper": _num(hi)}
                for o, c, s, lo, hi in zip(self.offsets, self.caar, self.se, self.lower, self.upper)
            ],
        }


def caar_band(
    estimation_residuals: np.ndarray,
    ar: np.ndarray,
    offsets: list[int] | tuple[int, ...],
    level: float = 0.95,
) -> CaarBand:
    """CAAR path and CDA confidence band.

    Parameters
    ----------
    estimation_residuals
        ``(N, L1)`` market-model residuals on the estimation days (NaN where a return is missing).
    ar
        ``(N, L2)`` abnormal returns on the event window (complete: firm-events with a missing
        window return are skipped before this).
    offsets
        The ``L2`` event-window offsets.
    level
        Confidence level of the band (two-sided).
    """
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be between 0 and 1, not {level}")
    l2 = ar.shape[1]
    with np.errstate(invalid="ignore"):
        present = np.isfinite(estimation_residuals)
        counts = present.sum(axis=0)
        sums = np.where(present, estimation_residuals, 0.0).sum(axis=0)
        aar_est = sums[counts > 0] / counts[counts > 0]
    m = int(aar_est.size)
    s_aar = float(np.std(aar_est, ddof=1)) if m >= 2 else math.nan
    df = m - 1
    critical = float(special.stdtrit(df, 0.5 + level / 2.0)) if m >= 2 else math.nan
    caar = np.cumsum(ar.mean(axis=0)) if ar.shape[0] else np.full(l2, np.nan)
    se = np.sqrt(np.arange(1, l2 + 1)) * s_aar
    return CaarBand(
        offsets=tuple(int(o) for o in offsets),
        caar=caar,
        se=se,
        lower=caar - critical * se,
        upper=caar + critical * se,
        level=level,
        critical=critical,
        s_aar=s_aar,
        df=df,
    )


def _num(value: Any) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None
