"""The ``tracker`` command line: a thin layer over the library (parse, call, render).

Each command group lives in its own module and imports the library lazily, so
``tracker --help`` loads only typer.
"""

from __future__ import annotations

from typing import Annotated

import typer

from tracker.cli import demo, events, export, imports, ingest, rebuild, report, schedule, sql, status, study
from tracker.cli.common import TrackerGroup

app = typer.Typer(
    cls=TrackerGroup,
    name="tracker",
    help=(
        "Event-sourced market-reaction tracker: what did the market do when X happened?\n\n"
        "Start with `tracker demo` (offline), then `tracker import prices PATH`, "
        "`tracker import news PATH`, `tracker events tag`, `tracker study EVENT_ID`, `tracker report EVENT_ID` "
        "and `tracker sql \"SELECT …\"`."
    ),
    epilog="Errors are one line; add --debug before the command (tracker --debug study …) to see the traceback.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def root(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback when a command fails.")] = False,
) -> None:
    ctx.obj = {"debug": debug}


app.command("demo")(demo.demo)
app.add_typer(imports.app, name="import")
app.add_typer(events.app, name="events")
app.command("study")(study.study)
app.command("report")(report.report)
app.command("sql")(sql.sql)
app.command("status")(status.status)
app.command("rebuild")(rebuild.rebuild)
app.command("ingest")(ingest.ingest)
app.command("schedule")(schedule.schedule)
app.add_typer(export.app, name="export")


def main() -> None:
    app()
