"""The market-reaction tracker: what did the market do when X happened?

The library behind the ``tracker`` command, stage by stage (each name is imported on first use,
so ``import tracker`` costs nothing)::

    from pathlib import Path
    from tracker import Settings, import_prices, import_catalogue, run_study, StudyRequest, write_report

    settings = Settings(db=Path("tracker.duckdb"))
    import_catalogue(settings, Path("ai_events.csv"))
    import_prices(settings, [Path("prices/")])
    result = run_study(settings, StudyRequest(event_id="2025-01-20-deepseek-r1", tickers=("NVDA", "AAPL"), window=(0, 4)))
    print(result)                                   # the terminal table; result.car etc. are polars frames
    write_report(settings, result, out=Path("r1.html"))

Stages: :mod:`tracker.ingest` (live ingestion, the schedule, ``files`` imports),
:mod:`tracker.news`, :mod:`tracker.curation` (events by hand, tagging), :mod:`tracker.study`
(requests, the warehouse as study data), :mod:`tracker.analysis` (the pure engine),
:mod:`tracker.reports` (the view and its renderers), :mod:`tracker.cli`.
"""

from __future__ import annotations

from importlib import import_module

#: Public name -> module that defines it.
_EXPORTS = {
    "Settings": "tracker.config",
    "load_settings": "tracker.config",
    "TrackerError": "tracker.errors",
    "open_reader": "tracker.storage",
    "open_writer": "tracker.storage",
    "import_prices": "tracker.ingest.files",
    "import_factors": "tracker.ingest.files",
    "import_catalogue": "tracker.ingest.files",
    "import_news": "tracker.ingest.files",
    "run_ingest": "tracker.ingest",
    "IngestRequest": "tracker.ingest",
    "tag_news": "tracker.curation.tagging",
    "add_event": "tracker.curation.manual",
    "amend_event": "tracker.curation.manual",
    "retract_event": "tracker.curation.manual",
    "StudyRequest": "tracker.study",
    "run_study": "tracker.study",
    "WarehouseData": "tracker.study",
    "EventStudy": "tracker.analysis",
    "FirmEvent": "tracker.analysis",
    "InMemoryData": "tracker.analysis",
    "StudyResult": "tracker.analysis",
    "report_view": "tracker.reports.view",
    "write_report": "tracker.reports.writer",
    "make_report": "tracker.reports.writer",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'tracker' has no attribute {name!r}")
