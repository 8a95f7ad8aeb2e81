"""``tracker rebuild``."""

from __future__ import annotations

import typer

from tracker.cli.common import ConfigOption, DbOption, settings


def rebuild(db: DbOption = None, config: ConfigOption = None) -> None:
    """Replay every projection from the fact log.

    Drops the projected tables (prices, events) and rebuilds them from the log; the result is
    identical to the incrementally maintained ones.

    Example:

    \b
        tracker rebuild --db ~/data/tracker.duckdb
    """
    from tracker.storage import rebuild_projections

    report = rebuild_projections(settings(db, config))
    typer.echo(
        f"rebuilt from log head {report.head:,} in {report.seconds:.2f} s: "
        + ", ".join(f"{name} {rows:,} rows" for name, rows in report.rows.items())
    )
