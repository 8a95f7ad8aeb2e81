"""Opening the configured warehouse: writers briefly, readers read-only."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from events.errors import TrackerError
from tracker.config import Settings
from warehouse import Run, Warehouse


def open_writer(settings: Settings) -> Warehouse:
    """Open for writing; close it as soon as the write is done so readers are not blocked."""
    return Warehouse.open(settings.db, read_only=False, lock_timeout=settings.lock_timeout)


def open_reader(settings: Settings) -> Warehouse:
    return Warehouse.open(settings.db, read_only=True, lock_timeout=settings.lock_timeout)


@dataclass
class RunLog:
    """What a run did, filled in by the code inside :func:`recorded_run`."""

    run: Run
    counts: dict[str, Any] = field(default_factory=dict)
    status: str = "succeeded"
    error: str | None = None


@contextmanager
def recorded_run(warehouse: Warehouse, command: str, args: dict[str, Any]) -> Iterator[RunLog]:
    """Record ``RunStarted`` now and ``RunFinished`` at the end, also when the body fails."""
    log = RunLog(warehouse.start_run(command, args))
    try:
        yield log
    except TrackerError as exc:
        warehouse.finish_run(log.run, "failed", log.counts, exc.message)
        raise
    except BaseException as exc:
        try:
            warehouse.finish_run(log.run, "failed", log.counts, f"{type(exc).__name__}: {exc}")
        except Exception:  # the original error matters more than the bookkeeping
            pass
        raise
    warehouse.finish_run(log.run, log.status, log.counts, log.error)
