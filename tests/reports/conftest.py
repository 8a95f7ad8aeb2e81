"""A warehouse with the shipped sample plus a short-history ticker, and reports rendered from it once."""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE_PRICES = REPO / "tracker" / "data" / "sample" / "prices.csv"
TICKERS = ("NVDA", "AVGO", "AAPL", "MSFT", "TSM", "META", "NEWCO")
EVENT = "2025-01-20-deepseek-r1"
WINDOWS = ((0, 4), (-1, 1))
NEWCO_SOURCE = "test: newco.csv"


@dataclass(frozen=True)
class Rendered:
    settings: object
    result: object
    study: dict  # the study's JSON document, parsed
    html: Path
    markdown: Path
    markdown_files: tuple[Path, ...]


def write_newco(path: Path) -> Path:
    """NVDA's bars from 2024-12-02 on, as a new ticker with too short a history to study."""
    with SAMPLE_PRICES.open() as handle, path.open("w", newline="") as out:
        reader = csv.DictReader(handle)
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames)
        writer.writeheader()
        for row in reader:
            if row["ticker"] == "NVDA" and row["date"] >= "2024-12-02":
                writer.writerow({**row, "ticker": "NEWCO"})
    return path


@pytest.fixture(scope="session")
def report_settings(_sample_warehouse_file, tmp_path_factory):
    from tracker.config import Settings
    from tracker.ingest.files import import_prices

    folder = tmp_path_factory.mktemp("report-warehouse")
    path = folder / "reports.duckdb"
    shutil.copy(_sample_warehouse_file, path)
    settings = Settings(db=path, lock_timeout=5.0)
    import_prices(settings, [write_newco(folder / "NEWCO.csv")], source=NEWCO_SOURCE)
    return settings


@pytest.fixture(scope="session")
def rendered(report_settings, tmp_path_factory) -> Rendered:
    """The R1 study over two windows (days 0..+4, then -1..+1; NEWCO skipped) written once as HTML
    and once as Markdown."""
    from tracker.reports.writer import write_report
    from tracker.study.request import StudyRequest, run_study

    out = tmp_path_factory.mktemp("reports")
    result = run_study(report_settings, StudyRequest(event_id=EVENT, tickers=TICKERS, windows=WINDOWS))
    html = write_report(report_settings, result, out=out / "r1.html", fmt="html", lead="NVDA")
    md = write_report(report_settings, result, out=out / "md" / "r1.md", fmt="md", lead="NVDA")
    return Rendered(report_settings, result, json.loads(result.to_json()), html.path, md.path, md.files)
