"""``tracker ingest``."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from tracker.cli.common import EXIT_ERROR, ConfigOption, DbOption, error_line, parse_date, parse_tickers, settings


def ingest(
    tickers: Annotated[Optional[str], typer.Option("--tickers", help="Comma-separated symbols (Yahoo spelling) [default: study.watchlist + study.market + ingest.tickers].", show_default=False)] = None,
    since: Annotated[Optional[str], typer.Option("--since", metavar="DATE", help="Backfill from this exchange-local date (YYYY-MM-DD) instead of resuming from the cursors.", show_default=False)] = None,
    until: Annotated[Optional[str], typer.Option("--until", metavar="DATE", help="Last date of the backfill (inclusive); needs --since. A bounded backfill does not move the cursors.", show_default=False)] = None,
    news: Annotated[Optional[bool], typer.Option("--news/--no-news", help="Also fetch Yahoo news and the [feeds] URLs [default: ingest.news, true].", show_default=False)] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Fetch daily prices, dividends, splits and news into the warehouse (one recorded run).

    Each ticker resumes from its cursor and re-reads the last ingest.lag sessions, so revised
    bars become corrections and a re-run adds nothing. Bars of a session that has not closed
    are not stored. Transient errors (rate limit, timeout, network) are retried with backoff;
    a ticker that still fails is reported and the others go on. Exit code 1 if any ticker or
    feed failed.

    Examples:

    \b
        tracker ingest
        tracker ingest --tickers NVDA,AVGO,SPY --no-news
        tracker ingest --tickers NVDA --since 2019-01-01 --until 2023-12-31
    """
    import sys

    from tracker.ingest import IngestFailed, IngestRequest, run_ingest
    from tracker.cli.console import make_console
    from tracker.cli.progress import LineObserver, ProgressObserver

    request = IngestRequest(
        tickers=parse_tickers(tickers), since=parse_date(since, "--since"), until=parse_date(until, "--until"), news=news,
    )
    console = make_console()
    from tracker.cli.safety import echo

    observer = ProgressObserver(console) if console.is_terminal else LineObserver(lambda line: echo(line))
    try:
        report = run_ingest(settings(db, config), request, observer=observer)
    finally:
        if isinstance(observer, ProgressObserver):
            observer.stop()
    sys.stdout.flush()
    if report.status == "failed":
        raise IngestFailed(f"ingest failed, nothing stored (run {report.run_id}): {report.error}", hint=report.hint)
    if report.status == "partial":
        error_line(f"{report.error} (run {report.run_id}); {report.hint}")
        raise typer.Exit(EXIT_ERROR)
