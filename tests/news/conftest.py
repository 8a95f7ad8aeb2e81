"""Fixtures of the news and tagging tests: the committed payloads, the labelled headlines, and
warehouses holding the catalogue and those headlines as news (built once, copied per test)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
NEWS_DATA = TESTS / "data" / "news"
PAYLOADS = NEWS_DATA / "payloads"
LABELLED = NEWS_DATA / "labelled_headlines.csv"
CATALOGUE = TESTS.parent / "tracker" / "data" / "catalogue" / "ai_events.csv"
NEWS_COLUMNS = ("published_at", "publisher", "title", "url", "tickers")


def labelled_rows() -> list[dict[str, str]]:
    with LABELLED.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_news_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    """The rows as a news CSV (``published_at,publisher,title,url,tickers``), labels dropped."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(NEWS_COLUMNS)
        for row in rows:
            writer.writerow([row[c] for c in NEWS_COLUMNS])
    return path


@pytest.fixture(scope="session")
def _labelled_warehouse_file(tmp_path_factory) -> Path:
    from tracker.config import Settings
    from tracker.ingest.files import import_catalogue
    from tracker.ingest.files import import_news

    folder = tmp_path_factory.mktemp("labelled")
    path = folder / "labelled.duckdb"
    settings = Settings(db=path)
    import_catalogue(settings, CATALOGUE)
    import_news(settings, [write_news_csv(folder / "labelled_news.csv", labelled_rows())])
    return path


@pytest.fixture
def labelled_settings(_labelled_warehouse_file, tmp_path):
    """A private warehouse with the packaged catalogue and every labelled headline as news (untagged)."""
    from tracker.config import Settings

    path = tmp_path / "labelled.duckdb"
    shutil.copy(_labelled_warehouse_file, path)
    return Settings(db=path, lock_timeout=5.0)


@pytest.fixture
def news_only_settings(tmp_path):
    """A warehouse with the labelled headlines as news and no catalogue."""
    from tracker.config import Settings
    from tracker.ingest.files import import_news

    settings = Settings(db=tmp_path / "news-only.duckdb", lock_timeout=5.0)
    import_news(settings, [write_news_csv(tmp_path / "labelled_news.csv", labelled_rows())])
    return settings


def query(settings, sql: str, params=None):
    from warehouse import Warehouse

    with Warehouse.open(settings.db, read_only=True) as warehouse:
        return warehouse.query(sql, params)


@pytest.fixture(scope="session")
def labelled() -> list[dict[str, str]]:
    """The labelled headlines (see tests/data/news/build_labelled.py)."""
    return labelled_rows()


@pytest.fixture
def news_csv():
    """``news_csv(path, rows)`` writes rows as a news CSV and returns the path."""
    return write_news_csv


@pytest.fixture
def read():
    """``read(settings, sql, params)`` runs a query on a warehouse opened read-only -> polars frame."""
    return query


@pytest.fixture
def payloads() -> Path:
    """The committed test payloads (CSV, yfinance current and legacy JSON, RSS, Atom)."""
    return PAYLOADS
