"""Throughput of news import and tagging on synthetic volume.

    python benchmarks/news_tagging.py [--articles 20000] [--batch-size 500]

Builds a warehouse (in ``benchmarks/.data/``) with the packaged catalogue, writes a CSV of
``--articles`` headlines made from the labelled set (each copy shifted by 9 days, with its own
URL, so copies form their own events), then times: the import, re-importing it (adds nothing),
tagging everything incrementally, tagging again (nothing to read), and ``--retag`` (changes
nothing). Each step prints its wall time and the process's CPU time (all threads): on a shared
machine the CPU time moves less with other work's load.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tracker.config import Settings  # noqa: E402
from tracker.ingest.files import import_catalogue  # noqa: E402
from tracker.ingest.files import import_news  # noqa: E402
from tracker.curation.tagging import tag_news  # noqa: E402

LABELLED = REPO / "tests" / "data" / "news" / "labelled_headlines.csv"
CATALOGUE = REPO / "tracker" / "data" / "catalogue" / "ai_events.csv"


def synthetic_news(path: Path, articles: int) -> None:
    rows = list(csv.DictReader(LABELLED.open(encoding="utf-8", newline="")))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["published_at", "publisher", "title", "url", "tickers"])
        for i in range(articles):
            row = rows[i % len(rows)]
            copy = i // len(rows)
            moment = dt.datetime.fromisoformat(row["published_at"]) + dt.timedelta(days=9 * copy)
            writer.writerow([moment.isoformat(), row["publisher"], row["title"], f"{row['url']}?copy={copy}", row["tickers"]])


def timed(label: str, action):
    started, cpu = time.perf_counter(), time.process_time()
    result = action()
    print(f"{label:<44} {time.perf_counter() - started:7.2f} s  (CPU {time.process_time() - cpu:6.2f} s)")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--batch-size", type=int, default=500)
    args = parser.parse_args()
    folder = REPO / "benchmarks" / ".data" / "news"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    settings = Settings(db=folder / "news.duckdb")
    news_csv = folder / "news.csv"
    synthetic_news(news_csv, args.articles)
    import_catalogue(settings, CATALOGUE)
    print(f"{args.articles:,} synthetic articles, batch size {args.batch_size}")
    first = timed("import news", lambda: import_news(settings, [news_csv]))
    again = timed("import the same file again", lambda: import_news(settings, [news_csv]))
    print(f"  {first.added:,} facts, then {again.added} new facts")
    report = timed("events tag (incremental, from scratch)", lambda: tag_news(settings, batch_size=args.batch_size))
    print(f"  {sum(report.tagged.values()):,} tagged in {report.batches} batches, {report.new_events:,} events found, "
          f"{report.linked:,} articles linked to catalogue events, {report.facts_added:,} facts")
    idle = timed("events tag (nothing new)", lambda: tag_news(settings, batch_size=args.batch_size))
    retag = timed("events tag --retag (rules unchanged)", lambda: tag_news(settings, retag=True))
    print(f"  then {idle.news_read} read; retag added {retag.facts_added} facts")
    print(f"warehouse {settings.db.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
