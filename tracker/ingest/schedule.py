"""The daily scheduler: APScheduler 3.11 ``BlockingScheduler`` running one ingestion per session.

Design (see the field notes on APScheduler in ``shared/research/engineering-notes.md`` §4.2):

* One ``CronTrigger`` with an explicit time zone and weekday *names* (default mon-fri 18:30
  America/New_York, ``[schedule]`` in tracker.toml), an in-memory job store (never shared
  between processes), ``misfire_grace_time`` of hours, ``coalesce=True``, ``max_instances=1``.
* Correctness does not depend on the scheduler's memory: the job starts once at start-up
  and at every fire it asks the log which scheduled sessions passed since the last completed
  ingest run. None: it skips (a weekend, an NYSE holiday such as 2026-11-26), with a log line.
  Some: it runs **one** ingestion, whose per-ticker cursors fetch every missed session.
  Missed runs are therefore caught up once, not once per missed session.
* The job opens the warehouse only while it writes (see :mod:`tracker.ingest.run`), so
  ``tracker sql`` and reports work between runs; it waits up to :data:`LOCK_WAIT` for a
  reader or another writer to release the file. A second scheduler on the same file is
  harmless: DuckDB lets one process write at a time, and ingestion is idempotent.
* SIGINT/SIGTERM stop the scheduler after the current run; a second signal exits at once
  (the interrupted run stays ``incomplete`` in ``runs`` and the next run completes its work).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from events.errors import TrackerError
from events.sessions import NEW_YORK, SessionCalendar
from tracker.config import ScheduleSettings, Settings
from tracker.ingest.run import COMMAND, IngestReport, IngestRequest, run_ingest, utc_now
from tracker.sources import Sources

log = logging.getLogger("tracker.schedule")

#: Seconds a scheduled run waits for the warehouse lock (a long SQL session, another writer).
LOCK_WAIT = 600.0
#: Runs that count as "done" for catch-up: a partial run's failed tickers resume from their cursors.
COMPLETED = ("succeeded", "partial")
MAX_FIRES_SCANNED = 10_000
JOB_ID = "daily-ingest"


def make_trigger(schedule: ScheduleSettings):
    from apscheduler.triggers.cron import CronTrigger

    hour, minute = schedule.time
    return CronTrigger(day_of_week=schedule.days, hour=hour, minute=minute, timezone=ZoneInfo(schedule.timezone))


def fire_times(trigger, after: dt.datetime) -> Iterator[dt.datetime]:
    """The trigger's fire times strictly after ``after``, in order."""
    current = after
    while True:
        fire = trigger.get_next_fire_time(None, current + dt.timedelta(microseconds=1))
        if fire is None:
            return
        yield fire
        current = fire


def session_of(fire: dt.datetime) -> dt.date:
    """The New York date a run at ``fire`` belongs to."""
    return fire.astimezone(NEW_YORK).date()


@dataclass(frozen=True)
class PlannedRun:
    at: dt.datetime
    session: dt.date
    skipped_because: str | None = None   # set for fires on non-sessions


def upcoming_runs(
    trigger, calendar: SessionCalendar, count: int, after: dt.datetime, holiday_name: Callable[[dt.date], str | None] | None = None
) -> list[PlannedRun]:
    """The next ``count`` runs after ``after``, with the skipped non-session fires between them."""
    planned: list[PlannedRun] = []
    runs = 0
    for scanned, fire in enumerate(fire_times(trigger, after)):
        if runs >= count or scanned > MAX_FIRES_SCANNED:
            break
        day = session_of(fire)
        if calendar.is_session(day):
            planned.append(PlannedRun(fire, day))
            runs += 1
        else:
            name = holiday_name(day) if holiday_name else None
            planned.append(PlannedRun(fire, day, f"{name}: NYSE closed" if name else "not an NYSE session"))
    return planned


def missed_sessions(trigger, calendar: SessionCalendar, last_started: dt.datetime, now: dt.datetime) -> list[dt.date]:
    """Sessions whose scheduled run time fell in ``(last_started, now]``."""
    missed: list[dt.date] = []
    for scanned, fire in enumerate(fire_times(trigger, last_started)):
        if fire > now or scanned > MAX_FIRES_SCANNED:
            break
        day = session_of(fire)
        if calendar.is_session(day) and (not missed or missed[-1] != day):
            missed.append(day)
    return missed


def xnys_holiday_name(day: dt.date) -> str | None:
    """The name of an NYSE holiday (e.g. "Thanksgiving"), from exchange-calendars."""
    import exchange_calendars

    calendar = exchange_calendars.get_calendar("XNYS", start=f"{day.year}-01-01", end=f"{day.year}-12-31")
    names = calendar.regular_holidays.holidays(day, day, return_name=True)
    if len(names):
        return str(names.iloc[0])
    if any(ts.date() == day for ts in calendar.adhoc_holidays):
        return "special closure"
    return None


class DailyIngest:
    """The scheduled job: skip, or run one ingestion that catches up every missed session."""

    def __init__(
        self,
        settings: Settings,
        trigger,
        calendar: SessionCalendar,
        *,
        sources: Sources | None = None,
        clock: Callable[[], dt.datetime] = utc_now,
        ingest: Callable[..., IngestReport] = run_ingest,
        holiday_name: Callable[[dt.date], str | None] | None = xnys_holiday_name,
        lock_wait: float = LOCK_WAIT,
    ) -> None:
        self.settings = settings
        self.trigger = trigger
        self.calendar = calendar
        self.sources = sources
        self.clock = clock
        self.ingest = ingest
        self.holiday_name = holiday_name
        self.lock_wait = lock_wait
        self.stopping = threading.Event()
        self.idle = threading.Event()
        self.idle.set()
        self._one_at_a_time = threading.Lock()
        self.reports: list[IngestReport] = []

    def __call__(self) -> None:
        if self.stopping.is_set():
            return
        with self._one_at_a_time:
            self.idle.clear()
            try:
                self.tick()
            except TrackerError as exc:
                log.error("ingest run failed: %s", exc)
            except Exception:  # a bug must not kill the scheduler; the next run retries
                log.exception("ingest run crashed")
            finally:
                self.idle.set()

    def tick(self) -> IngestReport | None:
        now = self.clock()
        last = self.last_completed_start()
        today = session_of(now)
        if last is None:
            log.info("no completed ingest run in %s yet: running one now", self.settings.db)
        else:
            missed = missed_sessions(self.trigger, self.calendar, last, now)
            if not missed:
                if not self.calendar.is_session(today):
                    name = self.holiday_name(today) if self.holiday_name else None
                    why = f"{name}, NYSE closed" if name else "not an NYSE session"
                    log.info("skipping %s (%s): %s", today, f"{today:%A}", why)
                else:
                    log.info("nothing to catch up: the last completed run started %s", f"{last:%Y-%m-%d %H:%M:%S %Z}")
                return None
            if missed == [today]:
                log.info("ingesting session %s", today)
            else:
                log.info("catching up %d missed session(s) (%s .. %s) in one run", len(missed), missed[0], missed[-1])
        from tracker.cli.progress import LineObserver

        report = self.ingest(
            self.settings, IngestRequest(trigger="schedule"), sources=self.sources,
            observer=LineObserver(log.info), clock=self.clock, lock_timeout=self.lock_wait,
        )
        self.reports.append(report)
        if report.status != "succeeded":
            log.warning("run %s %s: %s", report.run_id, report.status, report.error)
        return report

    def last_completed_start(self) -> dt.datetime | None:
        from tracker.storage import open_reader
        from warehouse import WarehouseMissing

        try:
            with open_reader(self.settings) as warehouse:
                return warehouse.last_run_started(COMMAND, COMPLETED)
        except WarehouseMissing:
            return None


def build_scheduler(job: DailyIngest, trigger, schedule: ScheduleSettings, *, start_now: bool = True):
    """A ``BlockingScheduler`` with the job; it runs once at start (the catch-up check)."""
    from apscheduler.events import EVENT_JOB_MISSED
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.schedulers.blocking import BlockingScheduler

    zone = ZoneInfo(schedule.timezone)
    scheduler = BlockingScheduler(
        timezone=zone,
        executors={"default": ThreadPoolExecutor(max_workers=1)},
        # inside job_defaults: as a scheduler keyword, misfire_grace_time would be ignored
        job_defaults={"misfire_grace_time": schedule.misfire_grace, "coalesce": True, "max_instances": 1},
    )
    # next_run_time=now: a first run at start-up, the catch-up check (None would pause the job)
    first = {"next_run_time": dt.datetime.now(zone)} if start_now else {}
    scheduler.add_job(job, trigger, id=JOB_ID, name="daily ingest", replace_existing=True, **first)
    scheduler.add_listener(
        lambda event: log.warning("a scheduled run at %s was missed by more than %d s; the next run catches up",
                                  event.scheduled_run_time, schedule.misfire_grace),
        EVENT_JOB_MISSED,
    )
    return scheduler


def run_scheduler(
    settings: Settings,
    *,
    trigger: Any = None,
    calendar: SessionCalendar | None = None,
    sources: Sources | None = None,
    clock: Callable[[], dt.datetime] = utc_now,
    holiday_name: Callable[[dt.date], str | None] | None = xnys_holiday_name,
    handle_signals: bool = True,
    lock_wait: float = LOCK_WAIT,
    ingest: Callable[..., IngestReport] = run_ingest,
) -> DailyIngest:
    """Run until SIGINT/SIGTERM (then finish the current run); return the job (its reports)."""
    trigger = trigger or make_trigger(settings.schedule)
    calendar = calendar or SessionCalendar.xnys()
    job = DailyIngest(settings, trigger, calendar, sources=sources, clock=clock, ingest=ingest,
                      holiday_name=holiday_name, lock_wait=lock_wait)
    scheduler = build_scheduler(job, trigger, settings.schedule)

    def stop(signum: int, _frame: object) -> None:
        name = signal.Signals(signum).name
        if job.stopping.is_set():
            log.warning("second %s: exiting now; the interrupted run stays incomplete and the next run completes it", name)
            logging.shutdown()
            os._exit(128 + signum)
        job.stopping.set()
        log.info("%s received: stopping after the current run", name)
        scheduler.shutdown(wait=False)

    previous = {}
    if handle_signals:
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, stop)
    try:
        upcoming = upcoming_runs(trigger, calendar, 1, clock())
        nxt = next((p.at for p in upcoming if p.skipped_because is None), None)
        log.info(
            "scheduler started (pid %d): %s, warehouse %s; next scheduled run %s",
            os.getpid(), describe_schedule(settings.schedule), settings.db,
            f"{nxt:%Y-%m-%d %H:%M %Z}" if nxt else "none",
        )
        scheduler.start()  # blocks until stop() shuts it down
        job.stopping.set()
        job.idle.wait()
        log.info("scheduler stopped")
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return job


def describe_schedule(schedule: ScheduleSettings) -> str:
    hour, minute = schedule.time
    return f"{schedule.days} {hour:02d}:{minute:02d} {schedule.timezone}"
