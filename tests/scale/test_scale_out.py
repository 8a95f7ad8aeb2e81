"""Beyond one process: the Parquet export reads back the warehouse's numbers to the bit, a study on
a local Dask cluster of 2 worker processes equals the in-process study bit for bit, and ``--out``
writes the firm-events to Parquet with the aggregates beside them."""

from __future__ import annotations

import csv
import json

import numpy as np
import polars as pl
import pytest

from tracker.analysis import EventStudy, FirmEvent
from tracker.scale.export import export_parquet
from tracker.scale.parquet_data import ParquetData
from tracker.storage import open_reader
from tracker.study import WarehouseData
from tracker.study.request import StudyRequest, run_study


@pytest.fixture(scope="module")
def built(tmp_path_factory, synth):
    """A warehouse of 12 firms with gaps and factors, its export, and an events file of 30 firm-events."""
    folder = tmp_path_factory.mktemp("scale")
    market = synth.simulate(12, n_days=330, seed=17, common=0.4, with_factors=True)
    market.returns["F02"][150:200] = np.nan
    market.returns["F05"][300] = np.nan
    settings = market.build(folder)
    rng = np.random.default_rng(3)
    events = folder / "events.csv"
    with events.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ticker", "event_date"])
        for day in (280, 281, 290, 295, 300, 305, 310, 318):
            for ticker in rng.choice(12, 4, replace=False):
                writer.writerow([f"F{ticker:02d}", market.dates[day].isoformat()])
    with open_reader(settings) as warehouse:
        export_parquet(warehouse, folder / "export", warehouse.position(), tickers_at_a_time=5)
    return settings, events, folder / "export"


def test_the_export_reads_back_the_warehouse_matrices_to_the_bit(built):
    settings, _, export = built
    data = ParquetData(export)
    with open_reader(settings) as warehouse:
        source = WarehouseData.at(warehouse)
        assert data.log_position == source.log_position
        assert np.array_equal(data.session_dates(), source.session_dates())
        tickers = ["F00", "F02", "MKT", "NOPE", "F11"]
        for first, last in ((0, 329), (1, 40), (250, 260), (120, 319)):
            assert np.array_equal(data.return_matrix(tickers, first, last), source.return_matrix(tickers, first, last), equal_nan=True)
            names = ["mkt_rf", "smb", "hml", "rf", "mom"]
            assert np.array_equal(data.factor_matrix(names, first, last), source.factor_matrix(names, first, last), equal_nan=True)
        assert data.ticker_ranges(tickers) == source.ticker_ranges(tickers)
        assert data.factor_ranges() == source.factor_ranges()


def test_a_study_of_the_export_equals_the_study_of_the_warehouse(built):
    settings, _, export = built
    with open_reader(settings) as warehouse:
        days = warehouse.session_dates().astype(object)
        events = [FirmEvent(f"F{i:02d}", "e", days[280 + i], days[280 + i]) for i in range(12)]
        whole = EventStudy(WarehouseData.at(warehouse), events, market="MKT").fit(model="ff3", window=[(-1, 1), (0, 5)], min_obs=150)
    assert EventStudy(ParquetData(export), events, market="MKT").fit(
        model="ff3", window=[(-1, 1), (0, 5)], min_obs=150, chunk_size=3).to_json() == whole.to_json()


@pytest.mark.slow
def test_a_local_dask_cluster_of_two_workers_gives_the_in_process_bits(built):
    from distributed import Client, LocalCluster

    from tracker.scale.dask_runner import DaskRunner

    settings, events, export = built
    request = StudyRequest(events_file=events, market="MKT", model="market", estimation=(-250, -11),
                           windows=((-1, 1), (0, 3)), min_obs=150)
    in_process = run_study(settings, request).to_json()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        runners = []

        def on_cluster(data):
            runners.append(DaskRunner(Client(cluster), export))
            return runners[-1]

        chunked = run_study(settings, request, runner=on_cluster, chunk_size=5).to_json()
        assert runners[0].workers == 2
    assert chunked == in_process
    assert json.loads(chunked)["aggregate"]["tests"]["grank_t"]["stat"] is not None


def test_out_writes_firm_events_and_ars_to_parquet_and_the_aggregates_to_json(built, cli, tmp_path):
    settings, events, _ = built
    out = tmp_path / "r.parquet"
    args = ("study", "--events-file", events, "--market", "MKT", "--window", "-1,1", "--window", "0,3", "--min-obs", "150",
            "--db", settings.db)
    done = cli(*args, "--out", out, "--chunk-size", "4")
    assert done.exit_code == 0, done.output
    whole = json.loads(cli(*args, "--format", "json").stdout)
    firms = pl.read_parquet(out)
    aggregates = json.loads((tmp_path / "r.json").read_text())
    assert aggregates["firms"] is None and aggregates["firms_file"] == "r.parquet"
    assert aggregates["by_window"][1]["aggregate"] == whole["by_window"][1]["aggregate"]
    assert firms.height == sum(len(b["firms"]) for b in whole["by_window"])
    first = firms.filter(pl.col("window_start") == -1).sort("day0", "ticker")
    expected = sorted(whole["firms"], key=lambda f: (f["day0"], f["ticker"]))
    assert first["car"].to_list() == [f["car"] for f in expected]
    assert first["scar"].to_list() == [f["scar"] for f in expected]
    library = run_study(settings, StudyRequest(events_file=events, market="MKT", windows=((-1, 1), (0, 3)), min_obs=150))
    ars = pl.read_parquet(tmp_path / "r.ar.parquet")
    assert ars.sort("day0", "ticker", "offset").equals(library.ar.sort("day0", "ticker", "offset"))
    assert firms.sort("window_start", "day0", "ticker").equals(library.firm_rows.sort("window_start", "day0", "ticker"))
    assert "warehouse" in cli(*args, "--out", settings.db).output  # never over the warehouse
    (tmp_path / "folder.parquet").mkdir()
    assert "is a folder" in cli(*args, "--out", tmp_path / "folder.parquet").output
    assert "must be named .parquet" in cli(*args, "--out", tmp_path / "r.txt").output  # (.csv writes CSV files)


def test_export_cli_refuses_a_non_empty_folder_and_records_the_position(built, cli, tmp_path):
    settings, _, _ = built
    target = tmp_path / "exp"
    done = cli("export", "parquet", target, "--db", settings.db)
    assert done.exit_code == 0, done.output
    manifest = json.loads((target / "manifest.json").read_text())
    with open_reader(settings) as warehouse:
        assert manifest["log_position"] == warehouse.position()
    again = cli("export", "parquet", target, "--db", settings.db)
    assert again.exit_code == 1 and "not an empty folder" in again.output
