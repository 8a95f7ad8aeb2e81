"""Projections: tables derived from the fact log, kept current with checkpoints.

Each projection folds the facts after its checkpoint into its table and moves the checkpoint,
in the caller's transaction, so a projection is never half-updated. :func:`rebuild` drops every
projection table and replays the whole log; the result is identical to the incremental one.
A projection whose ``version`` changed in the code is rebuilt automatically.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import polars as pl

from warehouse.event_fold import EVENT_COLUMNS, FOLDED_KINDS, EventFold, fold_event_facts, fold_events
from warehouse.facts import log_head, read_facts
from warehouse.vocabulary import (
    EVENT_KINDS,
    FACTOR_NAMES,
    EventCatalogued,
    FactorReturnsObserved,
    NewsItemObserved,
    NewsTagged,
    columns,
    kind_sql,
    path,
    upcast,
)


@dataclass(frozen=True)
class Projection:
    name: str
    table: str
    version: int
    create_sql: str
    apply: Callable[[duckdb.DuckDBPyConnection, int, int], None]  # (con, after_seq, head)


def _apply_prices(con: duckdb.DuckDBPyConnection, after_seq: int, head: int) -> None:
    params = {"after": after_seq, "head": head}
    new_facts = """
        SELECT ticker, date, open, high, low, close, adj_close, volume, seq, revision
        FROM price_bar_facts WHERE seq > $after AND seq <= $head
    """
    repeated = con.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM ({new_facts}) GROUP BY ticker, date HAVING count(*) > 1)", params
    ).fetchall()[0][0]
    # Usually each bar appears once among the new facts; only then is the latest-per-bar window skipped.
    latest = new_facts + (" QUALIFY row_number() OVER (PARTITION BY ticker, date ORDER BY seq DESC) = 1" if repeated else "")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _changed_bars AS {latest}", params)
    try:
        if con.execute("SELECT count(*) FROM projected_prices LIMIT 1").fetchall()[0][0]:
            con.execute(
                "DELETE FROM projected_prices AS p USING _changed_bars AS c WHERE p.ticker = c.ticker AND p.date = c.date"
            )
        con.execute("INSERT INTO projected_prices SELECT * FROM _changed_bars")
    finally:
        con.execute("DROP TABLE _changed_bars")


_EVENT_SCHEMA = {
    "event_id": pl.String, "name": pl.String, "kind": pl.String, "org": pl.String, "model": pl.String,
    "tickers": pl.List(pl.String),
    "announced_at": pl.String, "timezone": pl.String, "date_precision": pl.String, "reaction_date": pl.String,
    "day0": pl.String, "day0_rule": pl.String, "source": pl.String, "source_url": pl.String, "notes": pl.String,
    "confidence": pl.Float64, "news_count": pl.Int32, "seq": pl.Int64,
}


def _apply_events(con: duckdb.DuckDBPyConnection, after_seq: int, head: int) -> None:
    """Fold the event facts into ``projected_events``: all of them on the first pass, afterwards
    only the events the new facts concern (a full re-fold per batch made tagging a backlog
    quadratic). The table is kept in the order of :func:`warehouse.event_fold.visible_rows`."""
    new_facts = read_facts(con, FOLDED_KINDS, after_seq=after_seq, up_to_seq=head)
    if not new_facts:
        return
    if after_seq == 0:
        _replace_events(con, fold_events(new_facts), None)  # every fact is new
        return
    touched, retagged = set(), set()
    for _, kind, content in new_facts:
        if kind != NewsTagged.KIND:
            touched.add(content["event_id"])
        else:  # an article's tag: its new event gains it, its old one loses it
            touched.add(content.get("event_id"))
            if content.get("news_id"):
                retagged.add(content["news_id"])
    touched.update(_events_of_news(con, sorted(retagged), after_seq))
    touched = sorted(e for e in touched if e)
    fold = fold_event_facts(_event_facts_of(con, touched, head))
    counts = _news_counts(con, touched, head)
    rows = []
    for event_id in touched:
        state = fold.events.get(event_id)
        if state is not None and state.visible:
            row = state.row(counts.get(event_id, 0))
            row["event_id"] = event_id
            rows.append(row)
    _replace_events(con, rows, touched)


def _replace_events(con: duckdb.DuckDBPyConnection, rows: list[dict], touched: list[str] | None) -> None:
    """Put ``rows`` in place of the events ``touched`` (all events when None), in view order."""
    frame = pl.DataFrame([[row[c] for c in EVENT_COLUMNS] for row in rows], schema=_EVENT_SCHEMA, orient="row")
    columns = ", ".join(EVENT_COLUMNS)
    con.register("_folded_events", frame)
    try:  # bulk statements: row-by-row inserts take seconds for a few thousand events
        if touched is None:
            con.execute("CREATE OR REPLACE TEMP TABLE _events_now AS SELECT * FROM projected_events LIMIT 0")
        else:
            con.register("_touched_events", pl.DataFrame({"event_id": touched}, schema={"event_id": pl.String}))
            con.execute(
                "CREATE OR REPLACE TEMP TABLE _events_now AS SELECT * FROM projected_events "
                "WHERE event_id NOT IN (SELECT event_id FROM _touched_events)"
            )
        con.execute(f"INSERT INTO _events_now SELECT {columns} FROM _folded_events")
        con.execute("DELETE FROM projected_events")
        # the order of fold_events: day 0 (undated first), then id
        con.execute("INSERT INTO projected_events SELECT * FROM _events_now ORDER BY day0 NULLS FIRST, event_id")
    finally:
        con.unregister("_folded_events")
        if touched is not None:
            con.unregister("_touched_events")
        con.execute("DROP TABLE IF EXISTS _events_now")


def _events_of_news(con: duckdb.DuckDBPyConnection, news_ids: list[str], up_to_seq: int) -> set[str]:
    """The event each of ``news_ids`` was attributed to at ``up_to_seq``."""
    if not news_ids:
        return set()
    rows = con.execute(
        f"""
        SELECT {path(NewsTagged, "event_id")} FROM fact_log
        WHERE kind = {kind_sql(NewsTagged)} AND seq <= $upto AND {path(NewsTagged, "news_id")} IN (SELECT unnest($ids))
        QUALIFY row_number() OVER (PARTITION BY {path(NewsTagged, "news_id")} ORDER BY seq DESC) = 1
        """,
        {"upto": up_to_seq, "ids": news_ids},
    ).fetchall()
    return {event_id for (event_id,) in rows if event_id}


def _event_facts_of(con: duckdb.DuckDBPyConnection, event_ids: list[str], up_to_seq: int) -> list[tuple[int, str, dict]]:
    """``(seq, kind, content)`` of every fact about ``event_ids`` (articles' tags aside), in order."""
    if not event_ids:
        return []
    rows = con.execute(
        f"""
        SELECT seq, kind, schema_version, content::VARCHAR FROM fact_log
        WHERE list_contains($kinds, kind) AND seq <= $upto AND {_EVENT_ID} IN (SELECT unnest($ids))
        ORDER BY seq
        """,
        {"kinds": [kind.KIND for kind in EVENT_KINDS], "upto": up_to_seq, "ids": event_ids},
    ).fetchall()
    return [(seq, kind, upcast(kind, version, json.loads(content))) for seq, kind, version, content in rows]


#: Every event kind names its event by ``event_id``.
_EVENT_ID = path(EventCatalogued, "event_id")
assert all("event_id" in kind.fields() for kind in EVENT_KINDS)


def _news_counts(con: duckdb.DuckDBPyConnection, event_ids: list[str], up_to_seq: int) -> dict[str, int]:
    """``news_count`` of ``event_ids``: articles whose latest tag (by ``up_to_seq``) puts them there."""
    if not event_ids:
        return {}
    rows = con.execute(
        f"""
        SELECT event_id, count(*)::INTEGER FROM (
            SELECT {columns(NewsTagged, "event_id")}, {path(NewsTagged, "kind")} AS tag_kind FROM fact_log
            WHERE kind = {kind_sql(NewsTagged)} AND seq <= $upto AND coalesce({path(NewsTagged, "news_id")}, '') <> ''
            QUALIFY row_number() OVER (PARTITION BY {path(NewsTagged, "news_id")} ORDER BY seq DESC) = 1
        )
        WHERE coalesce(tag_kind, '') <> '' AND event_id IN (SELECT unnest($ids))
        GROUP BY event_id
        """,
        {"upto": up_to_seq, "ids": event_ids},
    ).fetchall()
    return dict(rows)


_LATEST_IN_RANGE = """
    FROM fact_log
    WHERE kind = $kind AND seq > $after AND seq <= $head
    QUALIFY row_number() OVER (PARTITION BY stream ORDER BY seq DESC) = 1
"""


def _apply_news(con: duckdb.DuckDBPyConnection, after_seq: int, head: int) -> None:
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _changed_news AS
        SELECT {path(NewsItemObserved, "news_id")} AS id,
               TRY_CAST({path(NewsItemObserved, "published_at")} AS TIMESTAMPTZ) AS published_at,
               {columns(NewsItemObserved, "published_basis", "publisher", "title", "url", "canonical_url")},
               coalesce(from_json({path(NewsItemObserved, "tickers", text=False)}, '["VARCHAR"]'), []::VARCHAR[]) AS tickers,
               {columns(NewsItemObserved, "source", "source_id", "format", "payload", "summary")},
               seq, revision
        {_LATEST_IN_RANGE}
        """,
        {"kind": NewsItemObserved.KIND, "after": after_seq, "head": head},
    )
    try:
        con.execute("DELETE FROM projected_news AS p USING _changed_news AS c WHERE p.id = c.id")
        con.execute("INSERT INTO projected_news SELECT * FROM _changed_news ORDER BY seq")
    finally:
        con.execute("DROP TABLE _changed_news")


def _apply_news_tags(con: duckdb.DuckDBPyConnection, after_seq: int, head: int) -> None:
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _changed_tags AS
        SELECT {columns(NewsTagged, "news_id", "event_id", "kind", "org", "model", "subject")},
               TRY_CAST({path(NewsTagged, "confidence")} AS DOUBLE) AS confidence,
               {columns(NewsTagged, "rule", "matched", "link")},
               seq
        {_LATEST_IN_RANGE}
        """,
        {"kind": NewsTagged.KIND, "after": after_seq, "head": head},
    )
    try:
        con.execute("DELETE FROM projected_news_tags AS p USING _changed_tags AS c WHERE p.news_id = c.news_id")
        con.execute("INSERT INTO projected_news_tags SELECT * FROM _changed_tags WHERE kind IS NOT NULL ORDER BY seq")
    finally:
        con.execute("DROP TABLE _changed_tags")


def _apply_factors(con: duckdb.DuckDBPyConnection, after_seq: int, head: int) -> None:
    # A few thousand dates per factor file: replaying all factor facts is simpler than merging.
    new = con.execute(
        "SELECT count(*) FROM fact_log WHERE kind = $kind AND seq > $after AND seq <= $head",
        {"kind": FactorReturnsObserved.KIND, "after": after_seq, "head": head},
    ).fetchall()[0][0]
    if new:
        con.execute("DELETE FROM projected_factors")
        con.execute(f"INSERT INTO projected_factors SELECT * FROM factors_as_of({int(head)}) ORDER BY date")


PROJECTIONS: tuple[Projection, ...] = (
    Projection(
        "prices", "projected_prices", 1,
        """CREATE TABLE IF NOT EXISTS projected_prices (
               ticker VARCHAR NOT NULL, date DATE NOT NULL,
               open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE NOT NULL, adj_close DOUBLE, volume DOUBLE,
               seq BIGINT NOT NULL, revision INTEGER NOT NULL)""",
        _apply_prices,
    ),
    Projection(
        "events", "projected_events", 3,
        """CREATE TABLE IF NOT EXISTS projected_events (
               event_id VARCHAR NOT NULL, name VARCHAR, kind VARCHAR, org VARCHAR, model VARCHAR, tickers VARCHAR[],
               announced_at VARCHAR, timezone VARCHAR, date_precision VARCHAR,
               reaction_date DATE, day0 DATE, day0_rule VARCHAR, source VARCHAR,
               source_url VARCHAR, notes VARCHAR, confidence DOUBLE, news_count INTEGER, seq BIGINT NOT NULL)""",
        _apply_events,
    ),
    Projection(
        "news", "projected_news", 1,
        """CREATE TABLE IF NOT EXISTS projected_news (
               id VARCHAR NOT NULL, published_at TIMESTAMPTZ, published_basis VARCHAR, publisher VARCHAR,
               title VARCHAR NOT NULL, url VARCHAR, canonical_url VARCHAR, tickers VARCHAR[], source VARCHAR,
               source_id VARCHAR, format VARCHAR, payload VARCHAR, summary VARCHAR,
               seq BIGINT NOT NULL, revision INTEGER NOT NULL)""",
        _apply_news,
    ),
    Projection(
        "news_tags", "projected_news_tags", 1,
        """CREATE TABLE IF NOT EXISTS projected_news_tags (
               news_id VARCHAR NOT NULL, event_id VARCHAR, kind VARCHAR, org VARCHAR, model VARCHAR,
               subject VARCHAR, confidence DOUBLE, rule VARCHAR, matched VARCHAR, link VARCHAR,
               seq BIGINT NOT NULL)""",
        _apply_news_tags,
    ),
    Projection(
        "factors", "projected_factors", 1,
        f"""CREATE TABLE IF NOT EXISTS projected_factors (
               date DATE NOT NULL, {", ".join(f"{name} DOUBLE" for name in FACTOR_NAMES)}, seq BIGINT NOT NULL)""",
        _apply_factors,
    ),
)


def project_new_bars_inline(con: duckdb.DuckDBPyConnection, table: str, before: int, after: int) -> bool:
    """Fold freshly appended bars (one per ticker and date, in ``table``) straight into ``prices``.

    Only when the projection already holds every price fact up to ``before`` (the head before the
    append; other kinds of facts do not concern it): then the result is exactly what
    :func:`catch_up` would produce, without re-reading the log. Returns whether it did so.
    """
    last_seq, version = checkpoints(con).get("prices", (0, 0))
    prices = next(p for p in PROJECTIONS if p.name == "prices")
    newest_before = con.execute(
        "SELECT coalesce(max(seq), 0) FROM price_bar_facts WHERE seq <= $before", {"before": before}
    ).fetchall()[0][0]
    if last_seq < newest_before or version != prices.version:
        return False
    if con.execute("SELECT count(*) FROM projected_prices LIMIT 1").fetchall()[0][0]:
        con.execute(f"DELETE FROM projected_prices AS p USING {table} AS c WHERE p.ticker = c.ticker AND p.date = c.date")
    con.execute(
        f"INSERT INTO projected_prices SELECT ticker, date, open, high, low, close, adj_close, volume, seq, revision FROM {table}"
    )
    _move_checkpoint(con, prices, after)
    return True


def create_projection_tables(con: duckdb.DuckDBPyConnection) -> None:
    for projection in PROJECTIONS:
        con.execute(projection.create_sql)
        con.execute(
            "INSERT INTO projection_checkpoints SELECT $name, 0, $version WHERE NOT EXISTS "
            "(SELECT 1 FROM projection_checkpoints WHERE name = $name)",
            {"name": projection.name, "version": projection.version},
        )


def checkpoints(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    """``name -> (last_seq, version)`` of every projection."""
    return {n: (s, v) for n, s, v in con.execute("SELECT name, last_seq, version FROM projection_checkpoints").fetchall()}


def catch_up_prices(con: duckdb.DuckDBPyConnection) -> None:
    """Fold the price facts after the ``prices`` checkpoint (the price append compares with that table)."""
    _catch_up(con, [p for p in PROJECTIONS if p.name == "prices"])


def catch_up(con: duckdb.DuckDBPyConnection) -> int:
    """Fold every fact after each checkpoint; return the log head now reflected. Call inside a transaction."""
    return _catch_up(con, PROJECTIONS)


def _catch_up(con: duckdb.DuckDBPyConnection, projections) -> int:
    head = log_head(con)
    known = checkpoints(con)
    for projection in projections:
        last_seq, version = known.get(projection.name, (0, projection.version))
        if version != projection.version:
            reset(con, projection)
            last_seq = 0
        if last_seq < head:
            projection.apply(con, last_seq, head)
            _move_checkpoint(con, projection, head)
    return head


def rebuild(con: duckdb.DuckDBPyConnection) -> int:
    """Drop every projection and replay the whole log. Call inside a transaction."""
    for projection in PROJECTIONS:
        reset(con, projection)
    return catch_up(con)


def reset(con: duckdb.DuckDBPyConnection, projection: Projection) -> None:
    """Drop a projection's table, create it empty and move its checkpoint to 0 (the next catch-up refolds it)."""
    con.execute(f"DROP TABLE IF EXISTS {projection.table}")
    con.execute(projection.create_sql)
    _move_checkpoint(con, projection, 0)


def _move_checkpoint(con: duckdb.DuckDBPyConnection, projection: Projection, seq: int) -> None:
    con.execute(
        "INSERT OR REPLACE INTO projection_checkpoints VALUES ($name, $seq, $version)",
        {"name": projection.name, "seq": seq, "version": projection.version},
    )


def events_as_of(con: duckdb.DuckDBPyConnection, as_of: int) -> list[dict]:
    """The ``events`` view as it was at log position ``as_of`` (a replay of the event facts)."""
    return fold_events(read_facts(con, FOLDED_KINDS, up_to_seq=as_of))


def event_fold(con: duckdb.DuckDBPyConnection, as_of: int | None = None, *, news: bool = True) -> EventFold:
    """Everything the log says about events at ``as_of`` (retracted and withdrawn ones included)."""
    kinds = FOLDED_KINDS if news else EVENT_KINDS
    return fold_event_facts(read_facts(con, kinds, up_to_seq=as_of))
