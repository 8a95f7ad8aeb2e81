"""What a report shows, read from a study's JSON document: the one place that knows its layout.

:func:`report_view` turns ``StudyResult.to_dict()`` (the documented, stable schema) into plain
rows and sentences for the renderers (:mod:`~tracker.reports.html`,
:mod:`~tracker.reports.markdown`, :mod:`~tracker.reports.charts`). Nothing is estimated here:
every number is copied from the study; this module only selects, orders and words them.

A study may one day carry several event windows; the view already holds a list of
:class:`WindowView` (one today), so supporting that means changing :func:`_windows` only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from tracker.errors import ReportError
from tracker.reports.formatting import day_range, num, offset, pct

#: How each test behaves when every firm-event shares day 0 (engineering notes §2.12).
#: ``True``: valid under that clustering; ``False``: assumes independent firms and over-rejects;
#: a name missing here is shown without a verdict.
TESTS: dict[str, tuple[str, bool | None, str]] = {
    "cross_sectional_t": ("Cross-sectional t (Brown & Warner 1985)", False, "assumes independent firms"),
    "cda_t": ("Crude dependence adjusted t (Brown & Warner 1985)", True, "portfolio time series absorbs cross-correlation"),
    "patell_z": ("Patell Z (1976)", False, "assumes independent firms"),
    "bmp_t": ("BMP t (Boehmer, Musumeci & Poulsen 1991)", False, "assumes independent firms"),
    "kp_patell_z": ("Patell Z, Kolari–Pynnönen adjusted (2010)", True, "adjusted for the average residual correlation"),
    "kp_bmp_t": ("BMP t, Kolari–Pynnönen adjusted (2010)", True, "adjusted for the average residual correlation"),
    "corrado_rank_z": ("Corrado rank Z, day 0 (1989)", None, ""),
    "rank_z": ("Rank Z over the window (Cowan 1992)", None, ""),
    "grank_t": ("Generalised rank t (Kolari & Pynnönen 2011)", None, ""),
    "generalized_sign_z": ("Generalised sign Z (Cowan 1992)", False, "assumes independent firms"),
    "sign_z": ("Sign Z", False, "assumes independent firms"),
    "wilcoxon": ("Wilcoxon signed-rank on CARs", False, "assumes independent firms"),
    "skew_adjusted_t": ("Skewness-adjusted t on BHARs (Lyon, Barber & Tsai 1999)", False, "assumes independent firms"),
    "portfolio_t": ("Portfolio t (equal-weighted portfolio as one security)", True, "one security: no cross-correlation left"),
}

MODELS = {
    "market": "Market model: R_it = α_i + β_i·R_mt + ε_it, fitted by OLS on each firm-event's estimation window",
}


@dataclass(frozen=True)
class FirmRow:
    """One firm-event in one window: estimates and abnormal returns, as in the study JSON."""

    ticker: str
    event_id: str | None
    event_date: str
    day0: str
    alpha: float | None
    beta: float | None
    sigma: float | None
    n_est: int
    ar: tuple[float | None, ...]  # one per window day
    window_return: float | None
    car: float | None
    car_t: float | None
    car_t_clm: float | None
    car_p: float | None


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
    name: str
    label: str
    stat: float | None
    p: float | None
    distribution: str
    reason: str | None
    valid_under_clustering: bool | None
    clustering_note: str


@dataclass(frozen=True)
class Band:
    level: float
    method: str
    s_aar: float | None
    df: int | None


@dataclass(frozen=True)
class WindowView:
    """Everything measured over one event window."""

    window: tuple[int, int]
    offsets: tuple[int, ...]
    firms: tuple[FirmRow, ...]  # in the study's order
    days: tuple[DayRow, ...]
    n: int
    caar: float | None
    tests: tuple[TestRow, ...]
    band: Band | None

    @property
    def label(self) -> str:
        return f"day {offset(self.window[0])}" if self.window[0] == self.window[1] else f"days {day_range(*self.window)}"

    @property
    def firms_by_car(self) -> list[FirmRow]:
        """Firms from the lowest CAR to the highest (undefined CARs last)."""
        return sorted(self.firms, key=lambda f: (f.car is None, f.car if f.car is not None else 0.0))

    @property
    def dates(self) -> tuple[str | None, ...]:
        return tuple(d.date for d in self.days)


@dataclass(frozen=True)
class SkippedRow:
    ticker: str
    event_id: str | None
    event_date: str
    reason: str


@dataclass(frozen=True)
class ReportView:
    """A study as a report shows it."""

    title: str
    subtitle: str
    event: dict[str, Any]
    is_panel: bool
    common_day0: str | None
    model: str
    model_description: str
    market: str
    estimation: tuple[int, int]
    min_obs: int
    log_position: int
    conventions: dict[str, str]
    windows: tuple[WindowView, ...]
    skipped: tuple[SkippedRow, ...]
    headline: str
    lead_ticker: str | None
    provenance: Any = None  # tracker.reports.provenance.Provenance, when read from the warehouse
    schema_version: int | None = None

    @property
    def window(self) -> WindowView:
        """The (first) event window."""
        return self.windows[0]

    @property
    def clustered(self) -> bool:
        """All firm-events share day 0 and there is more than one: cross-correlation matters."""
        return self.common_day0 is not None and self.window.n > 1

    @property
    def tickers(self) -> list[str]:
        return sorted({f.ticker for w in self.windows for f in w.firms} | {s.ticker for s in self.skipped})


def report_view(study: dict[str, Any], *, provenance: Any = None, lead: str | None = None) -> ReportView:
    """The view of a study document (``StudyResult.to_dict()``).

    ``lead`` names the firm the headline leads with; by default it is the firm whose CAR has the
    largest absolute t-statistic.
    """
    event = study.get("event") or {}
    is_panel = "events_file" in event
    aggregate = study.get("aggregate") or {}
    windows = _windows(study)
    skipped = tuple(
        SkippedRow(s["ticker"], s.get("event_id"), s["event_date"], s["reason"]) for s in study.get("skipped", [])
    )
    common_day0 = aggregate.get("common_day0")
    lead_row = _lead_firm(windows[0], lead, skipped)
    headline = _headline(windows[0], lead_row, common_day0, is_panel, event, len(skipped))
    if is_panel:
        title = f"Event study: {event.get('firm_events')} firm-events from {event.get('events_file')}"
        subtitle = f"{study['model']} model vs {study['market']}"
    else:
        title = event.get("name") or event.get("event_id") or "Event study"
        subtitle = f"Event study of {event.get('event_id')} · day 0 = {event.get('day0')}"
    return ReportView(
        title=title,
        subtitle=subtitle,
        event=event,
        is_panel=is_panel,
        common_day0=common_day0,
        model=study["model"],
        model_description=MODELS.get(study["model"], f"{study['model']} model"),
        market=study["market"],
        estimation=tuple(study["estimation"]),
        min_obs=study["min_obs"],
        log_position=study["log_position"],
        conventions=dict(study.get("conventions") or {}),
        windows=windows,
        skipped=skipped,
        headline=headline,
        lead_ticker=lead_row.ticker if lead_row else None,
        provenance=provenance,
        schema_version=study.get("schema_version"),
    )


# -- reading the document ---------------------------------------------------------------------------

def _windows(study: dict[str, Any]) -> tuple[WindowView, ...]:
    """The event windows of the study (the schema has one, at the top level)."""
    window = tuple(study["window"])
    offsets = tuple(range(window[0], window[1] + 1))
    aggregate = study.get("aggregate") or {}
    firms = tuple(
        FirmRow(
            ticker=f["ticker"],
            event_id=f.get("event_id"),
            event_date=f["event_date"],
            day0=f["day0"],
            alpha=f.get("alpha"),
            beta=f.get("beta"),
            sigma=f.get("sigma"),
            n_est=int(f.get("n_est") or 0),
            ar=tuple(day.get("ar") for day in f.get("ar", [])),
            window_return=f.get("window_return"),
            car=f.get("car"),
            car_t=f.get("car_t"),
            car_t_clm=f.get("car_t_clm"),
            car_p=f.get("car_p"),
        )
        for f in study.get("firms", [])
    )
    aar = {day["offset"]: day for day in aggregate.get("aar", [])}
    band_doc = aggregate.get("caar_band") or {}
    band_days = {day["offset"]: day for day in band_doc.get("days", [])}
    days = tuple(
        DayRow(
            offset=o,
            date=(aar.get(o) or {}).get("date"),
            aar=(aar.get(o) or {}).get("aar"),
            caar=(band_days.get(o) or {}).get("caar"),
            lower=(band_days.get(o) or {}).get("lower"),
            upper=(band_days.get(o) or {}).get("upper"),
        )
        for o in offsets
    )
    band = (
        Band(level=band_doc["level"], method=band_doc.get("method", ""), s_aar=band_doc.get("s_aar"), df=band_doc.get("df"))
        if band_doc else None
    )
    tests = tuple(_test_row(name, test) for name, test in (aggregate.get("tests") or {}).items())
    return (
        WindowView(
            window=window,
            offsets=offsets,
            firms=firms,
            days=days,
            n=int(aggregate.get("n", len(firms))),
            caar=aggregate.get("caar"),
            tests=tests,
            band=band,
        ),
    )


def _test_row(name: str, test: dict[str, Any]) -> TestRow:
    label, valid, note = TESTS.get(name, (name, None, ""))
    distribution = test.get("distribution") or ""
    return TestRow(
        name=name,
        label=label,
        stat=test.get("stat"),
        p=test.get("p"),
        distribution=distribution,
        reason=test.get("reason"),
        valid_under_clustering=valid,
        clustering_note=note,
    )


# -- the headline ------------------------------------------------------------------------------------

def _lead_firm(window: WindowView, lead: str | None, skipped: tuple[SkippedRow, ...]) -> FirmRow | None:
    if lead is not None:
        lead = lead.upper()
        for firm in window.firms:
            if firm.ticker == lead:
                return firm
        why = [s.reason for s in skipped if s.ticker == lead]
        studied = ", ".join(sorted({f.ticker for f in window.firms})) or "none"
        detail = f"it was skipped: {why[0]}" if why else f"the studied firms are {studied}"
        raise ReportError(f"--lead {lead} is not among the studied firms ({detail})")
    candidates = [f for f in window.firms if _finite(f.car_t_clm)]
    if candidates:
        return max(candidates, key=lambda f: abs(f.car_t_clm))
    candidates = [f for f in window.firms if _finite(f.car)]
    return max(candidates, key=lambda f: abs(f.car)) if candidates else None


def _headline(
    window: WindowView,
    lead: FirmRow | None,
    common_day0: str | None,
    is_panel: bool,
    event: dict[str, Any],
    n_skipped: int,
) -> str:
    if window.n == 0 or lead is None:
        return f"No firm-event could be studied: all {n_skipped} were skipped (reasons under Data provenance)."
    final = window.days[-1] if window.days else None
    band = ""
    if window.band is not None and final is not None and _finite(final.lower) and _finite(final.upper):
        band = f" ({window.band.level:.0%} band {pct(final.lower, 1)} to {pct(final.upper, 1)})"
    if common_day0 is None:
        source = f" from {event['events_file']}" if is_panel else ""
        return (
            f"Across {window.n:,} firm-events{source}, the cumulative average abnormal return over "
            f"days {day_range(*window.window)} was {pct(window.caar, 2)}{band}."
        )
    sentences = [_firm_sentence(window, lead)]
    if window.n > 1:
        what = "average abnormal return" if len(window.offsets) == 1 else "cumulative average abnormal return (CAAR)"
        sentences.append(f"Across the {window.n} firms the {what} was {pct(window.caar, 1)}{band}.")
    return " ".join(sentences)


def _firm_sentence(window: WindowView, firm: FirmRow) -> str:
    t = f" (t = {num(firm.car_t_clm, 1)})" if _finite(firm.car_t_clm) else ""
    dates = window.dates
    if len(window.offsets) == 1:
        when = dates[0] or f"day {offset(window.offsets[0])}"
        return f"{firm.ticker}'s abnormal return on {when} was {pct(firm.car, 1)}{t}."
    span = f"{dates[0]} to {dates[-1]}, " if dates[0] and dates[-1] else ""
    sentence = (
        f"{firm.ticker}'s cumulative abnormal return over the {len(window.offsets)} sessions "
        f"({span}days {day_range(*window.window)}) was {pct(firm.car, 1)}{t}"
    )
    finite = [(j, a) for j, a in enumerate(firm.ar) if _finite(a)]
    if finite:
        j, biggest = max(finite, key=lambda item: abs(item[1]))
        when = dates[j] or f"day {offset(window.offsets[j])}"
        sentence += f"; its largest one-day abnormal return was {pct(biggest, 1)} on {when}"
    return sentence + "."


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def reproduce_command(view: ReportView, command: str = "study") -> str:
    """The ``tracker`` command line that recomputes these numbers from the same log position."""
    window = view.window.window
    if view.is_panel:
        parts = ["tracker", command, "--events-file", str(view.event.get("events_file"))]
    else:
        parts = ["tracker", command, str(view.event.get("event_id")), "--tickers", ",".join(view.tickers)]
    parts += ["--market", view.market, "--model", view.model,
              "--estimation", f"{view.estimation[0]},{view.estimation[1]}",
              "--window", f"{window[0]},{window[1]}", "--min-obs", str(view.min_obs), "--as-of", str(view.log_position)]
    return " ".join(parts)
