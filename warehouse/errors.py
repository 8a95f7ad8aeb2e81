"""Warehouse errors: every one is a :class:`events.errors.TrackerError` with a next step."""

from __future__ import annotations

from pathlib import Path

from events.errors import TrackerError


class WarehouseError(TrackerError):
    """Something is wrong with the warehouse file or a statement run against it."""


class WarehouseMissing(WarehouseError):
    def __init__(self, path: Path):
        super().__init__(
            f"no warehouse at {path}",
            hint="create one with `tracker import prices PATH` or try `tracker demo`",
        )
        self.path = path


class WarehouseBusy(WarehouseError):
    """Another process holds the file's lock for longer than the retry budget."""

    def __init__(self, path: Path, waited: float, holder: str | None):
        who = f" (held by {holder})" if holder else ""
        super().__init__(
            f"warehouse busy: {path} is locked by another process{who}, gave up after {waited:.0f} s",
            hint="retry when it has finished (a scheduled ingest or an open SQL session)",
        )
        self.path = path
        self.holder = holder


class ReadOnlyViolation(WarehouseError):
    def __init__(self, statement_type: str):
        super().__init__(
            f"refused: {statement_type} would modify the warehouse, and `tracker sql` is read-only",
            hint="use SELECT/WITH/DESCRIBE/SHOW/EXPLAIN; imports and corrections go through `tracker import`",
        )


class QueryError(WarehouseError):
    """DuckDB rejected a statement (syntax, unknown column, …); the message is DuckDB's."""


class LogPositionError(WarehouseError):
    pass
