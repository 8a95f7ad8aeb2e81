"""``tracker export parquet DIR``: the warehouse's study data at one log position, as Parquet files.

The folder holds what a study reads (:class:`~tracker.analysis.data.StudyData`), so cluster
workers can compute chunks of a study without the warehouse file:

* ``returns/year=YYYY/part-NNNN.parquet``: ``ticker, session, ret`` (Hive-partitioned by the
  session's year, each part a batch of tickers, sorted by ticker and session): every daily return
  the warehouse's ``return_matrix`` gives at the position (missing returns are absent);
* ``factors.parquet``: ``session, mkt_rf, smb, hml, rf, mom`` (NaN where missing);
* ``sessions.parquet``: ``session, date`` (the XNYS calendar);
* ``coverage.parquet`` and ``factor_coverage.parquet``: each ticker's and factor's first and last
  date (the words of a skipped firm-event's reason);
* ``manifest.json``: the log position, the warehouse it came from, the counts and the format.

Returns are exported as the very floats a study of the warehouse reads, so a study of the export
gives the same bits. Tickers are read ``tickers_at_a_time`` at a time: memory is that of a batch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tracker.errors import StudyError

FORMAT = 1
TICKERS_AT_A_TIME = 500


@dataclass(frozen=True)
class ExportReport:
    folder: Path
    log_position: int
    tickers: int
    sessions: int
    returns: int
    files: int


def export_parquet(warehouse, folder: Path, position: int, *, tickers_at_a_time: int = TICKERS_AT_A_TIME,
                   progress=None) -> ExportReport:
    """Write the study data of ``warehouse`` at ``position`` to ``folder`` (which must be empty or new).

    ``progress(done, total)`` is called after each batch of tickers.
    """
    import polars as pl

    from tracker.analysis.models import FACTOR_NAMES

    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise StudyError(f"{folder} is not an empty folder", hint="export into a new or empty folder")
    sessions = warehouse.session_dates()
    n = len(sessions)
    coverage = warehouse.coverage(position)
    tickers = coverage["ticker"].to_list()
    folder.mkdir(parents=True, exist_ok=True)
    years = sessions.astype("datetime64[Y]").astype(np.int64) + 1970
    year_runs = np.flatnonzero(np.r_[True, years[1:] != years[:-1]])
    written = files = 0
    for batch_number, start in enumerate(range(0, len(tickers), tickers_at_a_time)):
        batch = tickers[start:start + tickers_at_a_time]
        matrix = warehouse.return_matrix(batch, 0, n - 1, position)
        for k, first in enumerate(year_runs.tolist()):
            last = int(year_runs[k + 1]) if k + 1 < year_runs.size else n
            rows, cols = np.nonzero(~np.isnan(matrix[:, first:last]))
            if not rows.size:
                continue
            part = folder / "returns" / f"year={years[first]}"
            part.mkdir(parents=True, exist_ok=True)
            pl.DataFrame({
                "ticker": pl.Series(batch, dtype=pl.String).gather(rows),
                "session": (cols + first).astype(np.int32),
                "ret": matrix[rows, cols + first],
            }).write_parquet(part / f"part-{batch_number:04d}.parquet", statistics=True)
            written += rows.size
            files += 1
        if progress is not None:
            progress(min(start + tickers_at_a_time, len(tickers)), len(tickers))
    factors = warehouse.factor_matrix(list(FACTOR_NAMES), 0, n - 1, position)
    pl.DataFrame({"session": np.arange(n, dtype=np.int32)} | {name: factors[j] for j, name in enumerate(FACTOR_NAMES)}).write_parquet(folder / "factors.parquet")
    pl.DataFrame({"session": np.arange(n, dtype=np.int32), "date": sessions}).write_parquet(folder / "sessions.parquet")
    coverage.select("ticker", "first_date", "last_date").write_parquet(folder / "coverage.parquet")
    warehouse.factor_coverage(position).select("factor", "first_date", "last_date").write_parquet(folder / "factor_coverage.parquet")
    manifest = {"format": FORMAT, "log_position": position, "warehouse": str(Path(warehouse.path).resolve()),
                "tickers": len(tickers), "sessions": n, "returns": int(written), "return_files": files}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return ExportReport(folder, position, len(tickers), n, int(written), files)
