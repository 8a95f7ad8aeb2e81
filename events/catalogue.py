"""The curated event catalogue: its row format, validation and alignment to day 0.

Format (``ai_events.csv``): ``event_id,name,kind,org,announced_at,timezone,date_precision,
source_url,notes`` and optional ``reaction_date`` and ``tickers`` columns (the tickers an event
concerns, separated by spaces or ``;``; without them they come from ``org``, see
:mod:`events.companies`). ``announced_at`` is local
wall-clock time in ``timezone`` (``2025-01-20T00:00``); with ``date_precision=day`` the time
part means "sometime that local day".

This module does no I/O: callers hand it rows (dicts of strings) and a session calendar.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from events.companies import parse_tickers
from events.errors import EventDefinitionError
from events.kinds import DATE_PRECISIONS, check_kind
from events.sessions import Day0, SessionCalendar, align_day0, zone
from events.tickers import is_ticker

REQUIRED_COLUMNS = (
    "event_id", "name", "kind", "org", "announced_at", "timezone", "date_precision", "source_url", "notes",
)
OPTIONAL_COLUMNS = ("reaction_date", "tickers")
EVENT_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,119}$")
_LOCAL_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$")
MAX_REPORTED_PROBLEMS = 10


class CatalogueError(EventDefinitionError):
    """A catalogue file has bad rows; ``problems`` lists ``(line, message)`` pairs."""

    def __init__(self, source: str, problems: list[tuple[int, str]]):
        shown = "\n".join(f"  line {line}: {msg}" for line, msg in problems[:MAX_REPORTED_PROBLEMS])
        more = len(problems) - MAX_REPORTED_PROBLEMS
        tail = f"\n  … and {more} more" if more > 0 else ""
        super().__init__(
            f"event catalogue {source} rejected, nothing from it was stored "
            f"({len(problems)} problem{'s' if len(problems) != 1 else ''}):\n{shown}{tail}",
            hint=None,
        )
        self.source = source
        self.problems = problems


@dataclass(frozen=True)
class CatalogueEvent:
    """One curated event, as written in the catalogue, plus its aligned day 0."""

    event_id: str
    name: str
    kind: str
    org: str
    announced_at: str  # local wall-clock, ISO ``YYYY-MM-DDTHH:MM``
    timezone: str
    date_precision: str
    source_url: str
    notes: str
    reaction_date: str | None
    day0: str
    day0_rule: str
    tickers: tuple[str, ...] = ()

    def content(self) -> dict[str, Any]:
        """The fact content recorded in the log (``tickers`` only when the row gives some)."""
        content = asdict(self)
        tickers = content.pop("tickers")
        return content | ({"tickers": list(tickers)} if tickers else {})


def parse_local_time(text: str) -> dt.datetime:
    """Parse ``YYYY-MM-DD[THH:MM[:SS]]`` as a naive local time; offsets are refused."""
    m = _LOCAL_TIME.match(text.strip())
    if not m:
        raise ValueError(f"announced_at {text!r} is not local time like 2025-01-20T09:30 (no offset; the zone goes in 'timezone')")
    day = dt.date.fromisoformat(m.group(1))
    hour, minute, second = (int(g) if g else 0 for g in m.group(2, 3, 4))
    return dt.datetime(day.year, day.month, day.day, hour, minute, second)


def parse_catalogue(
    rows: Iterable[Mapping[str, str | None]],
    columns: Iterable[str],
    calendar: SessionCalendar,
    source: str = "catalogue",
) -> list[CatalogueEvent]:
    """Validate catalogue rows and align each to day 0.

    All-or-nothing: any bad row raises :class:`CatalogueError` listing every problem with its
    line number (the header is line 1).
    """
    columns = [c.strip() for c in columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    unknown = [c for c in columns if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s) {', '.join(unknown)}")
        raise CatalogueError(source, [(1, "; ".join(parts) + f" (expected {','.join(REQUIRED_COLUMNS)}[,reaction_date][,tickers])")])

    problems: list[tuple[int, str]] = []
    events: list[CatalogueEvent] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        try:
            event = _parse_row(row, calendar)
        except (ValueError, EventDefinitionError) as exc:
            problems.append((line, str(exc)))
            continue
        if event.event_id in seen:
            problems.append((line, f"duplicate event_id {event.event_id!r} (first on line {seen[event.event_id]})"))
            continue
        seen[event.event_id] = line
        events.append(event)
    if problems:
        raise CatalogueError(source, problems)
    if not events:
        raise CatalogueError(source, [(2, "no events in file")])
    return events


def _parse_row(row: Mapping[str, str | None], calendar: SessionCalendar) -> CatalogueEvent:
    def field(name: str) -> str:
        return (row.get(name) or "").strip()

    event_id = field("event_id")
    if not EVENT_ID_PATTERN.match(event_id):
        raise ValueError(f"event_id {event_id!r} must be a lower-case slug like 2025-01-20-deepseek-r1")
    for required in ("name", "kind", "announced_at", "timezone", "date_precision"):
        if not field(required):
            raise ValueError(f"{required} is empty")
    kind_problem = check_kind(field("kind"))
    if kind_problem:
        raise ValueError(kind_problem)
    precision = field("date_precision")
    if precision not in DATE_PRECISIONS:
        raise ValueError(f"date_precision {precision!r} must be one of {', '.join(DATE_PRECISIONS)}")
    zone(field("timezone"))
    announced = parse_local_time(field("announced_at"))
    reaction_text = field("reaction_date") or None
    reaction = None
    if reaction_text:
        try:
            reaction = dt.date.fromisoformat(reaction_text)
        except ValueError:
            raise ValueError(f"reaction_date {reaction_text!r} is not a date like 2025-01-27") from None
    tickers = parse_tickers(field("tickers"))
    bad = [t for t in tickers if not is_ticker(t)]
    if bad:
        raise ValueError(f"tickers: {', '.join(bad)} is not a ticker symbol like NVDA")
    url = field("source_url")
    if url and not url.startswith(("http://", "https://")):
        raise ValueError(f"source_url {url!r} must start with http:// or https://")
    day0: Day0 = align_day0(announced, field("timezone"), precision, calendar, reaction)
    return CatalogueEvent(
        event_id=event_id,
        name=field("name"),
        kind=field("kind"),
        org=field("org"),
        announced_at=announced.isoformat(timespec="minutes"),
        timezone=field("timezone"),
        date_precision=precision,
        source_url=url,
        notes=field("notes"),
        reaction_date=reaction.isoformat() if reaction else None,
        day0=day0.session.isoformat(),
        day0_rule=day0.rule,
        tickers=tickers,
    )
