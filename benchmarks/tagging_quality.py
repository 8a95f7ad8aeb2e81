"""Precision and recall of ``model_release`` on real headlines with hand labels, through the product's path.

    python benchmarks/tagging_quality.py [--data ../shared/data/news-labelled] [--split-date 2025-06-01]

The folder holds ``headlines.csv`` (real headlines in the news-CSV shape) and ``labels.csv``
(``url,is_model_release,org,model`` for part of them; see its README). The headlines are imported
with ``tracker import news`` into a temporary warehouse holding the packaged catalogue and tagged
with ``tracker events tag`` (the library functions behind them), so the novelty signal sees the
log as the product does; each labelled article's ``NewsTagged`` kind is then compared with its
label. Printed: precision and recall with counts and 95% Wilson intervals, for all labelled
headlines and for those published before and from ``--split-date`` (the rules were tuned on the
misses before it), the false positives and negatives with the tagger's reason, and where the
releases went (catalogue event, tagger event). ``--misses`` is implied; ``--quiet`` prints the
table only.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from events.tagging import rules_version  # noqa: E402
from tracker.config import Settings  # noqa: E402
from tracker.ingest.files import import_catalogue  # noqa: E402
from tracker.ingest.files import import_news  # noqa: E402
from tracker.news.urls import canonical_url  # noqa: E402
from tracker.storage import open_reader  # noqa: E402
from tracker.curation.tagging import tag_news  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "news-labelled"
CATALOGUE = REPO / "tracker" / "data" / "catalogue" / "ai_events.csv"


def wilson(hits: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of a proportion ``hits/total``."""
    if total == 0:
        return float("nan"), float("nan")
    p = hits / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return centre - half, centre + half


def tag_headlines(headlines: Path, folder: Path, batch_size: int | None = None) -> dict[str, dict]:
    """Import ``headlines`` into a fresh warehouse in ``folder`` with the catalogue, tag them, and
    return, by canonical url, the article's latest ``NewsTagged`` content (``{}`` when none) with
    its title and publication time."""
    settings = Settings(db=folder / "quality.duckdb")
    import_catalogue(settings, CATALOGUE)
    import_news(settings, [headlines])
    tag_news(settings, batch_size=batch_size)
    with open_reader(settings) as warehouse:
        rows = warehouse.query(
            """
            SELECT n.canonical_url AS url, n.published_at, n.title, t.content::VARCHAR AS content
            FROM news AS n
            LEFT JOIN (SELECT content->>'news_id' AS news_id, content FROM fact_log WHERE kind = 'NewsTagged'
                       QUALIFY row_number() OVER (PARTITION BY stream ORDER BY seq DESC) = 1) AS t ON t.news_id = n.id
            """
        )
    return {r["url"]: {**json.loads(r["content"] or "{}"), "published_at": r["published_at"], "title": r["title"]}
            for r in rows.iter_rows(named=True)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="folder with headlines.csv and labels.csv")
    parser.add_argument("--split-date", default="2025-06-01", help="report headlines before / from this date separately")
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--quiet", action="store_true", help="the table only")
    args = parser.parse_args()
    headlines, labels_path = args.data / "headlines.csv", args.data / "labels.csv"
    if not headlines.is_file() or not labels_path.is_file():
        sys.exit(f"needs {headlines} and {labels_path} (the real labelled headlines live in ../shared/data/news-labelled)")
    labels = {canonical_url(row["url"]): row for row in csv.DictReader(labels_path.open(encoding="utf-8", newline=""))}
    with tempfile.TemporaryDirectory() as folder:
        tagged = tag_headlines(headlines, Path(folder), args.batch_size)
    missing = [url for url in labels if url not in tagged]
    if missing:
        sys.exit(f"{len(missing)} labelled url(s) are not among the imported headlines, e.g. {missing[0]}")

    split = dt.date.fromisoformat(args.split_date)
    groups = {f"before {split}": [], f"from {split}": [], "all": []}
    misses = []
    for url, label in labels.items():
        tag = tagged[url]
        predicted, actual = tag.get("kind") == "model_release", label["is_model_release"] == "1"
        day = tag["published_at"].date()
        outcome = "tp" if predicted and actual else "fp" if predicted else "fn" if actual else "tn"
        for name in (f"before {split}" if day < split else f"from {split}", "all"):
            groups[name].append(outcome)
        if outcome in ("fp", "fn"):
            misses.append((outcome, day, tag, label))

    print(f"model_release on {len(labels)} real labelled headlines of {len(tagged)} imported, {args.data} (rules {rules_version()})")
    print(f"{'headlines':<18} {'n':>5} {'releases':>8} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>9} {'95% CI':>13} {'recall':>7} {'95% CI':>13}")
    for name, outcomes in groups.items():
        tp, fp, fn = (outcomes.count(k) for k in ("tp", "fp", "fn"))
        p_lo, p_hi = wilson(tp, tp + fp)
        r_lo, r_hi = wilson(tp, tp + fn)
        precision = tp / (tp + fp) if tp + fp else float("nan")
        recall = tp / (tp + fn) if tp + fn else float("nan")
        print(f"{name:<18} {len(outcomes):>5} {tp + fn:>8} {tp:>4} {fp:>4} {fn:>4} {precision:>9.3f} {f'{p_lo:.2f}-{p_hi:.2f}':>13} "
              f"{recall:>7.3f} {f'{r_lo:.2f}-{r_hi:.2f}':>13}")
    if args.quiet:
        return
    print("\nMisses (FP: tagged, labelled not a release; FN: a labelled release not tagged):")
    for outcome, day, tag, label in sorted(misses, key=lambda m: (m[0], m[1])):
        why = tag.get("reason") or ("no model named" if not tag.get("sightings") else "-")
        said = f" [labelled {label['org']}: {label['model']}]" if label["model"] else ""
        print(f"  {outcome.upper()} {day} {tag['title']}{said}\n       {why}")
    releases = [tagged[url] for url, label in labels.items() if tagged[url].get("kind") == "model_release"]
    links = {}
    for tag in releases:
        links[tag.get("link")] = links.get(tag.get("link"), 0) + 1
    print(f"\nTagged releases by destination: {', '.join(f'{n} {k}' for k, n in sorted(links.items(), key=str))}")
    for tag in releases:
        if tag.get("link") == "catalogue":
            print(f"  {tag['model']!s:<24} -> {tag['event_id']}")


if __name__ == "__main__":
    main()
