"""Trading sessions of the New York Stock Exchange and the rule that gives an event its day 0.

The calendar comes from `exchange-calendars <https://github.com/gerrymanoim/exchange_calendars>`_
(``XNYS``): holidays, special closures (e.g. 2025-01-09) and early closes (e.g. 13:00 on
2024-11-29). :class:`SessionCalendar` keeps only plain dates and close times, so every lookup
after construction is pure and cheap; the warehouse stores the same table for SQL users.

Day 0 (the first session an event could move):

* ``date_precision = "day"``: the first session on or after the event's *local* calendar date.
* ``"hour"``/``"minute"``: convert the announcement to New York time; if it falls before the
  close of that date's session, day 0 is that session, otherwise the next session.
* A manual ``reaction_date`` overrides both; it must itself be a session.
"""

from __future__ import annotations

import bisect
import functools
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from events.errors import EventDefinitionError
from events.kinds import DATE_PRECISIONS

NEW_YORK = ZoneInfo("America/New_York")
CALENDAR_NAME = "XNYS"
#: Range of the stored calendar. Bars or events outside it are rejected with a clear error.
CALENDAR_START = dt.date(1990, 1, 1)
CALENDAR_END = dt.date(2035, 12, 31)


class SessionCalendar:
    """Sorted trading sessions with their close times (UTC).

    Build the real one with :meth:`xnys`; tests and the warehouse may build one from stored rows.
    """

    def __init__(self, dates: list[dt.date], closes_utc: list[dt.datetime], name: str = CALENDAR_NAME):
        if len(dates) != len(closes_utc):
            raise ValueError("dates and closes must have the same length")
        self.name = name
        self.dates = list(dates)
        self.closes_utc = list(closes_utc)
        self._index = {d: i for i, d in enumerate(self.dates)}

    @classmethod
    def xnys(cls, start: dt.date = CALENDAR_START, end: dt.date = CALENDAR_END) -> SessionCalendar:
        """The NYSE calendar from exchange-calendars (imported lazily: it pulls in pandas). Cached."""
        return _xnys(start, end)

    def __len__(self) -> int:
        return len(self.dates)

    @property
    def first(self) -> dt.date:
        return self.dates[0]

    @property
    def last(self) -> dt.date:
        return self.dates[-1]

    def is_session(self, day: dt.date) -> bool:
        return day in self._index

    def index_of(self, session: dt.date) -> int:
        """Position of a session in the calendar (raises KeyError for non-sessions)."""
        return self._index[session]

    def close_of(self, session: dt.date) -> dt.datetime:
        return self.closes_utc[self._index[session]]

    def first_on_or_after(self, day: dt.date) -> dt.date:
        self._check_range(day)
        i = bisect.bisect_left(self.dates, day)
        if i == len(self.dates):
            raise EventDefinitionError(f"no {self.name} session on or after {day} in the calendar (ends {self.last})")
        return self.dates[i]

    def next_after(self, session: dt.date) -> dt.date:
        self._check_range(session)
        i = bisect.bisect_right(self.dates, session)
        if i == len(self.dates):
            raise EventDefinitionError(f"no {self.name} session after {session} in the calendar (ends {self.last})")
        return self.dates[i]

    def _check_range(self, day: dt.date) -> None:
        if not (self.first <= day <= self.last):
            raise EventDefinitionError(
                f"{day} is outside the {self.name} calendar ({self.first} .. {self.last})"
            )


@functools.lru_cache(maxsize=4)
def _xnys(start: dt.date, end: dt.date) -> SessionCalendar:
    import exchange_calendars

    cal = exchange_calendars.get_calendar(CALENDAR_NAME, start=start.isoformat(), end=end.isoformat())
    closes = cal.closes
    dates = [ts.date() for ts in closes.index]
    closes_utc = [ts.to_pydatetime() for ts in closes]
    return SessionCalendar(dates, closes_utc)


@dataclass(frozen=True)
class Day0:
    """The aligned first session, with the sentence that explains how it was chosen."""

    session: dt.date
    rule: str


def zone(name: str) -> ZoneInfo:
    """An IANA time zone, or an :class:`EventDefinitionError` naming the bad value."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise EventDefinitionError(
            f"unknown time zone {name!r}", hint="use an IANA name such as America/New_York or Asia/Shanghai"
        ) from None


def align_day0(
    announced_at: dt.datetime,
    timezone: str,
    precision: str,
    calendar: SessionCalendar,
    reaction_date: dt.date | None = None,
) -> Day0:
    """Return the first session an event could move.

    Parameters
    ----------
    announced_at
        Local wall-clock time of the announcement (naive; interpreted in ``timezone``).
    timezone
        IANA zone of ``announced_at``.
    precision
        ``"day"``, ``"hour"`` or ``"minute"``.
    calendar
        The session calendar (XNYS).
    reaction_date
        Manual override; must be a session.
    """
    if announced_at.tzinfo is not None:
        raise EventDefinitionError(f"announced_at {announced_at.isoformat()} must be local wall-clock time without an offset")
    tz = zone(timezone)
    if precision not in DATE_PRECISIONS:
        raise EventDefinitionError(f"unknown date precision {precision!r} (use one of {', '.join(DATE_PRECISIONS)})")
    if reaction_date is not None:
        if not calendar.is_session(reaction_date):
            raise EventDefinitionError(
                f"reaction_date {reaction_date} is not an {calendar.name} session",
                hint="give a trading day, or leave it empty to align automatically",
            )
        return Day0(reaction_date, f"manual reaction_date {reaction_date}")
    if precision == "day":
        local_day = announced_at.date()
        session = calendar.first_on_or_after(local_day)
        return Day0(session, f"day precision: first session on or after {local_day} ({timezone} date)")
    moment = announced_at.replace(tzinfo=tz)
    ny = moment.astimezone(NEW_YORK)
    session = calendar.first_on_or_after(ny.date())
    if session == ny.date() and moment >= calendar.close_of(session):
        after = calendar.next_after(session)
        close_ny = calendar.close_of(session).astimezone(NEW_YORK)
        return Day0(after, f"{ny:%Y-%m-%d %H:%M} New York is at or after the {close_ny:%H:%M} close; next session")
    if session == ny.date():
        close_ny = calendar.close_of(session).astimezone(NEW_YORK)
        return Day0(session, f"{ny:%Y-%m-%d %H:%M} New York is before the {close_ny:%H:%M} close of that session")
    return Day0(session, f"{ny:%Y-%m-%d %H:%M} New York is not a session day; next session")
