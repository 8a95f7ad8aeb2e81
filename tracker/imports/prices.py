"""``tracker import prices``: validate files first, then append their bars in one transaction.

Files are read and checked before the warehouse is opened, so the write lock is held only
for the append. All good files are appended in one transaction: a killed import leaves
nothing of itself behind except its ``RunStarted`` fact (shown as ``incomplete`` in ``runs``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tracker.config import Settings
from tracker.imports.price_files import PriceBatch, RejectedFile, discover_price_files, read_price_files
from tracker.storage import open_writer, recorded_run


@dataclass(frozen=True)
class PriceImportReport:
    run_id: str
    files: tuple[Path, ...]
    rejected: tuple[RejectedFile, ...]
    bars_read: int
    tickers: int
    added: int
    unchanged: int
    revised: int
    head: int

    @property
    def accepted(self) -> int:
        return len(self.files) - len(self.rejected)


def import_prices(settings: Settings, paths: list[Path], *, source: str | None = None) -> PriceImportReport:
    """Import price files or folders. ``source`` overrides the provenance label (default: the path)."""
    files = discover_price_files(paths)
    batch: PriceBatch = read_price_files(files)
    bars = batch.bars
    if source is not None:
        import polars as pl

        bars = bars.with_columns(pl.lit(source).alias("source"))
    with open_writer(settings) as warehouse:
        args = {"paths": [str(p) for p in paths], "files": len(files)}
        with recorded_run(warehouse, "import prices", args) as log:
            result = None
            if bars.height:
                with warehouse.transaction():
                    result = warehouse.append_price_bars(bars, log.run)
                    warehouse.catch_up()
            added = result.added if result else 0
            log.counts = {
                "files": len(files),
                "files_rejected": len(batch.rejected),
                "bars_read": bars.height,
                "facts_added": added,
                "facts_unchanged": result.unchanged if result else 0,
                "corrections": result.revised if result else 0,
            }
            if batch.rejected:
                log.status = "partial" if bars.height else "failed"
                log.error = "rejected: " + ", ".join(str(r.path) for r in batch.rejected)
        head = warehouse.head()
    return PriceImportReport(
        run_id=log.run.run_id,
        files=tuple(files),
        rejected=batch.rejected,
        bars_read=bars.height,
        tickers=bars["ticker"].n_unique() if bars.height else 0,
        added=log.counts["facts_added"],
        unchanged=log.counts["facts_unchanged"],
        revised=log.counts["corrections"],
        head=head,
    )
