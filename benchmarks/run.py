"""Benchmarks of the vertical slice; prints measured figures next to their targets.

Run from the repository root (after installing the package):

    .venv/bin/python benchmarks/run.py            # full size: 1,000,000 bars, 10,000 firm-events
    .venv/bin/python benchmarks/run.py --quick    # a tenth of the size, for a smoke run

Each phase runs in a fresh subprocess so its wall time and peak memory (max RSS) are its own.
Synthetic data is generated under a temporary folder (deterministic seed) and removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def generate_prices(folder: Path, tickers: int, days: int, seed: int = 1) -> int:
    """One ``<TICKER>.csv`` per ticker (date,open,high,low,close,volume,adj_close) on XNYS sessions."""
    import numpy as np
    import polars as pl

    from events.sessions import SessionCalendar

    calendar = SessionCalendar.xnys()
    start = calendar.index_of(calendar.first_on_or_after(__import__("datetime").date(2012, 1, 3)))
    dates = calendar.dates[start:start + days]
    rng = np.random.default_rng(seed)
    market = rng.normal(0.0004, 0.011, days)
    folder.mkdir(parents=True, exist_ok=True)
    names = ["SPY"] + [f"T{i:04d}" for i in range(tickers - 1)]
    for i, name in enumerate(names):
        beta = 1.0 if i == 0 else rng.uniform(0.5, 2.0)
        noise = 0.0 if i == 0 else rng.normal(0, 0.02, days)
        returns = market * beta + noise
        close = 50.0 * np.cumprod(1.0 + returns)
        spread = np.abs(rng.normal(0, 0.01, days)) + 0.001
        pl.DataFrame({
            "date": dates,
            "open": np.round(close * (1 + rng.uniform(-0.5, 0.5, days) * spread), 4),
            "high": np.round(close * (1 + spread), 4),
            "low": np.round(close * (1 - spread), 4),
            "close": np.round(close, 4),
            "volume": rng.integers(100_000, 10_000_000, days),
            "adj_close": np.round(close * 0.98, 4),
        }).with_columns(
            pl.max_horizontal("open", "high", "close").alias("high"),
            pl.min_horizontal("open", "low", "close").alias("low"),
        ).write_csv(folder / f"{name}.csv")
    return tickers * days


def generate_firm_events(path: Path, prices: Path, count: int, per_ticker: int, seed: int = 2) -> None:
    """``ticker,event_date`` rows: ``per_ticker`` random dates per ticker, leaving room for the windows."""
    import csv

    import numpy as np

    rng = np.random.default_rng(seed)
    tickers = sorted(p.stem for p in prices.glob("T*.csv"))[: count // per_ticker]
    dates = [line.split(",")[0] for line in (prices / "SPY.csv").read_text().splitlines()[1:]]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ticker", "event_date"])
        for ticker in tickers:
            for i in rng.choice(np.arange(260, len(dates) - 5), size=per_ticker, replace=False):
                writer.writerow([ticker, dates[i]])


PHASE_HEAD = "import json, resource, sys, time\nfrom pathlib import Path\n"
PHASE_TAIL = (
    'print(json.dumps({"seconds": elapsed, '
    '"max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, **extra}))\n'
)


def run_phase(body: str) -> dict:
    """Run ``body`` (which sets ``elapsed`` and ``extra``) in a fresh interpreter; return its figures."""
    code = PHASE_HEAD + textwrap.dedent(body) + PHASE_TAIL
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    if out.returncode != 0:
        raise SystemExit(f"phase failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def import_phase(db: Path, folder: Path, *, create: bool) -> dict:
    """Time ``import_prices`` of ``folder``; ``create`` makes (and migrates) the warehouse first, untimed."""
    setup = f"Warehouse.open({str(db)!r}).close()" if create else "pass"
    return run_phase(f"""
        from tracker.config import Settings
        from tracker.ingest.files import import_prices
        from warehouse import Warehouse
        {setup}
        t0 = time.perf_counter()
        report = import_prices(Settings(db=Path({str(db)!r})), [Path({str(folder)!r})])
        elapsed = time.perf_counter() - t0
        extra = {{"added": report.added, "unchanged": report.unchanged, "bars": report.bars_read}}
    """)


def study_phase(db: Path, events: Path) -> dict:
    return run_phase(f"""
        from tracker.config import Settings
        from tracker.study.request import StudyRequest, run_study
        from tracker.analysis import EventStudy
        from tracker.study import WarehouseData
        from tracker.study.request import firm_events_from_file
        from warehouse import Warehouse
        settings = Settings(db=Path({str(db)!r}))
        request = StudyRequest(events_file=Path({str(events)!r}), estimation=(-250, -11), window=(-1, 1))
        run_study(settings, request)  # warm-up: imports, first DuckDB read
        t0 = time.perf_counter()
        result = run_study(settings, request)
        elapsed = time.perf_counter() - t0
        with Warehouse.open(settings.db, read_only=True) as wh:
            _, firm_events = firm_events_from_file(wh, request.events_file)
            study = EventStudy(WarehouseData.at(wh), firm_events, market="SPY")
            t1 = time.perf_counter()
            study.fit(estimation=(-250, -11), window=(-1, 1))
            fit_only = time.perf_counter() - t1
        t2 = time.perf_counter()
        text = result.to_json()
        json_seconds = time.perf_counter() - t2
        extra = {{"firm_events": result.n, "skipped": len(result.skipped), "fit_only": fit_only, "to_json": json_seconds}}
    """)


def help_time(repeats: int = 7) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tracker", "--help"], capture_output=True, check=True, cwd=REPO)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def cli_study_time(db: Path, events: Path, repeats: int = 3) -> tuple[float, int]:
    """Median wall time of the whole ``tracker study --format json`` process (imports, study, JSON), and its output size."""
    times, size = [], 0
    command = [sys.executable, "-m", "tracker", "study", "--db", str(db), "--events-file", str(events),
               "--estimation", "-250,-11", "--window", "-1,1", "--format", "json"]
    for _ in range(repeats):
        started = time.perf_counter()
        out = subprocess.run(command, capture_output=True, check=True, cwd=REPO)
        times.append(time.perf_counter() - started)
        size = len(out.stdout)
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a tenth of the full size")
    parser.add_argument("--keep", type=Path, help="keep the generated data in this folder")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    root = args.keep or Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    try:
        rows = []
        bars_folder = root / "bars"
        n_bars = generate_prices(bars_folder, 400 // scale, 2500)
        db = root / "import.duckdb"
        first = import_phase(db, bars_folder, create=True)
        again = import_phase(db, bars_folder, create=False)
        rows.append((f"import {n_bars:,} bars (400 files)" if not args.quick else f"import {n_bars:,} bars",
                     first["seconds"], "≤ 3 s", first["max_rss_mb"], f"{first['added']:,} facts added"))
        rows.append(("re-import the same files", again["seconds"], "≤ 1 s", again["max_rss_mb"],
                     f"{again['added']:,} added, {again['unchanged']:,} unchanged"))

        study_folder = root / "study"
        generate_prices(study_folder, 501 // scale + 1, 1512, seed=3)  # SPY + 500 tickers, 6 years
        study_db = root / "study.duckdb"
        import_phase(study_db, study_folder, create=True)
        events = root / "firm_events.csv"
        generate_firm_events(events, study_folder, 10_000 // scale, 20)
        study = study_phase(study_db, events)
        rows.append((f"study {study['firm_events']:,} firm-events, market model, -250..-11 / -1..+1",
                     study["seconds"], "≤ 1 s", study["max_rss_mb"],
                     f"fit alone {study['fit_only']:.3f} s; JSON {study['to_json']:.3f} s; {study['skipped']} skipped"))
        cli_seconds, cli_bytes = cli_study_time(study_db, events)
        rows.append(("the same as `tracker study ... --format json` (median of 3)", cli_seconds, "—", float("nan"),
                     f"whole process: imports, study, {cli_bytes / 1e6:.1f} MB of JSON"))
        rows.append(("tracker --help (median of 7)", help_time(), "≤ 0.3 s", float("nan"), "no heavy imports"))

        print(f"\nmachine: {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores, "
              f"python {sys.version.split()[0]}\n")
        print(f"{'benchmark':<64} {'seconds':>8} {'target':>8} {'max RSS':>9}  notes")
        for name, seconds, target, rss, note in rows:
            rss_text = f"{rss:.0f} MB" if rss == rss else ""
            print(f"{name:<64} {seconds:>8.3f} {target:>8} {rss_text:>9}  {note}")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
