"""Charts: readable in print (percent axes, labels, day 0 marked, legend outside the data), valid files."""

from __future__ import annotations

import io
import json

import pytest

from tracker.reports.charts import (
    NEGATIVE,
    POSITIVE,
    car_bars_figure,
    car_paths_figure,
    chart_format,
    figure_bytes,
)
from tracker.reports.view import report_view
from tracker.study.request import StudyRequest, run_study

MINUS = "\u2212"


def overlaps(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


@pytest.fixture(scope="module")
def view(rendered):
    return report_view(rendered.result, lead="NVDA")


def test_car_paths_chart_marks_day0_uses_percent_and_keeps_the_legend_off_the_data(view):
    figure = car_paths_figure(view)
    figure.draw_without_rendering()
    ax = figure.axes[0]
    assert ax.get_ylabel() == "Cumulative abnormal return"
    assert ax.get_xlabel().startswith("Trading day relative to day 0")
    ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert ticks and all(t.endswith("%") for t in ticks) and any(t.startswith(MINUS) for t in ticks)
    assert [t.get_text().split("\n")[0] for t in ax.get_xticklabels()] == [f"{MINUS}1", "0", "+1", "+2", "+3", "+4"]
    assert "Jan 27" in ax.get_xticklabels()[-1].get_text()
    day0 = [line for line in ax.get_lines() if list(line.get_xdata()) == [0, 0]]
    assert day0, "day 0 is marked by a vertical line"
    assert any(t.get_text() == "day 0" for t in ax.texts)
    legend = figure.legends[0]
    assert not overlaps(legend.get_window_extent(), ax.get_window_extent())
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels[0] == f"CAAR (N = {view.window.n})" and labels[1].startswith("95% band of the CAAR")
    # the CAAR line and the band are the study's numbers
    caar_line = max(ax.get_lines(), key=lambda line: line.get_linewidth())
    assert list(caar_line.get_ydata()) == [0.0, *(d.caar for d in view.window.days)]
    # every firm is labelled at its line's end, outside the axes
    ends = {t.get_text() for t in ax.texts if t.get_text() != "day 0"}
    assert ends == {f.ticker for f in view.window.firms}


def test_car_bars_chart_is_sorted_coloured_by_sign_and_marked(view):
    figure = car_bars_figure(view)
    figure.draw_without_rendering()
    ax = figure.axes[0]
    firms = sorted(view.window.firms, key=lambda f: f.car)
    assert [t.get_text() for t in ax.get_yticklabels()] == [f.ticker for f in firms]
    bars = ax.patches
    assert [b.get_width() for b in bars] == [f.car for f in firms]
    from matplotlib.colors import to_hex

    assert [to_hex(b.get_facecolor()) for b in bars] == [NEGATIVE.lower() if f.car < 0 else POSITIVE.lower() for f in firms]
    labels = [t.get_text() for t in ax.texts]
    for firm, label in zip(firms, labels):
        stars = "***" if firm.car_p < 0.01 else "**" if firm.car_p < 0.05 else "*" if firm.car_p < 0.1 else ""
        assert label == f"{firm.car * 100:+.1f}%".replace("-", MINUS) + (f" {stars}" if stars else "")
    assert all(t.get_text().endswith("%") for t in ax.get_xticklabels() if t.get_text())
    assert "Cumulative abnormal return" in ax.get_xlabel()
    assert not overlaps(ax.get_legend().get_window_extent(), ax.get_window_extent())


def test_chart_files_are_deterministic_and_in_the_asked_format(view):
    from PIL import Image

    png = figure_bytes(car_paths_figure(view))
    assert png == figure_bytes(car_paths_figure(view))
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.size[0] == 1350
    svg = figure_bytes(car_paths_figure(view), "svg")
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg and svg == figure_bytes(car_paths_figure(view), "svg")
    pdf = figure_bytes(car_bars_figure(view), "pdf")
    assert pdf.startswith(b"%PDF") and pdf == figure_bytes(car_bars_figure(view), "pdf")


def test_chart_format_comes_from_the_file_name(tmp_path):
    from tracker.errors import ReportError

    assert chart_format(tmp_path / "a.PNG") == "png" and chart_format(tmp_path / "a.svg") == "svg"
    with pytest.raises(ReportError, match=r"must end in \.png, \.svg or \.pdf"):
        chart_format(tmp_path / "a.jpg")


def test_large_panels_are_drawn_without_per_firm_labels_and_with_the_extreme_bars(report_settings, tmp_path):
    tickers = ("NVDA", "AVGO", "AAPL", "MSFT", "TSM", "AMD", "GOOGL", "META", "AMZN", "MU", "ASML", "ORCL", "CEG", "VST", "SMH", "QQQ")
    rows = [f"{t},{d}" for t in tickers for d in ("2024-08-29", "2024-10-31", "2025-02-27")]
    events = tmp_path / "panel.csv"
    events.write_text("ticker,event_date\n" + "\n".join(rows) + "\n")
    study_result = run_study(report_settings, StudyRequest(events_file=events, window=(-1, 1)))
    study = json.loads(study_result.to_json())
    view = report_view(study_result)
    assert view.window.n == 48
    paths = car_paths_figure(view)
    assert not paths.axes[0].texts or all(t.get_text() == "day 0" for t in paths.axes[0].texts)
    assert "firm-event with CAR < 0" in [t.get_text() for t in paths.legends[0].get_texts()]
    bars = car_bars_figure(view)
    ax = bars.axes[0]
    assert len(ax.patches) == 40
    assert ax.get_title(loc="left").startswith("CAR of the 20 lowest and 20 highest of 48")
    cars = sorted(f["car"] for f in study["firms"])
    assert [b.get_width() for b in ax.patches] == cars[:20] + cars[-20:]
    assert ax.get_yticklabels()[0].get_text().split(" ")[1].count("-") == 2  # ticker and day 0 on panels
    assert len(figure_bytes(bars)) > 20_000


def test_each_window_is_drawn_over_its_own_days(view):
    second = view.windows[1]
    assert second.window == (-1, 1) and view.widest is view.window
    figure = car_paths_figure(view, second)
    figure.draw_without_rendering()
    ax = figure.axes[0]
    assert [t.get_text().split("\n")[0] for t in ax.get_xticklabels()] == [f"{MINUS}2", f"{MINUS}1", "0", "+1"]
    assert ax.get_title(loc="left") == f"Cumulative abnormal returns, days {MINUS}1 to +1"
    caar_line = max(ax.get_lines(), key=lambda line: line.get_linewidth())
    assert list(caar_line.get_ydata()) == [0.0, *(d.caar for d in second.days)]
    bars = car_bars_figure(view, second).axes[0]
    assert bars.get_title(loc="left") == f"CAR by firm, days {MINUS}1 to +1"
    assert [b.get_width() for b in bars.patches] == sorted(f.car for f in second.firms)
