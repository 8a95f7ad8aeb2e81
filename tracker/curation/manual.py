"""Managing events by hand: ``tracker events add | amend | retract``. Each appends one fact.

``EventAdded``
    A new event with the catalogue's fields (plus ``model``) and its aligned day 0.
``EventAmended``
    ``changes`` (field -> new value), the recomputed ``day0``/``day0_rule`` and a ``reason``.
    Amendments are laid over the event whatever its source and survive later catalogue imports
    or tagging runs that restate it.
``EventRetracted``
    ``reason``. The event leaves the ``events`` view (and studies) for good; its facts stay.
    Articles about it keep being attributed to it, so the tagger does not re-create it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from events.catalogue import EVENT_ID_PATTERN, parse_local_time
from events.companies import parse_tickers
from events.errors import EventDefinitionError
from events.kinds import DATE_PRECISIONS, check_kind
from events.sessions import align_day0, zone
from events.tagging.text import slug
from events.tickers import is_ticker
from tracker.config import Settings
from tracker.errors import TrackerError
from tracker.storage import open_writer, recorded_run
from warehouse import Warehouse
from warehouse.event_fold import AMENDABLE, EventState
from warehouse.vocabulary import ABSENT, EventAdded, EventAmended, EventRetracted, Fact


class EventNotFound(TrackerError):
    """No event with that id in the log."""


@dataclass(frozen=True)
class EventChange:
    """What an add/amend/retract did."""

    event_id: str
    fact_kind: str
    added: int
    run_id: str
    head: int
    day0: str | None = None
    day0_rule: str | None = None


def add_event(
    settings: Settings,
    *,
    name: str,
    kind: str,
    at: str,
    timezone: str,
    precision: str | None = None,
    reaction_date: str | None = None,
    org: str = "",
    model: str | None = None,
    tickers: str | None = None,
    source_url: str = "",
    notes: str = "",
    event_id: str | None = None,
) -> EventChange:
    """Record a new event (``EventAdded``), aligned to day 0 like a catalogue row."""
    name = name.strip()
    if not name:
        raise EventDefinitionError("--name is empty", hint="give the event a short name like \"DeepSeek-R1 release\"")
    announced = _local_time(at)
    precision = precision or ("day" if len(at.strip()) <= 10 else "minute")
    fields = {
        "name": name, "kind": kind, "org": org.strip(), "model": (model or "").strip() or None,
        "announced_at": announced.isoformat(timespec="minutes"), "timezone": timezone, "date_precision": precision,
        "reaction_date": reaction_date or None, "source_url": source_url.strip(), "notes": notes.strip(),
    }
    _check_fields(fields)
    event_id = (event_id or f"{announced.date().isoformat()}-{slug(name, 80)}").strip()
    if not EVENT_ID_PATTERN.match(event_id):
        raise EventDefinitionError(f"event id {event_id!r} must be a lower-case slug like 2025-01-20-deepseek-r1", hint="pass --id")
    with open_writer(settings) as warehouse:
        fold = warehouse.event_fold(news=False)
        if event_id in fold.events:
            state = fold.events[event_id]
            what = "retracted " if state.retracted is not None else ""
            raise EventDefinitionError(
                f"an {what}event {event_id!r} already exists",
                hint=f"change it with `tracker events amend {event_id} …`, or choose another --id",
            )
        day0 = align_day0(announced, timezone, precision, warehouse.calendar(), _date(fields["reaction_date"]))
        own = _tickers(tickers)
        fact = EventAdded(event_id=event_id, **fields, day0=day0.session.isoformat(), day0_rule=day0.rule,
                          tickers=list(own) if own else ABSENT)
        return _append(warehouse, "events add", {"event_id": event_id}, fact, day0)


def amend_event(settings: Settings, event_id: str, changes: dict[str, Any], reason: str = "") -> EventChange:
    """Record changes to an event (``EventAmended``); day 0 is recomputed from the amended fields."""
    changes = {k: v for k, v in changes.items() if v is not None}
    unknown = sorted(set(changes) - set(AMENDABLE))
    if unknown:
        raise EventDefinitionError(f"cannot amend {', '.join(unknown)}", hint=f"amendable fields: {', '.join(AMENDABLE)}")
    if "reaction_date" in changes and str(changes["reaction_date"]).lower() in ("", "none"):
        changes["reaction_date"] = None
    if "announced_at" in changes:
        changes["announced_at"] = _local_time(changes["announced_at"]).isoformat(timespec="minutes")
    if "tickers" in changes:
        changes["tickers"] = list(_tickers(changes["tickers"]))
    with open_writer(settings) as warehouse:
        state = _live_state(warehouse, event_id)
        current = state.row()
        effective = {k: v for k, v in changes.items() if current.get(k) != v}
        if not effective:
            raise EventDefinitionError(f"nothing to change: {event_id} already has those values")
        merged = {**current, **effective}
        _check_fields(merged)
        day0 = align_day0(
            _local_time(str(merged["announced_at"])), merged["timezone"], merged["date_precision"],
            warehouse.calendar(), _date(merged.get("reaction_date")),
        )
        fact = EventAmended(event_id=event_id, changes=effective, reason=reason.strip(),
                            day0=day0.session.isoformat(), day0_rule=day0.rule)
        return _append(warehouse, "events amend", {"event_id": event_id, "changes": effective}, fact, day0)


def retract_event(settings: Settings, event_id: str, reason: str) -> EventChange:
    """Record that an event is withdrawn from use (``EventRetracted``)."""
    if not reason.strip():
        raise EventDefinitionError("--reason is empty", hint="say why, e.g. --reason \"duplicate of 2025-01-20-deepseek-r1\"")
    with open_writer(settings) as warehouse:
        _live_state(warehouse, event_id)
        fact = EventRetracted(event_id=event_id, reason=reason.strip())
        return _append(warehouse, "events retract", {"event_id": event_id, "reason": reason.strip()}, fact, None)


def known_event(warehouse: Warehouse, event_id: str) -> EventState:
    """The folded state of ``event_id`` (retracted or not); unknown ids suggest close ones."""
    fold = warehouse.event_fold(news=False)
    state = fold.events.get(event_id)
    if state is None or state.base is None:
        import difflib

        close = difflib.get_close_matches(event_id, list(fold.events), n=3, cutoff=0.5)
        hint = f"did you mean {', '.join(close)}?" if close else "see `tracker events list`"
        raise EventNotFound(f"unknown event {event_id!r}", hint=hint)
    return state


def _live_state(warehouse: Warehouse, event_id: str) -> EventState:
    state = known_event(warehouse, event_id)
    if state.retracted is not None:
        raise EventDefinitionError(f"event {event_id} was retracted ({state.retracted})", hint="a retraction is final; add a new event instead")
    return state


def _append(warehouse: Warehouse, command: str, args: dict[str, Any], fact: Fact, day0) -> EventChange:
    with recorded_run(warehouse, command, args) as log:
        with warehouse.transaction():
            result = warehouse.append_facts([fact], log.run)
            warehouse.catch_up()
        log.counts = {"facts_added": result.added, "facts_unchanged": result.unchanged}
    return EventChange(
        fact.event_id, fact.KIND, result.added, log.run.run_id, warehouse.head(),
        day0.session.isoformat() if day0 else None, day0.rule if day0 else None,
    )


def _check_fields(fields: dict[str, Any]) -> None:
    problem = check_kind(fields.get("kind") or "")
    if problem:
        raise EventDefinitionError(problem)
    zone(fields.get("timezone") or "")
    if fields.get("date_precision") not in DATE_PRECISIONS:
        raise EventDefinitionError(
            f"precision {fields.get('date_precision')!r} must be one of {', '.join(DATE_PRECISIONS)}"
        )
    url = fields.get("source_url") or ""
    if url and not url.startswith(("http://", "https://")):
        raise EventDefinitionError(f"source url {url!r} must start with http:// or https://")
    _date(fields.get("reaction_date"))


def _tickers(text: str | None) -> tuple[str, ...]:
    tickers = parse_tickers(text)
    bad = [t for t in tickers if not is_ticker(t)]
    if bad:
        raise EventDefinitionError(f"--tickers: {', '.join(bad)} is not a ticker symbol", hint="write them like NVDA,AVGO")
    return tickers


def _local_time(text: str) -> dt.datetime:
    try:
        return parse_local_time(str(text))
    except ValueError as exc:
        raise EventDefinitionError(str(exc), hint="write --at like \"2025-01-20 09:00\" and the zone in --tz") from None


def _date(text: Any) -> dt.date | None:
    if text in (None, ""):
        return None
    if isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat(str(text))
    except ValueError:
        raise EventDefinitionError(f"reaction date {text!r} is not a date like 2025-01-27") from None
