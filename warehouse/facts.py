"""The append-only fact log.

A fact is something the tracker learned: a catalogue entry, a run that started, a tag. Facts
live in one of two tables sharing one global sequence: ``fact_log`` (JSON content) and
``price_bar_facts`` (typed columns, see :mod:`warehouse.price_facts`). Both are only ever
inserted into.

Idempotency: each fact belongs to a *stream* (what it is about, e.g. ``event/<id>``) and gets
the next *revision* in that stream; its key is ``<stream>#<revision>``. A new fact is appended
only if its content differs from the latest fact of the same kind in its stream, so appending
facts that are already there adds nothing, and a changed value (a correction) is a new fact.

The kinds, their streams and contents are declared in :mod:`warehouse.vocabulary`; facts are
appended as instances of those classes and read back upcast to the current version.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import polars as pl

from warehouse.vocabulary import Fact, upcast


@dataclass(frozen=True)
class AppendResult:
    """What an append did: facts added (with their seq range) and facts already known."""

    added: int = 0
    unchanged: int = 0
    revised: int = 0  # added facts that supersede an earlier fact of the same stream
    first_seq: int | None = None
    last_seq: int | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def __add__(self, other: AppendResult) -> AppendResult:
        firsts = [s for s in (self.first_seq, other.first_seq) if s is not None]
        lasts = [s for s in (self.last_seq, other.last_seq) if s is not None]
        return AppendResult(
            self.added + other.added,
            self.unchanged + other.unchanged,
            self.revised + other.revised,
            min(firsts) if firsts else None,
            max(lasts) if lasts else None,
            {**self.details, **other.details},
        )


_FACT_SCHEMA = {
    "seq": pl.Int64, "kind": pl.String, "schema_version": pl.Int16, "stream": pl.String, "revision": pl.Int32,
    "key": pl.String, "run_id": pl.String, "recorded_at": pl.Datetime("us", "UTC"), "content": pl.String,
}


def canonical_json(content: Mapping[str, Any]) -> str:
    """Deterministic JSON text: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


# DuckDB 2.0 streams results: a result must be drained (fetchall) before the connection is
# used again, so single values are read with ``fetchall()[0]`` throughout the warehouse.


def log_head(con: duckdb.DuckDBPyConnection) -> int:
    """The highest ``seq`` in the log (0 for an empty log)."""
    return con.execute(
        "SELECT greatest((SELECT coalesce(max(seq), 0) FROM fact_log), (SELECT coalesce(max(seq), 0) FROM price_bar_facts))"
    ).fetchall()[0][0]


def append_facts(
    con: duckdb.DuckDBPyConnection,
    facts: Sequence[Fact],
    run_id: str,
    recorded_at: dt.datetime,
) -> AppendResult:
    """Append ``facts`` (in order) that are not already the latest of their kind in their stream."""
    if not facts:
        return AppendResult()
    streams = [fact.stream for fact in facts]
    con.register("_wanted_streams", pl.DataFrame({"stream": sorted(set(streams))}))
    try:
        known = con.execute(
            """
            SELECT f.stream, f.kind, f.content::VARCHAR AS content,
                   max(f.revision) OVER (PARTITION BY f.stream) AS max_revision
            FROM fact_log AS f JOIN _wanted_streams USING (stream)
            QUALIFY row_number() OVER (PARTITION BY f.stream, f.kind ORDER BY f.seq DESC) = 1
            """
        ).fetchall()
    finally:
        con.unregister("_wanted_streams")
    latest = {(stream, kind): content for stream, kind, content, _ in known}
    revisions = {stream: max_revision for stream, _, _, max_revision in known}

    head = log_head(con)
    rows = []
    unchanged = revised = 0
    for fact, stream in zip(facts, streams):
        text = canonical_json(fact.content())
        if latest.get((stream, fact.KIND)) == text:
            unchanged += 1
            continue
        revision = revisions.get(stream, 0) + 1
        revised += revision > 1
        revisions[stream] = revision
        latest[(stream, fact.KIND)] = text
        head += 1
        rows.append((head, fact.KIND, fact.VERSION, stream, revision, f"{stream}#{revision}", run_id, recorded_at, text))
    if rows:
        frame = pl.DataFrame(rows, schema=_FACT_SCHEMA, orient="row")
        con.register("_new_facts", frame)
        try:
            con.execute("INSERT INTO fact_log SELECT * FROM _new_facts")
        finally:
            con.unregister("_new_facts")
    return AppendResult(
        added=len(rows),
        unchanged=unchanged,
        revised=revised,
        first_seq=rows[0][0] if rows else None,
        last_seq=rows[-1][0] if rows else None,
    )


def read_facts(
    con: duckdb.DuckDBPyConnection,
    kinds: Sequence[type[Fact]],
    *,
    after_seq: int = 0,
    up_to_seq: int | None = None,
    limit: int | None = None,
) -> list[tuple[int, str, dict[str, Any]]]:
    """``(seq, kind, content)`` of the JSON facts of ``kinds`` in ``(after_seq, up_to_seq]``, in order (at most ``limit``).

    Contents are upcast to their kind's current version (:func:`warehouse.vocabulary.upcast`).
    """
    rows = con.execute(
        """
        SELECT seq, kind, schema_version, content::VARCHAR FROM fact_log
        WHERE list_contains($kinds, kind) AND seq > $after AND ($upto IS NULL OR seq <= $upto)
        ORDER BY seq
        LIMIT $limit
        """,
        {"kinds": [k.KIND for k in kinds], "after": after_seq, "upto": up_to_seq, "limit": limit if limit is not None else 2**62},
    ).fetchall()
    return [(seq, kind, upcast(kind, version, json.loads(content))) for seq, kind, version, content in rows]


def latest_contents(con: duckdb.DuckDBPyConnection, kind: type[Fact], streams: Sequence[str]) -> dict[str, dict[str, Any]]:
    """``stream -> content`` (upcast) of the latest fact of ``kind`` in each of ``streams`` that has one."""
    rows = _latest(con, kind, streams, "f.schema_version, f.content::VARCHAR")
    return {stream: upcast(kind.KIND, version, json.loads(content)) for stream, version, content in rows}


def latest_keys(con: duckdb.DuckDBPyConnection, kind: type[Fact], streams: Sequence[str]) -> dict[str, str]:
    """``stream -> key`` (``stream#revision``) of the latest fact of ``kind`` in each of ``streams``."""
    return dict(_latest(con, kind, streams, "f.key"))


def _latest(con: duckdb.DuckDBPyConnection, kind: type[Fact], streams: Sequence[str], columns: str) -> list[tuple]:
    if not streams:
        return []
    con.register("_wanted_streams", pl.DataFrame({"stream": sorted(set(streams))}, schema={"stream": pl.String}))
    try:
        return con.execute(
            f"""
            SELECT f.stream, {columns} FROM fact_log AS f JOIN _wanted_streams USING (stream)
            WHERE f.kind = $kind
            QUALIFY row_number() OVER (PARTITION BY f.stream ORDER BY f.seq DESC) = 1
            """,
            {"kind": kind.KIND},
        ).fetchall()
    finally:
        con.unregister("_wanted_streams")
