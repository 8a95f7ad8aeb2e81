"""Folding event facts into the current list of events (a pure projector, no SQL).

The warehouse reads the event facts of the log in ``seq`` order and hands them here; the
result becomes the ``events`` view (and the tagger's and ``tracker events`` commands' view of
every event, retracted ones included). Each fact kind of :mod:`warehouse.vocabulary` that
concerns events has one handler in ``HANDLERS``:

``EventCatalogued``  a row of the curated catalogue (source ``catalogue``)
``EventAdded``       an event entered by hand with ``tracker events add`` (source ``manual``)
``EventTagged``      an event the tagger found in the news (source ``tagger``); a later fact
                     with more evidence replaces it, one with ``withdrawn`` hides it again
``EventAmended``     field changes laid over the event, whatever its source, and kept when
                     a later catalogue import or tagging run restates the event
``EventRetracted``   removes the event from the view for good (it stays in the log)
``NewsTagged``       an article attributed to an event; counted in ``news_count``
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from events.companies import tickers_of
from warehouse.vocabulary import (
    EVENT_KINDS,
    EventAdded,
    EventAmended,
    EventCatalogued,
    EventRetracted,
    EventTagged,
    NewsTagged,
)

EventRow = dict[str, Any]

#: Columns of the ``events`` view, in order.
EVENT_COLUMNS = (
    "event_id", "name", "kind", "org", "model", "tickers", "announced_at", "timezone", "date_precision",
    "reaction_date", "day0", "day0_rule", "source", "source_url", "notes", "confidence", "news_count", "seq",
)
#: Fields ``EventAmended`` may change (``day0``/``day0_rule`` come with it, recomputed).
AMENDABLE = (
    "name", "kind", "org", "model", "tickers", "announced_at", "timezone", "date_precision", "reaction_date",
    "source_url", "notes",
)
SOURCES = {EventCatalogued.KIND: "catalogue", EventAdded.KIND: "manual", EventTagged.KIND: "tagger"}


@dataclass
class EventState:
    """Everything the log says about one event id."""

    base: EventRow | None = None
    overlay: dict[str, Any] = field(default_factory=dict)
    withdrawn: bool = False
    retracted: str | None = None  # the reason, once retracted
    seq: int = 0

    @property
    def visible(self) -> bool:
        return self.base is not None and not self.withdrawn and self.retracted is None

    def row(self, news_count: int = 0) -> EventRow:
        row = {column: (self.base or {}).get(column) for column in EVENT_COLUMNS}
        row.update(self.overlay)
        # the tickers it concerns: its own list, else those of the organisations it names
        row["tickers"] = list(row.get("tickers") or tickers_of(row.get("org")))
        row["news_count"] = news_count
        row["seq"] = self.seq
        return row


@dataclass
class EventFold:
    """The fold's state: events by id, and the event each tagged article belongs to."""

    events: dict[str, EventState] = field(default_factory=dict)
    news_events: dict[str, str] = field(default_factory=dict)

    def state(self, event_id: str) -> EventState:
        return self.events.setdefault(event_id, EventState())


Handler = Callable[[EventFold, int, Mapping[str, Any]], None]


def _stated(fold: EventFold, seq: int, content: Mapping[str, Any], fact_kind: str) -> None:
    state = fold.state(content["event_id"])
    state.base = {column: content.get(column) for column in EVENT_COLUMNS}
    state.base["source"] = SOURCES[fact_kind]
    state.withdrawn = bool(content.get("withdrawn"))
    state.seq = seq


def _catalogued(fold: EventFold, seq: int, content: Mapping[str, Any]) -> None:
    _stated(fold, seq, content, EventCatalogued.KIND)


def _added(fold: EventFold, seq: int, content: Mapping[str, Any]) -> None:
    _stated(fold, seq, content, EventAdded.KIND)


def _tagged(fold: EventFold, seq: int, content: Mapping[str, Any]) -> None:
    _stated(fold, seq, content, EventTagged.KIND)


def _amended(fold: EventFold, seq: int, content: Mapping[str, Any]) -> None:
    state = fold.state(content["event_id"])
    changes = {k: v for k, v in (content.get("changes") or {}).items() if k in AMENDABLE}
    state.overlay.update(changes)
    if "day0" in content:
        state.overlay["day0"] = content["day0"]
        state.overlay["day0_rule"] = content.get("day0_rule")
    state.seq = seq


def _retracted(fold: EventFold, seq: int, content: Mapping[str, Any]) -> None:
    state = fold.state(content["event_id"])
    state.retracted = content.get("reason") or "retracted"
    state.seq = seq


def _news_tagged(fold: EventFold, seq: int, content: Mapping[str, Any]) -> None:
    news_id, event_id = content.get("news_id"), content.get("event_id")
    if not news_id:
        return
    if event_id and content.get("kind"):
        fold.news_events[news_id] = event_id
    else:
        fold.news_events.pop(news_id, None)


HANDLERS: dict[str, Handler] = {
    EventCatalogued.KIND: _catalogued,
    EventAdded.KIND: _added,
    EventTagged.KIND: _tagged,
    EventAmended.KIND: _amended,
    EventRetracted.KIND: _retracted,
    NewsTagged.KIND: _news_tagged,
}
#: The kinds this fold reads: the event kinds and the articles' tags.
FOLDED_KINDS = (*EVENT_KINDS, NewsTagged)
_EVENT_KIND_NAMES = frozenset(kind.KIND for kind in EVENT_KINDS)


def apply_event_facts(fold: EventFold, facts: Iterable[tuple[int, str, Mapping[str, Any]]]) -> set[str]:
    """Apply more event facts ``(seq, kind, content)`` to ``fold``, in order; return the ids of the
    events they state, amend or retract (articles' tags aside)."""
    changed = set()
    for seq, kind, content in facts:
        handler = HANDLERS.get(kind)
        if handler is not None:
            handler(fold, seq, content)
            if kind in _EVENT_KIND_NAMES:
                changed.add(content["event_id"])
    return changed


def fold_event_facts(facts: Iterable[tuple[int, str, Mapping[str, Any]]]) -> EventFold:
    """Apply event facts ``(seq, kind, content)`` in order; return the full state (retracted included)."""
    fold = EventFold()
    apply_event_facts(fold, facts)
    return fold


def visible_rows(fold: EventFold) -> list[EventRow]:
    """The rows of the ``events`` view: visible events sorted by day 0 and id."""
    counts: dict[str, int] = {}
    for event_id in fold.news_events.values():
        counts[event_id] = counts.get(event_id, 0) + 1
    rows = []
    for event_id, state in fold.events.items():
        if state.visible:
            row = state.row(counts.get(event_id, 0))
            row["event_id"] = event_id
            rows.append(row)
    return sorted(rows, key=lambda r: (r["day0"] or "", r["event_id"]))


def fold_events(facts: Iterable[tuple[int, str, Mapping[str, Any]]]) -> list[EventRow]:
    """Apply event facts ``(seq, kind, content)`` in order; return the visible events sorted by day 0 and id."""
    return visible_rows(fold_event_facts(facts))
