"""Day-0 alignment on the XNYS calendar (exchange-calendars)."""

from __future__ import annotations

import datetime as dt

import pytest

from events.errors import EventDefinitionError
from events.sessions import SessionCalendar, align_day0


@pytest.fixture(scope="module")
def xnys() -> SessionCalendar:
    return SessionCalendar.xnys()


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("announced", "zone", "precision", "expected"),
    [
        # the examples
        ("2025-01-20T00:00", "Asia/Shanghai", "day", "2025-01-21"),  # MLK day closed -> next session
        ("2025-02-26T16:20", "America/New_York", "minute", "2025-02-27"),  # after the close
        ("2024-05-13T10:00", "America/Los_Angeles", "hour", "2024-05-13"),  # 13:00 New York, before close
        # early close on the day after Thanksgiving 2024: 13:00 New York
        ("2024-11-29T12:59", "America/New_York", "minute", "2024-11-29"),
        ("2024-11-29T13:00", "America/New_York", "minute", "2024-12-02"),
        ("2024-11-29T13:30", "America/New_York", "minute", "2024-12-02"),
        # a Saturday release -> Monday; the national day of mourning 2025-01-09 is closed
        ("2025-04-05T00:00", "America/Los_Angeles", "day", "2025-04-07"),
        ("2025-01-09T00:00", "America/New_York", "day", "2025-01-10"),
        # 20:00 Los Angeles on Presidents' Day = 23:00 New York on a closed day -> next session
        ("2025-02-17T20:00", "America/Los_Angeles", "hour", "2025-02-18"),
        # late evening in Beijing is the morning in New York on the same US date
        ("2025-01-27T22:00", "Asia/Shanghai", "minute", "2025-01-27"),
        # 16:00 exactly is not before the close
        ("2025-04-15T16:00", "America/New_York", "hour", "2025-04-16"),
    ],
)
def test_day0(xnys, announced, zone, precision, expected):
    assert align_day0(at(announced), zone, precision, xnys).session == dt.date.fromisoformat(expected)


def test_day_precision_uses_the_local_calendar_date(xnys):
    # 2025-01-28 in Beijing is still 2025-01-27 in New York, but a day-precision event keeps its local date
    assert align_day0(at("2025-01-28T00:00"), "Asia/Shanghai", "day", xnys).session == dt.date(2025, 1, 28)


def test_manual_reaction_date_overrides(xnys):
    day0 = align_day0(at("2025-01-20T00:00"), "Asia/Shanghai", "day", xnys, reaction_date=dt.date(2025, 1, 27))
    assert day0.session == dt.date(2025, 1, 27)
    assert "manual" in day0.rule


def test_reaction_date_must_be_a_session(xnys):
    with pytest.raises(EventDefinitionError, match="2025-01-25 is not an XNYS session"):
        align_day0(at("2025-01-20T00:00"), "Asia/Shanghai", "day", xnys, reaction_date=dt.date(2025, 1, 25))


def test_bad_zone_and_precision_are_named(xnys):
    with pytest.raises(EventDefinitionError, match="unknown time zone 'Mars/Olympus'"):
        align_day0(at("2025-01-20T00:00"), "Mars/Olympus", "day", xnys)
    with pytest.raises(EventDefinitionError, match="unknown date precision 'week'"):
        align_day0(at("2025-01-20T00:00"), "UTC", "week", xnys)


def test_outside_the_calendar(xnys):
    with pytest.raises(EventDefinitionError, match="outside the XNYS calendar"):
        align_day0(at("1985-01-02T00:00"), "America/New_York", "day", xnys)


def test_calendar_knows_holidays_and_early_closes(xnys):
    assert not xnys.is_session(dt.date(2026, 11, 26))  # Thanksgiving 2026
    assert xnys.close_of(dt.date(2024, 11, 29)).hour == 18  # 13:00 New York = 18:00 UTC
    assert xnys.close_of(dt.date(2024, 11, 27)).hour == 21  # a regular 16:00 close in winter
