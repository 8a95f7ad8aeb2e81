"""Benchmark of scale: 75 million bars imported, and studies of 10,000 to 1,000,000 firm-events.

    python benchmarks/bench_scale.py                 # build once (about 20 minutes), then the three studies
    python benchmarks/bench_scale.py --sizes 10000,100000
    python benchmarks/bench_scale.py --rebuild       # generate and import again

Data (cached in ``benchmarks/.data/scale``; seed 2026): 10,000 synthetic tickers ``T0000..T9999``
plus an index ``MKT`` over the 7,557 XNYS sessions 1995-01-03 .. 2024-12-31: 75.6 million daily
bars, written as 101 long Parquet files (100 tickers each) with ``ticker,date,close`` only (the
columns a study reads; the OHLCV import speed is measured by ``benchmarks/run.py``). Returns are
a market factor times a beta in 0.5..1.8 plus noise of 2 % a day. They are imported with
``tracker import prices``'s library function in a fresh process (time, peak memory, per batch).

Events: 100 random sessions per ticker from the 261st on (about 4 a year over 25 years), so the
1,000,000 firm-events of all 10,000 tickers have the density of a study of every listed firm's
earnings; the 100,000 and 10,000 studies take the first 1,000 and 100 tickers (same density per
ticker). Each study runs in a fresh process, as ``tracker study --events-file … --out
results.parquet`` does it: open the warehouse read-only, read the events file, the market model
with estimation -250..-11 and window -1..+1, all 15 tests, the firm-event and AR rows written to
Parquet as chunks complete. It prints the wall time, the CPU time, the peak resident memory
(``VmHWM``) and per chunk its firm-events, seconds and resident memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / ".data" / "scale"
STAMP = "v1: 10000 tickers + MKT, XNYS 1995-01-03..2024-12-31, ticker,date,close, 100 events per ticker, seed 2026"
N_TICKERS = 10_000
TICKERS_PER_FILE = 100
EVENTS_PER_TICKER = 100
FIRST_DAY, LAST_DAY = dt.date(1995, 1, 3), dt.date(2024, 12, 31)
SEED = 2026


def rss_mb(field: str = "VmHWM") -> float:
    """This process's resident memory now (``VmRSS``) or at its peak (``VmHWM``), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def generate(data: Path) -> None:
    """The price files and the events file (deterministic: seed 2026)."""
    import numpy as np
    import polars as pl

    from events.sessions import SessionCalendar

    (data / "prices").mkdir(parents=True, exist_ok=True)
    days = SessionCalendar.xnys(FIRST_DAY, LAST_DAY).dates
    n_days = len(days)
    rng = np.random.default_rng(SEED)
    market = rng.normal(0.0003, 0.011, n_days)
    dates = pl.Series("date", days, dtype=pl.Date)

    def write(name: str, tickers: list[str], returns: np.ndarray) -> None:
        close = 40.0 * np.cumprod(1.0 + returns, axis=1)
        pl.DataFrame({
            "ticker": pl.Series(tickers).gather(np.repeat(np.arange(len(tickers)), n_days)),
            "date": pl.concat([dates] * len(tickers)),
            "close": close.reshape(-1),
        }).write_parquet(data / "prices" / f"{name}.parquet")

    write("MKT", ["MKT"], market[None, :])
    for start in range(0, N_TICKERS, TICKERS_PER_FILE):
        tickers = [f"T{i:04d}" for i in range(start, start + TICKERS_PER_FILE)]
        betas = rng.uniform(0.5, 1.8, (len(tickers), 1))
        write(f"part-{start // TICKERS_PER_FILE:03d}", tickers, 0.0002 + betas * market + rng.normal(0.0, 0.02, (len(tickers), n_days)))
    # the events: EVENTS_PER_TICKER distinct sessions per ticker, from the 261st (room for estimation) on
    rows_ticker, rows_day = [], []
    for i in range(N_TICKERS):
        chosen = np.sort(rng.choice(np.arange(260, n_days - 2), EVENTS_PER_TICKER, replace=False))
        rows_ticker.append(np.full(EVENTS_PER_TICKER, i))
        rows_day.append(chosen)
    ticker_index, day_index = np.concatenate(rows_ticker), np.concatenate(rows_day)
    events = pl.DataFrame({"ticker": [f"T{i:04d}" for i in ticker_index.tolist()], "event_date": dates.gather(day_index)})
    for size in (10_000, 100_000, 1_000_000):
        events.filter(pl.Series(ticker_index < size // EVENTS_PER_TICKER)).write_csv(data / f"events-{size}.csv")


def build(data: Path) -> dict:
    """Generate the files, then import them in a fresh process; return the import's figures."""
    started = time.perf_counter()
    generate(data)
    print(f"generated {N_TICKERS:,} tickers + MKT in {time.perf_counter() - started:.0f} s", flush=True)
    (data / "warehouse.duckdb").unlink(missing_ok=True)
    out = subprocess.run([sys.executable, __file__, "--import-into", str(data)], check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    (data / "import.json").write_text(json.dumps(figures, indent=1))
    (data / "STAMP").write_text(STAMP)
    return figures


def import_into(data: Path) -> dict:
    """Run in a fresh process: import every price file, a line per batch to stderr."""
    from tracker.config import Settings
    from tracker.ingest.files import import_prices

    started = time.perf_counter()

    def progress(step) -> None:
        print(f"  {step.files_done:>4}/{step.files} files, {step.bars_read / 1e6:6.1f} M bars, "
              f"{time.perf_counter() - started:6.0f} s, RSS {rss_mb('VmRSS'):6.0f} MB", file=sys.stderr, flush=True)

    report = import_prices(Settings(db=data / "warehouse.duckdb"), [data / "prices"], progress=progress)
    return {"seconds": time.perf_counter() - started, "peak_rss_mb": rss_mb(), "bars": report.bars_read,
            "facts_added": report.added, "files": len(report.files),
            "warehouse_gb": (data / "warehouse.duckdb").stat().st_size / 1e9}


def study(data: Path, size: int, out: Path) -> dict:
    """Run in a fresh process: the study of ``size`` firm-events, as ``tracker study --out`` runs it."""
    from tracker.config import Settings
    from tracker.study.output import ParquetOutput
    from tracker.study.request import StudyRequest, run_study

    chunks = []
    started = time.perf_counter()
    cpu = time.process_time()
    last = [started]

    def on_chunk(part) -> None:
        now = time.perf_counter()
        chunks.append((part.n, now - last[0], rss_mb("VmRSS")))
        last[0] = now

    request = StudyRequest(events_file=data / f"events-{size}.csv", market="MKT", model="market", estimation=(-250, -11),
                           windows=((-1, 1),), min_obs=120)
    with ParquetOutput(out) as sink:
        result = run_study(Settings(db=data / "warehouse.duckdb"), request, on_chunk=lambda part: (sink.write(part), on_chunk(part)))
        sink.finish(result)
    seconds = time.perf_counter() - started
    return {"size": size, "studied": result.n, "skipped": len(result.skipped), "seconds": seconds,
            "cpu_s": time.process_time() - cpu, "peak_rss_mb": rss_mb(), "chunks": chunks,
            "tests_defined": sum(t.stat is not None for t in result.tests.values()),
            "out_mb": sum(p.stat().st_size for p in out.parent.glob(out.stem + "*")) / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuild", action="store_true", help="generate and import the data again")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="firm-events per study (of 10000, 100000, 1000000)")
    parser.add_argument("--import-into", type=Path, help=argparse.SUPPRESS)  # internal: the import, in this process
    parser.add_argument("--study", type=int, help=argparse.SUPPRESS)  # internal: one study, in this process
    args = parser.parse_args()
    if args.import_into:
        print(json.dumps(import_into(args.import_into)))
        return
    if args.study:
        print(json.dumps(study(DATA, args.study, DATA / "out" / f"study-{args.study}.parquet")))
        return
    fresh = args.rebuild or not (DATA / "STAMP").is_file() or (DATA / "STAMP").read_text() != STAMP
    imported = build(DATA) if fresh else json.loads((DATA / "import.json").read_text())
    print(f"import: {imported['bars']:,} bars in {imported['files']} files: {imported['seconds']:.0f} s, "
          f"peak RSS {imported['peak_rss_mb']:.0f} MB, warehouse {imported['warehouse_gb']:.1f} GB"
          + ("" if fresh else " (cached figures of the build)"))
    (DATA / "out").mkdir(exist_ok=True)
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")
    print(f"{'firm-events':>12}{'studied':>10}{'seconds':>9}{'µs/event':>10}{'cpu':>8}{'peak RSS':>10}{'chunks':>8}  per chunk (events, s, RSS MB)")
    for size in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run([sys.executable, __file__, "--study", str(size)], check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        shown = ", ".join(f"({n:,}, {s:.2f}, {r:.0f})" for n, s, r in row["chunks"][:4]) + (" …" if len(row["chunks"]) > 4 else "")
        print(f"{row['size']:>12,}{row['studied']:>10,}{row['seconds']:>8.1f}s{row['seconds'] / row['size'] * 1e6:>9.1f} "
              f"{row['cpu_s']:>7.1f}s{row['peak_rss_mb']:>7.0f} MB{len(row['chunks']):>8}  {shown}", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
