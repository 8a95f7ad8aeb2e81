"""``tracker sql``."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from tracker.cli.common import ConfigOption, DbOption, settings

MAX_TABLE_ROWS = 200
DEFAULT_TIMEOUT = 300.0


class SqlFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


#: Suffixes ``--out`` may have per format (the first is the usual one).
OUT_SUFFIXES = {"csv": (".csv",), "json": (".json",), "parquet": (".parquet", ".pq")}


def sql(
    query: Annotated[str, typer.Argument(help="SQL to run read-only against the documented views.", show_default=False)],
    fmt: Annotated[Optional[SqlFormat], typer.Option("--format", help="Output format [default: from --out's suffix, else table]; parquet needs --out.", show_default=False)] = None,
    out: Annotated[Optional[Path], typer.Option("--out", metavar="FILE", help="Write the result to FILE (.csv, .json or .parquet) instead of stdout.", show_default=False)] = None,
    allow_files: Annotated[Optional[list[Path]], typer.Option("--allow-files", metavar="DIR", help="Let the query read files in DIR (e.g. read_parquet('DIR/*.parquet')); repeatable. Off by default.", show_default=False)] = None,
    timeout: Annotated[float, typer.Option("--timeout", metavar="SECONDS", min=0, help="Stop the query after this long (0: no limit).")] = DEFAULT_TIMEOUT,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Run read-only SQL on the documented views.

    Views: facts, prices, returns, events, news, news_tags, runs, sessions, factors, dividends,
    splits, ingest_cursors, ingest_tickers, news_payloads; macros prices_as_of(n),
    dividends_as_of(n), returns_as_of(n) and factors_as_of(n) show the data as of an earlier
    log position.

    The query runs in a sandbox: it reads the warehouse and nothing else (no files, URLs,
    ATTACH, COPY, extensions or settings; statements that would write are refused). To join
    your own CSV/Parquet files, allow their folder with --allow-files DIR. Lists and structs
    are written to CSV as JSON text.

    Examples:

    \b
        tracker sql "SELECT date, ret FROM returns WHERE ticker = 'NVDA' AND date >= '2025-01-21' LIMIT 5"
        tracker sql "SELECT * FROM returns WHERE date >= '2025-01-01'" --out returns.parquet
        tracker sql "SELECT * FROM read_parquet('mine/weights.parquet') JOIN returns USING (ticker)" --allow-files mine
    """
    from tracker.cli.console import print_frame
    from tracker.errors import ConfigError
    from tracker.storage import open_sandbox
    from warehouse.sandbox import check_statements

    target = settings(db, config)
    fmt = _resolve_format(fmt, out)
    statements = check_statements(query)  # refuse before opening anything
    if out is not None:
        from tracker.output_paths import check_output_path

        if len(statements) != 1:
            raise ConfigError(f"--out writes one result, the SQL has {len(statements)} statements",
                              hint="give one statement, or leave out --out")
        out = check_output_path(out, OUT_SUFFIXES[fmt.value], what=f"a {fmt.value.upper()} result",
                                protect=[target.db])
    allowed = _allowed(allow_files or [])
    shape = {"parquet": "parquet", "json": "json"}.get(fmt.value, "text")
    table = fmt is SqlFormat.table
    with open_sandbox(target, allowed) as warehouse:  # a table fetches one row more than it shows: bounded memory
        results = warehouse.read_sql(query, timeout=timeout or None, target=shape, rows=MAX_TABLE_ROWS + 1 if table else None)
    if out is not None:
        _write_result(results[0][1], fmt.value, out)
        return
    for _, frame in results:
        if table:
            print_frame(frame.head(MAX_TABLE_ROWS), max_rows=MAX_TABLE_ROWS)
            if frame.height > MAX_TABLE_ROWS:
                typer.echo(f"… more rows: the table shows the first {MAX_TABLE_ROWS}; use --format csv or json, "
                           "or --out FILE.parquet, for all")
        else:
            typer.echo(_as_text(frame, fmt.value), nl=fmt is SqlFormat.json)


def _resolve_format(fmt: SqlFormat | None, out: Path | None) -> SqlFormat:
    from tracker.errors import ConfigError

    if out is None:
        if fmt is SqlFormat.parquet:
            raise ConfigError("--format parquet writes a file: give it with --out FILE.parquet")
        return fmt or SqlFormat.table
    if fmt is SqlFormat.table:
        raise ConfigError("--out writes a file: choose --format csv, json or parquet (or leave --format out)")
    if fmt is not None:
        return fmt
    implied = next((name for name, suffixes in OUT_SUFFIXES.items() if out.suffix.lower() in suffixes), None)
    if implied is None:
        raise ConfigError(f"--out {out}: cannot tell the format from the name",
                          hint="name it .csv, .json or .parquet, or give --format")
    return SqlFormat(implied)


def _allowed(paths: list[Path]) -> list[Path]:
    """``--allow-files`` paths, resolved (DuckDB compares real paths); each must exist."""
    import os

    from tracker.errors import ConfigError

    resolved = []
    for path in paths:
        path = path.expanduser()
        if not path.exists():
            raise ConfigError(f"--allow-files {path}: no such folder or file")
        resolved.append(Path(os.path.realpath(path)))
    return resolved


def _as_text(frame, fmt: str) -> str:
    from tracker.cli.console import frame_to_csv, frame_to_json

    return (frame_to_csv if fmt == "csv" else frame_to_json)(frame)


def _write_result(frame, fmt: str, out: Path) -> None:
    from tracker.cli.console import guarded_output
    from tracker.output_paths import write_atomically

    write = {"parquet": frame.write_parquet, "csv": frame.write_csv, "json": frame.write_json}[fmt]
    with guarded_output(fmt.upper()):
        write_atomically(out, lambda handle: write(handle))
    from tracker.cli.safety import echo

    echo(f"wrote {frame.height:,} row(s) to {out}", err=True)
