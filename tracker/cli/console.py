"""The terminal: a console (colours and the real width on a terminal, plain and wide when piped),
and the printing of frames, the warehouse status and one event."""

from __future__ import annotations

import datetime as dt
import math
import os

import polars as pl


def make_console(stderr: bool = False):
    from rich.console import Console

    console = Console(highlight=False, stderr=stderr)
    if not console.is_terminal:
        width = int(os.environ.get("COLUMNS", "0") or 0) or 200
        console = Console(highlight=False, stderr=stderr, width=width, no_color=True)
    return console


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
    console = make_console()
    console.print(f"warehouse {status.path} ({status.size_bytes / 1e6:.1f} MB), schema v{status.schema_version}, log head {status.head:,}")
    print_frame(status.facts_by_kind, title="Facts by kind", console=console)
    print_frame(status.coverage, title="Tickers", console=console, max_rows=1000)
    print_frame(status.events_by_kind, title="Events by kind", console=console)
    print_frame(status.recent_runs, title="Last runs", console=console)

FIELDS = ("name", "kind", "org", "model", "announced_at", "timezone", "date_precision", "reaction_date",
          "day0", "day0_rule", "source", "source_url", "confidence", "notes")


def print_event(detail, console=None) -> None:
    console = console or make_console()
    row = detail.row
    console.print(f"{detail.event_id}  ({detail.status})")
    width = max(len(f) for f in FIELDS)
    for field in FIELDS:
        value = row.get(field)
        if value not in (None, ""):
            console.print(f"  {field:<{width}}  {value}")
    print_frame(detail.history, title="History in the log", console=console)
    if detail.evidence.height:
        print_frame(detail.evidence, title=f"Evidence: {detail.evidence.height} article(s)", console=console)
    else:
        console.print("No tagged articles attributed to this event.")
