"""Fingerprints (sha256) of what the tracker prints and writes, to prove a refactor changes no output.

    python benchmarks/output_fingerprints.py --save before.json      # on the old commit
    python benchmarks/output_fingerprints.py --compare before.json   # on the new one

It runs the real CLI (``python -m tracker``) in subprocesses, so it does not depend on the
library's internals, against two warehouses that are built once and then only *copied* (a
study of a copy never changes the original, and migrations added later run on the copy):

* ``demo``: the warehouse of ``tracker demo`` (catalogue + shipped real-price sample), plus the
  Fama-French factors of ``../shared/data/factors`` when that folder exists;
* ``panel``: the 10,000 firm-event benchmark warehouse of ``benchmarks/bench_study.py``.

Both are kept in ``benchmarks/.data/fingerprints`` (built on first use; ``--rebuild`` redoes
it, which changes run ids and times, so compare only fingerprints taken on the same build).
Every study is printed as json, csv, md and the terminal table, and the reports are written as
HTML and Markdown (with their charts). Outputs differing from the saved ones are listed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / ".data" / "fingerprints"
SHARED_FACTORS = ROOT.parent / "shared" / "data" / "factors"

R1 = "2025-01-20-deepseek-r1"
SELLOFF = "2025-01-27-deepseek-selloff"

#: name -> tracker arguments; stdout is fingerprinted (``{out}`` is a fresh folder for files).
DEMO_CASES: dict[str, list[str]] = {
    "r1-json": ["study", R1, "--window", "0,4", "--format", "json"],
    "r1-csv": ["study", R1, "--window", "0,4", "--format", "csv"],
    "r1-md": ["study", R1, "--window", "0,4", "--format", "md"],
    "r1-table": ["study", R1, "--window", "0,4"],
    "selloff-windows-json": ["study", SELLOFF, "--window", "0,0", "--window", "-1,1", "--window", "-5,5", "--format", "json"],
    "selloff-windows-table": ["study", SELLOFF, "--window", "0,0", "--window", "-1,1", "--window", "-5,5"],
    "selloff-tickers-md": ["study", SELLOFF, "--tickers", "NVDA,AVGO,AAPL", "--window", "0,0", "--format", "md"],
    "r1-mean-adjusted-json": ["study", R1, "--model", "mean-adjusted", "--window", "0,4", "--format", "json"],
    "r1-market-adjusted-csv": ["study", R1, "--model", "market-adjusted", "--window", "0,4", "--format", "csv"],
    "r1-exclusion-json": ["study", R1, "--window", "0,4", "--exclude-events", "model_release", "--exclude-within", "2", "--format", "json"],
    "r1-report-html": ["report", R1, "--window", "0,4", "--window", "-1,1", "--lead", "NVDA", "--out", "{out}/r1.html"],
    "selloff-report-md": ["report", SELLOFF, "--window", "0,0", "--window", "-5,5", "--out", "{out}/selloff.md"],
    "r1-chart": ["study", R1, "--window", "0,4", "--format", "json", "--chart", "{out}/car.png"],
    "events-list": ["events", "list", "--format", "csv"],
}
FACTOR_CASES: dict[str, list[str]] = {
    "selloff-ff3-json": ["study", SELLOFF, "--model", "ff3", "--window", "0,0", "--window", "-1,1", "--format", "json"],
    "selloff-carhart-md": ["study", SELLOFF, "--model", "carhart", "--window", "0,0", "--format", "md"],
}
PANEL = ["--events-file", "{data}/events.csv", "--market", "MKT", "--estimation", "-250,-11", "--min-obs", "120"]
PANEL_CASES: dict[str, list[str]] = {
    "panel-market-json": ["study", *PANEL, "--window", "-1,1", "--format", "json"],
    "panel-market-csv": ["study", *PANEL, "--window", "-1,1", "--format", "csv"],
    "panel-market-md": ["study", *PANEL, "--window", "-1,1", "--format", "md"],
    "panel-ff3-json": ["study", *PANEL, "--model", "ff3", "--window", "-1,1", "--format", "json"],
    "panel-carhart-windows-json": ["study", *PANEL, "--model", "carhart", "--window", "-1,1", "--window", "0,5", "--window", "-5,20", "--format", "json"],
    "panel-report-html": ["report", *PANEL, "--window", "-1,1", "--out", "{out}/panel.html"],
}


def tracker(args: list[str], db: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tracker", *args, "--db", str(db)], cwd=ROOT, env=env,
                          capture_output=True, check=False)


def clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
               COLUMNS="120", TERM="dumb", PYTHONPATH=str(ROOT))
    return env


def build(env: dict[str, str]) -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    demo = DATA / "demo.duckdb"
    for stale in DATA.glob("demo*"):
        stale.unlink()
    done = subprocess.run([sys.executable, "-m", "tracker", "demo", "--db", str(demo)], cwd=ROOT, env=env, capture_output=True)
    if done.returncode:
        raise SystemExit(f"tracker demo failed:\n{done.stderr.decode()}")
    factors = [SHARED_FACTORS / "ff3_daily.csv", SHARED_FACTORS / "mom_daily.csv"]
    if all(f.is_file() for f in factors):
        done = tracker(["import", "factors", *map(str, factors)], demo, env)
        if done.returncode:
            raise SystemExit(f"factor import failed:\n{done.stderr.decode()}")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_study.py"), "--models", "market", "--repeat", "1"],
                   cwd=ROOT, check=True, capture_output=True)
    bench = ROOT / "benchmarks" / ".data" / "study"
    shutil.copy(bench / "warehouse.duckdb", DATA / "panel.duckdb")
    shutil.copy(bench / "events.csv", DATA / "events.csv")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run_cases(cases: dict[str, list[str]], source_db: Path, env: dict[str, str], work: Path) -> dict[str, str]:
    found = {}
    for name, template in cases.items():
        out = work / name
        out.mkdir()
        db = work / f"{name}.duckdb"
        shutil.copy(source_db, db)  # a fresh copy per case: nothing a case does reaches the next
        args = [a.format(out=out, data=DATA) for a in template]
        done = tracker(args, db, env)
        found[f"{name} exit"] = str(done.returncode)
        # paths of this run's temporary folder are printed by some commands: not part of the output
        found[f"{name} stdout"] = digest(done.stdout.replace(str(work).encode(), b"{work}"))
        if done.returncode:
            found[f"{name} stderr"] = done.stderr.decode(errors="replace").strip()[-300:]
        for path in sorted(out.rglob("*")):
            found[f"{name} {path.relative_to(out)}"] = digest(path.read_bytes())
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--save", type=Path, help="write the fingerprints to this JSON file")
    parser.add_argument("--compare", type=Path, help="compare with fingerprints saved earlier; exit 1 on a difference")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the two warehouses (new run ids: fingerprints change)")
    parser.add_argument("--only", help="comma-separated case names")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fingerprints-") as tmp:
        work = Path(tmp)
        env = clean_env(work / "home")
        if args.rebuild or not (DATA / "demo.duckdb").is_file() or not (DATA / "panel.duckdb").is_file():
            build(env)
        cases = [(DEMO_CASES, DATA / "demo.duckdb"), (PANEL_CASES, DATA / "panel.duckdb")]
        if all((SHARED_FACTORS / f).is_file() for f in ("ff3_daily.csv", "mom_daily.csv")):
            cases.insert(1, (FACTOR_CASES, DATA / "demo.duckdb"))
        wanted = set(args.only.split(",")) if args.only else None
        found: dict[str, str] = {}
        for group, db in cases:
            group = {k: v for k, v in group.items() if wanted is None or k in wanted}
            found |= run_cases(group, db, env, work)
    for key, value in found.items():
        print(f"{value[:16] if len(value) == 64 else value:<18} {key}")
    if args.save:
        args.save.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
        print(f"saved {len(found)} fingerprints to {args.save}")
    if args.compare:
        before = json.loads(args.compare.read_text())
        keys = sorted(set(before) | set(found)) if wanted is None else sorted(found)
        differ = [k for k in keys if before.get(k) != found.get(k)]
        for key in differ:
            print(f"DIFFERS: {key}: {before.get(key, '(absent)')[:16]} -> {found.get(key, '(absent)')[:16]}")
        print(f"{len(keys) - len(differ)} of {len(keys)} fingerprints equal")
        if differ:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
