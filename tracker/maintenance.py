"""Maintenance: replaying projections from the log."""

from __future__ import annotations

import time
from dataclasses import dataclass

from tracker.config import Settings
from tracker.storage import open_writer
from warehouse.projections import PROJECTIONS


@dataclass(frozen=True)
class RebuildReport:
    head: int
    rows: dict[str, int]
    seconds: float


def rebuild_projections(settings: Settings) -> RebuildReport:
    started = time.perf_counter()
    with open_writer(settings) as warehouse:
        head = warehouse.rebuild()
        rows = {p.name: warehouse.query(f"SELECT count(*) AS n FROM {p.table}").item() for p in PROJECTIONS}
    return RebuildReport(head, rows, time.perf_counter() - started)
