"""Studies as users ask for them: a request (an event id and tickers, or a file of firm-events)
resolved against the warehouse (:mod:`~tracker.study.request`), and the warehouse as the engine's
data (:mod:`~tracker.study.data`). The engine itself is :mod:`tracker.analysis`."""

from tracker.study.data import WarehouseData
from tracker.study.request import StudyRequest, run_study

__all__ = ["StudyRequest", "WarehouseData", "run_study"]
