"""The Markdown report: the HTML report's tables and text, with the charts as PNG files beside it."""

from __future__ import annotations

from tracker.analysis.formatting import STARS_KEY
from tracker.reports.view import ReportView, reproduce_command
from tracker.reports.sections import (
    NOTHING_STUDIED,
    Table,
    chart_order,
    clustering_note,
    conventions,
    methodology,
    provenance_items,
    result_tables,
    skipped_table,
    source_table,
)


BARS_CAPTION = f"Bars are coloured by sign; marks give each firm's significance ({STARS_KEY})."


def render_markdown(view: ReportView, chart_files: list[dict[str, str]]) -> str:
    """The report as GitHub-flavoured Markdown.

    ``chart_files`` holds, for each of the view's windows, the relative paths of its charts by key
    (``"car_paths"``, ``"car_bars"``).
    """
    several = len(view.windows) > 1
    lines = [
        f"# {view.title}",
        "",
        f"*{view.subtitle} · {view.model_line} · log position {view.log_position:,}*",
        "",
        f"**{view.headline}**",
        "",
    ]
    note = clustering_note(view)
    if note:
        lines += [f"> {note}", ""]
    for _, window, name in chart_order(view, chart_files, "car_paths"):
        lines += [f"![Cumulative abnormal return of each firm over {window.label}, with the CAAR and its band]({name})", ""]
    for _, window, name in chart_order(view, chart_files, "car_bars"):
        lines += [f"![Cumulative abnormal return by firm over {window.label}, sorted]({name})", "",
                  f"*{_escape(BARS_CAPTION)}*", ""]

    lines += ["## Results", ""]
    for index, window in enumerate(view.windows):
        if several:
            lines += [f"### {window.label.capitalize()}", ""]
        tables = result_tables(view, window, index)
        for table in tables:
            lines += _table(table)
        if not tables:
            lines += [NOTHING_STUDIED, ""]

    lines += ["## Methodology", ""]
    lines += [f"- **{term}**: {text}" for term, text in methodology(view)]
    lines.append("")
    lines += ["### Conventions (as stated in the study's JSON)", ""]
    lines += [f"- `{term}`: {_escape(text)}" for term, text in conventions(view)]
    lines.append("")

    lines += ["## Data provenance", ""]
    lines += _provenance(view)
    sources = source_table(view)
    if sources is not None:
        lines += _table(sources)
    if view.provenance is not None and view.provenance.tickers_without_bars:
        lines += [f"No bars at all in the studied dates for: {', '.join(view.provenance.tickers_without_bars)}.", ""]
    lines += _table(skipped_table(view)) if view.skipped else ["No firm-event was skipped.", ""]
    lines += ["### Reproduce", "", "The same numbers, from the same log position, as JSON:", "", "```",
              f"{reproduce_command(view)} --format json", "```", ""]
    return "\n".join(lines)


def _table(table: Table) -> list[str]:
    lines = [f"**{_escape(table.caption)}**", ""] if table.caption else []
    lines.append("| " + " | ".join(_escape(c) for c in table.columns) + " |")
    lines.append("|" + "|".join("---:" if numeric else "---" for numeric in table.numeric) + "|")
    for k, row in enumerate(table.rows):
        cells = [_escape(cell.text) for cell in row]
        if k in table.highlight and cells:
            cells[0] = f"**{cells[0]}**"
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    for note in table.notes:
        lines += [f"*{_escape(note)}*", ""]
    return lines


def _provenance(view: ReportView) -> list[str]:
    lines = []
    for term, text in provenance_items(view):
        if text.startswith(("https://", "http://")) and " " not in text:
            text = f"<{text}>"
        lines.append(f"- **{term}**: {text}")
    return lines + [""]


def _escape(text: str) -> str:
    """Keep table cells and emphasis intact: escape pipes and asterisks."""
    return text.replace("|", "\\|").replace("*", "\\*")
