"""Event-study analysis: firm-event panels, expected-return models, abnormal returns and tests."""

from tracker.analysis.panel import FirmEvent, Skipped
from tracker.analysis.results import StudyResult
from tracker.analysis.statistics import TestResult
from tracker.analysis.study import MODELS, EventStudy

__all__ = ["MODELS", "EventStudy", "FirmEvent", "Skipped", "StudyResult", "TestResult"]
