"""Who is studied: the events of a kind, their names, and the other events inside their windows.

``tracker study --kind model_release --since 2024-01-01 --org OpenAI --tickers NVDA,AAPL`` studies
every visible event of that kind (catalogue, manual and tagger events) for every ticker. Two events
with the same day 0 for one ticker become one firm-event in the engine (see
:func:`tracker.analysis.panel.merge_shared_day0`); this module names them, and flags a firm-event
whose event window holds the day 0 of another curated event that concerns its ticker (Janus-Pro's
window −1..+1 holds the 2025-01-27 selloff): its abnormal returns carry that event too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np

from events.kinds import EVENT_KINDS, concerns
from tracker.analysis import FirmEvent, StudyResult
from tracker.errors import StudyError, StudyOptionError

#: The events whose day 0 in a window is flagged: the curated ones (the tagger's are many and noisy).
OVERLAP_SOURCES = ("catalogue", "manual")


def events_of_kind(
    events: Sequence[dict[str, Any]],
    kind: str,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    org: str | None = None,
) -> list[dict[str, Any]]:
    """The dated events of ``kind`` with day 0 in ``[since, until]`` whose organisation contains ``org``."""
    if kind not in EVENT_KINDS:
        raise StudyOptionError("kind", kind, "unknown event kind", hint=f"known kinds: {', '.join(EVENT_KINDS)}")
    if since and until and since > until:
        raise StudyOptionError("since", since.isoformat(), f"is after --until {until}")
    chosen = [
        e for e in events
        if e["kind"] == kind and e.get("day0") is not None
        and (since is None or e["day0"] >= since) and (until is None or e["day0"] <= until)
        and (not org or org.lower() in (e.get("org") or "").lower())
    ]
    if not chosen:
        said = ", ".join(f"{k} {v}" for k, v in (("since", since), ("until", until), ("org", org)) if v)
        raise StudyError(f"no {kind} event" + (f" with {said}" if said else ""),
                         hint=f"list them with `tracker events list --kind {kind}`")
    return sorted(chosen, key=lambda e: (e["day0"], e["event_id"]))


def firm_events_of(events: Sequence[dict[str, Any]], tickers: Sequence[str]) -> list[FirmEvent]:
    """Every ticker around every event (the event date is the announcement's local date)."""
    firm_events = []
    for e in events:
        announced = dt.date.fromisoformat(str(e["announced_at"])[:10]) if e.get("announced_at") else e["day0"]
        firm_events += [FirmEvent(ticker, e["event_id"], announced, e["day0"]) for ticker in tickers]
    return firm_events


def overlapping_events(result: StudyResult, events: Sequence[dict[str, Any]], sessions: np.ndarray) -> list[dict[str, Any]]:
    """Studied firm-events whose event period (every window) holds another curated event's day 0.

    One entry per firm-event: ``ticker, event_id, day0`` and ``others``, each ``event_id, name,
    kind, day0, offset`` (its day 0 in sessions from the firm-event's day 0).
    """
    index = {day: i for i, day in enumerate(sessions.astype(object).tolist())}
    curated = [e for e in events if e.get("source") in OVERLAP_SOURCES and e.get("day0") in index]
    if not curated:
        return []
    centres = np.array([index[e["day0"]] for e in curated], dtype=np.int64)
    order = np.argsort(centres, kind="stable")
    centres = centres[order]
    curated = [curated[i] for i in order]
    first, last = result.period
    found = []
    for fe in result.firm_events:
        day0 = index[fe.day0]
        lo, hi = np.searchsorted(centres, day0 + first, "left"), np.searchsorted(centres, day0 + last, "right")
        own = set((fe.event_id or "").split("+"))
        others = [
            {"event_id": e["event_id"], "name": e.get("name"), "kind": e["kind"], "day0": e["day0"].isoformat(),
             "offset": int(centres[j] - day0)}
            for j, e in zip(range(lo, hi), curated[lo:hi])
            if e["event_id"] not in own and concerns(e["kind"], e.get("tickers") or (), fe.ticker)
        ]
        if others:
            found.append({"ticker": fe.ticker, "event_id": fe.event_id, "day0": fe.day0.isoformat(), "others": others})
    return found
