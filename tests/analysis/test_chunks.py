"""A study computed in chunks gives the same bits as the whole panel at once, for any chunk size.

The per-firm numbers depend on each firm-event alone; the sums across firm-events are made in a
canonical order (within each day-0 group, then over the groups by day 0) that does not depend on
where the chunks end (``tracker/analysis/chunks.py``). Checked on the JSON of a panel with shared
and separate day 0s, skipped firm-events, gaps, an exclusion and a long window, given in an order
that is not the day-0 order, for chunk sizes that split groups, 1, 7 and N.
"""

from __future__ import annotations

import numpy as np
import pytest

from tracker.analysis import EventStudy, Exclusion, FirmEvent
from tracker.analysis.chunks import group_sums, plan_chunks, total
from tracker.analysis.runner import InProcess

WINDOWS = [(-1, 1), (0, 0), (-5, 5)]  # (-5, 5): 11 days, ranked by one sort (past RANK_BY_SORTING)


@pytest.fixture(scope="module")
def panel(synth):
    """40 firms over 330 sessions; 57 firm-events in groups of 1 to 9 sharing day 0, some skipped."""
    market = synth.simulate(40, n_days=330, seed=21, common=0.5, with_factors=True)
    market.returns["F03"][100:140] = np.nan  # fewer estimation days
    market.returns["F05"][150:320] = np.nan  # too few: skipped at estimation
    market.returns["F07"][301] = np.nan  # a missing window day: skipped in some windows
    market.factors["hml"][200] = np.nan
    days = market.dates
    market.events = [("earn", "earnings", days[260]), ("rule", "policy", days[275])]
    groups = {280: 9, 281: 1, 283: 5, 290: 2, 295: 1, 300: 8, 301: 1, 302: 3, 310: 7, 311: 1, 315: 4, 320: 6, 322: 9}
    rng = np.random.default_rng(4)
    events = []
    for day, size in groups.items():
        for ticker in rng.choice(40, size, replace=False):
            events.append(FirmEvent(f"F{ticker:02d}", f"e{day}", days[day], days[day]))
    order = rng.permutation(len(events))  # not in day-0 order: results keep the given order
    return market, [events[i] for i in order]


def _study(market, events, model, chunk_size=None, runner=None):
    exclusion = Exclusion.around(market.event_rows(), ("earnings",), 1)
    data = market.data()
    return EventStudy(data, events, market="MKT").fit(
        model=model, estimation=(-250, -11), window=WINDOWS, min_obs=150, exclusion=exclusion,
        chunk_size=chunk_size, runner=runner(data) if runner else None,
    )


@pytest.mark.parametrize("model", ["market", "ff3", "market-adjusted"])
def test_every_chunk_size_gives_the_bits_of_the_whole_panel(panel, model):
    market, events = panel
    whole = _study(market, events, model)
    assert len(plan_chunks(np.array([0]), 1)) == 1
    document = whole.to_json()
    assert whole.by_window[0].n > 40 and whole.by_window[0].skipped  # a real panel with skips
    assert whole.tests["grank_t"].stat is not None and whole.tests["cda_t"].stat is not None
    # the calendar-time portfolio adds up holdings of groups from several chunks on one session
    assert all(w.tests["calendar_time_t"].stat is not None for w in whole.by_window)
    assert whole.tests["calendar_time_t"].details["mean_holdings"] > 1
    for size in (1, 2, 7, 10, 23, len(events)):
        assert _study(market, events, model, chunk_size=size).to_json() == document, size


def test_rank_states_written_to_disk_give_the_same_bits(panel):
    market, events = panel
    whole = _study(market, events, "market").to_json()
    runners = []

    def spilling(data):
        runners.append(InProcess(data, keep_bytes=0))
        return runners[-1]

    assert _study(market, events, "market", chunk_size=5, runner=spilling).to_json() == whole
    assert runners[0]._folder is None  # removed when the study was done


def test_one_shared_day0_is_one_chunk_and_keeps_its_portfolio(synth):
    market = synth.simulate(12, n_days=300, seed=9, common=0.7)
    day0 = market.dates[280]
    events = [FirmEvent(f"F{i:02d}", "shock", day0, day0) for i in range(12)]
    assert [c.size for c in plan_chunks(np.full(12, 280), 1)] == [12]
    data = market.data()
    result = EventStudy(data, events, market="MKT").fit(window=(-1, 1), min_obs=200, chunk_size=1)
    assert result.tests["portfolio_t"].stat is not None
    assert result.to_json() == EventStudy(data, events, market="MKT").fit(window=(-1, 1), min_obs=200).to_json()


def test_chunks_end_between_day0_groups():
    day0 = np.array([5, 3, 3, 9, 5, 5, 1, 9, 9, 9])
    chunks = plan_chunks(day0, 3)
    assert [day0[c].tolist() for c in chunks] == [[1, 3, 3], [5, 5, 5], [9, 9, 9, 9]]
    assert [c.tolist() for c in chunks][1] == [0, 4, 5]  # ties keep the given order
    assert [day0[c].tolist() for c in plan_chunks(day0, 1)] == [[1], [3, 3], [5, 5, 5], [9, 9, 9, 9]]
    assert [day0[c].tolist() for c in plan_chunks(day0, 100)] == [sorted(day0.tolist())]
    assert plan_chunks(np.empty(0, dtype=np.int64), 5) == []
    with pytest.raises(ValueError):
        plan_chunks(day0, 0)


def _added_in_order(rows: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """The canonical order spelt out: ``((0 + w1 x1) + w2 x2) + ...``, one row at a time."""
    acc = np.zeros(rows.shape[1])
    for i, row in enumerate(rows):
        acc = acc + (row if weights is None else weights[i] * row)
    return acc


def test_a_group_sum_adds_its_rows_in_order_wherever_it_sits():
    """What the canonical order rests on: a group's sum is its rows added one after another from
    zero, whatever rows surround it and wherever it sits in the array."""
    rng = np.random.default_rng(0)
    for trial in range(200):
        n, width = int(rng.integers(1, 200)), int(rng.integers(1, 260))
        rows = rng.normal(size=(n, width)) * 10.0 ** rng.integers(-8, 8, size=(n, width))
        rows[:, 0] = -0.0  # a column of negative zeros sums to +0 from zero
        weights = rng.uniform(0.1, 10.0, n) if trial % 2 else None
        expected = _added_in_order(rows, weights)
        before = rng.normal(size=(int(rng.integers(0, 40)), width))
        after = rng.normal(size=(int(rng.integers(0, 40)), width))
        stacked = np.concatenate([before, rows, after])
        starts = np.array(sorted({0, len(before), len(before) + n} - {len(stacked)}))
        stacked_weights = None if weights is None else np.concatenate([np.ones(len(before)), weights, np.ones(len(after))])
        found = group_sums(stacked, starts, stacked_weights)[list(starts).index(len(before))]
        assert np.array_equal(found, expected), trial
        assert np.array_equal(np.signbit(found), np.signbit(expected)), trial  # even the sign of a zero


def test_numpy_adds_the_rows_of_a_c_ordered_array_one_after_another():
    """:func:`total` relies on it."""
    rng = np.random.default_rng(2)
    for n, width in ((1, 3), (2, 5), (7, 240), (100, 240), (1000, 3), (3000, 241)):
        rows = rng.normal(size=(n, width)) * 10.0 ** rng.integers(-8, 8, size=(n, width))
        assert np.array_equal(total([rows[: n // 2], rows[n // 2:]], width), _added_in_order(rows))


def test_totals_over_groups_do_not_depend_on_how_the_groups_were_split():
    rng = np.random.default_rng(1)
    groups = rng.normal(size=(50, 30))
    whole = total([groups], 30)
    for cut in ([10, 20], [1, 2, 3, 49], [25]):
        assert np.array_equal(total(np.split(groups, cut), 30), whole)
    assert np.array_equal(total([], 4), np.zeros(4))
