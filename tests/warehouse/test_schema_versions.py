"""A warehouse from a newer tracker is refused, not opened; an older one that a reader cannot
upgrade (another process has it open, or the file is read-only) says that the upgrade needs
write access once, in one line, and nothing is changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys

import duckdb
import pytest

from warehouse import Warehouse
from warehouse.migrations import LATEST_VERSION

HOLD_READ = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print("holding", flush=True)
time.sleep(60)
"""


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_cli(*args, timeout: str = "1"):
    env = dict(os.environ, TRACKER_LOCK_TIMEOUT=timeout)
    return subprocess.run([sys.executable, "-m", "tracker", *map(str, args)], capture_output=True, text=True, env=env)


@pytest.fixture
def newer(sample_settings):
    with duckdb.connect(str(sample_settings.db)) as con:
        con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    [LATEST_VERSION + 1000, "from a newer tracker", dt.datetime.now(dt.timezone.utc)])
    return sample_settings.db


@pytest.mark.parametrize("read_only", [True, False])
def test_a_newer_warehouse_is_refused(newer, read_only):
    from warehouse.errors import WarehouseError

    before = digest(newer)
    with pytest.raises(WarehouseError, match="newer version of the tracker") as caught:
        Warehouse.open(newer, read_only=read_only)
    assert "upgrade the tracker" in str(caught.value)
    assert digest(newer) == before


def test_a_newer_warehouse_is_one_line_at_the_cli(cli, newer):
    for args in (("status",), ("sql", "SELECT 1"), ("import", "events", "/nonexistent.csv")):
        result = cli(*args, "--db", newer)
        assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.stderr
        assert "newer version" in result.stderr or "no such file" in result.stderr


@pytest.fixture
def older(sample_settings):
    """A warehouse whose projections an older tracker built: opening it upgrades them (a write)."""
    with duckdb.connect(str(sample_settings.db)) as con:
        con.execute("UPDATE projection_checkpoints SET version = version - 1 WHERE name = 'prices'")
    return sample_settings.db


def test_an_older_warehouse_held_by_another_reader_says_the_upgrade_needs_write_access(older):
    holder = subprocess.Popen([sys.executable, "-c", HOLD_READ, str(older)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        before = digest(older)
        result = run_cli("status", "--db", older)
        assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
        assert "upgrade" in result.stderr and "write access" in result.stderr and "tracker rebuild" in result.stderr
        assert "Traceback" not in result.stderr
        assert digest(older) == before
    finally:
        holder.kill()
        holder.wait()
    assert run_cli("status", "--db", older).returncode == 0  # once nobody else holds it, the reader upgrades it


@pytest.fixture
def unwritable(older):
    """``older`` made unwritable: read-only permissions, and for root (who ignores them) the immutable flag."""
    os.chmod(older, 0o444)
    immutable = False
    if os.geteuid() == 0 and shutil.which("chattr"):
        immutable = subprocess.run(["chattr", "+i", str(older)], capture_output=True).returncode == 0
    try:
        try:
            with open(older, "r+b"):
                pytest.skip("cannot make a file unwritable here (root without chattr)")
        except OSError:
            pass
        yield older
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(older)], check=True)
        os.chmod(older, 0o644)


def test_an_older_warehouse_on_a_read_only_file_says_the_upgrade_needs_write_access(unwritable):
    result = run_cli("status", "--db", unwritable)
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert "upgrade" in result.stderr and "write access" in result.stderr
