"""Novelty: a model's first sighting in the log, judged in log order, and the known release events."""

from __future__ import annotations

import datetime as dt

import pytest

from events.tagging.model_names import mentioned_models
from events.tagging.novelty import ModelHistory, sighting_keys

JAN = dt.date(2025, 1, 1)


def name(title: str):
    return mentioned_models(title, frozenset({"DeepSeek"}))[0]


def day(n: int) -> dt.date:
    return JAN + dt.timedelta(days=n)


def seen(history: ModelHistory, news_id: str, position: int, on: int, title: str) -> None:
    history.record(news_id, position, day(on), sighting_keys(name(title)))


def test_first_recent_and_old():
    history = ModelHistory()
    gemma = name("Gemma 3")
    assert history.novelty(gemma, day(0), 1).verdict == "first"
    seen(history, "a", 1, 0, "Gemma 3 is out")
    assert history.novelty(gemma, day(1), 2).verdict == "first"  # the same or next day: still the news
    assert history.novelty(gemma, day(4), 2).verdict == "recent"
    old = history.novelty(gemma, day(20), 2)
    assert old.verdict == "old" and old.first_seen == day(0)


def test_a_new_variant_or_size_of_a_known_version():
    history = ModelHistory()
    seen(history, "a", 1, 0, "o3 solves AIME")
    assert history.novelty(name("o3-mini"), day(40), 2).verdict == "new variant"
    assert history.novelty(name("o3"), day(40), 2).verdict == "old"
    seen(history, "b", 2, 0, "Gemma 2 9B and 27B")
    assert history.novelty(name("Gemma 2 2B"), day(35), 3).verdict == "new variant"
    assert history.novelty(name("Gemma 2"), day(35), 3).verdict == "old"


def test_a_bare_family_is_new_only_at_its_debut():
    history = ModelHistory()
    assert history.novelty(name("Sora pushes SOTA"), day(0), 1).verdict == "first"
    seen(history, "a", 1, 0, "Sora 2 video model")  # any name of the family counts as a sighting of it
    assert history.novelty(name("Sora pushes SOTA"), day(30), 2).verdict == "old"


def test_judged_only_against_articles_observed_before_it():
    """Deterministic in log order: an article is not made old by articles that come after it in the log,
    whatever their dates, and a re-read article (a revision) is judged at its first position."""
    history = ModelHistory()
    seen(history, "late", 1, 30, "Qwen 3 beats R1")  # observed first, published later
    qwen = name("Qwen 3")
    early = history.novelty(qwen, day(0), 2)  # published a month earlier, observed second
    assert early.verdict == "first"
    seen(history, "early", 2, 0, "Qwen 3 is here")
    assert history.novelty(qwen, day(30), history.position_of("late", 99)).verdict == "first"  # its own first position
    assert history.novelty(qwen, day(30), 3).verdict == "old"  # a new article sees both
    seen(history, "late", 7, 30, "Qwen 3 beats R1")  # a revision re-records nothing
    assert history.position_of("late", 7) == 1
    with pytest.raises(ValueError, match="log order"):
        seen(history, "other", 2, 0, "Qwen 3 again")


def test_known_release_events_window():
    history = ModelHistory([("2025-01-20-deepseek-r1", "deepseek|r1", dt.date(2025, 1, 20)),
                            ("2025-05-22-anthropic-claude-4", "claude|4|opus", dt.date(2025, 5, 22)),
                            ("2025-05-22-anthropic-claude-4", "claude|4|sonnet", dt.date(2025, 5, 22))])
    r1 = name("DeepSeek R1: o1-level open weights model")
    fresh = history.novelty(r1, dt.date(2025, 1, 21), 1)
    assert (fresh.verdict, fresh.release) == ("catalogued", "2025-01-20-deepseek-r1")
    assert history.novelty(r1, dt.date(2025, 3, 1), 1).verdict == "catalogue old"
    assert history.novelty(name("Claude 4 is here"), dt.date(2025, 5, 23), 1).verdict == "catalogued"
    # a checkpoint or a variant the event does not name is not made old by it
    assert history.novelty(name("DeepSeek-R1-0528"), dt.date(2025, 5, 28), 1).verdict == "first"
    assert history.novelty(name("Claude Opus 4.1"), dt.date(2025, 8, 5), 1).verdict == "first"
