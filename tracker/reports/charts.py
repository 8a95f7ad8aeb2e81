"""Report charts drawn with matplotlib's Agg canvas (no display, no pyplot global state).

Two charts, both readable in print: percent axes with labels, day 0 marked, legends outside
the data. matplotlib is imported inside the drawing functions so the CLI starts fast.

- :func:`car_paths_figure`: each firm's cumulative abnormal return through the event window,
  the CAAR and the study's confidence band around it.
- :func:`car_bars_figure`: CARs by firm, sorted, coloured by sign, with significance marks.
- :func:`group_caar_figure`: with groups, one CAAR line per group with its band, instead of
  every firm's line.
"""

from __future__ import annotations

import datetime as dt
import math
import io
from pathlib import Path

from tracker.analysis.formatting import MINUS, STARS_KEY, offset_label, pct, stars, typeset
from tracker.reports.view import FirmRow, ReportView, WindowView

NEGATIVE = "#D55E00"  # Okabe–Ito vermillion and blue: distinct with colour-blindness and in grey
POSITIVE = "#0072B2"
CAAR_COLOUR = "#111111"
BAND_COLOUR = "#9a9a9a"
MAX_LABELLED_LINES = 20  # more firm-events than this are drawn as thin grey lines without a legend
MAX_DATE_LABELS = 8  # a longer window writes the session date under every k-th day only
MAX_BARS = 40  # more than this: the lowest and highest MAX_BARS/2
DPI = 150
CHART_SUFFIXES = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


def _percent_axis(axis) -> None:
    """Ticks at round steps, labelled in percent with as few decimals as tell them apart."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis.set_major_locator(MaxNLocator(nbins=8, steps=[1, 2, 2.5, 5, 10]))

    def label(value: float, _pos) -> str:
        ticks = [t * 100 for t in axis.get_majorticklocs()]
        digits = next((d for d in range(4) if all(abs(round(t, d) - t) < 1e-9 for t in ticks)), 4)
        text = f"{value * 100:.{digits}f}"
        return "0%" if float(text) == 0 else text.replace("-", MINUS) + "%"

    axis.set_major_formatter(FuncFormatter(label))


def _new_figure(width: float, height: float):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    figure.patch.set_facecolor("white")
    return figure


def _style(ax) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(True, color="#e3e3e3", linewidth=0.7)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=9)


def _short_date(iso: str | None) -> str:
    return dt.date.fromisoformat(iso).strftime("%b %d").replace(" 0", " ") if iso else ""


def car_path(firm: FirmRow) -> list[float | None]:
    """The firm's CAR through each window day, starting from 0 the day before the window.

    A running sum of the study's ARs for drawing; its last value is the study's CAR.
    """
    path: list[float | None] = [0.0]
    total = 0.0
    for ar in firm.ar:
        if ar is None:
            path.append(None)
            continue
        total += ar
        path.append(total)
    return path


def car_paths_figure(view: ReportView, window: WindowView | None = None):
    """Cumulative abnormal return of every firm through the window, with the CAAR and its band.

    ``window`` defaults to the study's widest window.

    Firm lines are coloured by the sign of their CAR (as in the bar chart) and labelled at their
    ends; the headline's firm is drawn heavier. With more than ``MAX_LABELLED_LINES`` firm-events
    the lines are thin and unlabelled.
    """
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    window = window or view.widest
    xs = [window.offsets[0] - 1, *window.offsets]
    firms = [f for f in window.firms if f.car is not None]
    labelled = len(firms) <= MAX_LABELLED_LINES
    figure = _new_figure(9.0, 5.4)
    ax = figure.add_subplot()
    _style(ax)

    paths = {id(f): _nan(car_path(f)) for f in firms}
    if labelled:
        for firm in firms:
            lead = firm.ticker == view.lead_ticker
            ax.plot(xs, paths[id(firm)], color=_sign_colour(firm.car), linewidth=2.2 if lead else 1.1,
                    alpha=1.0 if lead else 0.7, marker="o", markersize=3 if lead else 2, zorder=4 if lead else 3)
    elif firms:
        ax.add_collection(LineCollection(
            [list(zip(xs, paths[id(f)])) for f in firms], colors=[_sign_colour(f.car) for f in firms],
            linewidths=0.6, alpha=min(0.6, max(0.04, 30 / len(firms))), zorder=3,
        ))

    band = window.band is not None and window.days and all(d.lower is not None and d.upper is not None for d in window.days)
    if band:
        ax.fill_between(xs, [0.0, *(d.lower for d in window.days)], [0.0, *(d.upper for d in window.days)],
                        color=BAND_COLOUR, alpha=0.35, linewidth=0, zorder=2)
    caar = window.days and all(d.caar is not None for d in window.days)
    if caar:
        ax.plot(xs, [0.0, *(d.caar for d in window.days)], color=CAAR_COLOUR, linewidth=2.8, marker="o",
                markersize=5, zorder=6)

    _event_time_axes(ax, xs, window, "Cumulative abnormal return", f"Cumulative abnormal returns, {window.label}")

    handles = []
    if caar:
        handles.append(Line2D([], [], color=CAAR_COLOUR, linewidth=2.8, marker="o", markersize=5,
                              label=f"CAAR (N = {window.n:,})"))
    if band:
        handles.append(Patch(facecolor=BAND_COLOUR, alpha=0.5,
                             label=f"{window.band.level:.0%} band of the CAAR (portfolio time series, CDA)"))
    kind = "firm" if view.common_day0 else "firm-event"
    handles.append(Line2D([], [], color=NEGATIVE, linewidth=1.4, label=f"{kind} with CAR < 0"))
    handles.append(Line2D([], [], color=POSITIVE, linewidth=1.4, label=f"{kind} with CAR ≥ 0"))
    if labelled and any(f.ticker == view.lead_ticker for f in firms):
        handles.append(Line2D([], [], color="#555555", linewidth=2.2, marker="o", markersize=3,
                              label=f"{view.lead_ticker}: the headline's firm"))
    figure.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False, fontsize=8.5,
                  title=view.model_line, title_fontsize=8.5)
    if labelled and firms:
        _label_line_ends(ax, figure, xs[-1], [(f, paths[id(f)][-1]) for f in firms], view)
    return figure


def _event_time_axes(ax, xs: list[int], window: WindowView, ylabel: str, title: str) -> None:
    """The axes of a chart through event time: the zero line, day 0 marked, a tick per day labelled
    with its offset and, every few days so the dates never run into each other, its session date;
    a percent y axis; the labels and the title."""
    ax.axhline(0.0, color="#444444", linewidth=0.8, zorder=2)
    if xs[0] <= 0 <= xs[-1]:
        ax.axvline(0.0, color="#444444", linewidth=1.1, linestyle=(0, (4, 3)), zorder=2)
        ax.annotate("day 0", xy=(0, 1), xycoords=("data", "axes fraction"), xytext=(4, -4),
                    textcoords="offset points", ha="left", va="top", fontsize=9, color="#333333")
    dates = [None, *window.dates]
    ax.set_xticks(xs)
    every = max(1, math.ceil(len(xs) / MAX_DATE_LABELS))
    ax.set_xticklabels([_offset(x) + (f"\n{_short_date(d)}" if d and x % every == 0 else "") for x, d in zip(xs, dates)])
    ax.set_xlim(xs[0] - 0.25, xs[-1] + 0.25)
    _percent_axis(ax.yaxis)
    ax.set_xlabel(f"Trading day relative to day 0{' (session date)' if any(dates) else ''}; "
                  f"cumulated from the close of day {_offset(xs[0])}", fontsize=9.5)
    ax.set_ylabel(ylabel, fontsize=10)
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold")


def _label_line_ends(ax, figure, x_end: float, ends: list, view: ReportView) -> None:
    """Tickers at the right of the lines' last points, nudged apart so none overlap."""
    ends = sorted(((y, firm) for firm, y in ends if y == y), key=lambda item: item[0])
    if not ends:
        return
    figure.draw_without_rendering()  # lay out first, to measure the axes' real height
    low, high = ax.get_ylim()
    axes_height_in = ax.get_window_extent().height / figure.dpi
    gap = (8.5 * 1.2 / 72) / axes_height_in * (high - low)
    placed = [y for y, _ in ends]
    for k in range(1, len(placed)):  # push up, then pull back down from the top
        placed[k] = max(placed[k], placed[k - 1] + gap)
    overflow = placed[-1] - high
    if overflow > 0:
        placed = [y - overflow for y in placed]
        for k in range(len(placed) - 2, -1, -1):
            placed[k] = min(placed[k], placed[k + 1] - gap)
    for (y, firm), y_text in zip(ends, placed):
        lead = firm.ticker == view.lead_ticker
        ax.annotate(
            _firm_label(firm, view), xy=(x_end, y), xytext=(1.02, y_text), textcoords=("axes fraction", "data"),
            fontsize=8.5, va="center", ha="left", color=_sign_colour(firm.car), fontweight="bold" if lead else "normal",
            arrowprops={"arrowstyle": "-", "color": "#b0b0b0", "linewidth": 0.6, "shrinkA": 0, "shrinkB": 3},
            annotation_clip=False,
        )


def _sign_colour(value: float | None) -> str:
    return NEGATIVE if value is not None and value < 0 else POSITIVE


def car_bars_figure(view: ReportView, window: WindowView | None = None):
    """CAR of each firm, sorted from lowest to highest, coloured by sign, marked by significance."""
    from matplotlib.patches import Patch

    window = window or view.window
    firms = [f for f in window.firms_by_car if f.car is not None]
    shown = firms if len(firms) <= MAX_BARS else firms[: MAX_BARS // 2] + firms[-MAX_BARS // 2:]
    cut = None if len(firms) <= MAX_BARS else MAX_BARS // 2
    height = 1.5 + 0.27 * max(len(shown), 3)
    figure = _new_figure(9.0, height)
    ax = figure.add_subplot()
    _style(ax)
    ax.grid(False, axis="y")
    ys = list(range(len(shown)))
    values = [f.car for f in shown]
    colours = [_sign_colour(v) for v in values]
    ax.barh(ys, values, color=colours, height=0.68, zorder=3)
    ax.set_yticks(ys)
    ax.set_yticklabels([_firm_label(f, view) for f in shown], fontsize=9)
    ax.invert_yaxis()  # lowest CAR on top, like the table
    ax.axvline(0.0, color="#444444", linewidth=0.8, zorder=4)
    if cut is not None:
        ax.axhline(cut - 0.5, color="#777777", linewidth=0.8, linestyle=":")
    span = max(abs(v) for v in values) if values else 0.01
    ax.set_xlim(min(0.0, min(values, default=0.0)) - 0.35 * span, max(0.0, max(values, default=0.0)) + 0.35 * span)
    for y, firm in zip(ys, shown):
        label = f"{typeset(pct(firm.car, 1))} {stars(firm.car_p)}".rstrip()
        ax.annotate(label, xy=(firm.car, y), xytext=(4 if firm.car >= 0 else -4, 0), textcoords="offset points",
                    ha="left" if firm.car >= 0 else "right", va="center", fontsize=8, color="#222222")
    _percent_axis(ax.xaxis)
    ax.set_xlabel(f"Cumulative abnormal return, {window.label}", fontsize=10)
    what = f"of the {len(shown) // 2} lowest and {len(shown) // 2} highest of {len(firms):,}" if cut is not None else "by firm"
    ax.set_title(f"CAR {what}, {window.label}", loc="left", fontsize=12, fontweight="bold")
    handles = [Patch(color=NEGATIVE, label="CAR < 0"), Patch(color=POSITIVE, label="CAR ≥ 0")]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8.5,
              title="Per-firm t (estimation-error\ncorrected), two-sided:\n" + STARS_KEY.replace(", ", "\n"),
              title_fontsize=8, alignment="left")
    return figure


def _firm_label(firm: FirmRow, view: ReportView) -> str:
    return firm.ticker if view.common_day0 else f"{firm.ticker} {firm.day0}"


def _offset(value: int) -> str:
    return typeset(offset_label(value))


def _nan(values: list[float | None]) -> list[float]:
    return [float("nan") if v is None else v for v in values]


# -- output -----------------------------------------------------------------------------------------

def figure_bytes(figure, fmt: str = "png") -> bytes:
    """The figure encoded as ``png``, ``svg`` or ``pdf``."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    with rc_context({"svg.hashsalt": "market-reaction-tracker"}):  # stable SVG ids: same study, same file
        figure.savefig(buffer, format=fmt, dpi=DPI, facecolor="white", metadata=_metadata(fmt))
    return buffer.getvalue()


def _metadata(fmt: str) -> dict:
    # No creation dates, so the same study gives the same file.
    if fmt == "pdf":
        return {"CreationDate": None, "Creator": "market-reaction-tracker"}
    if fmt == "svg":
        return {"Date": None, "Creator": "market-reaction-tracker"}
    return {"Software": "market-reaction-tracker (matplotlib)"}


def chart_format(path: Path) -> str:
    """The image format for ``path`` from its suffix (``.png``, ``.svg``, ``.pdf``)."""
    fmt = CHART_SUFFIXES.get(Path(path).suffix.lower())
    if fmt is None:
        from tracker.errors import ReportError

        raise ReportError(f"chart file {path} must end in .png, .svg or .pdf")
    return fmt


GROUP_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")  # Okabe–Ito


def group_caar_figure(view: ReportView, window: WindowView | None = None):
    """One CAAR line per group through the window, each with its 95% band, and each pair's difference in the legend."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    window = window or view.widest
    index = next(i for i, w in enumerate(view.windows) if w is window)
    xs = [window.offsets[0] - 1, *window.offsets]
    figure = _new_figure(9.0, 5.4)
    ax = figure.add_subplot()
    _style(ax)
    handles = []
    for k, (name, windows) in enumerate(view.groups):
        w = windows[index]
        colour = GROUP_COLOURS[k % len(GROUP_COLOURS)]
        if not w.n or not all(d.caar is not None for d in w.days):
            continue
        if w.band is not None and all(d.lower is not None and d.upper is not None for d in w.days):
            ax.fill_between(xs, [0.0, *(d.lower for d in w.days)], [0.0, *(d.upper for d in w.days)],
                            color=colour, alpha=0.15, linewidth=0, zorder=2)
        ax.plot(xs, [0.0, *(d.caar for d in w.days)], color=colour, linewidth=2.4, marker="o", markersize=4, zorder=5)
        handles.append(Line2D([], [], color=colour, linewidth=2.4, marker="o", markersize=4,
                              label=f"{name} (N = {w.n:,}): CAAR {typeset(pct(w.caar))}"))
    if handles:
        handles.append(Patch(facecolor=BAND_COLOUR, alpha=0.4, label="95% band of each group's CAAR (CDA)"))
    for d in view.group_differences:
        if tuple(d.window) == tuple(window.window):
            test = d.tests["long_short_t"] if d.tests["long_short_t"].stat is not None else d.tests["binder_t"]
            said = f", {test.name} {typeset(f'{test.stat:.2f}')} (p {test.p:.3f})" if test.stat is not None else ""
            handles.append(Line2D([], [], color="none", label=f"{d.label}: {typeset(pct(d.difference))}{said}"))
    _event_time_axes(ax, xs, window, "Cumulative average abnormal return", f"CAAR by group, {window.label}")
    figure.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False, fontsize=8.5,
                  title=view.model_line, title_fontsize=8.5)
    return figure


def write_car_chart(view: ReportView, path: Path) -> Path:
    """Write the cumulative-abnormal-return chart of the widest window alone (``tracker study --chart``):
    with groups, one CAAR line per group (:func:`group_caar_figure`)."""
    path = Path(path)
    draw = group_caar_figure if view.groups else car_paths_figure
    data = figure_bytes(draw(view, view.widest), chart_format(path))
    from tracker.output_paths import write_atomically

    write_atomically(path, data)
    return path


__all__ = ["car_bars_figure", "car_path", "car_paths_figure", "chart_format", "figure_bytes", "group_caar_figure", "write_car_chart"]
