"""``tracker study``."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from tracker.cli.common import ConfigOption, DbOption, parse_kinds, parse_pair, parse_tickers, settings


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
    model: Annotated[Optional[str], typer.Option("--model", help="Expected-return model: mean-adjusted, market-adjusted, market (OLS), ff3 or carhart (factor models need `tracker import factors`) [default: market].", show_default=False)] = None,
    estimation: Annotated[Optional[str], typer.Option("--estimation", metavar="START,END", help="Estimation window in sessions from day 0 [default: -250,-11].", show_default=False)] = None,
    window: Annotated[Optional[list[str]], typer.Option("--window", metavar="START,END", help="Event window in sessions from day 0, inclusive; repeat for several (--window -1,1 --window 0,5) [default: -1,1].", show_default=False)] = None,
    min_obs: Annotated[Optional[int], typer.Option("--min-obs", help="Fewest estimation returns a firm-event needs [default: half the estimation window].", show_default=False)] = None,
    exclude_events: Annotated[Optional[str], typer.Option("--exclude-events", metavar="KIND[,KIND]", help="Drop estimation days near other catalogue events of these kinds (e.g. earnings,policy).", show_default=False)] = None,
    exclude_within: Annotated[Optional[int], typer.Option("--exclude-within", metavar="K", help="With --exclude-events: drop days within K sessions of those events' day 0 [default: 1].", show_default=False)] = None,
    as_of: Annotated[Optional[int], typer.Option("--as-of", metavar="SEQ", help="Reproduce the study as of this log position (see `log_position` in earlier results).", show_default=False)] = None,
    fmt: Annotated[StudyFormat, typer.Option("--format", help="Output format.")] = StudyFormat.table,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Measure abnormal returns around an event.

    Per firm: AR, CAR, BHAR and the CAR's t with and without the estimation-error correction.
    Across firms, per window: AAR/CAAR, ABHAR and the test battery (cross-sectional t, CDA t,
    Patell Z, BMP t, Kolari-Pynnönen adjusted Patell and BMP, Corrado and window rank tests,
    GRANK, generalized sign, sign, Wilcoxon signed-rank, skewness-adjusted t, and the portfolio
    t when all firms share day 0). Windows are inclusive session offsets from day 0. The result
    states the log position it used; --as-of reproduces it later.

    Examples:

    \b
        tracker study 2025-01-20-deepseek-r1 --tickers NVDA,AVGO,AAPL --window 0,4
        tracker study 2025-01-27-deepseek-selloff --window 0,0 --window -1,1 --format json
        tracker study 2025-01-27-deepseek-selloff --model ff3 --exclude-events earnings
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
        windows=tuple(parse_pair(w, "--window") for w in window) if window else None,
        min_obs=min_obs,
        as_of=as_of,
        exclude_events=parse_kinds(exclude_events),
        exclude_within=exclude_within,
    )
    result = run_study(settings(db, config), request)
    if fmt is StudyFormat.table:
        from tracker.reports.console import make_console
        from tracker.reports.study import print_table

        print_table(result, make_console())
    else:
        from tracker.reports.study import render

        typer.echo(render(result, fmt.value), nl=False)
