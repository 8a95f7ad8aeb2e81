"""Printing frames and the warehouse status on the terminal (plain when piped)."""

from __future__ import annotations

import datetime as dt
import math

import polars as pl


def frame_to_csv(frame: pl.DataFrame) -> str:
    return frame.write_csv()


def frame_to_json(frame: pl.DataFrame) -> str:
    return frame.write_json()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.6g}"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return str(value)


def print_frame(frame: pl.DataFrame, *, max_rows: int = 200, title: str | None = None, console=None) -> None:
    from rich import box
    from rich.table import Table

    from tracker.reports.console import make_console

    console = console or make_console()
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title=title, title_justify="left")
    for name, dtype in frame.schema.items():
        table.add_column(name, justify="right" if dtype.is_numeric() else "left", overflow="fold")
    for row in frame.head(max_rows).iter_rows():
        table.add_row(*[_cell(v) for v in row])
    console.print(table)
    if frame.height > max_rows:
        console.print(f"… {frame.height - max_rows:,} more rows (use --format csv or json for all)")
    elif frame.height == 0:
        console.print("(no rows)")


def print_status(status) -> None:
    from tracker.reports.console import make_console

    console = make_console()
    console.print(f"warehouse {status.path} ({status.size_bytes / 1e6:.1f} MB), schema v{status.schema_version}, log head {status.head:,}")
    print_frame(status.facts_by_kind, title="Facts by kind", console=console)
    print_frame(status.coverage, title="Tickers", console=console, max_rows=1000)
    print_frame(status.events_by_kind, title="Events by kind", console=console)
    print_frame(status.recent_runs, title="Last runs", console=console)
