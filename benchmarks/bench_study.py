"""Benchmark of the event-study engine: 10,000 firm-events with the whole test battery.

    python benchmarks/bench_study.py            # build the data once (about a minute), then measure
    python benchmarks/bench_study.py --repeat 9 --models market,ff3,carhart

Data (cached in ``benchmarks/.data/study``, rebuilt with ``--rebuild``): a synthetic market of
500 tickers plus an index ``MKT`` over 1,780 XNYS sessions (2017-12 .. 2024-12), imported as
price files into a real warehouse; synthetic daily Fama-French factors imported as a factor
file; and an events file of 20 random dates per ticker in 2019-01 .. 2024-12 (10,000
firm-events). Each case runs in a fresh process: one warm-up, then ``--repeat`` timed runs of
the whole path from the warehouse — open it read-only, read the events file, align day 0,
load returns, fit the model, every per-firm measure and all 15 tests — with estimation
-250..-11 and window -1..+1. It prints the best and median wall time, the CPU time of the best
run, and the peak resident memory of the process. No timing is asserted anywhere: the targets
(≤ 0.3 s market model, FF3 ≤ 2x market, ≤ 1 GB) are read off these figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / ".data" / "study"
STAMP = "v1: 500 tickers, 1780 sessions, 20 events per ticker, seed 42"
N_TICKERS = 500
EVENTS_PER_TICKER = 20
FIRST_DAY, LAST_DAY = dt.date(2017, 12, 1), dt.date(2024, 12, 31)
EVENTS_FROM = dt.date(2019, 1, 2)


def build(data: Path) -> None:
    """Write the synthetic files and import them into ``data/warehouse.duckdb``."""
    import numpy as np
    import polars as pl

    from events.sessions import SessionCalendar
    from tracker.config import Settings
    from tracker.ingest.files import import_factors, import_prices

    data.mkdir(parents=True, exist_ok=True)
    for stale in data.glob("*"):
        stale.unlink()
    days = [d for d in SessionCalendar.xnys(FIRST_DAY, LAST_DAY).dates]
    n_days = len(days)
    rng = np.random.default_rng(42)
    mkt = rng.normal(0.0004, 0.01, n_days)
    smb, hml, mom = (rng.normal(0.0, s, n_days) for s in (0.005, 0.005, 0.007))
    rf = np.full(n_days, 0.0001)
    betas = rng.uniform(0.5, 1.8, (N_TICKERS, 1))
    loadings = rng.uniform(-0.6, 0.6, (N_TICKERS, 3))
    returns = (0.0002 + betas * mkt + loadings[:, :1] * smb + loadings[:, 1:2] * hml + loadings[:, 2:] * mom
               + rng.normal(0.0, 0.02, (N_TICKERS, n_days)))

    def bars(ticker: str, r: np.ndarray) -> pl.DataFrame:
        close = 50.0 * np.cumprod(1.0 + r)
        opening = np.r_[50.0, close[:-1]]
        return pl.DataFrame({"ticker": ticker, "date": days, "open": opening, "high": np.maximum(opening, close) * 1.01,
                             "low": np.minimum(opening, close) * 0.99, "close": close, "volume": 1e6})

    frames = [bars(f"T{i:03d}", returns[i]) for i in range(N_TICKERS)] + [bars("MKT", mkt + rf)]
    pl.concat(frames).write_parquet(data / "prices.parquet")
    pl.DataFrame({"date": days, "mkt_rf": mkt * 100, "smb": smb * 100, "hml": hml * 100, "rf": rf * 100}).write_csv(data / "ff3.csv")
    pl.DataFrame({"date": days, "mom": mom * 100}).write_csv(data / "mom.csv")
    first_event = days.index(EVENTS_FROM)
    rows = []
    for i in range(N_TICKERS):
        for j in sorted(rng.choice(np.arange(first_event, n_days - 2), EVENTS_PER_TICKER, replace=False)):
            rows.append((f"T{i:03d}", days[j]))
    pl.DataFrame(rows, schema=["ticker", "event_date"], orient="row").write_csv(data / "events.csv")
    settings = Settings(db=data / "warehouse.duckdb")
    started = time.perf_counter()
    import_prices(settings, [data / "prices.parquet"])
    import_factors(settings, [data / "ff3.csv", data / "mom.csv"])
    (data / "STAMP").write_text(STAMP)
    print(f"built {len(frames)} tickers x {n_days} sessions and {len(rows):,} firm-events in {time.perf_counter() - started:.1f} s")


def peak_rss_mb() -> float:
    """This process's peak resident memory (``VmHWM``; ``ru_maxrss`` would include the parent's before exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(model: str, windows: list[tuple[int, int]], repeat: int) -> dict:
    """Run in a fresh process: the whole study path from the warehouse, timed ``repeat`` times."""
    from tracker.config import Settings
    from tracker.study.request import StudyRequest, run_study

    settings = Settings(db=DATA / "warehouse.duckdb")
    request = StudyRequest(events_file=DATA / "events.csv", market="MKT", model=model, estimation=(-250, -11),
                           windows=tuple(windows), min_obs=120)
    result = run_study(settings, request)  # warm-up: imports, page cache
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = run_study(settings, request)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    best = min(range(repeat), key=walls.__getitem__)
    return {
        "model": model,
        "windows": windows,
        "firm_events": len(result.firm_events),
        "studied": result.n,
        "tests_defined": sum(t.stat is not None for t in result.tests.values()),
        "best_s": walls[best],
        "median_s": statistics.median(walls),
        "cpu_of_best_s": cpus[best],
        "peak_rss_mb": peak_rss_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuild", action="store_true", help="rebuild the synthetic warehouse")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per case (after one warm-up)")
    parser.add_argument("--models", default="market,ff3,carhart,mean-adjusted,market-adjusted")
    parser.add_argument("--case", help=argparse.SUPPRESS)  # internal: run one case in this process
    args = parser.parse_args()
    if args.case:
        model, windows = json.loads(args.case)
        print(json.dumps(measure(model, [tuple(w) for w in windows], args.repeat)))
        return
    if args.rebuild or not (DATA / "STAMP").is_file() or (DATA / "STAMP").read_text() != STAMP:
        build(DATA)
    cases = [(m, [(-1, 1)]) for m in args.models.split(",")] + [("market", [(-1, 1), (0, 5), (-5, 20)])]
    load = os.getloadavg()[0]
    print(f"10,000 firm-events (500 tickers x 20 dates, 2019-2024), estimation -250..-11, all 15 tests; "
          f"{os.cpu_count()} CPUs, load average {load:.2f} at start (other processes inflate wall times)")
    print(f"{'model':<16}{'windows':<24}{'studied':>8}{'best':>9}{'median':>9}{'cpu(best)':>11}{'peak RSS':>11}")
    figures = []
    for model, windows in cases:
        out = subprocess.run([sys.executable, __file__, "--case", json.dumps([model, windows]), "--repeat", str(args.repeat)],
                             capture_output=True, text=True, check=True, cwd=ROOT)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        figures.append(row)
        label = " ".join(f"{a},{b}" for a, b in windows)
        print(f"{model:<16}{label:<24}{row['studied']:>8,}{row['best_s']:>8.3f}s{row['median_s']:>8.3f}s"
              f"{row['cpu_of_best_s']:>10.3f}s{row['peak_rss_mb']:>8.0f} MB")
    by_model = {f["model"]: f for f in figures if len(f["windows"]) == 1}
    if "market" in by_model and "ff3" in by_model:
        print(f"ff3 / market (best times): {by_model['ff3']['best_s'] / by_model['market']['best_s']:.2f}x")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
