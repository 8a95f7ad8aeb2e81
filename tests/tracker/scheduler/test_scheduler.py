"""The scheduler with a real APScheduler ``BlockingScheduler``, fast triggers and a fake Yahoo."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time

import pytest
from ingest_fixtures import NY
from recorded_yahoo import RecordedYahoo, recent_sessions, sources_for, synthetic_frame

from events.sessions import SessionCalendar
from tracker.config import ScheduleSettings
from tracker.ingest import IngestRequest, run_ingest
from tracker.ingest.schedule import DailyIngest, build_scheduler, make_trigger, missed_sessions, upcoming_runs, xnys_holiday_name
from tracker.storage import open_reader

XNYS = SessionCalendar.xnys(dt.date(2024, 1, 1), dt.date(2027, 12, 31))
DAYS = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(366 * 4)]
EVERY_DAY = SessionCalendar(DAYS, [dt.datetime.combine(d, dt.time(21), dt.timezone.utc) for d in DAYS])


@pytest.fixture
def ingest_settings(ingest_settings):
    """The shared settings with a watchlist of the tickers the fake serves."""
    from dataclasses import replace

    from tracker.config import StudySettings

    return replace(ingest_settings, study=StudySettings(watchlist=("NVDA",), market="SPY"))


@pytest.fixture(scope="module")
def recent():
    sessions = recent_sessions(15)
    return {t: synthetic_frame(t, sessions) for t in ("NVDA", "SPY")}, sessions


def runs(settings):
    with open_reader(settings) as warehouse:
        return warehouse.query("SELECT run_id, status, args->>'trigger' AS trigger FROM runs WHERE command = 'ingest' ORDER BY start_seq")


def start_in_thread(scheduler):
    thread = threading.Thread(target=scheduler.start, daemon=True)
    thread.start()
    return thread


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_the_default_schedule_is_wired_as_the_field_notes_require():
    from apscheduler.triggers.cron import CronTrigger

    job = DailyIngest.__new__(DailyIngest)  # the job object is irrelevant here
    scheduler = build_scheduler(job, make_trigger(ScheduleSettings()), ScheduleSettings(), start_now=False)
    thread = threading.Thread(target=lambda: scheduler.start(paused=True), daemon=True)
    thread.start()  # job defaults are applied when the scheduler starts
    assert wait_for(lambda: scheduler.running, timeout=5)
    (scheduled,) = scheduler.get_jobs()
    scheduler.shutdown()
    assert (scheduled.misfire_grace_time, scheduled.coalesce, scheduled.max_instances) == (6 * 3600, True, 1)
    assert isinstance(scheduled.trigger, CronTrigger) and str(scheduled.trigger.timezone) == "America/New_York"
    fields = {f.name: str(f) for f in scheduled.trigger.fields}
    assert (fields["day_of_week"], fields["hour"], fields["minute"]) == ("mon-fri", "18", "30")


def test_next_runs_skip_weekends_and_nyse_holidays():
    planned = upcoming_runs(make_trigger(ScheduleSettings()), XNYS, 5, dt.datetime(2026, 11, 23, 12, tzinfo=NY), xnys_holiday_name)
    runs_only = [p for p in planned if p.skipped_because is None]
    assert [p.session for p in runs_only] == [dt.date(2026, 11, d) for d in (23, 24, 25, 27, 30)]
    skipped = [p for p in planned if p.skipped_because]
    assert [(p.session, p.skipped_because) for p in skipped] == [(dt.date(2026, 11, 26), "Thanksgiving: NYSE closed")]
    assert runs_only[0].at == dt.datetime(2026, 11, 23, 18, 30, tzinfo=NY)
    assert runs_only[0].at.astimezone(dt.timezone.utc).hour == 23  # EST: UTC-5


def test_missed_sessions_are_the_scheduled_sessions_since_the_last_run():
    trigger = make_trigger(ScheduleSettings())
    last = dt.datetime(2026, 11, 20, 18, 31, tzinfo=NY)
    assert missed_sessions(trigger, XNYS, last, dt.datetime(2026, 11, 30, 12, tzinfo=NY)) == [
        dt.date(2026, 11, 23), dt.date(2026, 11, 24), dt.date(2026, 11, 25), dt.date(2026, 11, 27),
    ]
    assert missed_sessions(trigger, XNYS, last, dt.datetime(2026, 11, 23, 18, 29, tzinfo=NY)) == []


def test_a_scheduled_job_runs_an_ingestion(ingest_settings, recent):
    frames, sessions = recent
    run_ingest(ingest_settings, IngestRequest(tickers=("NVDA",)), sources=sources_for(RecordedYahoo(frames)), sleep=lambda s: None)
    job = DailyIngest(ingest_settings, _every_second(), EVERY_DAY, sources=sources_for(RecordedYahoo(frames)), holiday_name=None, lock_wait=10)
    scheduler = build_scheduler(job, _every_second(), ScheduleSettings(), start_now=False)
    start_in_thread(scheduler)
    try:
        assert wait_for(lambda: len(job.reports) >= 1, timeout=15)
    finally:
        scheduler.shutdown(wait=True)
    assert job.reports[0].status == "succeeded"
    table = runs(ingest_settings)
    assert table["trigger"].to_list()[:2] == ["cli", "schedule"]
    assert set(table["status"].to_list()) == {"succeeded"}
    with open_reader(ingest_settings) as warehouse:
        last = warehouse.query("SELECT max(date) AS d FROM prices WHERE ticker = 'NVDA'")["d"][0]
    assert last in sessions[-2:]


def test_missed_runs_are_caught_up_once_not_once_per_session(ingest_settings, recent, caplog):
    frames, _ = recent
    run_ingest(ingest_settings, IngestRequest(tickers=("NVDA", "SPY")), sources=sources_for(RecordedYahoo(frames)), sleep=lambda s: None)
    last = runs(ingest_settings)
    with open_reader(ingest_settings) as warehouse:
        started = warehouse.query("SELECT max(started_at) AS t FROM runs")["t"][0]
    later = started + dt.timedelta(days=10)  # the scheduler was down for ten days
    trigger = make_trigger(ScheduleSettings())
    expected = [d for d in XNYS.dates if started < dt.datetime.combine(d, dt.time(18, 30), NY) <= later]
    assert len(expected) >= 5

    transport = RecordedYahoo(frames)
    job = DailyIngest(ingest_settings, trigger, XNYS, sources=sources_for(transport), clock=lambda: later, holiday_name=None, lock_wait=10)
    scheduler = build_scheduler(job, trigger, ScheduleSettings(), start_now=True)
    caplog.set_level(logging.INFO, logger="tracker.schedule")
    start_in_thread(scheduler)
    try:
        assert wait_for(lambda: len(job.reports) >= 1, timeout=15)
        time.sleep(1.5)  # nothing else may run
    finally:
        scheduler.shutdown(wait=True)
    assert len(job.reports) == 1
    assert runs(ingest_settings).height == last.height + 1
    assert f"catching up {len(expected)} missed session(s) ({expected[0]} .. {expected[-1]}) in one run" in caplog.text
    assert sorted({call[1] for call in transport.calls}) == ["NVDA", "SPY"] and len(transport.calls) == 2


def test_a_holiday_is_skipped_with_a_log_line_and_the_next_session_runs(ingest_settings, caplog):
    calls = []
    clock = {"now": dt.datetime(2026, 11, 26, 18, 30, tzinfo=NY)}
    job = DailyIngest(
        ingest_settings, make_trigger(ScheduleSettings()), XNYS, clock=lambda: clock["now"],
        ingest=lambda *a, **k: calls.append(k["clock"]()) or _Report(), holiday_name=xnys_holiday_name,
    )
    job.last_completed_start = lambda: dt.datetime(2026, 11, 25, 18, 30, 2, tzinfo=NY)
    caplog.set_level(logging.INFO, logger="tracker.schedule")
    job()
    assert calls == [] and "skipping 2026-11-26 (Thursday): Thanksgiving, NYSE closed" in caplog.text
    clock["now"] = dt.datetime(2026, 11, 27, 18, 30, tzinfo=NY)
    job()
    assert calls == [clock["now"]] and "ingesting session 2026-11-27" in caplog.text


class _Report:
    status, run_id, error = "succeeded", "r", None


def _every_second():
    from apscheduler.triggers.cron import CronTrigger

    return CronTrigger(second="*", timezone="UTC")
