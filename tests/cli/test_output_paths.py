"""Every command that writes a file refuses a path that would destroy something or mislabel the
file: the warehouse and its WAL (however they are named), folders, devices, FIFOs, symlinks to
those, a suffix that does not fit the format. Nothing is written when a path is refused.

Devices are exercised through a symlink to /dev/null and a FIFO in a temporary folder, never by
pointing a write at a real device.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat

import pytest

EVENT = "2025-01-27-deepseek-selloff"
STUDY = (EVENT, "--tickers", "NVDA,AAPL", "--window", "0,0")


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line_error(result) -> str:
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    return result.stderr


@pytest.fixture
def warehouse_named(sample_settings, tmp_path):
    """The sample warehouse copied under a name that looks like an output (``w.html``, ``w.png``…)."""
    def named(name: str):
        path = tmp_path / name
        shutil.copy(sample_settings.db, path)
        return path
    return named


def test_report_out_the_warehouse_is_refused(cli, sample_settings):
    before = digest(sample_settings.db)
    result = cli("report", *STUDY, "--out", sample_settings.db, "--db", sample_settings.db)
    one_line_error(result)
    assert digest(sample_settings.db) == before


def test_a_warehouse_named_like_the_report_is_not_overwritten(cli, warehouse_named, monkeypatch):
    db = warehouse_named("w.html")
    monkeypatch.setenv("TRACKER_DB", str(db))
    before = digest(db)
    error = one_line_error(cli("report", *STUDY, "--out", db))
    assert "warehouse" in error or "DuckDB" in error
    assert digest(db) == before
    # any other DuckDB file too, not only the configured one
    other = warehouse_named("other.md")
    error = one_line_error(cli("report", *STUDY, "--out", other))
    assert "DuckDB" in error and digest(other) == digest(db)


def test_the_wal_is_refused_even_behind_a_symlink(cli, sample_settings, tmp_path):
    wal = sample_settings.db.with_name(sample_settings.db.name + ".wal")
    wal.write_bytes(b"pretend write-ahead log")
    link = tmp_path / "r.html"
    link.symlink_to(wal)
    error = one_line_error(cli("report", *STUDY, "--out", link, "--db", sample_settings.db))
    assert "WAL" in error or "write-ahead" in error
    assert wal.read_bytes() == b"pretend write-ahead log" and link.is_symlink()


def test_a_symlink_to_a_device_is_refused(cli, sample_settings, tmp_path):
    link = tmp_path / "r.html"
    link.symlink_to("/dev/null")
    error = one_line_error(cli("report", *STUDY, "--out", link, "--db", sample_settings.db))
    assert "device" in error
    assert link.is_symlink() and os.readlink(link) == "/dev/null"


def test_a_fifo_is_refused(cli, sample_settings, tmp_path):
    fifo = tmp_path / "r.html"
    os.mkfifo(fifo)
    error = one_line_error(cli("report", *STUDY, "--out", fifo, "--db", sample_settings.db))
    assert "FIFO" in error
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_folder_is_one_line_not_an_internal_error(cli, sample_settings, tmp_path):
    folder = tmp_path / "reports.html"
    folder.mkdir()
    error = one_line_error(cli("report", *STUDY, "--out", folder, "--db", sample_settings.db))
    assert "is a folder" in error
    assert folder.is_dir() and not any(folder.iterdir())


@pytest.mark.parametrize("name, fits", [("r.pdf", ".html"), ("report", ".html"), ("r.md.txt", ".html")])
def test_a_suffix_that_does_not_fit_the_format_is_refused(cli, sample_settings, tmp_path, name, fits):
    error = one_line_error(cli("report", *STUDY, "--out", tmp_path / name, "--db", sample_settings.db))
    assert fits in error and ".md" in error
    assert not (tmp_path / name).exists()


def test_format_and_suffix_must_agree(cli, sample_settings, tmp_path):
    error = one_line_error(cli("report", *STUDY, "--format", "html", "--out", tmp_path / "r.md", "--db", sample_settings.db))
    assert ".html" in error and not (tmp_path / "r.md").exists()


def test_markdown_charts_beside_the_report_are_checked_too(cli, sample_settings, tmp_path):
    out = tmp_path / "r.md"
    chart = tmp_path / "r-car-paths.png"
    chart.symlink_to(sample_settings.db)
    before = digest(sample_settings.db)
    error = one_line_error(cli("report", *STUDY, "--out", out, "--db", sample_settings.db))
    assert "r-car-paths.png" in error
    assert digest(sample_settings.db) == before and not out.exists()


def test_a_good_path_is_written_and_a_symlink_to_a_file_is_followed(cli, sample_settings, tmp_path):
    real = tmp_path / "real" / "r.html"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "r.html"
    link.symlink_to(real)
    result = cli("report", *STUDY, "--out", link, "--db", sample_settings.db)
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and real.read_text().lower().startswith("<!doctype html>")
    nested = tmp_path / "new" / "folder" / "r.md"
    assert cli("report", *STUDY, "--out", nested, "--db", sample_settings.db).exit_code == 0
    assert nested.exists() and (nested.parent / "r-car-by-firm.png").exists()


def test_study_chart_is_checked(cli, warehouse_named, monkeypatch, tmp_path):
    db = warehouse_named("w.png")
    monkeypatch.setenv("TRACKER_DB", str(db))
    before = digest(db)
    one_line_error(cli("study", *STUDY, "--chart", db))
    assert digest(db) == before
    folder = tmp_path / "c.svg"
    folder.mkdir()
    assert "is a folder" in one_line_error(cli("study", *STUDY, "--chart", folder))
    assert ".png" in one_line_error(cli("study", *STUDY, "--chart", tmp_path / "c.jpg"))


def test_sql_out_is_checked(cli, warehouse_named, monkeypatch, tmp_path):
    db = warehouse_named("w.csv")
    monkeypatch.setenv("TRACKER_DB", str(db))
    before = digest(db)
    one_line_error(cli("sql", "SELECT 1 AS a", "--out", db))
    assert digest(db) == before
    link = tmp_path / "r.parquet"
    link.symlink_to("/dev/null")
    assert "device" in one_line_error(cli("sql", "SELECT 1 AS a", "--out", link))


def test_demo_report_over_its_own_warehouse_is_refused_before_building(cli, tmp_path):
    db = tmp_path / "demo.html"
    error = one_line_error(cli("demo", "--db", db, "--report", db))
    assert "warehouse" in error
    assert not db.exists()
