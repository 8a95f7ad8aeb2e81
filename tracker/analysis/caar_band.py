r"""The CAAR path over an event window with a pointwise confidence band.

The band scales by :math:`\hat S`, the standard deviation of the *portfolio* average abnormal
return over the estimation window, the same quantity as the Brown & Warner (1985) crude
dependence t (:func:`tracker.analysis.statistics.crude_dependence`, engineering notes §2.5).
Because the AAR is the return of one equal-weighted portfolio of the firms, its time-series
variance includes every covariance between them, so the band stays honest when all firm-events
share day 0 (DeepSeek), where cross-sectional standard errors are too narrow (Kolari &
Pynnönen 2010).

.. math::

    CAAR(\tau_1, t) = \sum_{s=\tau_1}^{t} AAR_s,\qquad
    SE\bigl(CAAR(\tau_1, t)\bigr) = \sqrt{t-\tau_1+1}\;\hat S,\qquad
    \text{band} = CAAR \pm t_{T_E-1,\,(1+\ell)/2}\; SE

The band at the window's last day is the confidence interval of the window's ``cda_t``: it
excludes zero exactly when that test rejects at level :math:`1-\ell`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from tracker.analysis.formatting import json_number
from tracker.analysis.statistics import CrudeDependence

LEVEL = 0.95
METHOD = "Brown-Warner (1985) crude dependence adjustment: sqrt(days) x sd of the estimation-window portfolio AAR"


@dataclass(frozen=True)
class CaarBand:
    r"""CAAR through each window day with its standard error and ``level`` confidence band.

    Attributes
    ----------
    offsets
        Event-window days :math:`\tau_1..\tau_2`.
    caar
        Cumulative average abnormal return from :math:`\tau_1` through each day.
    se
        Standard error of each cumulative CAAR, :math:`\sqrt{k}\,\hat S` (NaN when
        :math:`\hat S` is undefined).
    lower, upper
        The band, ``caar ∓ critical · se``.
    s_aar
        :math:`\hat S`, or ``None`` with ``reason`` when undefined.
    df
        Degrees of freedom of the critical value, :math:`T_E-1` (``None`` when undefined).
    """

    offsets: tuple[int, ...]
    caar: np.ndarray
    se: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    level: float
    critical: float
    s_aar: float | None
    df: int | None
    reason: str | None = None
    method: str = METHOD

    def to_dict(self) -> dict[str, Any]:
        """The JSON block ``aggregate.caar_band`` (the CAAR itself is in ``aggregate.aar[].caar``)."""
        out: dict[str, Any] = {
            "level": self.level,
            "method": self.method,
            "s_aar": json_number(self.s_aar),
            "df": self.df,
            "critical": json_number(self.critical),
            "days": [
                {"offset": o, "se": json_number(s), "lower": json_number(lo), "upper": json_number(hi)}
                for o, s, lo, hi in zip(self.offsets, self.se.tolist(), self.lower.tolist(), self.upper.tolist())
            ],
        }
        if self.reason:
            out["reason"] = self.reason
        return out


def caar_band(offsets: range | list[int], aar: np.ndarray, crude: CrudeDependence, level: float = LEVEL) -> CaarBand:
    """CAAR path of ``aar`` (one value per window day) and its CDA confidence band.

    Parameters
    ----------
    offsets
        The window's day offsets.
    aar
        Average abnormal return of each window day.
    crude
        :math:`\\hat S` of the window's firm-events, as the ``cda_t`` test uses it.
    level
        Confidence level of the band (two-sided).
    """
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be between 0 and 1, not {level}")
    caar = np.cumsum(aar)
    defined = crude.sd is not None
    s_aar = crude.sd if defined else math.nan
    df = crude.days - 1 if defined else None
    critical = float(special.stdtrit(df, 0.5 + level / 2.0)) if defined else math.nan
    se = np.sqrt(np.arange(1, caar.size + 1)) * s_aar
    return CaarBand(
        offsets=tuple(int(o) for o in offsets),
        caar=caar,
        se=se,
        lower=caar - critical * se,
        upper=caar + critical * se,
        level=level,
        critical=critical,
        s_aar=crude.sd,
        df=df,
        reason=crude.reason,
    )


__all__ = ["LEVEL", "METHOD", "CaarBand", "caar_band"]
