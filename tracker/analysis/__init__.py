"""Event-study analysis: firm-event panels, expected-return models, abnormal returns and tests.

The pure core of the tracker: numpy and polars only, no DuckDB and no warehouse. It reads its
inputs through :class:`StudyData` (the warehouse adapts itself in :mod:`tracker.study`;
:class:`InMemoryData` holds frames).
"""

from tracker.analysis.data import InMemoryData, StudyData
from tracker.analysis.models import MODELS, ModelSpec
from tracker.analysis.panel import ExcludedEvent, Exclusion, FirmEvent, Skipped
from tracker.analysis.results import StudyResult, WindowResult
from tracker.analysis.statistics import CLUSTER_ROBUST, TEST_NAMES, TestResult
from tracker.analysis.study import EventStudy

__all__ = [
    "CLUSTER_ROBUST", "MODELS", "TEST_NAMES", "EventStudy", "ExcludedEvent", "Exclusion", "FirmEvent", "InMemoryData", "ModelSpec",
    "Skipped", "StudyData", "StudyResult", "TestResult", "WindowResult",
]
