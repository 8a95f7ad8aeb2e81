"""``tracker import prices``: validate files, then append their bars in one transaction.

All good files are appended in one transaction together with one ``PriceFileImported`` fact
per file: a killed import leaves nothing of itself behind except its ``RunStarted`` fact
(shown as ``incomplete`` in ``runs``). A file already imported with the same name and bytes,
none of whose bars was superseded since, is recognised by its fingerprint and not parsed
again, so re-importing a folder costs little more than hashing it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from tracker.config import Settings
from tracker.ingest.bar_checks import off_calendar
from tracker.ingest.files.price_files import RejectedFile, discover_price_files, read_price_files
from tracker.storage import open_writer, recorded_run
from warehouse.price_facts import PriceFileRecord


@dataclass(frozen=True)
class PriceImportReport:
    run_id: str
    files: tuple[Path, ...]
    rejected: tuple[RejectedFile, ...]
    skipped_files: int  # identical to an earlier import and still current: not parsed
    bars_read: int
    tickers: int
    added: int
    unchanged: int
    revised: int
    head: int
    off_calendar: tuple[tuple[str, dt.date], ...] = ()  # stored bars on days XNYS does not trade

    @property
    def accepted(self) -> int:
        return len(self.files) - len(self.rejected)


def fingerprint(path: Path) -> str:
    """SHA-256 of the file's name (it may carry the ticker) and its bytes."""
    digest = hashlib.sha256(path.name.encode())
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_prices(settings: Settings, paths: list[Path], *, source: str | None = None) -> PriceImportReport:
    """Import price files or folders. ``source`` overrides the provenance label (default: the path)."""
    files = discover_price_files(paths)
    prints = {path: fingerprint(path) for path in files}
    with open_writer(settings) as warehouse:
        args = {"paths": [str(p) for p in paths], "files": len(files)}
        with recorded_run(warehouse, "import prices", args) as log:
            current = warehouse.current_price_files(list(prints.values()))
            to_read = [f for f in files if prints[f] not in current]
            batch = read_price_files(to_read)
            bars = batch.bars
            if source is not None:
                bars = bars.with_columns(pl.lit(source).alias("source"))
            result = None
            odd = off_calendar(bars, pl.Series(warehouse.session_dates())) if bars.height else None
            if bars.height:
                with warehouse.transaction():
                    result = warehouse.append_price_bars(bars, log.run)
                    warehouse.append_facts([r.fact() for r in _file_records(bars, to_read, prints)], log.run)
                    warehouse.catch_up()
            known = [current[prints[f]] for f in files if prints[f] in current]
            known_bars = sum(bars_count for bars_count, _ in known)
            tickers = set(bars["ticker"].unique().to_list()) | {t for _, names in known for t in names}
            log.counts = {
                "files": len(files),
                "files_rejected": len(batch.rejected),
                "files_already_imported": len(files) - len(to_read),
                "bars_read": bars.height,
                "facts_added": result.added if result else 0,
                "facts_unchanged": (result.unchanged if result else 0) + known_bars,
                "corrections": result.revised if result else 0,
            }
            if batch.rejected:
                log.status = "partial" if bars.height or current else "failed"
                log.error = "rejected: " + ", ".join(str(r.path) for r in batch.rejected)
        head = warehouse.head()
    return PriceImportReport(
        run_id=log.run.run_id,
        files=tuple(files),
        rejected=batch.rejected,
        skipped_files=len(files) - len(to_read),
        bars_read=bars.height + known_bars,
        tickers=len(tickers),
        added=log.counts["facts_added"],
        unchanged=log.counts["facts_unchanged"],
        revised=log.counts["corrections"],
        head=head,
        off_calendar=tuple(odd.iter_rows()) if odd is not None else (),
    )


def _file_records(bars: pl.DataFrame, files: list[Path], prints: dict[Path, str]) -> list[PriceFileRecord]:
    per_file = bars.group_by("batch_order").agg(
        pl.col("ticker").unique().sort().alias("tickers"),
        pl.col("date").min().alias("first"),
        pl.col("date").max().alias("last"),
        pl.len().alias("bars"),
    ).sort("batch_order")
    return [
        PriceFileRecord(prints[files[row["batch_order"]]], str(files[row["batch_order"]]), tuple(row["tickers"]),
                        row["first"], row["last"], row["bars"])
        for row in per_file.iter_rows(named=True)
    ]
