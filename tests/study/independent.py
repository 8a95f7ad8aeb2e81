"""An independent event study of a few firm-events, for checking group differences and the
cross-sectional regression: returns straight from a prices CSV, each firm's market model fitted
with statsmodels, and each CAR written as a linear function of the returns on calendar days.

For firm-event *i*, ``CAR_i = g_i' r_i``: +1 on its window days, minus its estimation days'
weights ``1' X_E (X_W' X_W)^-1 X_W'``. Under the market model with contemporaneous residual
covariance ``sigma_ij``, ``Cov(CAR_i, CAR_j) = sigma_ij * g_i' g_j`` (summing over calendar
days), which is what :func:`tracker.analysis.groups.car_covariance` computes another way.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import statsmodels.api as sm


def read_returns(path: Path) -> tuple[list[dt.date], dict[str, np.ndarray]]:
    """Sessions and simple returns by ticker (``adj_close`` when the file has it, else ``close``)."""
    closes: dict[str, dict[dt.date, float]] = {}
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle):
            price = row.get("adj_close") or row["close"]
            closes.setdefault(row["ticker"], {})[dt.date.fromisoformat(row["date"])] = float(price)
    sessions = sorted({d for by_date in closes.values() for d in by_date})
    returns = {}
    for ticker, by_date in closes.items():
        prices = np.array([by_date.get(d, np.nan) for d in sessions])
        returns[ticker] = np.concatenate([[np.nan], prices[1:] / prices[:-1] - 1.0])
    return sessions, returns


def read_shared_returns(folder: Path) -> tuple[list[dt.date], dict[str, np.ndarray]]:
    """The same from ``../shared/data/prices/*.csv`` (one file per ticker, ``date,…,adj_close``)."""
    closes: dict[str, dict[dt.date, float]] = {}
    for path in sorted(folder.glob("*.csv")):
        with open(path, newline="") as handle:
            rows = list(csv.DictReader(handle))
        ticker = rows[0].get("ticker") or path.stem
        closes[ticker] = {dt.date.fromisoformat(r["date"][:10]): float(r.get("adj_close") or r["close"]) for r in rows
                          if (r.get("adj_close") or r["close"])}
    sessions = sorted(set(closes["SPY"]))
    returns = {}
    for ticker, by_date in closes.items():
        prices = np.array([by_date.get(d, np.nan) for d in sessions])
        returns[ticker] = np.concatenate([[np.nan], prices[1:] / prices[:-1] - 1.0])
    return sessions, returns


@dataclass
class Fitted:
    ticker: str
    day0: int  # session index
    car: float
    g: np.ndarray  # (sessions,) CAR = g' r
    residual: np.ndarray  # (sessions,) on estimation days, 0 elsewhere
    used: np.ndarray  # (sessions,) bool estimation days
    df: int


def market_model(sessions, returns, ticker: str, day0: dt.date, estimation=(-250, -11), window=(0, 0),
                 market: str = "SPY") -> Fitted:
    d0 = sessions.index(day0)
    est = np.arange(d0 + estimation[0], d0 + estimation[1] + 1)
    win = np.arange(d0 + window[0], d0 + window[1] + 1)
    y, m = returns[ticker], returns[market]
    x_w = sm.add_constant(m[est])
    fit = sm.OLS(y[est], x_w).fit()
    x_e = sm.add_constant(m[win], has_constant="add")
    car = float((y[win] - fit.predict(x_e)).sum())
    g = np.zeros(len(sessions))
    g[win] = 1.0
    g[est] -= x_e.sum(axis=0) @ np.linalg.inv(x_w.T @ x_w) @ x_w.T
    residual = np.zeros(len(sessions))
    residual[est] = fit.resid
    used = np.zeros(len(sessions), dtype=bool)
    used[est] = True
    return Fitted(ticker, d0, car, g, residual, used, int(fit.df_resid))


def covariance(fits: list[Fitted], k: int = 2) -> np.ndarray:
    """``Omega``: sigma_ij (residual cross-products over common estimation days / (common - k)) times g_i'g_j."""
    n = len(fits)
    omega = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            common = fits[i].used & fits[j].used
            if common.sum() <= k:
                continue
            sigma = float(fits[i].residual[common] @ fits[j].residual[common]) / (common.sum() - k)
            omega[i, j] = sigma * float(fits[i].g @ fits[j].g)
    return omega
