"""The vocabulary is the log's one schema: every view reads facts written through it, by its field names."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import polars as pl
import pytest

from warehouse import Warehouse
from warehouse.views import MACROS, VIEWS
from warehouse.vocabulary import (
    ABSENT,
    EVENT_KINDS,
    FACTOR_NAMES,
    KINDS,
    CapitalGainObserved,
    DividendObserved,
    EventAdded,
    EventAmended,
    EventCatalogued,
    EventRetracted,
    EventTagged,
    Fact,
    FactorReturnsObserved,
    IngestCursorMoved,
    IngestTickerCounts,
    NewsItemObserved,
    NewsPayloadFetched,
    NewsPayloadImported,
    NewsTagged,
    PriceBarObserved,
    PriceFileImported,
    RunFinished,
    RunStarted,
    SplitObserved,
    TaggerCheckpointed,
    upcast,
)

REPO = Path(__file__).resolve().parents[2]

CATALOGUED = EventCatalogued(
    event_id="2025-01-20-deepseek-r1", name="DeepSeek-R1 release", kind="model_release", org="DeepSeek",
    announced_at="2025-01-20T00:00", timezone="Asia/Shanghai", date_precision="day", source_url="https://example.com/r1",
    notes="open weights", reaction_date=None, day0="2025-01-21", day0_rule="first session on or after the local date",
)
ADDED = EventAdded(
    event_id="2025-03-04-manual", name="A manual event", kind="policy", org="BIS", model=None,
    announced_at="2025-03-04T10:00", timezone="America/New_York", date_precision="minute", reaction_date=None,
    source_url="", notes="", day0="2025-03-04", day0_rule="same session (before the close)",
)
TAGGED = EventTagged(
    event_id="news-2025-02-18-xai-grok-3", name="xAI Grok 3 release", kind="model_release", org="xAI", model="Grok 3",
    subject="grok 3", announced_at="2025-02-18T04:00", timezone="UTC", date_precision="minute", reaction_date=None,
    day0="2025-02-18", day0_rule="first article same session", source_url="https://example.com/grok",
    notes="found by the tagger in 1 article(s)", confidence=0.9, evidence=["n-grok"], rules=["release-verb"], withdrawn=False,
)
ARTICLE = NewsItemObserved(
    news_id="n-grok", title="xAI releases Grok 3", url="https://example.com/grok", canonical_url="https://example.com/grok",
    source_id=None, published_at="2025-02-18T04:00:00Z", published_basis="published", publisher="Example",
    tickers=["NVDA"], summary=None, source="test", format="news-csv", payload="news-payload/abc",
)
TICKER_COUNTS = IngestTickerCounts(
    status="succeeded", window="2025-01-02..2025-01-03", attempts=1, bars=2, facts_added=3, duplicates=4, corrections=5,
    dividends=1, splits=1, provisional=0, nan_rows=0, duplicate_rows=0, full_reread=None, last_final_date="2025-01-03",
    error=None, transient=False,
)


def samples() -> list[Fact]:
    """One fact of every JSON kind, as the writers build them (price bars go to their own table)."""
    return [
        PriceFileImported(fingerprint="f" * 16, path="prices.csv", tickers=["AAA"], first_date="2025-01-02",
                          last_date="2025-01-03", bars=2),
        DividendObserved(ticker="AAA", date="2025-01-03", amount=0.5, source="test"),
        CapitalGainObserved(ticker="AAA", date="2025-01-03", amount=0.25, source="test"),
        SplitObserved(ticker="AAA", date="2025-01-03", ratio=10.0, source="test"),
        FactorReturnsObserved(date="2025-01-03", mkt_rf=0.01, smb=0.002, hml=-0.003, rf=0.0001),
        FactorReturnsObserved(date="2025-01-03", mom=0.004),
        IngestCursorMoved(source="yahoo", ticker="AAA", last_final_date="2025-01-03", split_basis="2025-01-03"),
        NewsPayloadFetched(format="yfinance-news-json", source="AAA", fetched_at="2025-01-03T22:00:00+00:00",
                           payload=[{"id": "x"}], http={"etag": "E1", "last_modified": None, "status": 200}),
        NewsPayloadImported(format="news-csv", sha256="a" * 64, size=3, encoding="utf-8", payload="x,y"),
        ARTICLE,
        NewsTagged(news_id="n-grok", kind="model_release", event_id=TAGGED.event_id, link="tagger", org="xAI",
                   model="Grok 3", confidence=0.9, rule="release-verb", matched="releases Grok 3", subject="grok 3"),
        TaggerCheckpointed(last_seq=1, rules_version="test"),
        CATALOGUED,
        ADDED,
        EventAmended(event_id=ADDED.event_id, changes={"name": "Renamed by hand"}, reason="clearer",
                     day0=ADDED.day0, day0_rule="manual"),
        TAGGED,
        EventRetracted(event_id=CATALOGUED.event_id, reason="test"),
        CATALOGUED.__class__(**{**CATALOGUED.content(), "event_id": "kept", "name": "Kept"}),
    ]


@pytest.fixture
def written(tmp_path):
    """A warehouse holding one fact of every kind, written through the vocabulary."""
    with Warehouse.open(tmp_path / "vocabulary.duckdb") as wh:
        run = wh.start_run("ingest", {"tickers": ["AAA"]})
        bars = pl.DataFrame({
            "ticker": ["AAA", "AAA"], "date": [dt.date(2025, 1, 2), dt.date(2025, 1, 3)], "open": [10.0, 11.0],
            "high": [10.0, 11.0], "low": [10.0, 11.0], "close": [10.0, 11.0], "adj_close": [None, None],
            "volume": [1.0, 2.0], "source": ["test", "test"], "batch_order": [0, 0],
        }, schema_overrides={"adj_close": pl.Float64})
        facts = samples()
        with wh.transaction():
            wh.append_price_bars(bars, run)
            wh.append_facts(facts, run)
            wh.catch_up()
        wh.finish_run(run, "succeeded", {"tickers": {"AAA": asdict(TICKER_COUNTS)}, "facts_added": 2})
        yield wh, facts


def one(wh: Warehouse, sql: str) -> dict:
    rows = wh.query(sql).to_dicts()
    assert len(rows) == 1, (sql, rows)
    return rows[0]


def test_every_json_kind_has_a_sample_and_every_fact_is_a_vocabulary_kind():
    kinds = {type(f) for f in samples()} | {RunStarted, RunFinished, PriceBarObserved}
    assert kinds == set(KINDS.values())
    for cls in KINDS.values():
        assert cls.KIND == cls.__name__ and dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen
    assert set(FACTOR_NAMES) <= set(FactorReturnsObserved.fields())


def test_every_view_and_macro_reads_what_was_written_through_the_vocabulary(written):
    wh, facts = written
    checked = set()

    def view(name: str, sql: str) -> dict:
        checked.add(name)
        return one(wh, sql)

    kinds = wh.query("SELECT kind, count(*) AS n FROM facts GROUP BY kind").to_dicts()
    checked.add("facts")
    assert {r["kind"]: r["n"] for r in kinds} == {
        **{k: sum(type(f).KIND == k for f in facts) for k in {type(f).KIND for f in facts}},
        "PriceBarObserved": 2, "RunStarted": 1, "RunFinished": 1,
    }
    assert view("prices", "SELECT ticker, close FROM prices WHERE date = '2025-01-03'") == {"ticker": "AAA", "close": 11.0}
    assert view("returns", "SELECT ret, basis FROM returns WHERE date = '2025-01-03'") == {
        "ret": pytest.approx((11.0 + 0.75) / 10.0 - 1, rel=1e-15), "basis": "close+dividend"}
    checked.add("dividends")
    assert wh.query("SELECT kind, amount FROM dividends ORDER BY kind").to_dicts() == [
        {"kind": "capital_gain", "amount": 0.25}, {"kind": "dividend", "amount": 0.5}]
    assert view("splits", "SELECT ticker, ratio FROM splits") == {"ticker": "AAA", "ratio": 10.0}
    checked.add("events")
    events = {r["event_id"]: r for r in wh.query("SELECT * FROM events").to_dicts()}
    assert set(events) == {"kept", ADDED.event_id, TAGGED.event_id}  # the retracted one left
    assert events[ADDED.event_id]["name"] == "Renamed by hand" and events[ADDED.event_id]["source"] == "manual"
    assert (events[TAGGED.event_id]["model"], events[TAGGED.event_id]["news_count"]) == ("Grok 3", 1)
    assert events["kept"]["org"] == CATALOGUED.org and events["kept"]["source"] == "catalogue"
    news = view("news", "SELECT * FROM news")
    for field in ("title", "url", "publisher", "tickers", "payload", "published_basis"):
        assert news[field] == getattr(ARTICLE, field)
    tag = view("news_tags", "SELECT * FROM news_tags")
    assert (tag["news_id"], tag["event_id"], tag["model"], tag["link"], tag["title"]) == (
        "n-grok", TAGGED.event_id, "Grok 3", "tagger", ARTICLE.title)
    run = view("runs", "SELECT * FROM runs")
    assert (run["command"], run["status"], run["facts_added"]) == ("ingest", "succeeded", 2)
    ticker = view("ingest_tickers", "SELECT * FROM ingest_tickers")
    for field in ("status", "facts_added", "duplicates", "corrections", "attempts", "error"):
        assert ticker[field] == getattr(TICKER_COUNTS, field), field
    assert view("ingest_cursors", "SELECT last_final_date, split_basis FROM ingest_cursors") == {
        "last_final_date": dt.date(2025, 1, 3), "split_basis": dt.date(2025, 1, 3)}
    assert view("news_payloads", "SELECT format, source, items, etag, status FROM news_payloads") == {
        "format": "yfinance-news-json", "source": "AAA", "items": 1, "etag": "E1", "status": 200}
    assert view("factors", "SELECT mkt_rf, smb, hml, rf, mom FROM factors") == {
        "mkt_rf": 0.01, "smb": 0.002, "hml": -0.003, "rf": 0.0001, "mom": 0.004}
    checked.add("sessions")
    assert wh.query("SELECT count(*) AS n FROM sessions WHERE date = '2025-01-03'").item() == 1
    assert checked == set(VIEWS), f"views without a check here: {set(VIEWS) - checked}"

    head = wh.head()
    for signature in MACROS:
        name = signature.split("(")[0]
        view_name = name.removesuffix("_as_of")
        assert wh.query(f"SELECT * FROM {name}({head}) ORDER BY ALL").equals(
            wh.query(f"SELECT * FROM {view_name} ORDER BY ALL")), name


def test_sql_reads_content_fields_only_through_the_vocabulary():
    """A field read as ``content->>'x'`` by hand would not notice a rename; the vocabulary's ``path`` would."""
    by_hand = re.compile(r"content\s*->>?\s*'")
    offenders = [
        f"{path.relative_to(REPO)}:{n}"
        for folder in ("warehouse", "tracker")
        for path in sorted((REPO / folder).rglob("*.py"))
        if path.name != "vocabulary.py"
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if by_hand.search(line)
    ]
    assert offenders == []


def test_a_renamed_field_fails_where_the_sql_is_built():
    from warehouse.vocabulary import path

    assert path(DividendObserved, "amount") == "content->>'amount'"
    with pytest.raises(KeyError, match="DividendObserved has no field 'value'"):
        path(DividendObserved, "value")


def test_an_absent_field_is_left_out_and_a_fact_loads_back_from_its_content():
    cleared = NewsTagged(news_id="n1", kind=None, event_id=None, link=None, reason="no rule matches it any more")
    assert cleared.content() == {"news_id": "n1", "kind": None, "event_id": None, "link": None,
                                 "reason": "no rule matches it any more"}
    assert NewsTagged.load(cleared.content()) == cleared and cleared.org is ABSENT
    assert FactorReturnsObserved(date="2025-01-03", mom=0.1).stream == "factors/mom/2025-01-03"
    assert NewsPayloadImported("news-csv", "ab" * 32, 1, "utf-8", "x").stream == "news-payload/" + "ab" * 16
    assert all(cls.STREAM.startswith("event/") for cls in EVENT_KINDS)


@dataclass(frozen=True)
class Noted(Fact):
    """Version 1 of a kind for this test: ``x`` in dollars."""

    STREAM = "thing/{thing}"
    thing: str
    x: float


@dataclass(frozen=True)
class NotedV2(Fact):
    """Version 2 of the same kind: the amount renamed and in cents."""

    STREAM = "thing/{thing}"
    VERSION = 2
    UPCASTERS = {1: lambda c: {"thing": c["thing"], "cents": round(c["x"] * 100)}}
    thing: str
    cents: int


NotedV2.KIND = "Noted"


def test_an_old_fact_reads_through_its_upcaster(tmp_path, monkeypatch):
    with Warehouse.open(tmp_path / "upcast.duckdb") as wh:
        run = wh.start_run("test", {})
        with wh.transaction():
            wh.append_facts([Noted("a", 1.25)], run)  # written by the code of version 1
        monkeypatch.setitem(KINDS, "Noted", NotedV2)  # the code now knows version 2
        with wh.transaction():
            wh.append_facts([NotedV2("b", 300)], run)
        read = [(content, wh.query(f"SELECT schema_version AS v FROM facts WHERE seq = {seq}").item())
                for seq, _, content in wh.read_facts([NotedV2])]
        latest = wh.latest_facts(NotedV2, ["thing/a"])
    assert read == [({"thing": "a", "cents": 125}, 1), ({"thing": "b", "cents": 300}, 2)]
    assert latest == {"thing/a": {"thing": "a", "cents": 125}}
    assert upcast("Noted", 2, {"thing": "c", "cents": 1}) == {"thing": "c", "cents": 1}
