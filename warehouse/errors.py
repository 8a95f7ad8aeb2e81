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


class WarehouseTooNew(WarehouseError):
    """The file records schema migrations this version of the tracker does not know."""

    def __init__(self, path: Path, version: int, known: int):
        super().__init__(
            f"warehouse {path} was written by a newer version of the tracker (schema {version}; this one knows up to {known})",
            hint="upgrade the tracker (pip install -U market-reaction-tracker) to use it; nothing was changed",
        )
        self.path = path


class WarehouseNeedsUpgrade(WarehouseError):
    """A reader found an older warehouse it cannot upgrade, because it cannot open the file for writing."""

    def __init__(self, path: Path, why: str):
        super().__init__(
            f"warehouse {path} was written by an older version of the tracker and needs a one-time upgrade, "
            f"which needs write access ({why})",
            hint=f"run one write command with write access, e.g. `tracker rebuild --db {path}`, then reads work again",
        )
        self.path = path


class ReadOnlyViolation(WarehouseError):
    """User SQL tried something other than reading (a write, a setting, an attach, EXPLAIN ANALYZE…)."""

    def __init__(self, what: str, hint: str | None = None):
        super().__init__(
            f"refused: {what}; `tracker sql` is read-only",
            hint=hint or "use SELECT/WITH/DESCRIBE/SHOW/SUMMARIZE/EXPLAIN; imports and corrections go through `tracker import`",
        )


class SandboxRefusal(WarehouseError):
    """User SQL tried to reach a file, URL or extension outside the warehouse."""

    def __init__(self, message: str):
        super().__init__(
            f"refused: {message.removeprefix('Permission Error: ')}: `tracker sql` reads only the warehouse",
            hint="to read your own CSV/Parquet files, allow their folder with --allow-files DIR; extensions and URLs stay off",
        )


class QueryTimeout(WarehouseError):
    def __init__(self, seconds: float):
        super().__init__(
            f"query stopped after {seconds:g} s (--timeout)",
            hint="narrow the query (LIMIT, a WHERE on date or ticker) or allow more time with --timeout SECONDS",
        )


class QueryError(WarehouseError):
    """DuckDB rejected a statement (syntax, unknown column, …); the message is DuckDB's."""


class LogPositionError(WarehouseError):
    pass
