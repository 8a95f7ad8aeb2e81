"""``tracker sql``."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from tracker.cli.common import ConfigOption, DbOption, settings

MAX_TABLE_ROWS = 200


class SqlFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def sql(
    query: Annotated[str, typer.Argument(help="SQL to run read-only against the documented views.", show_default=False)],
    fmt: Annotated[SqlFormat, typer.Option("--format", help="Output format.")] = SqlFormat.table,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Run read-only SQL on the documented views.

    Views: facts, prices, returns, events, news, news_tags, runs, sessions, factors, dividends,
    splits, ingest_cursors, ingest_tickers, news_payloads; macros prices_as_of(n),
    dividends_as_of(n), returns_as_of(n) and factors_as_of(n) show the data as of an earlier
    log position. Statements that would modify the warehouse are refused.

    Example:

    \b
        tracker sql "SELECT date, ret FROM returns WHERE ticker = 'NVDA' AND date >= '2025-01-21' LIMIT 5"
    """
    from tracker.cli.console import frame_to_csv, frame_to_json, print_frame
    from tracker.storage import open_reader

    with open_reader(settings(db, config)) as warehouse:
        results = warehouse.read_sql(query)
    for _, frame in results:
        if fmt is SqlFormat.csv:
            typer.echo(frame_to_csv(frame), nl=False)
        elif fmt is SqlFormat.json:
            typer.echo(frame_to_json(frame))
        else:
            print_frame(frame, max_rows=MAX_TABLE_ROWS)
