"""The warehouse as study data: :class:`~tracker.analysis.data.StudyData` read at one log position."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from warehouse import Warehouse


class WarehouseData:
    """Returns, factors and the XNYS calendar of an open warehouse, as known at ``log_position``.

    Every read takes the same position, so a study sees one state of the log even while a
    writer appends (readers open the file read-only).
    """

    def __init__(self, warehouse: Warehouse, log_position: int):
        self.warehouse = warehouse
        self.log_position = log_position

    @classmethod
    def at(cls, warehouse: Warehouse, as_of: int | None = None) -> WarehouseData:
        """The data at ``as_of`` (validated), or at the head of the log."""
        return cls(warehouse, warehouse.position(as_of))

    def session_dates(self) -> np.ndarray:
        return self.warehouse.session_dates()

    def return_matrix(self, tickers: Sequence[str], first_session: int, last_session: int) -> np.ndarray:
        return self.warehouse.return_matrix(tickers, first_session, last_session, self.log_position)

    def factor_matrix(self, names: Sequence[str], first_session: int, last_session: int) -> np.ndarray:
        return self.warehouse.factor_matrix(names, first_session, last_session, self.log_position)

    def ticker_ranges(self, tickers: Sequence[str]) -> dict[str, tuple[dt.date, dt.date] | None]:
        frame = self.warehouse.coverage(self.log_position, tickers)
        ranges: dict[str, tuple[dt.date, dt.date] | None] = dict.fromkeys(tickers)
        ranges |= {t: (first, last) for t, first, last in frame.select("ticker", "first_date", "last_date").iter_rows()}
        return ranges

    def factor_ranges(self) -> dict[str, tuple[dt.date, dt.date]]:
        frame = self.warehouse.factor_coverage(self.log_position)
        return {r["factor"]: (r["first_date"], r["last_date"]) for r in frame.iter_rows(named=True)}
