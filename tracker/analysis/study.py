"""``EventStudy``: abnormal returns of firm-events and the whole battery of tests.

Usage::

    from tracker.analysis import EventStudy, FirmEvent
    study = EventStudy(data, firm_events, market="SPY")
    result = study.fit(model="market", estimation=(-250, -11), window=[(-1, 1), (0, 5)])
    result.car, result.caar, result.tests["kp_bmp_t"], print(result.summary)

    # chip makers against a semiconductor ETF, the others against SPY (market, market-adjusted models)
    EventStudy(data, firm_events, market="SPY", benchmarks={"NVDA": "SMH", "AVGO": "SMH"})

``data`` is anything that answers :class:`~tracker.analysis.data.StudyData`: the warehouse at a
log position (:class:`tracker.study.WarehouseData`) or frames in memory
(:class:`~tracker.analysis.data.InMemoryData`). The engine knows nothing of DuckDB.

Everything is computed set-at-a-time over ``(N, L)`` arrays (see :mod:`tracker.analysis.panel`),
one chunk of firm-events at a time (:mod:`tracker.analysis.chunks`, :mod:`tracker.analysis.partial`):
per chunk one load of the data, one regression pass and per window a few array reductions; then
the tests of :mod:`~tracker.analysis.statistics`, :mod:`~tracker.analysis.nonparametric` and
:mod:`~tracker.analysis.cross_correlation` once over the whole study. A small study is one chunk;
a large one runs in the memory of a chunk, and any chunking gives the same bits.
Bad parameters raise :class:`tracker.errors.StudyOptionError` naming the parameter.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from tracker.analysis.chunks import DEFAULT_CHUNK_SIZE, default_chunk_size, plan_chunks
from tracker.analysis.data import ReadAhead, StudyData
from tracker.analysis.models import MODELS, ModelSpec
from tracker.analysis.cross_section import CrossSection, characteristics_of, regress_cars
from tracker.analysis.groups import MAX_COMPARED_FIRMS, MAX_COVARIANCE_FIRMS, car_covariance, group_differences
from tracker.analysis.panel import Exclusion, FirmEvent, merge_shared_day0, own_benchmarks, session_index
from tracker.analysis.partial import ChunkPart, Reduction, StudyPlan, fit_panel
from tracker.analysis.results import StudyResult
from tracker.analysis.runner import ChunkRunner, InProcess
from tracker.errors import StudyError, StudyOptionError

Window = tuple[int, int]


def min_obs_floor(spec: ModelSpec) -> int:
    """Fewest estimation days a model can use: one residual degree of freedom."""
    return spec.df_lost + 1


def default_min_obs(estimation: Window, spec: ModelSpec | None = None) -> int:
    """Half the estimation window, rounded up (120 of -250..-11)."""
    floor = min_obs_floor(spec or MODELS["market"])
    return max(floor, math.ceil((estimation[1] - estimation[0] + 1) / 2))


def as_windows(window: Window | Sequence[Window]) -> tuple[Window, ...]:
    """``(-1, 1)`` or ``[(-1, 1), (0, 5)]`` as a tuple of windows (duplicates dropped, order kept)."""
    if len(window) == 2 and all(isinstance(v, (int, np.integer)) for v in window):
        return ((int(window[0]), int(window[1])),)
    windows = tuple(dict.fromkeys((int(a), int(b)) for a, b in window))
    if not windows:
        raise StudyOptionError("window", (), "no event window given", example=(-1, 1))
    return windows


def check_options(model: str, estimation: Window, windows: tuple[Window, ...], min_obs: int) -> ModelSpec:
    """Refuse inconsistent study options with a message naming the parameter; return the model."""
    if model not in MODELS:
        raise StudyOptionError("model", model, "unknown model", hint=f"use one of: {', '.join(MODELS)}")
    spec = MODELS[model]
    for name, (start, end) in (("estimation", estimation), *(("window", w) for w in windows)):
        if start > end:
            raise StudyOptionError(name, (start, end), "start is after end", hint="write it as start,end", example=(end, start))
    first = min(windows, key=lambda w: w[0])
    if estimation[1] >= first[0]:
        raise StudyOptionError(
            "estimation", estimation, f"the estimation window overlaps the event window {first[0]},{first[1]}",
            hint="end the estimation window before every event window starts", example=(-250, -11),
        )
    length = estimation[1] - estimation[0] + 1
    floor = min_obs_floor(spec)
    if not floor <= min_obs <= length:
        raise StudyOptionError("min_obs", min_obs, f"must be between {floor} (for the {model} model) and the estimation length {length}")
    return spec


class EventStudy:
    """An event study over ``firm_events`` with returns read from ``data``.

    Parameters
    ----------
    data
        Where the returns and factors come from (:class:`~tracker.analysis.data.StudyData`):
        the warehouse at a log position, or frames in memory. The result records
        ``data.log_position``; the same position always reproduces the same numbers.
    firm_events
        The firm-events to study; each carries its aligned day 0 (a session of ``data``).
    market
        Ticker of the market benchmark (:math:`R_m` of the market and market-adjusted
        models; unused by the factor models, which read the factors).
    benchmarks
        ``ticker -> benchmark ticker``: a market benchmark of its own for every firm-event of
        that ticker (e.g. ``{"NVDA": "SMH"}``, a semiconductor ETF for a chip maker), instead of
        ``market``. A single firm-event gets its own with ``FirmEvent(..., market="SMH")``; a
        firm-event whose ``market`` differs from ``benchmarks`` for its ticker is an error. Only
        the market and market-adjusted models use a benchmark: with a factor model
        ``benchmarks`` is refused, and ``FirmEvent.market`` is ignored (as ``market`` is).
        Under the market model the portfolio t needs one benchmark for all its firm-events.
    event
        Description of the event(s), copied into the result's ``event`` block.
    event_names
        ``event id -> name``, to name each firm-event's event on its rows (``event_name``).
    groups
        The names of the groups to compare, in order (default: in order of first appearance of
        :attr:`FirmEvent.group <tracker.analysis.panel.FirmEvent>`). With groups, every firm-event
        names one; the result holds each group's own study (``result.groups``) and, for each pair,
        first minus second, the difference of CAARs and its tests (``result.group_differences``,
        :mod:`tracker.analysis.groups`).
    characteristics
        A polars frame of firm characteristics (``ticker``, optional ``date``, numeric columns):
        each window's CARs are regressed on them (``result.cross_sections``,
        :mod:`tracker.analysis.cross_section`).
    """

    def __init__(
        self,
        data: StudyData,
        firm_events: list[FirmEvent],
        *,
        market: str = "SPY",
        benchmarks: Mapping[str, str] | None = None,
        event: dict[str, Any] | None = None,
        event_names: Mapping[str, str] | None = None,
        groups: Sequence[str] | None = None,
        characteristics: Any = None,
    ):
        if not firm_events:
            raise StudyError("no firm-events to study")
        self.data = data
        self.firm_events = firm_events
        self.market = market
        self.benchmarks = dict(benchmarks or {})
        self.event = event or {}
        self.event_names = dict(event_names or {})
        self.groups = _group_names(firm_events, groups)
        self.characteristics = characteristics

    def fit(
        self,
        *,
        model: str = "market",
        estimation: Window = (-250, -11),
        window: Window | Sequence[Window] = (-1, 1),
        min_obs: int | None = None,
        exclusion: Exclusion | None = None,
        chunk_size: int | None = None,
        runner: ChunkRunner | None = None,
        on_chunk: Callable[[ChunkPart], None] | None = None,
    ) -> StudyResult:
        """Estimate the model on each estimation window and measure abnormal returns on each event window.

        Parameters
        ----------
        model
            ``mean-adjusted``, ``market-adjusted``, ``market`` (OLS), ``ff3`` or ``carhart``
            (see :mod:`tracker.analysis.models`).
        estimation
            Inclusive session offsets from day 0, e.g. ``(-250, -11)``.
        window
            One event window ``(start, end)`` or several; results are given per window.
        min_obs
            Fewest usable estimation days; default half the estimation window, rounded up.
        exclusion
            Other events whose day 0 contaminates estimation windows: estimation days within
            ``exclusion.within`` sessions of any of them are dropped (a firm-event's own event
            excepted). See :meth:`Exclusion.around`.
        chunk_size
            Firm-events computed at a time (default :func:`~tracker.analysis.chunks.default_chunk_size`:
            at most 20,000, and a large study is split so every worker has a chunk): memory grows
            with the chunk, not with the study. A chunk holds whole day-0 groups, so it may be
            larger. The numbers are the same to the bit for any chunk size.
        runner
            Where the chunks are computed (:mod:`tracker.analysis.runner`); default this process.
        on_chunk
            Called with each chunk's :class:`~tracker.analysis.partial.ChunkPart`, in chunk order (day-0
            order), as it is done: e.g. to write its firm-events out (``part.firm_rows()``, ``part.ar_rows()``).

        Returns
        -------
        StudyResult
        """
        windows = as_windows(window)
        if min_obs is None:
            min_obs = default_min_obs(estimation, MODELS.get(model))
        spec = check_options(model, estimation, windows, min_obs)
        if chunk_size is not None and chunk_size < 1:
            raise StudyOptionError("chunk_size", chunk_size, "must be at least 1 firm-event", example=DEFAULT_CHUNK_SIZE)
        firm_events = self._with_benchmarks(spec)
        own = spec.uses_market and any(fe.market is not None for fe in firm_events)
        plan = StudyPlan(spec, self.market if spec.uses_market else None, estimation, windows, min_obs, exclusion,
                         self.event_names, own_benchmarks=own)
        sessions = self.data.session_dates()
        index_of = session_index(sessions)
        firm_events, merged = merge_shared_day0(firm_events)
        try:
            day0 = np.fromiter((index_of[fe.day0] for fe in firm_events), dtype=np.int64, count=len(firm_events))
        except KeyError as exc:
            raise StudyError(f"day 0 {exc.args[0]} is not a session of the data") from None
        compares = len(self.groups) > 1 or self.characteristics is not None
        if compares and len(firm_events) > MAX_COMPARED_FIRMS:  # refused before any work
            raise StudyError(f"{len(firm_events):,} firm-events are too many to compare groups or regress CARs on "
                             f"characteristics (at most {MAX_COMPARED_FIRMS:,}: every pair is held in memory)",
                             hint="study a sample, or each group on its own")
        workers = runner.workers if runner is not None else InProcess.default_workers()
        size = chunk_size or default_chunk_size(len(firm_events), workers)
        chunks = [(positions, [firm_events[i] for i in positions.tolist()], day0[positions])
                  for positions in plan_chunks(day0, size)]
        if runner is None:
            data = self.data
            if len(chunks) > 1:  # chunks in day-0 order: read blocks of sessions, not one read per chunk
                data = ReadAhead(data, {fe.ticker for fe in firm_events} | ({plan.market} if plan.market else set())
                                 | own_benchmarks(firm_events, plan.market))
            runner = InProcess(data, workers=workers)
        try:
            reduction = Reduction(plan)
            for part in runner.run(plan, chunks):
                reduction.add(part)
                if on_chunk is not None:
                    on_chunk(part)
            spreads = reduction.grank_spreads()
            if any(spread is not None for spread in spreads):
                for parts in runner.grank(spreads):
                    reduction.add_grank(parts)
        finally:
            runner.close()
        result = reduction.result(event=self.event, log_position=self.data.log_position, sessions=sessions)
        result.merged = merged
        result.benchmarks = dict(self.benchmarks)
        if self.groups:
            result.group_names = self.groups
            options = dict(model=model, estimation=estimation, window=windows, min_obs=min_obs, exclusion=exclusion)
            for name in self.groups:
                members = [fe._replace(group=None) for fe in self.firm_events if fe.group == name]
                tickers = {fe.ticker for fe in members}
                result.groups[name] = EventStudy(
                    self.data, members, market=self.market, event=self.event | {"group": name}, event_names=self.event_names,
                    benchmarks={t: b for t, b in self.benchmarks.items() if t in tickers},
                ).fit(**options)
        if compares:
            # the whole panel at once: comparisons and regressions need every pair of firm-events
            panel, fitted, _, ar = fit_panel(self.data, firm_events, day0, plan)
            if len(self.groups) > 1:
                result.group_differences = group_differences(panel, fitted, ar, self.groups, windows)
            if self.characteristics is not None:
                result.cross_sections = _cross_sections(panel, fitted, ar, self.characteristics, windows)
        return result

    def _with_benchmarks(self, spec: ModelSpec) -> list[FirmEvent]:
        """The firm-events with ``benchmarks`` applied; ``market`` is ``None`` where it is the study's
        (or where the model reads no market), so only a benchmark of its own is ever stated."""
        firm_events = self.firm_events
        if self.benchmarks:
            said = ", ".join(f"{t}={b}" for t, b in self.benchmarks.items())
            if not spec.uses_market:
                raise StudyOptionError("benchmark", said, f"the {spec.name} model uses no market benchmark",
                                       hint="a benchmark per ticker is for the market and market-adjusted models")
            for ticker, benchmark in self.benchmarks.items():
                if ticker == benchmark:
                    raise StudyOptionError("benchmark", f"{ticker}={benchmark}", "a ticker cannot be its own benchmark",
                                           example=f"{ticker}=SMH")
            studied = {fe.ticker for fe in firm_events}
            unused = [t for t in self.benchmarks if t not in studied]
            if unused:
                raise StudyOptionError("benchmark", ",".join(f"{t}={self.benchmarks[t]}" for t in unused),
                                       f"{', '.join(unused)} {'is' if len(unused) == 1 else 'are'} not among the studied tickers",
                                       hint=f"studied: {', '.join(sorted(studied)[:20])}")
            applied = []
            for fe in firm_events:
                benchmark = self.benchmarks.get(fe.ticker)
                if benchmark is not None:
                    if fe.market is not None and fe.market != benchmark:
                        raise StudyError(f"{fe.ticker} on {fe.day0} has its own market {fe.market} but benchmarks give it {benchmark}",
                                         hint="give each firm-event one benchmark: drop the events file's market or the benchmark")
                    fe = fe._replace(market=benchmark)
                applied.append(fe)
            firm_events = applied
        if not any(fe.market is not None for fe in firm_events):
            return firm_events
        keep = spec.uses_market
        return [fe if fe.market is None or (keep and fe.market != self.market) else fe._replace(market=None) for fe in firm_events]


def _cross_sections(panel, fitted, ar: np.ndarray, characteristics: Any, windows: tuple[Window, ...]) -> list[CrossSection]:
    x, names = characteristics_of(panel.firm_events, characteristics)
    out = []
    for window in windows:
        rows, _ = panel.window_rows(window)
        have = np.isfinite(x[rows]).all(axis=1)
        used = rows[have]
        car = ar[used, panel.columns(window)].sum(axis=1)
        omega = car_covariance(panel, fitted, used, window) if 0 < used.size <= MAX_COVARIANCE_FIRMS else None
        out.append(regress_cars(window, car, x[used], names, panel.day0[used], omega, left_out=int((~have).sum())))
    return out


def _group_names(firm_events: list[FirmEvent], groups: Sequence[str] | None) -> tuple[str, ...]:
    """The groups in order; every firm-event must name one of them when any does."""
    present = list(dict.fromkeys(fe.group for fe in firm_events))
    if groups is None and present == [None]:
        return ()
    names = tuple(dict.fromkeys(groups)) if groups is not None else tuple(g for g in present if g is not None)
    if None in present:
        missing = next(fe for fe in firm_events if fe.group is None)
        raise StudyError(f"firm-event {missing.ticker} {missing.day0} belongs to no group",
                         hint="give every firm-event a group, or none")
    unknown = [g for g in present if g not in names]
    if unknown:
        raise StudyError(f"firm-events name group(s) {', '.join(map(str, unknown))} not among the groups {', '.join(names)}")
    return names
