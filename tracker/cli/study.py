"""``tracker study``."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from tracker.cli.common import ConfigOption, DbOption, parse_pair, parse_tickers, settings


class StudyFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


def study(
    event_id: Annotated[Optional[str], typer.Argument(help="An event id from the `events` view.", show_default=False)] = None,
    events_file: Annotated[Optional[Path], typer.Option("--events-file", help="CSV of firm-events: ticker,event_date[,event_id].", show_default=False)] = None,
    tickers: Annotated[Optional[str], typer.Option("--tickers", help="Comma-separated tickers [default: the watchlist in tracker.toml].", show_default=False)] = None,
    market: Annotated[Optional[str], typer.Option("--market", help="Market benchmark ticker [default: SPY].", show_default=False)] = None,
    model: Annotated[Optional[str], typer.Option("--model", help="Expected-return model [default: market].", show_default=False)] = None,
    estimation: Annotated[Optional[str], typer.Option("--estimation", metavar="START,END", help="Estimation window in sessions from day 0 [default: -250,-11].", show_default=False)] = None,
    window: Annotated[Optional[str], typer.Option("--window", metavar="START,END", help="Event window in sessions from day 0, inclusive [default: -1,1].", show_default=False)] = None,
    min_obs: Annotated[Optional[int], typer.Option("--min-obs", help="Fewest estimation returns a firm-event needs [default: half the estimation window].", show_default=False)] = None,
    as_of: Annotated[Optional[int], typer.Option("--as-of", metavar="SEQ", help="Reproduce the study as of this log position (see `log_position` in earlier results).", show_default=False)] = None,
    fmt: Annotated[StudyFormat, typer.Option("--format", help="Output format.")] = StudyFormat.table,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Measure abnormal returns around an event.

    Market model (OLS on the estimation window), AR and CAR per firm with t-statistics with and
    without the estimation-error correction, and across firms the cross-sectional t, Patell Z
    and BMP t. Windows are inclusive session offsets from day 0. The result states the log
    position it used; --as-of reproduces it later.

    Examples:

    \b
        tracker study 2025-01-20-deepseek-r1 --tickers NVDA,AVGO,AAPL --window 0,4
        tracker study 2025-01-27-deepseek-selloff --window 0,0 --format json
        tracker study --events-file firm_events.csv --window -1,1 --format csv
    """
    from tracker.studies import StudyRequest, run_study

    request = StudyRequest(
        event_id=event_id,
        events_file=events_file,
        tickers=parse_tickers(tickers),
        market=market,
        model=model,
        estimation=parse_pair(estimation, "--estimation") if estimation else None,
        window=parse_pair(window, "--window") if window else None,
        min_obs=min_obs,
        as_of=as_of,
    )
    result = run_study(settings(db, config), request)
    if fmt is StudyFormat.table:
        from tracker.reports.console import make_console
        from tracker.reports.study import print_table

        print_table(result, make_console())
    else:
        from tracker.reports.study import render

        typer.echo(render(result, fmt.value), nl=False)
