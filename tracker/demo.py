"""``tracker demo``: the DeepSeek-R1 episode from the shipped sample, with no network.

It imports the packaged event catalogue and real-price sample (see
``tracker/data/sample/PROVENANCE.md``) into a warehouse of its own, then studies the R1
release (announced 2025-01-20 in Beijing, day 0 = 2025-01-21) over days 0..+4, and the
market's reaction on 2025-01-27 (the catalogue's ``2025-01-27-deepseek-selloff``) on its own.
It writes the release study as an HTML report (charts, tables, provenance) beside its warehouse.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from tracker.analysis import StudyResult
from tracker.config import DEFAULT_WATCHLIST, Settings, StudySettings, default_data_dir
from tracker.ingest.files import CatalogueImportReport, PriceImportReport, import_catalogue, import_prices
from tracker.study.request import StudyRequest, run_study

RELEASE_EVENT = "2025-01-20-deepseek-r1"
REACTION_EVENT = "2025-01-27-deepseek-selloff"
MARKET = "SPY"
REPORT_LEAD = "NVDA"  # the firm the report's headline leads with
SAMPLE_TICKERS = DEFAULT_WATCHLIST  # every ticker of the shipped sample but the market


@dataclass(frozen=True)
class DemoResult:
    db: Path
    catalogue: CatalogueImportReport
    prices: PriceImportReport
    release: StudyResult
    reaction: StudyResult
    report: Path  # the release study as one self-contained HTML file


def default_demo_db() -> Path:
    return default_data_dir() / "demo.duckdb"


def packaged(relative: str) -> Path:
    """Path of a file shipped in ``tracker/data``."""
    return Path(str(resources.files("tracker") / "data" / relative))


def default_demo_report(db: Path) -> Path:
    return Path(db).with_name(f"{Path(db).stem}-deepseek-r1.html")


def run_demo(db: Path, report: Path | None = None) -> DemoResult:
    """Build the demo warehouse at ``db``, run both studies and write the report (default: beside ``db``)."""
    from tracker.output_paths import check_output_path
    from tracker.reports.writer import FORMAT_SUFFIXES, write_report

    report = check_output_path(report or default_demo_report(db), FORMAT_SUFFIXES["html"], option="--report",
                               what="the demo's HTML report", protect=[db])
    settings = Settings(db=Path(db), study=StudySettings(watchlist=SAMPLE_TICKERS, market=MARKET))
    catalogue = import_catalogue(settings, packaged("catalogue/ai_events.csv"))
    prices = import_prices(settings, [packaged("sample/prices.csv")], source="tracker sample: data/sample/prices.csv")
    release = run_study(settings, StudyRequest(event_id=RELEASE_EVENT, tickers=SAMPLE_TICKERS, window=(0, 4)))
    reaction = run_study(settings, StudyRequest(event_id=REACTION_EVENT, tickers=SAMPLE_TICKERS, window=(0, 0)))
    written = write_report(settings, release, out=report, fmt="html", lead=REPORT_LEAD)
    return DemoResult(Path(db), catalogue, prices, release, reaction, written.path)
