"""``tracker import prices|events``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tracker.cli.common import EXIT_ERROR, ConfigOption, DbOption, error_line, settings

app = typer.Typer(help="Import price files or an event catalogue (idempotent).", no_args_is_help=True)


@app.command("prices")
def prices(
    paths: Annotated[list[Path], typer.Argument(help="CSV/Parquet files or folders of them.", show_default=False)],
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Import daily price bars from CSV/Parquet files or folders.

    Shapes: one file per ticker named <TICKER>.csv with date,open,high,low,close,volume[,adj_close],
    or long files with a ticker column. Each file is validated first; a bad file is rejected whole
    with its first bad lines, the good ones are stored. Re-importing the same files adds nothing;
    changed bars are recorded as corrections (new facts).

    Example:

    \b
        tracker import prices ~/data/prices/ extra/AAPL.parquet
    """
    from tracker.imports import import_prices

    report = import_prices(settings(db, config), paths)
    skipped = f" ({report.skipped_files} unchanged since an earlier import)" if report.skipped_files else ""
    typer.echo(
        f"{report.accepted} of {len(report.files)} file(s) imported{skipped}: {report.bars_read:,} bars of "
        f"{report.tickers} ticker(s) -> {report.added:,} new facts ({report.revised:,} corrections), "
        f"{report.unchanged:,} already known; run {report.run_id}, log head {report.head:,}"
    )
    if report.rejected:
        for rejected in report.rejected:
            error_line(f"rejected, nothing from it was stored: {rejected.describe()}")
        raise typer.Exit(EXIT_ERROR)


@app.command("events")
def events(
    path: Annotated[Path, typer.Argument(help="Catalogue CSV: event_id,name,kind,org,announced_at,timezone,date_precision,source_url,notes[,reaction_date].", show_default=False)],
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Import an event catalogue (CSV) aligned to XNYS day 0.

    Columns: event_id,name,kind,org,announced_at,timezone,date_precision,source_url,notes and an
    optional reaction_date. One bad row rejects the file; changed rows are recorded as amendments.

    Example:

    \b
        tracker import events ai_events.csv
    """
    from tracker.imports import import_catalogue

    report = import_catalogue(settings(db, config), path)
    typer.echo(
        f"{report.events} event(s) read from {report.path}: {report.added} new facts ({report.revised} amendments), "
        f"{report.unchanged} already known; run {report.run_id}, log head {report.head:,}"
    )
