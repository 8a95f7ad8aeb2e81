"""``tracker study``'s terminal tables: firms sorted by CAR, then per window the aggregates and tests.

The numbers and words come from the result and :mod:`tracker.reports.study_text` (shared with the
CSV and Markdown outputs); this module only lays them out with rich.
"""

from __future__ import annotations

import numpy as np

from tracker.analysis import StudyResult, WindowResult
from tracker.analysis.formatting import num, offset_label, pct, pval, window_label
from tracker.analysis.results import CLUSTER_NOTE
from tracker.reports.study_text import aggregate_line, describe_event, describe_setup, skipped_lines, test_rows

MAX_FIRMS_IN_TABLE = 40
MAX_AR_COLUMNS = 7


def _positions(result: StudyResult, w: WindowResult) -> np.ndarray:
    """For each estimated firm-event, its row in window ``w`` (-1 when skipped there)."""
    position = np.full(len(result.firm_events), -1)
    position[w.rows] = np.arange(w.n)
    return position


def _firm_order(result: StudyResult) -> list[int]:
    """Estimated firm-events sorted by their CAR in the first window (those skipped there last)."""
    first = result.first
    car = np.full(len(result.firm_events), np.inf)
    car[first.rows] = first.car
    order = np.argsort(car, kind="stable")
    if order.size > MAX_FIRMS_IN_TABLE:
        half = MAX_FIRMS_IN_TABLE // 2
        studied = order[: first.n]
        order = np.concatenate([studied[:half], studied[-half:]]) if first.n > MAX_FIRMS_IN_TABLE else order[:MAX_FIRMS_IN_TABLE]
    return order.tolist()


def print_table(result: StudyResult, console) -> None:
    """Rich tables: firms sorted by CAR, then per window the aggregates and the tests, then skips."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console.print(Text(describe_event(result), style="bold"))
    console.print(describe_setup(result))
    first = result.first
    single = len(result.by_window) == 1
    show_ar = single and len(first.offsets) <= MAX_AR_COLUMNS
    common = all(w.common_dates is not None for w in result.by_window if w.n)

    def signed(value: float, text: str) -> Text:
        style = "red" if value < 0 else "green" if value > 0 else ""
        return Text(text, style=style)

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Ticker")
    if not common:
        table.add_column("Day 0")
    for name in ("β", "σ", "n"):
        table.add_column(name, justify="right")
    if single:
        table.add_column("Return", justify="right")
    if show_ar:
        for offset in first.offsets:
            table.add_column(f"AR({offset_label(offset)})", justify="right")
    for w in result.by_window:
        label = "" if single else f" {window_label(w.window)}"
        table.add_column(f"CAR{label}", justify="right")
        table.add_column("t", justify="right")
        if single:
            table.add_column("p", justify="right")

    positions = [_positions(result, w) for w in result.by_window]
    for i in _firm_order(result):
        fe = result.firm_events[i]
        cells: list = [fe.ticker] + ([] if common else [fe.day0.isoformat()])
        cells += [num(result.beta[i]), pct(result.sigma[i], signed=False), str(int(result.n_est[i]))]
        j = positions[0][i]
        if single:
            cells.append(signed(first.window_return[j], pct(first.window_return[j])) if j >= 0 else "—")
        if show_ar:
            cells += [signed(first.ar[j, d], pct(first.ar[j, d])) if j >= 0 else "—" for d in range(len(first.offsets))]
        for w, position in zip(result.by_window, positions):
            k = position[i]
            if k < 0:
                cells += ["skipped", ""] + ([""] if single else [])
                continue
            cells += [signed(w.car[k], pct(w.car[k])), num(w.car_t_clm[k])] + ([pval(w.car_p[k])] if single else [])
        table.add_row(*cells)
    console.print(table)
    if len(result.firm_events) > MAX_FIRMS_IN_TABLE:
        console.print(f"… {len(result.firm_events) - MAX_FIRMS_IN_TABLE} more firm-events between these; use --format csv or json for all.")

    if any(w.clustered for w in result.by_window):
        console.print()
        console.print(Text(CLUSTER_NOTE, style="yellow"))
    for w in result.by_window:
        console.print()
        console.print(Text(f"Window {window_label(w.window)}", style="bold"))
        console.print(aggregate_line(w))
        if not w.n:
            continue
        tests = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        for name in ("Test", "Statistic", "p", "Null distribution", "Note"):
            tests.add_column(name, justify="right" if name in ("Statistic", "p") else "left")
        rows = test_rows(w)
        for index, (name, stat, p, distribution, note, robust) in enumerate(rows):
            if w.clustered and index and robust != rows[index - 1][5]:
                tests.add_section()
            if w.clustered:
                note = note or ("valid under clustering" if robust else "assumes independent firm-events")
            tests.add_row(name, stat, p, distribution, note)
        console.print(tests)
    for line in skipped_lines(result):
        console.print(line)
