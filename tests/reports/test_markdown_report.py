"""The Markdown report: the same tables as the HTML one, the charts as PNG files beside it."""

from __future__ import annotations

import re

import pytest

from tracker.analysis import TEST_NAMES

MINUS = "\u2212"


def number(text: str) -> float:
    return float(text.replace(MINUS, "-").replace("%", "").replace(",", "").replace("+", "").replace("*", ""))


def tables(markdown: str) -> dict[str, tuple[list[str], list[list[str]]]]:
    """GFM tables by the bold caption above them."""
    found = {}
    lines = markdown.splitlines()
    for k, line in enumerate(lines):
        if line.startswith("| ") and k >= 2 and lines[k - 2].startswith("**") and lines[k + 1].startswith("|-"):
            caption = lines[k - 2].strip("*")
            split = lambda text: [c.strip() for c in re.split(r"(?<!\\)\|", text)[1:-1]]  # noqa: E731
            rows = []
            for row in lines[k + 2:]:
                if not row.startswith("| "):
                    break
                rows.append(split(row))
            found[caption] = (split(line), rows)
    return found


def test_charts_are_png_files_beside_the_report_and_linked(rendered):
    from PIL import Image

    text = rendered.markdown.read_text(encoding="utf-8")
    assert rendered.markdown_files[0] == rendered.markdown
    charts = rendered.markdown_files[1:]
    assert [p.name for p in charts] == ["r1-car-paths.png", "r1-car-by-firm.png", "r1-car-paths-2.png", "r1-car-by-firm-2.png"]
    for path in charts:
        assert path.parent == rendered.markdown.parent
        assert f"]({path.name})" in text
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            assert image.format == "PNG" and image.width >= 900 and image.height >= 300
        assert 20_000 < path.stat().st_size < 600_000
    assert "http" not in "".join(re.findall(r"!\[[^\]]*\]\(([^)]*)\)", text))


def test_markdown_tables_hold_the_study_numbers(rendered):
    text = rendered.markdown.read_text(encoding="utf-8")
    found = tables(text)
    for block, label in zip(rendered.study["by_window"], ("days 0 to +4", f"days {MINUS}1 to +1"), strict=True):
        header, rows = found[f"Firms sorted by CAR, {label}"]
        firms = {f["ticker"]: f for f in block["firms"]}
        assert len(rows) == len(firms)
        for row in rows:
            cell = dict(zip(header, row))
            firm = firms[cell["Ticker"].strip("*")]
            assert number(cell["CAR"]) == pytest.approx(round(firm["car"] * 100, 2), abs=1e-9)
            assert number(cell["BHAR"]) == pytest.approx(round(firm["bhar"] * 100, 2), abs=1e-9)
            assert number(cell["β"]) == pytest.approx(round(firm["beta"], 2), abs=1e-9)
            assert number(cell["t"]) == pytest.approx(round(firm["car_t_clm"], 2), abs=1e-9)
            for day in firm["ar"]:
                label_ = f"AR({'0' if day['offset'] == 0 else format(day['offset'], '+d').replace('-', MINUS)})"
                assert number(cell[label_]) == pytest.approx(round(day["ar"] * 100, 2), abs=1e-9)
        header, rows = found[f"Tests that the mean abnormal return is zero, {label}"]
        tests = block["aggregate"]["tests"]
        assert len(rows) == len(tests) == len(TEST_NAMES)
        stats = sorted(round(t["stat"], 2) for t in tests.values() if t["stat"] is not None)
        assert sorted(number(row[1]) for row in rows if not row[1].startswith("\u2014")) == stats
    assert text.count("| **NVDA** |") == 2
    header, rows = found["Firm-events skipped"]
    assert rows == [[s["ticker"], s["event_date"], "all", s["reason"]] for s in rendered.study["skipped"]]
    assert "Price bars the study read (latest revision of each bar at the log position)" in found


def test_markdown_has_the_headline_and_sections_of_the_html(rendered):
    text = rendered.markdown.read_text(encoding="utf-8")
    assert text.startswith("# DeepSeek-R1")
    assert re.search(r"^\*\*NVDA's cumulative abnormal return", text, re.M)
    for section in ("## Results", "## Methodology", "## Data provenance", "### Reproduce"):
        assert section in text
    assert "--as-of" in text


HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) *bold* `code` a|b"


def test_text_from_outside_is_shown_as_text_never_as_markup(cli, report_settings, tmp_path):
    """An event's name is outside text: in Markdown its HTML, links, emphasis and pipes must stay literal."""
    import shutil

    db = tmp_path / "hostile.duckdb"
    shutil.copy(report_settings.db, db)
    added = cli("events", "add", "--name", HOSTILE, "--kind", "model_release", "--at", "2025-01-27", "--tz", "America/New_York",
                "--id", "hostile", "--db", db)
    assert added.exit_code == 0, added.output
    out = tmp_path / "hostile.md"
    made = cli("report", "hostile", "--tickers", "NVDA,AAPL", "--window", "0,0", "--out", out, "--db", db)
    assert made.exit_code == 0, made.output
    text = out.read_text()
    from tracker.reports.markdown import escape

    assert f"# {escape(HOSTILE)}" in text
    for live in (r"<script", r"<img", r"(?<!\\)\]\(javascript:", r"(?<!\\)\*bold", r"(?<!\\)`code", r"a(?<!\\)\|b"):
        assert not re.search(live, text), live
    assert "&lt;script>" in text and "\\[click\\]" in text and "a\\|b" in text
    # the study's own markup (a table, emphasis of its captions) is still there
    assert "| Ticker |" in text and "**Firms sorted by CAR, day 0**" in text


def test_markdown_escape_keeps_plain_text_as_it_is():
    from tracker.reports.markdown import escape

    assert escape("p < 0.05 and R&D, −13.3% on 2025-01-27 (t = −5.1)") == "p < 0.05 and R&D, −13.3% on 2025-01-27 (t = −5.1)"
    assert escape("two\nlines") == "two lines"
    assert escape("&amp; &#60; <!-- x --> </b>") == "&amp;amp; &amp;#60; &lt;!-- x --> &lt;/b>"


def test_the_reproduce_command_quotes_a_hostile_file_name_for_the_shell(cli, report_settings, tmp_path):
    import shlex

    events = tmp_path / "$(touch PWNED); x.csv"
    events.write_text("ticker,event_date\nNVDA,2025-01-27\nAAPL,2025-01-27\n")
    out = tmp_path / "panel.md"
    made = cli("report", "--events-file", events, "--window", "0,0", "--out", out, "--db", report_settings.db)
    assert made.exit_code == 0, made.output
    command = next(line for line in out.read_text().splitlines() if line.startswith("tracker study"))
    arguments = shlex.split(command)
    assert arguments[2:4] == ["--events-file", "$(touch PWNED); x.csv"]  # one argument, never run
    assert "'$(touch PWNED); x.csv'" in command
