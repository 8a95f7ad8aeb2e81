"""Importing price files in batches (bounded memory) stores the same facts as one batch would,
reports progress per batch, and an import interrupted between batches resumes where it stopped."""

from __future__ import annotations

import duckdb
import numpy as np
import pytest

import synthetic
from tracker.config import Settings
from tracker.ingest.files import import_prices

FACT_COLUMNS = "ticker, date, revision, open, high, low, close, adj_close, volume"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Four per-ticker files, a long file repeating one of their bars with a new close, and a bad file."""
    folder = tmp_path_factory.mktemp("batches")
    days = synthetic.sessions("2024-01-02", 30)
    rng = np.random.default_rng(5)
    paths = [synthetic.write_ticker_csv(folder / "a", t, days, synthetic.prices_from_returns(rng.normal(0, 0.01, 29)))
             for t in ("AAA", "BBB", "CCC", "DDD")]
    paths.append(synthetic.write_long_csv(folder / "b" / "long.csv", [
        {"ticker": "BBB", "date": days[3].isoformat(), "close": "123.5"},  # a correction of BBB's bar
        {"ticker": "EEE", "date": days[3].isoformat(), "close": "10.0"},
    ]))
    paths.append(synthetic.write_long_csv(folder / "b" / "bad.csv", [{"ticker": "FFF", "date": "2024-13-01", "close": "1"}]))
    return paths


def _facts(db) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(f"SELECT {FACT_COLUMNS} FROM price_bar_facts ORDER BY ticker, date, revision").fetchall()


def _prices(db) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT * EXCLUDE (seq) FROM prices ORDER BY ticker, date").fetchall()


def test_batches_of_one_file_store_what_one_batch_stores(tmp_path, files):
    whole = Settings(db=tmp_path / "whole.duckdb")
    batched = Settings(db=tmp_path / "batched.duckdb")
    one = import_prices(whole, files)
    steps = []
    many = import_prices(batched, files, batch_bytes=1, progress=steps.append)
    assert _facts(whole.db) == _facts(batched.db)
    assert _prices(whole.db) == _prices(batched.db)
    assert [r.path for r in one.rejected] == [r.path for r in many.rejected] == [files[-1]]
    assert (one.added, one.revised, one.bars_read, one.tickers) == (many.added, many.revised, many.bars_read, many.tickers) == (122, 1, 122, 5)
    assert [s.files_done for s in steps] == [1, 2, 3, 4, 5, 6]
    assert steps[-1].bytes_done == steps[-1].bytes and steps[-1].facts_added == 122


def test_an_interrupted_import_keeps_its_finished_batches_and_resumes(tmp_path, files, monkeypatch):
    from tracker.ingest.files import prices as module

    settings = Settings(db=tmp_path / "w.duckdb")
    real = module.read_price_files
    calls = []

    def failing(batch):
        calls.append(batch)
        if len(calls) == 3:
            raise KeyboardInterrupt  # killed while reading the third batch
        return real(batch)

    monkeypatch.setattr(module, "read_price_files", failing)
    with pytest.raises(KeyboardInterrupt):
        import_prices(settings, files, batch_bytes=1)
    monkeypatch.setattr(module, "read_price_files", real)
    assert {row[0] for row in _facts(settings.db)} == {"AAA", "BBB"}  # the two finished batches
    resumed = import_prices(settings, files, batch_bytes=1)
    assert resumed.skipped_files == 2  # recognised by their fingerprints, not read again
    reference = Settings(db=tmp_path / "ref.duckdb")
    import_prices(reference, files)
    assert _facts(settings.db) == _facts(reference.db)
