"""``tracker import prices``: validate files, then append their bars, a batch of files at a time.

Files are read in batches of about :data:`BATCH_BYTES` of CSV text (whole files; a Parquet file
counts as the text of its rows, and a file larger than a batch is a batch of its own), so memory
stays bounded however many bars are imported: 75 million bars go through in the memory of one
batch. Each batch's good files are appended in one transaction
together with one ``PriceFileImported`` fact per file; a file already imported with the same name
and bytes, none of whose bars was superseded since, is recognised by its fingerprint and not
parsed again. So a killed import leaves its finished batches stored, each whole with its files'
fingerprints, and nothing of the batch it was in (its ``RunStarted`` fact shows ``incomplete``
in ``runs``); running it again skips the finished files and goes on. The facts are the same as
one big batch would give: bars are appended in file order, a bar repeated by a later file is
compared with the one stored before it, as within a batch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from tracker.config import Settings
from tracker.ingest.bar_checks import off_calendar
from tracker.ingest.files.price_files import RejectedFile, discover_price_files, read_price_files
from tracker.storage import open_writer, recorded_run
from warehouse.price_facts import PriceFileRecord

#: Bytes of CSV text read at a time: about 3.5 million OHLCV bars.
BATCH_BYTES = 256 * 2**20
#: What a Parquet row weighs against that (its text in a CSV file, generously).
PARQUET_ROW_BYTES = 100
#: DuckDB's memory while importing (its cache of the growing tables would otherwise grow to 80 % of RAM).
DUCKDB_MEMORY = "1GB"


@dataclass(frozen=True)
class ImportProgress:
    """Where an import stands after a batch (for a progress bar)."""

    files_done: int
    files: int
    bytes_done: int
    bytes: int
    bars_read: int
    facts_added: int


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


def import_prices(settings: Settings, paths: list[Path], *, source: str | None = None,
                  progress: Callable[[ImportProgress], None] | None = None, batch_bytes: int = BATCH_BYTES) -> PriceImportReport:
    """Import price files or folders. ``source`` overrides the provenance label (default: the path).

    ``progress`` is called after each batch of files (about ``batch_bytes`` of them).
    """
    files = discover_price_files(paths)
    prints = {path: fingerprint(path) for path in files}
    sizes = {path: path.stat().st_size for path in files}
    with open_writer(settings) as warehouse:
        warehouse.limit_memory(DUCKDB_MEMORY)
        args = {"paths": [str(p) for p in paths], "files": len(files)}
        with recorded_run(warehouse, "import prices", args) as log:
            current = warehouse.current_price_files(list(prints.values()))
            to_read = [f for f in files if prints[f] not in current]
            known = [current[prints[f]] for f in files if prints[f] in current]
            known_bars = sum(bars_count for bars_count, _ in known)
            tickers = {t for _, names in known for t in names}
            rejected: list = []
            odd: list[tuple[str, dt.date]] = []
            bars_read = added = unchanged = revised = 0
            done = sum(sizes[f] for f in files if prints[f] in current)
            files_done = len(files) - len(to_read)
            for batch_files in _batches(to_read, {f: _text_bytes(f, sizes[f]) for f in to_read}, batch_bytes):
                batch = read_price_files(batch_files)
                bars = batch.bars
                if source is not None:
                    bars = bars.with_columns(pl.lit(source).alias("source"))
                if bars.height:
                    odd += off_calendar(bars, pl.Series(warehouse.session_dates())).iter_rows()
                    with warehouse.transaction():
                        result = warehouse.append_price_bars(bars, log.run)
                        warehouse.append_facts([r.fact() for r in _file_records(bars, batch_files, prints)], log.run)
                        warehouse.catch_up()
                    added, unchanged, revised = added + result.added, unchanged + result.unchanged, revised + result.revised
                    tickers |= set(bars["ticker"].unique().to_list())
                bars_read += bars.height
                rejected += batch.rejected
                done += sum(sizes[f] for f in batch_files)
                files_done += len(batch_files)
                if progress is not None:
                    progress(ImportProgress(files_done, len(files), done, sum(sizes.values()), bars_read + known_bars, added))
            log.counts = {
                "files": len(files),
                "files_rejected": len(rejected),
                "files_already_imported": len(files) - len(to_read),
                "bars_read": bars_read,
                "facts_added": added,
                "facts_unchanged": unchanged + known_bars,
                "corrections": revised,
            }
            if rejected:
                log.status = "partial" if bars_read or current else "failed"
                log.error = "rejected: " + ", ".join(str(r.path) for r in rejected)
        head = warehouse.head()
    return PriceImportReport(
        run_id=log.run.run_id,
        files=tuple(files),
        rejected=tuple(rejected),
        skipped_files=len(files) - len(to_read),
        bars_read=bars_read + known_bars,
        tickers=len(tickers),
        added=added,
        unchanged=log.counts["facts_unchanged"],
        revised=revised,
        head=head,
        off_calendar=tuple(odd),
    )


def _text_bytes(path: Path, size: int) -> int:
    """What reading ``path`` weighs: its size, or for Parquet the text of its rows."""
    if path.suffix.lower() != ".parquet":
        return size
    try:
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows * PARQUET_ROW_BYTES
    except Exception:  # unreadable: read_price_files rejects it with the reason
        return size


def _batches(files: list[Path], sizes: dict[Path, int], limit: int) -> Iterator[list[Path]]:
    """Consecutive runs of ``files`` of about ``limit`` bytes (at least one file each)."""
    batch: list[Path] = []
    total = 0
    for path in files:
        if batch and total + sizes[path] > limit:
            yield batch
            batch, total = [], 0
        batch.append(path)
        total += sizes[path]
    if batch:
        yield batch


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
