"""``tracker report``, ``tracker study --chart`` and ``tracker demo``'s report, through the real CLI."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

from PIL import Image

TICKERS = "NVDA,AVGO,AAPL,MSFT"
R1 = "2025-01-20-deepseek-r1"


def test_report_writes_one_html_file_and_prints_the_headline(cli, report_settings, tmp_path):
    out = tmp_path / "out" / "r1.html"
    result = cli("report", R1, "--db", report_settings.db, "--tickers", TICKERS, "--window", "0,4", "--lead", "NVDA", "--out", out)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("NVDA's cumulative abnormal return over the 5 sessions")
    assert re.fullmatch(rf"wrote {re.escape(str(out))} \(\d+ KB\)", lines[1])
    html = out.read_text(encoding="utf-8")
    assert lines[0] in unescape(re.sub(r"</?span[^>]*>", "", html))
    assert html.count("data:image/png;base64,") == 2
    assert sorted(p.name for p in out.parent.iterdir()) == ["r1.html"]  # nothing else, no temporary files


def test_report_markdown_writes_the_charts_beside_it(cli, report_settings, tmp_path):
    out = tmp_path / "md" / "selloff.md"
    result = cli("report", "2025-01-27-deepseek-selloff", "--db", report_settings.db, "--tickers", TICKERS,
                 "--window", "0,0", "--format", "md", "--out", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.parent.iterdir()) == ["selloff-car-by-firm.png", "selloff-car-paths.png", "selloff.md"]
    for png in out.parent.glob("*.png"):
        with Image.open(png) as image:
            assert image.format == "PNG"
    assert "](selloff-car-paths.png)" in out.read_text(encoding="utf-8")


def test_report_takes_every_study_option_and_several_windows(cli, report_settings, tmp_path):
    out = tmp_path / "windows" / "selloff.md"
    result = cli("report", "2025-01-27-deepseek-selloff", "--db", report_settings.db, "--tickers", TICKERS,
                 "--window", "0,0", "--window", "-5,5", "--model", "market-adjusted", "--exclude-events", "earnings",
                 "--exclude-within", "2", "--format", "md", "--out", out)
    assert result.exit_code == 0, result.output
    # -5..+5 covers day 0: one chart of CAR paths (for the second window), CAR bars for both
    assert sorted(p.name for p in out.parent.iterdir()) == [
        "selloff-car-by-firm-2.png", "selloff-car-by-firm.png", "selloff-car-paths-2.png", "selloff.md"]
    text = out.read_text(encoding="utf-8")
    assert "### Day 0" in text and "### Days \u22125 to +5" in text
    assert "market-adjusted" in text and "Excluded days" in text and "of kind earnings" in text
    assert "--window 0,0 --window -5,5 --min-obs 120 --exclude-events earnings --exclude-within 2" in text
    study = cli("study", "2025-01-27-deepseek-selloff", "--db", report_settings.db, "--tickers", TICKERS,
                "--window", "0,0", "--window", "-5,5", "--model", "market-adjusted", "--exclude-events", "earnings",
                "--exclude-within", "2", "--format", "json")
    document = json.loads(study.stdout)
    assert document["model"] == "market-adjusted" and document["exclusion"]["within"] == 2
    headline = result.stdout.splitlines()[0]
    assert headline in text and len(document["by_window"]) == 2


def test_report_defaults_to_event_id_html_in_the_current_folder(cli, report_settings):
    result = cli("report", R1, "--db", report_settings.db, "--tickers", "NVDA,AAPL")
    assert result.exit_code == 0, result.output
    assert Path(f"{R1}.html").is_file()


def test_report_of_a_panel_from_an_events_file(cli, report_settings, tmp_path):
    events = tmp_path / "earnings.csv"
    events.write_text("ticker,event_date\nNVDA,2024-08-29\nNVDA,2024-11-21\nAVGO,2024-12-13\n")
    out = tmp_path / "panel.html"
    result = cli("report", "--events-file", events, "--db", report_settings.db, "--window", "-1,1", "--out", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Across 3 firm-events from earnings.csv")
    assert "tracker study --events-file earnings.csv" in out.read_text(encoding="utf-8")


def test_report_errors_are_one_line_and_write_nothing(cli, report_settings, tmp_path):
    tmp_path = tmp_path / "errors"
    tmp_path.mkdir()
    cases = [
        (["--format", "md", "--out", tmp_path / "x.html"], "--format md does not match --out"),
        (["--lead", "TSLA", "--out", tmp_path / "y.html"], "--lead TSLA is not among the studied firms"),
        (["--out", tmp_path / "file.txt" / "z.html"], "cannot write"),
    ]
    (tmp_path / "file.txt").write_text("a file, not a folder")
    for extra, message in cases:
        result = cli("report", R1, "--db", report_settings.db, "--tickers", "NVDA,AAPL", *extra)
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith("error: ") and message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_study_chart_writes_the_car_chart_and_leaves_stdout_to_the_study(cli, report_settings, tmp_path):
    chart = tmp_path / "car.png"
    result = cli("study", R1, "--db", report_settings.db, "--tickers", TICKERS, "--window", "0,1", "--window", "0,4",
                 "--format", "json", "--chart", chart)
    assert result.exit_code == 0, result.output
    study = json.loads(result.stdout)  # stdout is only the JSON
    assert study["aggregate"]["n"] == 4
    assert result.stderr.strip() == f"chart written to {chart}"
    with Image.open(chart) as image:
        assert image.format == "PNG" and image.size[0] == 1350 and 600 < image.size[1] < 1000
    from tracker.reports.charts import car_paths_figure, figure_bytes
    from tracker.reports.view import report_view
    from tracker.study import StudyRequest, run_study

    same = run_study(report_settings, StudyRequest(event_id=R1, tickers=tuple(TICKERS.split(",")), windows=((0, 1), (0, 4))))
    assert same.to_json() == result.stdout
    view = report_view(same)
    assert chart.read_bytes() == figure_bytes(car_paths_figure(view, view.windows[1]))  # the widest window


def test_study_chart_refuses_an_unknown_image_type_before_studying(cli, tmp_path):
    result = cli("study", R1, "--db", tmp_path / "missing.duckdb", "--chart", tmp_path / "car.jpg")
    assert result.exit_code == 1
    assert result.stderr == f"error: --chart {tmp_path / 'car.jpg'}: a chart must be named .png, .svg or .pdf; for example car.png\n"


def test_demo_writes_the_deepseek_report_and_prints_its_path(cli, tmp_path):
    db = tmp_path / "demo.duckdb"
    result = cli("demo", "--db", db)
    assert result.exit_code == 0, result.output
    report = tmp_path / "demo-deepseek-r1.html"
    assert f"  {report}" in result.stdout.splitlines()
    html = report.read_text(encoding="utf-8")
    assert "DeepSeek-R1" in html and "NVDA&#x27;s cumulative abnormal return" in html
    assert html.count("data:image/png;base64,") == 2


def test_the_cli_imports_no_plotting_or_data_library_until_a_command_runs():
    import subprocess
    import sys

    code = "import sys, tracker.cli; print(sorted(m for m in ('matplotlib', 'numpy', 'polars', 'duckdb') if m in sys.modules))"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert completed.stdout.strip() == "[]", completed.stderr
