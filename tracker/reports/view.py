"""What a study shows: the one place that selects, orders and words a :class:`StudyResult`.

:func:`report_view` turns a result into plain rows and sentences for every renderer: the text
of the terminal and of ``print(result)`` (:mod:`~tracker.reports.text`), Markdown
(:mod:`~tracker.reports.markdown`), HTML (:mod:`~tracker.reports.html`, also a notebook's
``_repr_html_``) and the charts (:mod:`~tracker.reports.charts`). JSON and CSV are data, written
from the result itself (:meth:`StudyResult.to_json`, :mod:`~tracker.reports.data_files`).
Nothing is estimated here: every number is copied from the result (as the JSON has it: NaN
becomes ``None``), and which tests stay valid when firm-events share day 0 comes from
:func:`tracker.analysis.statistics.reading_order`.

Several event windows: the view holds one :class:`WindowView` per requested window (in the
order given), each with its own firms, tests, CAAR band and skipped firm-events. The first
window is the study's primary one (the JSON's schema-1 keys describe it): the headline and the
lead firm come from it. Charts of cumulative abnormal returns are drawn for the widest window
and for any window it does not cover (:attr:`ReportView.path_windows`); every window gets its
bar chart of CARs and its tables.
"""

from __future__ import annotations

import math
import shlex
from dataclasses import dataclass
from typing import Any

import numpy as np

from tracker.analysis.formatting import day_range, json_number, num, offset_label, pct, typeset, window_label
from tracker.analysis.panel import Skipped
from tracker.analysis.results import SCHEMA_VERSION, StudyResult, WindowResult, conventions, event_name
from tracker.analysis.statistics import TestResult, reading_order
from tracker.errors import ReportError

#: Each test's name in a report, with the reference.
TEST_LABELS: dict[str, str] = {
    "cross_sectional_t": "Cross-sectional t (Brown & Warner 1985)",
    "cda_t": "Crude dependence adjusted t (Brown & Warner 1985)",
    "patell_z": "Patell Z (1976)",
    "bmp_t": "BMP t (Boehmer, Musumeci & Poulsen 1991)",
    "kp_patell_z": "Patell Z, Kolari–Pynnönen adjusted (2010)",
    "kp_bmp_t": "BMP t, Kolari–Pynnönen adjusted (2010)",
    "corrado_rank_z": "Corrado rank Z, day 0 (1989)",
    "rank_z": "Rank Z over the window (Cowan 1992)",
    "grank_t": "Generalised rank t (Kolari & Pynnönen 2011)",
    "generalized_sign_z": "Generalised sign Z (Cowan 1992)",
    "sign_z": "Sign Z",
    "wilcoxon": "Wilcoxon signed-rank on CARs",
    "skew_adjusted_t": "Skewness-adjusted t on BHARs (Lyon, Barber & Tsai 1999)",
    "portfolio_t": "Portfolio t (equal-weighted portfolio as one security)",
    "calendar_time_t": "Calendar-time portfolio alpha t (Jaffe 1974; Mandelker 1974)",
}

#: Why a test the study lists as valid under clustering stays valid (wording only).
ROBUST_BECAUSE: dict[str, str] = {
    "portfolio_t": "one security: no cross-correlation left",
    "kp_bmp_t": "adjusted for the average cross-correlation",
    "kp_patell_z": "adjusted for the average cross-correlation",
    "cda_t": "the portfolio's time series absorbs the cross-correlation",
    "grank_t": "scaled by the time series of the average rank",
    "corrado_rank_z": "scaled by the time series of the average rank",
    "rank_z": "scaled by the time series of the average rank",
    "calendar_time_t": "the daily portfolio's time series absorbs the cross-correlation",
}
NOT_ROBUST_BECAUSE = "assumes independent firm-events"


@dataclass(frozen=True)
class EstimatedRow:
    """A firm-event whose model could be estimated (whether or not a window then skipped it)."""

    ticker: str
    event_id: str | None
    event_name: str | None
    event_date: str
    day0: str
    alpha: float | None
    beta: float | None
    sigma: float | None
    n_est: int


@dataclass(frozen=True)
class FirmRow(EstimatedRow):
    """One firm-event in one window: its estimates and abnormal returns, as in the study JSON.

    ``index`` is its place among the study's estimated firm-events (:attr:`ReportView.estimated`),
    the same in every window.
    """

    index: int
    ar: tuple[float | None, ...]  # one per window day
    returns: tuple[float | None, ...]  # the firm's raw return, per window day
    benchmark: tuple[float | None, ...]  # the market's return (MKT-RF + RF for factor models), per window day
    window_return: float | None
    car: float | None
    car_t: float | None
    car_t_clm: float | None
    car_p: float | None
    bhar: float | None


@dataclass(frozen=True)
class DayRow:
    """One event-window day across firms: AAR, CAAR through the day and its band."""

    offset: int
    date: str | None  # the session when all firm-events share day 0
    aar: float | None
    caar: float | None
    lower: float | None
    upper: float | None


@dataclass(frozen=True)
class TestRow:
    __test__ = False  # not a pytest test class

    name: str
    label: str
    stat: float | None
    p: float | None
    distribution: str
    reason: str | None
    valid_under_clustering: bool  # as the study classes it (statistics.CLUSTER_ROBUST)
    clustering_note: str
    estimate: float | None = None  # what a regression test is about (the calendar-time daily alpha)
    estimate_note: str | None = None  # the estimate in words, for under the table


@dataclass(frozen=True)
class Band:
    level: float
    method: str
    s_aar: float | None
    df: int | None
    reason: str | None


@dataclass(frozen=True)
class SkippedRow:
    ticker: str
    event_id: str | None
    event_date: str
    reason: str
    windows: tuple[str, ...] = ()  # labels of the windows it was skipped in; empty: every window


@dataclass(frozen=True)
class WindowView:
    """Everything measured over one event window."""

    window: tuple[int, int]
    offsets: tuple[int, ...]
    firms: tuple[FirmRow, ...]  # in the study's order
    days: tuple[DayRow, ...]
    n: int
    common_day0: str | None
    caar: float | None
    abhar: float | None
    tests: tuple[TestRow, ...]  # in the study's reading order
    band: Band | None
    skipped: tuple[SkippedRow, ...]

    @property
    def label(self) -> str:
        return f"day {typeset(offset_label(self.window[0]))}" if self.window[0] == self.window[1] else f"days {typeset(day_range(*self.window))}"

    @property
    def clustered(self) -> bool:
        """More than one firm-event and all share day 0: their abnormal returns are cross-correlated."""
        return self.common_day0 is not None and self.n > 1

    @property
    def firms_by_car(self) -> list[FirmRow]:
        """Firms from the lowest CAR to the highest (undefined CARs last)."""
        return sorted(self.firms, key=lambda f: (f.car is None, f.car if f.car is not None else 0.0))

    @property
    def dates(self) -> tuple[str | None, ...]:
        return tuple(d.date for d in self.days)

    def covers(self, other: WindowView) -> bool:
        return self.window[0] <= other.window[0] and other.window[1] <= self.window[1]


@dataclass(frozen=True)
class ReportView:
    """A study as a report shows it."""

    title: str
    subtitle: str
    event: dict[str, Any]
    is_panel: bool
    model: str
    model_description: str
    market: str | None
    factors: tuple[str, ...]
    estimation: tuple[int, int]
    min_obs: int
    exclusion: Any  # tracker.analysis.Exclusion, or None
    log_position: int
    conventions: dict[str, str]
    windows: tuple[WindowView, ...]
    estimated: tuple[EstimatedRow, ...]  # in the study's order (FirmRow.index points here)
    merged: tuple[dict[str, Any], ...]  # firm-events that shared ticker and day 0, studied as one
    overlaps: tuple[dict[str, Any], ...]  # firm-events whose windows hold another curated event's day 0
    estimation_skipped: tuple[SkippedRow, ...]  # firm-events whose model could not be estimated
    skipped: tuple[SkippedRow, ...]  # across windows, each once
    headline: str
    lead_ticker: str | None
    provenance: Any = None  # tracker.reports.provenance.Provenance, when read from the warehouse
    schema_version: int | None = None
    #: The groups compared, in order, each with its own windows (aggregates and tests, no firm rows).
    groups: tuple[tuple[str, tuple[WindowView, ...]], ...] = ()
    #: Each pair of groups' difference per window (:class:`tracker.analysis.groups.GroupDifference`).
    group_differences: tuple[Any, ...] = ()
    #: Per window, the cross-sectional regression of CARs (:class:`tracker.analysis.cross_section.CrossSection`).
    cross_sections: tuple[Any, ...] = ()
    notes: tuple[str, ...] = ()  # about the sample (group tickers without prices…)
    #: firm-events' own market benchmarks: ``(benchmark, tickers)`` pairs, empty when all use ``market``
    own_benchmarks: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: the study's ``--benchmark TICKER=ETF`` pairs (to reproduce it)
    benchmark_option: tuple[tuple[str, str], ...] = ()

    @property
    def window(self) -> WindowView:
        """The first (primary) event window."""
        return self.windows[0]

    @property
    def widest(self) -> WindowView:
        """The longest window (the first of equals)."""
        return max(self.windows, key=lambda w: w.window[1] - w.window[0])

    @property
    def path_windows(self) -> tuple[WindowView, ...]:
        """Windows drawn as a chart of CAR paths: the widest, then any it does not cover."""
        drawn = [self.widest]
        for w in self.windows:
            if not any(d.covers(w) for d in drawn):
                drawn.append(w)
        return tuple(w for w in drawn if w.n)

    @property
    def common_day0(self) -> str | None:
        """The shared day 0 when every firm-event of every window has the same one."""
        days = {w.common_day0 for w in self.windows if w.n}
        return days.pop() if len(days) == 1 and None not in days else None

    @property
    def clustered(self) -> bool:
        return any(w.clustered for w in self.windows)

    @property
    def model_line(self) -> str:
        """``market model vs SPY``, ``ff3 model (mkt_rf, smb, hml)``."""
        return model_line(self.model, self.market, self.factors, self.own_benchmarks)

    @property
    def overlap_groups(self) -> list[dict[str, Any]]:
        """The overlaps with the same event, day 0 and other events told once: ``tickers, event_id, day0, others``."""
        groups: dict[tuple, dict[str, Any]] = {}
        for o in self.overlaps:
            key = (o["day0"], o["event_id"], tuple(e["event_id"] for e in o["others"]))
            groups.setdefault(key, {**o, "tickers": []})["tickers"].append(o["ticker"])
        return list(groups.values())

    @property
    def several_events(self) -> bool:
        """Whether the firm-events belong to more than one event: then every row names its event."""
        return len({e.event_id for e in self.estimated}) > 1

    @property
    def sample(self) -> str:
        """The firm-events of a panel in words: ``12 firm-events from panel.csv``, ``23 model_release events since 2024-06-01``."""
        event = self.event
        if "events_file" in event:
            return f"{event['firm_events']:,} firm-events from {event['events_file']}"
        filters = "".join(f" {word} {event[key]}" for key, word in (("org", "of"), ("since", "since"), ("until", "until")) if event.get(key))
        return f"{event['firm_events']:,} firm-events: {event['events']:,} {event['kind']} events{filters}"

    @property
    def event_line(self) -> str:
        """What was studied: the event with its day 0, or the events file."""
        event = self.event
        if self.is_panel:
            return self.sample
        if not event.get("event_id"):  # a study run from the library without describing its event
            return f"{len(self.estimated) + len(self.estimation_skipped):,} firm-events"
        when = f"{event.get('announced_at', '')} {event.get('timezone', '')}".strip()
        return (f"{event.get('name')} [{event.get('event_id')}], announced {when}; "
                f"day 0 = {event.get('day0')} ({event.get('day0_rule')})")

    @property
    def setup_line(self) -> str:
        """How: the model, the windows, min-obs, the log position and any exclusion."""
        windows = ", ".join(window_label(w.window) for w in self.windows)
        text = (
            f"{self.model_line}, estimation [{self.estimation[0]},{self.estimation[1]}], "
            f"window{'s' if len(self.windows) > 1 else ''} {windows}, min-obs {self.min_obs}, log position {self.log_position}"
        )
        if self.exclusion:
            ex = self.exclusion
            text += f"; estimation days within ±{ex.within} of {len(ex.events)} {'/'.join(ex.kinds)} event(s) excluded"
        return text

    @property
    def tickers(self) -> list[str]:
        return sorted({f.ticker for w in self.windows for f in w.firms} | {s.ticker for s in self.skipped})


def is_kind_sample(event: dict[str, Any]) -> bool:
    """Whether a study's ``event`` block describes every event of a kind (``--kind``), not one event."""
    return "kind" in event and "event_id" not in event and "events_file" not in event


def model_line(model: str, market: str | None, factors: tuple[str, ...],
               own_benchmarks: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> str:
    """``market model vs SPY``, ``ff3 model (mkt_rf, smb, hml)``, ``mean-adjusted model``; with firm-events
    that have benchmarks of their own, ``market model vs SPY; NVDA, AVGO vs SMH``."""
    benchmark = f"vs {market}" if market else (f"({', '.join(factors)})" if factors else "")
    line = f"{model} model {benchmark}".strip()
    if market:
        line += "".join(f"; {_few(tickers)} vs {etf}" for etf, tickers in own_benchmarks)
    return line


def _few(tickers: tuple[str, ...], shown: int = 4) -> str:
    """``NVDA, AVGO`` or ``NVDA, AVGO, MU, TSM and 3 more``."""
    more = len(tickers) - shown
    return ", ".join(tickers[:shown]) + (f" and {more} more" if more > 0 else "")


def own_benchmarks(result: StudyResult) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``(benchmark, tickers)`` of the firm-events measured against a benchmark of their own, by benchmark."""
    if not (result.own_benchmarks and result.market):
        return ()
    by: dict[str, dict[str, None]] = {}
    for fe in result.firm_events:
        if fe.market:
            by.setdefault(fe.market, {})[fe.ticker] = None
    return tuple((etf, tuple(tickers)) for etf, tickers in sorted(by.items()))


def report_view(result: StudyResult, *, provenance: Any = None, lead: str | None = None, firms: bool = True) -> ReportView:
    """The view of a study result.

    ``lead`` names the firm the headline leads with; by default it is the firm whose CAR (in the
    first window) has the largest absolute t-statistic. ``provenance``
    (:func:`tracker.reports.provenance.collect_provenance`) adds where the data came from.
    ``firms=False`` leaves out every firm-event's row (and the headline, which names one): the
    aggregates of a study too large to show firm by firm.
    """
    event = result.event
    is_panel = "events_file" in event or is_kind_sample(event)
    windows = tuple(_window(result, w, firms) for w in result.by_window)
    skipped = _skipped_across(windows)
    lead_row = _lead_firm(windows[0], lead) if firms else None
    model = result.model.name
    if is_panel:
        title = (f"Event study: {event.get('firm_events')} firm-events from {event.get('events_file')}" if "events_file" in event
                 else f"Event study: {event['kind']} events" + "".join(
                     f" {word} {event[key]}" for key, word in (("org", "of"), ("since", "since"), ("until", "until")) if event.get(key)))
        subtitle = model_line(model, result.market, (), own_benchmarks(result))
    else:
        title = event.get("name") or event.get("event_id") or "Event study"
        subtitle = (f"Event study of {event.get('event_id')} · day 0 = {event.get('day0')}" if event.get("event_id")
                    else f"Event study of {len(result.firm_events):,} firm-events")
    stated = conventions(result.model)
    alpha, beta, sigma = _values(result.alpha), _values(result.beta), _values(result.sigma)
    estimated = tuple(
        EstimatedRow(fe.ticker, fe.event_id, event_name(fe.event_id, result.event_names), fe.event_date.isoformat(),
                     fe.day0.isoformat(), alpha[i], beta[i], sigma[i], int(result.n_est[i]))
        for i, fe in enumerate(result.firm_events)
    ) if firms else ()
    return ReportView(
        title=title,
        subtitle=subtitle,
        event=event,
        is_panel=is_panel,
        model=model,
        model_description=stated["model"],
        market=result.market,
        factors=tuple(result.model.factors),
        estimation=tuple(result.estimation),
        min_obs=result.min_obs,
        exclusion=result.exclusion,
        log_position=result.log_position,
        conventions=stated,
        windows=windows,
        estimated=estimated,
        merged=tuple(result.merged),
        overlaps=tuple(result.overlaps),
        estimation_skipped=tuple(_skipped_row(s) for s in result.estimation_skipped),
        skipped=skipped,
        headline=_headline(windows, lead_row, is_panel, event, len(skipped)) if firms else "",
        lead_ticker=lead_row.ticker if lead_row else None,
        provenance=provenance,
        schema_version=SCHEMA_VERSION,
        groups=tuple((name, tuple(_window(result.groups[name], w, False) for w in result.groups[name].by_window))
                     for name in result.group_names),
        group_differences=tuple(result.group_differences),
        cross_sections=tuple(result.cross_sections),
        notes=tuple(event.get("notes") or ()),
        own_benchmarks=own_benchmarks(result),
        benchmark_option=tuple(sorted(result.benchmarks.items())) if result.market else (),
    )


# -- reading the result -------------------------------------------------------------------------------

def _values(values: np.ndarray) -> list:
    """An array as (nested) lists of floats, NaN and infinities as ``None``, as the JSON has them."""
    values = np.asarray(values, dtype=float)
    return np.where(np.isfinite(values), values, None).tolist()


def _window(result: StudyResult, w: WindowResult, firms: bool = True) -> WindowView:
    """One window of the result as a view (without its firm-events' rows unless ``firms``)."""
    offsets = tuple(w.offsets)
    rows = w.rows if firms else w.rows[:0]
    events = [result.firm_events[i] for i in rows.tolist()]
    alpha, beta, sigma = _values(result.alpha[rows]), _values(result.beta[rows]), _values(result.sigma[rows])
    ar, returns, benchmark = _values(w.ar), _values(w.returns), _values(w.benchmark)
    measures = {name: _values(getattr(w, name)) for name in ("window_return", "car", "car_t", "car_t_clm", "car_p", "bhar")}
    firms = tuple(
        FirmRow(
            index=i,
            ticker=fe.ticker,
            event_id=fe.event_id,
            event_name=event_name(fe.event_id, result.event_names),
            event_date=fe.event_date.isoformat(),
            day0=fe.day0.isoformat(),
            alpha=alpha[j],
            beta=beta[j],
            sigma=sigma[j],
            n_est=int(result.n_est[i]),
            ar=tuple(ar[j]),
            returns=tuple(returns[j]),
            benchmark=tuple(benchmark[j]),
            **{name: values[j] for name, values in measures.items()},
        )
        for j, (i, fe) in enumerate(zip(rows.tolist(), events))
    )
    common = w.common_dates
    caar = np.cumsum(w.aar)
    band = w.caar_band
    days = tuple(
        DayRow(
            offset=o,
            date=None if common is None or np.isnat(common[d]) else str(common[d]),
            aar=json_number(w.aar[d]),
            caar=json_number(caar[d]),
            lower=json_number(band.lower[d]) if band is not None else None,
            upper=json_number(band.upper[d]) if band is not None else None,
        )
        for d, o in enumerate(offsets)
    )
    clustered = common is not None and w.n > 1
    return WindowView(
        window=w.window,
        offsets=offsets,
        firms=firms,
        days=days,
        n=w.n,
        common_day0=str(result.day0[w.rows[0]]) if common is not None else None,
        caar=json_number(w.caar),
        abhar=json_number(w.abhar),
        tests=tuple(_test_row(w.tests[name], robust, len(offsets)) for name, robust in reading_order(clustered)),
        band=Band(band.level, band.method, json_number(band.s_aar), band.df, band.reason) if band is not None else None,
        skipped=tuple(_skipped_row(s) for s in w.skipped),
    )


def _skipped_row(skipped: Skipped) -> SkippedRow:
    return SkippedRow(skipped.ticker, skipped.event_id, skipped.event_date.isoformat(), skipped.reason)


def _test_row(test: TestResult, robust: bool, days: int) -> TestRow:
    return TestRow(
        name=test.name,
        label=TEST_LABELS.get(test.name, test.name),
        stat=json_number(test.stat),
        p=json_number(test.p),
        distribution=test.distribution or "",
        reason=test.reason,
        valid_under_clustering=robust,
        clustering_note=ROBUST_BECAUSE.get(test.name, "") if robust else NOT_ROBUST_BECAUSE,
        estimate=json_number(test.estimate),
        estimate_note=_estimate_note(test, days),
    )


def _estimate_note(test: TestResult, days: int) -> str | None:
    """The calendar-time portfolio's alpha in words (``days``: the window's length)."""
    if test.name != "calendar_time_t" or test.estimate is None or not test.details:
        return None
    d = test.details
    return (f"Calendar-time portfolio: alpha {pct(test.estimate, 3)} a day (x {days} day{'s' if days > 1 else ''} = "
            f"{pct(d['window_alpha'], 2)}); {d['days']:,} calendar days, {d['mean_holdings']:.1f} firm-events held on average.")


def _skipped_across(windows: tuple[WindowView, ...]) -> tuple[SkippedRow, ...]:
    """Each skipped firm-event once, with the windows it was skipped in (none named: all of them)."""
    seen: dict[tuple, list[str]] = {}
    for w in windows:
        for s in w.skipped:
            seen.setdefault((s.ticker, s.event_id, s.event_date, s.reason), []).append(w.label)
    return tuple(
        SkippedRow(*key, windows=() if len(labels) == len(windows) else tuple(labels))
        for key, labels in seen.items()
    )


# -- the headline ------------------------------------------------------------------------------------

def _lead_firm(window: WindowView, lead: str | None) -> FirmRow | None:
    if lead is not None:
        lead = lead.upper()
        for firm in window.firms:
            if firm.ticker == lead:
                return firm
        why = [s.reason for s in window.skipped if s.ticker == lead]
        studied = ", ".join(sorted({f.ticker for f in window.firms})) or "none"
        detail = f"it was skipped: {why[0]}" if why else f"the studied firms are {studied}"
        raise ReportError(f"--lead {lead} is not among the studied firms ({detail})")
    candidates = [f for f in window.firms if _finite(f.car_t_clm)]
    if candidates:
        return max(candidates, key=lambda f: abs(f.car_t_clm))
    candidates = [f for f in window.firms if _finite(f.car)]
    return max(candidates, key=lambda f: abs(f.car)) if candidates else None


def _pct(value: float | None, digits: int) -> str:
    return typeset(pct(value, digits))


def _over(window: WindowView) -> str:
    """``on day 0`` or ``over days -1 to +1``."""
    return f"{'on' if len(window.offsets) == 1 else 'over'} {window.label}"


def _band_text(window: WindowView) -> str:
    final = window.days[-1] if window.days else None
    if window.band is None or final is None or not (_finite(final.lower) and _finite(final.upper)):
        return ""
    return f" ({window.band.level:.0%} band {_pct(final.lower, 1)} to {_pct(final.upper, 1)})"


def _headline(
    windows: tuple[WindowView, ...],
    lead: FirmRow | None,
    is_panel: bool,
    event: dict[str, Any],
    n_skipped: int,
) -> str:
    window, others = windows[0], [w for w in windows[1:] if w.n]
    if window.n == 0 or lead is None:
        return f"No firm-event could be studied: all {n_skipped} were skipped (reasons under Data provenance)."
    also = "".join(f", {_pct(w.caar, 2 if is_panel else 1)} {_over(w)}{_band_text(w)}" for w in others)
    if window.common_day0 is None:
        source = (f" from {event['events_file']}" if "events_file" in event
                  else f" of {event['events']:,} {event['kind']} events" if is_kind_sample(event) else "")
        return (
            f"Across {window.n:,} firm-events{source}, the cumulative average abnormal return "
            f"{_over(window)} was {_pct(window.caar, 2)}{_band_text(window)}{also}."
        )
    sentences = [_firm_sentence(window, lead)]
    if window.n > 1:
        what = "average abnormal return" if len(window.offsets) == 1 and not others else "cumulative average abnormal return (CAAR)"
        over = f" {_over(window)}" if others else ""
        sentences.append(f"Across the {window.n} firms the {what} was {_pct(window.caar, 1)}{over}{_band_text(window)}{also}.")
    else:
        cars = [(w, next((f for f in w.firms if f.ticker == lead.ticker), None)) for w in others]
        said = [f"{_pct(f.car, 1)} {_over(w)}" for w, f in cars if f is not None]
        if said:
            sentences.append(f"Its cumulative abnormal return was {', '.join(said)}.")
    return " ".join(sentences)


def _firm_sentence(window: WindowView, firm: FirmRow) -> str:
    t = f" (t = {typeset(num(firm.car_t_clm, 1))})" if _finite(firm.car_t_clm) else ""
    dates = window.dates
    if len(window.offsets) == 1:
        when = dates[0] or window.label
        return f"{firm.ticker}'s abnormal return on {when} was {_pct(firm.car, 1)}{t}."
    span = f"{dates[0]} to {dates[-1]}, " if dates[0] and dates[-1] else ""
    sentence = (
        f"{firm.ticker}'s cumulative abnormal return over the {len(window.offsets)} sessions "
        f"({span}{window.label}) was {_pct(firm.car, 1)}{t}"
    )
    finite = [(j, a) for j, a in enumerate(firm.ar) if _finite(a)]
    if finite:
        j, biggest = max(finite, key=lambda item: abs(item[1]))
        when = dates[j] or f"day {typeset(offset_label(window.offsets[j]))}"
        sentence += f"; its largest one-day abnormal return was {_pct(biggest, 1)} on {when}"
    return sentence + "."


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def reproduce_command(view: ReportView, command: str = "study") -> str:
    """The ``tracker`` command line that recomputes these numbers from the same log position.

    Every argument is quoted for a POSIX shell, so an events file named ``$(touch x).csv`` is a name.
    """
    event = view.event
    # the tickers: the groups' from the command line, else those studied
    named = [part for name, tickers in (event.get("groups") or {}).items() for part in ("--group", f"{name}={','.join(tickers)}")]
    tickers = named or ["--tickers", ",".join(view.tickers)]
    if "events_file" in event:
        parts = ["tracker", command, "--events-file", str(event.get("events_file"))]  # its group column gives the groups
    elif is_kind_sample(event):
        parts = ["tracker", command, "--kind", event["kind"]]
        parts += [part for key in ("since", "until", "org") if event.get(key) for part in (f"--{key}", str(event[key]))]
        parts += tickers
    else:
        parts = ["tracker", command, str(view.event.get("event_id")), *tickers]
    if view.market:
        parts += ["--market", view.market]
    for ticker, etf in view.benchmark_option:
        parts += ["--benchmark", f"{ticker}={etf}"]
    parts += ["--model", view.model, "--estimation", f"{view.estimation[0]},{view.estimation[1]}"]
    for w in view.windows:
        parts += ["--window", f"{w.window[0]},{w.window[1]}"]
    parts += ["--min-obs", str(view.min_obs)]
    if view.exclusion:
        parts += ["--exclude-events", ",".join(view.exclusion.kinds), "--exclude-within", str(view.exclusion.within)]
    return shlex.join(parts + ["--as-of", str(view.log_position)])
