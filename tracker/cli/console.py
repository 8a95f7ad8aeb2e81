"""The terminal: a console (colours and the real width on a terminal, plain and wide when piped),
and the printing of frames, the warehouse status and one event.

Every console made here prints text from outside safely (:mod:`tracker.cli.safety`): control
characters are shown as escapes and rich markup in strings is not interpreted.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from contextlib import contextmanager

import polars as pl

from tracker.cli.safety import terminal_safe


def make_console(stderr: bool = False):
    from rich.console import Console
    from rich.text import Text

    class SafeConsole(Console):
        """Strings and Text are made terminal-safe; strings are never read as markup."""

        def render_str(self, text: str, **options):  # every str printed, table cells and titles included
            options["markup"] = False
            return super().render_str(terminal_safe(text), **options)

        def print(self, *objects, **options):
            objects = tuple(_safe_text(o) if isinstance(o, Text) else o for o in objects)
            return super().print(*objects, **options)

    def _safe_text(text: Text) -> Text:
        safe = terminal_safe(text.plain)
        return text if safe == text.plain else Text(safe, style=text.style, justify=text.justify)

    console = SafeConsole(highlight=False, stderr=stderr)
    if not console.is_terminal:
        width = int(os.environ.get("COLUMNS", "0") or 0) or 200
        console = SafeConsole(highlight=False, stderr=stderr, width=width, no_color=True)
    return console


@contextmanager
def guarded_output(fmt: str):
    """A value the output format cannot hold becomes one line naming the format, not a crash."""
    from events.errors import TrackerError, clip
    from warehouse.errors import QueryError

    try:
        yield
    except (KeyboardInterrupt, SystemExit, TrackerError):
        raise
    except BaseException as exc:  # polars raises ComputeError, or panics (a BaseException)
        detail = clip(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
        raise QueryError(f"the result cannot be written as {fmt}: {detail}",
                         hint="cast the column in SQL (e.g. ::VARCHAR) or use --format parquet --out FILE") from None


def frame_to_csv(frame: pl.DataFrame) -> str:
    with guarded_output("CSV"):
        return frame.write_csv()


def frame_to_json(frame: pl.DataFrame) -> str:
    with guarded_output("JSON"):
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
    with guarded_output("a table"):
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
    if status.factors.height:
        print_frame(status.factors, title="Factors (for --model ff3/carhart)", console=console)
    else:
        console.print("Factors: none (the factor models need `tracker import factors PATH`)")
    if status.news.height:
        total, tagged = status.news["articles"].sum(), status.news["tagged"].sum()
        print_frame(status.news, title=f"News: {total:,} articles, {tagged:,} tagged, by publisher", console=console, max_rows=20)
    else:
        console.print("News: none (`tracker import news PATH` or `tracker ingest`)")
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
        evidence = detail.evidence
        print_frame(evidence.drop("reason", strict=False), title=f"Evidence: {evidence.height} article(s)", console=console)
        reasons = [row for row in evidence.iter_rows(named=True) if row.get("reason")]
        if reasons:
            console.print("Why each was tagged:")
            for row in reasons:
                console.print(f"  {row['news_id']} {row['title']}\n      {row['reason']}", soft_wrap=True)
    else:
        console.print("No tagged articles attributed to this event.")
