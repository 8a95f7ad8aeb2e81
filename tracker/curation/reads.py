"""Reading events for people: ``tracker events list`` and ``tracker events show``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl

from events.kinds import check_kind
from tracker.config import Settings
from tracker.errors import ConfigError
from tracker.curation.manual import known_event
from tracker.storage import open_reader
from warehouse.vocabulary import EventAmended, EventCatalogued, EventRetracted, EventTagged, NewsTagged, kind_sql, path

LIST_COLUMNS = ("event_id", "day0", "kind", "org", "name", "source", "news_count", "confidence")


def list_events(
    settings: Settings,
    *,
    kind: str | None = None,
    org: str | None = None,
    since: str | None = None,
    source: str | None = None,
) -> pl.DataFrame:
    """Rows of the ``events`` view, filtered: ``org`` is a case-insensitive substring, ``since`` a day 0."""
    if kind:
        problem = check_kind(kind)
        if problem:
            raise ConfigError(f"--kind: {problem}")
    since_date = None
    if since:
        try:
            since_date = dt.date.fromisoformat(since)
        except ValueError:
            raise ConfigError(f"--since {since!r} is not a date like 2025-01-01") from None
    with open_reader(settings) as warehouse:
        return warehouse.query(
            f"""
            SELECT {', '.join(LIST_COLUMNS)} FROM events
            WHERE ($kind IS NULL OR kind = $kind)
              AND ($org IS NULL OR contains(lower(coalesce(org, '')), lower($org)))
              AND ($since IS NULL OR day0 >= $since)
              AND ($source IS NULL OR source = $source)
            ORDER BY day0, event_id
            """,
            {"kind": kind or None, "org": org or None, "since": since_date, "source": source or None},
        )


@dataclass(frozen=True)
class EventDetail:
    event_id: str
    row: dict[str, Any]
    status: str  # visible, retracted: <reason>, withdrawn
    history: pl.DataFrame  # seq, kind, recorded_at, run_id, summary
    evidence: pl.DataFrame  # articles attributed to it, each with the reason it was tagged
    head: int


def show_event(settings: Settings, event_id: str) -> EventDetail:
    """An event with its day 0, where it came from, its history in the log and its evidence."""
    with open_reader(settings) as warehouse:
        state = known_event(warehouse, event_id)
        row = state.row()
        row["event_id"] = event_id
        status = f"retracted: {state.retracted}" if state.retracted is not None else ("withdrawn" if state.withdrawn else "visible")
        history = warehouse.query(
            f"""
            SELECT seq, kind, recorded_at, run_id,
                   CASE kind
                     WHEN {kind_sql(EventAmended)} THEN 'changed ' || ({path(EventAmended, "changes", text=False)})::VARCHAR
                          || coalesce(' (' || nullif({path(EventAmended, "reason")}, '') || ')', '')
                     WHEN {kind_sql(EventRetracted)} THEN 'reason: ' || ({path(EventRetracted, "reason")})
                     WHEN {kind_sql(EventTagged)} THEN json_array_length({path(EventTagged, "evidence", text=False)}) || ' article(s)'
                          || CASE WHEN ({path(EventTagged, "withdrawn")})::BOOLEAN THEN ', withdrawn' ELSE '' END
                     ELSE coalesce({path(EventCatalogued, "name")}, '')
                   END AS summary
            FROM fact_log WHERE stream = $stream ORDER BY seq
            """,
            {"stream": EventCatalogued.STREAM.format(event_id=event_id)},
        )
        # a release's reason (NewsTagged ``reason``: its score and the signals it sums) beside the rule
        evidence = warehouse.query(
            f"""
            SELECT t.published_at, n.publisher, t.title, t.confidence, t.rule, t.model,
                   coalesce({path(NewsTagged, "reason", column="f.content")}, '') AS reason, t.url, t.news_id
            FROM news_tags AS t LEFT JOIN news AS n ON n.id = t.news_id LEFT JOIN fact_log AS f ON f.seq = t.seq
            WHERE t.event_id = $event ORDER BY t.published_at NULLS LAST, t.news_id
            """,
            {"event": event_id},
        )
        return EventDetail(event_id, row, status, history, evidence, warehouse.head())
