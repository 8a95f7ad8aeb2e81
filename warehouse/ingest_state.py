"""Reads that incremental ingestion needs: stored price ranges and runs.

Ingestion keeps its state *with the data* (the dlt pattern): a cursor per source and ticker
is an ``IngestCursorMoved`` fact written in the same transaction as the bars it describes, and
the last news payload of a stream carries the HTTP validators for the next conditional GET;
both are read with ``Warehouse.latest_facts``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb


def price_ranges(con: duckdb.DuckDBPyConnection, tickers: Sequence[str]) -> dict[str, tuple[dt.date, dt.date]]:
    """``ticker -> (first date, last date)`` of the latest known bars (any source)."""
    if not tickers:
        return {}
    rows = con.execute(
        "SELECT ticker, min(date), max(date) FROM projected_prices WHERE list_contains($t, ticker) GROUP BY ticker",
        {"t": list(tickers)},
    ).fetchall()
    return {ticker: (first, last) for ticker, first, last in rows}


def last_run_started(con: duckdb.DuckDBPyConnection, command: str, statuses: Sequence[str]) -> dt.datetime | None:
    """Start time of the latest run of ``command`` that finished with one of ``statuses``."""
    rows = con.execute(
        "SELECT max(started_at) FROM runs WHERE command = $c AND list_contains($s, status)",
        {"c": command, "s": list(statuses)},
    ).fetchall()
    return rows[0][0] if rows else None
