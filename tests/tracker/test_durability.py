"""A killed import leaves nothing half-written; rebuild replays identical projections; as-of reproduces."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import polars as pl

from conftest import CATALOGUE
from synthetic import sessions, write_long_csv
from tracker.ingest.files import import_catalogue, import_prices
from tracker.study.request import StudyRequest, run_study
from warehouse import Warehouse

# Runs a real import in a child process and parks it after the bars were inserted but before
# COMMIT, so the parent can SIGKILL it at exactly that point.
KILLED_IMPORT = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import warehouse.warehouse as ww
    from tracker.config import Settings
    from tracker.ingest.files import import_prices

    real_append = ww.price_facts.append_price_bars

    def append_then_park(*args, **kwargs):
        result = real_append(*args, **kwargs)
        Path(sys.argv[3]).write_text(str(result.added))
        time.sleep(120)
        return result

    ww.price_facts.append_price_bars = append_then_park
    import_prices(Settings(db=Path(sys.argv[1])), [Path(sys.argv[2])])
""")


def big_file(tmp_path, tickers=40, days=500):
    dates = sessions("2022-01-03", days)
    rows = [
        {"ticker": f"T{t:03d}", "date": d.isoformat(), "close": 100 + t + i * 0.01}
        for t in range(tickers) for i, d in enumerate(dates)
    ]
    return write_long_csv(tmp_path / "big.csv", rows)


def test_sigkill_mid_import_leaves_no_bar_and_the_next_import_completes(settings, tmp_path):
    import_catalogue(settings, CATALOGUE)  # something already stored must survive
    head_before = Warehouse.open(settings.db, read_only=True).head()
    path = big_file(tmp_path)
    marker = tmp_path / "parked"
    child = subprocess.Popen([sys.executable, "-c", KILLED_IMPORT, str(settings.db), str(path), str(marker)])
    try:
        for _ in range(600):
            if marker.exists() or child.poll() is not None:
                break
            subprocess.run(["sleep", "0.1"])
        assert marker.exists(), "the child never reached the point before COMMIT"
        assert int(marker.read_text()) == 20_000  # the bars were inserted, uncommitted
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()

    with Warehouse.open(settings.db, read_only=True) as wh:
        assert wh.query("SELECT count(*) AS n FROM price_bar_facts").item() == 0
        assert wh.query("SELECT count(*) AS n FROM prices").item() == 0
        assert wh.query("SELECT count(*) AS n FROM events").item() == 65
        statuses = wh.query("SELECT command, status FROM runs ORDER BY start_seq").rows()
        assert statuses == [("import events", "succeeded"), ("import prices", "incomplete")]
        assert wh.head() == head_before + 1  # only the killed run's RunStarted

    report = import_prices(settings, [path])
    assert report.added == 20_000
    with Warehouse.open(settings.db, read_only=True) as wh:
        assert wh.query("SELECT count(*) AS n FROM prices").item() == 20_000


def snapshot(settings) -> dict[str, pl.DataFrame]:
    with Warehouse.open(settings.db, read_only=True) as wh:
        return {
            "prices": wh.query("SELECT * FROM prices ORDER BY ticker, date"),
            "events": wh.query("SELECT * FROM events ORDER BY event_id"),
            "returns": wh.query("SELECT * FROM returns ORDER BY ticker, date"),
        }


def correct_nvda(tmp_path, close: float):
    return write_long_csv(tmp_path / f"fix-{close}.csv", [{"ticker": "NVDA", "date": "2025-01-27", "close": close}])


def test_rebuild_replays_identical_projections(sample_settings, tmp_path, cli):
    import_prices(sample_settings, [correct_nvda(tmp_path, 119.0)])
    before = snapshot(sample_settings)
    result = cli("rebuild", "--db", sample_settings.db)
    assert result.exit_code == 0, result.output
    assert "prices 7,429 rows, events 65 rows" in result.output
    after = snapshot(sample_settings)
    for name in before:
        assert before[name].equals(after[name]), name
    assert before["prices"].filter(pl.col("ticker") == "NVDA")["revision"].max() == 2


def test_as_of_reproduces_earlier_numbers_byte_for_byte(sample_settings, tmp_path, cli):
    args = ["study", "2025-01-27-deepseek-selloff", "--window", "-1,1", "--format", "json", "--db", sample_settings.db]
    first = cli(*args)
    assert first.exit_code == 0, first.output
    position = Warehouse.open(sample_settings.db, read_only=True).head()
    assert f'"log_position": {position}' in first.stdout

    import_prices(sample_settings, [correct_nvda(tmp_path, 125.0)])  # a correction arrives later
    import_catalogue(sample_settings, CATALOGUE)
    now = cli(*args)
    assert now.stdout != first.stdout
    again = cli(*args, "--as-of", position)
    assert again.exit_code == 0, again.output
    assert again.stdout == first.stdout

    # the library read path agrees with the CLI and with the log replay
    replay = run_study(sample_settings, StudyRequest(event_id="2025-01-27-deepseek-selloff", window=(-1, 1), as_of=position))
    assert replay.to_json() == first.stdout


def test_as_of_out_of_range(sample_settings, cli):
    result = cli("study", "2025-01-27-deepseek-selloff", "--as-of", 10**9, "--db", sample_settings.db)
    assert result.exit_code == 1
    assert "log position 1000000000 is outside the log" in result.stderr


def test_as_of_before_an_event_existed(sample_settings, cli):
    # position 1 is the first RunStarted: no catalogue yet
    result = cli("study", "2025-01-27-deepseek-selloff", "--as-of", 1, "--db", sample_settings.db)
    assert result.exit_code == 1 and "unknown event" in result.stderr
