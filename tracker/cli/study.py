"""``tracker study``."""

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


class StudyFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"
    parquet = "parquet"


class Engine(str, Enum):
    local = "local"
    dask = "dask"


#: Firm-events above which the table, CSV and Markdown outputs are refused (use --out or --format json).
LARGE_STUDY = 100_000

OutOption = Annotated[Optional[Path], typer.Option("--out", metavar="FILE.parquet|FILE.csv", help="FILE.parquet (or --format parquet): write the firm-events to FILE.parquet (a row per window and firm-event) and FILE.ar.parquet (a row per event-period day) as chunks complete, every test to FILE.tests.parquet and the aggregates to FILE.json; print the summary. For studies of any size. FILE.csv (or --format csv): the firm rows to FILE.csv and every test to FILE.tests.csv.", show_default=False)]
ChunkSizeOption = Annotated[Optional[int], typer.Option("--chunk-size", metavar="N", help="Firm-events computed at a time (memory grows with it; the numbers do not change) [default: up to 20000].", show_default=False)]
EngineOption = Annotated[Engine, typer.Option("--engine", help="Where the chunks are computed: local (this process) or dask (a Dask cluster reading a `tracker export parquet` folder given with --data).")]
AddressOption = Annotated[Optional[str], typer.Option("--address", metavar="tcp://HOST:8786", help="With --engine dask: the scheduler [default: a local cluster of 2 worker processes].", show_default=False)]
DataOption = Annotated[Optional[Path], typer.Option("--data", metavar="DIR", help="With --engine dask: the folder written by `tracker export parquet` (the workers read it; on a cluster, a path they all see).", show_default=False)]


def study(
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
    fmt: Annotated[StudyFormat, typer.Option("--format", help="Output format.")] = StudyFormat.table,
    chart: Annotated[Optional[Path], typer.Option("--chart", metavar="PATH.png", help="Also write the cumulative-abnormal-return chart of the widest window to this file (.png, .svg or .pdf).", show_default=False)] = None,
    out: OutOption = None,
    chunk_size: ChunkSizeOption = None,
    engine: EngineOption = Engine.local,
    address: AddressOption = None,
    data: DataOption = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Measure abnormal returns around an event.

    Per firm: AR, CAR, BHAR and the CAR's t with and without the estimation-error correction.
    Across firms, per window: AAR/CAAR, ABHAR and the test battery (cross-sectional t, CDA t,
    Patell Z, BMP t, Kolari-Pynnönen adjusted Patell and BMP, Corrado and window rank tests,
    GRANK, generalized sign, sign, Wilcoxon signed-rank, skewness-adjusted t, the portfolio
    t when all firms share day 0 and the calendar-time portfolio t when they do not). With
    --group, each group's own battery and, per pair, the difference with a long-short portfolio t
    and a Binder regression t. Windows are inclusive session offsets from day 0. The result
    states the log position it used; --as-of reproduces it later. For a report with charts, see
    `tracker report`.

    Examples:

    \b
        tracker study 2025-01-20-deepseek-r1 --tickers NVDA,AVGO,AAPL --window 0,4
        tracker study 2025-01-27-deepseek-selloff --window 0,0 --window -1,1 --format json
        tracker study 2025-01-27-deepseek-selloff --model ff3 --exclude-events earnings
        tracker study 2025-01-27-deepseek-selloff --window 0,0 --benchmark NVDA=SMH --benchmark AVGO=SMH
        tracker study 2025-01-20-deepseek-r1 --window 0,4 --chart car.png
        tracker study --events-file firm_events.csv --window -1,1 --format csv
        tracker study --kind model_release --since 2024-01-01 --tickers NVDA,AVGO,AAPL --window 0,1
        tracker study --events-file all_earnings.csv --out results.parquet
        tracker study --kind model_release --group chips=NVDA,AVGO,TSM,MU --group apple=AAPL --window 0,0 --window 0,20
        tracker study 2025-01-27-deepseek-selloff --window 0,0 --characteristics firms.csv --format csv --out study.csv
        tracker study --events-file all_earnings.csv --out r.parquet --engine dask --data export/ --address tcp://10.0.0.5:8786
    """
    from tracker.cli.safety import echo
    from tracker.study.request import run_study

    target = settings(db, config)
    if chart is not None:  # refuse a bad file name before the study runs
        from tracker.output_paths import check_output_path
        from tracker.reports.charts import CHART_SUFFIXES

        chart = check_output_path(chart, tuple(CHART_SUFFIXES), option="--chart", what="a chart", protect=[target.db])
    request = study_request(event_id=event_id, events_file=events_file, tickers=tickers, market=market, model=model,
                            estimation=estimation, window=window, min_obs=min_obs, exclude_events=exclude_events,
                            exclude_within=exclude_within, as_of=as_of, benchmark=benchmark, kind=kind, since=since, until=until, org=org,
                            group=group, characteristics=characteristics)
    from tracker.errors import StudyError

    if fmt is StudyFormat.parquet and out is None:
        raise StudyError("--format parquet writes files", hint="name them with --out results.parquet")
    csv_out = out is not None and (fmt is StudyFormat.csv or out.suffix.lower() == ".csv")
    if csv_out and fmt not in (StudyFormat.csv, StudyFormat.table):
        raise StudyError(f"--out {out} is a CSV file but --format is {fmt.value}", hint="use --format csv, or --out FILE.parquet")
    if fmt is StudyFormat.parquet and out.suffix.lower() != ".parquet":
        raise StudyError(f"--format parquet needs --out FILE.parquet, not {out}", hint="name it results.parquet")
    if csv_out:
        from tracker.cli.study_scale import write_csv_files

        result = run_study(target, request)
        paths = write_csv_files(target, result, out)
        echo(f"firm rows written to {paths[0]}, every test to {paths[1]}", err=True)
        from tracker.reports.text import aggregates_text

        echo(aggregates_text(result), nl=False)
        _write_chart(result, chart)
        return
    if out is None and fmt is not StudyFormat.json and events_file is not None:
        from tracker.cli.study_scale import refuse_large

        refuse_large(events_file, LARGE_STUDY, fmt.value)
    if out is None and engine is Engine.local and chunk_size is None:
        result = run_study(target, request)
    else:
        from tracker.cli.study_scale import run_scaled

        result = run_scaled(target, request, out=out, chunk_size=chunk_size, engine=engine.value, address=address, data=data)
    if out is not None:
        from tracker.reports.text import aggregates_text

        echo(aggregates_text(result), nl=False)
    elif fmt is StudyFormat.json:
        import sys

        result.write_json(sys.stdout)
    elif fmt is StudyFormat.table:
        from tracker.cli.console import make_console
        from tracker.reports.text import print_study
        from tracker.reports.view import report_view

        print_study(report_view(result), make_console())
    else:
        from tracker.reports.writer import study_document

        typer.echo(study_document(target, result, fmt.value), nl=False)
    _write_chart(result, chart)


def _write_chart(result, chart: Path | None) -> None:
    from tracker.cli.safety import echo

    if chart is not None:
        from tracker.reports.charts import write_car_chart
        from tracker.reports.view import report_view

        if result.n == 0:
            echo("no chart: no firm-event could be studied", err=True)
        else:
            echo(f"chart written to {write_car_chart(report_view(result), chart)}", err=True)
