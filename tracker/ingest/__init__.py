"""Getting data into the fact log: live ingestion from the sources (:mod:`~tracker.ingest.run`,
prices, corporate actions and news), its daily schedule (:mod:`~tracker.ingest.schedule`), and
file imports (:mod:`tracker.ingest.files`).

The names below are loaded on first use, so importing a file importer does not load the sources.
"""

from __future__ import annotations

_RUN = ("IngestFailed", "IngestObserver", "IngestReport", "IngestRequest", "configured_tickers", "run_ingest")

__all__ = list(_RUN)


def __getattr__(name: str):
    if name in _RUN:
        from tracker.ingest import run

        return getattr(run, name)
    raise AttributeError(f"module 'tracker.ingest' has no attribute {name!r}")
