"""Reliability across processes: two schedulers on one file, a run killed mid-way, a clean stop.

Each test starts the real tracker in subprocesses (``tests/helpers/fake_tracker.py``) with
Yahoo replaced by deterministic frames; the processes log what they do as JSON lines.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from recorded_yahoo import RecordedYahoo, recent_sessions, sources_for, synthetic_frame

from tracker.storage import open_reader

HELPER = Path(__file__).resolve().parents[2] / "helpers" / "fake_tracker.py"
pytestmark = pytest.mark.slow


def spawn(tmp_path: Path, name: str, spec: dict) -> tuple[subprocess.Popen, Path]:
    events = tmp_path / f"{name}.jsonl"
    spec = {"events": str(events), **spec}
    spec_file = tmp_path / f"{name}.json"
    spec_file.write_text(json.dumps(spec))
    log = (tmp_path / f"{name}.log").open("w")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, str(HELPER), str(spec_file)], stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
    return process, events


def read_events(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def stop(process: subprocess.Popen, sig=signal.SIGTERM, timeout: float = 60) -> int:
    if process.poll() is None:
        process.send_signal(sig)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        raise


def query(db: Path, sql: str):
    from tracker.config import Settings

    with open_reader(Settings(db=db, lock_timeout=30)) as warehouse:
        return warehouse.query(sql)


def test_two_schedulers_on_one_warehouse_never_write_at_once(tmp_path):
    db = tmp_path / "shared.duckdb"
    spec = {"mode": "schedule", "db": str(db), "tickers": ["NVDA", "SPY", "AAPL"], "delay": 0.1}
    a, events_a = spawn(tmp_path, "a", spec)
    b, events_b = spawn(tmp_path, "b", spec)
    try:
        done = lambda path: sum(1 for e in read_events(path) if e["kind"] == "run_done")  # noqa: E731
        assert wait_for(lambda: done(events_a) >= 2 and done(events_b) >= 2, timeout=90), (tmp_path / "a.log").read_text()[-2000:]
    finally:
        codes = [stop(a), stop(b)]
    assert codes == [0, 0]

    intervals = []
    for path in (events_a, events_b):
        opened = None
        for event in read_events(path):
            if event["kind"] == "write_open":
                opened = event["t"]
            elif event["kind"] == "write_close":
                intervals.append((opened, event["t"], event["pid"]))
    pids = {pid for _, _, pid in intervals}
    assert len(pids) == 2 and len(intervals) >= 10
    for i, (start1, end1, pid1) in enumerate(intervals):
        for start2, end2, pid2 in intervals[i + 1:]:
            if pid1 != pid2:
                assert end1 <= start2 or end2 <= start1, "two processes held the warehouse for writing at once"
    runs = [e for path in (events_a, events_b) for e in read_events(path) if e["kind"] == "run_done"]
    assert {r["status"] for r in runs} == {"succeeded"}
    # both wrote the same bars: the log holds each once
    counts = query(db, "SELECT count(*) AS facts, count(DISTINCT (ticker, date)) AS bars FROM price_bar_facts").rows()[0]
    assert counts[0] == counts[1] > 0
    assert query(db, "SELECT count(*) AS n FROM runs WHERE status <> 'succeeded'")["n"][0] == 0


def test_a_run_killed_mid_way_leaves_a_consistent_log_and_the_next_run_completes_it(tmp_path):
    db = tmp_path / "killed.duckdb"
    tickers = ["NVDA", "SPY", "AAPL", "MSFT", "AVGO", "TSM"]
    process, events = spawn(tmp_path, "k", {"mode": "ingest", "db": str(db), "tickers": tickers, "delay": 0.4})
    try:
        finished = lambda: [e for e in read_events(events) if e["kind"] == "ticker_done"]  # noqa: E731
        assert wait_for(lambda: len(finished()) >= 2, timeout=60), (tmp_path / "k.log").read_text()[-2000:]
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert not any(e["kind"] == "run_done" for e in read_events(events))

    sessions = recent_sessions(25)
    runs = query(db, "SELECT run_id, status FROM runs").rows()
    assert [status for _, status in runs] == ["incomplete"]
    per_ticker = dict(query(db, "SELECT ticker, count(*) AS n FROM prices GROUP BY ticker").rows())
    cursors = set(query(db, "SELECT ticker FROM ingest_cursors")["ticker"].to_list())
    full = len(sessions) - 1 if _last_is_open(sessions) else len(sessions)
    assert all(n == full for n in per_ticker.values())  # every ticker all or nothing
    assert set(per_ticker) == cursors and len(cursors) >= 2  # bars and cursor committed together

    from tracker.config import IngestSettings, Settings
    from tracker.ingest import IngestRequest, run_ingest

    settings = Settings(db=db, ingest=IngestSettings(history_start=sessions[0], pause=0, news=False))
    transport = RecordedYahoo({t: synthetic_frame(t, sessions) for t in tickers})
    report = run_ingest(settings, IngestRequest(tickers=tuple(tickers)), sources=sources_for(transport), sleep=lambda s: None)
    assert report.status == "succeeded"
    added = {t.ticker: t.facts_added for t in report.tickers}
    assert all(added[t] == 0 for t in cursors)  # already complete: nothing again
    assert all(added[t] == full + 1 for t in tickers if t not in cursors)  # the rest: bars + cursor
    assert dict(query(db, "SELECT ticker, count(*) AS n FROM prices GROUP BY ticker").rows()) == {t: full for t in tickers}
    assert query(db, "SELECT status FROM runs ORDER BY start_seq")["status"].to_list() == ["incomplete", "succeeded"]


def test_sigterm_stops_the_scheduler_after_the_current_run(tmp_path):
    db = tmp_path / "cli.duckdb"
    sessions = recent_sessions(25)
    (tmp_path / "tracker.toml").write_text(
        '[study]\nwatchlist = ["NVDA", "AAPL", "MSFT"]\nmarket = "SPY"\n'
        f'[ingest]\nnews = false\npause = 0\nhistory_start = "{sessions[0]}"\n'
    )
    process, events = spawn(tmp_path, "cli", {"mode": "cli", "db": str(db), "tickers": ["NVDA", "AAPL", "MSFT", "SPY"],
                                               "delay": 0.5, "args": ["schedule", "--db", str(db)]})
    fetches = lambda: [e for e in read_events(events) if e["kind"] == "fetch"]  # noqa: E731
    assert wait_for(lambda: len(fetches()) >= 1, timeout=60), (tmp_path / "cli.log").read_text()[-2000:]
    sent = time.monotonic()
    code = stop(process, signal.SIGTERM, timeout=60)
    log = (tmp_path / "cli.log").read_text()
    assert code == 0, log[-2000:]
    assert time.monotonic() - sent < 30
    assert "SIGTERM received: stopping after the current run" in log and "scheduler stopped" in log
    assert len(fetches()) == 4  # the run went on to its end
    assert query(db, "SELECT status FROM runs")["status"].to_list() == ["succeeded"]
    assert "Traceback" not in log


def _last_is_open(sessions) -> bool:
    """Whether today's session (if the last one is today) has not closed yet at the test's time."""
    import datetime as dt

    from events.sessions import SessionCalendar
    from tracker.ingest.bars import is_final

    calendar = SessionCalendar.xnys(sessions[0], sessions[-1] + dt.timedelta(days=5))
    return not is_final(sessions[-1], "America/New_York", dt.datetime.now(dt.timezone.utc), calendar)
