"""Grouping tagged articles into events, and linking them to events the log already knows.

An article joins an event when the kind matches, the organisations agree, the *subject*
agrees (for a release: the model, by its identity from :mod:`events.tagging.model_names`, where
``Gemini 2.0`` agrees with ``Gemini 2.0 Flash``, ``Claude 4`` with the catalogue's "Claude Opus 4
and Sonnet 4 release", ``DeepSeek R1`` with "DeepSeek-R1 (and R1-Zero, distills)", but ``R1-0528``
not with R1, nor ``Claude 2`` with ``Claude 2.1``; an unnamed "new model" agrees with any model of
that organisation; for policy: the topic; for funding: the named project), and it was published
within ``lead_days`` before to ``group_days`` after the event's date. An article naming no
organisation (a model of a family the lexicon does not know) joins by its subject alone. Known
events (catalogue, manual, earlier tagging) are preferred over creating one; among several
candidates the most specific subject, then the nearest date, then the catalogue wins. An
article matching nothing starts a new event.

Everything here is pure: the runner in ``tracker.curation.tagging`` reads the log and writes the facts.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from events.errors import EventDefinitionError
from events.sessions import SessionCalendar, align_day0
from events.tagging import lexicon
from events.tagging.matcher import Tag, compiled, org_mentions
from events.tagging.model_names import find_models
from events.tagging.novelty import same_model
from events.tagging.text import model_key, normalise, slug

SOURCE_PRIORITY = {"catalogue": 0, "manual": 1, "tagger": 2}
#: An organisation counts as its parent when matching (the Commerce Department is the US Government).
ORG_PARENTS = {"US Commerce (BIS)": "US Government"}


@dataclass(frozen=True)
class TaggedArticle:
    news_id: str
    published_at: dt.datetime | None  # aware, UTC
    title: str
    url: str | None
    tag: Tag

    @property
    def day(self) -> dt.date | None:
        return self.published_at.date() if self.published_at else None


@dataclass(frozen=True)
class KnownEvent:
    """An event an article may be attributed to."""

    event_id: str
    kind: str
    orgs: frozenset[str]
    subject: str | None
    date: dt.date
    source: str  # catalogue, manual, tagger
    closed: bool = False  # retracted or withdrawn: articles still join it, so no duplicate is made


class Group:
    """A tagger event being built: its id (once known) and its member articles."""

    def __init__(self, kind: str, org: str | None, articles: Iterable[TaggedArticle] = (), event_id: str | None = None):
        self.kind = kind
        self.org = org
        self.event_id = event_id
        self.articles: list[TaggedArticle] = []
        self._models: Counter = Counter()
        self._subjects: Counter = Counter()
        self._first: TaggedArticle | None = None
        for article in articles:
            self.add(article)

    def add(self, article: TaggedArticle) -> None:
        self.articles.append(article)
        if article.tag.model:
            self._models[article.tag.model] += 1
        if article.tag.subject:
            self._subjects[article.tag.subject] += 1
        if self._first is None or (article.published_at, article.news_id) < (self._first.published_at, self._first.news_id):
            self._first = article

    @property
    def first(self) -> TaggedArticle:
        return self._first  # type: ignore[return-value]

    @property
    def model(self) -> str | None:
        return representative_model(self._models.elements())

    @property
    def subject(self) -> str | None:
        """The subject most articles give (ties: the longer, then alphabetical)."""
        return sorted(self._subjects, key=lambda s: (-self._subjects[s], -len(s), s))[0] if self._subjects else None

    @property
    def date(self) -> dt.date:
        return self.first.day  # type: ignore[return-value]

    def as_known(self) -> KnownEvent:
        return KnownEvent(self.event_id or "", self.kind, frozenset({self.org} if self.org else ()), self.subject, self.date, "tagger")


def representative_model(models: Iterable[str | None]) -> str | None:
    """The model most articles name (ties: the longer name, then alphabetical)."""
    counts = Counter(m for m in models if m)
    if not counts:
        return None
    return sorted(counts, key=lambda m: (-counts[m], -len(m), m))[0]


def canonical_orgs(text: str | None) -> frozenset[str]:
    """Lexicon names of the organisations in a catalogue ``org`` field (``"OpenAI; SoftBank"``)."""
    names: set[str] = set()
    known = {org.name for org in lexicon.ORGS}
    for part in (text or "").split(";"):
        part = part.strip()
        if not part:
            continue
        if part in known:
            names.add(part)
            continue
        mentions = org_mentions(normalise(part))
        names.update(m.name for m in mentions[:1]) if mentions else names.add(part)
    return frozenset(names)


@lru_cache(maxsize=4096)  # the same catalogue and tagger events are read again batch after batch
def subject_of_event(kind: str, name: str, orgs: frozenset[str], model: str | None = None) -> str | None:
    """What a catalogue/manual event is about, read from its model (or name) with the tagger's lexicon.

    For a release, the identities of the models it names, ``;``-separated: "Claude Opus 4 and
    Sonnet 4 release" is ``claude|4|opus;claude|4|sonnet``.
    """
    text = normalise(name)
    if kind == "model_release":
        for written in (model, name):
            if not written:
                continue
            said = normalise(written)
            names = [n for n in find_models(said, {m.name for m in org_mentions(said)} | orgs)
                     if n.known and n.role != "product" and (not orgs or n.org in orgs)]
            if names:
                return ";".join(dict.fromkeys(n.identity for n in names))
        return None
    if kind == "policy":
        return next((topic for pattern, topic in compiled().topics if pattern.search(text)), None)
    if kind == "funding_or_capex":
        project = compiled().projects.search(text)
        return project.group(0).lower() if project else None
    return None


def known_event(row: Mapping[str, Any], closed: bool = False) -> KnownEvent | None:
    """A :class:`KnownEvent` from an ``events`` row (or event fact content); ``None`` without a date."""
    stamp = row.get("announced_at") or row.get("day0")
    try:
        date = dt.date.fromisoformat(str(stamp)[:10])
    except ValueError:
        return None
    orgs = canonical_orgs(row.get("org"))
    kind = row.get("kind") or ""
    subject = row.get("subject") or subject_of_event(kind, row.get("name") or "", orgs, row.get("model"))
    return KnownEvent(row["event_id"], kind, orgs, subject, date, row.get("source") or "catalogue", closed)


def _orgs_agree(org: str | None, orgs: frozenset[str], subject: str | None = None) -> bool:
    """The article's organisation is (a parent of) one of the event's; an article naming none agrees
    by its subject alone, and with events that name none."""
    if org is None:
        return subject is not None or not orgs
    if not orgs:
        return False
    family = {ORG_PARENTS.get(o, o) for o in orgs} | set(orgs)
    return org in family or ORG_PARENTS.get(org, org) in family


def _subject_score(kind: str, article: str | None, event: str | None) -> int | None:
    """2 exact, 1 compatible, ``None`` incompatible."""
    if article is None or event is None:
        return 1
    if article == event:
        return 2
    if kind == "model_release":
        if "|" in article and "|" in event:  # model identities (an event may name several models)
            return max(same_model(article, one) for one in event.split(";")) or None
        # subjects written by rules before model identities ("gemini20" agrees with "gemini20flash";
        # "claude2" does not agree with "claude21", another version)
        shorter, longer = sorted((model_key(article) or "", model_key(event) or ""), key=len)
        if shorter and longer.startswith(shorter) and (len(longer) == len(shorter) or not longer[len(shorter)].isdigit()):
            return 1
    return None


#: Days after an event's date in which an article may still join it, by kind. Coverage of a
#: model release runs for days; two policy actions a few days apart are two events.
GROUP_DAYS = {"model_release": 7, "policy": 1, "earnings": 2, "funding_or_capex": 3}
#: An article naming no model joins a named release only this close to it (and vice versa).
UNNAMED_DAYS = 2


@dataclass(frozen=True)
class GroupingWindow:
    """Which dates may join an event dated ``event_date``: ``lead_days`` before to the kind's days after."""

    lead_days: int = 2
    group_days: tuple[tuple[str, int], ...] = tuple(GROUP_DAYS.items())
    default_days: int = 3

    def days_after(self, kind: str) -> int:
        return dict(self.group_days).get(kind, self.default_days)

    @cached_property
    def reach(self) -> dt.timedelta:
        """No event joins an article further away than this, whatever its kind."""
        return dt.timedelta(days=max([self.lead_days, self.default_days] + [days for _, days in self.group_days]))

    def contains(self, kind: str, event_date: dt.date, day: dt.date, *, unnamed: bool = False) -> bool:
        after = min(self.days_after(kind), UNNAMED_DAYS) if unnamed else self.days_after(kind)
        return event_date - dt.timedelta(days=min(self.lead_days, after)) <= day <= event_date + dt.timedelta(days=after)


def best_event(article: TaggedArticle, candidates: Sequence[KnownEvent], window: GroupingWindow) -> KnownEvent | None:
    """The candidate the article belongs to, or ``None``."""
    if article.day is None:
        return None
    ranked = []
    day, reach = article.day, window.reach
    for index, event in enumerate(candidates):
        if abs(day - event.date) > reach:  # the cheap test first: most candidates are far away
            continue
        if event.kind != article.tag.kind or not _orgs_agree(article.tag.org, event.orgs, article.tag.subject):
            continue
        score = _subject_score(article.tag.kind, article.tag.subject, event.subject)
        if score is None:
            continue
        unnamed = article.tag.kind == "model_release" and (article.tag.subject is None) != (event.subject is None)
        if not window.contains(event.kind, event.date, day, unnamed=unnamed):
            continue
        distance = abs((day - event.date).days)
        ranked.append((-score, distance, SOURCE_PRIORITY.get(event.source, 3), event.event_id, index))
    return candidates[min(ranked)[-1]] if ranked else None


@dataclass
class Assignment:
    """Where one article went: an existing event, or a group of this run."""

    article: TaggedArticle
    event: KnownEvent | None = None
    group: Group | None = None

    @property
    def link(self) -> str:
        if self.event is not None:
            return self.event.source
        return "tagger" if self.group is not None else "undated"


#: The index key under which every event of a kind is also found (for articles naming no organisation).
ANY_ORG = "*"


def _index_keys(kind: str, orgs: Iterable[str | None]) -> set[tuple[str, str | None]]:
    keys = {(kind, ORG_PARENTS.get(org, org) if org else None) for org in orgs}
    return keys or {(kind, None)}


def _filed_under(kind: str, orgs: Iterable[str | None]) -> set[tuple[str, str | None]]:
    """Where an event is indexed: under its organisations, and under any organisation."""
    return _index_keys(kind, orgs) | {(kind, ANY_ORG)}


def _lookup_keys(tag: Tag) -> set[tuple[str, str | None]]:
    """Where to look for an article's events: its organisation's, or any when it names none but a subject."""
    if tag.org is None and tag.subject is not None:
        return {(tag.kind, ANY_ORG)}
    return _index_keys(tag.kind, [tag.org])


class Grouper:
    """Assigns articles, in the order given, to known events or to new groups.

    Known events are indexed by kind and organisation, and by date within each, so assigning
    is fast however many events the log holds: an article looks only at those within the
    window's reach of its day (the order of candidates does not matter, ties go by event id).
    """

    def __init__(self, known: Sequence[KnownEvent], window: GroupingWindow):
        self.window = window
        self.groups: list[Group] = []
        self._known: dict[tuple[str, str | None], list[KnownEvent]] = {}
        for event in known:
            for key in _filed_under(event.kind, event.orgs):
                self._known.setdefault(key, []).append(event)
        for events in self._known.values():
            events.sort(key=lambda e: e.date)
        self._known_dates = {key: [e.date for e in events] for key, events in self._known.items()}
        self._groups: dict[tuple[str, str | None], list[Group]] = {}
        self._views: dict[int, KnownEvent] = {}

    def _candidates(self, index: dict, article: TaggedArticle) -> list:
        found: list = []
        for key in _lookup_keys(article.tag):
            found.extend(index.get(key, ()))
        return found

    def _nearby_known(self, article: TaggedArticle) -> list[KnownEvent]:
        day, reach = article.day, self.window.reach
        found: list[KnownEvent] = []
        for key in _lookup_keys(article.tag):
            dates = self._known_dates.get(key)
            if dates:
                found.extend(self._known[key][bisect_left(dates, day - reach):bisect_right(dates, day + reach)])
        return found

    def assign(self, article: TaggedArticle) -> Assignment:
        if article.day is None:
            return Assignment(article)
        event = best_event(article, self._nearby_known(article), self.window)
        groups = self._candidates(self._groups, article)
        views = [self._views[id(g)] for g in groups]
        candidate = best_event(article, views, self.window)
        if event is not None and (candidate is None or _prefer_known(article, event, candidate)):
            return Assignment(article, event=event)
        if candidate is not None:
            group = groups[next(i for i, view in enumerate(views) if view is candidate)]
            group.add(article)
        else:
            group = Group(article.tag.kind, article.tag.org, [article])
            self.groups.append(group)
            for key in _filed_under(group.kind, [group.org]):
                self._groups.setdefault(key, []).append(group)
        self._views[id(group)] = group.as_known()
        return Assignment(article, group=group)


def _prefer_known(article: TaggedArticle, known: KnownEvent, group: KnownEvent) -> bool:
    known_score = _subject_score(article.tag.kind, article.tag.subject, known.subject) or 0
    group_score = _subject_score(article.tag.kind, article.tag.subject, group.subject) or 0
    return known_score >= group_score


def event_name(kind: str, org: str | None, model: str | None, subject: str | None) -> str:
    if kind == "model_release":
        return f"{model} release" if model else f"{org or 'Unknown'} model release"
    if kind == "policy":
        return f"{org or 'Government'}: {subject or 'policy action'}"
    if kind == "earnings":
        return f"{org or 'Company'} earnings"
    if kind == "funding_or_capex":
        return f"{org or 'Company'} {subject.title() if subject else 'funding/capex'} announcement"
    return f"{org or ''} {kind}".strip()


def new_event_id(group: Group, taken: set[str]) -> str:
    """``news-<first date>-<org>-<model or kind>``, made unique against ``taken``."""
    what = group.model or (group.subject if group.kind != "model_release" else None) or group.kind
    base = f"news-{group.date.isoformat()}-{slug(group.org or 'unknown', 30)}-{slug(what, 40)}".rstrip("-")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def event_content(group: Group, calendar: SessionCalendar) -> dict[str, Any]:
    """The ``EventTagged`` content for a group: derived from its articles only, so it is reproducible."""
    articles = sorted(group.articles, key=lambda a: (a.published_at, a.news_id))
    first = articles[0]
    model = group.model
    announced = first.published_at.astimezone(dt.timezone.utc).replace(tzinfo=None, second=0, microsecond=0)  # type: ignore[union-attr]
    try:
        day0 = align_day0(announced, "UTC", "minute", calendar)
        day0_text, rule = day0.session.isoformat(), f"first article {day0.rule}"
    except EventDefinitionError as exc:
        day0_text, rule = None, f"not aligned: {exc.message}"
    return {
        "event_id": group.event_id,
        "name": event_name(group.kind, group.org, model, group.subject),
        "kind": group.kind,
        "org": group.org,
        "model": model,
        "subject": group.subject,
        "announced_at": announced.isoformat(timespec="minutes"),
        "timezone": "UTC",
        "date_precision": "minute",
        "reaction_date": None,
        "day0": day0_text,
        "day0_rule": rule,
        "source_url": first.url,
        "notes": f"found by the tagger in {len(articles)} article(s); first: {first.title}",
        "confidence": max(a.tag.confidence for a in articles),
        "evidence": [a.news_id for a in articles],
        "rules": sorted({a.tag.rule for a in articles}),
        "withdrawn": False,
    }


def reuse_ids(groups: Sequence[Group], existing: Sequence[KnownEvent], window: GroupingWindow) -> None:
    """Give each new group the id of the earlier tagger event it restates, if any (``--retag``)."""
    free: dict[tuple[str, str | None], list[KnownEvent]] = {}
    for event in existing:
        for key in _filed_under(event.kind, event.orgs):
            free.setdefault(key, []).append(event)
    used: set[str] = set()
    for group in sorted(groups, key=lambda g: (g.date, g.first.news_id)):
        probe = TaggedArticle(group.first.news_id, group.first.published_at, "", None,
                              Tag(group.kind, group.org, group.model, 0.0, "", "", group.subject))
        candidates = [e for key in _lookup_keys(probe.tag) for e in free.get(key, ()) if e.event_id not in used]
        match = best_event(probe, candidates, window)
        if match is not None:
            group.event_id = match.event_id
            used.add(match.event_id)
