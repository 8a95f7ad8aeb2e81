"""Run the real tracker in a subprocess with Yahoo replaced by synthetic recorded frames.

    python fake_tracker.py SPEC.json

SPEC: ``{"mode": "ingest" | "schedule" | "cli", "db": PATH, "tickers": [...], "delay": SECONDS,
"events": PATH, "args": [...]}``. Every ticker fetched, every warehouse write (open/close
times) and every finished run is appended to ``events`` as one JSON line, so the parent test
can tell what happened even after a SIGKILL.

* ``ingest``: one ``run_ingest``.
* ``schedule``: ``run_scheduler`` with a real ``BlockingScheduler``, a trigger every second
  and a calendar in which every day is a session (so the test does not depend on the weekday).
* ``cli``: ``tracker.cli.main()`` with ``args``: the real command line, real config.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from recorded_yahoo import RecordedYahoo, recent_sessions, sources_for, synthetic_frame  # noqa: E402


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text())
    events = Path(spec["events"])

    def record(kind: str, **data) -> None:
        with events.open("a") as out:
            out.write(json.dumps({"kind": kind, "pid": os.getpid(), "t": time.time(), **data}) + "\n")
            out.flush()
            os.fsync(out.fileno())

    sessions = recent_sessions(25)
    frames = {t: synthetic_frame(t, sessions) for t in spec["tickers"]}

    class Transport(RecordedYahoo):
        def history(self, ticker, start, end_exclusive):
            record("fetch", ticker=ticker)
            return super().history(ticker, start, end_exclusive)

    transport = Transport(frames, delay=spec.get("delay", 0.0))

    import tracker.ingest.run as ingest_run
    from tracker.config import IngestSettings, Settings, StudySettings

    real_open = ingest_run.open_writer

    class LoggedWriter:
        def __init__(self, settings):
            self.warehouse = real_open(settings)
            record("write_open")

        def __enter__(self):
            return self.warehouse.__enter__()

        def __exit__(self, *exc):
            record("write_close")
            return self.warehouse.__exit__(*exc)

    ingest_run.open_writer = LoggedWriter
    settings = Settings(
        db=Path(spec["db"]), lock_timeout=30.0,
        study=StudySettings(watchlist=tuple(spec["tickers"]), market=spec["tickers"][0]),
        ingest=IngestSettings(tickers=(), history_start=sessions[0], pause=0.0, news=False, retries=1, backoff=0.05),
    )

    if spec["mode"] == "ingest":
        from tracker.ingest import IngestObserver, IngestRequest, run_ingest

        class Log(IngestObserver):
            def ticker_done(self, outcome):
                record("ticker_done", ticker=outcome.ticker, status=outcome.status, added=outcome.facts_added)

        report = run_ingest(settings, IngestRequest(tickers=tuple(spec["tickers"])), sources=sources_for(transport), observer=Log())
        record("run_done", run_id=report.run_id, status=report.status)
    elif spec["mode"] == "schedule":
        import logging

        from apscheduler.triggers.cron import CronTrigger

        from events.sessions import SessionCalendar
        from tracker.ingest import schedule as scheduler  # tracker/scheduler.py moved there (abf2938)

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
        days = [dt.date(2020, 1, 1) + dt.timedelta(days=i) for i in range(366 * 16)]
        every_day = SessionCalendar(days, [dt.datetime.combine(d, dt.time(21), dt.timezone.utc) for d in days])
        def logged_ingest(*args, **kwargs):
            report = scheduler.run_ingest(*args, **kwargs)
            record("run_done", run_id=report.run_id, status=report.status)
            return report

        record("scheduler_start")
        scheduler.run_scheduler(
            settings, trigger=CronTrigger(second="*", timezone="UTC"), calendar=every_day,
            sources=sources_for(transport), holiday_name=None, lock_wait=60.0, ingest=logged_ingest,
        )
        record("scheduler_stopped")
    else:
        import tracker.sources.yahoo as yahoo
        from tracker.cli import main as cli_main

        yahoo.YFinanceTransport = lambda timeout=20.0: transport
        sys.argv = ["tracker", *spec["args"]]
        try:
            cli_main()
        finally:
            record("cli_exit")


if __name__ == "__main__":
    main()
