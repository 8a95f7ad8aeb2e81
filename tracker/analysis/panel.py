"""Firm-events and their inputs aligned in event time, as dense arrays.

Every firm-event *i* has a day 0 on the XNYS calendar. Its estimation window and event
windows are inclusive offsets in sessions from day 0. The panel gathers, for all firm-events at
once, the firm's simple daily returns and the series its model needs (the market's return, the
factors) at those offsets into ``(N, L)`` arrays, NaN where a value is missing. All later
computations are vectorised over these arrays: there is no Python loop per firm.

The *event period* spans every requested window (from the earliest start to the latest end),
so several windows share one load; each window is a slice of it.

The market is the study's benchmark ticker, unless a firm-event names its own
(``FirmEvent.market``, e.g. a semiconductor ETF for chip makers): then each firm-event reads
its own benchmark's row, as it reads its own ticker's. Only the market and market-adjusted
models use a market; the factor models read MKT−RF and ignore it.

Screening (each failure becomes a :class:`Skipped` with a reason in words):

* estimation: at least ``min_obs`` estimation days with the firm's return and every model input,
  after dropping days excluded around other events (:class:`Exclusion`);
* per window: every day of the window on the calendar with the firm's return and every model
  input present (a firm-event can be studied in one window and skipped in another).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from tracker.analysis.data import StudyData
from tracker.analysis.models import FACTOR_NAMES, ModelSpec
from tracker.errors import MissingSeries, StudyError


class FirmEvent(NamedTuple):
    """One security around one event: ``day0`` is the first session the event could move.

    A named tuple: immutable, and cheap to make by the ten thousand. ``group`` names the group
    it belongs to in a comparison of groups (``None``: no groups); ``market`` is its own market
    benchmark (``None``: the study's).
    """

    ticker: str
    event_id: str | None
    event_date: dt.date
    day0: dt.date
    group: str | None = None
    market: str | None = None


class Skipped(NamedTuple):
    """A firm-event that could not be studied, and why."""

    ticker: str
    event_id: str | None
    event_date: dt.date
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"ticker": self.ticker, "event_id": self.event_id, "event_date": self.event_date.isoformat(), "reason": self.reason}


def merge_shared_day0(firm_events: list[FirmEvent]) -> tuple[list[FirmEvent], list[dict[str, Any]]]:
    """One firm-event per ticker and day 0: firm-events that share both (two events on one day for
    one firm: DeepSeek-R1 and Kimi k1.5) would count the same abnormal returns twice.

    The merged firm-event keeps every event id, joined by ``+`` (``a+b``), and the earliest event
    date; the list of merges says which. Order: first occurrence. Firm-events that would merge
    but name different groups or benchmarks are an error (:class:`~tracker.errors.StudyError`).
    """
    groups: dict[tuple[str, dt.date], list[FirmEvent]] = {}
    for fe in firm_events:
        groups.setdefault((fe.ticker, fe.day0), []).append(fe)
    if len(groups) == len(firm_events):
        return firm_events, []
    kept, merged = [], []
    for (ticker, day0), members in groups.items():
        if len(members) == 1:
            kept.append(members[0])
            continue
        ids = list(dict.fromkeys(fe.event_id for fe in members if fe.event_id))
        for name in ("group", "market"):
            values = sorted({str(getattr(fe, name)) for fe in members})
            if len(values) > 1:
                raise StudyError(f"{ticker} has two firm-events on day 0 {day0} with different {name}s ({', '.join(values)})",
                                 hint=f"give each ticker and day 0 one {name}")
        first = members[0]
        kept.append(FirmEvent(ticker, "+".join(ids) or None, min(fe.event_date for fe in members), day0,
                              first.group, first.market))
        merged.append({"ticker": ticker, "day0": day0.isoformat(), "event_ids": ids,
                       "event_dates": sorted({fe.event_date.isoformat() for fe in members})})
    return kept, merged


class ExcludedEvent(NamedTuple):
    """An event whose day 0 contaminates estimation windows: of every firm (``tickers`` None, a
    market-wide kind) or of the firms it names (a firm kind such as earnings)."""

    event_id: str
    kind: str
    day0: dt.date
    tickers: tuple[str, ...] | None = None

    def concerns(self, ticker: str) -> bool:
        return self.tickers is None or ticker in self.tickers


@dataclass(frozen=True)
class Exclusion:
    """Estimation days dropped because other events may contaminate them.

    Every session within ``within`` sessions of the day 0 of an event of one of ``kinds`` is left
    out of the estimation window of every firm-event the event concerns (market-wide kinds: all;
    firm kinds: their own tickers, :data:`events.kinds.EVENT_SCOPES`), except around the
    firm-event's own event.
    """

    kinds: tuple[str, ...]
    within: int
    events: tuple[ExcludedEvent, ...]

    @classmethod
    def around(cls, events: list[dict[str, Any]], kinds: tuple[str, ...], within: int) -> Exclusion:
        """The exclusion of the ``events`` (rows with ``event_id, kind, day0[, tickers]``) of ``kinds``."""
        from events.kinds import EVENT_SCOPES

        chosen = sorted(
            ExcludedEvent(e["event_id"], e["kind"], e["day0"],
                          None if EVENT_SCOPES.get(e["kind"], "market") == "market" else tuple(e.get("tickers") or ()))
            for e in events if e["kind"] in kinds and e.get("day0") is not None
        )
        return cls(tuple(kinds), within, tuple(chosen))

    def to_dict(self) -> dict[str, Any]:
        return {
            "kinds": list(self.kinds),
            "within": self.within,
            "events": [{"event_id": e.event_id, "kind": e.kind, "day0": e.day0.isoformat()}
                       | ({"tickers": list(e.tickers)} if e.tickers is not None else {}) for e in self.events],
        }


@dataclass
class Panel:
    """Aligned inputs of the firm-events that passed the estimation screen.

    ``z_*`` stack the model's regressors as ``(p, N, L)``; ``y_*`` is the dependent variable
    (the firm's return less the series the model subtracts); ``benchmark`` is the market's total
    return on event-period days, for display (each firm-event's benchmark ticker, or MKT−RF + RF
    for factor models).
    """

    spec: ModelSpec
    firm_events: list[FirmEvent]
    day0: np.ndarray  # (N,) session index of day 0
    estimation: tuple[int, int]
    period: tuple[int, int]
    y_est: np.ndarray  # (N, L1)
    z_est: np.ndarray  # (p, N, L1)
    est_valid: np.ndarray  # (N, L1) bool
    returns: np.ndarray  # (N, Lp) firm returns on event-period days
    y: np.ndarray  # (N, Lp)
    z: np.ndarray  # (p, N, Lp)
    benchmark: np.ndarray  # (N, Lp)
    valid: np.ndarray  # (N, Lp) bool: on the calendar with every input
    present: dict[str, np.ndarray]  # "firm" and each series -> (N, Lp) bool
    dates: np.ndarray  # (N, Lp) datetime64[D], NaT off the calendar
    sessions: np.ndarray  # the calendar's session dates, datetime64[D]
    n_excluded: np.ndarray  # (N,) estimation days dropped by the exclusion
    skipped: list[Skipped]
    reasons: _Reasons = field(repr=False)
    index: np.ndarray  # (N,) position of each row in the ``firm_events`` given to load_panel
    #: (N,) each row's market benchmark (a code; equal codes, same benchmark) when some firm-events
    #: have their own; ``None`` when all use the study's market (or the model uses none)
    market_codes: np.ndarray | None = None

    @property
    def n(self) -> int:
        return len(self.firm_events)

    def take(self, index: np.ndarray) -> Panel:
        """The firm-events at ``index`` (skips stay)."""
        return replace(
            self,
            firm_events=[self.firm_events[i] for i in index.tolist()],
            day0=self.day0[index], y_est=self.y_est[index], z_est=self.z_est[:, index], est_valid=self.est_valid[index],
            returns=self.returns[index], y=self.y[index], z=self.z[:, index], benchmark=self.benchmark[index],
            valid=self.valid[index], present={k: v[index] for k, v in self.present.items()},
            dates=self.dates[index], n_excluded=self.n_excluded[index],
            index=self.index[index], market_codes=None if self.market_codes is None else self.market_codes[index],
        )

    def columns(self, window: tuple[int, int]) -> slice:
        """Event-period columns of ``window``."""
        return slice(window[0] - self.period[0], window[1] - self.period[0] + 1)

    def window_rows(self, window: tuple[int, int]) -> tuple[np.ndarray, list[Skipped]]:
        """Firm-events with complete data in ``window``, and the others with their reasons."""
        cols = self.columns(window)
        ok = self.valid[:, cols].all(axis=1)
        failed = np.flatnonzero(~ok).tolist()
        if failed:
            self.reasons.prefetch_for(self.firm_events[i] for i in failed)
        skipped = []
        for i in failed:
            fe = self.firm_events[i]
            reason = self.reasons.window(fe, self.dates[i, cols], {k: v[i, cols] for k, v in self.present.items()})
            skipped.append(Skipped(fe.ticker, fe.event_id, fe.event_date, reason))
        return np.flatnonzero(ok), skipped


def session_index(sessions: np.ndarray) -> dict[dt.date, int]:
    """Session number of each session date."""
    return {day: i for i, day in enumerate(sessions.astype(object).tolist())}


def load_panel(
    data: StudyData,
    firm_events: list[FirmEvent],
    spec: ModelSpec,
    market: str | None,
    estimation: tuple[int, int],
    period: tuple[int, int],
    min_obs: int,
    exclusion: Exclusion | None = None,
    day0: np.ndarray | None = None,
) -> Panel:
    """Gather the inputs of ``firm_events`` from ``data``; skip what cannot be estimated.

    ``day0`` is each firm-event's day 0 as a session number, when the caller has it.
    """
    sessions = data.session_dates()
    n_sessions = len(sessions)
    est_offsets = np.arange(estimation[0], estimation[1] + 1)
    per_offsets = np.arange(period[0], period[1] + 1)
    if day0 is None:
        index_of = session_index(sessions)
        day0 = np.array([index_of[fe.day0] for fe in firm_events], dtype=np.int64)

    # One dense (series x sessions) matrix: firm tickers, the market(s), the factors. It spans
    # every offset of every firm-event, so no index needs clamping; days off the calendar stay NaN.
    first, last = int(day0.min()) + estimation[0], int(day0.max()) + period[1]
    lo, hi = max(0, first), min(n_sessions - 1, last)
    own = own_benchmarks(firm_events, market) if spec.uses_market else set()
    tickers = sorted({fe.ticker for fe in firm_events} | ({market} | own if spec.uses_market else set()))
    code = {t: i for i, t in enumerate(tickers)}
    matrix = np.full((len(tickers) + len(spec.factors), last - first + 1), np.nan)
    if lo <= hi:
        loaded = slice(lo - first, hi - first + 1)
        matrix[: len(tickers), loaded] = data.return_matrix(tickers, lo, hi)
        matrix[len(tickers):, loaded] = data.factor_matrix(spec.factors, lo, hi)
    rows = {"market": code[market]} if spec.uses_market else {}
    rows.update({name: len(tickers) + j for j, name in enumerate(spec.factors)})
    reasons = _Reasons(data, spec, market)
    # each firm-event's market row: the study's (one row for all) unless some have their own
    market_codes, used = None, ({market} if spec.uses_market else set())
    if own:
        market_codes = np.array([code[fe.market or market] for fe in firm_events], dtype=np.int64)
        used = {tickers[c] for c in np.unique(market_codes).tolist()}
    _check_series_exist(matrix, rows, reasons, {b: code[b] for b in sorted(used)})

    firm_codes = np.array([code[fe.ticker] for fe in firm_events], dtype=np.int64)
    start = day0 - first
    est_start, per_start = start + estimation[0], start + period[0]
    series_est, series_per = {}, {}
    for name, row in rows.items():
        if name == "market" and market_codes is not None:  # a row per firm-event, as for the firms' returns
            series_est[name] = _runs(matrix, market_codes, est_start, len(est_offsets))
            series_per[name] = _runs(matrix, market_codes, per_start, len(per_offsets))
        else:
            series_est[name] = _runs(matrix[row], None, est_start, len(est_offsets))
            series_per[name] = _runs(matrix[row], None, per_start, len(per_offsets))
    ret_est = _runs(matrix, firm_codes, est_start, len(est_offsets))
    returns = _runs(matrix, firm_codes, per_start, len(per_offsets))

    y_est, y = ret_est, returns
    for name in spec.subtract:
        y_est, y = y_est - series_est[name], y - series_per[name]
    z_est = _stack([series_est[r] for r in spec.regressors], ret_est.shape)
    z = _stack([series_per[r] for r in spec.regressors], returns.shape)

    excluded = _excluded(exclusion, firm_events, sessions, day0 + estimation[0], len(est_offsets))
    est_valid = np.isfinite(y_est)
    for regressor in z_est:
        est_valid &= np.isfinite(regressor)
    if exclusion is not None:
        est_valid &= ~excluded
    per_sessions = day0[:, None] + per_offsets[None, :]
    on_calendar = (per_sessions >= 0) & (per_sessions < n_sessions)
    present = {"firm": np.isfinite(returns)} | {name: np.isfinite(values) for name, values in series_per.items()}
    valid = on_calendar & np.logical_and.reduce(list(present.values()))
    if spec.uses_market:
        benchmark = series_per["market"]
    elif "mkt_rf" in series_per and "rf" in series_per:
        benchmark = series_per["mkt_rf"] + series_per["rf"]
    else:
        benchmark = np.full(returns.shape, np.nan)
    dates = np.where(on_calendar, sessions[np.clip(per_sessions, 0, n_sessions - 1)], np.datetime64("NaT"))

    n_est = est_valid.sum(axis=1)
    if not spec.uses_market:
        is_market = np.zeros(len(firm_events), dtype=bool)
    else:
        is_market = firm_codes == (code[market] if market_codes is None else market_codes)
    ok = (n_est >= min_obs) & ~is_market
    failed = np.flatnonzero(~ok).tolist()
    if failed:
        reasons.prefetch_for(firm_events[i] for i in failed)
    skipped = []
    for i in failed:  # only the firm-events that failed, in order
        fe = firm_events[i]
        reason = reasons.estimation(fe, i, int(n_est[i]), min_obs, len(est_offsets), ret_est[i], series_est, int(excluded[i].sum()))
        skipped.append(Skipped(fe.ticker, fe.event_id, fe.event_date, reason))
    keep = np.flatnonzero(ok)
    panel = Panel(
        spec=spec, firm_events=firm_events, day0=day0, estimation=estimation, period=period,
        y_est=y_est, z_est=z_est, est_valid=est_valid, returns=returns, y=y, z=z, benchmark=benchmark,
        valid=valid, present=present, dates=dates, sessions=sessions, n_excluded=excluded.sum(axis=1), skipped=skipped, reasons=reasons,
        index=np.arange(len(firm_events)), market_codes=market_codes,
    )
    return panel if keep.size == len(firm_events) else panel.take(keep)


def own_benchmarks(firm_events: list[FirmEvent], market: str | None) -> set[str]:
    """The market benchmarks of ``firm_events`` other than the study's ``market`` (usually none)."""
    return {fe.market for fe in firm_events if fe.market is not None} - {market}


def _runs(matrix: np.ndarray, rows: np.ndarray | None, starts: np.ndarray, length: int) -> np.ndarray:
    """``(N, length)``: ``length`` consecutive columns from ``starts[i]`` of row ``rows[i]`` of ``matrix``.

    The same values as ``matrix[rows[:, None], starts[:, None] + np.arange(length)]`` (of the 1-D
    ``matrix`` when ``rows`` is None), but indexing a sliding-window view copies each run whole
    instead of gathering cell by cell: several times faster for the 240-day estimation window.
    """
    windows = sliding_window_view(matrix, length, axis=-1)
    return windows[starts] if rows is None else windows[rows, starts]


def _stack(arrays: list[np.ndarray], shape: tuple[int, ...]) -> np.ndarray:
    """``(p, *shape)`` regressors; a view, not a copy, for one regressor."""
    if not arrays:
        return np.empty((0, *shape))
    return arrays[0][None] if len(arrays) == 1 else np.stack(arrays)


def _excluded(
    exclusion: Exclusion | None,
    firm_events: list[FirmEvent],
    sessions: np.ndarray,
    first_session: np.ndarray,
    length: int,
) -> np.ndarray:
    """``(N, L1)`` mask of estimation days within ``±within`` sessions of another listed event that
    concerns the firm (any firm for a market-wide event, its own tickers for a firm event)."""
    n_sessions = len(sessions)
    if exclusion is None or not exclusion.events:
        return np.zeros((len(firm_events), length), dtype=bool)
    k = exclusion.within
    index_of = session_index(sessions)

    def cover(centres: list[int]) -> np.ndarray:
        """How many of the events at ``centres`` cover each session: a difference array over the calendar."""
        at = np.array(centres, dtype=np.int64)
        counts = np.zeros(n_sessions + 1, dtype=np.int64)
        np.add.at(counts, np.clip(at - k, 0, n_sessions), 1)
        np.add.at(counts, np.clip(at + k + 1, 0, n_sessions), -1)
        return np.cumsum(counts)[:n_sessions]

    sessions = first_session[:, None] + np.arange(length)[None, :]
    inside = (sessions >= 0) & (sessions < n_sessions)
    clipped = np.clip(sessions, 0, n_sessions - 1)
    count = np.zeros(sessions.shape, dtype=np.int64)
    market_wide = [index_of[e.day0] for e in exclusion.events if e.tickers is None]
    if market_wide:
        count += np.where(inside, cover(market_wide)[clipped], 0)
    by_ticker: dict[str, list[int]] = {}
    for e in exclusion.events:
        for ticker in e.tickers or ():
            by_ticker.setdefault(ticker, []).append(index_of[e.day0])
    tickers = np.array([fe.ticker for fe in firm_events], dtype=object)
    for ticker, centres in by_ticker.items():
        rows = np.flatnonzero(tickers == ticker)
        if rows.size:
            count[rows] += np.where(inside[rows], cover(centres)[clipped[rows]], 0)
    # A firm-event's own event (or events, when merged) does not contaminate its own estimation window.
    listed = {e.event_id: e for e in exclusion.events}
    nowhere = -(10**9)

    def own_centre(fe: FirmEvent, own: str | None) -> int:
        e = listed.get(own) if own else None
        return index_of[e.day0] if e is not None and e.concerns(fe.ticker) else nowhere

    own_ids = [(fe.event_id or "").split("+") for fe in firm_events]
    for j in range(max(len(ids) for ids in own_ids)):
        centre = np.array([own_centre(fe, ids[j] if j < len(ids) else None) for fe, ids in zip(firm_events, own_ids)],
                          dtype=np.int64)
        count -= np.abs(sessions - centre[:, None]) <= k
    return count > 0


def _check_series_exist(matrix: np.ndarray, rows: dict[str, int], reasons: _Reasons, benchmarks: dict[str, int]) -> None:
    """A model input missing from the whole loaded range is usually missing from the warehouse.

    ``benchmarks`` are the market benchmarks used (the study's and the firm-events' own) and their rows.
    """
    empty = [name for name, row in rows.items() if not np.isfinite(matrix[row]).any()]
    blank = [b for b, row in benchmarks.items() if not np.isfinite(matrix[row]).any()]
    if blank:
        reasons.prefetch(blank)
        absent = tuple(b for b in blank if reasons.ticker_range(b) is None)
        if absent:
            raise MissingSeries("market", absent)
    absent = tuple(name for name in FACTOR_NAMES if name in empty and reasons.factor_range(name) is None)
    if absent:
        needs = ", ".join(n for n in FACTOR_NAMES if n in reasons.spec.factors)
        raise MissingSeries("factors", absent, f" (the {reasons.spec.name} model needs {needs})")


class _Reasons:
    """Words for skipped firm-events; looks up data coverage only when something is skipped."""

    def __init__(self, data: StudyData, spec: ModelSpec, market: str | None):
        self.data, self.spec, self.market = data, spec, market
        self._tickers: dict[str, tuple[dt.date, dt.date] | None] = {}
        self._factors: dict[str, tuple[dt.date, dt.date]] | None = None

    def benchmark(self, fe: FirmEvent) -> str | None:
        """The market benchmark of ``fe``: its own, else the study's (``None`` for models without one)."""
        return (fe.market or self.market) if self.market else None

    def prefetch_for(self, firm_events) -> None:
        """Look up the data range of the tickers of ``firm_events`` and their benchmarks in one query."""
        self.prefetch({name for fe in firm_events for name in (fe.ticker, self.benchmark(fe)) if name})

    def prefetch(self, tickers) -> None:
        """Look up the data range of ``tickers`` (and the market) in one query."""
        wanted = sorted(({*tickers} | ({self.market} if self.market else set())) - self._tickers.keys())
        if not wanted:
            return
        self._tickers |= self.data.ticker_ranges(wanted)

    def ticker_range(self, ticker: str) -> tuple[dt.date, dt.date] | None:
        self.prefetch([ticker])
        return self._tickers[ticker]

    def factor_range(self, name: str) -> tuple[dt.date, dt.date] | None:
        if self._factors is None:
            self._factors = self.data.factor_ranges()
        return self._factors.get(name)

    def describe(self, name: str, fe: FirmEvent) -> tuple[str, tuple[dt.date, dt.date] | None]:
        """Label and data range of an input of ``fe``: ``"firm"`` (its return), ``"market"`` (its benchmark's) or a factor."""
        if name == "firm":
            return f"return of {fe.ticker}", self.ticker_range(fe.ticker)
        if name == "market":
            benchmark = self.benchmark(fe)
            return f"return of {benchmark}", self.ticker_range(benchmark)
        return f"{name} factor return", self.factor_range(name)

    def estimation(self, fe: FirmEvent, i: int, n_est: int, min_obs: int, length: int,
                   firm: np.ndarray, series: dict[str, np.ndarray], n_excluded: int) -> str:
        """Why ``fe`` (row ``i`` of the ``series`` arrays) has too few usable estimation days."""
        if self.spec.uses_market and fe.ticker == self.benchmark(fe):
            return f"{fe.ticker} is the market benchmark" if fe.ticker == self.market else f"{fe.ticker} is its own market benchmark"
        span = self.ticker_range(fe.ticker)
        if span is None:
            return f"no prices for {fe.ticker}"
        parts = [f"{int(np.isfinite(firm).sum())} with a return of {fe.ticker} (prices {span[0]} .. {span[1]})"]
        for name, values in series.items():
            have = int(np.isfinite(values[i]).sum())
            if have < length:
                label, known = self.describe(name, fe)
                parts.append(f"{have} with a {label}" + (f" (data {known[0]} .. {known[1]})" if known else ""))
        if n_excluded:
            parts.append(f"{n_excluded} excluded around other events")
        return f"only {n_est} of {length} estimation days usable (min-obs {min_obs}): " + "; ".join(parts)

    def window(self, fe: FirmEvent, dates: np.ndarray, present: dict[str, np.ndarray]) -> str:
        """Why ``fe`` has no complete data on the window days ``dates``."""
        if np.isnat(dates).any():
            return "event window runs off the session calendar"
        for j, day in enumerate(dates.tolist()):
            for name, ok in present.items():
                if ok[j]:
                    continue
                label, span = self.describe(name, fe)
                if span is None:
                    return f"no {label} in the warehouse"
                if day > span[1]:
                    return f"event window runs past the last {label} ({span[1]})"
                if day < span[0] or (day == span[0] and name in ("firm", "market")):  # a first price has no return
                    return f"event window starts before the first {label} (data from {span[0]})"
                return f"missing {label} on {day} in the event window"
        return "incomplete data in the event window"
