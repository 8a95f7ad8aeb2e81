"""The append-only log: global order, idempotent appends, corrections as new revisions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
import pytest

from warehouse import Warehouse
from warehouse.migrations import LATEST_VERSION
from warehouse.vocabulary import Fact


@dataclass(frozen=True)
class Noted(Fact):
    """A kind of fact for these tests only."""

    STREAM = "thing/{thing}"
    thing: str
    x: int


@pytest.fixture
def wh(tmp_path):
    with Warehouse.open(tmp_path / "log.duckdb") as warehouse:
        yield warehouse


def bars(*rows) -> pl.DataFrame:
    """Bars frame from (ticker, date, close[, batch_order]) tuples."""
    records = []
    for r in rows:
        ticker, day, close = r[:3]
        records.append({
            "ticker": ticker, "date": dt.date.fromisoformat(day), "open": close, "high": close, "low": close,
            "close": close, "adj_close": None, "volume": 100.0, "source": "test", "batch_order": r[3] if len(r) > 3 else 0,
        })
    return pl.DataFrame(records, schema_overrides={"adj_close": pl.Float64})


def log_rows(wh):
    return wh.query("SELECT seq, kind, stream, revision, key FROM facts ORDER BY seq").rows()


def test_migrations_are_recorded(wh):
    versions = wh.query("SELECT version FROM schema_migrations ORDER BY version")["version"].to_list()
    assert versions[-1] == LATEST_VERSION and versions == sorted(set(versions))


def test_appending_the_same_facts_twice_adds_nothing(wh):
    run = wh.start_run("test", {})
    facts = [Noted("a", 1), Noted("b", 2)]
    with wh.transaction():
        first = wh.append_facts(facts, run)
    with wh.transaction():
        second = wh.append_facts(facts, run)
    assert (first.added, first.unchanged) == (2, 0)
    assert (second.added, second.unchanged) == (0, 2)
    keys = [k for *_, k in log_rows(wh) if k.startswith("thing/")]
    assert keys == ["thing/a#1", "thing/b#1"]


def test_changed_content_is_a_new_revision_and_a_return_to_old_content_too(wh):
    run = wh.start_run("test", {})
    for value in (1, 2, 2, 1):
        with wh.transaction():
            wh.append_facts([Noted("a", value)], run)
    rows = [(rev, key) for _, _, stream, rev, key in log_rows(wh) if stream == "thing/a"]
    assert rows == [(1, "thing/a#1"), (2, "thing/a#2"), (3, "thing/a#3")]


def test_sequence_is_global_and_gapless_across_both_tables(wh):
    run = wh.start_run("test", {})
    with wh.transaction():
        wh.append_facts([Noted("a", 1)], run)
        wh.append_price_bars(bars(("AAA", "2025-01-02", 10.0), ("AAA", "2025-01-03", 11.0)), run)
        wh.catch_up()
        wh.append_facts([Noted("b", 1)], run)
    seqs = [seq for seq, *_ in log_rows(wh)]
    assert seqs == list(range(1, len(seqs) + 1))
    assert wh.head() == seqs[-1]


def test_price_bars_identical_are_unchanged_and_changed_are_corrections(wh):
    run = wh.start_run("test", {})
    with wh.transaction():
        first = wh.append_price_bars(bars(("AAA", "2025-01-02", 10.0), ("AAA", "2025-01-03", 11.0)), run)
        wh.catch_up()
    with wh.transaction():
        again = wh.append_price_bars(bars(("AAA", "2025-01-02", 10.0), ("AAA", "2025-01-03", 11.5)), run)
        wh.catch_up()
    assert (first.added, first.revised) == (2, 0)
    assert (again.added, again.unchanged, again.revised) == (1, 1, 1)
    latest = wh.query("SELECT date, close, revision FROM prices ORDER BY date").rows()
    assert latest == [(dt.date(2025, 1, 2), 10.0, 1), (dt.date(2025, 1, 3), 11.5, 2)]
    # the original observation is still in the log
    history = wh.query("SELECT close FROM price_bar_facts WHERE date = '2025-01-03' ORDER BY seq")["close"].to_list()
    assert history == [11.0, 11.5]


def test_all_new_bars_next_to_stored_ones_are_projected_like_a_rebuild(wh):
    run = wh.start_run("test", {})
    with wh.transaction():
        wh.append_price_bars(bars(("AAA", "2025-01-02", 10.0), ("AAA", "2025-01-03", 11.0)), run)
        wh.catch_up()
    with wh.transaction():  # none of these is stored yet: every bar is new, at revision 1
        result = wh.append_price_bars(bars(("BBB", "2025-01-03", 5.0, 1), ("BBB", "2025-01-02", 4.0, 1), ("AAA", "2025-01-06", 12.0)), run)
        wh.catch_up()
    assert (result.added, result.unchanged, result.revised, result.first_seq, result.last_seq) == (3, 0, 0, 4, 6)
    facts = wh.query("SELECT seq, ticker, date, revision FROM price_bar_facts WHERE seq > 3 ORDER BY seq").rows()
    assert facts == [(4, "AAA", dt.date(2025, 1, 6), 1), (5, "BBB", dt.date(2025, 1, 2), 1), (6, "BBB", dt.date(2025, 1, 3), 1)]
    projected = wh.query("SELECT * FROM prices ORDER BY ticker, date").rows()
    wh.rebuild()
    assert wh.query("SELECT * FROM prices ORDER BY ticker, date").rows() == projected


def test_same_bar_in_two_files_of_one_batch(wh):
    run = wh.start_run("test", {})
    with wh.transaction():
        result = wh.append_price_bars(
            bars(("AAA", "2025-01-02", 10.0, 0), ("AAA", "2025-01-02", 10.0, 1), ("AAA", "2025-01-02", 12.0, 2)), run
        )
        wh.catch_up()
    assert (result.added, result.unchanged, result.revised) == (2, 1, 1)
    assert wh.query("SELECT close, revision FROM prices").rows() == [(12.0, 2)]


def test_nulls_compare_equal(wh):
    run = wh.start_run("test", {})
    for _ in range(2):
        with wh.transaction():
            wh.append_price_bars(bars(("AAA", "2025-01-02", 10.0)), run)
            wh.catch_up()
    assert wh.query("SELECT count(*) AS n FROM price_bar_facts").item() == 1


def test_facts_view_renders_price_bars_as_json(wh):
    run = wh.start_run("test", {})
    with wh.transaction():
        wh.append_price_bars(bars(("AAA", "2025-01-02", 10.0)), run)
        wh.catch_up()
    key, content = wh.query("SELECT key, content FROM facts WHERE kind = 'PriceBarObserved'").row(0)
    assert key == "price/AAA/2025-01-02#1"
    assert '"close":10.0' in content.replace(" ", "")


def test_a_failed_transaction_leaves_nothing(wh):
    run = wh.start_run("test", {})
    head = wh.head()
    with pytest.raises(RuntimeError):
        with wh.transaction():
            wh.append_facts([Noted("a", 1)], run)
            raise RuntimeError("boom")
    assert wh.head() == head


def test_in_key_order_compares_each_row_with_the_one_before():
    from warehouse.price_facts import in_key_order

    def frame(*rows):
        return pl.DataFrame(rows, schema={"b": pl.Int64, "t": pl.String, "d": pl.Date}, orient="row")

    keys = ("b", "t", "d")
    day = dt.date(2025, 1, 2)
    later = dt.date(2025, 1, 3)
    assert in_key_order(frame((0, "A", day), (0, "A", later), (0, "B", day), (1, "A", day)), keys, strict=True)
    assert in_key_order(frame((0, "A", day), (0, "A", day)), keys)  # ties are in order...
    assert not in_key_order(frame((0, "A", day), (0, "A", day)), keys, strict=True)  # ...but not strictly
    assert not in_key_order(frame((0, "B", day), (0, "A", later)), keys)
    assert not in_key_order(frame((1, "A", day), (0, "B", later)), keys)
    assert not in_key_order(frame((0, "A", later), (0, "A", day)), keys)
    assert not in_key_order(frame((0, None, day), (1, "B", day)), keys)  # a NULL key is never "in order"
    assert in_key_order(frame(), keys) and in_key_order(frame((0, "A", day)), keys)


def test_bars_are_compared_with_the_log_itself_not_with_a_projection(wh):
    """Idempotency must not depend on the ``prices`` projection being current: here it is not
    caught up between two appends of the same bars (the second file of the first batch repeats one)."""
    run = wh.start_run("test", {})
    with wh.transaction():
        first = wh.append_price_bars(bars(("AAA", "2025-01-02", 10.0, 0), ("AAA", "2025-01-02", 10.0, 1),
                                          ("AAA", "2025-01-03", 11.0, 1)), run)
        again = wh.append_price_bars(bars(("AAA", "2025-01-03", 11.0), ("AAA", "2025-01-02", 10.0)), run)
        changed = wh.append_price_bars(bars(("AAA", "2025-01-03", 11.5)), run)
        wh.catch_up()
    assert (first.added, first.unchanged) == (2, 1)
    assert (again.added, again.unchanged) == (0, 2)
    assert (changed.added, changed.revised) == (1, 1)
    assert wh.query("SELECT close, revision FROM prices WHERE date = '2025-01-03'").row(0) == (11.5, 2)
