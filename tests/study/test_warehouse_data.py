"""The warehouse as the engine's data: the same numbers as frames in memory, and ``as_of`` reproduces."""

from __future__ import annotations

import shutil

import pytest

from tracker.analysis import EventStudy, FirmEvent, InMemoryData
from tracker.storage import open_reader
from tracker.study import WarehouseData

WINDOWS = [(-1, 1), (0, 5)]


@pytest.fixture(scope="module")
def built(tmp_path_factory, synth):
    market = synth.simulate(6, n_days=320, seed=31, with_factors=True)
    market.returns["F05"][302] = float("nan")  # F05 is skipped in (0, 5) only
    settings = market.build(tmp_path_factory.mktemp("warehouse-data"))
    firm_events = [FirmEvent(f"F{i:02d}", "ev", market.dates[300], market.dates[300]) for i in range(6)]
    firm_events.append(FirmEvent("F01", "other", market.dates[250], market.dates[250]))
    return market, settings, firm_events


def _study(data, firm_events, **options):
    return EventStudy(data, firm_events, market="MKT").fit(window=WINDOWS, min_obs=200, **options)


@pytest.mark.parametrize("model", ["market", "ff3", "market-adjusted"])
def test_warehouse_data_and_the_same_returns_in_memory_give_the_same_bits(built, model):
    _, settings, firm_events = built
    with open_reader(settings) as warehouse:
        data = WarehouseData.at(warehouse)
        from_warehouse = _study(data, firm_events, model=model)
        returns = warehouse.query("SELECT ticker, date, ret FROM returns WHERE ret IS NOT NULL")
        factors = warehouse.query("SELECT date, mkt_rf, smb, hml, rf, mom FROM factors")
        sessions = warehouse.query("SELECT date FROM sessions ORDER BY session")["date"].to_list()
    in_memory = InMemoryData.from_frames(returns, factors, sessions=sessions, log_position=data.log_position)
    assert _study(in_memory, firm_events, model=model).to_json() == from_warehouse.to_json()
    assert from_warehouse.by_window[1].n == 6 and from_warehouse.by_window[0].n == 7


def test_as_of_reproduces_earlier_numbers_after_a_correction(built, tmp_path, synth):
    market, settings, firm_events = built
    from tracker.config import Settings
    from tracker.ingest.files import import_prices

    copy = Settings(db=tmp_path / "copy.duckdb", lock_timeout=5.0)
    shutil.copy(settings.db, copy.db)

    def study(as_of=None):
        with open_reader(copy) as warehouse:
            return _study(WarehouseData.at(warehouse, as_of), firm_events)

    before = study()
    corrected = synth.Market(market.dates, {"F00": market.returns["F00"] + 0.001})
    import_prices(copy, corrected.write_prices(tmp_path / "corrections"))
    after = study()
    assert after.log_position > before.log_position
    assert after.to_json() != before.to_json()
    assert study(as_of=before.log_position).to_json() == before.to_json()


def test_in_memory_data_reads_what_it_was_given(synth):
    market = synth.simulate(2, n_days=30, seed=5, with_factors=True)
    market.returns["F01"][10] = float("nan")  # no bar on day 10: no return on days 10 and 11
    data = market.data()
    returns = data.return_matrix(["F01", "NOPE", "MKT"], 9, 12)
    assert returns.shape == (3, 4)
    assert returns[0, 0] == market.returns["F01"][9] and all(v != v for v in returns[0, 1:3])  # NaN
    assert all(v != v for v in returns[1])
    assert data.factor_matrix(["smb"], 3, 3)[0, 0] == market.factors["smb"][3]
    first, last = data.ticker_ranges(["F01"])["F01"]
    assert (first, last) == (market.dates[0], market.dates[-1])
    assert data.ticker_ranges(["NOPE"]) == {"NOPE": None}
    assert data.log_position is None
