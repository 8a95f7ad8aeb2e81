"""Named reads used by the application, each accepting a log position (``as_of``).

With ``as_of`` at or past the projections' checkpoint the reads use the projected tables;
for an earlier position they replay the log (``prices_as_of`` / ``returns_as_of`` macros and
the event fold). Both paths return the same rows for the same position.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import duckdb
import polars as pl

from events.sessions import SessionCalendar
from warehouse.errors import LogPositionError
from warehouse.facts import log_head
from warehouse.projections import checkpoints, events_as_of


def resolve_position(con: duckdb.DuckDBPyConnection, as_of: int | None) -> int:
    """The log position a read will use: ``as_of`` if given (and valid), else the head."""
    head = log_head(con)
    if as_of is None:
        return head
    if as_of < 0 or as_of > head:
        raise LogPositionError(
            f"log position {as_of} is outside the log (1 .. {head})",
            hint="see `tracker status` for the current head, or `tracker sql \"SELECT * FROM runs\"` for earlier runs",
        )
    return as_of


def _is_current(con: duckdb.DuckDBPyConnection, position: int, projection: str) -> bool:
    last_seq, _ = checkpoints(con).get(projection, (0, 0))
    return position >= last_seq and last_seq == log_head(con)


def prices_relation(con: duckdb.DuckDBPyConnection, position: int) -> str:
    """SQL for the latest bars known at ``position`` (a view name or a macro call)."""
    return "prices" if _is_current(con, position, "prices") else f"prices_as_of({int(position)})"


def returns_relation(con: duckdb.DuckDBPyConnection, position: int) -> str:
    return "returns" if _is_current(con, position, "prices") else f"returns_as_of({int(position)})"


def session_calendar(con: duckdb.DuckDBPyConnection) -> SessionCalendar:
    frame = con.sql("SELECT date, close_utc FROM calendar_sessions ORDER BY session").pl()
    return SessionCalendar(frame["date"].to_list(), frame["close_utc"].to_list())


def returns_frame(
    con: duckdb.DuckDBPyConnection,
    tickers: Sequence[str],
    first_session: int,
    last_session: int,
    position: int,
) -> pl.DataFrame:
    """``ticker, session, ret`` for ``tickers`` between two session indexes, as known at ``position``."""
    con.register("_wanted_tickers", pl.DataFrame({"ticker": list(tickers)}, schema={"ticker": pl.String}))
    try:
        return con.sql(
            f"""
            SELECT r.ticker, r.session, r.ret
            FROM {returns_relation(con, position)} AS r
            SEMI JOIN _wanted_tickers AS w ON w.ticker = r.ticker
            WHERE r.session BETWEEN $first AND $last
            """,
            params={"first": first_session, "last": last_session},
        ).pl()
    finally:
        con.unregister("_wanted_tickers")


def ticker_coverage(con: duckdb.DuckDBPyConnection, position: int, tickers: Sequence[str] | None = None) -> pl.DataFrame:
    """``ticker, first_date, last_date, bars`` per ticker known at ``position``."""
    frame = con.sql(
        f"""
        SELECT ticker, min(date) AS first_date, max(date) AS last_date, count(*) AS bars
        FROM {prices_relation(con, position)} GROUP BY ticker ORDER BY ticker
        """
    ).pl()
    if tickers is not None:
        frame = frame.filter(pl.col("ticker").is_in(list(tickers)))
    return frame


def events(con: duckdb.DuckDBPyConnection, position: int) -> list[dict[str, Any]]:
    """Rows of the ``events`` view as known at ``position``."""
    if _is_current(con, position, "events"):
        relation = con.sql("SELECT * FROM events ORDER BY day0, event_id")
        columns = relation.columns
        return [dict(zip(columns, row)) for row in relation.fetchall()]
    rows = events_as_of(con, position)
    for row in rows:
        for column in ("day0", "reaction_date"):
            if isinstance(row.get(column), str):
                row[column] = dt.date.fromisoformat(row[column])
    return rows
