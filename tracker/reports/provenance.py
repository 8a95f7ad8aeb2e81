"""Where a study's numbers came from: the log position, the price sources and the event's source.

Read from the warehouse at the study's own log position, so a report made later with
``--as-of`` names the same sources as the original.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from events.errors import EventDefinitionError
from tracker.analysis import StudyResult
from warehouse import Warehouse


@dataclass(frozen=True)
class PriceSource:
    """Bars from one source label (file, feed) that the study read."""

    source: str
    tickers: tuple[str, ...]
    bars: int
    bars_with_adj_close: int
    first_date: dt.date
    last_date: dt.date
    runs: tuple[tuple[str, str, str], ...]  # (run_id, command, started_at)


@dataclass(frozen=True)
class Provenance:
    log_position: int
    log_head: int
    first_date: dt.date  # first bar a return in the study can use
    last_date: dt.date
    price_sources: tuple[PriceSource, ...]
    tickers_without_bars: tuple[str, ...]


def collect_provenance(warehouse: Warehouse, result: StudyResult) -> Provenance:
    """Sources of the bars behind ``result``, as known at its log position."""
    position = int(result.log_position)
    calendar = warehouse.calendar()
    event_day0 = result.event.get("day0")
    studied = [result.firm_events[i] for w in result.by_window for i in w.rows.tolist()]
    skipped = [s for w in result.by_window for s in w.skipped]
    day0s = {fe.day0.isoformat() for fe in studied}
    day0s |= {event_day0 or _first_session(s.event_date, calendar) for s in skipped}
    day0s = sorted(day0s - {None})
    tickers = sorted({fe.ticker for fe in studied} | {s.ticker for s in skipped} | ({result.market} if result.market else set())
                     | {fe.market for fe in studied if fe.market and result.market})  # benchmarks of their own
    last_offset = max(w[1] for w in result.windows)
    if day0s:
        first_index = calendar.index_of(dt.date.fromisoformat(day0s[0])) + int(result.estimation[0]) - 1
        last_index = calendar.index_of(dt.date.fromisoformat(day0s[-1])) + last_offset
        first = calendar.dates[max(0, first_index)]
        last = calendar.dates[min(len(calendar) - 1, last_index)]
    else:
        first = last = calendar.first
    frame = warehouse.price_sources(position, tickers, first, last)
    groups: dict[str, dict[str, Any]] = {}
    for row in frame.iter_rows(named=True):
        group = groups.setdefault(row["source"] or "(no source recorded)", {
            "tickers": set(), "bars": 0, "adj": 0, "first": row["first_date"], "last": row["last_date"], "runs": {},
        })
        group["tickers"].add(row["ticker"])
        group["bars"] += int(row["bars"])
        group["adj"] += int(row["bars_with_adj_close"])
        group["first"] = min(group["first"], row["first_date"])
        group["last"] = max(group["last"], row["last_date"])
        started = row["run_started_at"]
        group["runs"][row["run_id"]] = (
            row["run_id"] or "", row["command"] or "",
            started.strftime("%Y-%m-%d %H:%M UTC") if hasattr(started, "strftime") else str(started or ""),
        )
    sources = tuple(
        PriceSource(
            source=name,
            tickers=tuple(sorted(g["tickers"])),
            bars=g["bars"],
            bars_with_adj_close=g["adj"],
            first_date=g["first"],
            last_date=g["last"],
            runs=tuple(sorted(g["runs"].values())),
        )
        for name, g in sorted(groups.items())
    )
    seen = set(frame["ticker"].to_list())
    return Provenance(
        log_position=position,
        log_head=warehouse.position(),
        first_date=first,
        last_date=last,
        price_sources=sources,
        tickers_without_bars=tuple(t for t in tickers if t not in seen),
    )


def _first_session(event_date: dt.date, calendar) -> str | None:
    """Day 0 of a skipped panel firm-event (first session on or after its date), if in the calendar."""
    try:
        return calendar.first_on_or_after(event_date).isoformat()
    except EventDefinitionError:  # outside the calendar: there is nothing to read for it
        return None
