"""The study options that ``tracker study`` and ``tracker report`` share, declared once.

Add a study option here and to :func:`study_request`, then name it in both commands' signatures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from tracker.cli.common import parse_benchmarks, parse_date, parse_groups, parse_kinds, parse_pair, parse_tickers

EventArgument = Annotated[Optional[str], typer.Argument(help="An event id from the `events` view.", show_default=False)]
EventsFileOption = Annotated[Optional[Path], typer.Option("--events-file", help="CSV of firm-events: ticker,event_date[,event_id][,market].", show_default=False)]
KindOption = Annotated[Optional[str], typer.Option("--kind", help="Study every event of this kind (model_release, policy, earnings…) instead of one EVENT_ID; with --since, --until, --org.", show_default=False)]
SinceOption = Annotated[Optional[str], typer.Option("--since", metavar="DATE", help="With --kind: events with day 0 on or after this date.", show_default=False)]
UntilOption = Annotated[Optional[str], typer.Option("--until", metavar="DATE", help="With --kind: events with day 0 on or before this date.", show_default=False)]
OrgOption = Annotated[Optional[str], typer.Option("--org", help="With --kind: events whose organisation contains this text (case-insensitive).", show_default=False)]
TickersOption = Annotated[Optional[str], typer.Option("--tickers", help="Comma-separated tickers [default: the watchlist in tracker.toml].", show_default=False)]
MarketOption = Annotated[Optional[str], typer.Option("--market", help="Market benchmark ticker [default: SPY].", show_default=False)]
BenchmarkOption = Annotated[Optional[list[str]], typer.Option("--benchmark", metavar="TICKER=ETF", help="Measure TICKER against ETF instead of --market (e.g. NVDA=SMH, a chip maker against a semiconductor ETF); repeat for several. Market and market-adjusted models only. An events file may give a `market` column per row instead.", show_default=False)]
ModelOption = Annotated[Optional[str], typer.Option("--model", help="Expected-return model: mean-adjusted, market-adjusted, market (OLS), ff3 or carhart (factor models need `tracker import factors`) [default: market].", show_default=False)]
EstimationOption = Annotated[Optional[str], typer.Option("--estimation", metavar="START,END", help="Estimation window in sessions from day 0 [default: -250,-11].", show_default=False)]
WindowOption = Annotated[Optional[list[str]], typer.Option("--window", metavar="START,END", help="Event window in sessions from day 0, inclusive; repeat for several (--window -1,1 --window 0,5) [default: -1,1].", show_default=False)]
MinObsOption = Annotated[Optional[int], typer.Option("--min-obs", help="Fewest estimation returns a firm-event needs [default: half the estimation window].", show_default=False)]
ExcludeEventsOption = Annotated[Optional[str], typer.Option("--exclude-events", metavar="KIND[,KIND]", help="Drop estimation days near other catalogue events of these kinds (e.g. earnings,policy).", show_default=False)]
ExcludeWithinOption = Annotated[Optional[int], typer.Option("--exclude-within", metavar="K", help="With --exclude-events: drop days within K sessions of those events' day 0 [default: 1].", show_default=False)]
GroupOption = Annotated[Optional[list[str]], typer.Option("--group", metavar="NAME=T1,T2", help="A group of tickers to compare (repeat for each group: --group chips=NVDA,AVGO --group apple=AAPL): each group's own CAAR and tests, and per pair of groups (first minus second) the difference with a long-short portfolio t and a Binder regression t. Instead of --tickers.", show_default=False)]
CharacteristicsOption = Annotated[Optional[Path], typer.Option("--characteristics", metavar="FILE.csv", help="CSV of firm characteristics, ticker[,date],x1,x2…: regress each window's CARs on them (standard errors valid under a shared day 0, and clustered by day 0).", show_default=False)]
AsOfOption = Annotated[Optional[int], typer.Option("--as-of", metavar="SEQ", help="Reproduce the study as of this log position (see `log_position` in earlier results).", show_default=False)]


def study_request(
    *,
    event_id: str | None,
    events_file: Path | None,
    tickers: str | None,
    market: str | None,
    model: str | None,
    estimation: str | None,
    window: list[str] | None,
    min_obs: int | None,
    exclude_events: str | None,
    exclude_within: int | None,
    as_of: int | None,
    benchmark: list[str] | None = None,
    kind: str | None = None,
    since: str | None = None,
    until: str | None = None,
    org: str | None = None,
    group: list[str] | None = None,
    characteristics: Path | None = None,
):
    """The :class:`~tracker.study.request.StudyRequest` the options describe."""
    from tracker.study.request import StudyRequest

    return StudyRequest(
        event_id=event_id,
        events_file=events_file,
        kind=kind,
        since=parse_date(since, "--since"),
        until=parse_date(until, "--until"),
        org=org,
        tickers=parse_tickers(tickers),
        market=market,
        benchmarks=parse_benchmarks(benchmark),
        model=model,
        estimation=parse_pair(estimation, "--estimation") if estimation else None,
        windows=tuple(parse_pair(w, "--window") for w in window) if window else None,
        min_obs=min_obs,
        as_of=as_of,
        exclude_events=parse_kinds(exclude_events),
        exclude_within=exclude_within,
        groups=parse_groups(group),
        characteristics=characteristics,
    )
