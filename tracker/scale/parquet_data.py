"""Study data read from a ``tracker export parquet`` folder: what cluster workers read.

:class:`ParquetData` answers :class:`~tracker.analysis.data.StudyData` from the files of
:mod:`tracker.scale.export`, reading for each chunk only the year partitions of its sessions and
the rows of its tickers (polars pushes both filters into the Parquet scan). The matrices are the
warehouse's to the bit, so a study gives the same numbers on the export as on the warehouse.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tracker.errors import StudyError
from tracker.scale.export import FORMAT


@dataclass(frozen=True)
class Manifest:
    log_position: int
    warehouse: str
    tickers: int
    sessions: int
    returns: int


def read_manifest(folder: Path) -> Manifest:
    """The manifest of an export; :class:`StudyError` if ``folder`` is not one."""
    path = Path(folder) / "manifest.json"
    try:
        document = json.loads(path.read_text())
    except (OSError, ValueError):
        raise StudyError(f"{folder} is not a `tracker export parquet` folder (no readable manifest.json)",
                         hint="write one with `tracker export parquet DIR`") from None
    if document.get("format") != FORMAT:
        raise StudyError(f"{folder}: export format {document.get('format')!r}, this tracker reads format {FORMAT}",
                         hint="export again with this version")
    return Manifest(document["log_position"], document["warehouse"], document["tickers"], document["sessions"], document["returns"])


class ParquetData:
    """:class:`~tracker.analysis.data.StudyData` of an export folder."""

    def __init__(self, folder: Path):
        import polars as pl

        self.folder = Path(folder)
        self.manifest = read_manifest(self.folder)
        self.log_position = self.manifest.log_position
        self._sessions = pl.read_parquet(self.folder / "sessions.parquet")["date"].to_numpy().astype("datetime64[D]")
        self._years = self._sessions.astype("datetime64[Y]").astype(np.int64) + 1970
        self._factors: dict[str, np.ndarray] | None = None

    def session_dates(self) -> np.ndarray:
        return self._sessions

    def return_matrix(self, tickers: Sequence[str], first_session: int, last_session: int) -> np.ndarray:
        import polars as pl

        out = np.full((len(tickers), last_session - first_session + 1), np.nan)
        lo, hi = max(first_session, 0), min(last_session, len(self._sessions) - 1)
        if lo > hi or not tickers:
            return out
        files = [f for year in range(int(self._years[lo]), int(self._years[hi]) + 1)
                 for f in sorted((self.folder / "returns" / f"year={year}").glob("*.parquet"))]
        if not files:
            return out
        wanted = pl.DataFrame({"ticker": list(tickers), "row": np.arange(len(tickers), dtype=np.int64)})
        found = (
            pl.scan_parquet(files)
            .filter(pl.col("session").is_between(lo, hi) & pl.col("ticker").is_in(wanted["ticker"].implode()))
            .join(wanted.lazy(), on="ticker")
            .select("row", "session", "ret")
            .collect()
        )
        out[found["row"].to_numpy(), found["session"].to_numpy().astype(np.int64) - first_session] = found["ret"].to_numpy()
        return out

    def factor_matrix(self, names: Sequence[str], first_session: int, last_session: int) -> np.ndarray:
        import polars as pl

        if self._factors is None:
            frame = pl.read_parquet(self.folder / "factors.parquet")
            self._factors = {name: frame[name].to_numpy() for name in frame.columns if name != "session"}
        out = np.full((len(names), last_session - first_session + 1), np.nan)
        lo, hi = max(first_session, 0), min(last_session, len(self._sessions) - 1)
        for i, name in enumerate(names):
            if name in self._factors and lo <= hi:
                out[i, lo - first_session: hi - first_session + 1] = self._factors[name][lo: hi + 1]
        return out

    def ticker_ranges(self, tickers: Sequence[str]) -> dict[str, tuple[dt.date, dt.date] | None]:
        import polars as pl

        frame = pl.read_parquet(self.folder / "coverage.parquet").filter(pl.col("ticker").is_in(list(tickers)))
        ranges: dict[str, tuple[dt.date, dt.date] | None] = dict.fromkeys(tickers)
        ranges |= {t: (first, last) for t, first, last in frame.select("ticker", "first_date", "last_date").iter_rows()}
        return ranges

    def factor_ranges(self) -> dict[str, tuple[dt.date, dt.date]]:
        import polars as pl

        frame = pl.read_parquet(self.folder / "factor_coverage.parquet")
        return {r["factor"]: (r["first_date"], r["last_date"]) for r in frame.iter_rows(named=True)}
