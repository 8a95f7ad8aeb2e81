"""The result of an event study: arrays for computing, frames for analysts, JSON for machines.

The JSON document (``StudyResult.to_dict()``) is a stable, documented schema; the same inputs
and log position always give byte-identical JSON (no timestamps, no paths, fixed order).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from tracker.analysis.panel import FirmEvent, Skipped
from tracker.analysis.statistics import TestResult

SCHEMA_VERSION = 1
_FIRMS_PLACEHOLDER = "@@firms-go-here@@"

#: Conventions stated in every JSON result (and in the README).
CONVENTIONS = {
    "returns": "simple daily total returns R_t = P_t/P_{t-1} - 1 on XNYS sessions, from adj_close where both bars have it, else close",
    "missing": "a missing bar makes that day's return missing; a firm-event with a missing return in its event window is skipped",
    "windows": "inclusive offsets in trading sessions from day 0; day 0 is the first session the event could move",
    "estimation": "OLS on estimation days where both the firm's and the market's returns exist; sigma^2 = SSR/(n-2)",
    "ar": "AR = R - (alpha + beta * Rm); CAR = sum of AR over the event window (L2 days)",
    "car_t": "CAR / (sigma * sqrt(L2))",
    "car_t_clm": "CAR / sqrt(sigma^2 * (L2 + L2^2/n + (sum_W (Rm - mean_E Rm))^2 / sum_E (Rm - mean_E Rm)^2)) (MacKinlay 1997; CLM 1997 ch. 4)",
    "car_p": "two-sided p-value of car_t_clm under t(n-2)",
    "scar": "standardised CAR = car_t_clm; Patell Z and BMP t use it",
    "patell_z": "sum SCAR / sqrt(sum (n-2)/(n-4)) ~ N(0,1)",
    "bmp_t": "sqrt(N) mean(SCAR) / sd(SCAR) ~ t(N-1)",
    "cross_sectional_t": "mean(CAR) / (sd(CAR)/sqrt(N)) ~ t(N-1)",
}


def _num(value: Any) -> float | None:
    """A JSON-safe float (NaN and infinities become null)."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _json_list(values: np.ndarray) -> list:
    """An array as (nested) lists of floats, with NaN and infinities as None (JSON null)."""
    values = np.asarray(values, dtype=float)
    return np.where(np.isfinite(values), values, None).tolist()


@dataclass
class StudyResult:
    """Abnormal returns and tests of one study. Build it with :class:`tracker.analysis.EventStudy`."""

    event: dict[str, Any]
    model: str
    market: str
    estimation: tuple[int, int]
    window: tuple[int, int]
    min_obs: int
    log_position: int
    firm_events: list[FirmEvent]
    day0: np.ndarray  # (N,) datetime64[D]
    window_dates: np.ndarray  # (N, L2) datetime64[D]
    returns: np.ndarray  # (N, L2) firm returns in the window
    market_returns: np.ndarray  # (N, L2)
    alpha: np.ndarray
    beta: np.ndarray
    sigma: np.ndarray
    n_est: np.ndarray
    ar: np.ndarray  # (N, L2)
    car: np.ndarray
    car_t: np.ndarray
    car_t_clm: np.ndarray
    car_p: np.ndarray
    skipped: list[Skipped]
    tests: dict[str, TestResult] = field(default_factory=dict)

    # -- shape ---------------------------------------------------------------------------------
    @property
    def n(self) -> int:
        return len(self.firm_events)

    @property
    def offsets(self) -> list[int]:
        return list(range(self.window[0], self.window[1] + 1))

    @property
    def common_day0(self) -> bool:
        """True when every firm-event shares day 0 (fully clustered, like DeepSeek)."""
        return self.n > 0 and bool(np.all(self.day0 == self.day0[0]))

    # -- aggregates ------------------------------------------------------------------------------
    @property
    def aar(self) -> np.ndarray:
        """Average abnormal return per window day (length L2)."""
        if self.n == 0:
            return np.full(len(self.offsets), np.nan)
        return self.ar.mean(axis=0)

    @property
    def caar(self) -> float:
        return float(self.aar.sum()) if self.n else float("nan")

    @property
    def window_return(self) -> np.ndarray:
        """Compounded raw return of each firm over the event window."""
        return np.prod(1.0 + self.returns, axis=1) - 1.0

    # -- frames ----------------------------------------------------------------------------------
    @property
    def firms(self) -> pl.DataFrame:
        """One row per firm-event: estimates, CAR and its tests."""
        return pl.DataFrame({
            "ticker": [fe.ticker for fe in self.firm_events],
            "event_id": [fe.event_id for fe in self.firm_events],
            "event_date": [fe.event_date for fe in self.firm_events],
            "day0": [fe.day0 for fe in self.firm_events],
            "alpha": self.alpha, "beta": self.beta, "sigma": self.sigma, "n_est": self.n_est,
            "window_return": self.window_return,
            "car": self.car, "car_t": self.car_t, "car_t_clm": self.car_t_clm, "car_p": self.car_p,
        }, schema_overrides={"event_id": pl.String})

    @property
    def ar_frame(self) -> pl.DataFrame:
        """Long frame: one row per firm-event and window day (``offset, date, ret, market_ret, ar``)."""
        l2 = len(self.offsets)
        return pl.DataFrame({
            "ticker": np.repeat([fe.ticker for fe in self.firm_events], l2),
            "event_id": np.repeat(np.array([fe.event_id or "" for fe in self.firm_events], dtype=object), l2),
            "offset": np.tile(self.offsets, self.n),
            "date": self.window_dates.reshape(-1),
            "ret": self.returns.reshape(-1),
            "market_ret": self.market_returns.reshape(-1),
            "ar": self.ar.reshape(-1),
        })

    # -- JSON ------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The documented JSON document (see the README's "Study JSON" section)."""
        offsets = self.offsets
        common = self.common_day0
        dates = np.datetime_as_string(self.window_dates).tolist() if self.n else []
        returns, market, ar = _json_list(self.returns), _json_list(self.market_returns), _json_list(self.ar)
        columns = {name: _json_list(getattr(self, name)) for name in ("alpha", "beta", "sigma", "car", "car_t", "car_t_clm", "car_p")}
        window_return = _json_list(self.window_return)
        n_est = self.n_est.tolist()
        firms = []
        for i, fe in enumerate(self.firm_events):
            firms.append({
                "ticker": fe.ticker,
                "event_id": fe.event_id,
                "event_date": fe.event_date.isoformat(),
                "day0": fe.day0.isoformat(),
                "alpha": columns["alpha"][i],
                "beta": columns["beta"][i],
                "sigma": columns["sigma"][i],
                "n_est": n_est[i],
                "ar": [
                    {"offset": offset, "date": dates[i][j], "ret": returns[i][j], "market_ret": market[i][j], "ar": ar[i][j]}
                    for j, offset in enumerate(offsets)
                ],
                "window_return": window_return[i],
                "car": columns["car"][i],
                "car_t": columns["car_t"][i],
                "car_t_clm": columns["car_t_clm"][i],
                "car_p": columns["car_p"][i],
            })
        aar = _json_list(self.aar)
        return {
            "schema_version": SCHEMA_VERSION,
            "event": self.event,
            "model": self.model,
            "market": self.market,
            "estimation": list(self.estimation),
            "window": list(self.window),
            "min_obs": self.min_obs,
            "log_position": self.log_position,
            "conventions": CONVENTIONS,
            "firms": firms,
            "skipped": [
                {"ticker": s.ticker, "event_id": s.event_id, "event_date": s.event_date.isoformat(), "reason": s.reason}
                for s in self.skipped
            ],
            "aggregate": {
                "n": self.n,
                "common_day0": str(self.day0[0]) if common else None,
                "caar": _num(self.caar),
                "aar": [
                    {"offset": offset, "date": dates[0][j] if common else None, "aar": aar[j], "n": self.n}
                    for j, offset in enumerate(offsets)
                ],
                "tests": {name: test.to_dict() for name, test in self.tests.items()},
            },
        }

    def to_json(self) -> str:
        """The JSON document: indented, with one compact line per firm-event (fast for large panels)."""
        document = self.to_dict()
        firms = document["firms"]
        document["firms"] = _FIRMS_PLACEHOLDER
        text = json.dumps(document, indent=2, ensure_ascii=False)
        lines = ",\n".join("    " + json.dumps(firm, ensure_ascii=False) for firm in firms)
        return text.replace(f'"{_FIRMS_PLACEHOLDER}"', f"[\n{lines}\n  ]" if firms else "[]", 1) + "\n"
