"""Printing one event (``tracker events show``)."""

from __future__ import annotations

from tracker.reports.tables import print_frame

FIELDS = ("name", "kind", "org", "model", "announced_at", "timezone", "date_precision", "reaction_date",
          "day0", "day0_rule", "source", "source_url", "confidence", "notes")


def print_event(detail, console=None) -> None:
    from tracker.reports.console import make_console

    console = console or make_console()
    row = detail.row
    console.print(f"{detail.event_id}  ({detail.status})")
    width = max(len(f) for f in FIELDS)
    for field in FIELDS:
        value = row.get(field)
        if value not in (None, ""):
            console.print(f"  {field:<{width}}  {value}")
    print_frame(detail.history, title="History in the log", console=console)
    if detail.evidence.height:
        evidence = detail.evidence
        print_frame(evidence.drop("reason", strict=False), title=f"Evidence: {evidence.height} article(s)", console=console)
        reasons = [row for row in evidence.iter_rows(named=True) if row.get("reason")]
        if reasons:
            console.print("Why each was tagged:")
            for row in reasons:
                console.print(f"  {row['news_id']} {row['title']}\n      {row['reason']}", soft_wrap=True)
    else:
        console.print("No tagged articles attributed to this event.")
