"""Setting up a study from what a user names: an event id and tickers, or a file of firm-events.

This is the library function behind ``tracker study`` (and the demo): it resolves the event,
the tickers and the events excluded from estimation as known at the requested log position,
then runs :class:`EventStudy` on the warehouse's data at that position (:class:`WarehouseData`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.analysis import EventStudy, Exclusion, FirmEvent, StudyResult
from tracker.config import Settings
from tracker.errors import InputFileError, MissingSeries, StudyError, StudyOptionError
from events.tickers import TICKER_PATTERN
from tracker.storage import open_reader
from tracker.study.data import WarehouseData
from tracker.study.sample import events_of_kind, firm_events_of, overlapping_events
from warehouse import Warehouse

EVENT_FIELDS = ("event_id", "name", "kind", "org", "announced_at", "timezone", "date_precision",
                "reaction_date", "day0", "day0_rule", "source", "source_url")


@dataclass(frozen=True)
class StudyRequest:
    """What to study; ``None`` fields fall back to the settings' defaults."""

    event_id: str | None = None
    events_file: Path | None = None
    kind: str | None = None  # every event of this kind (with since, until, org)
    since: dt.date | None = None
    until: dt.date | None = None
    org: str | None = None
    tickers: tuple[str, ...] | None = None
    market: str | None = None
    #: ``(ticker, benchmark)`` pairs: every firm-event of the ticker is measured against its
    #: benchmark instead of ``market`` (market and market-adjusted models). An events file's
    #: ``market`` column gives one firm-event its own; the two must agree where both are given.
    benchmarks: tuple[tuple[str, str], ...] | None = None
    model: str | None = None
    estimation: tuple[int, int] | None = None
    window: tuple[int, int] | None = None
    windows: tuple[tuple[int, int], ...] | None = None
    min_obs: int | None = None
    as_of: int | None = None
    exclude_events: tuple[str, ...] | None = None
    exclude_within: int | None = None
    #: Groups to compare: ``(name, tickers)`` pairs, in order (instead of ``tickers``).
    groups: tuple[tuple[str, tuple[str, ...]], ...] | None = None
    #: A CSV of firm characteristics (``ticker[,date],x1,…``) to regress the CARs on.
    characteristics: Path | None = None


def run_study(settings: Settings, request: StudyRequest, *, chunk_size: int | None = None, on_chunk=None,
              runner=None) -> StudyResult:
    """Open the warehouse read-only, resolve the request and fit the study.

    ``chunk_size`` and ``on_chunk`` are passed to :meth:`EventStudy.fit` (e.g. a
    :class:`~tracker.study.output.ParquetOutput`'s ``write``); ``runner(data)`` makes the
    :class:`~tracker.analysis.runner.ChunkRunner` (default: this process).
    """
    if sum(x is not None for x in (request.event_id, request.events_file, request.kind)) != 1:
        raise StudyError("give one of: an EVENT_ID, --kind KIND or --events-file FILE")
    if request.kind is None and (request.since or request.until or request.org):
        raise StudyError("--since, --until and --org choose events of a --kind", hint="add --kind KIND")
    if request.window is not None and request.windows is not None:
        raise StudyError("give the event window(s) once: window or windows, not both")
    defaults = settings.study
    market = (request.market or defaults.market).upper()
    with open_reader(settings) as warehouse:
        position = warehouse.position(request.as_of)
        events = warehouse.events(position)
        group_of = checked_groups(request.groups, request.tickers, market)
        tickers = tuple(group_of) if group_of else request.tickers or defaults.watchlist
        explicit = request.tickers is not None  # group tickers without prices are skipped with a reason, not refused
        if request.event_id is not None:
            event, firm_events = firm_events_for_event(
                warehouse, request.event_id, tickers, position, explicit=explicit, market=market
            )
        elif request.kind is not None:
            tickers = checked_tickers(warehouse, tickers, position, explicit=explicit, market=market)
            chosen = events_of_kind(events, request.kind, since=request.since, until=request.until, org=request.org)
            firm_events = firm_events_of(chosen, tickers)
            event = {"kind": request.kind, "since": _jsonable(request.since), "until": _jsonable(request.until),
                     "org": request.org, "events": len(chosen), "firm_events": len(firm_events)}
        else:
            event, firm_events = firm_events_from_file(warehouse, request.events_file)
        if group_of:
            firm_events = grouped(firm_events, group_of)
            event["groups"] = {name: list(members) for name, members in request.groups}
            missing = sorted(set(group_of) - set(warehouse.coverage(position)["ticker"].to_list()))
            if missing:
                event["notes"] = [f"no prices for {', '.join(missing)} in the warehouse: skipped "
                                  f"(import them with `tracker import prices PATH`)"]
        if not firm_events:
            raise StudyError("no firm-events to study", hint="give tickers with --tickers or rows in --events-file")
        characteristics = None
        if request.characteristics is not None:
            from tracker.study.characteristics import read_characteristics

            characteristics = read_characteristics(request.characteristics)
        exclusion = excluded_events(
            warehouse, position,
            request.exclude_events if request.exclude_events is not None else defaults.exclude_events,
            request.exclude_within if request.exclude_within is not None else defaults.exclude_within,
        )
        benchmarks = checked_benchmarks(warehouse, request.benchmarks or (), firm_events, position, market)
        data = WarehouseData(warehouse, position)
        names = {e["event_id"]: e.get("name") or e["event_id"] for e in events}
        study = EventStudy(data, firm_events, market=market, benchmarks=benchmarks, event=event, event_names=names,
                           groups=tuple(event.get("groups") or ()) or None,  # --group's, else the events file's, in order
                           characteristics=characteristics)
        try:
            result = study.fit(
                model=request.model or defaults.model,
                estimation=request.estimation or defaults.estimation,
                window=request.windows or request.window or defaults.window,
                min_obs=request.min_obs if request.min_obs is not None else defaults.min_obs,
                exclusion=exclusion,
                chunk_size=chunk_size,
                on_chunk=on_chunk,
                runner=runner(data) if runner else None,
            )
        except MissingSeries as exc:
            hint = (f"import {', '.join(exc.names)} with `tracker import prices` or choose --market" if exc.series == "market"
                    else "import the daily Fama-French files with `tracker import factors PATH`")
            raise StudyError(exc.describe("the warehouse"), hint=hint) from None
        result.overlaps = overlapping_events(result, events, warehouse.session_dates())
        return result


def checked_groups(groups: tuple[tuple[str, tuple[str, ...]], ...] | None, tickers: tuple[str, ...] | None,
                   market: str) -> dict[str, str]:
    """``ticker -> group`` of the requested groups (empty: none); groups are disjoint and name real symbols."""
    if not groups:
        return {}
    if tickers is not None:
        raise StudyError("give the tickers once: --group NAME=T1,T2 names them, so leave out --tickers")
    names = [name for name, _ in groups]
    if len(set(names)) < len(names):
        raise StudyError(f"group {next(n for n in names if names.count(n) > 1)!r} is given twice", hint="give each group once")
    group_of: dict[str, str] = {}
    for name, members in groups:
        for ticker in members:
            ticker = ticker.upper()
            if not re.match(TICKER_PATTERN, ticker):
                raise StudyError(f"group {name}: {ticker!r} is not a valid symbol")
            if ticker == market:
                raise StudyError(f"group {name}: {market} is the market benchmark", hint="leave it out of the groups or choose another --market")
            if ticker in group_of and group_of[ticker] != name:
                raise StudyError(f"{ticker} is in two groups ({group_of[ticker]} and {name})", hint="put each ticker in one group")
            group_of[ticker] = name
    return group_of


def grouped(firm_events: list[FirmEvent], group_of: dict[str, str]) -> list[FirmEvent]:
    """The firm-events of the groups' tickers, each with its group; an events file's own group column must agree."""
    out = []
    for fe in firm_events:
        group = group_of.get(fe.ticker)
        if fe.group is not None and group is not None and fe.group != group:
            raise StudyError(f"{fe.ticker} is in group {fe.group} in the events file and in group {group} on the command line",
                             hint="give the groups in one place")
        if group is not None:
            out.append(fe._replace(group=group))
    if not out:
        raise StudyError("no firm-event of the groups' tickers to study", hint="check the tickers of --group")
    return out


def excluded_events(warehouse: Warehouse, position: int, kinds: tuple[str, ...], within: int) -> Exclusion | None:
    """The events of ``kinds`` whose day 0 (± ``within`` sessions) leaves estimation windows."""
    if not kinds:
        return None
    from events.kinds import EVENT_KINDS

    kinds = tuple(dict.fromkeys(kinds))
    unknown = [k for k in kinds if k not in EVENT_KINDS]
    if unknown:
        raise StudyOptionError("exclude_events", unknown, f"unknown kind(s) {', '.join(unknown)}",
                               hint=f"known kinds: {', '.join(EVENT_KINDS)}")
    if within < 0:
        raise StudyOptionError("exclude_within", within, "must be 0 or more sessions")
    return Exclusion.around(warehouse.events(position), kinds, within)


def find_event(warehouse: Warehouse, event_id: str, position: int) -> dict[str, Any]:
    events = warehouse.events(position)
    for row in events:
        if row["event_id"] == event_id:
            return row
    state = warehouse.event_fold(position, news=False).events.get(event_id)
    if state is not None and state.retracted is not None:
        raise StudyError(f"unknown event {event_id!r}: it was retracted ({state.retracted})", hint="see `tracker events show " + event_id + "`")
    close = difflib.get_close_matches(event_id, [r["event_id"] for r in events], n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else "list events with `tracker events list`"
    if not events:
        hint = "import a catalogue first with `tracker import events PATH`, or find events with `tracker events tag`"
    raise StudyError(f"unknown event {event_id!r}", hint=hint)


def firm_events_for_event(
    warehouse: Warehouse,
    event_id: str,
    tickers: tuple[str, ...],
    position: int,
    *,
    explicit: bool,
    market: str,
) -> tuple[dict[str, Any], list[FirmEvent]]:
    row = find_event(warehouse, event_id, position)
    tickers = checked_tickers(warehouse, tickers, position, explicit=explicit, market=market)
    day0 = _as_date(row["day0"])
    event_date = _as_date(row["announced_at"][:10]) if row.get("announced_at") else day0
    firm_events = [FirmEvent(t, event_id, event_date, day0) for t in sorted(tickers)]
    event = {k: _jsonable(row.get(k)) for k in EVENT_FIELDS}
    return event, firm_events


def checked_tickers(warehouse: Warehouse, tickers: tuple[str, ...], position: int, *, explicit: bool, market: str) -> tuple[str, ...]:
    """The tickers upper-cased, once each; given explicitly, each must have prices (a typo gets a suggestion)."""
    tickers = tuple(dict.fromkeys(t.upper() for t in tickers))
    if explicit:
        _refuse_unknown(warehouse, position, tickers, "unknown ticker{s}: ")
        if market in tickers:
            raise StudyError(f"{market} is the market benchmark; leave it out of --tickers or choose another --market")
    return tickers


def checked_benchmarks(warehouse: Warehouse, pairs: tuple[tuple[str, str], ...], firm_events: list[FirmEvent],
                       position: int, market: str) -> dict[str, str]:
    """``ticker -> benchmark`` from the ``(ticker, benchmark)`` pairs, upper-cased, one per ticker; every
    benchmark named there or in the firm-events' own ``market`` must have prices (a typo gets a suggestion)."""
    benchmarks: dict[str, str] = {}
    for ticker, benchmark in pairs:
        ticker, benchmark = ticker.strip().upper(), benchmark.strip().upper()
        if benchmarks.get(ticker, benchmark) != benchmark:
            raise StudyOptionError("benchmark", f"{ticker}={benchmark}", f"{ticker} already has the benchmark {benchmarks[ticker]}",
                                   hint="give each ticker one benchmark")
        benchmarks[ticker] = benchmark
    named = set(benchmarks.values()) | {fe.market for fe in firm_events if fe.market is not None}
    named.discard(market)  # the study's market is checked by the study (MissingSeries)
    if named:
        _refuse_unknown(warehouse, position, sorted(named), "no prices for the market benchmark{s} ")
    return benchmarks


def _refuse_unknown(warehouse: Warehouse, position: int, tickers, problem: str) -> None:
    """Raise a :class:`StudyError` naming the ``tickers`` without prices, each with a close known one."""
    known = set(warehouse.coverage(position)["ticker"].to_list())
    unknown = [t for t in tickers if t not in known]
    if unknown:
        suggestions = {t: difflib.get_close_matches(t, sorted(known), n=1) for t in unknown}
        said = ", ".join(f"{t} (did you mean {s[0]}?)" if s else t for t, s in suggestions.items())
        raise StudyError(
            problem.format(s="s" if len(unknown) > 1 else "") + said,
            hint="import its prices with `tracker import prices PATH`; see known tickers with `tracker status`",
        )


def firm_events_from_file(warehouse: Warehouse, path: Path) -> tuple[dict[str, Any], list[FirmEvent]]:
    """Read ``ticker,event_date[,event_id][,group][,market]`` rows; day 0 is the first session on or
    after ``event_date``. ``group`` names the firm-event's group (compared with the other groups),
    ``market`` its own benchmark ticker (instead of the study's market).

    Validation is vectorised (polars), so files with many thousands of firm-events load quickly.
    """
    import numpy as np
    import polars as pl

    path = Path(path)
    frame = read_text_csv(path, "events file")
    frame = frame.rename({c: c.strip().lower() for c in frame.columns})
    if "ticker" not in frame.columns or "event_date" not in frame.columns:
        raise InputFileError(f"{path}: needs columns ticker,event_date (optional event_id, group, market); found {','.join(frame.columns) or 'none'}")
    if frame.height == 0:
        raise InputFileError(f"events file {path} has no rows")
    for optional in ("event_id", "group", "market"):
        if optional not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(optional))
    sessions = warehouse.session_dates()
    first, last = sessions[0].item(), sessions[-1].item()
    frame = frame.with_row_index("line", offset=2).with_columns(
        pl.col("ticker").str.strip_chars().str.to_uppercase().fill_null(""),
        pl.col("event_date").str.strip_chars().str.to_date("%Y-%m-%d", strict=False).alias("date"),
        pl.col("event_id").str.strip_chars().replace("", None),
        pl.col("group").str.strip_chars().replace("", None),
        pl.col("market").str.strip_chars().str.to_uppercase().replace("", None),
    )
    position = np.searchsorted(sessions, frame["date"].to_numpy().astype("datetime64[D]"), side="left")
    frame = frame.with_columns(pl.Series("position", position, dtype=pl.Int64))
    problem = (
        pl.when(~pl.col("ticker").str.contains(TICKER_PATTERN))
        .then(pl.format("line {}: ticker '{}' is not a valid symbol", "line", "ticker"))
        .when(pl.col("date").is_null())
        .then(pl.format("line {}: event_date '{}' is not a date like 2025-01-27", "line", "event_date"))
        .when((pl.col("date") < first) | (pl.col("position") >= len(sessions)))
        .then(pl.format("line {}: {} is outside the XNYS calendar ({} .. {})", "line", "date",
                        pl.lit(str(first)), pl.lit(str(last))))
        .when(pl.col("market").is_not_null() & ~pl.col("market").str.contains(TICKER_PATTERN))
        .then(pl.format("line {}: market '{}' is not a valid symbol", "line", "market"))
        .when(pl.struct("ticker", "date", "event_id").is_first_distinct().not_())
        .then(pl.format("line {}: duplicate firm-event ({} {})", "line", "ticker", "date"))
    )
    problems = frame.select(problem.alias("problem")).drop_nulls()["problem"].to_list()
    if problems:
        shown = "\n  ".join(problems[:10])
        more = f"\n  … and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise InputFileError(f"events file {path} rejected:\n  {shown}{more}")
    groups = {name: sorted(set(frame.filter(pl.col("group") == name)["ticker"].to_list()))
              for name in frame["group"].drop_nulls().unique(maintain_order=True).to_list()}  # in the file's order
    frame = frame.with_columns(
        pl.Series("day0", sessions[frame["position"].to_numpy()]).cast(pl.Date)
    ).sort("day0", "ticker", "event_id", nulls_last=False)
    columns = [frame[c].to_list() for c in ("ticker", "event_id", "date", "day0", "group", "market")]
    firm_events = list(map(FirmEvent._make, zip(*columns)))  # _make skips the per-field keyword handling
    event = {"events_file": path.name, "firm_events": len(firm_events)}
    if groups:
        event["groups"] = groups
    return event, firm_events


def read_text_csv(path: Path, what: str):
    """A CSV file as a polars frame of strings (validated by the caller); a missing or unreadable
    file raises :class:`InputFileError` naming it."""
    import polars as pl

    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"no such {what}: {path}")
    try:
        return pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    except pl.exceptions.PolarsError as exc:
        raise InputFileError(f"{path} is not a readable CSV file ({str(exc).splitlines()[0]})") from None


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
