"""Folding event facts into the current list of events (a pure projector).

The warehouse reads the event facts of the log in ``seq`` order and hands them here; the
result becomes the ``events`` view. Each fact kind has one handler in ``HANDLERS``, so a new
kind (tagged events, retractions, amendments) is one function more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

EventRow = dict[str, Any]
Handler = Callable[[dict[str, EventRow], int, Mapping[str, Any]], None]

#: Columns of the ``events`` view, in order.
EVENT_COLUMNS = (
    "event_id", "name", "kind", "org", "announced_at", "timezone", "date_precision",
    "reaction_date", "day0", "day0_rule", "source", "source_url", "notes", "seq",
)


def _catalogued(events: dict[str, EventRow], seq: int, content: Mapping[str, Any]) -> None:
    row = {column: content.get(column) for column in EVENT_COLUMNS}
    row["source"] = "catalogue"
    row["seq"] = seq
    events[content["event_id"]] = row


HANDLERS: dict[str, Handler] = {
    "EventCatalogued": _catalogued,
}


def fold_events(facts: Iterable[tuple[int, str, Mapping[str, Any]]]) -> list[EventRow]:
    """Apply event facts ``(seq, kind, content)`` in order; return rows sorted by day 0 and id."""
    events: dict[str, EventRow] = {}
    for seq, kind, content in facts:
        handler = HANDLERS.get(kind)
        if handler is not None:
            handler(events, seq, content)
    return sorted(events.values(), key=lambda r: (r["day0"] or "", r["event_id"]))
