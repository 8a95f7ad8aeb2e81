"""Exactly-once tagging: SIGKILL ``tracker events tag`` mid-run; the next run completes it once."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NON_RUN_FACTS = "SELECT kind, stream, content::VARCHAR AS content FROM fact_log WHERE kind NOT LIKE 'Run%' ORDER BY seq"


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")
def test_killed_tagging_run_resumes_and_tags_every_article_once(labelled_settings, tmp_path, cli, read):
    from warehouse import Warehouse

    clean_db = tmp_path / "clean.duckdb"
    shutil.copy(labelled_settings.db, clean_db)
    env = {**os.environ, "PYTHONPATH": str(REPO), "TRACKER_LOCK_TIMEOUT": "10"}
    command = [sys.executable, "-m", "tracker", "events", "tag", "--batch-size", "20", "--db", str(labelled_settings.db)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    try:
        seen = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            seen.append(line)
            if line.startswith("batch 2 committed"):
                process.send_signal(signal.SIGKILL)
                break
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL, (seen, process.stderr.read())

    with Warehouse.open(labelled_settings.db, read_only=True) as warehouse:
        from tracker.curation.tagging import checkpoint

        stopped_at = checkpoint(warehouse)
        last_news = warehouse.query("SELECT max(seq) AS s FROM fact_log WHERE kind = 'NewsItemObserved'").item()
        incomplete = warehouse.query("SELECT count(*) AS n FROM runs WHERE command = 'events tag' AND status = 'incomplete'").item()
    assert 0 < stopped_at < last_news  # killed mid-run, after whole batches
    assert incomplete == 1

    resumed = cli("events", "tag", "--batch-size", "20", "--db", labelled_settings.db)
    assert resumed.exit_code == 0, resumed.output
    assert cli("events", "tag", "--batch-size", "20", "--db", clean_db).exit_code == 0

    # the killed-and-resumed log holds exactly the facts of an uninterrupted run, in the same order
    from tracker.config import Settings

    clean = Settings(db=clean_db, lock_timeout=5.0)
    assert read(labelled_settings, NON_RUN_FACTS).equals(read(clean, NON_RUN_FACTS))
    once = read(labelled_settings, "SELECT stream, count(*) AS n FROM facts WHERE kind = 'NewsTagged' GROUP BY stream HAVING n > 1")
    assert once.height == 0
    views = "SELECT * EXCLUDE (seq) FROM news_tags ORDER BY news_id"  # seq differs: the killed run's RunStarted
    assert read(labelled_settings, views).equals(read(clean, views))
