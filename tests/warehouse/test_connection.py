"""One writer per file: a held lock is retried with backoff, then reported in one line."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from warehouse import Warehouse, WarehouseBusy, WarehouseMissing

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


def hold_lock(path, seconds: float) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "holding"
    return process


@pytest.fixture
def existing(tmp_path):
    path = tmp_path / "busy.duckdb"
    Warehouse.open(path).close()
    return path


def test_busy_after_the_timeout(existing):
    holder = hold_lock(existing, 30)
    try:
        started = time.monotonic()
        with pytest.raises(WarehouseBusy) as caught:
            Warehouse.open(existing, read_only=True, lock_timeout=1.0)
        assert time.monotonic() - started < 10
        message = str(caught.value)
        assert message.startswith("warehouse busy:") and "retry" in message and "\n" not in message
        assert f"PID {holder.pid}" in message
    finally:
        holder.kill()
        holder.wait()


def test_waits_for_a_lock_released_in_time(existing):
    holder = hold_lock(existing, 1.0)
    try:
        with Warehouse.open(existing, read_only=False, lock_timeout=20.0) as wh:
            assert wh.head() == 0
    finally:
        holder.wait()


def test_reading_a_missing_warehouse(tmp_path):
    with pytest.raises(WarehouseMissing, match="no warehouse at"):
        Warehouse.open(tmp_path / "nothing.duckdb", read_only=True)


def test_not_a_duckdb_file(tmp_path):
    path = tmp_path / "notes.duckdb"
    path.write_text("this is not a database")
    from warehouse import WarehouseError

    with pytest.raises(WarehouseError, match="cannot open warehouse"):
        Warehouse.open(path)
