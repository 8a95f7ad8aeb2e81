"""The report's tables and text blocks, independent of the output format.

HTML and Markdown render the same :class:`Table` objects, so both formats show the same
numbers. Each numeric cell keeps the study's unrounded value next to its text.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from tracker.analysis.formatting import DASH, STARS_KEY, num, offset_label, pct, pval, stars, typeset
from tracker.analysis.results import CLUSTER_NOTE
from tracker.reports.view import ReportView, TestRow, WindowView, is_kind_sample

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
    breaks: tuple[int, ...] = ()  # row indexes that start a new group (a rule above them)


def _sign(value: float | None) -> int:
    if value is None or value != value or value == 0:
        return 0
    return -1 if value < 0 else 1


def _pct_cell(value: float | None, digits: int = 2, signed: bool = True) -> Cell:
    return Cell(typeset(pct(value, digits, signed=signed)), value, _sign(value) if signed else 0)


def _num_cell(value: float | None, digits: int = 2) -> Cell:
    return Cell(typeset(num(value, digits)), value)


def _p_cell(value: float | None) -> Cell:
    return Cell(typeset(pval(value)), value, strong=value is not None and value < 0.05)


def offset(value: int) -> str:
    """An event day as a document shows it: ``0``, ``+1``, ``−3``."""
    return typeset(offset_label(value))


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


def chart_order(view: ReportView, charts: list[dict], key: str) -> list[tuple[int, WindowView, object]]:
    """``(index, window, chart)`` of the ``key`` charts (one entry per window in ``charts``), in reading order.

    CAR paths: the view's path windows (widest first); CAR bars: every window in the order given.
    """
    windows = view.path_windows if key in ("car_paths", "car_groups") else view.windows
    indexes = [next(i for i, w in enumerate(view.windows) if w is window) for window in windows]
    return [(i, view.windows[i], charts[i][key]) for i in indexes if key in charts[i]]


def window_suffix(index: int) -> str:
    """``""`` for the first window, ``"-2"``, ``"-3"``… for later ones (ids, file names)."""
    return f"-{index + 1}" if index else ""


def firm_table(view: ReportView, window: WindowView) -> Table:
    """Per firm-event: α, β, σ, n, raw return, BHAR, AR by day (short windows), CAR, t, p."""
    inline_ar = len(window.offsets) <= MAX_AR_COLUMNS
    columns = ["Ticker"] + (["Event"] if view.several_events else []) + ([] if window.common_day0 else ["Day 0"])
    columns += ["α", "β", "σ", "n", "Return", "BHAR"]
    columns += [f"AR({offset(o)})" for o in window.offsets] if inline_ar else []
    columns += ["CAR", "t", "p", ""]
    numeric = tuple(c not in ("Ticker", "Event", "Day 0", "") for c in columns)
    firms, notes = _shown_firms(window)
    rows, highlight = [], []
    for k, firm in enumerate(firms):
        if firm.ticker == view.lead_ticker:
            highlight.append(k)
        cells = [Cell(firm.ticker, firm.ticker)] + ([_event_cell(firm)] if view.several_events else [])
        cells += [] if window.common_day0 else [Cell(firm.day0, firm.day0)]
        cells += [_pct_cell(firm.alpha, 3), _num_cell(firm.beta), _pct_cell(firm.sigma, signed=False),
                  Cell(f"{firm.n_est:,}", firm.n_est), _pct_cell(firm.window_return), _pct_cell(firm.bhar)]
        if inline_ar:
            cells += [_pct_cell(a) for a in firm.ar]
        cells += [_pct_cell(firm.car), _num_cell(firm.car_t_clm), _p_cell(firm.car_p), Cell(stars(firm.car_p))]
        rows.append(tuple(cells))
    notes = (*notes,
             "α: daily intercept; β: loading on the market (MKT−RF for factor models); σ: residual standard "
             "deviation (daily); n: estimation returns; Return: raw compounded return over the window; BHAR: "
             "buy-and-hold abnormal return; t: CAR over its estimation-error-corrected standard error "
             f"(car_t_clm), p two-sided under t(n−k); {STARS_KEY}.")
    return Table("firms", tuple(columns), numeric, tuple(rows),
                 caption=f"Firms sorted by CAR, {window.label}", notes=notes, highlight=tuple(highlight))


def firm_ar_table(view: ReportView, window: WindowView) -> Table | None:
    """AR by firm and day, for windows too long to fit in the firm table."""
    if len(window.offsets) <= MAX_AR_COLUMNS:
        return None
    columns = (["Ticker"] + (["Event"] if view.several_events else []) + ([] if window.common_day0 else ["Day 0"])
               + [f"AR({offset(o)})" for o in window.offsets])
    numeric = tuple(c.startswith("AR(") for c in columns)
    firms, notes = _shown_firms(window)
    rows = tuple(
        tuple([Cell(f.ticker, f.ticker)] + ([_event_cell(f)] if view.several_events else [])
              + ([] if window.common_day0 else [Cell(f.day0, f.day0)]) + [_pct_cell(a) for a in f.ar])
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
    if window.band and window.band.df is not None:
        band = f"the band is the study's {level} confidence band ({window.band.method}, {window.band.df} degrees of freedom)."
    elif window.band:
        band = f"no band: {window.band.reason}."
    else:
        band = "no band."
    note = f"CAAR: average abnormal return cumulated from day {offset(window.offsets[0])}; {band}"
    return Table("days", tuple(columns), numeric, tuple(rows), caption=f"Across firms by day (N = {window.n:,})",
                 notes=(note,))


def test_table(view: ReportView, window: WindowView) -> Table:
    """The study's tests across firm-events, in its reading order (with a shared day 0 the valid ones first)."""
    columns = ["Test", "Statistic", "p", "Null distribution", "Shared day 0"]
    rows = []
    tests = window.tests
    breaks = tuple(k for k in range(1, len(tests)) if window.clustered
                   and tests[k].valid_under_clustering != tests[k - 1].valid_under_clustering)
    for test in tests:
        stat = (Cell(typeset(num(test.stat)), test.stat, _sign(test.stat)) if test.stat is not None
                else Cell(f"{DASH} ({test.reason})" if test.reason else DASH))
        rows.append((Cell(test.label, test.name), stat, _p_cell(test.p), Cell(test.distribution),
                     Cell(_clustering_verdict(test))))
    notes = ("Shared day 0: how the test behaves when every firm-event has the same day 0 "
             "(cross-correlated abnormal returns; Kolari & Pynnönen 2010).",)
    notes += tuple(test.estimate_note for test in tests if test.estimate_note)
    return Table("tests", tuple(columns), (False, True, True, False, False), tuple(rows),
                 caption=f"Tests that the mean abnormal return is zero, {window.label}", notes=notes, breaks=breaks)


def _clustering_verdict(test: TestRow) -> str:
    if test.valid_under_clustering:
        return f"valid: {test.clustering_note}" if test.clustering_note else "valid"
    return f"over-rejects: {test.clustering_note}"


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


def _event_cell(firm) -> Cell:
    """The firm-event's event: its name and id (the id alone when it has no name)."""
    text = f"{firm.event_name} ({firm.event_id})" if firm.event_name else (firm.event_id or "")
    return Cell(text, firm.event_id or "")


def sample_tables(view: ReportView) -> list[Table]:
    """Merged firm-events and firm-events whose windows hold another curated event's day 0."""
    tables = []
    if view.merged:
        rows = tuple((Cell(m["ticker"]), Cell(m["day0"]), Cell(" + ".join(m["event_ids"])), Cell(", ".join(m["event_dates"])))
                     for m in view.merged)
        tables.append(Table("merged", ("Ticker", "Day 0", "Events", "Event dates"), (False,) * 4, rows,
                            caption="Firm-events merged: the same ticker and day 0 under several events, studied once"))
    if view.overlaps:
        rows = tuple(
            (Cell(", ".join(o["tickers"])), Cell(o["event_id"] or ""), Cell(o["day0"]),
             Cell("; ".join(f"{e['name'] or e['event_id']} ({e['event_id']}, {e['kind']}), day 0 {e['day0']} = day {offset(e['offset'])}"
                            for e in o["others"])))
            for o in view.overlap_groups
        )
        tables.append(Table("overlaps", ("Tickers", "Event", "Day 0", "Other events in the windows"), (False,) * 4, rows,
                            caption="Firm-events whose windows hold another curated event's day 0",
                            notes=("Their abnormal returns carry those events too; exclude them or shorten the windows "
                                   "to separate the effects.",)))
    return tables


def skipped_table(view: ReportView) -> Table:
    several = len(view.windows) > 1
    rows = tuple(
        (Cell(s.ticker), Cell(s.event_date))
        + ((Cell("; ".join(s.windows) if s.windows else "all"),) if several else ())
        + (Cell(s.reason),)
        for s in view.skipped
    )
    columns = ("Ticker", "Event date") + (("Windows",) if several else ()) + ("Reason",)
    return Table("skipped", columns, (False,) * len(columns), rows, caption="Firm-events skipped")


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
    """The study's own warning when firm-events share day 0 (as the terminal prints it)."""
    if not view.clustered:
        return None
    return f"{CLUSTER_NOTE} The CAAR band, from the portfolio's own time series, stays valid too."


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else "; ".join(items[:-1]) + " and " + items[-1]


def _window_words(start: int, end: int) -> str:
    days = end - start + 1
    return f"sessions {offset(start)} to {offset(end)} ({days} trading day{'s' if days > 1 else ''})"


def methodology(view: ReportView) -> list[tuple[str, str]]:
    """(term, explanation) pairs describing how the numbers were made."""
    event = view.event
    benchmark = f"; market benchmark {view.market}" if view.market else ""
    factors = f"; factors {', '.join(view.factors)} from the factors view" if view.factors else ""
    items = [("Model", f"{view.model}: {view.model_description}{benchmark}{factors}.")]
    items.append(("Estimation window", f"{_window_words(*view.estimation)} relative to day 0; a firm-event needs "
                                       f"at least {view.min_obs} returns there."))
    if view.exclusion:
        ex = view.exclusion
        items.append(("Excluded days", f"estimation days within ±{ex.within} session(s) of the day 0 of "
                                       f"{len(ex.events)} other catalogue event(s) of kind {', '.join(ex.kinds)} "
                                       "(a firm-event's own event excepted)."))
    several = len(view.windows) > 1
    windows = "; ".join(_window_words(*w.window) for w in view.windows) + ", inclusive"
    if several:
        windows += (". All windows share one estimation. The headline and the lead firm come from the first; "
                    f"the CAR paths are drawn over {view.widest.label}"
                    + (" and the windows it does not cover" if len(view.path_windows) > 1 else "")
                    + "; every window has its own CAR bars and tables")
    items.append(("Event windows" if several else "Event window", windows + "."))
    if not view.is_panel:
        items.append(("Day 0", f"{event.get('day0')}: {event.get('day0_rule')}."))
    else:
        items.append(("Day 0", "per firm-event, the first session on or after its event date."))
    band = next((w.band for w in view.windows if w.band and w.band.df is not None), None)
    if band:
        items.append(("CAAR band", f"{band.level:.0%} pointwise band: {band.method}; t quantile with the cda_t's "
                                   "degrees of freedom. It uses the time series of the equal-weighted portfolio's "
                                   "abnormal return, so it stays valid when firms share day 0; at a window's last day "
                                   "it is the confidence interval of that window's cda_t."))
    items.append(("Calendar-time portfolio", "on each session, the equal-weighted portfolio of the firm-events whose "
                  "window covers it (Jaffe 1974; Mandelker 1974); its return, the model's dependent variable (ARs for "
                  "the mean-adjusted model), is regressed on an intercept and the model's regressors over the sessions "
                  "it holds something. The alpha is the mean daily abnormal return (times the window's length: on the "
                  "scale of a CAR); its OLS t has days minus coefficients degrees of freedom. A time series of daily "
                  "means, it stays valid when events cluster in time, but with one shared day 0 it has only the "
                  "window's days."))
    items.append(("Significance marks", f"{STARS_KEY}, two-sided, from each firm's t."))
    items.append(("Shared day 0", _clustering_summary(view)))
    return items


def _clustering_summary(view: ReportView) -> str:
    """Which of the study's statistics stay valid when every firm-event has the same day 0 (as the study classes them)."""
    tests = view.window.tests
    valid = ["the per-firm t", "the CAAR band"] + [t.label for t in tests if t.valid_under_clustering]
    invalid = [t.label for t in tests if not t.valid_under_clustering]
    text = ("When firm-events share day 0 their abnormal returns are cross-correlated (Kolari & Pynnönen 2010). "
            f"Valid then: {_and(valid)}.")
    if invalid:
        text += f" Over-reject (they assume independent firm-events): {_and(invalid)}."
    clustered = [w for w in view.windows if w.clustered]
    if clustered:
        here = f" In this study all {clustered[0].n} firm-events share day 0 ({clustered[0].common_day0})."
    elif view.common_day0 is None and any(w.n > 1 for w in view.windows):
        here = " In this study day 0 differs across firm-events."
    else:
        here = ""
    return text + here


def position_label(view: ReportView) -> str:
    """``log position 7,502`` (``data in memory`` for a study of frames)."""
    return "data in memory" if view.log_position is None else f"log position {view.log_position:,}"


def provenance_items(view: ReportView) -> list[tuple[str, str]]:
    """(term, explanation) pairs: log position, the event and its source, the price dates read."""
    items = []
    provenance = view.provenance
    if view.log_position is None:  # frames in memory (InMemoryData), not the warehouse
        position = "none: the study read data from memory, not from the warehouse's log."
    elif provenance is not None and provenance.log_head != view.log_position:
        position = (f"{view.log_position:,}: the study read facts 1 to {view.log_position:,} of the log "
                    f"(it now holds {provenance.log_head:,}), so later corrections are not in these numbers.")
    else:
        position = f"{view.log_position:,}: the study read facts 1 to {view.log_position:,} of the log."
    items.append(("Log position", position))
    event = view.event
    if "events_file" in event:
        items.append(("Events", f"{event.get('firm_events')} firm-events from the file {event.get('events_file')} "
                                "(columns ticker, event_date[, event_id])."))
    elif is_kind_sample(event):
        items.append(("Events", f"{view.sample}: every {event['kind']} event of the events view (catalogue, "
                                "manual and tagger) matching the filters, for every ticker studied."))
    else:
        announced = f"{event.get('announced_at')} {event.get('timezone') or ''}".strip()
        items.append(("Event", f"{event.get('name')} ({event.get('event_id')}), kind {event.get('kind')}, "
                               f"by {event.get('org')}; announced {announced} (precision: {event.get('date_precision')})."))
        if event.get("reaction_date"):
            items.append(("Reaction date", f"set by hand to {event.get('reaction_date')} (overrides the aligned day 0)."))
        items.append(("Event source", f"{event.get('source') or 'unknown'}"))
        if event.get("source_url"):
            items.append(("Event reference", str(event["source_url"])))
    if view.factors and view.log_position is not None:
        items.append(("Factors", f"{', '.join(view.factors)}: the latest imported values as of log position "
                                 f"{view.log_position:,} (`SELECT * FROM factors_as_of({view.log_position})`)."))
    if provenance is not None:
        items.append(("Price dates read", f"{provenance.first_date} to {provenance.last_date} (the estimation window's "
                                          "first return needs the bar before it)."))
    else:
        items.append(("Price sources", "not recorded in this report (rendered without the warehouse)."))
    return items


def conventions(view: ReportView) -> list[tuple[str, str]]:
    """The study's stated conventions (from its JSON), term by term."""
    return list(view.conventions.items())


# -- groups and cross-sections ---------------------------------------------------------------------

def _stat_cell(stat: float | None, p: float | None, reason: str | None = None) -> Cell:
    """``−7.16 (p 0.000)``, or a dash and why."""
    if stat is None:
        return Cell(f"{DASH} ({reason})" if reason else DASH)
    return Cell(typeset(f"{num(stat)} (p {pval(p)})"), stat, _sign(stat), strong=p is not None and p < 0.05)


def group_tables(view: ReportView) -> list[Table]:
    """Per window, the groups side by side (N, CAAR, ABHAR, every test) and each pair's difference with its tests."""
    if not view.groups:
        return []
    names = [name for name, _ in view.groups]
    tables = []
    for k, window in enumerate(view.windows):
        columns = ["", *names]
        differences = [d for d in view.group_differences if tuple(d.window) == tuple(window.window)]
        columns += [d.label for d in differences]
        by_group = [windows[k] for _, windows in view.groups]
        blank = Cell("")
        rows = [
            (Cell("N"), *(Cell(f"{w.n:,}", w.n) for w in by_group), *(Cell(f"{d.n_first:,} − {d.n_second:,}") for d in differences)),
            (Cell("CAAR"), *(_pct_cell(w.caar) for w in by_group), *(_pct_cell(d.difference) for d in differences)),
            (Cell("ABHAR"), *(_pct_cell(w.abhar) for w in by_group), *(blank for _ in differences)),
        ]
        for name, label in (("long_short_t", "Long-short portfolio t"), ("binder_t", "Binder regression t")):
            rows.append((Cell(f"{label} (valid under a shared day 0)"), *(blank for _ in by_group),
                         *(_stat_cell(d.tests[name].stat, d.tests[name].p, d.tests[name].reason) for d in differences)))
        breaks = [len(rows)]
        for test in by_group[0].tests:
            cells = []
            for w in by_group:
                t = next((x for x in w.tests if x.name == test.name), None)
                cells.append(_stat_cell(t.stat, t.p) if t is not None else blank)  # why undefined: in each group's JSON
            rows.append((Cell(test.label, test.name), *cells, *(blank for _ in differences)))
        notes = ["Each group is studied on its own (its own tests); a difference is the first group's CAAR minus the second's. "
                 "The long-short t treats the equal-weighted portfolio of the first group minus the second as one security over "
                 "the estimation window (per shared day 0); the Binder t uses every pair's residual covariance and the overlap of "
                 "windows (tracker.analysis.groups)."]
        tables.append(Table(f"groups{window_suffix(k)}", tuple(columns), (False,) + (True,) * (len(columns) - 1), tuple(rows),
                            caption=f"Groups side by side, {window.label}", notes=tuple(notes), breaks=tuple(breaks)))
    return tables


def cross_section_tables(view: ReportView) -> list[Table]:
    """Per window (one regression each, in the view's order), the regression of CARs on the
    characteristics: each coefficient with three standard errors."""
    tables = []
    for k, regression in enumerate(view.cross_sections):
        columns = ("Coefficient", "Estimate", "t (shared day 0)", "t (cluster by day 0)", "t (OLS)")
        rows = tuple(
            (Cell(c.name), _num_cell(c.estimate, 4),
             *(_stat_cell(c.t[kind], c.p[kind], "undefined") for kind in ("shared_day0", "cluster", "ols")))
            for c in regression.coefficients
        )
        notes = [f"N = {regression.n:,} firm-events on {regression.clusters:,} day 0(s), R² = {num(regression.r2, 3)}"
                 + (f"; {regression.left_out:,} firm-event(s) without characteristics left out" if regression.left_out else "")
                 + ". Read the shared-day-0 t: its standard errors use the CARs' covariance from the estimation window."]
        notes += list(regression.notes)
        tables.append(Table(f"cross-section{window_suffix(k)}", columns, (False, True, True, True, True), rows,
                            caption=f"Cross-sectional regression of CARs on characteristics, {view.windows[k].label}",
                            notes=tuple(notes)))
    return tables
