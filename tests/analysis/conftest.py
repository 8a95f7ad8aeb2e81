"""The event-study maths tests run on synthetic markets in memory (``tests/markets.py``): the
engine is pure, so they build no warehouse. The independent reference (``reference_impl.py``,
the ``reference`` fixture) reads the same plain frames, never the engine's structures.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def reference():
    """The independent reference implementation (loops, statsmodels, scipy), as a module."""
    path = Path(__file__).with_name("reference_impl.py")
    spec = importlib.util.spec_from_file_location("event_study_reference", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def engine():
    """``engine(market, [(ticker, day0, event_id), ...], **fit_options)`` -> StudyResult, on the market in memory.

    ``exclude_events`` and ``exclude_within`` build the exclusion from the market's events.
    """
    from tracker.analysis import EventStudy, Exclusion, FirmEvent

    def run(market, firm_events, *, benchmark="MKT", exclude_events=(), exclude_within=1, **options):
        events = [FirmEvent(ticker, event_id, day0, day0) for ticker, day0, event_id in firm_events]
        if exclude_events:
            options["exclusion"] = Exclusion.around(market.event_rows(), tuple(exclude_events), exclude_within)
        return EventStudy(market.data(), events, market=benchmark).fit(**options)

    return run
