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
    from tracker.cli.console import make_console

    print_demo(run_demo(db or default_demo_db(), report), make_console())


def print_demo(demo, console) -> None:
    """What `tracker demo` prints: both studies' tables, the NVDA sentence, the report's path, next steps."""
    from rich.rule import Rule
    from rich.text import Text

    from tracker.analysis.formatting import pct
    from tracker.reports.text import print_study
    from tracker.reports.view import report_view

    release, reaction = report_view(demo.release), report_view(demo.reaction)
    console.print(Text("DeepSeek-R1 and the 2025-01-27 AI-stock selloff, from the shipped real-price sample", style="bold"))
    console.print(
        f"warehouse {demo.db}: {demo.catalogue.events} catalogue events, {demo.prices.bars_read:,} daily bars of "
        f"{demo.prices.tickers} tickers ({demo.prices.added:,} new facts this run; log head {demo.prices.head:,})"
    )
    console.print()
    console.print(Rule("1. The release: abnormal returns on days 0..+4 after R1"))
    print_study(release, console)
    console.print()
    console.print(Rule("2. The market reaction on Monday 2025-01-27 (day +4 of the release)"))
    print_study(reaction, console)
    nvda = next((f for f in reaction.window.firms if f.ticker == "NVDA"), None)
    if nvda is not None:
        console.print()
        console.print(Text(
            f"NVDA closed {pct(nvda.returns[0])} on 2025-01-27 while SPY moved {pct(nvda.benchmark[0])}; "
            f"with β = {reaction.estimated[nvda.index].beta:.2f} its market-model abnormal return was {pct(nvda.ar[0])} "
            f"(t = {nvda.car_t_clm:.1f}).",
            style="bold",
        ))
    console.print()
    console.print(Text("Report of the R1 study (charts, tables, methodology, provenance; one file, opens offline):", style="bold"))
    console.print(f"  {demo.report}")
    console.print()
    console.print("Next: explore the same warehouse with")
    console.print(f"  tracker study {demo.release.event['event_id']} --db {demo.db} --window -1,5 --format json")
    console.print(f"  tracker report {demo.reaction.event['event_id']} --db {demo.db} --window 0,0 --window -5,5 --lead NVDA --format md --out selloff.md")
    console.print(f"  tracker sql \"SELECT ticker, date, ret FROM returns WHERE date = '2025-01-27' ORDER BY ret\" --db {demo.db}")
    console.print(f"  tracker status --db {demo.db}")
