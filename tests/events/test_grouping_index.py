"""The grouper's date index finds the same known event as a scan of every event of the article's kind and
organisation (of its kind, for an article naming no organisation but a subject)."""

from __future__ import annotations

import datetime as dt
import random

from events.tagging import Tag
from events.tagging.grouping import Grouper, KnownEvent, TaggedArticle, GroupingWindow, _filed_under, _lookup_keys, best_event

KINDS = ["model_release", "policy", "earnings", "funding_or_capex"]
ORGS = ["OpenAI", "DeepSeek", "NVIDIA", "US Government", "US Commerce (BIS)", None]
SUBJECTS = [None, "gpt4", "gpt4o", "deepseekr1", "deepseekv3"]
START = dt.date(2025, 1, 1)


def test_the_date_index_agrees_with_a_scan_of_the_same_kind_and_organisation():
    rng = random.Random(7)
    known = [
        KnownEvent(f"e{i:03d}", rng.choice(KINDS), frozenset(o for o in {rng.choice(ORGS)} if o), rng.choice(SUBJECTS),
                   START + dt.timedelta(days=rng.randrange(60)), rng.choice(["catalogue", "manual", "tagger"]))
        for i in range(300)
    ]
    window = GroupingWindow()
    found = 0
    for i in range(500):
        published = dt.datetime.combine(START + dt.timedelta(days=rng.randrange(-5, 65)), dt.time(12), dt.timezone.utc)
        tag = Tag(rng.choice(KINDS), rng.choice(ORGS), None, 0.9, "rule", "text", rng.choice(SUBJECTS))
        article = TaggedArticle(f"n{i}", published, "title", None, tag)
        keys = _lookup_keys(tag)  # its organisation's events, or (naming none) all of the kind
        expected = best_event(article, [e for e in known if _filed_under(e.kind, e.orgs) & keys], window)
        assert Grouper(known, window).assign(article).event == expected
        found += expected is not None
    assert found > 50  # the case exercises matches, not only misses
