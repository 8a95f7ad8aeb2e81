"""Fixtures shared by the ingestion, source and scheduler tests."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

NY = ZoneInfo("America/New_York")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, tz=NY):
    """A clock fixed at a New York (or ``tz``) wall-clock time."""
    moment = dt.datetime(year, month, day, hour, minute, tzinfo=tz)
    return lambda: moment


@pytest.fixture(scope="session")
def empty_warehouse_file(tmp_path_factory):
    """A migrated, empty warehouse, built once (building the XNYS calendar takes ~1.5 s)."""
    from warehouse import Warehouse

    path = tmp_path_factory.mktemp("empty") / "empty.duckdb"
    Warehouse.open(path).close()
    return path


@pytest.fixture
def ingest_settings(tmp_path, empty_warehouse_file):
    """Settings for fast, quiet ingestion tests on a private copy of an empty warehouse:
    no pause between tickers, tiny backoff, news off."""
    import shutil

    from tracker.config import IngestSettings, Settings

    shutil.copy(empty_warehouse_file, tmp_path / "warehouse.duckdb")
    return Settings(
        db=tmp_path / "warehouse.duckdb", lock_timeout=5.0,
        ingest=IngestSettings(history_start=dt.date(2025, 1, 2), pause=0.0, news=False, retries=2, backoff=0.01, backoff_max=0.05),
    )


def no_sleep(_seconds: float) -> None:
    pass
