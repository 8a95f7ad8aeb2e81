"""``tracker study`` at scale: ``--out FILE.parquet``, ``--chunk-size``, ``--engine dask``."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import typer

from tracker.config import Settings
from tracker.errors import StudyError


def refuse_large(events_file: Path, limit: int, fmt: str) -> None:
    """Refuse, before any work, a study too large to print as a table, CSV or Markdown."""
    try:
        with open(events_file, "rb") as handle:
            rows = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1
    except OSError:
        return  # the request reports a missing or unreadable file
    if rows > limit:
        raise StudyError(f"{rows:,} firm-events are too many to print as --format {fmt}",
                         hint="write them with --out results.parquet (or --format json, written as it goes)")


def run_scaled(settings: Settings, request, *, out: Path | None, chunk_size: int | None, engine: str,
               address: str | None, data: Path | None):
    """Run the study with its firm-events written to ``out`` and its chunks computed by ``engine``."""
    from tracker.study.output import ParquetOutput
    from tracker.study.request import run_study

    runner = None
    if engine == "dask":
        from tracker.scale.dask_runner import DaskRunner
        from tracker.scale.parquet_data import read_manifest

        if data is None:
            raise StudyError("--engine dask needs --data DIR", hint="write it with `tracker export parquet DIR` first")
        manifest = read_manifest(data)
        if request.as_of is not None and request.as_of != manifest.log_position:
            raise StudyError(f"--as-of {request.as_of}: the export in {data} is at log position {manifest.log_position}",
                             hint=f"export again with `tracker export parquet DIR --as-of {request.as_of}`")
        request = replace(request, as_of=manifest.log_position)
        runner = DaskRunner.factory(data, address)
    elif data is not None or address is not None:
        raise StudyError("--data and --address go with --engine dask")
    if out is None:
        return run_study(settings, request, runner=runner, chunk_size=chunk_size)
    with ParquetOutput(out, protected=(settings.db,)) as sink:
        result = run_study(settings, request, runner=runner, chunk_size=chunk_size, on_chunk=sink.write)
        sink.finish(result)
    typer.echo(f"{sink.rows:,} firm-event rows written to {sink.firms_path}, their ARs to {sink.ar_path}, "
               f"the tests to {sink.tests_path}, the aggregates to {sink.json_path}", err=True)
    return result


def write_csv_files(settings: Settings, result, out: Path) -> tuple[Path, Path]:
    """``--format csv --out FILE.csv``: the firm rows to FILE.csv and every test to FILE.tests.csv."""
    from tracker.output_paths import check_output_path, write_atomically
    from tracker.reports.data_files import to_csv

    out = check_output_path(out, (".csv",), what="a study's firm rows", protect=[settings.db])
    tests = check_output_path(out.with_name(f"{out.stem}.tests.csv"), (".csv",), what="a study's tests", protect=[settings.db])
    write_atomically(out, to_csv(result))
    write_atomically(tests, result.test_table.write_csv())
    return out, tests
