"""The vocabulary of the fact log: every kind of fact, its stream, its content and its version.

A fact is a frozen dataclass named in the past tense (``RunStarted``, ``NewsTagged``); its fields
are the JSON content stored in the log, its ``STREAM`` says what the fact is about (the stream it
belongs to, formatted from its fields), and ``VERSION`` is the shape of its content. Writers build
facts from these classes and append them (:meth:`warehouse.Warehouse.append_facts`); readers get
contents *upcast* to the current version (:func:`upcast`); views and projections name the kinds and
fields through :func:`path` and :data:`KINDS`, so a renamed field or kind fails at import, not in
a view that silently reads NULL.

Changing a content's shape: an optional field added with the default :data:`ABSENT` needs no new
version (older facts simply lack it). Anything else (a renamed, removed or retyped field): bump
``VERSION`` and add to ``UPCASTERS`` a function that turns the previous version's content into the
new one. Facts already in the log
keep their version and are upcast when read; SQL that reads the field must handle the old
versions too (a missing JSON field reads as NULL). Never edit or delete a kind that has shipped.

A field whose value is :data:`ABSENT` is left out of the content (``FactorReturnsObserved`` holds
only the factors its file has; a cleared ``NewsTagged`` has no ``org``), which is not the same
as ``null``.

Price bars are the one kind kept outside the JSON log: ``PriceBarObserved`` facts are rows of
the typed table ``price_bar_facts`` (see :mod:`warehouse.price_facts`), sharing the log's ``seq``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar


class _Absent:
    """The value of an optional field the content leaves out."""

    _instance: _Absent | None = None

    def __new__(cls) -> _Absent:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False


ABSENT: Any = _Absent()

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Fact:
    """Base of every fact kind. Subclasses are frozen dataclasses whose fields are the content."""

    KIND: ClassVar[str]
    STREAM: ClassVar[str]  # a format string over the fields, e.g. "run/{run_id}"
    VERSION: ClassVar[int] = 1
    #: ``UPCASTERS[v]`` turns the content of version ``v`` into version ``v + 1``.
    UPCASTERS: ClassVar[Mapping[int, Upcaster]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.KIND = cls.__name__

    @property
    def stream(self) -> str:
        """What the fact is about: its stream in the log."""
        return self.STREAM.format(**{f.name: getattr(self, f.name) for f in dataclasses.fields(self)})

    def content(self) -> dict[str, Any]:
        """The JSON content: every field but those left :data:`ABSENT`."""
        values = ((f.name, getattr(self, f.name)) for f in dataclasses.fields(self))
        return {name: value for name, value in values if value is not ABSENT}

    @classmethod
    def fields(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))

    @classmethod
    def load(cls, content: Mapping[str, Any]) -> Fact:
        """The fact from its (current-version) content, missing optional fields as :data:`ABSENT`."""
        known = set(cls.fields())
        return cls(**{k: v for k, v in content.items() if k in known})


# -- runs --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RunStarted(Fact):
    """An import, ingestion or tagging run began (``command`` and its arguments)."""

    STREAM = "run/{run_id}"
    run_id: str
    command: str
    args: dict[str, Any]


@dataclass(frozen=True)
class RunFinished(Fact):
    """A run ended: ``succeeded``, ``partial`` or ``failed``, with its counts (see :class:`IngestTickerCounts`)."""

    STREAM = "run/{run_id}"
    run_id: str
    status: str
    counts: dict[str, Any]
    error: str | None


@dataclass(frozen=True)
class IngestTickerCounts:
    """What an ingest run did for one ticker: ``RunFinished.counts["tickers"][TICKER]`` (view ``ingest_tickers``)."""

    status: str  # succeeded | failed | skipped
    window: str | None
    attempts: int
    bars: int  # final bars fetched
    facts_added: int  # bars, actions and cursor facts appended
    duplicates: int  # bars and actions already known
    corrections: int  # appended facts revising a stored one
    dividends: int
    splits: int
    provisional: int  # bars of sessions not closed yet, not stored
    nan_rows: int
    duplicate_rows: int
    full_reread: str | None  # the split date that caused a full re-read
    last_final_date: str | None
    error: str | None
    transient: bool  # whether the error was transient (retries exhausted)


@dataclass(frozen=True)
class IngestNewsCounts:
    """What an ingest run did for one news fetch: ``RunFinished.counts["news"]["yfinance:NVDA" | "feed:URL"]``."""

    kind: str  # yfinance | feed
    status: str  # succeeded | not_modified | empty | failed | skipped
    items: int | None
    stored: bool  # a new payload fact was appended
    attempts: int
    error: str | None
    articles: int | None  # distinct articles parsed from a stored payload
    new_articles: int
    malformed: int


# -- prices, corporate actions, factors ---------------------------------------------------------------

@dataclass(frozen=True)
class PriceBarObserved(Fact):
    """A daily bar (exchange-local date); stored as a typed row of ``price_bar_facts``, not as JSON."""

    STREAM = "price/{ticker}/{date}"
    ticker: str
    date: str
    open: float | None
    high: float | None
    low: float | None
    close: float
    adj_close: float | None
    volume: float | None
    source: str


@dataclass(frozen=True)
class PriceFileImported(Fact):
    """A price file was imported (its fingerprint: name and bytes), so an identical re-import can be skipped."""

    STREAM = "pricefile/{fingerprint}"
    fingerprint: str
    path: str
    tickers: list[str]
    first_date: str
    last_date: str
    bars: int


@dataclass(frozen=True)
class DividendObserved(Fact):
    """A cash dividend per share, by ex-date."""

    STREAM = "dividend/{ticker}/{date}"
    ticker: str
    date: str
    amount: float
    source: str


@dataclass(frozen=True)
class CapitalGainObserved(Fact):
    """A capital-gain distribution per share (funds), by ex-date."""

    STREAM = "capital-gain/{ticker}/{date}"
    ticker: str
    date: str
    amount: float
    source: str


@dataclass(frozen=True)
class SplitObserved(Fact):
    """A split: ``ratio`` new shares per old (10 for a 10-for-1)."""

    STREAM = "split/{ticker}/{date}"
    ticker: str
    date: str
    ratio: float
    source: str


#: The factors the warehouse knows, in their canonical order (columns of the ``factors`` view).
FACTOR_NAMES = ("mkt_rf", "smb", "hml", "rf", "mom")


@dataclass(frozen=True)
class FactorReturnsObserved(Fact):
    """One date's returns (decimals) of the factors one file carries; the others are left out.

    The stream names the file's factor set (``factors/mkt_rf+smb+hml+rf/<date>``,
    ``factors/mom/<date>``), so the three-factor and momentum files never supersede each other.
    A value is ``None`` where the file marks the day missing.
    """

    STREAM = "factors/{names}/{date}"
    date: str
    mkt_rf: float | None = ABSENT
    smb: float | None = ABSENT
    hml: float | None = ABSENT
    rf: float | None = ABSENT
    mom: float | None = ABSENT

    @property
    def names(self) -> str:
        """The factors this fact carries, in canonical order, joined by ``+``."""
        return "+".join(name for name in FACTOR_NAMES if getattr(self, name) is not ABSENT)

    @property
    def stream(self) -> str:
        return f"factors/{self.names}/{self.date}"


@dataclass(frozen=True)
class IngestCursorMoved(Fact):
    """Where incremental ingestion of a (source, ticker) resumes; written with the bars it covers."""

    STREAM = "cursor/{source}/{ticker}"
    source: str
    ticker: str
    last_final_date: str | None
    split_basis: str | None


# -- news ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NewsPayloadFetched(Fact):
    """A raw news payload fetched by live ingestion (Yahoo's JSON list or a feed's XML), kept verbatim."""

    STREAM = "newsfetch/{origin}/{source}"
    format: str  # yfinance-news-json | feed-xml
    source: str  # the ticker or the feed URL
    fetched_at: str
    payload: Any
    http: dict[str, Any]  # etag, last_modified, status

    @property
    def origin(self) -> str:
        return "yfinance" if self.format == "yfinance-news-json" else "feed"

    @property
    def stream(self) -> str:
        return f"newsfetch/{self.origin}/{self.source}"


@dataclass(frozen=True)
class NewsPayloadImported(Fact):
    """The raw bytes of an imported news file (text, or base64), so its articles can be re-parsed."""

    STREAM = "news-payload/{sha256:.32}"
    format: str
    sha256: str
    size: int
    encoding: str  # utf-8 | base64
    payload: str


@dataclass(frozen=True)
class NewsItemObserved(Fact):
    """One article (merged over every observation of it; see :mod:`tracker.news.record`)."""

    STREAM = "news/{news_id}"
    news_id: str
    title: str
    url: str | None
    canonical_url: str | None
    source_id: str | None
    published_at: str | None  # UTC, ISO 8601 with Z
    published_basis: str
    publisher: str | None
    tickers: list[str]
    summary: str | None
    source: str
    format: str
    payload: str  # the payload fact it was parsed from (stream or key)


@dataclass(frozen=True)
class NewsTagged(Fact):
    """What the tagger read in one article and the event it was attributed to (``kind`` None: cleared)."""

    STREAM = "news/{news_id}"
    news_id: str
    kind: str | None
    event_id: str | None
    link: str | None  # catalogue | manual | tagger | undated
    org: str | None = ABSENT
    model: str | None = ABSENT
    confidence: float | None = ABSENT
    rule: str | None = ABSENT
    matched: str | None = ABSENT
    subject: str | None = ABSENT
    score: float | None = ABSENT  # a release's score: the sum of its signals (events.tagging.release)
    signals: list[str] | None = ABSENT
    reason: str | None = ABSENT  # the score's reason in words, or why a tag was cleared
    sightings: list[str] | None = ABSENT  # identities of the models the headline names (the novelty memory)


@dataclass(frozen=True)
class TaggerCheckpointed(Fact):
    """The last ``NewsItemObserved`` fact the tagger has processed, and the rules it used."""

    STREAM = "tagger/checkpoint"
    last_seq: int
    rules_version: str


# -- events ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EventCatalogued(Fact):
    """A row of the curated event catalogue, with its aligned day 0 (see :mod:`events.catalogue`)."""

    STREAM = "event/{event_id}"
    event_id: str
    name: str
    kind: str
    org: str
    announced_at: str  # local wall-clock time in ``timezone``
    timezone: str
    date_precision: str
    source_url: str
    notes: str
    reaction_date: str | None
    day0: str
    day0_rule: str
    tickers: list[str] = ABSENT  # the tickers it concerns, when the row names them (else from ``org``)


@dataclass(frozen=True)
class EventAdded(Fact):
    """An event entered by hand (``tracker events add``)."""

    STREAM = "event/{event_id}"
    event_id: str
    name: str
    kind: str
    org: str
    model: str | None
    announced_at: str
    timezone: str
    date_precision: str
    reaction_date: str | None
    source_url: str
    notes: str
    day0: str
    day0_rule: str
    tickers: list[str] = ABSENT  # ``--tickers``: the tickers it concerns (else from ``org``)


@dataclass(frozen=True)
class EventAmended(Fact):
    """Field changes laid over an event, whatever its source, with the recomputed day 0."""

    STREAM = "event/{event_id}"
    event_id: str
    changes: dict[str, Any]
    reason: str
    day0: str
    day0_rule: str


@dataclass(frozen=True)
class EventRetracted(Fact):
    """An event withdrawn from the ``events`` view and studies for good (it stays in the log)."""

    STREAM = "event/{event_id}"
    event_id: str
    reason: str


@dataclass(frozen=True)
class EventTagged(Fact):
    """An event the tagger found in the news, with its evidence; ``withdrawn`` when none is left."""

    STREAM = "event/{event_id}"
    event_id: str
    name: str
    kind: str
    org: str | None
    model: str | None
    subject: str | None
    announced_at: str  # the first article's time, UTC, minute precision
    timezone: str
    date_precision: str
    reaction_date: str | None
    day0: str | None
    day0_rule: str
    source_url: str | None
    notes: str
    confidence: float
    evidence: list[str]  # news ids
    rules: list[str]
    withdrawn: bool


#: Every kind of fact by name.
KINDS: dict[str, type[Fact]] = {
    cls.KIND: cls
    for cls in (
        RunStarted, RunFinished, PriceBarObserved, PriceFileImported, DividendObserved, CapitalGainObserved,
        SplitObserved, FactorReturnsObserved, IngestCursorMoved, NewsPayloadFetched, NewsPayloadImported,
        NewsItemObserved, NewsTagged, TaggerCheckpointed, EventCatalogued, EventAdded, EventAmended,
        EventRetracted, EventTagged,
    )
}
#: The kinds that state, change or retract an event (articles' tags aside).
EVENT_KINDS: tuple[type[Fact], ...] = (EventCatalogued, EventAdded, EventTagged, EventAmended, EventRetracted)


def upcast(kind: str, version: int, content: dict[str, Any]) -> dict[str, Any]:
    """``content`` of a ``kind`` fact written at ``version``, in the current version's shape."""
    cls = KINDS.get(kind)
    if cls is None:
        return content
    while version < cls.VERSION:
        content = cls.UPCASTERS[version](content)
        version += 1
    return content


def path(kind: type, field: str, *, text: bool = True, column: str = "content") -> str:
    """SQL reading ``field`` of the JSON ``column`` holding a ``kind`` (``->>`` as text, ``->`` as JSON with ``text=False``).

    Raises ``KeyError`` (at import of the module that builds the SQL) when the kind has no such
    field, so a renamed field cannot leave a view silently reading NULL. ``kind`` may also be a
    nested content type such as :class:`IngestTickerCounts`.
    """
    names = {f.name for f in dataclasses.fields(kind)}
    if field not in names:
        raise KeyError(f"{kind.__name__} has no field {field!r} (fields: {', '.join(sorted(names))})")
    return f"{column}{'->>' if text else '->'}'{field}'"


def columns(kind: type, *fields: str, column: str = "content") -> str:
    """``content->>'a' AS a, content->>'b' AS b``: text fields of a ``kind`` as columns of the same names."""
    return ", ".join(f"{path(kind, field, column=column)} AS {field}" for field in fields)


def kind_sql(*kinds: type[Fact]) -> str:
    """``'KindA', 'KindB'`` for an SQL ``IN (…)`` list (or one quoted name)."""
    return ", ".join(f"'{k.KIND}'" for k in kinds)
