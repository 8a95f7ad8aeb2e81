"""The Markdown report: the same tables as the HTML one, the charts as PNG files beside it."""

from __future__ import annotations

import re

import pytest

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
        assert len(rows) == len(tests) == 14
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
