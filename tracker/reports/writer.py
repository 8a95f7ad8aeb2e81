"""Making report files: run the study, read its provenance, draw the charts, write HTML or Markdown.

This is the library function behind ``tracker report`` and the demo's report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tracker.analysis import StudyResult
from tracker.config import Settings
from tracker.errors import ReportError
from tracker.study.request import StudyRequest, run_study

FORMATS = ("html", "md")
SUFFIXES = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md"}
FORMAT_SUFFIXES = {fmt: tuple(s for s, f in SUFFIXES.items() if f == fmt) for fmt in FORMATS}
CHART_FILES = {"car_paths": "car-paths", "car_groups": "caar-by-group", "car_bars": "car-by-firm"}


@dataclass(frozen=True)
class WrittenReport:
    path: Path  # the report itself
    files: tuple[Path, ...]  # every file written (the report, then any charts beside it)
    format: str
    headline: str
    result: StudyResult


def resolve_output(out: Path | None, fmt: str | None, request: StudyRequest, protect: Sequence[Path] = ()) -> tuple[Path, str]:
    """The output path and format: ``--format`` or the suffix of ``--out`` (HTML when neither says).

    The path is checked (:func:`tracker.output_paths.check_output_path`): a suffix of the
    format, never the warehouse (``protect``), a device or a folder.
    """
    from tracker.output_paths import check_output_path

    if fmt is not None and fmt not in FORMATS:
        raise ReportError(f"unknown report format {fmt!r}", hint=f"use one of: {', '.join(FORMATS)}")
    implied = SUFFIXES.get(out.suffix.lower()) if out is not None else None
    if fmt and implied and fmt != implied:
        raise ReportError(f"--format {fmt} does not match --out {out} (a .{implied} name)",
                          hint=f"name the file *.{'html' if fmt == 'html' else 'md'} or drop --format")
    if out is not None and fmt is None and implied is None:
        check_output_path(out, tuple(SUFFIXES), what="a report (HTML or Markdown)")  # raises: says which suffixes fit
    fmt = fmt or implied or "html"
    if out is None:
        stem = request.event_id or (Path(request.events_file).stem + "-report" if request.events_file else "report")
        out = Path(f"{stem}.{fmt}")
    return check_output_path(out, FORMAT_SUFFIXES[fmt], what=_WHAT[fmt], protect=protect), fmt


_WHAT = {"html": "an HTML report", "md": "a Markdown report"}


def make_report(
    settings: Settings,
    request: StudyRequest,
    *,
    out: Path | None = None,
    fmt: str | None = None,
    lead: str | None = None,
) -> WrittenReport:
    """Run the study of ``request`` and write its report (``fmt``: ``html`` or ``md``)."""
    path, fmt = resolve_output(out, fmt, request, protect=[settings.db])
    return write_report(settings, run_study(settings, request), out=path, fmt=fmt, lead=lead)


def write_report(
    settings: Settings,
    result: StudyResult,
    *,
    out: Path,
    fmt: str = "html",
    lead: str | None = None,
) -> WrittenReport:
    """Write the report of an existing study result; provenance is read at the result's log position.

    Every file (the report and, for Markdown, the charts beside it) is checked before any is written.
    """
    from tracker.output_paths import check_output_path, write_atomically
    from tracker.reports.view import report_view
    from tracker.reports.provenance import collect_provenance
    from tracker.storage import open_reader

    if fmt not in FORMATS:
        raise ReportError(f"unknown report format {fmt!r}", hint=f"use one of: {', '.join(FORMATS)}")
    out = check_output_path(out, FORMAT_SUFFIXES[fmt], what=_WHAT[fmt], protect=[settings.db])
    with open_reader(settings) as warehouse:
        provenance = collect_provenance(warehouse, result)
    view = report_view(result, provenance=provenance, lead=lead)
    charts = [window_charts(view, w) for w in view.windows]

    if fmt == "html":
        from tracker.reports.html import render_html

        write_atomically(out, render_html(view, charts, result.to_json(), version=package_version()))
        files = (out,)
    else:
        from tracker.reports.markdown import render_markdown
        from tracker.reports.sections import window_suffix

        chart_paths = [
            {key: check_output_path(out.with_name(f"{out.stem}-{CHART_FILES[key]}{window_suffix(i)}.png"), (".png",),
                                    option="chart beside the report:", what="a chart", protect=[settings.db])
             for key in pngs}
            for i, pngs in enumerate(charts)
        ]
        for pngs, paths in zip(charts, chart_paths):
            for key, data in pngs.items():
                write_atomically(paths[key], data)
        write_atomically(out, render_markdown(view, [{key: p.name for key, p in paths.items()} for paths in chart_paths]))
        files = (out, *(p for paths in chart_paths for p in paths.values()))
    return WrittenReport(path=out, files=files, format=fmt, headline=view.headline, result=result)


def study_document(settings: Settings, result: StudyResult, fmt: str) -> str:
    """``tracker study --format json|csv|md``: the result as a document (Markdown with its provenance, no charts)."""
    if fmt == "json":
        return result.to_json()
    if fmt == "csv":
        from tracker.reports.data_files import to_csv

        return to_csv(result)
    if fmt == "md":
        from tracker.reports.markdown import render_markdown
        from tracker.reports.provenance import collect_provenance
        from tracker.reports.view import report_view
        from tracker.storage import open_reader

        with open_reader(settings) as warehouse:
            provenance = collect_provenance(warehouse, result)
        return render_markdown(report_view(result, provenance=provenance))
    raise ReportError(f"unknown study format {fmt!r}", hint="use one of: table, json, csv, md")


def window_charts(view, window) -> dict[str, bytes]:
    """PNG charts of one window: its CAR paths (if it is one of the view's path windows) and CAR bars."""
    from tracker.reports.charts import car_bars_figure, car_paths_figure, figure_bytes

    if not window.n:
        return {}
    charts = {}
    if any(window is w for w in view.path_windows):
        if view.groups:
            from tracker.reports.charts import group_caar_figure

            charts["car_groups"] = figure_bytes(group_caar_figure(view, window))
        else:
            charts["car_paths"] = figure_bytes(car_paths_figure(view, window))
    charts["car_bars"] = figure_bytes(car_bars_figure(view, window))
    return charts


def package_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("market-reaction-tracker")
    except metadata.PackageNotFoundError:
        return "unknown"
