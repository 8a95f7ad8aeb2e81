"""The study options that ``tracker study`` and ``tracker report`` share, declared once.

Add a study option here and to :func:`study_request`, then name it in both commands' signatures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from tracker.cli.common import parse_pair, parse_tickers

EventArgument = Annotated[Optional[str], typer.Argument(help="An event id from the `events` view.", show_default=False)]
EventsFileOption = Annotated[Optional[Path], typer.Option("--events-file", help="CSV of firm-events: ticker,event_date[,event_id].", show_default=False)]
TickersOption = Annotated[Optional[str], typer.Option("--tickers", help="Comma-separated tickers [default: the watchlist in tracker.toml].", show_default=False)]
MarketOption = Annotated[Optional[str], typer.Option("--market", help="Market benchmark ticker [default: SPY].", show_default=False)]
ModelOption = Annotated[Optional[str], typer.Option("--model", help="Expected-return model [default: market].", show_default=False)]
EstimationOption = Annotated[Optional[str], typer.Option("--estimation", metavar="START,END", help="Estimation window in sessions from day 0 [default: -250,-11].", show_default=False)]
WindowOption = Annotated[Optional[str], typer.Option("--window", metavar="START,END", help="Event window in sessions from day 0, inclusive [default: -1,1].", show_default=False)]
MinObsOption = Annotated[Optional[int], typer.Option("--min-obs", help="Fewest estimation returns a firm-event needs [default: half the estimation window].", show_default=False)]
AsOfOption = Annotated[Optional[int], typer.Option("--as-of", metavar="SEQ", help="Reproduce the study as of this log position (see `log_position` in earlier results).", show_default=False)]


def study_request(
    *,
    event_id: str | None,
    events_file: Path | None,
    tickers: str | None,
    market: str | None,
    model: str | None,
    estimation: str | None,
    window: str | None,
    min_obs: int | None,
    as_of: int | None,
):
    """The :class:`~tracker.studies.StudyRequest` the options describe."""
    from tracker.studies import StudyRequest

    return StudyRequest(
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
