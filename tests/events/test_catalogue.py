"""Validation of catalogue rows (pure: rows in, events or a listing of problems out)."""

from __future__ import annotations

import csv
import io

import pytest

from events.catalogue import REQUIRED_COLUMNS, CatalogueError, parse_catalogue
from events.sessions import SessionCalendar

from conftest import CATALOGUE


@pytest.fixture(scope="module")
def xnys() -> SessionCalendar:
    return SessionCalendar.xnys()


def row(**overrides) -> dict[str, str]:
    base = {
        "event_id": "2025-01-20-deepseek-r1", "name": "DeepSeek-R1", "kind": "model_release", "org": "DeepSeek",
        "announced_at": "2025-01-20T00:00", "timezone": "Asia/Shanghai", "date_precision": "day",
        "source_url": "https://example.org/r1", "notes": "",
    }
    base.update(overrides)
    return base


def test_the_shipped_catalogue_parses_and_aligns(xnys):
    text = CATALOGUE.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    events = {e.event_id: e for e in parse_catalogue(list(reader), reader.fieldnames, xnys)}
    assert len(events) == 65
    assert events["2025-01-20-deepseek-r1"].day0 == "2025-01-21"
    assert events["2025-02-26-nvidia-earnings-q4-fy2025"].day0 == "2025-02-27"
    assert events["2024-05-13-openai-gpt-4o"].day0 == "2024-05-13"
    assert events["2025-04-05-meta-llama-4"].day0 == "2025-04-07"


def test_every_problem_is_listed_with_its_line(xnys):
    rows = [
        row(),
        row(event_id="Bad Id", announced_at="2025-01-20T00:00"),
        row(event_id="x-2", kind="rumour"),
        row(event_id="x-3", timezone="Asia/Beijing"),
        row(event_id="x-4", announced_at="2025-01-20T09:00+08:00"),
        row(event_id="x-5", date_precision="week"),
        row(),  # duplicate of line 2
        row(event_id="x-7", reaction_date="2025-01-25"),
    ]
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(rows, REQUIRED_COLUMNS + ("reaction_date",), xnys, source="cat.csv")
    lines = {line: message for line, message in caught.value.problems}
    assert sorted(lines) == [3, 4, 5, 6, 7, 8, 9]
    assert "lower-case slug" in lines[3]
    assert "unknown kind 'rumour'" in lines[4]
    assert "unknown time zone 'Asia/Beijing'" in lines[5]
    assert "no offset" in lines[6]
    assert "date_precision 'week'" in lines[7]
    assert "duplicate event_id" in lines[8] and "line 2" in lines[8]
    assert "2025-01-25 is not an XNYS session" in lines[9]
    assert "nothing from it was stored" in str(caught.value)


def test_missing_and_unknown_columns(xnys):
    with pytest.raises(CatalogueError, match="missing column\\(s\\) notes; unknown column\\(s\\) note"):
        parse_catalogue([row()], [c for c in REQUIRED_COLUMNS if c != "notes"] + ["note"], xnys)


def test_reaction_date_overrides_day0(xnys):
    [event] = parse_catalogue([row(reaction_date="2025-01-27")], REQUIRED_COLUMNS + ("reaction_date",), xnys)
    assert (event.day0, event.reaction_date) == ("2025-01-27", "2025-01-27")
