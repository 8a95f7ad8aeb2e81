r"""Cross-sectional regression of firm-events' CARs on their characteristics.

.. math::

    \mathrm{CAR}_i = \gamma_0 + \gamma' x_i + u_i \qquad\text{(OLS over the firm-events with a CAR and characteristics)}

Three standard errors, each with its t and two-sided p:

``shared_day0`` (read this one)
    :math:`V = (X'X)^{-1} X'\Omega X (X'X)^{-1}` with :math:`\Omega` the covariance of the CARs from
    the estimation window (:func:`tracker.analysis.groups.car_covariance`): each firm's own
    variance and, for pairs, their residual covariance over the days they share. Valid when the
    firm-events share day 0 (Sefcik & Thompson 1986 make the same point: CARs of one date are
    cross-correlated and heteroskedastic, so the OLS formula is wrong). ``t(n-k)``.
``cluster``
    Cluster-robust by day 0 (CR1: :math:`\frac{G}{G-1}\frac{n-1}{n-k}`, ``t(G-1)``, as statsmodels'
    ``cov_type="cluster"``); valid with many day 0s, undefined with fewer than two.
``ols``
    The classical :math:`s^2 (X'X)^{-1}`, ``t(n-k)``: assumes independent, equal-variance CARs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tracker.analysis import statistics
from tracker.analysis.formatting import json_number
from tracker.errors import StudyError

STANDARD_ERRORS = ("shared_day0", "cluster", "ols")


@dataclass(frozen=True)
class Coefficient:
    name: str
    estimate: float
    se: dict[str, float | None]  # per kind of standard error
    t: dict[str, float | None]
    p: dict[str, float | None]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "estimate": json_number(self.estimate),
                **{f"{kind}_{what}": json_number(getattr(self, what)[kind]) for kind in STANDARD_ERRORS for what in ("se", "t", "p")}}


@dataclass(frozen=True)
class CrossSection:
    """The regression of one window's CARs."""

    window: tuple[int, int]
    n: int
    clusters: int  # distinct day 0s
    r2: float
    coefficients: list[Coefficient]
    df: dict[str, int | None]  # degrees of freedom of each standard error's t
    left_out: int  # firm-events of the window without characteristics
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"window": list(self.window), "n": self.n, "day0s": self.clusters, "r2": json_number(self.r2),
                "df": self.df, "left_out": self.left_out, "notes": list(self.notes),
                "coefficients": [c.to_dict() for c in self.coefficients]}


def characteristics_of(firm_events: Sequence[Any], frame: Any) -> tuple[np.ndarray, tuple[str, ...]]:
    """``(n, m)`` characteristics of each firm-event (NaN rows where none), from a polars frame with
    ``ticker``, an optional ``date`` (a firm-event's event date or day 0) and numeric columns.

    Rows with a date apply to that firm-event; rows without one to every firm-event of the ticker.
    """
    import polars as pl

    names = tuple(c for c in frame.columns if c not in ("ticker", "date"))
    if not names:
        raise StudyError("the characteristics have no column besides ticker and date", hint="add columns like size,beta")
    values = frame.select(pl.col(names).cast(pl.Float64)).to_numpy()
    tickers = frame["ticker"].to_list()
    dates = frame["date"].to_list() if "date" in frame.columns else [None] * frame.height
    by_key = {(t, d): i for i, (t, d) in enumerate(zip(tickers, dates))}
    out = np.full((len(firm_events), len(names)), np.nan)
    for j, fe in enumerate(firm_events):
        row = by_key.get((fe.ticker, fe.event_date), by_key.get((fe.ticker, fe.day0), by_key.get((fe.ticker, None))))
        if row is not None:
            out[j] = values[row]
    return out, names


def regress_cars(window: tuple[int, int], car: np.ndarray, x: np.ndarray, names: Sequence[str], day0: np.ndarray,
                 omega: np.ndarray | None, *, left_out: int = 0) -> CrossSection:
    """OLS of ``car`` ``(n,)`` on a constant and ``x`` ``(n, m)`` (columns ``names``); ``day0`` clusters,
    ``omega`` the CARs' covariance (``None``: too many firm-events to form it)."""
    n, m = x.shape
    k = m + 1
    if n <= k:
        raise StudyError(f"the cross-sectional regression of window {window[0]},{window[1]} has {n} firm-events "
                         f"for {k} coefficients", hint="give characteristics for more firm-events, or fewer characteristics")
    design = np.column_stack([np.ones(n), x])
    xtx = design.T @ design
    if np.linalg.matrix_rank(xtx) < k:
        raise StudyError("the characteristics are collinear (or one is constant) across the firm-events",
                         hint="drop a characteristic that repeats another")
    bread = np.linalg.inv(xtx)
    gamma = bread @ design.T @ car
    resid = car - design @ gamma
    ssr = float(resid @ resid)
    centred = car - car.mean()
    r2 = 1.0 - ssr / float(centred @ centred) if float(centred @ centred) > 0 else float("nan")
    notes = []
    covariances: dict[str, np.ndarray | None] = {"ols": bread * (ssr / (n - k))}
    df: dict[str, int | None] = {"ols": n - k}
    if omega is not None:
        covariances["shared_day0"] = bread @ design.T @ omega @ design @ bread
        df["shared_day0"] = n - k
    else:
        covariances["shared_day0"], df["shared_day0"] = None, None
        notes.append("shared_day0 standard errors need the CARs' covariance, not formed for this many firm-events")
    clusters, codes = np.unique(day0, return_inverse=True)
    g = clusters.size
    if g >= 2:
        scores = np.zeros((g, k))
        np.add.at(scores, codes, design * resid[:, None])
        meat = scores.T @ scores
        covariances["cluster"] = bread @ meat @ bread * (g / (g - 1)) * ((n - 1) / (n - k))
        df["cluster"] = g - 1
        if g < 30:
            notes.append(f"only {g} day 0s: cluster-robust standard errors are unreliable with few clusters")
    else:
        covariances["cluster"], df["cluster"] = None, None
        notes.append("one day 0: cluster-robust standard errors are undefined; read shared_day0")
    coefficients = []
    for j, name in enumerate(("const", *names)):
        se, t, p = {}, {}, {}
        for kind in STANDARD_ERRORS:
            cov = covariances[kind]
            variance = float(cov[j, j]) if cov is not None else float("nan")
            if cov is None or not variance > 0:
                se[kind] = t[kind] = p[kind] = None
                continue
            se[kind] = variance ** 0.5
            t[kind] = float(gamma[j]) / se[kind]
            p[kind] = statistics.two_sided_p_t(t[kind], df[kind])
        coefficients.append(Coefficient(name, float(gamma[j]), se, t, p))
    return CrossSection(window, n, g, r2, coefficients, df, left_out, tuple(notes))


__all__ = ["STANDARD_ERRORS", "Coefficient", "CrossSection", "characteristics_of", "regress_cars"]
