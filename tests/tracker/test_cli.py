"""The command line: help with examples, one-line errors, the demo, read-only SQL, status."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import typer

from tracker.cli import app

HEAVY = ("polars", "duckdb", "numpy", "pandas", "scipy", "yfinance", "exchange_calendars", "pyarrow", "matplotlib")


def all_command_paths(group=None, prefix=()):
    group = group or typer.main.get_command(app)
    for name, command in sorted(group.commands.items()):
        path = prefix + (name,)
        if hasattr(command, "commands"):
            yield from all_command_paths(command, path)
        else:
            yield path


COMMANDS = list(all_command_paths())


def test_the_expected_commands_exist():
    assert {("demo",), ("study",), ("sql",), ("status",), ("rebuild",), ("import", "prices"), ("import", "events")} <= set(COMMANDS)


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p))
def test_every_command_has_help_with_an_example(cli, path):
    result = cli(*path, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout and f"tracker {path[0]}" in result.stdout


@pytest.mark.parametrize("path", [p for p in COMMANDS if p != ("demo",)], ids=lambda p: " ".join(p))
def test_every_warehouse_command_takes_db(cli, path):
    assert "--db" in cli(*path, "--help").stdout


def test_help_does_not_import_heavy_modules():
    code = (
        "import sys\n"
        "from tracker.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_demo_prints_the_deepseek_study(cli, tmp_path):
    db = tmp_path / "demo.duckdb"
    result = cli("demo", "--db", db)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "day 0 = 2025-01-21" in out and "2025-01-20-deepseek-r1" in out
    assert "NVDA closed -16.97% on 2025-01-27 while SPY moved -1.41%" in out
    assert "abnormal return was -13.3" in out
    for ticker in ("NVDA", "AVGO", "AAPL", "MSFT", "TSM", "VST", "CEG"):
        assert ticker in out
    again = cli("demo", "--db", db)
    assert "(0 new facts this run" in again.stdout


def test_demo_never_uses_tracker_db(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "main.duckdb"))
    result = cli("demo", "--db", tmp_path / "demo.duckdb")
    assert result.exit_code == 0
    assert not (tmp_path / "main.duckdb").exists()


def test_study_formats(cli, sample_settings):
    base = ["study", "2025-01-27-deepseek-selloff", "--tickers", "NVDA,AAPL", "--window", "0,0", "--db", sample_settings.db]
    document = json.loads(cli(*base, "--format", "json").stdout)
    assert {f["ticker"] for f in document["firms"]} == {"AAPL", "NVDA"}
    csv_out = cli(*base, "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("ticker,event_id,event_name,event_date,day0,alpha,beta")
    assert len(csv_out) == 3
    nvda = next(f for f in document["firms"] if f["ticker"] == "NVDA")
    assert repr(nvda["car"]) in "\n".join(csv_out)
    md = cli(*base, "--format", "md").stdout
    assert md.startswith("# DeepSeek-driven AI stock selloff") and "![" not in md  # the report's Markdown, no charts
    assert "| NVDA |" in md or "| **NVDA** |" in md  # the headline's firm is in bold
    table = cli(*base).stdout
    assert "NVDA" in table and "-16.97%" in table


def test_study_with_an_events_file(cli, sample_settings, tmp_path):
    path = tmp_path / "panel.csv"
    path.write_text("ticker,event_date,event_id\nNVDA,2025-01-25,weekend\nAAPL,2024-06-10,wwdc\n")
    document = json.loads(cli("study", "--events-file", path, "--format", "json", "--db", sample_settings.db).stdout)
    days = {f["ticker"]: f["day0"] for f in document["firms"]}
    assert days == {"NVDA": "2025-01-27", "AAPL": "2024-06-10"}
    assert document["aggregate"]["common_day0"] is None
    bad = tmp_path / "bad.csv"
    bad.write_text("ticker,event_date\nNVDA,27/01/2025\n")
    result = cli("study", "--events-file", bad, "--db", sample_settings.db)
    assert result.exit_code == 1 and "line 2: event_date '27/01/2025'" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tickers", "NVDX"], "unknown ticker: NVDX (did you mean NVDA?)"),
        (["--window", "2,1"], "--window '2,1': start is after end"),
        (["--window", "-20,1"], "overlaps the event window"),
        (["--model", "capm4"], "--model capm4: unknown model"),
        (["--market", "XYZ", "--tickers", "NVDA"], "no prices for the market benchmark XYZ"),
    ],
)
def test_study_errors_are_one_line(cli, sample_settings, args, message):
    result = cli("study", "2025-01-27-deepseek-selloff", *args, "--db", sample_settings.db)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output


def test_unknown_event_suggests(cli, sample_settings):
    result = cli("study", "2025-01-27-deepseek-sellof", "--db", sample_settings.db)
    assert "did you mean 2025-01-27-deepseek-selloff" in result.stderr


@pytest.mark.parametrize("statement", ["DELETE FROM fact_log", "INSERT INTO fact_log SELECT * FROM fact_log",
                                       "UPDATE price_bar_facts SET close = 1", "DROP VIEW prices", "CREATE TABLE x (a INT)"])
def test_sql_refuses_writes(cli, sample_settings, statement):
    before = cli("sql", "SELECT count(*) AS n FROM facts", "--format", "csv", "--db", sample_settings.db).stdout
    result = cli("sql", statement, "--db", sample_settings.db)
    assert result.exit_code == 1 and "refused:" in result.stderr and "read-only" in result.stderr
    assert cli("sql", "SELECT count(*) AS n FROM facts", "--format", "csv", "--db", sample_settings.db).stdout == before


def test_sql_errors_are_duckdbs_message_on_one_line(cli, sample_settings):
    result = cli("sql", "SELEC 1", "--db", sample_settings.db)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: Parser Error: syntax error at or near") and result.stderr.count("\n") == 1
    result = cli("sql", "SELECT nosuch FROM prices", "--db", sample_settings.db)
    assert "Referenced column \"nosuch\" not found" in result.stderr


def test_sql_formats_and_views(cli, sample_settings):
    query = "SELECT ticker, date, round(ret, 4) AS ret FROM returns WHERE date = '2025-01-27' AND ticker IN ('NVDA', 'AAPL') ORDER BY ticker"
    csv_out = cli("sql", query, "--format", "csv", "--db", sample_settings.db).stdout
    assert csv_out == "ticker,date,ret\nAAPL,2025-01-27,0.0318\nNVDA,2025-01-27,-0.1697\n"
    rows = json.loads(cli("sql", query, "--format", "json", "--db", sample_settings.db).stdout)
    assert rows[1] == {"ticker": "NVDA", "date": "2025-01-27", "ret": -0.1697}
    for view in ("facts", "prices", "returns", "events", "runs", "sessions"):
        assert cli("sql", f"SELECT * FROM {view} LIMIT 1", "--db", sample_settings.db).exit_code == 0
    assert cli("sql", "SELECT count(*) FROM returns_as_of(100)", "--db", sample_settings.db).exit_code == 0


def test_status(cli, sample_settings):
    result = cli("status", "--db", sample_settings.db)
    assert result.exit_code == 0
    assert "PriceBarObserved" in result.stdout and "7429" in result.stdout
    assert "NVDA" in result.stdout and "import prices" in result.stdout


def test_missing_warehouse_is_one_line(cli, tmp_path):
    result = cli("status", "--db", tmp_path / "none.duckdb")
    assert result.exit_code == 1
    assert "no warehouse at" in result.stderr and "tracker demo" in result.stderr


def test_import_cli_reports_rejections(cli, tmp_path):
    bad = tmp_path / "AAA.csv"
    bad.write_text("date,close\n2025-01-02,-3\n")
    result = cli("import", "prices", bad, "--db", tmp_path / "w.duckdb")
    assert result.exit_code == 1
    assert "0 of 1 file(s) imported" in result.stdout
    assert "line 2: close -3 is not a positive price" in result.stderr


def test_debug_shows_the_traceback(tmp_path):
    command = [sys.executable, "-m", "tracker", "--debug", "status", "--db", str(tmp_path / "none.duckdb")]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode != 0 and "Traceback" in result.stderr and "WarehouseMissing" in result.stderr
    plain = subprocess.run(command[:3] + command[4:], capture_output=True, text=True)
    assert plain.returncode == 1 and "Traceback" not in plain.stderr


def test_a_locked_warehouse_is_one_line_not_a_traceback(sample_settings, monkeypatch):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time, duckdb; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(30)",
         str(sample_settings.db)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        env = dict(os.environ, TRACKER_LOCK_TIMEOUT="1")
        result = subprocess.run([sys.executable, "-m", "tracker", "status", "--db", str(sample_settings.db)],
                                capture_output=True, text=True, env=env)
        assert result.returncode == 1
        assert result.stderr.startswith("error: warehouse busy:") and result.stderr.count("\n") == 1
        assert "retry" in result.stderr and "Traceback" not in result.stderr
    finally:
        holder.kill()
        holder.wait()
