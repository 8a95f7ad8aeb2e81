"""A study as text: what ``tracker study`` prints on a terminal, and ``print(result)`` in Python.

Rich tables read from the view (:func:`tracker.reports.view.report_view`): the firm-events
sorted by their CAR in the first window, then per window the aggregates and every test (with a
shared day 0 the tests valid under that clustering first, and why), then the skipped
firm-events. On a terminal the signs are coloured; piped, or as a string, it is plain text.
"""

from __future__ import annotations

import io

import numpy as np

from tracker.analysis.formatting import num, offset_label, pct, pval, window_label
from tracker.analysis.results import CLUSTER_NOTE
from tracker.reports.view import ReportView, WindowView

MAX_FIRMS_IN_TABLE = 40
MAX_AR_COLUMNS = 7
MAX_SKIPPED_SHOWN = 20
PLAIN_WIDTH = 160


def as_text(view: ReportView) -> str:
    """The study as plain text (no colour), as ``tracker study`` prints it when piped at 160 columns."""
    from rich.console import Console

    buffer = io.StringIO()
    print_study(view, Console(file=buffer, width=PLAIN_WIDTH, no_color=True, highlight=False))
    return buffer.getvalue()


def aggregates_text(result) -> str:
    """A large study in plain text without its firm-events' rows: the set-up, then per window the
    aggregates and every test, then how many firm-events were skipped, merged or overlap others."""
    from rich.console import Console

    from tracker.reports.view import report_view

    view = report_view(result, firms=False)
    buffer = io.StringIO()
    console = Console(file=buffer, width=PLAIN_WIDTH, no_color=True, highlight=False)
    console.print(view.event_line)
    console.print(view.setup_line)
    _print_windows(view, console)
    print_comparisons(view, console)
    skipped = len(view.skipped)
    console.print(f"{skipped:,} firm-event(s) skipped, {len(view.merged):,} merged, {len(view.overlaps):,} overlapping "
                  "other events (see the JSON)")
    return buffer.getvalue()


def print_study(view: ReportView, console) -> None:
    """Rich tables: firms sorted by CAR, then per window the aggregates and the tests, then skips."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console.print(Text(view.event_line, style="bold"))
    console.print(view.setup_line)
    first = view.window
    single = len(view.windows) == 1
    show_ar = single and len(first.offsets) <= MAX_AR_COLUMNS
    common = all(w.common_day0 is not None for w in view.windows if w.n)

    def signed(value: float | None, text: str) -> Text:
        style = "" if value is None else "red" if value < 0 else "green" if value > 0 else ""
        return Text(text, style=style)

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Ticker")
    if view.several_events:
        table.add_column("Event")
    if not common:
        table.add_column("Day 0")
    for name in ("β", "σ", "n"):
        table.add_column(name, justify="right")
    if single:
        table.add_column("Return", justify="right")
    if show_ar:
        for offset in first.offsets:
            table.add_column(f"AR({offset_label(offset)})", justify="right")
    for w in view.windows:
        label = "" if single else f" {window_label(w.window)}"
        table.add_column(f"CAR{label}", justify="right")
        table.add_column("t", justify="right")
        if single:
            table.add_column("p", justify="right")

    rows = [{firm.index: firm for firm in w.firms} for w in view.windows]
    for i in _firm_order(view):
        estimate = view.estimated[i]
        cells: list = [estimate.ticker] + ([estimate.event_id or ""] if view.several_events else [])
        cells += [] if common else [estimate.day0]
        cells += [num(estimate.beta), pct(estimate.sigma, signed=False), str(estimate.n_est)]
        firm = rows[0].get(i)
        if single:
            cells.append(signed(firm.window_return, pct(firm.window_return)) if firm else "—")
        if show_ar:
            cells += [signed(a, pct(a)) for a in firm.ar] if firm else ["—"] * len(first.offsets)
        for by_index in rows:
            firm = by_index.get(i)
            if firm is None:
                cells += ["skipped", ""] + ([""] if single else [])
                continue
            cells += [signed(firm.car, pct(firm.car)), num(firm.car_t_clm)] + ([pval(firm.car_p)] if single else [])
        table.add_row(*cells)
    console.print(table)
    if len(view.estimated) > MAX_FIRMS_IN_TABLE:
        console.print(f"… {len(view.estimated) - MAX_FIRMS_IN_TABLE} more firm-events between these; use --format csv or json for all.")

    _print_windows(view, console)
    print_comparisons(view, console)
    for line in skipped_lines(view) + sample_lines(view):
        console.print(line)


def print_comparisons(view: ReportView, console) -> None:
    """The groups side by side (with each pair's difference and its tests) and the cross-sectional regressions."""
    from tracker.reports.sections import cross_section_tables, group_tables

    for note in view.notes:
        console.print(note)
    for table in group_tables(view) + cross_section_tables(view):
        console.print()
        print_table(table, console)


def print_table(table, console) -> None:
    """A :class:`tracker.reports.sections.Table` on the terminal (signs coloured, notes below)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    out = Table(box=box.SIMPLE_HEAD, pad_edge=False, title=table.caption or None, title_justify="left", title_style="bold")
    for name, numeric in zip(table.columns, table.numeric):
        out.add_column(name, justify="right" if numeric else "left")
    for k, row in enumerate(table.rows):
        if k in table.breaks:
            out.add_section()
        out.add_row(*(Text(cell.text, style="red" if cell.sign < 0 else "green" if cell.sign > 0 else "") for cell in row))
    console.print(out)
    for note in table.notes:
        console.print(Text(note, style="dim"))


def _print_windows(view: ReportView, console) -> None:
    """The clustering note, then per window its aggregates and the table of tests."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    if view.clustered:
        console.print()
        console.print(Text(CLUSTER_NOTE, style="yellow"))
    for w in view.windows:
        console.print()
        console.print(Text(f"Window {window_label(w.window)}", style="bold"))
        console.print(aggregate_line(w))
        if not w.n:
            continue
        tests = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        for name in ("Test", "Statistic", "p", "Null distribution", "Note"):
            tests.add_column(name, justify="right" if name in ("Statistic", "p") else "left")
        for index, test in enumerate(w.tests):
            if w.clustered and index and test.valid_under_clustering != w.tests[index - 1].valid_under_clustering:
                tests.add_section()
            note = test.reason or ""
            if w.clustered:
                note = note or ("valid under clustering" if test.valid_under_clustering else "assumes independent firm-events")
            tests.add_row(test.name, num(test.stat) if test.stat is not None else "—",
                          pval(test.p) if test.p is not None else "—", test.distribution, note)
        console.print(tests)
        for test in w.tests:
            if test.estimate_note:
                console.print(Text(test.estimate_note))


def _firm_order(view: ReportView) -> list[int]:
    """Estimated firm-events sorted by their CAR in the first window (those skipped there last)."""
    car = np.full(len(view.estimated), np.inf)
    for firm in view.window.firms:
        car[firm.index] = firm.car if firm.car is not None else np.nan
    order = np.argsort(car, kind="stable")
    studied = view.window.n
    if order.size > MAX_FIRMS_IN_TABLE:
        half = MAX_FIRMS_IN_TABLE // 2
        order = np.concatenate([order[:half], order[studied - half: studied]]) if studied > MAX_FIRMS_IN_TABLE else order[:MAX_FIRMS_IN_TABLE]
    return order.tolist()


def aggregate_line(w: WindowView) -> str:
    """``N = 12   CAAR = -3.41%   ABHAR = …   AAR by day: 0: …``."""
    aar = ", ".join(f"{offset_label(d.offset)}: {pct(d.aar)}" for d in w.days)
    return f"N = {w.n}   CAAR = {pct(w.caar)}   ABHAR = {pct(w.abhar)}   AAR by day: {aar}"


def sample_lines(view: ReportView) -> list[str]:
    """Firm-events merged because they shared ticker and day 0, and those whose windows hold another event."""
    lines = [f"merged {m['ticker']} (day 0 {m['day0']}): {' + '.join(m['event_ids'])} studied as one firm-event"
             for m in view.merged]
    groups = view.overlap_groups
    for o in groups[:MAX_SKIPPED_SHOWN]:
        others = ", ".join(f"{e['event_id']} (day {offset_label(e['offset'])})" for e in o["others"])
        lines.append(f"overlap {','.join(o['tickers'])} (day 0 {o['day0']}, {o['event_id']}): the windows also hold {others}")
    if len(groups) > MAX_SKIPPED_SHOWN:
        lines.append(f"… {len(groups) - MAX_SKIPPED_SHOWN} more overlaps with other events; see --format json")
    return lines


def skipped_lines(view: ReportView) -> list[str]:
    """Skipped firm-events: those of the estimation once, then each window's own."""
    lines = [f"skipped {s.ticker} ({s.event_date}): {s.reason}" for s in view.estimation_skipped]
    estimation = set(view.estimation_skipped)
    several = len(view.windows) > 1
    for w in view.windows:
        lines += [
            f"skipped {s.ticker} ({s.event_date}){' in ' + window_label(w.window) if several else ''}: {s.reason}"
            for s in w.skipped if s not in estimation
        ]
    if len(lines) > MAX_SKIPPED_SHOWN:
        lines = lines[:MAX_SKIPPED_SHOWN] + [f"… {len(lines) - MAX_SKIPPED_SHOWN} more skipped; see --format json"]
    return lines
