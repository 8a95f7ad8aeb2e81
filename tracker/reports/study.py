"""Rendering a :class:`StudyResult` as a terminal table, CSV, Markdown or JSON.

No statistics are computed here: every number comes from the result object.
"""

from __future__ import annotations

import io
import math

import numpy as np

from tracker.analysis import StudyResult

FORMATS = ("table", "json", "csv", "md")
MAX_FIRMS_IN_TABLE = 40
MAX_AR_COLUMNS = 7
CLUSTER_NOTE = (
    "All firm-events share day 0 (clustered event date): cross-sectional t, Patell Z and BMP t "
    "assume independent firms and over-reject here (Kolari & Pynnönen 2010); read the per-firm t "
    "(car_t_clm) first."
)


def render(result: StudyResult, fmt: str) -> str:
    """The result in ``fmt`` (``table`` renders plain text without colour)."""
    if fmt == "json":
        return result.to_json()
    if fmt == "csv":
        return to_csv(result)
    if fmt == "md":
        return to_markdown(result)
    if fmt == "table":
        from rich.console import Console

        buffer = io.StringIO()
        print_table(result, Console(file=buffer, width=160, no_color=True, highlight=False))
        return buffer.getvalue()
    raise ValueError(f"unknown format {fmt!r}")


# -- number formats -------------------------------------------------------------------------------

def pct(value: float, digits: int = 2, signed: bool = True) -> str:
    if value is None or not math.isfinite(value):
        return ""
    return f"{value * 100:+.{digits}f}%" if signed else f"{value * 100:.{digits}f}%"


def num(value: float, digits: int = 2) -> str:
    if value is None or not math.isfinite(value):
        return ""
    return f"{value:.{digits}f}"


def pval(value: float) -> str:
    if value is None or not math.isfinite(value):
        return ""
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def offset_label(offset: int) -> str:
    return f"{offset:+d}" if offset else "0"


def describe_event(result: StudyResult) -> str:
    event = result.event
    if "events_file" in event:
        return f"{event['firm_events']} firm-events from {event['events_file']}"
    when = f"{event.get('announced_at', '')} {event.get('timezone', '')}".strip()
    return f"{event.get('name')} [{event.get('event_id')}], announced {when}; day 0 = {event.get('day0')} ({event.get('day0_rule')})"


def describe_setup(result: StudyResult) -> str:
    return (
        f"{result.model} model vs {result.market}, estimation [{result.estimation[0]},{result.estimation[1]}], "
        f"window [{result.window[0]},{result.window[1]}], min-obs {result.min_obs}, log position {result.log_position}"
    )


# -- terminal --------------------------------------------------------------------------------------

def print_table(result: StudyResult, console) -> None:
    """Rich tables: firms sorted by CAR, the aggregate tests, skipped firm-events."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console.print(Text(describe_event(result), style="bold"))
    console.print(describe_setup(result))
    offsets = result.offsets
    show_ar = len(offsets) <= MAX_AR_COLUMNS
    common = result.common_day0

    def signed(value: float, text: str) -> Text:
        style = "red" if value < 0 else "green" if value > 0 else ""
        return Text(text, style=style)

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Ticker")
    if not common:
        table.add_column("Day 0")
    for name in ("β", "σ", "n", "Return"):
        table.add_column(name, justify="right")
    if show_ar:
        for offset in offsets:
            table.add_column(f"AR({offset_label(offset)})", justify="right")
    for name in ("CAR", "t", "p"):
        table.add_column(name, justify="right")

    order = np.argsort(result.car, kind="stable")
    if result.n > MAX_FIRMS_IN_TABLE:
        half = MAX_FIRMS_IN_TABLE // 2
        order = np.concatenate([order[:half], order[-half:]])
    window_return = result.window_return
    for i in order.tolist():
        fe = result.firm_events[i]
        cells = [fe.ticker] + ([] if common else [fe.day0.isoformat()])
        cells += [num(result.beta[i]), pct(result.sigma[i], signed=False), str(int(result.n_est[i])),
                  signed(window_return[i], pct(window_return[i]))]
        if show_ar:
            cells += [signed(result.ar[i, j], pct(result.ar[i, j])) for j in range(len(offsets))]
        cells += [signed(result.car[i], pct(result.car[i])), num(result.car_t_clm[i]), pval(result.car_p[i])]
        table.add_row(*cells)
    console.print(table)
    if result.n > MAX_FIRMS_IN_TABLE:
        console.print(f"… {result.n - MAX_FIRMS_IN_TABLE} more firm-events between these; use --format csv or json for all.")

    if result.n:
        aar = result.aar
        aar_text = ", ".join(f"{offset_label(o)}: {pct(a)}" for o, a in zip(offsets, aar))
        console.print(f"N = {result.n}   CAAR = {pct(result.caar)}   AAR by day: {aar_text}")
        tests = Table(box=box.SIMPLE_HEAD, pad_edge=False, title=None)
        for name in ("Test", "Statistic", "p", "Null distribution", "Note"):
            tests.add_column(name, justify="right" if name in ("Statistic", "p") else "left")
        for name, test in result.tests.items():
            tests.add_row(name, num(test.stat) if test.stat is not None else "—", pval(test.p) if test.p is not None else "—",
                          test.distribution, test.reason or "")
        console.print(tests)
        if common and result.n > 1:
            console.print(Text(CLUSTER_NOTE, style="yellow"))
    for skipped in result.skipped:
        console.print(f"skipped {skipped.ticker} ({skipped.event_date}): {skipped.reason}")


# -- CSV and Markdown --------------------------------------------------------------------------------

def _firm_rows(result: StudyResult) -> tuple[list[str], list[list[str]]]:
    offsets = result.offsets
    header = ["ticker", "event_id", "event_date", "day0", "alpha", "beta", "sigma", "n_est", "window_return"]
    header += [f"ar_{offset_label(o)}" for o in offsets]
    header += ["car", "car_t", "car_t_clm", "car_p"]
    rows = []
    for i, fe in enumerate(result.firm_events):
        values = [result.alpha[i], result.beta[i], result.sigma[i]]
        row = [fe.ticker, fe.event_id or "", fe.event_date.isoformat(), fe.day0.isoformat()]
        row += [_raw(v) for v in values] + [str(int(result.n_est[i])), _raw(result.window_return[i])]
        row += [_raw(a) for a in result.ar[i]]
        row += [_raw(result.car[i]), _raw(result.car_t[i]), _raw(result.car_t_clm[i]), _raw(result.car_p[i])]
        rows.append(row)
    return header, rows


def _raw(value: float) -> str:
    return repr(float(value)) if math.isfinite(value) else ""


def to_csv(result: StudyResult) -> str:
    import csv

    header, rows = _firm_rows(result)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def to_markdown(result: StudyResult) -> str:
    offsets = result.offsets
    lines = [f"# Event study: {result.event.get('name') or result.event.get('events_file')}", ""]
    lines += [f"- {describe_event(result)}", f"- {describe_setup(result)}", ""]
    header = ["Ticker", "Day 0", "β", "σ", "n", "Return"] + [f"AR({offset_label(o)})" for o in offsets] + ["CAR", "t", "p"]
    lines += ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|"]
    for i in np.argsort(result.car, kind="stable").tolist():
        fe = result.firm_events[i]
        cells = [fe.ticker, fe.day0.isoformat(), num(result.beta[i]), pct(result.sigma[i], signed=False),
                 str(int(result.n_est[i])), pct(result.window_return[i])]
        cells += [pct(a) for a in result.ar[i]]
        cells += [pct(result.car[i]), num(result.car_t_clm[i]), pval(result.car_p[i])]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"N = {result.n}, CAAR = {pct(result.caar)}", ""]
    lines += ["| Test | Statistic | p | Null distribution |", "|---|---:|---:|---|"]
    for name, test in result.tests.items():
        stat = num(test.stat) if test.stat is not None else f"— ({test.reason})"
        lines.append(f"| {name} | {stat} | {pval(test.p) if test.p is not None else '—'} | {test.distribution} |")
    if result.common_day0 and result.n > 1:
        lines += ["", f"> {CLUSTER_NOTE}"]
    if result.skipped:
        lines += ["", "Skipped:", ""] + [f"- {s.ticker} ({s.event_date}): {s.reason}" for s in result.skipped]
    return "\n".join(lines) + "\n"
