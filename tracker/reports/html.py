"""The HTML report: one self-contained file (inline CSS, charts as data URIs, no scripts).

It opens offline in any browser and prints cleanly. The study's JSON document is embedded
(``<script type="application/json" id="study-result">``, which browsers do not execute), so the
report carries every unrounded number; each numeric table cell also has it in ``data-value``.
"""

from __future__ import annotations

import base64
import re
import struct
from html import escape

from tracker.reports.charts import DPI
from tracker.analysis.formatting import STARS_KEY
from tracker.reports.view import ReportView, reproduce_command
from tracker.reports.sections import (
    position_label,
    NOTHING_STUDIED,
    cross_section_tables,
    group_tables,
    Table,
    clustering_note,
    conventions,
    methodology,
    provenance_items,
    result_tables,
    sample_tables,
    skipped_table,
    chart_order,
    source_table,
    window_suffix,
)

CSS = """
:root { --ink: #1b1f24; --muted: #5b636d; --rule: #d9dde2; --neg: #b34a00; --pos: #005f99; --band: #f3f5f7; --lead: #fff6d6; }
* { box-sizing: border-box; }
html { color-scheme: light; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 72rem; margin: 0 auto; padding: 2rem 1.5rem 3rem; }
header .kicker { margin: 0; color: var(--muted); font-size: .85rem; letter-spacing: .02em; text-transform: uppercase; }
h1 { margin: .2rem 0 .1rem; font-size: 1.9rem; line-height: 1.2; }
header .sub { margin: 0; color: var(--muted); }
.date { white-space: nowrap; }
.headline { margin: 1.2rem 0 1rem; font-size: 1.3rem; line-height: 1.45; font-weight: 500; max-width: 60rem; }
.note { margin: 1rem 0; padding: .7rem 1rem; border-left: 4px solid #e0a100; background: #fff8e5; max-width: 60rem; }
h2 { margin: 2.2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 1px solid var(--rule); font-size: 1.3rem; }
h3 { margin: 1.4rem 0 .4rem; font-size: 1.05rem; }
figure { margin: 1rem 0 1.6rem; }
figure img { display: block; max-width: 100%; height: auto; }
figcaption, .table-note { color: var(--muted); font-size: .85rem; max-width: 60rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: .3rem 0 .4rem; font-size: .86rem; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: .2rem 0 .4rem; }
th, td { padding: .28rem .45rem; border-bottom: 1px solid var(--rule); vertical-align: top; }
tr.break td { border-top: 2px solid #aeb4bb; }
th { text-align: left; font-weight: 600; border-bottom: 2px solid #aeb4bb; white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.neg { color: var(--neg); }
td.pos { color: var(--pos); }
td.strong { font-weight: 600; }
td.stars { color: var(--muted); padding-left: 0; }
tr.lead td { background: var(--lead); }
tbody tr:hover td { background: var(--band); }
dl { display: grid; grid-template-columns: minmax(9rem, max-content) 1fr; gap: .35rem 1.2rem; margin: .4rem 0; max-width: 64rem; }
dt { font-weight: 600; }
dd { margin: 0; }
dl.conventions dd { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .82rem; }
code, .cmd { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; }
.cmd { display: block; padding: .6rem .8rem; background: var(--band); border-radius: 4px; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .8rem; }
a { color: var(--pos); }
@page { size: A4; margin: 14mm; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  figure, table, .note { break-inside: avoid; }
  tbody tr:hover td { background: none; }
  tr.lead td { background: var(--lead); -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .scroll { overflow: visible; }
  a { color: inherit; }
}
""".strip()


def render_html(view: ReportView, charts: list[dict[str, bytes]], study_json: str, *, version: str = "") -> str:
    """The report as one HTML document.

    ``charts`` holds, for each of the view's windows, its ``"car_bars"`` PNG bytes and, for the
    view's path windows, ``"car_paths"`` (empty when nothing was studied); ``study_json`` is the
    study's JSON document, embedded verbatim. The CAR paths come first (widest window first),
    then the CAR bars of every window.
    """
    several = len(view.windows) > 1
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="market-reaction-tracker {escape(version)}">',
        f"<title>{escape(view.title)} · event study</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f'<p class="kicker">Event study · {escape(view.model_line)} · {position_label(view)}</p>',
        f"<h1>{escape(view.title)}</h1>",
        f'<p class="sub">{escape(view.subtitle)}</p>',
        "</header>",
        f'<p class="headline" id="headline">{_nowrap_dates(escape(view.headline))}</p>',
    ]
    note = clustering_note(view)
    if note:
        parts.append(f'<p class="note" id="clustering-note">{escape(note)}</p>')

    parts.append('<section id="charts">')
    for index, window, png in chart_order(view, charts, "car_paths"):
        parts.append(_figure(
            png, f"car-paths{window_suffix(index)}",
            f"Cumulative abnormal return of each firm over {window.label}, with the CAAR and its band",
            "Each line is a firm's abnormal return cumulated from the close of the day before the window; the black "
            "line is the cross-firm average (CAAR) and the grey area its "
            + (f"{window.band.level:.0%} confidence band from the portfolio's estimation-window time series."
               if window.band else "band."),
        ))
    for index, window, png in chart_order(view, charts, "car_groups"):
        parts.append(_figure(
            png, f"caar-groups{window_suffix(index)}", f"Cumulative average abnormal return of each group over {window.label}, with bands",
            "Each line is a group's average abnormal return cumulated from the close of the day before the window, the shaded "
            "area its 95% band; the legend gives each pair's difference and its long-short t.",
        ))
    for index, window, png in chart_order(view, charts, "car_bars"):
        parts.append(_figure(
            png, f"car-bars{window_suffix(index)}", f"Cumulative abnormal return by firm over {window.label}, sorted",
            f"Bars are coloured by sign; marks give each firm's significance ({STARS_KEY}).",
        ))
    parts.append("</section>")

    parts.append('<section id="results">')
    parts.append("<h2>Results</h2>")
    for index, window in enumerate(view.windows):
        if several:
            parts.append(f"<h3>{escape(window.label.capitalize())}</h3>")
        tables = result_tables(view, window, index)
        parts += [_table(table) for table in tables] or [f"<p>{escape(NOTHING_STUDIED)}</p>"]
    parts.append("</section>")
    parts += _comparisons(view)

    parts.append('<section id="methodology">')
    parts.append("<h2>Methodology</h2>")
    parts.append(_definitions(methodology(view)))
    parts.append("<h3>Conventions (as stated in the study's JSON)</h3>")
    parts.append(_definitions(conventions(view), css="conventions"))
    parts.append("</section>")

    parts.append('<section id="provenance">')
    parts.append("<h2>Data provenance</h2>")
    parts.append(_definitions(provenance_items(view)))
    sources = source_table(view)
    if sources is not None:
        parts.append(_table(sources))
    if view.provenance is not None and view.provenance.tickers_without_bars:
        parts.append(f'<p class="table-note">No bars at all in the studied dates for: {escape(", ".join(view.provenance.tickers_without_bars))}.</p>')
    if view.skipped:
        parts.append(_table(skipped_table(view)))
    else:
        parts.append("<p>No firm-event was skipped.</p>")
    parts += [_table(table) for table in sample_tables(view)]
    parts.append("<h3>Reproduce</h3>")
    parts.append('<p>The same numbers, from the same log position, as JSON:</p>')
    parts.append(f'<code class="cmd">{escape(reproduce_command(view))} --format json</code>')
    parts.append("</section>")

    parts.append(f'<footer>Made with market-reaction-tracker {escape(version)}. The study\'s JSON document '
                 '(schema version ' + escape(str(view.schema_version)) + ') is embedded in this file as '
                 '<code>script#study-result</code>.</footer>')
    parts.append('<script type="application/json" id="study-result">')
    parts.append(_script_safe(study_json))
    parts.append("</script>")
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def render_fragment(view: ReportView) -> str:
    """The study's text and tables as an HTML fragment, without page or charts (a notebook's
    ``_repr_html_``): the same tables as the report."""
    parts = [f"<p><strong>{escape(view.event_line)}</strong><br>{escape(view.setup_line)}</p>",
             f"<p>{escape(view.headline)}</p>"]
    note = clustering_note(view)
    if note:
        parts.append(f"<p><em>{escape(note)}</em></p>")
    for index, window in enumerate(view.windows):
        parts.append(f"<h4>{escape(window.label.capitalize())}: N = {window.n:,}</h4>")
        parts += [_table(table) for table in result_tables(view, window, index)] or [f"<p>{escape(NOTHING_STUDIED)}</p>"]
    parts += _comparisons(view)
    return "\n".join(parts)


def _comparisons(view: ReportView) -> list[str]:
    """The groups side by side and the cross-sectional regressions, when the study has them."""
    parts = []
    groups = group_tables(view)
    if groups:
        parts += ['<section id="groups">', "<h2>Groups</h2>"]
        parts += [f"<p>{escape(note)}</p>" for note in view.notes]
        parts += [_table(table) for table in groups] + ["</section>"]
    regressions = cross_section_tables(view)
    if regressions:
        parts += ['<section id="cross-sections">', "<h2>Cross-sectional regression</h2>"]
        parts += [_table(table) for table in regressions] + ["</section>"]
    return parts


def _figure(png: bytes, key: str, alt: str, caption: str) -> str:
    width, height = png_size(png)
    css_width = round(width * 96 / DPI)  # show charts at their size in inches (CSS: 96 px per inch)
    css_height = round(height * 96 / DPI)
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure id="{key}"><img src="data:image/png;base64,{data}" width="{css_width}" height="{css_height}" '
        f'alt="{escape(alt)}"><figcaption>{escape(caption)}</figcaption></figure>'
    )


def _table(table: Table) -> str:
    out = [f'<div class="scroll"><table id="table-{table.key}">']
    if table.caption:
        out.append(f"<caption>{escape(table.caption)}</caption>")
    num_class = ' class="num"'
    head = "".join(
        f'<th scope="col"{num_class if numeric else ""}>{escape(column)}</th>'
        for column, numeric in zip(table.columns, table.numeric)
    )
    out.append(f"<thead><tr>{head}</tr></thead>")
    out.append("<tbody>")
    for k, row in enumerate(table.rows):
        cells = []
        for cell, numeric, column in zip(row, table.numeric, table.columns):
            classes = (["num"] if numeric else []) + (["neg"] if cell.sign < 0 else ["pos"] if cell.sign > 0 else [])
            classes += ["strong"] if cell.strong else []
            classes += ["stars"] if column == "" else []
            attrs = f' class="{" ".join(classes)}"' if classes else ""
            if isinstance(cell.value, str):
                attrs += f' data-key="{escape(cell.value)}"'
            elif cell.value is not None:
                attrs += f' data-value="{cell.value!r}"'
            cells.append(f"<td{attrs}>{_nowrap_dates(escape(cell.text))}</td>")
        row_classes = (["lead"] if k in table.highlight else []) + (["break"] if k in table.breaks else [])
        row_class = f' class="{" ".join(row_classes)}"' if row_classes else ""
        out.append(f"<tr{row_class}>{''.join(cells)}</tr>")
    out.append("</tbody></table></div>")
    for note in table.notes:
        out.append(f'<p class="table-note">{escape(note)}</p>')
    return "\n".join(out)


def _definitions(items: list[tuple[str, str]], css: str = "") -> str:
    body = "".join(f"<dt>{escape(term)}</dt><dd>{_linked(text)}</dd>" for term, text in items)
    css_class = f' class="{css}"' if css else ""
    return f"<dl{css_class}>{body}</dl>"


def _linked(text: str) -> str:
    """Escape ``text``; a value that is a plain http(s) URL becomes a link (a reference, not a resource)."""
    if text.startswith(("https://", "http://")) and " " not in text:
        return f'<a href="{escape(text)}" rel="noreferrer">{escape(text)}</a>'
    return escape(text)


def _nowrap_dates(text: str) -> str:
    """Keep ISO dates on one line (a browser may break at their hyphens)."""
    return re.sub(r"(\d{4}-\d{2}-\d{2})", r'<span class="date">\1</span>', text)


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG from its IHDR chunk."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    return struct.unpack(">II", png[16:24])


def _script_safe(text: str) -> str:
    """JSON that cannot end the ``<script>`` element early (``</`` becomes ``<\\/``, valid JSON)."""
    return text.replace("</", "<\\/").replace("<!--", "<\\u0021--")


__all__ = ["CSS", "png_size", "render_fragment", "render_html"]
