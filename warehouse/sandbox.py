"""The sandbox user SQL runs in (``tracker sql``): it reads the warehouse and nothing else.

Two walls, the first doing the real work:

1. **DuckDB's own settings** on a read-only connection (:func:`seal`): extension auto-install and
   auto-load off, ``enable_external_access = false`` (no file, URL, ``ATTACH``, ``COPY``,
   ``INSTALL`` or ``LOAD``; only the folders or files the user allows, via
   ``allowed_directories`` / ``allowed_paths``, can be read), then ``lock_configuration =
   true`` so no ``SET``, ``RESET`` or ``PRAGMA`` can undo any of it. DuckDB may still spill to
   its temporary folder beside the warehouse.
2. **A statement check** (:func:`check_statements`): only ``SELECT`` (with ``WITH``,
   ``DESCRIBE``, ``SHOW``, ``SUMMARIZE``, ``FROM``-first…), ``EXPLAIN`` without ``ANALYZE``
   (which would run its statement) and the read-only pragmas of :data:`READ_PRAGMAS`.
   ``IMPORT DATABASE`` and ``COPY FROM DATABASE`` parse as pragmas, so they are refused here too.

:func:`run_query` runs each statement in a worker thread so that a timeout or Ctrl-C can
interrupt DuckDB (which does not look at Python's signals while it works), and shapes columns
that polars or a text format cannot hold (intervals, unions, nested values in CSV…) in DuckDB.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path

import duckdb
import polars as pl

from warehouse.errors import QueryError, QueryTimeout, ReadOnlyViolation, SandboxRefusal

#: Statement types user SQL may use (DESCRIBE, SHOW and SUMMARIZE parse as SELECT).
READ_STATEMENTS = frozenset({"SELECT", "EXPLAIN", "PRAGMA"})
#: Pragmas that only read the catalogue or the engine (``PRAGMA name`` or ``PRAGMA name(...)``).
READ_PRAGMAS = frozenset({
    "table_info", "show", "show_tables", "show_tables_expanded", "show_databases", "database_list",
    "database_size", "storage_info", "version", "platform", "functions", "collations", "metadata_info",
    "user_agent", "table_storage_info",
})
#: What a result is shaped for: ``text`` (terminal table, CSV: nested values as JSON text),
#: ``json`` (lists and structs stay nested where polars can write them) or ``parquet`` (native).
TARGETS = ("text", "json", "parquet")
_AS_TEXT = frozenset({"interval", "union", "bit", "bignum", "varint", "time with time zone", "time_tz"})
_NESTED = frozenset({"list", "struct", "map", "array", "union"})
_NOT_JSON = frozenset({"map", "blob"}) | _AS_TEXT
_DATES = frozenset({"date", "timestamp", "timestamp with time zone", "timestamp_ns", "timestamp_ms", "timestamp_s"})
_MAX_YEAR = 262_000  # polars cannot format (and panics on) dates beyond about ±262,143
_POLL = 0.05  # seconds between looks at the clock and for Ctrl-C while a query runs


def seal(con: duckdb.DuckDBPyConnection, allow: Sequence[Path] = ()) -> None:
    """Lock ``con`` (opened read-only) down to the warehouse plus the folders and files in ``allow``."""
    folders = [str(p) + "/" for p in allow if p.is_dir()]
    files = [str(p) for p in allow if not p.is_dir()]
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    con.execute("SET allowed_directories = $folders", {"folders": folders})
    con.execute("SET allowed_paths = $files", {"files": files})
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    [(external, locked)] = con.execute(
        "SELECT current_setting('enable_external_access'), current_setting('lock_configuration')"
    ).fetchall()
    if external or not locked:  # never expected; refuse to run user SQL on an open connection
        raise RuntimeError("the SQL sandbox could not be sealed")


def check_statements(sql: str) -> list[duckdb.Statement]:
    """Parse ``sql``; refuse it whole (nothing run) if any statement is not a plain read."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(one_line(exc)) from None
    if not statements:
        raise QueryError("no SQL statement given")
    for statement in statements:
        kind = statement.type.name
        if kind not in READ_STATEMENTS:
            raise ReadOnlyViolation(f"{kind} statements are not allowed")
        words = _words(statement.query)
        if kind == "EXPLAIN" and {"ANALYZE", "ANALYSE"} & {w.upper() for w in words}:
            raise ReadOnlyViolation("EXPLAIN ANALYZE runs the statement it explains", hint="use EXPLAIN without ANALYZE")
        if kind == "PRAGMA":  # IMPORT DATABASE and COPY FROM DATABASE parse as pragmas too
            pragma = len(words) > 1 and words[0].upper() == "PRAGMA"
            if not (pragma and words[1].lower() in READ_PRAGMAS):
                label = f"PRAGMA {words[1]}" if pragma else " ".join(words[:3]).upper()
                raise ReadOnlyViolation(f"{label} is not a read-only statement",
                                        hint="read with SELECT; catalogue pragmas such as PRAGMA table_info('prices') are fine")
    return statements


def _words(query: str) -> list[str]:
    """The keywords, identifiers and operators of ``query`` in order (no comments, no string constants)."""
    tokens = duckdb.tokenize(query)
    words = []
    for index, (start, kind) in enumerate(tokens):
        if kind in (duckdb.token_type.comment, duckdb.token_type.string_const):
            continue
        end = tokens[index + 1][0] if index + 1 < len(tokens) else len(query)
        text = query[start:end].strip().strip('"')
        if text:
            words.append(text)
    return words


def run_query(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    *,
    timeout: float | None = None,
    target: str = "text",
    rows: int | None = None,
) -> list[tuple[str, pl.DataFrame]]:
    """Check and run ``sql`` on a sealed connection; ``(statement, result)`` per statement.

    ``timeout`` (seconds, for all statements together) interrupts DuckDB and raises
    :class:`QueryTimeout`; Ctrl-C interrupts it and raises ``KeyboardInterrupt``. ``rows``
    fetches at most that many rows of each result (a terminal table needs no more).
    """
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}")
    statements = check_statements(sql)
    deadline = None if not timeout else time.monotonic() + timeout
    return [(s.query, _interruptible(con, s.query, target, rows, deadline, timeout)) for s in statements]


def _interruptible(con, query: str, target: str, rows: int | None, deadline: float | None, timeout: float | None) -> pl.DataFrame:
    box: dict[str, object] = {}
    done = threading.Event()

    def work() -> None:
        try:
            box["frame"] = _fetch(con, query, target, rows)
        except BaseException as exc:  # handed to the main thread
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=work, name="tracker-sql", daemon=True).start()
    try:
        while not done.wait(_POLL):
            if deadline is not None and time.monotonic() >= deadline:
                _stop(con, done)
                raise QueryTimeout(timeout or 0)
    except KeyboardInterrupt:
        _stop(con, done)
        raise
    error = box.get("error")
    if isinstance(error, duckdb.InterruptException):  # interrupted from elsewhere: as Ctrl-C
        raise KeyboardInterrupt
    if error is not None:
        raise _user_error(error) from None
    return box["frame"]  # type: ignore[return-value]


def _stop(con, done: threading.Event) -> None:
    """Interrupt DuckDB and wait for the worker to let go (a second Ctrl-C interrupts again)."""
    con.interrupt()
    while not done.is_set():
        try:
            done.wait(_POLL)
        except KeyboardInterrupt:
            con.interrupt()


def _fetch(con, query: str, target: str, rows: int | None) -> pl.DataFrame:
    relation = con.sql(query)
    if relation is None:
        return pl.DataFrame()
    if rows is not None:
        relation = relation.limit(rows)
    columns = [_column(i + 1, name, kind, target) for i, (name, kind) in enumerate(zip(relation.columns, relation.types))]
    if any(c is not None for c in columns):
        relation = relation.project(", ".join(
            c or f"#{i + 1} AS {_quote(name)}" for i, (c, name) in enumerate(zip(columns, relation.columns))
        ))
    return relation.pl()


def _column(position: int, name: str, kind, target: str) -> str | None:
    """A projection of one column for ``target``, or ``None`` to take it as it is."""
    if kind.id in _NESTED:
        inside = _type_ids(kind)
        as_json = target == "text" or inside & (_NOT_JSON if target == "json" else _AS_TEXT)
        return f"to_json(#{position})::VARCHAR AS {_quote(name)}" if as_json else None
    if kind.id in _AS_TEXT or (kind.id == "blob" and target != "parquet"):
        return f"#{position}::VARCHAR AS {_quote(name)}"
    if kind.id in _DATES and target != "parquet":  # refuse 'infinity' and the like in one line
        value = f"#{position}"
        problem = _literal(f"column {name} holds a date that cannot be shown as text: ")
        return (f"CASE WHEN isinf({value}) OR NOT (year({value}) BETWEEN -{_MAX_YEAR} AND {_MAX_YEAR}) "
                f"THEN error({problem} || {value}::VARCHAR || '; cast it ::VARCHAR') ELSE {value} END AS {_quote(name)}")
    return None


def _type_ids(kind) -> set[str]:
    """The ids of a type and of every type nested in it."""
    ids = {kind.id}
    if kind.id in _NESTED:
        for _, child in kind.children:
            if hasattr(child, "id"):  # an array's children include its size
                ids |= _type_ids(child)
    return ids


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _user_error(exc: BaseException) -> Exception:
    if isinstance(exc, duckdb.PermissionException):
        return SandboxRefusal(one_line(exc))
    if isinstance(exc, duckdb.InvalidInputException) and ("read-only" in str(exc) or "locked" in str(exc)):
        return ReadOnlyViolation(one_line(exc))
    if isinstance(exc, duckdb.Error):
        return QueryError(one_line(exc))
    if isinstance(exc, (KeyboardInterrupt, SystemExit)):
        return exc  # type: ignore[return-value]
    return QueryError(f"the result cannot be read: {one_line(exc)}")


def one_line(exc: BaseException) -> str:
    """An error's message on one line (drops DuckDB's caret line, keeps the position hint)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip() and set(line.strip()) != {"^"}]
    return "; ".join(lines) if lines else exc.__class__.__name__
