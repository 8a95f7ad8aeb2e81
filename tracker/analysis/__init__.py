"""Event-study analysis: firm-event panels, expected-return models, abnormal returns and tests."""

from tracker.analysis.models import MODELS, ModelSpec
from tracker.analysis.panel import Exclusion, FirmEvent, Skipped
from tracker.analysis.results import StudyResult, WindowResult
from tracker.analysis.statistics import CLUSTER_ROBUST, TEST_NAMES, TestResult
from tracker.analysis.study import EventStudy

__all__ = [
    "CLUSTER_ROBUST", "MODELS", "TEST_NAMES", "EventStudy", "Exclusion", "FirmEvent", "ModelSpec", "Skipped",
    "StudyResult", "TestResult", "WindowResult",
]
