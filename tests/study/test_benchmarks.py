"""A market benchmark per ticker (``--benchmark NVDA=SMH``, an events file's ``market`` column,
``FirmEvent(market=...)``): numbers checked against an independent OLS on the shipped sample's
real prices, mixed benchmarks against single-market studies, the portfolio t, the CLI, bad input.

On 2025-01-27 SPY itself fell with the chip makers: against SMH (a semiconductor ETF) NVDA's
abnormal return is what is left after its own industry's move.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import numpy as np
import polars as pl
import pytest

from conftest import SAMPLE_PRICES
from tracker.study import StudyRequest, run_study

EVENT = "2025-01-27-deepseek-selloff"
DAY0 = dt.date(2025, 1, 27)
ESTIMATION = (-250, -11)
WINDOWS = ((0, 0), (-1, 1))


@pytest.fixture(scope="module")
def sample(_sample_warehouse_file, tmp_path_factory):
    """Settings of a private copy of the sample warehouse (studies only read it)."""
    import shutil

    from tracker.config import Settings

    path = tmp_path_factory.mktemp("benchmarks") / "sample.duckdb"
    shutil.copy(_sample_warehouse_file, path)
    return Settings(db=path, lock_timeout=5.0)


@pytest.fixture(scope="module")
def closes() -> dict[str, pl.DataFrame]:
    """The shipped sample read with polars alone: per ticker its dates and simple returns (close / previous close - 1)."""
    frame = pl.read_csv(SAMPLE_PRICES, try_parse_dates=True).sort("ticker", "date")
    frame = frame.with_columns((pl.col("close") / pl.col("close").shift(1).over("ticker") - 1).alias("ret"))
    return {t: frame.filter(pl.col("ticker") == t).select("date", "ret") for t in ("NVDA", "AVGO", "AAPL", "SMH", "SPY")}


def _aligned(closes, ticker: str, benchmark: str, offsets: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, list[dt.date]]:
    """Returns of ``ticker`` and ``benchmark`` on the sessions ``offsets`` from DAY0 (the sample holds every session)."""
    firm, market = closes[ticker], closes[benchmark]
    assert firm["date"].to_list() == market["date"].to_list()
    dates = firm["date"].to_list()
    at = dates.index(DAY0)
    picked = slice(at + offsets[0], at + offsets[1] + 1)
    return firm["ret"].to_numpy()[picked], market["ret"].to_numpy()[picked], dates[picked]


def _study(settings, **options):
    options.setdefault("event_id", EVENT)
    options.setdefault("windows", WINDOWS)
    return run_study(settings, StudyRequest(**options))


def _firm(result, ticker: str) -> int:
    return next(i for i, fe in enumerate(result.firm_events) if fe.ticker == ticker)


def test_market_model_against_its_own_benchmark_is_an_ols_on_that_benchmark(sample, closes):
    import statsmodels.api as sm

    result = _study(sample, tickers=("NVDA", "AAPL"), benchmarks=(("NVDA", "SMH"),))
    i = _firm(result, "NVDA")
    y, x, _ = _aligned(closes, "NVDA", "SMH", ESTIMATION)
    ols = sm.OLS(y, sm.add_constant(x)).fit()
    assert result.params[i] == pytest.approx(ols.params, rel=1e-9)
    assert result.sigma[i] == pytest.approx(np.sqrt(ols.scale), rel=1e-9)
    xtx_inv = np.linalg.inv(ols.model.exog.T @ ols.model.exog)
    for k, window in enumerate(WINDOWS):
        r, m, dates = _aligned(closes, "NVDA", "SMH", window)
        ar = r - (ols.params[0] + ols.params[1] * m)
        w = result.by_window[k]
        j = int(np.flatnonzero(w.rows == i)[0])
        assert list(w.dates[j].astype(object)) == dates
        assert w.benchmark[j] == pytest.approx(m, rel=1e-12)  # shown as market_ret: SMH's returns
        assert w.ar[j] == pytest.approx(ar, rel=1e-9, abs=1e-12)
        assert w.car[j] == pytest.approx(ar.sum(), rel=1e-9)
        s = np.array([len(r), m.sum()])  # the window's summed regressors
        car_var = ols.scale * (len(r) + s @ xtx_inv @ s)
        assert w.car_t_clm[j] == pytest.approx(ar.sum() / np.sqrt(car_var), rel=1e-8)
    # AAPL keeps the study's market, SPY
    a = _firm(result, "AAPL")
    y, x, _ = _aligned(closes, "AAPL", "SPY", ESTIMATION)
    assert result.params[a] == pytest.approx(sm.OLS(y, sm.add_constant(x)).fit().params, rel=1e-9)
    # the selloff was an industry move: against SMH, NVDA's day-0 AR is a fraction of its AR against SPY
    against_spy = _study(sample, tickers=("NVDA",))
    assert abs(result.by_window[0].car[i]) < 0.5 * abs(against_spy.by_window[0].car[0])


def test_market_adjusted_against_its_own_benchmark(sample, closes):
    result = _study(sample, tickers=("NVDA", "AAPL"), model="market-adjusted", benchmarks=(("NVDA", "SMH"),))
    i = _firm(result, "NVDA")
    y, x, _ = _aligned(closes, "NVDA", "SMH", ESTIMATION)
    assert result.sigma[i] == pytest.approx(np.std(y - x, ddof=1), rel=1e-9)
    for k, window in enumerate(WINDOWS):
        r, m, _ = _aligned(closes, "NVDA", "SMH", window)
        w = result.by_window[k]
        j = int(np.flatnonzero(w.rows == i)[0])
        assert w.ar[j] == pytest.approx(r - m, rel=1e-9, abs=1e-12)
        assert w.car[j] == pytest.approx((r - m).sum(), rel=1e-9)
        assert w.bhar[j] == pytest.approx(np.prod(1 + r) - np.prod(1 + m), rel=1e-9)


@pytest.mark.parametrize("model", ["market", "market-adjusted"])
def test_mixed_benchmarks_equal_each_benchmark_studied_alone(sample, model):
    mixed = _study(sample, tickers=("NVDA", "AVGO", "AAPL"), model=model, benchmarks=(("NVDA", "SMH"), ("AVGO", "SMH")))
    chips = _study(sample, tickers=("NVDA", "AVGO"), model=model, market="SMH")
    rest = _study(sample, tickers=("AAPL",), model=model, market="SPY")
    for alone in (chips, rest):
        for a, fe in enumerate(alone.firm_events):
            i = _firm(mixed, fe.ticker)
            assert mixed.params[i].tolist() == alone.params[a].tolist()
            assert mixed.sigma[i] == alone.sigma[a]
            for w_mixed, w_alone in zip(mixed.by_window, alone.by_window):
                j, k = int(np.flatnonzero(w_mixed.rows == i)[0]), int(np.flatnonzero(w_alone.rows == a)[0])
                for name in ("car", "car_t_clm", "bhar", "car_p"):
                    assert getattr(w_mixed, name)[j] == getattr(w_alone, name)[k], name
                assert w_mixed.benchmark[j].tolist() == w_alone.benchmark[k].tolist()
    # the result says which benchmark each firm-event used
    assert {fe.ticker: fe.market for fe in mixed.firm_events} == {"AAPL": None, "AVGO": "SMH", "NVDA": "SMH"}
    firms = mixed.firm_rows.filter(pl.col("window_start") == 0)
    assert dict(zip(firms["ticker"], firms["market"])) == {"AAPL": "SPY", "AVGO": "SMH", "NVDA": "SMH"}
    ar = mixed.ar.filter((pl.col("ticker") == "NVDA") & (pl.col("offset") == 0))
    assert ar["market"].to_list() == ["SMH"]


def test_the_same_numbers_in_any_chunking_with_mixed_benchmarks(sample, tmp_path):
    """Several day 0s, chunk by chunk (the read-ahead must hold every benchmark): the same bits."""
    rows = ["ticker,event_date,event_id,market"]
    for day in ("2024-08-05", "2024-10-15", "2025-01-27", "2025-04-03"):
        rows += [f"NVDA,{day},e{day},SMH", f"AVGO,{day},e{day},", f"AAPL,{day},e{day},QQQ", f"MSFT,{day},e{day},SPY"]
    path = tmp_path / "mixed.csv"
    path.write_text("\n".join(rows) + "\n")
    from tracker.analysis import EventStudy
    from tracker.storage import open_reader
    from tracker.study.data import WarehouseData
    from tracker.study.request import firm_events_from_file

    with open_reader(sample) as warehouse:
        _, firm_events = firm_events_from_file(warehouse, path)
        data = WarehouseData(warehouse, warehouse.position(None))
        whole = EventStudy(data, firm_events, market="SPY").fit(window=WINDOWS)
        chunked = EventStudy(data, firm_events, market="SPY").fit(window=WINDOWS, chunk_size=1)
    assert whole.to_json() == chunked.to_json()
    assert whole.firm_rows.equals(chunked.firm_rows)
    document = json.loads(whole.to_json())
    said = {(f["ticker"], f["event_id"]): f.get("benchmark") for f in document["firms"]}
    # MSFT's SPY is the study's market: nothing of its own to say
    assert said[("NVDA", "e2025-01-27")] == "SMH" and said[("AAPL", "e2024-08-05")] == "QQQ"
    assert said[("AVGO", "e2025-01-27")] is None and said[("MSFT", "e2025-01-27")] is None
    assert "benchmarks" not in document  # no ticker=benchmark option was given; the firms say it


def test_the_portfolio_t_needs_one_benchmark_under_the_market_model(sample):
    mixed = _study(sample, tickers=("NVDA", "AVGO", "AAPL"), benchmarks=(("NVDA", "SMH"), ("AVGO", "SMH")))
    test = mixed.tests["portfolio_t"]
    assert test.stat is None and "different market benchmarks" in test.reason
    # every firm on SMH, by --benchmark: defined, and the study with SMH as the market
    shared = _study(sample, tickers=("NVDA", "AVGO", "AAPL"), benchmarks=(("NVDA", "SMH"), ("AVGO", "SMH"), ("AAPL", "SMH")))
    on_smh = _study(sample, tickers=("NVDA", "AVGO", "AAPL"), market="SMH")
    for w_shared, w_smh in zip(shared.by_window, on_smh.by_window):
        assert w_shared.tests["portfolio_t"].stat is not None
        assert w_shared.tests["portfolio_t"].to_dict() == w_smh.tests["portfolio_t"].to_dict()
    # market-adjusted ARs net each firm's own benchmark: their portfolio needs no common market
    adjusted = _study(sample, tickers=("NVDA", "AVGO", "AAPL"), model="market-adjusted", benchmarks=(("NVDA", "SMH"),))
    portfolio = adjusted.tests["portfolio_t"]
    assert portfolio.stat is not None and np.isfinite(portfolio.stat)


def test_cli_benchmark_option_and_events_file_market_column(cli, sample_settings, tmp_path):
    db = sample_settings.db
    result = cli("study", EVENT, "--tickers", "NVDA,AVGO,AAPL", "--window", "0,0", "--benchmark", "NVDA=smh",
                 "--benchmark", "AVGO=SMH", "--format", "json", "--db", db)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["market"] == "SPY" and document["benchmarks"] == {"AVGO": "SMH", "NVDA": "SMH"}
    firms = {f["ticker"]: f for f in document["firms"]}
    assert firms["NVDA"]["benchmark"] == "SMH" and "benchmark" not in firms["AAPL"]
    assert list(firms["NVDA"])[:7] == ["ticker", "event_id", "event_name", "event_date", "day0", "benchmark", "alpha"]
    assert document["aggregate"]["tests"]["portfolio_t"]["stat"] is None

    # the same firm-events from a file with a market column: the same numbers
    events = tmp_path / "events.csv"
    events.write_text("ticker,event_date,event_id,market\nNVDA,2025-01-27,sell,SMH\nAVGO,2025-01-27,sell,smh\nAAPL,2025-01-27,sell,\n")
    from_file = cli("study", "--events-file", events, "--window", "0,0", "--format", "json", "--db", db)
    assert from_file.exit_code == 0, from_file.output
    filed = {f["ticker"]: f for f in json.loads(from_file.output)["firms"]}
    for ticker in ("NVDA", "AVGO", "AAPL"):
        assert filed[ticker]["car"] == firms[ticker]["car"] and filed[ticker].get("benchmark") == firms[ticker].get("benchmark")

    table = cli("study", EVENT, "--tickers", "NVDA,AVGO,AAPL", "--window", "0,0", "--benchmark", "NVDA=SMH",
                "--benchmark", "AVGO=SMH", "--db", db)
    assert "market model vs SPY; AVGO, NVDA vs SMH" in table.output
    rows = list(csv.DictReader(io.StringIO(cli("study", EVENT, "--tickers", "NVDA,AAPL", "--window", "0,0", "--benchmark",
                                               "NVDA=SMH", "--format", "csv", "--db", db).output)))
    assert {r["ticker"]: r["market"] for r in rows} == {"NVDA": "SMH", "AAPL": "SPY"}

    out = tmp_path / "r.md"
    report = cli("report", EVENT, "--tickers", "NVDA,AAPL", "--window", "0,0", "--benchmark", "NVDA=SMH", "--out", out, "--db", db)
    assert report.exit_code == 0, report.output
    text = out.read_text()
    assert "vs SPY; NVDA vs SMH" in text and "--benchmark NVDA=SMH" in text  # the setup and the command that reproduces it


def test_studies_without_benchmarks_of_their_own_keep_their_shape(sample_settings, cli, tmp_path):
    """A market column that only repeats the study's market changes nothing."""
    plain = cli("study", EVENT, "--tickers", "NVDA,AAPL", "--window", "0,0", "--format", "json", "--db", sample_settings.db)
    events = tmp_path / "events.csv"
    events.write_text("ticker,event_date,event_id,market\nNVDA,2025-01-27,2025-01-27-deepseek-selloff,SPY\n"
                      "AAPL,2025-01-27,2025-01-27-deepseek-selloff,\n")
    same = cli("study", "--events-file", events, "--window", "0,0", "--format", "json", "--db", sample_settings.db)
    a, b = json.loads(plain.output), json.loads(same.output)
    assert "benchmarks" not in a and all("benchmark" not in f for f in a["firms"] + b["firms"])
    assert [f["car"] for f in a["firms"]] == [f["car"] for f in b["firms"]]
    rows = list(csv.DictReader(io.StringIO(cli("study", EVENT, "--tickers", "NVDA,AAPL", "--window", "0,0", "--format", "csv",
                                               "--db", sample_settings.db).output)))
    assert "market" not in rows[0]


@pytest.mark.parametrize(("args", "message"), [
    (["--benchmark", "NVDA=SMHH"], "no prices for the market benchmark SMHH (did you mean SMH?)"),
    (["--benchmark", "NVDA"], "--benchmark NVDA: must be TICKER=BENCHMARK (e.g. --benchmark NVDA=SMH)"),
    (["--benchmark", "NVDA="], "must be TICKER=BENCHMARK"),
    (["--benchmark", "NVDA=NVDA"], "--benchmark NVDA=NVDA: a ticker cannot be its own benchmark"),
    (["--benchmark", "NVDA=SMH", "--benchmark", "NVDA=QQQ"], "NVDA already has the benchmark SMH"),
    (["--benchmark", "MU=SMH"], "MU is not among the studied tickers"),
    (["--benchmark", "NVDA=SMH", "--model", "mean-adjusted"], "the mean-adjusted model uses no market benchmark"),
])
def test_bad_benchmarks_are_refused_with_what_to_do(cli, sample_settings, args, message):
    result = cli("study", EVENT, "--tickers", "NVDA,AAPL", "--window", "0,0", *args, "--db", sample_settings.db)
    assert result.exit_code == 1, result.output
    assert message in result.output


def test_events_file_benchmark_conflicts_and_firms_that_are_their_own_benchmark(cli, sample_settings, tmp_path):
    db = sample_settings.db
    events = tmp_path / "events.csv"
    events.write_text("ticker,event_date,market\nNVDA,2025-01-27,SMH\nSMH,2025-01-27,SMH\nAAPL,2025-01-27,\n")
    conflict = cli("study", "--events-file", events, "--window", "0,0", "--benchmark", "NVDA=QQQ", "--db", db)
    assert conflict.exit_code == 1 and "NVDA on 2025-01-27 has its own market SMH but benchmarks give it QQQ" in conflict.output
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("ticker,event_date,market\nNVDA,2025-01-27,SOXX\n")
    missing = cli("study", "--events-file", unknown, "--window", "0,0", "--db", db)
    assert missing.exit_code == 1 and "no prices for the market benchmark SOXX" in missing.output
    # SMH measured against itself is skipped with its reason; the others are studied
    result = cli("study", "--events-file", events, "--window", "0,0", "--format", "json", "--db", db)
    document = json.loads(result.output)
    assert {f["ticker"] for f in document["firms"]} == {"NVDA", "AAPL"}
    assert [s["reason"] for s in document["skipped"]] == ["SMH is its own market benchmark"]


def test_library_firm_event_market_skips_and_missing_series_name_the_benchmark():
    """In memory: a benchmark missing from the data altogether, and one whose data stop early."""
    from tracker.analysis import EventStudy, FirmEvent, InMemoryData
    from tracker.errors import MissingSeries

    rng = np.random.default_rng(7)
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(200)]
    frames = []
    for ticker in ("A", "B", "MKT", "ETF"):
        values = rng.normal(0, 0.01, len(days))
        keep = len(days) - 5 if ticker == "ETF" else len(days)  # ETF stops five days before the end
        frames.append(pl.DataFrame({"ticker": ticker, "date": days[:keep], "ret": values[:keep]}))
    data = InMemoryData.from_frames(pl.concat(frames))
    day0 = days[-3]
    events = [FirmEvent("A", "x", day0, day0, market="ETF"), FirmEvent("B", "x", day0, day0)]
    result = EventStudy(data, events, market="MKT").fit(estimation=(-150, -11), window=(-1, 1))
    assert [fe.ticker for fe in result.firm_events] == ["A", "B"] and result.n == 1
    assert [(s.ticker, s.reason) for s in result.skipped] == [("A", f"event window runs past the last return of ETF ({days[-6]})")]
    with pytest.raises(MissingSeries, match="no prices for the market benchmark NOPE"):
        EventStudy(data, [FirmEvent("A", "x", day0, day0, market="NOPE")], market="MKT").fit(estimation=(-150, -11))
    # a factor model reads no market: the firm-event's own is ignored, and a benchmarks option refused
    from tracker.errors import StudyOptionError

    with pytest.raises(StudyOptionError, match="the mean-adjusted model uses no market benchmark"):
        EventStudy(data, events, market="MKT", benchmarks={"B": "ETF"}).fit(model="mean-adjusted", estimation=(-150, -11))
    plain = EventStudy(data, events, market="MKT").fit(model="mean-adjusted", estimation=(-150, -11), window=(-1, 1))
    assert all(fe.market is None for fe in plain.firm_events) and "benchmark" not in plain.to_json()


def test_out_parquet_chunk_by_chunk_has_one_market_column(cli, sample_settings, tmp_path):
    """Chunks with and without benchmarks of their own write one schema: every row says its benchmark."""
    events = tmp_path / "events.csv"
    events.write_text("ticker,event_date,event_id,market\nAAPL,2024-08-05,a,\nMSFT,2024-08-05,a,\n"
                      "NVDA,2025-01-27,b,SMH\nAAPL,2025-01-27,b,QQQ\n")
    out = tmp_path / "r.parquet"
    result = cli("study", "--events-file", events, "--window", "0,0", "--out", out, "--chunk-size", "1", "--db", sample_settings.db)
    assert result.exit_code == 0, result.output
    assert "market model vs SPY; AAPL vs QQQ; NVDA vs SMH" in result.output
    firms = pl.read_parquet(out).sort("day0", "ticker")
    assert firms.select("ticker", "market").rows() == [("AAPL", "SPY"), ("MSFT", "SPY"), ("AAPL", "QQQ"), ("NVDA", "SMH")]
    ar = pl.read_parquet(tmp_path / "r.ar.parquet")
    assert set(ar.filter(pl.col("ticker") == "NVDA")["market"]) == {"SMH"}
