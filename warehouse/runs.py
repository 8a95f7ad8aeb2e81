"""Runs: every import or ingestion is recorded as two facts, ``RunStarted`` and ``RunFinished``.

A run whose process was killed has a start and no finish; the ``runs`` view shows it as
``incomplete``. Every fact a run appends carries its ``run_id`` (lineage).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

import duckdb

from warehouse.facts import append_facts
from warehouse.vocabulary import RunFinished, RunStarted

RUN_STATUSES = ("succeeded", "partial", "failed")


@dataclass(frozen=True)
class Run:
    run_id: str
    command: str


def new_run_id(now: dt.datetime) -> str:
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def start_run(con: duckdb.DuckDBPyConnection, command: str, args: dict[str, Any], now: dt.datetime) -> Run:
    run = Run(new_run_id(now), command)
    append_facts(con, [RunStarted(run_id=run.run_id, command=command, args=args)], run.run_id, now)
    return run


def finish_run(
    con: duckdb.DuckDBPyConnection,
    run: Run,
    status: str,
    counts: dict[str, Any],
    error: str | None,
    now: dt.datetime,
) -> None:
    if status not in RUN_STATUSES:
        raise ValueError(f"unknown run status {status!r}")
    append_facts(con, [RunFinished(run_id=run.run_id, status=status, counts=counts, error=error)], run.run_id, now)
