"""Synthetic markets for event-study tests: planted daily returns, held in memory or imported.

A :class:`Market` plants daily returns; :meth:`Market.frames` gives them as the warehouse's
``returns`` view would (a day without a bar has no return, and neither has the day after), and
:meth:`Market.data` as the engine's :class:`tracker.analysis.InMemoryData`: the maths tests need
no warehouse. :meth:`Market.build` imports the same market into a real warehouse the way a user
builds one (price CSVs, a factor CSV, a catalogue), for the tests of the warehouse path.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import synthetic


def sessions(first: dt.date = dt.date(2020, 1, 2), count: int = 320) -> list[dt.date]:
    """``count`` consecutive XNYS sessions from ``first``."""
    return synthetic.sessions(first.isoformat(), count)


@dataclass
class Market:
    """Daily returns to turn into a warehouse: ``returns[ticker]`` aligned with ``dates``.

    NaN in a return series means "no bar that day" (so that day's and the next day's returns
    are missing in the warehouse). ``factors`` maps factor names to decimal returns (NaN =
    missing day). ``events`` are catalogue rows ``(event_id, kind, date)``.
    """

    dates: list[dt.date]
    returns: dict[str, np.ndarray] = field(default_factory=dict)
    factors: dict[str, np.ndarray] = field(default_factory=dict)
    events: list[tuple[str, str, dt.date]] = field(default_factory=list)

    def write_prices(self, folder: Path) -> list[Path]:
        paths = []
        for ticker, rets in self.returns.items():
            present = np.isfinite(rets)  # no bar on a NaN day: this return and the next are missing
            closes = 100.0 * np.cumprod(np.where(present, 1.0 + rets, 1.0))
            dates = [day for day, ok in zip(self.dates, present) if ok]
            paths.append(synthetic.write_ticker_csv(folder, ticker, dates, closes[present]))
        return paths

    def write_factors(self, path: Path) -> Path:
        names = [n for n in ("mkt_rf", "smb", "hml", "rf", "mom") if n in self.factors]
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["date", *names])
            for j, day in enumerate(self.dates):
                writer.writerow([day.isoformat(), *["" if not np.isfinite(self.factors[n][j]) else repr(float(self.factors[n][j] * 100)) for n in names]])
        return path

    def write_catalogue(self, path: Path) -> Path:
        return synthetic.write_catalogue(path, [
            {"event_id": e[0], "name": e[0], "kind": e[1], "org": "Org", "announced_at": f"{e[2].isoformat()}T00:00",
             "timezone": "America/New_York", "date_precision": "day", "source_url": "https://example.org",
             "tickers": " ".join(e[3]) if len(e) > 3 else ""}
            for e in self.events
        ])

    def frames(self):
        """``(returns, factors)`` polars frames: ``ticker, date, ret`` (missing days left out) and ``date, <factor>...``."""
        import polars as pl

        rows = []
        for ticker, rets in self.returns.items():
            present = np.isfinite(rets)
            for j in range(1, len(self.dates)):  # the first day has no previous close
                if present[j] and present[j - 1]:
                    rows.append((ticker, self.dates[j], float(rets[j])))
        returns = pl.DataFrame(rows, schema={"ticker": pl.String, "date": pl.Date, "ret": pl.Float64}, orient="row")
        factors = None
        if self.factors:
            factors = pl.DataFrame({"date": self.dates} | {
                name: [float(v) if np.isfinite(v) else None for v in values] for name, values in self.factors.items()
            }, schema_overrides={name: pl.Float64 for name in self.factors})
        return returns, factors

    def data(self):
        """The market as the engine's :class:`~tracker.analysis.InMemoryData` (every session of ``dates``)."""
        from tracker.analysis import InMemoryData

        returns, factors = self.frames()
        return InMemoryData.from_frames(returns, factors, sessions=self.dates)

    def event_rows(self) -> list[dict]:
        """The catalogue events as rows of the ``events`` view (what an exclusion is built from);
        an event given as ``(event_id, kind, day, tickers)`` names the tickers it concerns."""
        return [{"event_id": e[0], "kind": e[1], "day0": e[2], "tickers": list(e[3]) if len(e) > 3 else []} for e in self.events]

    def build(self, folder: Path):
        """Import everything into ``folder/warehouse.duckdb``; return its Settings."""
        from tracker.config import Settings
        from tracker.ingest.files import import_catalogue, import_factors, import_prices

        settings = Settings(db=folder / "warehouse.duckdb", lock_timeout=5.0)
        import_prices(settings, self.write_prices(folder / "prices"))
        if self.factors:
            import_factors(settings, [self.write_factors(folder / "factors.csv")])
        if self.events:
            import_catalogue(settings, self.write_catalogue(folder / "catalogue.csv"))
        return settings


def simulate(
    n_firms: int,
    *,
    n_days: int = 320,
    seed: int = 1,
    common: float = 0.0,
    noise: float = 0.015,
    with_factors: bool = False,
) -> Market:
    """A market index ``MKT`` and firms ``F00..`` with betas, optional common (industry) shock, factors."""
    rng = np.random.default_rng(seed)
    dates = sessions(count=n_days)
    market = rng.normal(0.0004, 0.01, n_days)
    industry = rng.normal(0.0, 0.01, n_days)
    factors = {}
    if with_factors:
        factors = {
            "mkt_rf": market - 0.0001, "smb": rng.normal(0, 0.005, n_days), "hml": rng.normal(0, 0.005, n_days),
            "rf": np.full(n_days, 0.0001), "mom": rng.normal(0, 0.006, n_days),
        }
    returns = {"MKT": market}
    for i in range(n_firms):
        beta = rng.uniform(0.6, 1.6)
        r = 0.0002 + beta * market + common * industry + rng.normal(0, noise, n_days)
        if with_factors:
            r = r + rng.uniform(-0.5, 0.5) * factors["smb"] + rng.uniform(-0.5, 0.5) * factors["hml"] + rng.uniform(-0.3, 0.3) * factors["mom"]
        returns[f"F{i:02d}"] = r
    return Market(dates, returns, factors)
