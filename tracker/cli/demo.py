"""``tracker demo``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer


def demo(
    db: Annotated[Optional[Path], typer.Option("--db", metavar="PATH", help="Warehouse file for the demo [default: ~/.local/share/tracker/demo.duckdb].", show_default=False)] = None,
    report: Annotated[Optional[Path], typer.Option("--report", metavar="PATH", help="Where to write the HTML report of the R1 study [default: beside the demo warehouse, DB-deepseek-r1.html].", show_default=False)] = None,
) -> None:
    """Show the DeepSeek-R1 study from the shipped sample (offline).

    Builds a warehouse from the packaged real-price sample and event catalogue, then studies
    the R1 release and the 2025-01-27 market reaction vs SPY, and writes the R1 study as a
    self-contained HTML report (charts, tables, methodology, provenance). It uses its own
    warehouse file, never your main one; re-running it adds nothing.

    Example:

    \b
        tracker demo
    """
    from tracker.demo import default_demo_db, run_demo
    from tracker.reports.console import make_console
    from tracker.reports.demo import print_demo

    print_demo(run_demo(db or default_demo_db(), report), make_console())
