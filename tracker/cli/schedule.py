"""``tracker schedule``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Optional

import typer

from tracker.cli.common import ConfigOption, DbOption, settings


def schedule(
    next_runs: Annotated[Optional[int], typer.Option("--next", metavar="N", min=1, max=100, help="Print the next N run times (New York and UTC), skipping NYSE holidays, and exit.", show_default=False)] = None,
    after: Annotated[Optional[str], typer.Option("--after", metavar="DATETIME", help="With --next: start from this moment (ISO 8601, New York time unless an offset is given) instead of now.", show_default=False)] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Run the daily ingestion on a schedule (foreground, until SIGINT/SIGTERM).

    Default: mon-fri 18:30 America/New_York ([schedule] in tracker.toml). At start, and at
    every scheduled time, it ingests once if any session passed since the last completed run
    (so downtime is caught up in one run); weekends and NYSE holidays are skipped with a log
    line. The warehouse is opened only while writing, so `tracker sql` works between runs.
    SIGINT/SIGTERM stop it after the current run. See the README for a systemd unit.

    Examples:

    \b
        tracker schedule --next 5
        tracker schedule --db /var/lib/tracker/tracker.duckdb
    """
    loaded = settings(db, config)
    if next_runs is not None:
        _print_next(loaded, next_runs, after)
        return
    if after is not None:
        from tracker.errors import ConfigError

        raise ConfigError("--after only goes with --next")
    import logging
    import sys

    from tracker.ingest.schedule import run_scheduler

    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(message)s", datefmt="%Y-%m-%d %H:%M:%S%z",
    )
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    run_scheduler(loaded)


def _print_next(loaded, count: int, after: Optional[str]) -> None:
    from events.sessions import NEW_YORK, SessionCalendar
    from tracker.errors import ConfigError
    from tracker.ingest.schedule import describe_schedule, make_trigger, upcoming_runs, xnys_holiday_name

    if after is None:
        start = dt.datetime.now(dt.timezone.utc)
    else:
        try:
            start = dt.datetime.fromisoformat(after.strip())
        except ValueError:
            raise ConfigError(f"--after {after!r} is not a date-time like 2026-11-23T12:00") from None
        if start.tzinfo is None:
            start = start.replace(tzinfo=NEW_YORK)
    planned = upcoming_runs(make_trigger(loaded.schedule), SessionCalendar.xnys(), count, start, xnys_holiday_name)
    typer.echo(f"next {count} run(s) of the daily ingest ({describe_schedule(loaded.schedule)}):")
    for run in planned:
        ny = run.at.astimezone(NEW_YORK)
        if run.skipped_because:
            typer.echo(f"  skip {ny:%a %Y-%m-%d}: {run.skipped_because}")
        else:
            utc = run.at.astimezone(dt.timezone.utc)
            typer.echo(f"  {ny:%a %Y-%m-%d %H:%M %Z} (New York)   {utc:%Y-%m-%d %H:%M} UTC")
