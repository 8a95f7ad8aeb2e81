"""``tracker import factors``: daily factor returns become ``FactorReturnsObserved`` facts.

Two shapes are read, recognised by their content:

* the Ken French daily CSV as published (``F-F_Research_Data_Factors_daily.CSV``,
  ``F-F_Momentum_Factor_daily.CSV``, also inside the ``.zip`` the library distributes): a few
  lines of text, a header whose first cell is empty (``,Mkt-RF,SMB,HML,RF``), ``YYYYMMDD`` or
  ISO dates, values in percent, missing values coded ``-99.99`` or ``-999``, and possibly text
  or a trailing annual section after the daily rows (everything after the first non-daily row
  is ignored);
* a plain CSV with a ``date`` column: ``date,mkt_rf,smb,hml,rf`` or ``date,mom`` (the format
  of ``../shared/data/factors/``).

Values are in percent unless ``units="decimal"``; they are stored as decimals. A missing value
is stored as missing (``null``), never as zero. Every file is checked before anything is
stored, and one bad file stops the import with its first bad lines.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from events.errors import clip
from tracker.config import Settings
from tracker.errors import InputFileError
from tracker.storage import open_writer, recorded_run
from warehouse.vocabulary import FACTOR_NAMES, FactorReturnsObserved

UNITS = ("percent", "decimal")
MISSING_CODES = (-99.99, -999.0)
ALIASES = {"mkt-rf": "mkt_rf", "mkt_rf": "mkt_rf", "mktrf": "mkt_rf", "smb": "smb", "hml": "hml", "rf": "rf",
           "mom": "mom", "umd": "mom", "wml": "mom"}
MAX_LINES_SHOWN = 10
_DAILY = re.compile(r"^(\d{8}|\d{4}-\d{2}-\d{2})$")
_MONTHLY = re.compile(r"^(\d{6}|\d{4}-\d{2})$")


@dataclass(frozen=True)
class FactorFile:
    """One parsed file: its factors (canonical order) and ``(date, values)`` rows, decimals."""

    path: Path
    names: tuple[str, ...]
    rows: tuple[tuple[dt.date, tuple[float | None, ...]], ...]

    @property
    def first(self) -> dt.date:
        return self.rows[0][0]

    @property
    def last(self) -> dt.date:
        return self.rows[-1][0]

    @property
    def missing(self) -> int:
        return sum(v is None for _, values in self.rows for v in values)


@dataclass(frozen=True)
class FactorImportReport:
    run_id: str
    files: tuple[FactorFile, ...]
    added: int
    unchanged: int
    revised: int
    head: int


def read_factor_text(path: Path) -> str:
    """The text of a factor file, or of the single CSV inside a ``.zip``."""
    if not path.is_file():
        raise InputFileError(f"no such file: {path}")
    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.namelist() if m.lower().endswith((".csv", ".txt"))]
                if len(members) != 1:
                    raise InputFileError(f"{path}: expected one .csv inside the zip, found {len(members)}")
                data = archive.read(members[0])
        else:
            data = path.read_bytes()
    except zipfile.BadZipFile:
        raise InputFileError(f"{path} is not a readable zip file") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # the Ken French files are plain ASCII; be lenient with notes


def parse_factor_file(path: Path, text: str, units: str = "percent") -> FactorFile:
    """Find the daily table in ``text`` and check every row; raise :class:`InputFileError` if bad."""
    if units not in UNITS:
        raise InputFileError(f"unknown units {units!r}", hint=f"use one of: {', '.join(UNITS)}")
    try:
        lines = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise InputFileError(f"{path}: not a readable CSV ({exc})", hint="give the daily factor file as published") from None
    header_at = _find_header(path, lines)
    header = [cell.strip() for cell in lines[header_at]]
    names = [ALIASES.get(cell.lower()) for cell in header[1:]]
    unknown = [cell for cell, name in zip(header[1:], names) if name is None and cell]
    if unknown or not any(names):
        raise InputFileError(
            f"{path}: line {header_at + 1}: unknown factor column(s) {clip(', '.join(unknown)) or '(none)'}",
            hint=f"known factors: {', '.join(FACTOR_NAMES)} (Ken French headers Mkt-RF, SMB, HML, RF, Mom)",
        )
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise InputFileError(f"{path}: line {header_at + 1}: factor column(s) given twice: {', '.join(duplicated)}")
    order = [names.index(name) for name in FACTOR_NAMES if name in names]
    scale = 0.01 if units == "percent" else 1.0

    problems: list[str] = []
    seen: dict[dt.date, int] = {}
    rows: list[tuple[dt.date, tuple[float | None, ...]]] = []
    for number in range(header_at + 1, len(lines)):
        cells = [cell.strip() for cell in lines[number]]
        if not cells or not _DAILY.match(cells[0]):
            if rows or problems:
                break  # end of the daily table: notes, copyright, or an annual section follow
            if cells and _MONTHLY.match(cells[0]):
                raise InputFileError(f"{path}: line {number + 1}: {cells[0]!r} is a monthly date", hint="import the daily factor file")
            continue
        line = number + 1
        day = _date(cells[0])
        if day is None:
            problems.append(f"line {line}: date {clip(cells[0])!r} is not a calendar date")
            continue
        if day in seen:
            problems.append(f"line {line}: duplicate date {day} (first on line {seen[day]})")
            continue
        seen[day] = line
        if len(cells) != len(header):
            problems.append(f"line {line}: {len(cells)} cells, the header has {len(header)}")
            continue
        values: list[float | None] = []
        for index in order:
            text_value = cells[index + 1]
            value = _number(text_value)
            if isinstance(value, str):
                problems.append(f"line {line}: {names[index]} {clip(text_value)!r} {value}")
                break
            values.append(None if value is None else round(value * scale, 12))
        else:
            rows.append((day, tuple(values)))
    if problems:
        shown = "\n  ".join(problems[:MAX_LINES_SHOWN])
        more = f"\n  … and {len(problems) - MAX_LINES_SHOWN} more" if len(problems) > MAX_LINES_SHOWN else ""
        raise InputFileError(f"factor file {path} rejected, nothing stored:\n  {shown}{more}")
    if not rows:
        raise InputFileError(f"{path}: no daily rows after the header on line {header_at + 1}")
    rows.sort(key=lambda row: row[0])
    return FactorFile(path, tuple(name for name in FACTOR_NAMES if name in names), tuple(rows))


def _find_header(path: Path, lines: list[list[str]]) -> int:
    """Index of the header line: ``date,...`` (plain format) or ``,Mkt-RF,...`` just above a dated row."""
    for index, cells in enumerate(lines):
        first = cells[0].strip().lower() if cells else ""
        if first == "date" and len(cells) > 1:
            return index
        if first == "" and len(cells) > 1 and any(c.strip() for c in cells[1:]):
            following = lines[index + 1] if index + 1 < len(lines) else []
            if following and (_DAILY.match(following[0].strip()) or _MONTHLY.match(following[0].strip())):
                return index
    raise InputFileError(
        f"{path}: no factor table found",
        hint="expected a Ken French daily CSV (header ,Mkt-RF,SMB,HML,RF) or a CSV with columns date,mkt_rf,smb,hml,rf",
    )


def _date(text: str) -> dt.date | None:
    try:
        if len(text) == 8:
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _number(text: str) -> float | None | str:
    """A float, ``None`` for a missing value (empty or a missing code), else what is wrong with ``text``."""
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        return "is not a number"
    if math.isinf(value) and "inf" not in text.lower():
        return "is out of range for a number"  # 1e400: not a missing value
    if not math.isfinite(value):
        return "is not a finite number (write a missing value as -99.99 or leave it empty)"
    if value in MISSING_CODES:
        return None
    return value


def factor_facts(files: list[FactorFile]) -> list[FactorReturnsObserved]:
    """One fact per file and date, holding the factors of that file only."""
    return [
        FactorReturnsObserved(date=day.isoformat(), **dict(zip(parsed.names, values)))
        for parsed in files for day, values in parsed.rows
    ]


def import_factors(settings: Settings, paths: list[Path], *, units: str = "percent") -> FactorImportReport:
    """Import daily factor files; re-importing the same values adds nothing."""
    files = [parse_factor_file(Path(p), read_factor_text(Path(p)), units) for p in paths]
    if not files:
        raise InputFileError("no factor files given")
    facts = factor_facts(files)
    with open_writer(settings) as warehouse:
        args = {"paths": [str(p) for p in paths], "units": units}
        with recorded_run(warehouse, "import factors", args) as log:
            with warehouse.transaction():
                result = warehouse.append_facts(facts, log.run)
                warehouse.catch_up()
            log.counts = {
                "files": len(files),
                "days": sum(len(f.rows) for f in files),
                "facts_added": result.added,
                "facts_unchanged": result.unchanged,
                "corrections": result.revised,
            }
        head = warehouse.head()
    return FactorImportReport(log.run.run_id, tuple(files), result.added, result.unchanged, result.revised, head)
