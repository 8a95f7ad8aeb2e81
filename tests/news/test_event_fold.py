"""The events fold (pure): how event facts of every kind combine into the ``events`` view."""

from __future__ import annotations

from warehouse.event_fold import fold_event_facts, fold_events

CATALOGUED = {"event_id": "e1", "name": "Release", "kind": "model_release", "org": "Lab", "announced_at": "2025-01-20T00:00",
              "timezone": "UTC", "date_precision": "day", "day0": "2025-01-21", "day0_rule": "rule", "notes": "v1"}
TAGGED = {"event_id": "t1", "name": "Grok 3 release", "kind": "model_release", "org": "xAI", "model": "Grok 3",
          "announced_at": "2025-02-18T04:35", "timezone": "UTC", "date_precision": "minute", "day0": "2025-02-18",
          "day0_rule": "rule", "confidence": 0.95, "evidence": ["n-1"], "withdrawn": False}


def test_amendments_are_laid_over_later_restatements():
    rows = fold_events([
        (1, "EventCatalogued", CATALOGUED),
        (2, "EventAmended", {"event_id": "e1", "changes": {"name": "Renamed"}, "day0": "2025-01-27", "day0_rule": "manual"}),
        (3, "EventCatalogued", {**CATALOGUED, "notes": "v2"}),
    ])
    (row,) = rows
    assert (row["name"], row["notes"], row["day0"], row["day0_rule"], row["seq"]) == ("Renamed", "v2", "2025-01-27", "manual", 3)


def test_retraction_is_final_and_kept_in_the_state():
    facts = [
        (1, "EventCatalogued", CATALOGUED),
        (2, "EventRetracted", {"event_id": "e1", "reason": "duplicate"}),
        (3, "EventCatalogued", {**CATALOGUED, "notes": "v2"}),
    ]
    assert fold_events(facts) == []
    assert fold_event_facts(facts).events["e1"].retracted == "duplicate"


def test_withdrawn_tagger_events_hide_until_evidence_returns():
    withdrawn = {**TAGGED, "evidence": [], "withdrawn": True}
    assert [r["event_id"] for r in fold_events([(1, "EventTagged", TAGGED)])] == ["t1"]
    assert fold_events([(1, "EventTagged", TAGGED), (2, "EventTagged", withdrawn)]) == []
    assert len(fold_events([(1, "EventTagged", TAGGED), (2, "EventTagged", withdrawn), (3, "EventTagged", TAGGED)])) == 1


def test_news_count_follows_the_latest_tag_of_each_article():
    rows = fold_events([
        (1, "EventTagged", TAGGED),
        (2, "EventCatalogued", CATALOGUED),
        (3, "NewsTagged", {"news_id": "n-1", "kind": "model_release", "event_id": "t1"}),
        (4, "NewsTagged", {"news_id": "n-2", "kind": "model_release", "event_id": "t1"}),
        (5, "NewsTagged", {"news_id": "n-2", "kind": "model_release", "event_id": "e1"}),  # re-attributed
        (6, "NewsTagged", {"news_id": "n-3", "kind": "model_release", "event_id": "e1"}),
        (7, "NewsTagged", {"news_id": "n-3", "kind": None, "event_id": None}),  # cleared
    ])
    counts = {r["event_id"]: r["news_count"] for r in rows}
    sources = {r["event_id"]: r["source"] for r in rows}
    assert counts == {"e1": 1, "t1": 1}
    assert sources == {"e1": "catalogue", "t1": "tagger"}


def test_manual_events_and_sort_order():
    added = {**CATALOGUED, "event_id": "m1", "day0": "2024-05-13"}
    rows = fold_events([(1, "EventCatalogued", CATALOGUED), (2, "EventAdded", added)])
    assert [(r["event_id"], r["source"]) for r in rows] == [("m1", "manual"), ("e1", "catalogue")]
