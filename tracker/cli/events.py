"""``tracker events tag | list | show | add | amend | retract``."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from tracker.cli.common import ConfigOption, DbOption, settings

app = typer.Typer(
    help="Find events in the news, list and inspect them, and add, amend or retract them (all as facts).",
    no_args_is_help=True,
)

KindOption = Annotated[
    Optional[str],
    typer.Option("--kind", help="model_release, product_launch, policy, earnings, funding_or_capex, market_shock or other.", show_default=False),
]


class ListFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command("tag")
def tag(
    retag: Annotated[bool, typer.Option("--retag", help="Re-read every article with the current rules and regroup (writes only what changed).")] = False,
    batch_size: Annotated[Optional[int], typer.Option("--batch-size", min=1, help="News facts per transaction [default: tagger.batch_size in tracker.toml, else 500].", show_default=False)] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Tag the news not yet tagged: find model releases, policy, earnings and funding events.

    Each article is read by the rules (events/tagging); articles about the same release are
    grouped into one event, or attributed to the catalogue's event when there is one. Batches
    commit with their checkpoint, so a killed run resumes where it stopped and tags each article
    once. --retag re-reads everything with the current rules; running it twice changes nothing.

    Examples:

    \b
        tracker events tag
        tracker events tag --retag
    """
    from tracker.curation.tagging import tag_news

    from tracker.cli.safety import echo

    report = tag_news(settings(db, config), retag=retag, batch_size=batch_size, echo=echo)
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(report.tagged.items())) or "none"
    typer.echo(
        f"{report.mode}: {report.news_read:,} article(s) read, tagged: {kinds}; "
        f"{report.linked} attributed to catalogue/manual events, {report.joined} to found events "
        f"({report.new_events} new, {report.withdrawn_events} withdrawn), {report.cleared} tag(s) cleared; "
        f"{report.facts_added:,} new facts; checkpoint {report.checkpoint:,}, run {report.run_id}"
    )


@app.command("list")
def list_(
    kind: KindOption = None,
    org: Annotated[Optional[str], typer.Option("--org", help="Organisation (case-insensitive substring).", show_default=False)] = None,
    since: Annotated[Optional[str], typer.Option("--since", metavar="DATE", help="Only events with day 0 on or after DATE.", show_default=False)] = None,
    source: Annotated[Optional[str], typer.Option("--source", help="catalogue, manual or tagger.", show_default=False)] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help="Output format.")] = ListFormat.table,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """List events (catalogue, manual and tagged) with their day 0.

    Examples:

    \b
        tracker events list --kind model_release --since 2025-01-01
        tracker events list --org deepseek --format csv
    """
    from tracker.curation.reads import list_events
    from tracker.cli.console import frame_to_csv, frame_to_json, print_frame

    frame = list_events(settings(db, config), kind=kind, org=org, since=since, source=source)
    if fmt is ListFormat.csv:
        typer.echo(frame_to_csv(frame), nl=False)
    elif fmt is ListFormat.json:
        typer.echo(frame_to_json(frame))
    else:
        print_frame(frame, max_rows=1000)


@app.command("show")
def show(
    event_id: Annotated[str, typer.Argument(help="An event id (see `tracker events list`).", show_default=False)],
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Show one event: day 0 and how it was chosen, sources, history and evidence (each article with
    the reason it was tagged: a release's score and the signals it sums).

    Example:

    \b
        tracker events show 2025-01-20-deepseek-r1
    """
    from tracker.curation.reads import show_event
    from tracker.cli.console import print_event

    print_event(show_event(settings(db, config), event_id))


@app.command("add")
def add(
    name: Annotated[str, typer.Option("--name", help="Short name, e.g. \"DeepSeek-R1 release\".", show_default=False)],
    kind: Annotated[str, typer.Option("--kind", help="model_release, product_launch, policy, earnings, funding_or_capex, market_shock or other.", show_default=False)],
    at: Annotated[str, typer.Option("--at", metavar="LOCAL_TIME", help="When, in --tz wall-clock time: \"2025-01-20 09:00\" or a date.", show_default=False)],
    tz: Annotated[str, typer.Option("--tz", help="IANA time zone of --at, e.g. Asia/Shanghai.", show_default=False)],
    precision: Annotated[Optional[str], typer.Option("--precision", help="day, hour or minute [default: minute with a time, day without].", show_default=False)] = None,
    reaction_date: Annotated[Optional[str], typer.Option("--reaction-date", metavar="DATE", help="Force day 0 to this session.", show_default=False)] = None,
    org: Annotated[str, typer.Option("--org", help="Organisation(s), ; separated.")] = "",
    model: Annotated[Optional[str], typer.Option("--model", help="Model name, for a model_release.", show_default=False)] = None,
    tickers: Annotated[Optional[str], typer.Option("--tickers", help="Tickers the event concerns, comma-separated [default: those of --org].", show_default=False)] = None,
    url: Annotated[str, typer.Option("--url", help="Source URL.")] = "",
    notes: Annotated[str, typer.Option("--notes", help="Free text.")] = "",
    event_id: Annotated[Optional[str], typer.Option("--id", help="Event id [default: <date>-<name as a slug>].", show_default=False)] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Add an event by hand, aligned to its XNYS day 0.

    Examples:

    \b
        tracker events add --name "DeepSeek-R1 release" --kind model_release --at "2025-01-20 09:00" --tz Asia/Shanghai --precision day
        tracker events add --name "Tariff pause" --kind policy --at "2025-04-09 13:18" --tz America/New_York --org "US Government"
    """
    from tracker.curation.manual import add_event

    change = add_event(
        settings(db, config), name=name, kind=kind, at=at, timezone=tz, precision=precision, reaction_date=reaction_date,
        org=org, model=model, tickers=tickers, source_url=url, notes=notes, event_id=event_id,
    )
    typer.echo(f"added {change.event_id}: day 0 {change.day0} ({change.day0_rule}); run {change.run_id}, log head {change.head:,}")


@app.command("amend")
def amend(
    event_id: Annotated[str, typer.Argument(help="The event to change.", show_default=False)],
    name: Annotated[Optional[str], typer.Option("--name", show_default=False)] = None,
    kind: KindOption = None,
    org: Annotated[Optional[str], typer.Option("--org", show_default=False)] = None,
    model: Annotated[Optional[str], typer.Option("--model", show_default=False)] = None,
    tickers: Annotated[Optional[str], typer.Option("--tickers", help="Tickers the event concerns, comma-separated.", show_default=False)] = None,
    at: Annotated[Optional[str], typer.Option("--at", metavar="LOCAL_TIME", help="New time, in the event's zone (or --tz).", show_default=False)] = None,
    tz: Annotated[Optional[str], typer.Option("--tz", show_default=False)] = None,
    precision: Annotated[Optional[str], typer.Option("--precision", help="day, hour or minute.", show_default=False)] = None,
    reaction_date: Annotated[Optional[str], typer.Option("--reaction-date", metavar="DATE", help="Force day 0 to this session; `none` clears it.", show_default=False)] = None,
    url: Annotated[Optional[str], typer.Option("--url", show_default=False)] = None,
    notes: Annotated[Optional[str], typer.Option("--notes", show_default=False)] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why (kept with the amendment).")] = "",
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Change an event's fields (a new fact; day 0 is recomputed).

    Examples:

    \b
        tracker events amend 2025-01-20-deepseek-r1 --reaction-date 2025-01-27 --reason "market noticed on the 27th"
        tracker events amend news-2025-02-18-xai-grok-3 --name "Grok 3 launch" --at "2025-02-17 20:00" --tz America/Los_Angeles
    """
    from tracker.curation.manual import amend_event

    changes = {
        "name": name, "kind": kind, "org": org, "model": model, "tickers": tickers, "announced_at": at, "timezone": tz,
        "date_precision": precision, "reaction_date": reaction_date, "source_url": url, "notes": notes,
    }
    change = amend_event(settings(db, config), event_id, changes, reason)
    typer.echo(f"amended {change.event_id}: day 0 {change.day0} ({change.day0_rule}); run {change.run_id}, log head {change.head:,}")


@app.command("retract")
def retract(
    event_id: Annotated[str, typer.Argument(help="The event to retract.", show_default=False)],
    reason: Annotated[str, typer.Option("--reason", help="Why it is withdrawn (required).", show_default=False)],
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Retract an event: it leaves the events view and studies; its facts stay in the log.

    Example:

    \b
        tracker events retract news-2025-01-21-deepseek-deepseek-r1 --reason "duplicate of 2025-01-20-deepseek-r1"
    """
    from tracker.curation.manual import retract_event

    change = retract_event(settings(db, config), event_id, reason)
    typer.echo(f"retracted {change.event_id}; run {change.run_id}, log head {change.head:,}")
