"""Synthetic warehouses for the event-study tests, built the way a user builds one.

Prices are written as CSV files and imported with ``tracker.ingest.files.import_prices``; factors
as a plain factor CSV through ``import_factors``; events through ``import_catalogue``. The
returns a test plants are what the warehouse later computes (up to float rounding), and the
independent reference (``reference_impl.py``, exposed as the ``reference`` fixture) reads them
back from the documented ``returns`` and ``factors`` views, not from the engine's own reads.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
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
            {"event_id": event_id, "name": event_id, "kind": kind, "org": "Org", "announced_at": f"{day.isoformat()}T00:00",
             "timezone": "America/New_York", "date_precision": "day", "source_url": "https://example.org"}
            for event_id, kind, day in self.events
        ])

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


@pytest.fixture(scope="session")
def reference():
    """The independent reference implementation (loops, statsmodels, scipy), as a module."""
    path = Path(__file__).with_name("reference_impl.py")
    spec = importlib.util.spec_from_file_location("event_study_reference", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def synth():
    """Builders of synthetic markets: ``synth.simulate(...)``, ``synth.Market(...)``, ``synth.sessions(...)``."""
    from types import SimpleNamespace

    return SimpleNamespace(simulate=simulate, Market=Market, sessions=sessions)


@pytest.fixture
def engine():
    """``engine(settings, [(ticker, day0, event_id), ...], **fit_options)`` -> StudyResult."""
    from tracker.analysis import EventStudy, FirmEvent
    from tracker.storage import open_reader

    def run(settings, firm_events, *, market="MKT", as_of=None, **options):
        events = [FirmEvent(ticker, event_id, day0, day0) for ticker, day0, event_id in firm_events]
        with open_reader(settings) as warehouse:
            return EventStudy(warehouse, events, market=market, as_of=as_of).fit(**options)

    return run
