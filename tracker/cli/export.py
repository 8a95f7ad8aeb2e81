"""``tracker export parquet``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from tracker.cli.common import ConfigOption, DbOption, settings
from tracker.cli.study_options import AsOfOption

app = typer.Typer(help="Export the warehouse's data for other engines.", no_args_is_help=True)


@app.command("parquet")
def parquet(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="A new or empty folder.", show_default=False)],
    as_of: AsOfOption = None,
    tickers_at_a_time: Annotated[Optional[int], typer.Option("--tickers-at-a-time", metavar="N", help="Tickers read per batch (memory grows with it) [default: 500].", show_default=False)] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Export the study data (daily returns, factors, sessions, coverage) as Parquet at one log position.

    Returns are partitioned by year (returns/year=YYYY/part-NNNN.parquet: ticker, session, ret);
    manifest.json records the log position. Cluster workers read it: `tracker study --engine dask
    --data DIR` gives the same numbers as the study of the warehouse at that position.

    Example:

    \b
        tracker export parquet /shared/tracker-export
        tracker study --events-file earnings.csv --out r.parquet --engine dask --data /shared/tracker-export
    """
    from contextlib import nullcontext

    from tracker.cli.console import make_console
    from tracker.scale.export import TICKERS_AT_A_TIME, export_parquet
    from tracker.storage import open_reader
    from tracker.output_paths import check_output_path

    config_settings = settings(db, config)
    check_output_path(folder / "manifest.json", (".json",), option="export parquet", what="the export's manifest",
                      protect=[config_settings.db])
    console = make_console(stderr=True)
    with open_reader(config_settings) as warehouse:
        position = warehouse.position(as_of)
        with (console.status("exporting") if console.is_terminal else nullcontext()) as status:
            def progress(done: int, total: int) -> None:
                if status is not None:
                    status.update(f"exporting: {done:,}/{total:,} tickers")

            report = export_parquet(warehouse, folder, position, tickers_at_a_time=tickers_at_a_time or TICKERS_AT_A_TIME,
                                    progress=progress)
    typer.echo(f"exported {report.returns:,} returns of {report.tickers:,} tickers over {report.sessions:,} sessions "
               f"({report.files} files) at log position {report.log_position} to {report.folder}")
