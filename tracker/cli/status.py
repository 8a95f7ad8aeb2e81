"""``tracker status``."""

from __future__ import annotations


from tracker.cli.common import ConfigOption, DbOption, settings


def status(db: DbOption = None, config: ConfigOption = None) -> None:
    """Show what the warehouse holds and its last runs.

    Log head, facts by kind, tickers with their coverage, events by kind, the last runs.

    Example:

    \b
        tracker status --db ~/data/tracker.duckdb
    """
    from tracker.cli.console import print_status
    from tracker.storage import warehouse_status

    print_status(warehouse_status(settings(db, config)))
