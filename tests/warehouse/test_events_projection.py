"""The ``events`` projection folds only the events new facts concern, and ends where a full fold does."""

from __future__ import annotations

import random

import pytest

from warehouse import Warehouse
from warehouse.event_fold import FOLDED_KINDS, fold_events
from warehouse.vocabulary import ABSENT, EventAdded, EventAmended, EventCatalogued, EventRetracted, EventTagged, Fact, NewsTagged

EVENT_IDS = [f"e{i}" for i in range(12)]
NEWS_IDS = [f"n{i}" for i in range(30)]
DAYS = [None, "2025-01-21", "2025-01-27", "2025-02-18", "2025-03-03"]


def _fact(fact_kind: type[Fact], **given) -> Fact:
    """A ``kind`` fact with the fields given, the others left out of its content."""
    return fact_kind(**{name: given.get(name, ABSENT) for name in fact_kind.fields()})


def _random_fact(rng: random.Random, step: int) -> Fact:
    event_id = rng.choice(EVENT_IDS)
    roll = rng.random()
    if roll < 0.45:
        news_id = rng.choice(NEWS_IDS)
        cleared = rng.random() < 0.2
        return NewsTagged(news_id=news_id, kind=None if cleared else "model_release",
                          event_id=None if cleared else event_id, link=None, matched=f"step {step}")
    if roll < 0.8:
        fact_kind = rng.choice([EventCatalogued, EventAdded, EventTagged])
        return _fact(fact_kind, event_id=event_id, name=f"{event_id} v{step}", kind="model_release", org="Lab",
                     day0=rng.choice(DAYS), day0_rule="rule", confidence=0.9,
                     withdrawn=fact_kind is EventTagged and rng.random() < 0.3)
    if roll < 0.95:
        amended = {"day0": rng.choice(DAYS[1:]), "day0_rule": "manual"} if rng.random() < 0.5 else {}
        return _fact(EventAmended, event_id=event_id, changes={"notes": f"amended at {step}"}, **amended)
    return EventRetracted(event_id=event_id, reason=f"duplicate {step}")


def _view(wh: Warehouse) -> list[dict]:
    frame = wh.query("SELECT * FROM events")
    rows = frame.to_dicts()
    for row in rows:
        for column in ("day0", "reaction_date"):
            row[column] = row[column].isoformat() if row[column] is not None else None
    return rows


def _expected(wh: Warehouse) -> list[dict]:
    return fold_events(wh.read_facts(FOLDED_KINDS))


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_after_each_batch_the_view_equals_a_full_fold_and_a_rebuild(tmp_path, seed):
    rng = random.Random(seed)
    with Warehouse.open(tmp_path / "events.duckdb") as wh:
        run = wh.start_run("test", {})
        step = 0
        for _ in range(15):
            batch = []
            for _ in range(rng.randint(1, 12)):
                step += 1
                batch.append(_random_fact(rng, step))
            with wh.transaction():
                wh.append_facts(batch, run)
                wh.catch_up()
            assert _view(wh) == _expected(wh)
        assert any(row["news_count"] for row in _view(wh))  # the case exercises moving counts
        incremental = _view(wh)
        wh.rebuild()
        assert _view(wh) == incremental
