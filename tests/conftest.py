"""Shared fixtures: isolated environment, warehouses built from real files, CLI runner.

Every test runs in its own temporary working directory with HOME, XDG folders and TRACKER_*
variables pointing there, so no test sees the developer's config or warehouse.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
SAMPLE_PRICES = REPO / "tracker" / "data" / "sample" / "prices.csv"
CATALOGUE = REPO / "tracker" / "data" / "catalogue" / "ai_events.csv"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    for name in list(os.environ):
        if name.startswith("TRACKER_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("TRACKER_LOCK_TIMEOUT", "5")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    yield


@pytest.fixture
def shared_data() -> Path:
    """``../shared/data`` beside the repository; tests that need it skip on a fresh clone."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"needs ../shared/data (not present beside {REPO.name}: a fresh clone has only the shipped sample)")
    return SHARED_DATA


@pytest.fixture
def settings(tmp_path):
    from tracker.config import Settings

    return Settings(db=tmp_path / "warehouse.duckdb", lock_timeout=5.0)


@pytest.fixture(scope="session")
def _sample_warehouse_file(tmp_path_factory) -> Path:
    from tracker.config import Settings
    from tracker.ingest.files import import_catalogue, import_prices

    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    built = Settings(db=path)
    import_catalogue(built, CATALOGUE)
    import_prices(built, [SAMPLE_PRICES])
    return path


@pytest.fixture
def sample_settings(_sample_warehouse_file, tmp_path):
    """Settings of a private copy of a warehouse holding the shipped sample and catalogue."""
    from tracker.config import Settings

    path = tmp_path / "sample.duckdb"
    shutil.copy(_sample_warehouse_file, path)
    return Settings(db=path, lock_timeout=5.0)


@pytest.fixture
def cli():
    """Invoke the real CLI in-process: ``cli("study", "X", "--db", path)`` -> click Result."""
    from typer.testing import CliRunner

    from tracker.cli import app

    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, [str(a) for a in args], input=input)

    return invoke


@pytest.fixture(scope="session")
def synth():
    """Builders of synthetic markets (``tests/markets.py``): ``synth.simulate(...)``, ``synth.Market(...)``, ``synth.sessions(...)``."""
    from types import SimpleNamespace

    import markets

    return SimpleNamespace(simulate=markets.simulate, Market=markets.Market, sessions=markets.sessions)
