"""Live ingestion: prices, corporate actions and news from the sources into the fact log."""

from tracker.ingest.run import IngestFailed, IngestObserver, IngestReport, IngestRequest, configured_tickers, run_ingest

__all__ = ["IngestFailed", "IngestObserver", "IngestReport", "IngestRequest", "configured_tickers", "run_ingest"]
