"""Precision and recall of the tagger's ``model_release`` on the labelled headlines, per split.

    python benchmarks/tagging_quality.py

Reads ``tests/data/news/labelled_headlines.csv`` (see ``build_labelled.py`` beside it for how the
headlines were written and what each split means) and prints a table; ``--misses`` lists the
false positives and false negatives.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from events.tagging import classify, rules_version  # noqa: E402

LABELLED = REPO / "tests" / "data" / "news" / "labelled_headlines.csv"


def main() -> None:
    rows = list(csv.DictReader(LABELLED.open(encoding="utf-8", newline="")))
    splits = sorted({r["split"] for r in rows}, key=["dev", "holdout-1", "holdout-2"].index) + ["all"]
    counts = {split: Counter() for split in splits}
    misses = []
    for row in rows:
        tag = classify(row["title"], tuple(row["tickers"].split()))
        predicted, actual = bool(tag and tag.kind == "model_release"), row["kind"] == "model_release"
        outcome = "tp" if predicted and actual else "fp" if predicted else "fn" if actual else "tn"
        for split in (row["split"], "all"):
            counts[split][outcome] += 1
            counts[split]["kind_ok"] += (tag.kind if tag else "none") == row["kind"]
        if outcome in ("fp", "fn"):
            misses.append(f"{outcome.upper()} [{row['split']}] {row['title']}")
    print(f"model_release on {len(rows)} labelled headlines (rules {rules_version()})")
    print(f"{'split':<10} {'headlines':>9} {'releases':>8} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>9} {'recall':>7} {'all kinds right':>15}")
    for split in splits:
        c = counts[split]
        total = sum(c[k] for k in ("tp", "fp", "fn", "tn"))
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else float("nan")
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else float("nan")
        print(f"{split:<10} {total:>9} {c['tp'] + c['fn']:>8} {c['tp']:>4} {c['fp']:>4} {c['fn']:>4} "
              f"{precision:>9.3f} {recall:>7.3f} {c['kind_ok'] / total:>15.3f}")
    if "--misses" in sys.argv:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
