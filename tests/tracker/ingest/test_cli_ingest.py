"""``tracker ingest`` and ``tracker schedule`` on the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from recorded_yahoo import RecordedYahoo, recorded_frame

TRACKER = [sys.executable, "-m", "tracker"]


@pytest.fixture
def fake_yahoo(monkeypatch):
    """Replace only the network layer of the Yahoo adapter."""
    import tracker.sources.yahoo as yahoo

    transport = RecordedYahoo({"AAPL": recorded_frame("AAPL.csv"), "2330.TW": recorded_frame("2330.TW.csv")})
    monkeypatch.setattr(yahoo, "YFinanceTransport", lambda timeout=20.0: transport)
    return transport


def test_ingest_prints_one_line_per_ticker_and_a_rerun_adds_nothing(cli, fake_yahoo, tmp_path):
    db = tmp_path / "w.duckdb"
    first = cli("ingest", "--tickers", "AAPL,2330.TW", "--no-news", "--db", db)
    assert first.exit_code == 0, first.output
    assert "AAPL: 30 bar(s) 2019-01-01.." in first.output and "1 dividend(s)" in first.output
    assert "2330.TW: 9 bar(s)" in first.output
    assert "succeeded" in first.output.splitlines()[-1] and "42 new fact(s)" in first.output
    again = cli("ingest", "--tickers", "AAPL,2330.TW", "--no-news", "--db", db)
    assert again.exit_code == 0 and " 0 new fact(s)" in again.output.splitlines()[-1]
    sql = cli("sql", "SELECT ticker, status, facts_added FROM ingest_tickers ORDER BY started_at, ticker", "--format", "csv", "--db", db)
    assert sql.output.splitlines()[1:] == ["2330.TW,succeeded,10", "AAPL,succeeded,32", "2330.TW,succeeded,0", "AAPL,succeeded,0"]


def test_a_failed_ticker_makes_the_command_exit_1_after_the_others_are_stored(cli, fake_yahoo, tmp_path):
    result = cli("ingest", "--tickers", "NOPE,AAPL", "--no-news", "--db", tmp_path / "w.duckdb")
    assert result.exit_code == 1
    assert "NOPE: FAILED: NOPE: Yahoo has no time zone for this symbol" in result.output
    assert "AAPL: 30 bar(s)" in result.output
    assert "error: 1 of 2 ticker(s) not ingested: NOPE" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--until", "2025-01-31"), "error: --until needs --since"),
        (("--since", "2025-02-30"), "error: --since '2025-02-30' is not a date like 2025-01-27"),
        (("--since", "2025-02-10", "--until", "2025-02-01"), "error: --until 2025-02-01 is before --since 2025-02-10"),
        (("--tickers", "NV DA!"), "error: ticker 'DA!' is not a valid symbol"),
    ],
)
def test_bad_options_are_one_line_errors(cli, fake_yahoo, tmp_path, args, message):
    result = cli("ingest", *args, "--db", tmp_path / "w.duckdb")
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
    assert fake_yahoo.calls == []


def test_an_invalid_schedule_setting_names_its_key(cli, tmp_path):
    config = tmp_path / "tracker.toml"
    config.write_text('[schedule]\ndays = "1-5"\n')
    result = cli("schedule", "--next", "2", "--config", config)
    assert result.exit_code == 1
    assert "schedule.days must be weekday names" in result.output and "0 = Monday" in result.output


def test_schedule_next_prints_new_york_and_utc_times_skipping_thanksgiving(cli):
    result = cli("schedule", "--next", "5", "--after", "2026-11-23T12:00")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "next 5 run(s) of the daily ingest (mon-fri 18:30 America/New_York):"
    runs = [line.strip() for line in lines[1:] if not line.strip().startswith("skip")]
    assert runs == [
        "Mon 2026-11-23 18:30 EST (New York)   2026-11-23 23:30 UTC",
        "Tue 2026-11-24 18:30 EST (New York)   2026-11-24 23:30 UTC",
        "Wed 2026-11-25 18:30 EST (New York)   2026-11-25 23:30 UTC",
        "Fri 2026-11-27 18:30 EST (New York)   2026-11-27 23:30 UTC",
        "Mon 2026-11-30 18:30 EST (New York)   2026-11-30 23:30 UTC",
    ]
    assert "  skip Thu 2026-11-26: Thanksgiving: NYSE closed" in lines


def test_without_network_ingest_ends_with_one_line_and_records_a_failed_run(tmp_path):
    """The real yfinance, forced offline: every request goes to a closed local port."""
    db = tmp_path / "w.duckdb"
    (tmp_path / "tracker.toml").write_text('[ingest]\nretries = 1\nbackoff = 0.05\n[feeds]\nurls = ["https://hnrss.org/frontpage"]\n')
    closed = "http://127.0.0.1:9"
    env = {**os.environ, "HOME": str(tmp_path), "HTTPS_PROXY": closed, "HTTP_PROXY": closed, "https_proxy": closed,
           "http_proxy": closed, "ALL_PROXY": closed, "NO_PROXY": "", "no_proxy": ""}
    result = subprocess.run([*TRACKER, "ingest", "--tickers", "NVDA,AAPL", "--db", str(db)], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and "Traceback" not in result.stderr
    assert errors[0].startswith("error: ingest failed, nothing stored (run ")
    assert "cannot reach Yahoo Finance" in errors[0] and "check the network connection" in errors[0]
    sql = subprocess.run([*TRACKER, "sql", "SELECT command, status, error FROM runs", "--format", "csv", "--db", str(db)],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert sql.stdout.splitlines()[1].startswith("ingest,failed,cannot reach Yahoo Finance")


def test_help_lists_the_commands_without_importing_heavy_modules():
    code = (
        "import sys; from typer.testing import CliRunner; from tracker.cli import app;"
        "out = CliRunner().invoke(app, ['--help']).output;"
        "heavy = [m for m in ('yfinance', 'pandas', 'apscheduler', 'feedparser', 'curl_cffi') if m in sys.modules];"
        "print('ingest' in out, 'schedule' in out, heavy)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=Path(__file__).parent)
    assert result.stdout.strip() == "True True []"
    for command in ("ingest", "schedule"):
        help_text = subprocess.run([*TRACKER, command, "--help"], capture_output=True, text=True, timeout=60).stdout
        assert "Example" in help_text and f"tracker {command}" in help_text
