"""``tracker import prices|events``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from tracker.cli.common import EXIT_ERROR, ConfigOption, DbOption, error_line, settings
from tracker.cli.safety import echo

app = typer.Typer(help="Import price files, factor files, an event catalogue or news (idempotent).", no_args_is_help=True)


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
    changed bars are recorded as corrections (new facts). Files are read and stored in batches of
    about 256 MB (a progress bar shows them on a terminal), so any number of bars imports in
    bounded memory; an interrupted import keeps its finished batches and resumes after them.

    Example:

    \b
        tracker import prices ~/data/prices/ extra/AAPL.parquet
    """
    from contextlib import nullcontext

    from tracker.cli.console import make_console
    from tracker.cli.progress import ImportBar
    from tracker.ingest.files import import_prices

    console = make_console(stderr=True)
    with ImportBar(console) if console.is_terminal else nullcontext() as bar:
        report = import_prices(settings(db, config), paths, progress=bar.update if bar else None)
    skipped = f" ({report.skipped_files} unchanged since an earlier import)" if report.skipped_files else ""
    echo(
        f"{report.accepted} of {len(report.files)} file(s) imported{skipped}: {report.bars_read:,} bars of "
        f"{report.tickers} ticker(s) -> {report.added:,} new facts ({report.revised:,} corrections), "
        f"{report.unchanged:,} already known; run {report.run_id}, log head {report.head:,}"
    )
    if report.off_calendar:
        shown = ", ".join(f"{ticker} {day}" for ticker, day in report.off_calendar[:5])
        more = f" and {len(report.off_calendar) - 5:,} more" if len(report.off_calendar) > 5 else ""
        echo(
            f"warning: {len(report.off_calendar):,} bar(s) on days XNYS does not trade were stored ({shown}{more}); "
            "`returns` and studies use XNYS sessions and skip them (expected for a listing that trades on those days)",
            err=True,
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
    from tracker.ingest.files import import_catalogue

    report = import_catalogue(settings(db, config), path)
    echo(
        f"{report.events} event(s) read from {report.path}: {report.added} new facts ({report.revised} amendments), "
        f"{report.unchanged} already known; run {report.run_id}, log head {report.head:,}"
    )


@app.command("factors")
def factors(
    paths: Annotated[list[Path], typer.Argument(help="Daily factor files: Ken French CSV/zip as published, or date,mkt_rf,smb,hml,rf / date,mom.", show_default=False)],
    units: Annotated[str, typer.Option("--units", help="Units of the values in the files: percent or decimal.")] = "percent",
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Import daily Fama-French factors (market, size, value, risk-free, momentum).

    Reads the Ken French daily files as published (text header, percent values, -99.99 for
    missing, a trailing annual section is ignored) and plain CSVs with a date column. Values
    are stored as decimals; a missing day stays missing. The ff3 and carhart models of
    `tracker study` use them. Re-importing adds nothing; restated values become corrections.

    Example:

    \b
        tracker import factors F-F_Research_Data_Factors_daily.CSV F-F_Momentum_Factor_daily.CSV
    """
    from tracker.ingest.files import import_factors

    report = import_factors(settings(db, config), paths, units=units)
    for parsed in report.files:
        echo(
            f"{parsed.path}: {len(parsed.rows):,} days of {', '.join(parsed.names)} ({parsed.first} .. {parsed.last}"
            f"{f', {parsed.missing:,} missing values' if parsed.missing else ''})"
        )
    echo(
        f"-> {report.added:,} new facts ({report.revised:,} corrections), {report.unchanged:,} already known; "
        f"run {report.run_id}, log head {report.head:,}"
    )


@app.command("news")
def news(
    paths: Annotated[list[Path], typer.Argument(help="News files or folders: CSV, yfinance JSON, RSS/Atom XML.", show_default=False)],
    fmt: Annotated[Optional[str], typer.Option("--format", help="Force a format: csv, yfinance or feed [default: by suffix (.csv .json .xml .rss .atom), else by content].", show_default=False)] = None,
    tickers: Annotated[Optional[str], typer.Option("--tickers", help="Tickers to attach to every article, e.g. the ticker a yfinance file was fetched for.", show_default=False)] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Import news articles from CSV, yfinance Ticker.news JSON or RSS/Atom feeds.

    CSV columns: published_at,publisher,title,url,tickers (published_at ISO 8601 with an
    offset; tickers separated by spaces or ;). yfinance JSON: the list Ticker.news returns, in
    the current nested or the legacy flat shape. Feeds: RSS 2.0 or Atom. One fact per article,
    deduplicated by canonical URL (tracking parameters stripped) or the source's id; the raw file
    is kept for re-parsing. Malformed items are reported and skipped; re-importing adds nothing.

    Examples:

    \b
        tracker import news headlines.csv
        tracker import news nvda_news.json --tickers NVDA
        tracker import news feeds/ --format feed
    """
    from tracker.cli.common import parse_tickers
    from tracker.ingest.files import import_news

    report = import_news(settings(db, config), paths, format=fmt, tickers=parse_tickers(tickers) or ())
    for outcome in report.files:
        result = outcome.result
        if result is None:
            continue
        line = (
            f"{outcome.path}: {result.items} item(s), {result.articles} article(s), {result.new_articles} new"
        )
        if result.undated:
            line += f", {result.undated} without a date"
        echo(line)
        if result.malformed:
            echo(f"warning: {outcome.path}: skipped {result.malformed} malformed item(s): {result.describe_problems()}", err=True)
        if result.dropped_count:
            echo(f"note: {outcome.path}: kept the articles, dropped {result.dropped_count} symbol(s) that are not "
                       f"equity tickers: {result.describe_dropped_tickers()}", err=True)
    echo(
        f"{len(report.recorded)} of {len(report.files)} file(s) imported: {report.total('articles'):,} article(s) read, "
        f"{report.total('new_articles'):,} new -> {report.added:,} new facts, {report.unchanged:,} already known; "
        f"run {report.run_id}, log head {report.head:,}"
    )
    if report.rejected:
        for outcome in report.rejected:
            error_line(f"rejected, nothing from it was stored: {outcome.error}")
        raise typer.Exit(EXIT_ERROR)
