"""``tracker events tag``: run the tagger over the news in the log, exactly once.

Facts written:

``NewsTagged`` (stream ``news/<news_id>``)
    What the tagger read in one article: ``kind, org, model, subject, confidence, rule,
    matched`` and the ``event_id`` it was attributed to, with ``link`` saying whether that is a
    ``catalogue``, ``manual`` or ``tagger`` event (``undated``: no date, no event). A release
    also has its ``score``, the ``signals`` it sums and the ``reason`` in words. ``sightings``
    lists the models the headline names (the log's memory of which models the news has named,
    :mod:`events.tagging.novelty`); an article naming models but not tagged gets ``kind: null``
    with its sightings and the ``reason`` it is no release. An article that no rule matches any
    more gets ``kind: null`` (the tag is cleared, never deleted). Facts written before sightings
    existed read as naming no model (``--retag`` fills them in).
``EventTagged`` (stream ``event/<event_id>``)
    An event found in the news: name, kind, org, model, the first article's time as
    ``announced_at`` (UTC, minute precision) and its day 0, the confidence, and the
    ``evidence`` (news ids) and ``rules``. ``withdrawn: true`` when no article supports it any
    more after a ``--retag``.
``TaggerCheckpointed`` (stream ``tagger/checkpoint``)
    ``last_seq``: the last ``NewsItemObserved`` fact the tagger has processed, and the
    ``rules_version`` it used.

Incremental runs take the news facts after the checkpoint in batches; each batch's facts and
the moved checkpoint are appended in one transaction, so a killed run leaves whole batches
and the next run continues after the last one: every article is tagged exactly once. Articles
are read in log order, each judged against the sightings of the articles before it (a run
starts from the sightings its predecessors wrote), so one run, a run per batch and ``--retag``
agree.
``--retag`` re-reads every article with the current rules and regroups from scratch (keeping
the ids of the tagger's earlier events where a group restates one); it writes only what
changed, so running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from events.sessions import SessionCalendar
from events.tagging import Context, ModelHistory, Reading, Tag, read_headline, rules_version
from events.tagging.grouping import (
    Assignment,
    Group,
    Grouper,
    KnownEvent,
    TaggedArticle,
    GroupingWindow,
    event_content,
    known_event,
    new_event_id,
    reuse_ids,
)
from tracker.config import Settings
from tracker.storage import open_writer, recorded_run
from warehouse import Run, Warehouse
from warehouse.event_fold import EventFold, apply_event_facts
from warehouse.vocabulary import (
    ABSENT,
    EVENT_KINDS,
    EventTagged,
    Fact,
    NewsItemObserved,
    NewsTagged,
    TaggerCheckpointed,
    kind_sql,
    path,
)

CHECKPOINT_STREAM = TaggerCheckpointed.STREAM


def _event_stream(event_id: str) -> str:
    return EventTagged.STREAM.format(event_id=event_id)


@dataclass
class TagReport:
    """What a tagging run did."""

    run_id: str = ""
    mode: str = "incremental"
    rules_version: str = ""
    batches: int = 0
    news_read: int = 0
    tagged: Counter = field(default_factory=Counter)  # kind -> articles
    linked: int = 0  # articles attributed to catalogue or manual events
    joined: int = 0  # articles attributed to events the tagger found
    undated: int = 0
    new_events: int = 0
    withdrawn_events: int = 0
    cleared: int = 0
    facts_added: int = 0
    facts_unchanged: int = 0
    checkpoint: int = 0
    head: int = 0

    def counts(self) -> dict[str, Any]:
        return {
            "mode": self.mode, "rules_version": self.rules_version, "batches": self.batches,
            "news_read": self.news_read, "tagged": dict(self.tagged), "linked": self.linked,
            "joined": self.joined, "undated": self.undated, "new_events": self.new_events,
            "withdrawn_events": self.withdrawn_events, "cleared": self.cleared,
            "facts_added": self.facts_added, "facts_unchanged": self.facts_unchanged, "checkpoint": self.checkpoint,
        }


def tag_news(
    settings: Settings,
    *,
    retag: bool = False,
    batch_size: int | None = None,
    echo: Callable[[str], None] | None = None,
) -> TagReport:
    """Tag the news not yet tagged (or, with ``retag``, all of it) and record the facts."""
    size = batch_size or settings.tagger.batch_size
    report = TagReport(mode="retag" if retag else "incremental", rules_version=rules_version())
    with open_writer(settings) as warehouse:
        args = {"retag": retag, "batch_size": size, "rules_version": report.rules_version}
        with recorded_run(warehouse, "events tag", args) as log:
            report.run_id = log.run.run_id
            calendar = warehouse.calendar()
            if retag:
                _retag(warehouse, log.run, calendar, size, report)
            else:
                so_far = _EventsSoFar()
                while _tag_batch(warehouse, log.run, calendar, size, report, so_far):
                    if echo is not None:
                        echo(
                            f"batch {report.batches} committed: {report.news_read:,} news read, "
                            f"{sum(report.tagged.values()):,} tagged, checkpoint {report.checkpoint:,}"
                        )
            report.checkpoint = checkpoint(warehouse)
            log.counts = report.counts()
        report.head = warehouse.head()
    return report


def checkpoint(warehouse: Warehouse) -> int:
    """The seq of the last news fact the tagger has processed (0 before the first run)."""
    stored = warehouse.latest_facts(TaggerCheckpointed, [CHECKPOINT_STREAM]).get(CHECKPOINT_STREAM)
    return int(stored["last_seq"]) if stored else 0


def news_waiting(warehouse: Warehouse) -> bool:
    """Whether the log holds news facts the tagger has not processed yet."""
    return bool(warehouse.read_facts([NewsItemObserved], after_seq=checkpoint(warehouse), limit=1))


# -- incremental -----------------------------------------------------------------------------------

class _EventsSoFar:
    """The events articles may join, carried from one batch of a run to the next.

    Each batch folds only the event facts appended since the previous one (the run holds the
    warehouse's one writer connection, so nothing else appends); re-folding every event per batch
    made tagging a backlog quadratic. ``fold`` skips articles' tags (``news_count`` stays 0).
    """

    def __init__(self) -> None:
        self.fold = EventFold()
        self._known: dict[str, KnownEvent] = {}
        self._after = 0
        self.history: ModelHistory | None = None  # the models the news has named, read once per run

    def advance(self, warehouse: Warehouse) -> None:
        facts = warehouse.read_facts(EVENT_KINDS, after_seq=self._after)
        if not facts:
            return
        self._after = facts[-1][0]
        for event_id in apply_event_facts(self.fold, facts):
            state = self.fold.events[event_id]
            known = _as_known(event_id, state.base, state.overlay, closed=state.retracted is not None)
            if known is None:
                self._known.pop(event_id, None)
            else:
                self._known[event_id] = known

    def known(self) -> list[KnownEvent]:
        """Every event with a statement, retracted ones included (``closed``), in the fold's order."""
        return [self._known[event_id] for event_id in self.fold.events if event_id in self._known]


def _tag_batch(
    warehouse: Warehouse, run: Run, calendar: SessionCalendar, size: int, report: TagReport, so_far: _EventsSoFar
) -> bool:
    """Tag the next ``size`` news facts after the checkpoint in one transaction; False when none are left."""
    with warehouse.transaction():
        after = checkpoint(warehouse)
        batch = warehouse.read_facts([NewsItemObserved], after_seq=after, limit=size)
        if not batch:
            return False
        latest: dict[str, Mapping[str, Any]] = {}
        positions: dict[str, int] = {}
        for seq, _, content in batch:
            latest[content["news_id"]] = content
            positions.setdefault(content["news_id"], seq)
        so_far.advance(warehouse)
        fold = so_far.fold
        known = so_far.known()
        if so_far.history is None:
            so_far.history = _history_of(warehouse, known)
        stored_tags = _stored_tags(warehouse, latest)
        read = _read_articles([(positions[i], c) for i, c in latest.items()], stored_tags, so_far.history)
        articles, cleared = read.articles, read.cleared
        grouper = Grouper(known, GroupingWindow())
        assignments = [grouper.assign(article) for article in articles]
        taken = set(fold.events)
        for group in grouper.groups:
            group.event_id = new_event_id(group, taken)

        # tagger events whose members changed: new joiners, or members re-read and now elsewhere
        moved: dict[str, str | None] = {a.article.news_id: _event_of(a) for a in assignments}
        moved.update(dict.fromkeys(cleared))  # no longer tagged: leaves its event
        touched = {a.event.event_id for a in assignments if a.event is not None and a.event.source == "tagger" and not a.event.closed}
        for news_id, previous in stored_tags.items():
            old_event = previous.get("event_id")
            if old_event and previous.get("link") == "tagger" and moved.get(news_id) != old_event:
                touched.add(old_event)
        events = _updated_events(warehouse, fold, touched, assignments, moved, calendar)
        events += [event_content(group, calendar) for group in grouper.groups]

        placed = [(a.article, _destination(a.group if a.group is not None else a.event)) for a in assignments]
        facts = _tag_facts(placed, read)
        facts += [EventTagged(**content) for content in events]
        facts.append(TaggerCheckpointed(last_seq=batch[-1][0], rules_version=report.rules_version))
        result = warehouse.append_facts(facts, run)
        warehouse.catch_up()
    report.batches += 1
    report.news_read += len(latest)
    report.checkpoint = batch[-1][0]
    _count(report, placed, cleared)
    report.new_events += len(grouper.groups)
    report.withdrawn_events += sum(1 for e in events if e.get("withdrawn"))
    report.facts_added += result.added
    report.facts_unchanged += result.unchanged
    return True


def _updated_events(
    warehouse: Warehouse,
    fold: EventFold,
    touched: set[str],
    assignments: list[Assignment],
    moved: dict[str, str | None],
    calendar: SessionCalendar,
) -> list[dict[str, Any]]:
    """New ``EventTagged`` contents for existing tagger events whose members changed."""
    if not touched:
        return []
    stored = warehouse.latest_facts(EventTagged, [_event_stream(e) for e in touched])
    joiners: dict[str, list[TaggedArticle]] = {}
    for a in assignments:
        if a.event is not None and a.event.event_id in touched:
            joiners.setdefault(a.event.event_id, []).append(a.article)
    kept_ids = {
        event_id: [n for n in dict.fromkeys((stored.get(_event_stream(event_id)) or {}).get("evidence") or []) if n not in moved]
        for event_id in touched
    }
    stored_members = _stored_members(warehouse, [n for ids in kept_ids.values() for n in ids])
    contents = []
    for event_id in sorted(touched):
        previous = stored.get(_event_stream(event_id)) or {}
        members = [stored_members[n] for n in kept_ids[event_id] if n in stored_members] + joiners.get(event_id, [])
        base = fold.events[event_id].base or {}
        if members:
            group = Group(previous.get("kind") or base.get("kind"), previous.get("org") or base.get("org"), members, event_id)
            contents.append(event_content(group, calendar))
        elif not previous.get("withdrawn"):
            contents.append(_withdrawn(previous, event_id))
    return contents


# -- retag ------------------------------------------------------------------------------------------

def _retag(warehouse: Warehouse, run: Run, calendar: SessionCalendar, size: int, report: TagReport) -> None:
    """Replay the tagging of every article with the current rules, as incremental runs would from
    scratch (log order, same batches), keeping the ids of the tagger's earlier events; write only
    what changed, in one transaction."""
    with warehouse.transaction():
        news = warehouse.query(
            f"""
            SELECT n.id, n.title, n.url, n.published_at, n.publisher, n.tickers, f.first_seq
            FROM news AS n
            JOIN (SELECT {path(NewsItemObserved, "news_id")} AS id, min(seq) AS first_seq FROM fact_log
                  WHERE kind = {kind_sql(NewsItemObserved)} GROUP BY 1) AS f USING (id)
            ORDER BY f.first_seq
            """
        )
        last_seq = warehouse.query("SELECT coalesce(max(seq), 0) AS s FROM fact_log WHERE kind = $k", {"k": NewsItemObserved.KIND}).item()
        fold = warehouse.event_fold(news=False)
        static = _known_events(fold, include_active_tagger=False)
        taken = {e for e, state in fold.events.items()
                 if state.base is not None and (state.base.get("source") != "tagger" or state.retracted is not None)}
        contents = [(row["first_seq"], _news_content(row)) for row in news.iter_rows(named=True)]
        stored_tags = _stored_tags(warehouse, {c["news_id"]: c for _, c in contents})
        history = ModelHistory(_releases(static))

        groups: dict[str, Group] = {}  # by the id given when the group was formed
        placed: list[tuple[TaggedArticle, Group | KnownEvent | None]] = []
        read = _Read()
        for start in range(0, len(contents), size):
            batch = _read_articles(contents[start:start + size], stored_tags, history)
            read.merge(batch)
            grouper = Grouper(static + [g.as_known() for g in groups.values()], GroupingWindow())
            for article in batch.articles:
                a = grouper.assign(article)
                if a.event is not None and a.event.source == "tagger" and a.event.event_id in groups:
                    groups[a.event.event_id].add(article)
                    placed.append((article, groups[a.event.event_id]))
                else:
                    placed.append((article, a.group if a.group is not None else a.event))
            for group in grouper.groups:
                group.event_id = new_event_id(group, taken)
                groups[group.event_id] = group
            report.batches += 1

        existing = {
            event_id: known for event_id, state in fold.events.items()
            if state.base is not None and state.base.get("source") == "tagger" and state.retracted is None
            and (known := _as_known(event_id, state.base, state.overlay)) is not None
        }
        _keep_earlier_ids(list(groups.values()), existing, taken)
        event_contents = [event_content(group, calendar) for group in groups.values()]
        kept = {group.event_id for group in groups.values()}
        stored = warehouse.latest_facts(EventTagged, [_event_stream(e) for e in existing if e not in kept])
        withdrawn = [_withdrawn(content, content["event_id"]) for content in stored.values() if not content.get("withdrawn")]

        facts = _tag_facts([(article, _destination(where)) for article, where in placed], read)
        facts += [EventTagged(**c) for c in event_contents + withdrawn]
        facts.append(TaggerCheckpointed(last_seq=last_seq, rules_version=report.rules_version))
        result = warehouse.append_facts(facts, run)
        warehouse.catch_up()
    report.news_read = len(contents)
    report.checkpoint = last_seq
    _count(report, [(article, _destination(where)) for article, where in placed], read.cleared)
    report.new_events = sum(1 for c in event_contents if c["event_id"] not in fold.events)
    report.withdrawn_events = len(withdrawn)
    report.facts_added = result.added
    report.facts_unchanged = result.unchanged


def _keep_earlier_ids(groups: list[Group], existing: dict[str, KnownEvent], taken: set[str]) -> None:
    """A replayed group keeps the id of the earlier tagger event it restates (same id, or the same
    release found again); any other id that clashes with an earlier event gets a fresh suffix."""
    same = [g for g in groups if g.event_id in existing]
    others = [g for g in groups if g.event_id not in existing]
    claimed = {g.event_id for g in same}
    for group in others:
        group.event_id = None
    reuse_ids(others, [e for i, e in existing.items() if i not in claimed], GroupingWindow())
    everything = taken | set(existing) | claimed
    for group in others:
        if group.event_id is None:
            group.event_id = new_event_id(group, everything)


# -- shared pieces ------------------------------------------------------------------------------------

def _known_events(fold: EventFold, *, include_active_tagger: bool) -> list[KnownEvent]:
    """Events articles may be attributed to.

    Retracted events stay in (``closed``): an article about one is attributed to it rather than
    re-creating it. The tagger's own events are left out for ``--retag``, which regroups them.
    """
    known = []
    for event_id, state in fold.events.items():
        if state.base is None:
            continue
        if state.base.get("source") == "tagger" and state.retracted is None and not include_active_tagger:
            continue
        event = _as_known(event_id, state.base, state.overlay, closed=state.retracted is not None)
        if event is not None:
            known.append(event)
    return known


def _as_known(event_id: str, base: Mapping[str, Any] | None, overlay: Mapping[str, Any], closed: bool = False) -> KnownEvent | None:
    if base is None:
        return None
    row = {**base, **overlay, "event_id": event_id}
    return known_event(row, closed)


def _news_content(row: Mapping[str, Any]) -> dict[str, Any]:
    published = row.get("published_at")
    return {
        "news_id": row["id"], "title": row["title"], "url": row.get("url"), "publisher": row.get("publisher"),
        "tickers": list(row.get("tickers") or []),
        "published_at": published.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if published else None,
    }


def _published(content: Mapping[str, Any]) -> dt.datetime | None:
    text = content.get("published_at")
    if not text:
        return None
    moment = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def _stored_tags(warehouse: Warehouse, news: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    stored = warehouse.latest_facts(NewsTagged, [NewsTagged.STREAM.format(news_id=news_id) for news_id in news])
    return {content["news_id"]: content for content in stored.values() if content.get("kind")}


@dataclass
class _Read:
    """Articles read: the tagged ones, the ids whose earlier tag no longer holds, and every read
    article's reading where it names a model (written to the log as its sightings)."""

    articles: list[TaggedArticle] = field(default_factory=list)
    cleared: list[str] = field(default_factory=list)
    readings: dict[str, Reading] = field(default_factory=dict)

    def merge(self, other: _Read) -> None:
        self.articles += other.articles
        self.cleared += other.cleared
        self.readings.update(other.readings)


def _read_articles(
    contents: Iterable[tuple[int, Mapping[str, Any]]], stored_tags: Mapping[str, Mapping[str, Any]], history: ModelHistory
) -> _Read:
    """Read each article, in log order, against the models named before it (its position is the
    seq of its first observation), then add its own sightings; the tagged come out sorted by time."""
    read = _Read()
    for seq, content in contents:
        news_id = content["news_id"]
        published = _published(content)
        day = published.date() if published else None
        position = history.position_of(news_id, seq)
        context = Context(content.get("publisher"), day, position, history)
        reading = read_headline(content.get("title") or "", tuple(content.get("tickers") or ()), context)
        history.record(news_id, position, day, reading.sightings)
        if reading.sightings or (reading.tag is None and news_id in stored_tags):
            read.readings[news_id] = reading
        if reading.tag is None:
            if news_id in stored_tags:
                read.cleared.append(news_id)
            continue
        read.articles.append(TaggedArticle(news_id, published, content.get("title") or "", content.get("url"), reading.tag))
    far = dt.datetime.max.replace(tzinfo=dt.timezone.utc)
    read.articles.sort(key=lambda a: (a.published_at or far, a.news_id))
    return read


def _history_of(warehouse: Warehouse, known: list[KnownEvent]) -> ModelHistory:
    """The models named by the articles tagged so far (their ``NewsTagged`` sightings, in the order
    the articles were first observed) and the known release events, as a :class:`ModelHistory`."""
    history = ModelHistory(_releases(known))
    rows = warehouse.query(
        f"""
        WITH sightings AS (
            SELECT {path(NewsTagged, "news_id")} AS news_id, {path(NewsTagged, "sightings", text=False)} AS sightings
            FROM fact_log WHERE kind = {kind_sql(NewsTagged)}
            QUALIFY row_number() OVER (PARTITION BY stream ORDER BY seq DESC) = 1
        ), firsts AS (
            SELECT {path(NewsItemObserved, "news_id")} AS news_id, min(seq) AS first_seq FROM fact_log
            WHERE kind = {kind_sql(NewsItemObserved)} GROUP BY 1
        )
        SELECT s.news_id, f.first_seq, n.published_at, s.sightings::VARCHAR AS sightings
        FROM sightings AS s JOIN firsts AS f USING (news_id) JOIN news AS n ON n.id = s.news_id
        WHERE coalesce(json_array_length(s.sightings), 0) > 0 AND n.published_at IS NOT NULL
        ORDER BY f.first_seq
        """
    )
    for row in rows.iter_rows(named=True):
        day = row["published_at"].astimezone(dt.timezone.utc).date()
        history.record(row["news_id"], row["first_seq"], day, json.loads(row["sightings"]))
    return history


def _releases(known: Iterable[KnownEvent]) -> list[tuple[str, str, dt.date]]:
    """Catalogue and manual release events as ``(event_id, model identity, date)`` for the history
    (the tagger's own events come from the sightings themselves)."""
    return [
        (event.event_id, identity, event.date)
        for event in known if event.kind == "model_release" and event.source != "tagger" and event.subject
        for identity in event.subject.split(";") if "|" in identity
    ]


def _stored_members(warehouse: Warehouse, news_ids: list[str]) -> dict[str, TaggedArticle]:
    """Articles already attributed to events, by id, rebuilt from the ``news`` and ``news_tags`` projections
    (one query for all the events a batch touches)."""
    if not news_ids:
        return {}
    frame = warehouse.query(
        """
        SELECT n.id, n.title, n.url, n.published_at, t.kind, t.org, t.model, t.subject, t.confidence, t.rule, t.matched
        FROM news AS n JOIN news_tags AS t ON t.news_id = n.id
        WHERE n.id IN (SELECT unnest($ids))
        """,
        {"ids": news_ids},
    )
    members = {}
    for row in frame.iter_rows(named=True):
        tag = Tag(row["kind"], row["org"], row["model"], row["confidence"], row["rule"], row["matched"], row["subject"])
        published = row["published_at"].astimezone(dt.timezone.utc) if row["published_at"] else None
        members[row["id"]] = TaggedArticle(row["id"], published, row["title"], row["url"], tag)
    return members


def _event_of(assignment: Assignment) -> str | None:
    if assignment.event is not None:
        return assignment.event.event_id
    return assignment.group.event_id if assignment.group is not None else None


def _destination(where: Group | KnownEvent | None) -> tuple[str | None, str]:
    """``(event_id, link)`` of where an article went."""
    if where is None:
        return None, "undated"
    if isinstance(where, Group):
        return where.event_id, "tagger"
    return where.event_id, where.source


def _tag_facts(placed: list[tuple[TaggedArticle, tuple[str | None, str]]], read: _Read) -> list[Fact]:
    """``NewsTagged`` for every article read that is tagged, names a model, or loses its tag."""
    facts: list[Fact] = []
    for article, (event_id, link) in placed:
        reading = read.readings.get(article.news_id)
        sightings = list(reading.sightings) if reading is not None and reading.sightings else ABSENT
        facts.append(NewsTagged(news_id=article.news_id, **article.tag.content(), event_id=event_id, link=link,
                                sightings=sightings))
    tagged = {article.news_id for article, _ in placed}
    for news_id, reading in read.readings.items():
        if news_id in tagged:
            continue
        if reading.sightings:
            reason = reading.release.reason() if reading.release else "names a model; no rule matches it"
            facts.append(NewsTagged(news_id=news_id, kind=None, event_id=None, link=None,
                                    sightings=list(reading.sightings), reason=reason))
        else:
            facts.append(NewsTagged(news_id=news_id, kind=None, event_id=None, link=None, reason="no rule matches it any more"))
    return facts


def _withdrawn(previous: Mapping[str, Any], event_id: str) -> dict[str, Any]:
    content = dict(previous)
    content.update(event_id=event_id, evidence=[], withdrawn=True, notes="withdrawn: no article supports it under the current rules")
    return content


def _count(report: TagReport, placed: list[tuple[TaggedArticle, tuple[str | None, str]]], cleared: list[str]) -> None:
    for article, (_, link) in placed:
        report.tagged[article.tag.kind] += 1
        if link in ("catalogue", "manual"):
            report.linked += 1
        elif link == "tagger":
            report.joined += 1
        else:
            report.undated += 1
    report.cleared += len(cleared)
