"""``tracker status``: what the warehouse holds, read through the documented views."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from tracker.config import Settings
from tracker.storage import open_reader


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
        )
