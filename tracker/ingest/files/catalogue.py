"""``tracker import events``: a curated catalogue file becomes ``EventCatalogued`` facts.

Each row is validated and aligned to day 0 (see :mod:`events.sessions`) before anything is
stored; one bad row rejects the file. A row that changed since the last import is recorded as
the event's next revision; an unchanged row adds nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from events.catalogue import parse_catalogue
from tracker.config import Settings
from tracker.errors import InputFileError
from tracker.storage import open_writer, recorded_run
from warehouse.vocabulary import EventCatalogued


@dataclass(frozen=True)
class CatalogueImportReport:
    run_id: str
    path: Path
    events: int
    added: int
    unchanged: int
    revised: int
    head: int


def read_catalogue_text(path: Path) -> str:
    if not path.is_file():
        raise InputFileError(f"no such file: {path}")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def import_catalogue(settings: Settings, path: Path, *, text: str | None = None) -> CatalogueImportReport:
    """Import an event catalogue CSV (``text`` may carry the content of a packaged file)."""
    path = Path(path)
    content = read_catalogue_text(path) if text is None else text
    try:
        reader = csv.DictReader(io.StringIO(content))
        rows, ragged = [], []
        for row in reader:
            rows.append(row)
            if None in row or None in row.values():  # more fields than the header, or fewer
                fields = sum(v is not None for k, v in row.items() if k is not None) + len(row.get(None) or [])
                ragged.append(f"line {reader.line_num}: {fields} fields, the header has {len(reader.fieldnames or [])}"
                              + (" (a truncated row?)" if None in row.values() else " (quote values that contain commas)"))
        columns = reader.fieldnames or []
    except csv.Error as exc:
        raise InputFileError(f"{path} is not valid CSV: {exc}") from None
    if ragged:
        more = f"; … and {len(ragged) - 5} more" if len(ragged) > 5 else ""
        raise InputFileError(f"catalogue {path} rejected, nothing stored: {'; '.join(ragged[:5])}{more}")
    with open_writer(settings) as warehouse:
        with recorded_run(warehouse, "import events", {"path": str(path)}) as log:
            events = parse_catalogue(rows, columns, warehouse.calendar(), source=str(path))
            facts = [EventCatalogued(**e.content()) for e in events]
            with warehouse.transaction():
                result = warehouse.append_facts(facts, log.run)
                warehouse.catch_up()
            log.counts = {
                "events": len(events),
                "facts_added": result.added,
                "facts_unchanged": result.unchanged,
                "corrections": result.revised,
            }
        head = warehouse.head()
    return CatalogueImportReport(log.run.run_id, path, len(events), result.added, result.unchanged, result.revised, head)
