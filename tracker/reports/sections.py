"""The report's tables and text blocks, independent of the output format.

HTML and Markdown render the same :class:`Table` objects, so both formats show the same
numbers. Each numeric cell keeps the study's unrounded value next to its text.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from tracker.reports.formatting import DASH, STARS_KEY, num, offset, pct, pval, stars
from tracker.reports.model import ReportView, TestRow, WindowView

MAX_AR_COLUMNS = 7  # longer windows get their own table of ARs by day
MAX_FIRM_ROWS = 200  # more firm-events: the lowest and highest MAX_FIRM_ROWS/2 by CAR
NOTHING_STUDIED = "No firm-event could be studied; the reasons are listed under Data provenance."


@dataclass(frozen=True)
class Cell:
    text: str
    value: float | int | str | None = None  # the study's unrounded value (numbers only)
    sign: int = 0  # -1 / +1 colours the cell; 0 leaves it plain
    strong: bool = False


@dataclass(frozen=True)
class Table:
    key: str  # a stable id (HTML ``id``, test hooks)
    columns: tuple[str, ...]
    numeric: tuple[bool, ...]  # right-aligned columns
    rows: tuple[tuple[Cell, ...], ...]
    caption: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
    highlight: tuple[int, ...] = ()  # row indexes to emphasise (the headline's firm)


def _sign(value: float | None) -> int:
    if value is None or value != value or value == 0:
        return 0
    return -1 if value < 0 else 1


def _pct_cell(value: float | None, digits: int = 2, signed: bool = True) -> Cell:
    return Cell(pct(value, digits, signed=signed), value, _sign(value) if signed else 0)


def _num_cell(value: float | None, digits: int = 2) -> Cell:
    return Cell(num(value, digits), value)


def _p_cell(value: float | None) -> Cell:
    return Cell(pval(value), value, strong=value is not None and value < 0.05)


# -- tables ----------------------------------------------------------------------------------------

def result_tables(view: ReportView, window: WindowView, index: int = 0) -> list[Table]:
    """One window's tables, in order (none when no firm-event could be studied).

    Tables of the first window have plain keys (``firms``, ``days``…); later windows' keys end
    in ``-2``, ``-3``….
    """
    if window.n == 0:
        return []
    tables = [firm_table(view, window), firm_ar_table(view, window), day_table(view, window), test_table(view, window)]
    return [replace(t, key=f"{t.key}-{index + 1}") if index else t for t in tables if t is not None]


def window_suffix(index: int) -> str:
    """``""`` for the first window, ``"-2"``, ``"-3"``… for later ones (ids, file names)."""
    return f"-{index + 1}" if index else ""


def firm_table(view: ReportView, window: WindowView) -> Table:
    """Per firm-event: α, β, σ, n, raw return, AR by day (short windows), CAR, t, p."""
    inline_ar = len(window.offsets) <= MAX_AR_COLUMNS
    columns = ["Ticker"] + ([] if view.common_day0 else ["Day 0"])
    columns += ["α", "β", "σ", "n", "Return"]
    columns += [f"AR({offset(o)})" for o in window.offsets] if inline_ar else []
    columns += ["CAR", "t", "p", ""]
    numeric = tuple(c not in ("Ticker", "Day 0", "") for c in columns)
    firms, notes = _shown_firms(window)
    rows, highlight = [], []
    for k, firm in enumerate(firms):
        if firm.ticker == view.lead_ticker:
            highlight.append(k)
        cells = [Cell(firm.ticker, firm.ticker)] + ([] if view.common_day0 else [Cell(firm.day0, firm.day0)])
        cells += [_pct_cell(firm.alpha, 3), _num_cell(firm.beta), _pct_cell(firm.sigma, signed=False),
                  Cell(f"{firm.n_est:,}", firm.n_est), _pct_cell(firm.window_return)]
        if inline_ar:
            cells += [_pct_cell(a) for a in firm.ar]
        cells += [_pct_cell(firm.car), _num_cell(firm.car_t_clm), _p_cell(firm.car_p), Cell(stars(firm.car_p))]
        rows.append(tuple(cells))
    notes = (*notes,
             "α: daily intercept; σ: residual standard deviation (daily); n: estimation returns; Return: raw "
             "compounded return over the window; t: CAR over its estimation-error-corrected standard error, "
             f"t(n−2); {STARS_KEY}.")
    return Table("firms", tuple(columns), numeric, tuple(rows),
                 caption=f"Firms sorted by CAR, {window.label}", notes=notes, highlight=tuple(highlight))


def firm_ar_table(view: ReportView, window: WindowView) -> Table | None:
    """AR by firm and day, for windows too long to fit in the firm table."""
    if len(window.offsets) <= MAX_AR_COLUMNS:
        return None
    columns = ["Ticker"] + ([] if view.common_day0 else ["Day 0"]) + [f"AR({offset(o)})" for o in window.offsets]
    numeric = tuple(c.startswith("AR(") for c in columns)
    firms, notes = _shown_firms(window)
    rows = tuple(
        tuple([Cell(f.ticker, f.ticker)] + ([] if view.common_day0 else [Cell(f.day0, f.day0)]) + [_pct_cell(a) for a in f.ar])
        for f in firms
    )
    return Table("firm-ar", tuple(columns), numeric, rows, caption=f"Abnormal returns by firm and day, {window.label}",
                 notes=notes)


def day_table(view: ReportView, window: WindowView) -> Table:
    """Across firms, per window day: AAR, CAAR through the day and its confidence band."""
    level = f"{window.band.level:.0%}" if window.band else "95%"
    columns = ["Day", "Date", "AAR", "CAAR", f"{level} band, low", f"{level} band, high"]
    if not any(d.date for d in window.days):
        columns.remove("Date")
    rows = []
    for d in window.days:
        cells = [Cell(offset(d.offset), d.offset)] + ([Cell(d.date or "", d.date)] if "Date" in columns else [])
        cells += [_pct_cell(d.aar), _pct_cell(d.caar), _pct_cell(d.lower), _pct_cell(d.upper)]
        rows.append(tuple(cells))
    numeric = tuple(c not in ("Day", "Date") for c in columns)
    note = (f"CAAR: average abnormal return cumulated from day {offset(window.offsets[0])}; the band is the study's "
            f"{level} confidence band ({window.band.method}, {window.band.df} degrees of freedom)." if window.band else
            "CAAR: average abnormal return cumulated over the window.")
    return Table("days", tuple(columns), numeric, tuple(rows), caption=f"Across firms by day (N = {window.n:,})",
                 notes=(note,))


def test_table(view: ReportView, window: WindowView) -> Table:
    """The study's tests across firm-events; with a shared day 0 the valid ones come first."""
    tests = list(window.tests)
    if view.clustered:
        tests.sort(key=lambda t: {True: 0, None: 1, False: 2}[t.valid_under_clustering])
    columns = ["Test", "Statistic", "p", "Null distribution", "Shared day 0"]
    rows = []
    for test in tests:
        stat = Cell(num(test.stat), test.stat, _sign(test.stat)) if test.stat is not None else Cell(f"{DASH} ({test.reason})" if test.reason else DASH)
        rows.append((Cell(test.label, test.name), stat, _p_cell(test.p), Cell(test.distribution),
                     Cell(_clustering_verdict(test))))
    notes = ("Shared day 0: how the test behaves when every firm-event has the same day 0 "
             "(cross-correlated abnormal returns; Kolari & Pynnönen 2010).",)
    return Table("tests", tuple(columns), (False, True, True, False, False), tuple(rows),
                 caption=f"Tests that the mean abnormal return is zero, {window.label}", notes=notes)


def _clustering_verdict(test: TestRow) -> str:
    if test.valid_under_clustering is True:
        return f"valid: {test.clustering_note}"
    if test.valid_under_clustering is False:
        return f"over-rejects: {test.clustering_note}"
    return DASH


def source_table(view: ReportView) -> Table | None:
    """Price sources of the bars the study read (needs provenance from the warehouse)."""
    provenance = view.provenance
    if provenance is None:
        return None
    rows = []
    for source in provenance.price_sources:
        basis = ("adj_close" if source.bars_with_adj_close == source.bars
                 else "close (no adj_close)" if source.bars_with_adj_close == 0
                 else f"adj_close for {source.bars_with_adj_close:,} of {source.bars:,} bars, else close")
        runs = "; ".join(f"{command} {started} ({run_id})" for run_id, command, started in source.runs)
        rows.append((Cell(source.source), Cell(", ".join(source.tickers)), Cell(f"{source.bars:,}", source.bars),
                     Cell(f"{source.first_date} to {source.last_date}"), Cell(basis), Cell(runs)))
    return Table("sources", ("Source", "Tickers", "Bars", "Dates", "Return basis", "Import run"),
                 (False, False, True, False, False, False), tuple(rows),
                 caption="Price bars the study read (latest revision of each bar at the log position)")


def skipped_table(view: ReportView) -> Table:
    rows = tuple((Cell(s.ticker), Cell(s.event_date), Cell(s.reason)) for s in view.skipped)
    return Table("skipped", ("Ticker", "Event date", "Reason"), (False, False, False), rows,
                 caption="Firm-events skipped")


def _shown_firms(window: WindowView):
    firms = window.firms_by_car
    if len(firms) <= MAX_FIRM_ROWS:
        return firms, ()
    half = MAX_FIRM_ROWS // 2
    note = (f"Showing the {half} lowest and {half} highest CARs of {len(firms):,} firm-events; every firm-event is in "
            "the study JSON embedded in this report (and `tracker study … --format csv`).")
    return firms[:half] + firms[-half:], (note,)


# -- text blocks -----------------------------------------------------------------------------------

def clustering_note(view: ReportView) -> str | None:
    if not view.clustered:
        return None
    valid = [t.label for t in view.window.tests if t.valid_under_clustering]
    invalid = [t.label for t in view.window.tests if t.valid_under_clustering is False]
    text = (f"All {view.window.n} firm-events share day 0 ({view.common_day0}), so their abnormal returns are "
            "cross-correlated: tests that assume independent firms over-reject (Kolari & Pynnönen 2010).")
    if invalid:
        text += f" Read {_and(invalid)} with care."
    text += (" The per-firm t-statistics and the CAAR band (from the portfolio's own time series) remain valid"
             + (f", as do {_and(valid)}." if valid else "."))
    return text


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else "; ".join(items[:-1]) + " and " + items[-1]


def methodology(view: ReportView) -> list[tuple[str, str]]:
    """(term, explanation) pairs describing how the numbers were made."""
    window = view.window
    event = view.event
    items = [("Model", f"{view.model_description}; market benchmark {view.market}.")]
    items.append(("Estimation window", f"sessions {offset(view.estimation[0])} to {offset(view.estimation[1])} "
                                       f"relative to day 0; a firm-event needs at least {view.min_obs} returns there."))
    items.append(("Event window" if len(view.windows) == 1 else "Event windows", "; ".join(
        f"sessions {offset(w.window[0])} to {offset(w.window[1])} ({len(w.offsets)} trading day{'s' if len(w.offsets) > 1 else ''})"
        for w in view.windows) + ", inclusive."))
    if not view.is_panel:
        items.append(("Day 0", f"{event.get('day0')}: {event.get('day0_rule')}."))
    else:
        items.append(("Day 0", "per firm-event, the first session on or after its event date."))
    if window.band:
        items.append(("CAAR band", f"{window.band.level:.0%} pointwise band: {window.band.method}; "
                                   f"t quantile with {window.band.df} degrees of freedom. It uses the time series of "
                                   "the equal-weighted portfolio's abnormal return, so it stays valid when firms share day 0."))
    items.append(("Significance marks", f"{STARS_KEY}, two-sided, from each firm's t."))
    items.append(("Shared day 0", _clustering_summary(view)))
    return items


def _clustering_summary(view: ReportView) -> str:
    """Which of the study's statistics stay valid when every firm-event has the same day 0."""
    tests = view.window.tests
    valid = ["the per-firm t", "the CAAR band"] + [t.label for t in tests if t.valid_under_clustering]
    invalid = [t.label for t in tests if t.valid_under_clustering is False]
    unknown = [t.label for t in tests if t.valid_under_clustering is None]
    text = ("When firm-events share day 0 their abnormal returns are cross-correlated (Kolari & Pynnönen 2010). "
            f"Valid then: {_and(valid)}.")
    if invalid:
        text += f" Over-reject (they assume independent firms): {_and(invalid)}."
    if unknown:
        text += f" Not assessed here: {_and(unknown)}."
    here = (f" In this study all {view.window.n} firm-events share day 0 ({view.common_day0})." if view.clustered
            else " In this study day 0 differs across firm-events." if view.common_day0 is None
            else "")
    return text + here


def provenance_items(view: ReportView) -> list[tuple[str, str]]:
    """(term, explanation) pairs: log position, the event and its source, the price dates read."""
    items = []
    provenance = view.provenance
    if provenance is not None and provenance.log_head != view.log_position:
        position = (f"{view.log_position:,}: the study read facts 1 to {view.log_position:,} of the log "
                    f"(it now holds {provenance.log_head:,}), so later corrections are not in these numbers.")
    else:
        position = f"{view.log_position:,}: the study read facts 1 to {view.log_position:,} of the log."
    items.append(("Log position", position))
    event = view.event
    if view.is_panel:
        items.append(("Events", f"{event.get('firm_events')} firm-events from the file {event.get('events_file')} "
                                "(columns ticker, event_date[, event_id])."))
    else:
        announced = f"{event.get('announced_at')} {event.get('timezone') or ''}".strip()
        items.append(("Event", f"{event.get('name')} ({event.get('event_id')}), kind {event.get('kind')}, "
                               f"by {event.get('org')}; announced {announced} (precision: {event.get('date_precision')})."))
        if event.get("reaction_date"):
            items.append(("Reaction date", f"set by hand to {event.get('reaction_date')} (overrides the aligned day 0)."))
        items.append(("Event source", f"{event.get('source') or 'unknown'}"))
        if event.get("source_url"):
            items.append(("Event reference", str(event["source_url"])))
    if provenance is not None:
        items.append(("Price dates read", f"{provenance.first_date} to {provenance.last_date} (the estimation window's "
                                          "first return needs the bar before it)."))
    else:
        items.append(("Price sources", "not recorded in this report (rendered without the warehouse)."))
    return items


def conventions(view: ReportView) -> list[tuple[str, str]]:
    """The study's stated conventions (from its JSON), term by term."""
    return list(view.conventions.items())
