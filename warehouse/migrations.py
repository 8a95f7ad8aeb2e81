"""Versioned schema migrations, applied automatically and recorded in ``schema_migrations``.

Each migration is a numbered function run once, inside one transaction with its record.
Views are re-created after any migration (see :mod:`warehouse.views`). Never edit a migration
that has shipped; add the next one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import polars as pl

from warehouse.views import create_views


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[duckdb.DuckDBPyConnection], None]


def _fact_log(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        CREATE TABLE fact_log (
            seq            BIGINT PRIMARY KEY,      -- global order of the log, shared with price_bar_facts
            kind           VARCHAR NOT NULL,        -- past-tense fact name: EventCatalogued, RunStarted, ...
            schema_version SMALLINT NOT NULL,       -- version of the content's shape, for upcasting on read
            stream         VARCHAR NOT NULL,        -- what the fact is about: 'event/<id>', 'run/<id>', ...
            revision       INTEGER NOT NULL,        -- 1, 2, ... within the stream
            key            VARCHAR NOT NULL UNIQUE, -- idempotency key: '<stream>#<revision>'
            run_id         VARCHAR NOT NULL,        -- the run that recorded it
            recorded_at    TIMESTAMPTZ NOT NULL,    -- knowledge time
            content        JSON NOT NULL            -- canonical JSON (sorted keys)
        )""")
    con.execute("""
        CREATE TABLE price_bar_facts (              -- PriceBarObserved facts, typed and columnar
            seq         BIGINT NOT NULL,
            ticker      VARCHAR NOT NULL,
            date        DATE NOT NULL,              -- exchange-local trading date
            revision    INTEGER NOT NULL,           -- 1 = first observation, 2+ = corrections
            open        DOUBLE,
            high        DOUBLE,
            low         DOUBLE,
            close       DOUBLE NOT NULL,
            adj_close   DOUBLE,
            volume      DOUBLE,
            source      VARCHAR NOT NULL,
            run_id      VARCHAR NOT NULL,
            recorded_at TIMESTAMPTZ NOT NULL
        )""")


def _calendar(con: duckdb.DuckDBPyConnection) -> None:
    from events.sessions import SessionCalendar

    calendar = SessionCalendar.xnys()
    con.execute("CREATE TABLE calendar_sessions (session INTEGER PRIMARY KEY, date DATE NOT NULL UNIQUE, close_utc TIMESTAMPTZ NOT NULL)")
    frame = pl.DataFrame(
        {"session": range(len(calendar)), "date": calendar.dates, "close_utc": calendar.closes_utc},
        schema={"session": pl.Int32, "date": pl.Date, "close_utc": pl.Datetime("us", "UTC")},
    )
    con.register("_sessions", frame)
    try:
        con.execute("INSERT INTO calendar_sessions SELECT session, date, close_utc FROM _sessions")
    finally:
        con.unregister("_sessions")


def _projections(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        CREATE TABLE projection_checkpoints (
            name     VARCHAR PRIMARY KEY,
            last_seq BIGINT NOT NULL,
            version  INTEGER NOT NULL
        )""")


def _news_and_tags(con: duckdb.DuckDBPyConnection) -> None:
    """Marks the schema version that has the ``news`` and ``news_tags`` views.

    Their tables are projections (``projected_news``, ``projected_news_tags``, created from
    :data:`warehouse.projections.PROJECTIONS` after every migration) and the views are
    re-created after every migration, so there is nothing else to do here.
    """


def _ingestion_views(con: duckdb.DuckDBPyConnection) -> None:
    """Live ingestion (issue #5) adds no table: dividends, splits, cursors and news payloads are
    JSON facts of ``fact_log``. What changes is the set of views (re-created after every
    migration): ``dividends``, ``splits``, ``ingest_cursors``, ``ingest_tickers``,
    ``news_payloads``, and ``returns`` now adding dividends to close-based returns."""


def _factors(con: duckdb.DuckDBPyConnection) -> None:
    # The projection's table (and the factors view and macro) are created after every migration;
    # this migration is what makes an existing warehouse pick up the new projection.
    from warehouse.projections import PROJECTIONS

    con.execute(next(p for p in PROJECTIONS if p.name == "factors").create_sql)


def _event_tickers(con: duckdb.DuckDBPyConnection) -> None:
    """The ``events`` view gains ``tickers`` (the tickers each event concerns): its projection is
    dropped here, before the views are re-created over the new table, and refolded on open."""
    from warehouse.projections import PROJECTIONS, reset

    reset(con, next(p for p in PROJECTIONS if p.name == "events"))


MIGRATIONS: list[Migration] = [
    Migration(1, "fact log and typed price facts", _fact_log),
    Migration(2, "XNYS session calendar", _calendar),
    Migration(3, "projection checkpoints", _projections),
    # 10-19: news and the tagger
    Migration(10, "news and news_tags views", _news_and_tags),
    # 20-29: live ingestion (prices, corporate actions, news payloads, cursors)
    Migration(20, "ingestion views; total returns from close plus dividends", _ingestion_views),
    # 30-39: event-study engine (factor returns)
    Migration(30, "factor returns projection", _factors),
    # 40-49: the research workflow (samples by kind, event tickers)
    Migration(40, "event tickers in the events view", _event_tickers),
]

LATEST_VERSION = MIGRATIONS[-1].version


def applied_versions(con: duckdb.DuckDBPyConnection) -> list[int]:
    try:  # cheaper than asking information_schema first (this runs on every open)
        rows = con.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    except duckdb.CatalogException:  # a new file: nothing applied yet
        return []
    return [v for (v,) in rows]


def pending(con: duckdb.DuckDBPyConnection) -> list[Migration]:
    done = set(applied_versions(con))
    return [m for m in MIGRATIONS if m.version not in done]


def unknown_versions(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Versions recorded in the file that this code has no migration for: a newer tracker wrote it."""
    known = {m.version for m in MIGRATIONS}
    return [v for v in applied_versions(con) if v not in known]


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply pending migrations, each in its own transaction; return the versions applied."""
    todo = pending(con)
    if not todo:
        return []
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
    )
    for migration in todo:
        con.execute("BEGIN TRANSACTION")
        try:
            migration.apply(con)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                [migration.version, migration.name, dt.datetime.now(dt.timezone.utc)],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    con.execute("BEGIN TRANSACTION")
    try:
        from warehouse.projections import create_projection_tables

        create_projection_tables(con)
        create_views(con)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return [m.version for m in todo]
