"""``tracker report``."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from tracker.cli.common import ConfigOption, DbOption, settings
from tracker.cli.study_options import (
    AsOfOption,
    BenchmarkOption,
    CharacteristicsOption,
    EstimationOption,
    GroupOption,
    EventArgument,
    EventsFileOption,
    KindOption,
    OrgOption,
    SinceOption,
    UntilOption,
    ExcludeEventsOption,
    ExcludeWithinOption,
    MarketOption,
    MinObsOption,
    ModelOption,
    TickersOption,
    WindowOption,
    study_request,
)


class ReportFormat(str, Enum):
    html = "html"
    md = "md"


def report(
    event_id: EventArgument = None,
    events_file: EventsFileOption = None,
    kind: KindOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    org: OrgOption = None,
    tickers: TickersOption = None,
    group: GroupOption = None,
    characteristics: CharacteristicsOption = None,
    market: MarketOption = None,
    benchmark: BenchmarkOption = None,
    model: ModelOption = None,
    estimation: EstimationOption = None,
    window: WindowOption = None,
    min_obs: MinObsOption = None,
    exclude_events: ExcludeEventsOption = None,
    exclude_within: ExcludeWithinOption = None,
    as_of: AsOfOption = None,
    fmt: Annotated[Optional[ReportFormat], typer.Option("--format", help="html: one self-contained file; md: Markdown with the charts as PNG files beside it [default: from --out, else html].", show_default=False)] = None,
    out: Annotated[Optional[Path], typer.Option("--out", metavar="PATH", help="Report file to write [default: EVENT_ID.html in the current folder].", show_default=False)] = None,
    lead: Annotated[Optional[str], typer.Option("--lead", metavar="TICKER", help="Firm the headline leads with [default: the firm whose CAR has the largest |t|].", show_default=False)] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Write an event-study report: headline, charts, tables, methodology and provenance.

    Runs the same study as `tracker study` (same options) and writes it as one self-contained
    HTML file (charts embedded; opens offline) or as Markdown with the charts as PNG files
    beside it. Prints the path and the headline.

    Examples:

    \b
        tracker report 2025-01-20-deepseek-r1 --window 0,4 --window -1,1 --lead NVDA
        tracker report 2025-01-27-deepseek-selloff --window 0,0 --format md --out reports/selloff.md
        tracker report --events-file firm_events.csv --window -1,1 --out panel.html
    """
    from tracker.reports.writer import make_report

    request = study_request(event_id=event_id, events_file=events_file, tickers=tickers, market=market, model=model,
                            estimation=estimation, window=window, min_obs=min_obs, exclude_events=exclude_events,
                            exclude_within=exclude_within, as_of=as_of, benchmark=benchmark, kind=kind, since=since, until=until, org=org,
                            group=group, characteristics=characteristics)
    written = make_report(settings(db, config), request, out=out, fmt=fmt.value if fmt else None, lead=lead)
    from tracker.cli.safety import echo

    echo(written.headline)
    for path in written.files:
        echo(f"wrote {path} ({path.stat().st_size / 1024:,.0f} KB)")
