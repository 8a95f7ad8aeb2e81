"""A study as Markdown: the HTML report's tables and text, with the charts as PNG files beside it
(``tracker report --format md``) or without charts (``tracker study --format md``).

Every text that reaches the document is escaped (:func:`escape`): HTML (``<script>``, ``<img
onerror>``) and Markdown syntax in an event's name, a file name or a ticker shows as text and
never renders as markup, links or table cells.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from tracker.analysis.formatting import STARS_KEY
from tracker.reports.view import ReportView, reproduce_command
from tracker.reports.sections import (
    position_label,
    NOTHING_STUDIED,
    cross_section_tables,
    group_tables,
    Table,
    chart_order,
    clustering_note,
    conventions,
    methodology,
    provenance_items,
    result_tables,
    sample_tables,
    skipped_table,
    source_table,
)


BARS_CAPTION = f"Bars are coloured by sign; marks give each firm's significance ({STARS_KEY})."


def render_markdown(view: ReportView, chart_files: list[dict[str, str]] | None = None) -> str:
    """The study as GitHub-flavoured Markdown.

    ``chart_files`` holds, for each of the view's windows, the relative paths of its charts by key
    (``"car_paths"``, ``"car_bars"``); ``None`` writes the document without charts.
    """
    several = len(view.windows) > 1
    lines = [
        f"# {escape(view.title)}",
        "",
        f"*{escape(f'{view.subtitle} · {view.model_line} · {position_label(view)}')}*",
        "",
        f"**{escape(view.headline)}**",
        "",
    ]
    note = clustering_note(view)
    if note:
        lines += [f"> {escape(note)}", ""]
    for _, window, name in chart_order(view, chart_files or [{} for _ in view.windows], "car_paths"):
        lines += [f"![Cumulative abnormal return of each firm over {window.label}, with the CAAR and its band]({quote(name)})", ""]
    for _, window, name in chart_order(view, chart_files or [{} for _ in view.windows], "car_groups"):
        lines += [f"![Cumulative average abnormal return of each group over {window.label}, with bands]({quote(name)})", ""]
    for _, window, name in chart_order(view, chart_files or [{} for _ in view.windows], "car_bars"):
        lines += [f"![Cumulative abnormal return by firm over {window.label}, sorted]({quote(name)})", "",
                  f"*{escape(BARS_CAPTION)}*", ""]

    lines += ["## Results", ""]
    for index, window in enumerate(view.windows):
        if several:
            lines += [f"### {escape(window.label.capitalize())}", ""]
        tables = result_tables(view, window, index)
        for table in tables:
            lines += _table(table)
        if not tables:
            lines += [NOTHING_STUDIED, ""]

    groups = group_tables(view)
    if groups:
        lines += ["## Groups", ""] + [f"*{escape(note)}*\n" for note in view.notes]
        for table in groups:
            lines += _table(table)
    regressions = cross_section_tables(view)
    if regressions:
        lines += ["## Cross-sectional regression", ""]
        for table in regressions:
            lines += _table(table)

    lines += ["## Methodology", ""]
    lines += [f"- **{escape(term)}**: {escape(text)}" for term, text in methodology(view)]
    lines.append("")
    lines += ["### Conventions (as stated in the study's JSON)", ""]
    lines += [f"- `{term}`: {escape(text)}" for term, text in conventions(view)]
    lines.append("")

    lines += ["## Data provenance", ""]
    lines += _provenance(view)
    sources = source_table(view)
    if sources is not None:
        lines += _table(sources)
    if view.provenance is not None and view.provenance.tickers_without_bars:
        lines += [f"No bars at all in the studied dates for: {escape(', '.join(view.provenance.tickers_without_bars))}.", ""]
    lines += _table(skipped_table(view)) if view.skipped else ["No firm-event was skipped.", ""]
    for table in sample_tables(view):
        lines += _table(table)
    command = f"{reproduce_command(view)} --format json"
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", command)), default=0))
    lines += ["### Reproduce", "", "The same numbers, from the same log position, as JSON:", "", fence, command, fence, ""]
    return "\n".join(lines)


def _table(table: Table) -> list[str]:
    lines = [f"**{escape(table.caption)}**", ""] if table.caption else []
    lines.append("| " + " | ".join(escape(c) for c in table.columns) + " |")
    lines.append("|" + "|".join("---:" if numeric else "---" for numeric in table.numeric) + "|")
    for k, row in enumerate(table.rows):
        cells = [escape(cell.text) for cell in row]
        if k in table.highlight and cells:
            cells[0] = f"**{cells[0]}**"
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    for note in table.notes:
        lines += [f"*{escape(note)}*", ""]
    return lines


def _provenance(view: ReportView) -> list[str]:
    lines = []
    for term, text in provenance_items(view):
        if re.fullmatch(r"https?://[^\s<>]+", text):  # a plain URL: an autolink, which cannot hold markup
            lines.append(f"- **{escape(term)}**: <{text}>")
        else:
            lines.append(f"- **{escape(term)}**: {escape(text)}")
    return lines + [""]


#: Markdown punctuation that could make text into emphasis, code, links or table cells.
_PUNCTUATION = str.maketrans({c: "\\" + c for c in "\\`*[]|"})
#: Where HTML could start: a tag, comment or declaration (``<a``, ``</``, ``<!``, ``<?``), or an entity.
_HTML = re.compile(r"<(?=[A-Za-z/!?])|&(?=#?[A-Za-z0-9]+;)")


def escape(text: str) -> str:
    """``text`` as literal Markdown: HTML tags, comments and entities, emphasis, code, links and
    table pipes are neutralised (``p < 0.05`` and ``R&D`` stay as they are); line breaks become
    spaces, so a cell or a line stays one."""
    text = " ".join(str(text).splitlines()).translate(_PUNCTUATION)
    return _HTML.sub(lambda m: "&lt;" if m.group() == "<" else "&amp;", text)
