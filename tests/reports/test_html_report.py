"""The HTML report: self-contained, and every number in its tables is the study's own."""

from __future__ import annotations

import base64
import io
import json
import re
from html.parser import HTMLParser

import pytest

MINUS = "\u2212"
# attributes through which a browser would fetch something
RESOURCE_ATTRIBUTES = {"src", "srcset", "poster", "data", "background", "action", "formaction", "manifest", "xlink:href"}


class Document(HTMLParser):
    """Tags, tables (by id), script bodies (by id) and the text of elements with an id."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.tables: dict[str, list[list[tuple[str, dict]]]] = {}
        self.scripts: dict[str, str] = {}
        self.styles: list[str] = []
        self.texts: dict[str, str] = {}
        self._table = None
        self._row = None
        self._cell = None
        self._script = None
        self._style = False
        self._open_ids: list[tuple[str, str, int]] = []
        self._depth = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        self._depth += 1
        if "id" in attrs and tag not in ("table", "script"):
            self._open_ids.append((attrs["id"], tag, self._depth))
            self.texts[attrs["id"]] = ""
        if tag == "table":
            self._table = self.tables.setdefault(attrs.get("id", f"anonymous-{len(self.tables)}"), [])
        elif tag == "tr" and self._table is not None:
            self._row = []
            self._table.append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ["", attrs]
        elif tag == "script":
            self._script = [attrs.get("id", ""), ""]
        elif tag == "style":
            self._style = True

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append((self._cell[0].strip(), self._cell[1]))
            self._cell = None
        elif tag == "table":
            self._table = None
        elif tag == "script" and self._script is not None:
            self.scripts[self._script[0]] = self._script[1]
            self._script = None
        elif tag == "style":
            self._style = False
        while self._open_ids and self._open_ids[-1][2] >= self._depth:
            self._open_ids.pop()
        self._depth -= 1

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[0] += data
        if self._script is not None:
            self._script[1] += data
        if self._style:
            self.styles.append(data)
        for element_id, _, _ in self._open_ids:
            self.texts[element_id] += data

    def table(self, key: str) -> tuple[list[str], list[list[tuple[str, dict]]]]:
        rows = self.tables[f"table-{key}"]
        return [text for text, _ in rows[0]], rows[1:]


@pytest.fixture(scope="module")
def document(rendered) -> Document:
    return Document(rendered.html.read_text(encoding="utf-8"))


def number(text: str) -> float:
    """Independent reading of a displayed number: '−13.33%' -> -13.33, '+0.104%' -> 0.104."""
    return float(text.replace(MINUS, "-").replace("%", "").replace(",", "").replace("+", ""))


def firm_by_ticker(study: dict) -> dict[str, dict]:
    return {f["ticker"]: f for f in study["firms"]}


# -- self-contained ---------------------------------------------------------------------------------

def test_the_html_loads_nothing_from_outside(rendered, document):
    text = rendered.html.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>")
    for tag, attrs in document.tags:
        assert tag not in ("link", "iframe", "object", "embed", "base", "frame"), tag
        if tag == "script":
            assert "src" not in attrs and attrs.get("type") == "application/json"  # data, never code
        if tag == "meta":
            assert attrs.get("http-equiv", "").lower() != "refresh"
        for name, value in attrs.items():
            if name in RESOURCE_ATTRIBUTES:
                assert value.startswith("data:image/png;base64,"), (tag, name, value[:60])
            if name == "href":
                assert tag == "a" and value.startswith(("https://", "http://", "#")), (tag, value)
            assert not name.startswith("on"), f"event handler {name} on <{tag}>"
    css = "\n".join(document.styles)
    assert "@import" not in css and "url(" not in css
    assert document.scripts["study-result"]


def test_embedded_charts_are_valid_pngs_of_sensible_size(document):
    from PIL import Image

    images = [attrs for tag, attrs in document.tags if tag == "img"]
    # CAR paths over 0..+4 and over -1..+1 (not inside 0..+4), then CAR bars of each window
    figures = [attrs["id"] for tag, attrs in document.tags if tag == "figure"]
    assert figures == ["car-paths", "car-paths-2", "car-bars", "car-bars-2"]
    assert len(images) == 4
    for attrs in images:
        data = base64.b64decode(attrs["src"].removeprefix("data:image/png;base64,"), validate=True)
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            assert 900 <= width <= 2000 and 300 <= height <= 2400, image.size
            assert len(image.getcolors(maxcolors=1 << 16) or range(1 << 16)) > 50  # a drawing, not a blank
        assert 20_000 < len(data) < 600_000
        assert attrs["alt"]
        assert int(attrs["width"]) == round(width * 96 / 150)


def test_the_embedded_study_json_is_the_study(rendered, document):
    embedded = json.loads(document.scripts["study-result"])
    assert embedded == rendered.study


# -- numbers --------------------------------------------------------------------------------------

def offset_text(offset: int) -> str:
    return "0" if offset == 0 else f"{offset:+d}".replace("-", MINUS)


def suffix(index: int) -> str:
    return f"-{index + 1}" if index else ""


def test_firm_tables_of_every_window_equal_the_study_json(rendered, document):
    for index, block in enumerate(rendered.study["by_window"]):
        columns, rows = document.table(f"firms{suffix(index)}")
        firms = firm_by_ticker(block)
        start, end = block["window"]
        ar_columns = [f"AR({offset_text(o)})" for o in range(start, end + 1)]
        assert columns == ["Ticker", "α", "β", "σ", "n", "Return", "BHAR", *ar_columns, "CAR", "t", "p", ""]
        assert sorted(text for (text, _), *_ in rows) == sorted(firms)
        cars = []
        for row in rows:
            cell = dict(zip(columns, row))
            firm = firms[cell["Ticker"][0]]
            expected = {
                "α": firm["alpha"], "β": firm["beta"], "σ": firm["sigma"], "n": firm["n_est"], "BHAR": firm["bhar"],
                "Return": firm["window_return"], "CAR": firm["car"], "t": firm["car_t_clm"], "p": firm["car_p"],
                **{name: day["ar"] for name, day in zip(ar_columns, firm["ar"], strict=True)},
            }
            for name, value in expected.items():
                text, attrs = cell[name]
                assert float(attrs["data-value"]) == value, (firm["ticker"], name)  # unrounded, exactly
                if name in ("α", "σ", "Return", "BHAR", "CAR") or name.startswith("AR("):
                    digits = 3 if name == "α" else 2
                    assert number(text) == pytest.approx(round(value * 100, digits), abs=1e-9), (name, text)
                    assert text.endswith("%")
                elif name == "p":
                    assert text == ("<0.001" if value < 0.001 else f"{value:.3f}")
                elif name == "n":
                    assert int(text) == value
                else:
                    assert number(text) == pytest.approx(round(value, 2), abs=1e-9)
            colour = cell["CAR"][1].get("class", "")
            assert ("neg" in colour) == (firm["car"] < 0) and ("pos" in colour) == (firm["car"] > 0)
            stars = cell[""][0]
            assert stars == ("***" if firm["car_p"] < 0.01 else "**" if firm["car_p"] < 0.05 else "*" if firm["car_p"] < 0.1 else "")
            cars.append(firm["car"])
        assert cars == sorted(cars)  # sorted by CAR, like the bar chart
    html = rendered.html.read_text(encoding="utf-8")
    assert len(re.findall(r'<tr class="lead"><td data-key="NVDA">NVDA</td>', html)) == 2  # the headline's firm stands out


def test_test_tables_list_every_test_of_each_window_in_the_study_reading_order(rendered, document):
    from tracker.analysis import TEST_NAMES

    for index, (block, window) in enumerate(zip(rendered.study["by_window"], rendered.result.by_window, strict=True)):
        columns, rows = document.table(f"tests{suffix(index)}")
        tests = block["aggregate"]["tests"]
        assert columns == ["Test", "Statistic", "p", "Null distribution", "Shared day 0"]
        assert set(tests) == set(TEST_NAMES) and len(rows) == len(TEST_NAMES)
        # the study's own order and verdicts: all firms share day 0, so the robust tests lead
        order = window.ordered_tests()
        assert [row[0][1]["data-key"] for row in rows] == [name for name, _, _ in order]
        assert order[0][0] == "portfolio_t"
        table = re.search(rf'<table id="table-tests{suffix(index)}">.*?</table>', rendered.html.read_text(encoding="utf-8"), re.S)
        rules = re.findall(r'<tr class="break"><td data-key="(\w+)"', table.group())
        assert rules == [next(name for name, _, robust in order if not robust)]  # a rule between valid and the rest
        for row, (name, _, robust) in zip(rows, order):
            test = tests[name]
            assert row[4][0].startswith("valid" if robust else "over-rejects"), name
            assert row[3][0] == test["distribution"]
            if test["stat"] is None:
                assert row[1][0] == f"\u2014 ({test['reason']})" and row[2][0] == "\u2014"
                continue
            assert float(row[1][1]["data-value"]) == test["stat"]
            assert number(row[1][0]) == pytest.approx(round(test["stat"], 2), abs=1e-9)
            assert float(row[2][1]["data-value"]) == test["p"]


def test_day_tables_have_aar_caar_and_the_band_of_the_study(rendered, document):
    for index, block in enumerate(rendered.study["by_window"]):
        columns, rows = document.table(f"days{suffix(index)}")
        assert columns == ["Day", "Date", "AAR", "CAAR", "95% band, low", "95% band, high"]
        aggregate = block["aggregate"]
        assert len(rows) == block["window"][1] - block["window"][0] + 1
        for row, aar, band in zip(rows, aggregate["aar"], aggregate["caar_band"]["days"], strict=True):
            cell = dict(zip(columns, row))
            assert cell["Date"][0] == aar["date"]
            assert float(cell["AAR"][1]["data-value"]) == aar["aar"]
            for column, value in (("CAAR", aar["caar"]), ("95% band, low", band["lower"]), ("95% band, high", band["upper"])):
                assert float(cell[column][1]["data-value"]) == value
                assert number(cell[column][0]) == pytest.approx(round(value * 100, 2), abs=1e-9)


def test_headline_leads_with_the_chosen_firm_in_the_study_numbers(rendered, document):
    nvda = firm_by_ticker(rendered.study)["NVDA"]
    headline = document.texts["headline"]
    car = f"{nvda['car'] * 100:.1f}%".replace("-", MINUS)
    t = f"{nvda['car_t_clm']:.1f}".replace("-", MINUS)
    assert headline.startswith(f"NVDA's cumulative abnormal return over the 5 sessions (2025-01-21 to 2025-01-27, days 0 to +4) was {car} (t = {t})")
    biggest = max(nvda["ar"], key=lambda d: abs(d["ar"]))
    assert f"{biggest['ar'] * 100:.1f}%".replace("-", MINUS) + f" on {biggest['date']}" in headline
    first, second = (block["aggregate"] for block in rendered.study["by_window"])

    def pct(value):
        return f"{value * 100:+.1f}%".replace("-", MINUS)

    band = second["caar_band"]["days"][-1]
    assert (f"Across the {first['n']} firms the cumulative average abnormal return (CAAR) was {pct(first['caar'])} "
            f"over days 0 to +4 (95% band") in headline
    assert f", {pct(second['caar'])} over days {MINUS}1 to +1 (95% band {pct(band['lower'])} to {pct(band['upper'])})." in headline


# -- methodology and provenance ----------------------------------------------------------------------

def test_methodology_states_model_windows_and_clustering(rendered, document):
    from tracker.analysis.results import CLUSTER_NOTE

    text = document.texts["methodology"]
    assert f"market: {rendered.study['conventions']['model']}; market benchmark SPY" in text
    assert "sessions −250 to −11" in text and "sessions 0 to +4 (5 trading days); sessions −1 to +1" in text
    assert "the CAR paths are drawn over days 0 to +4 and the windows it does not cover" in text
    assert "2025-01-21: day precision" in text
    assert "Brown-Warner" in text  # the band's method, as the study states it
    assert ("Valid then: the per-firm t; the CAAR band; Portfolio t (equal-weighted portfolio as one security); "
            "BMP t, Kolari–Pynnönen adjusted (2010)") in text
    assert "Over-reject (they assume independent firm-events): Cross-sectional t" in text
    for key, value in rendered.study["conventions"].items():
        assert key in text and value in text
    n = rendered.study["aggregate"]["n"]
    assert f"In this study all {n} firm-events share day 0 (2025-01-21)" in text
    assert document.texts["clustering-note"].startswith(CLUSTER_NOTE)


def test_provenance_names_log_position_sources_event_and_skipped_firms(rendered, document):
    from warehouse import Warehouse

    text = document.texts["provenance"]
    position = rendered.study["log_position"]
    assert f"{position:,}: the study read facts 1 to {position:,}" in text
    assert "catalogue" in text and "https://" in text  # the event's source and its reference
    columns, rows = document.table("sources")
    by_source = {row[0][0]: dict(zip(columns, row)) for row in rows}
    assert set(by_source) == {str(next(iter(by_source))), "test: newco.csv"} and len(by_source) == 2
    sample = next(name for name in by_source if name != "test: newco.csv")
    assert sample.endswith("prices.csv")
    studied = {f["ticker"] for f in rendered.study["firms"]}
    assert set(by_source[sample]["Tickers"][0].split(", ")) == studied | {"SPY"}
    assert by_source["test: newco.csv"]["Tickers"][0] == "NEWCO"
    # bar counts agree with the warehouse's own view of those dates
    first, last = by_source[sample]["Dates"][0].split(" to ")
    with Warehouse.open(rendered.settings.db, read_only=True) as warehouse:
        count = warehouse.query(
            "SELECT count(*) AS n FROM prices WHERE ticker IN ('NVDA','AVGO','AAPL','MSFT','TSM','META','SPY') "
            "AND date BETWEEN CAST($a AS DATE) AND CAST($b AS DATE)", {"a": first, "b": last},
        )["n"][0]
    assert int(by_source[sample]["Bars"][1]["data-value"]) == count
    assert by_source[sample]["Return basis"][0] == "close (no adj_close)"
    columns, rows = document.table("skipped")
    skipped = rendered.study["skipped"]
    assert columns == ["Ticker", "Event date", "Windows", "Reason"]
    # skipped for its estimation window, so in every window: listed once
    assert rendered.study["by_window"][1]["skipped"] == skipped
    assert [[text for text, _ in row] for row in rows] == [[s["ticker"], s["event_date"], "all", s["reason"]] for s in skipped]
    assert skipped and skipped[0]["ticker"] == "NEWCO"
    assert re.search(r"tracker study 2025-01-20-deepseek-r1 --tickers \S*NEWCO\S* .*--window 0,4 --window -1,1 .*--as-of \d+ --format json", text)
