"""The :class:`Warehouse`: one open DuckDB file, its log, projections and reads.

Writers open it, write inside :meth:`Warehouse.transaction`, and close it at once; readers
open it read-only. Schema migrations and projection upgrades happen on open, also for
read-only openers (they briefly reopen the file for writing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from warehouse import facts, ingest_state, migrations, price_facts, projections, queries, runs, sandbox
from warehouse.connection import DEFAULT_LOCK_TIMEOUT, connect
from warehouse.errors import WarehouseBusy, WarehouseError, WarehouseNeedsUpgrade, WarehouseTooNew
from warehouse.vocabulary import Fact


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Warehouse:
    """An open warehouse. Prefer ``with Warehouse.open(path) as wh:`` so the file is released."""

    def __init__(self, path: Path, con: duckdb.DuckDBPyConnection, read_only: bool):
        self.path = path
        self.con = con
        self.read_only = read_only
        self._calendar = None
        self._session_dates = None
        self.sealed = False  # only a sealed warehouse runs user SQL (see warehouse.sandbox)

    # -- opening and closing -------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path | str, *, read_only: bool = False, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> Warehouse:
        path = Path(path).expanduser()
        con = connect(path, read_only=read_only, lock_timeout=lock_timeout)
        try:
            newer = migrations.unknown_versions(con)
            if newer:
                raise WarehouseTooNew(path, max(newer), migrations.LATEST_VERSION)
            upgrade = read_only and _needs_upgrade(con)
        except BaseException:
            con.close()
            raise
        if upgrade:
            con.close()
            _upgrade_for_reader(cls, path, lock_timeout)
            con = connect(path, read_only=True, lock_timeout=lock_timeout)
        con.execute("SET TimeZone = 'UTC'")
        warehouse = cls(path, con, read_only)
        if not read_only:
            try:
                migrations.migrate(con)
                with warehouse.transaction():
                    projections.catch_up(con)
            except BaseException:
                con.close()
                raise
        return warehouse

    @classmethod
    def open_sandbox(
        cls, path: Path | str, *, allow: Sequence[Path] = (), lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    ) -> Warehouse:
        """Open read-only and seal the connection for user SQL: it reads this file and ``allow``, nothing else."""
        warehouse = cls.open(path, read_only=True, lock_timeout=lock_timeout)
        try:
            sandbox.seal(warehouse.con, allow)
        except BaseException:
            warehouse.close()
            raise
        warehouse.sealed = True
        return warehouse

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def limit_memory(self, limit: str) -> None:
        """Cap DuckDB's memory for this connection (e.g. ``"1GB"``; beyond it, work spills to disk).

        DuckDB's default is 80 % of the machine: a long write would keep growing its cache of the
        table's blocks."""
        self.con.execute("SET memory_limit = $limit", {"limit": limit})

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing: everything inside commits together or not at all (also if killed)."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    # -- the log ---------------------------------------------------------------------------------
    def head(self) -> int:
        return facts.log_head(self.con)

    def append_facts(self, new: Sequence[Fact], run: runs.Run) -> facts.AppendResult:
        """Append the facts (instances of :mod:`warehouse.vocabulary` kinds) not already the latest in their stream."""
        return facts.append_facts(self.con, new, run.run_id, utc_now())

    def append_price_bars(self, bars: pl.DataFrame, run: runs.Run) -> facts.AppendResult:
        return price_facts.append_price_bars(self.con, bars, run.run_id, utc_now())

    def latest_facts(self, kind: type[Fact], streams: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Content (upcast) of the latest fact of ``kind`` in each stream (streams without one are absent)."""
        return facts.latest_contents(self.con, kind, streams)

    def latest_keys(self, kind: type[Fact], streams: Sequence[str]) -> dict[str, str]:
        """Key (``stream#revision``) of the latest fact of ``kind`` in each stream that has one."""
        return facts.latest_keys(self.con, kind, streams)

    def read_facts(
        self, kinds: Sequence[type[Fact]], *, after_seq: int = 0, up_to_seq: int | None = None, limit: int | None = None
    ) -> list[tuple[int, str, dict[str, Any]]]:
        """``(seq, kind, content)`` of the JSON facts of ``kinds`` in ``(after_seq, up_to_seq]``, in log order."""
        return facts.read_facts(self.con, kinds, after_seq=after_seq, up_to_seq=up_to_seq, limit=limit)

    def price_ranges(self, tickers: Sequence[str]) -> dict[str, tuple[dt.date, dt.date]]:
        """``ticker -> (first date, last date)`` of the latest known bars (incremental ingestion's windows)."""
        return ingest_state.price_ranges(self.con, tickers)

    def last_run_started(self, command: str, statuses: Sequence[str]) -> dt.datetime | None:
        """Start time of the latest run of ``command`` that finished with one of ``statuses``."""
        return ingest_state.last_run_started(self.con, command, statuses)

    def current_price_files(self, fingerprints: list[str]) -> dict[str, tuple[int, list[str]]]:
        """Fingerprints of price files already imported and still current (``-> (bars, tickers)``)."""
        return price_facts.current_price_files(self.con, fingerprints)

    def start_run(self, command: str, args: dict[str, Any]) -> runs.Run:
        with self.transaction():
            return runs.start_run(self.con, command, args, utc_now())

    def finish_run(self, run: runs.Run, status: str, counts: dict[str, Any], error: str | None = None) -> None:
        with self.transaction():
            runs.finish_run(self.con, run, status, counts, error, utc_now())
            # Fold the run's last fact too, so the checkpoints equal the head after every command
            # and reads at the head use the projected tables rather than replaying the log.
            projections.catch_up(self.con)

    # -- projections -----------------------------------------------------------------------------
    def catch_up(self) -> int:
        return projections.catch_up(self.con)

    def rebuild(self) -> int:
        with self.transaction():
            return projections.rebuild(self.con)

    # -- reads -----------------------------------------------------------------------------------
    def position(self, as_of: int | None = None) -> int:
        return queries.resolve_position(self.con, as_of)

    def calendar(self):
        """The stored XNYS calendar (reference data, read once per open warehouse)."""
        if self._calendar is None:
            self._calendar = queries.session_calendar(self.con)
        return self._calendar

    def session_dates(self):
        """The calendar's session dates as a numpy ``datetime64[D]`` array (index = session number)."""
        if self._session_dates is None:
            self._session_dates = queries.session_dates(self.con)
        return self._session_dates

    def return_matrix(self, tickers: Sequence[str], first_session: int, last_session: int, position: int):
        """Returns of ``tickers`` (rows) on sessions ``first..last`` (columns) as a numpy array."""
        return queries.return_matrix(self.con, tickers, first_session, last_session, position, self.session_dates())

    def factor_matrix(self, names: Sequence[str], first_session: int, last_session: int, position: int):
        """Factor returns (decimals) of ``names`` (rows) on sessions ``first..last`` as a numpy array."""
        return queries.factor_matrix(self.con, names, first_session, last_session, position)

    def factor_coverage(self, position: int) -> pl.DataFrame:
        return queries.factor_coverage(self.con, position)

    def coverage(self, position: int, tickers: Sequence[str] | None = None) -> pl.DataFrame:
        return queries.ticker_coverage(self.con, position, tickers)

    def events(self, position: int) -> list[dict[str, Any]]:
        return queries.events(self.con, position)

    def price_sources(
        self, position: int, tickers: Sequence[str], first_date: dt.date, last_date: dt.date
    ) -> pl.DataFrame:
        """Sources and import runs of the bars of ``tickers`` between two dates (report provenance)."""
        return queries.price_sources(self.con, position, tickers, first_date, last_date)

    def event_fold(self, as_of: int | None = None, *, news: bool = True):
        """Everything the log says about events at ``as_of`` (retracted and withdrawn ones too).

        ``news=False`` skips the ``NewsTagged`` facts (faster; ``news_count`` is then 0).
        """
        return projections.event_fold(self.con, as_of, news=news)

    def read_sql(
        self, sql: str, *, timeout: float | None = None, target: str = "text", rows: int | None = None
    ) -> list[tuple[str, pl.DataFrame]]:
        """Run user SQL on a sealed warehouse (:meth:`open_sandbox`); ``(statement, result)`` per statement.

        ``target`` shapes the columns for the output (``text``, ``json`` or ``parquet``), ``rows``
        caps each result (see :func:`warehouse.sandbox.run_query`).
        """
        if not self.sealed:
            raise RuntimeError("user SQL runs only on a warehouse opened with Warehouse.open_sandbox")
        return sandbox.run_query(self.con, sql, timeout=timeout, target=target, rows=rows)

    def query(self, sql: str, params: dict[str, Any] | None = None) -> pl.DataFrame:
        """A trusted internal read (not user SQL) as a polars frame."""
        return self.con.sql(sql, params=params).pl()


def _upgrade_for_reader(cls: type[Warehouse], path: Path, lock_timeout: float) -> None:
    """Open briefly for writing to upgrade an older file; say so plainly when writing is impossible."""
    try:
        writer = connect(path, read_only=False, lock_timeout=lock_timeout)
    except WarehouseBusy as exc:
        who = f" ({exc.holder})" if exc.holder else ""
        raise WarehouseNeedsUpgrade(path, f"another process has it open{who}") from None
    except WarehouseError as exc:
        raise WarehouseNeedsUpgrade(path, f"it cannot be opened for writing: {exc.message.split(': ', 1)[-1]}") from None
    writer.close()
    cls.open(path, read_only=False, lock_timeout=lock_timeout).close()


def _needs_upgrade(con: duckdb.DuckDBPyConnection) -> bool:
    if migrations.pending(con):
        return True
    known = projections.checkpoints(con)
    return any(known.get(p.name, (0, -1))[1] != p.version for p in projections.PROJECTIONS)


__all__ = ["Warehouse", "WarehouseError"]
