"""The configured warehouse as the application uses it: opening it (writers briefly, readers
read-only), recording runs, replaying its projections (``tracker rebuild``) and describing what
it holds (``tracker status``)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from events.errors import TrackerError
from tracker.config import Settings
from warehouse import Run, Warehouse


def open_writer(settings: Settings) -> Warehouse:
    """Open for writing; close it as soon as the write is done so readers are not blocked."""
    return Warehouse.open(settings.db, read_only=False, lock_timeout=settings.lock_timeout)


def open_reader(settings: Settings) -> Warehouse:
    return Warehouse.open(settings.db, read_only=True, lock_timeout=settings.lock_timeout)


def open_sandbox(settings: Settings, allow: list[Path] | tuple[Path, ...] = ()) -> Warehouse:
    """Open read-only for user SQL (``tracker sql``): it reads the warehouse and ``allow``, nothing else."""
    return Warehouse.open_sandbox(settings.db, allow=allow, lock_timeout=settings.lock_timeout)


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


# -- tracker rebuild ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class RebuildReport:
    head: int
    rows: dict[str, int]
    seconds: float


def rebuild_projections(settings: Settings) -> RebuildReport:
    """Drop every projection and replay it from the log."""
    from warehouse.projections import PROJECTIONS

    started = time.perf_counter()
    with open_writer(settings) as warehouse:
        head = warehouse.rebuild()
        rows = {p.name: warehouse.query(f"SELECT count(*) AS n FROM {p.table}").item() for p in PROJECTIONS}
    return RebuildReport(head, rows, time.perf_counter() - started)


# -- tracker status ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class WarehouseStatus:
    path: Path
    size_bytes: int
    schema_version: int
    head: int
    facts_by_kind: pl.DataFrame
    coverage: pl.DataFrame
    events_by_kind: pl.DataFrame
    recent_runs: pl.DataFrame
    factors: pl.DataFrame  # factor, first_date, last_date, days (the factor models' data)
    news: pl.DataFrame  # by publisher: articles, tagged, first and last publication


def warehouse_status(settings: Settings, runs: int = 10) -> WarehouseStatus:
    with open_reader(settings) as warehouse:
        return WarehouseStatus(
            path=warehouse.path,
            size_bytes=warehouse.path.stat().st_size,
            schema_version=warehouse.query("SELECT max(version) AS v FROM schema_migrations").item(),
            head=warehouse.head(),
            facts_by_kind=warehouse.query(
                "SELECT kind, count(*) AS facts, min(seq) AS first_seq, max(seq) AS last_seq "
                "FROM facts GROUP BY kind ORDER BY first_seq"
            ),
            coverage=warehouse.query(
                """
                SELECT p.ticker, min(p.date) AS first_date, max(p.date) AS last_date, count(*) AS bars,
                       count(*) FILTER (WHERE p.revision > 1) AS corrected,
                       count(*) FILTER (WHERE p.adj_close IS NOT NULL) AS with_adj_close
                FROM prices AS p GROUP BY p.ticker ORDER BY p.ticker
                """
            ),
            events_by_kind=warehouse.query(
                "SELECT kind, count(*) AS events, min(day0) AS first_day0, max(day0) AS last_day0 FROM events GROUP BY kind ORDER BY kind"
            ),
            recent_runs=warehouse.query(
                "SELECT run_id, command, started_at, status, facts_added, facts_unchanged, error "
                "FROM runs ORDER BY start_seq DESC LIMIT $n",
                {"n": runs},
            ),
            factors=warehouse.factor_coverage(warehouse.head()),
            news=warehouse.query(
                """
                SELECT coalesce(n.publisher, n.source) AS publisher, count(*) AS articles,
                       count(t.news_id) AS tagged, count(*) FILTER (WHERE t.kind = 'model_release') AS model_releases,
                       min(n.published_at)::DATE AS first_published, max(n.published_at)::DATE AS last_published
                FROM news AS n LEFT JOIN news_tags AS t ON t.news_id = n.id
                GROUP BY ALL ORDER BY articles DESC, publisher
                """
            ),
        )
