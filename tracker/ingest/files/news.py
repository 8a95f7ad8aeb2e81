"""``tracker import news``: news files (CSV, yfinance JSON, RSS/Atom) become news facts.

Every file is read and parsed before the warehouse is opened, so the write lock is held only
while appending. Each file is then recorded in its own transaction through
:func:`tracker.news.record_news`, the same code live ingestion uses. A file that is
not its format at all, or none of whose items can be used (every row malformed, say times
without an offset), is rejected (nothing of it stored); malformed items inside a good file are
counted, the first few reported, and skipped; symbols that are not equity tickers are dropped
from their articles (which are kept) and counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from events.errors import TrackerError
from tracker.config import Settings
from tracker.errors import InputFileError
from tracker.news.items import ParsedPayload
from tracker.news.parse import SUFFIX_FORMATS, detect_format, parse_news_payload, resolve_format
from tracker.news.record import NewsRecordResult, record_news
from tracker.storage import open_writer, recorded_run


@dataclass(frozen=True)
class NewsFileOutcome:
    """One file: what was recorded, or why it was rejected."""

    path: Path
    format: str | None
    result: NewsRecordResult | None = None
    error: str | None = None


@dataclass(frozen=True)
class NewsImportReport:
    run_id: str
    files: tuple[NewsFileOutcome, ...]
    head: int

    @property
    def recorded(self) -> tuple[NewsRecordResult, ...]:
        return tuple(f.result for f in self.files if f.result is not None)

    @property
    def rejected(self) -> tuple[NewsFileOutcome, ...]:
        return tuple(f for f in self.files if f.error is not None)

    def total(self, name: str) -> int:
        return sum(getattr(r, name) for r in self.recorded)

    @property
    def added(self) -> int:
        return sum(r.facts.added for r in self.recorded)

    @property
    def unchanged(self) -> int:
        return sum(r.facts.unchanged for r in self.recorded)


def discover_news_files(paths: Sequence[Path]) -> list[Path]:
    """Files as given (any name), folders expanded to their news files (.csv .json .xml .rss .atom)."""
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise InputFileError(f"no such file or folder: {', '.join(missing)}")
    files: dict[Path, None] = {}
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIX_FORMATS)
            if not found:
                raise InputFileError(f"folder {path} has no news files ({', '.join(SUFFIX_FORMATS)})")
            files.update(dict.fromkeys(found))
        else:
            files[path] = None
    return list(files)


def _nothing_usable(path: Path, payload: ParsedPayload, shown: int = 3) -> str | None:
    """Why a file whose every item is malformed is rejected (``None`` if any item can be used)."""
    if payload.items or not payload.problems:
        return None
    problems = "; ".join(str(p) for p in payload.problems[:shown])
    more = f"; … and {len(payload.problems) - shown} more" if len(payload.problems) > shown else ""
    return f"{path}: none of its {len(payload.problems)} item(s) could be used: {problems}{more}"


def import_news(
    settings: Settings,
    paths: Sequence[Path],
    *,
    format: str | None = None,
    tickers: Sequence[str] = (),
    fetched_at: dt.datetime | None = None,
) -> NewsImportReport:
    """Import news files; ``format`` forces one format (default: by suffix, then by content)."""
    forced = resolve_format(format) if format else None
    files = discover_news_files(paths)
    parsed: list[tuple[Path, str | None, ParsedPayload | None, str | None]] = []
    for path in files:
        fmt = forced
        try:
            data = path.read_bytes()
            fmt = fmt or detect_format(path, data)
            payload = parse_news_payload(fmt, data, str(path), tickers=tickers, fetched_at=fetched_at)
            unusable = _nothing_usable(path, payload)
            parsed.append((path, fmt, None, unusable) if unusable else (path, fmt, payload, None))
        except OSError as exc:
            parsed.append((path, fmt, None, f"{path}: cannot read ({exc.strerror or exc})"))
        except TrackerError as exc:
            parsed.append((path, fmt, None, str(exc)))

    outcomes: list[NewsFileOutcome] = []
    with open_writer(settings) as warehouse:
        args = {"paths": [str(p) for p in paths], "files": len(files), "format": forced, "tickers": list(tickers)}
        with recorded_run(warehouse, "import news", args) as log:
            for path, fmt, payload, error in parsed:
                if payload is None:
                    outcomes.append(NewsFileOutcome(path, fmt, error=error))
                    continue
                with warehouse.transaction():
                    outcomes.append(NewsFileOutcome(path, fmt, record_news(warehouse, log.run, payload)))
                    warehouse.catch_up()
            report = NewsImportReport(log.run.run_id, tuple(outcomes), 0)
            log.counts = {
                "files": len(files),
                "files_rejected": len(report.rejected),
                "items": report.total("items"),
                "articles": report.total("articles"),
                "new_articles": report.total("new_articles"),
                "malformed_items": report.total("malformed"),
                "undated_items": report.total("undated"),
                "dropped_tickers": report.total("dropped_count"),
                "facts_added": report.added,
                "facts_unchanged": report.unchanged,
            }
            if report.rejected or report.total("malformed"):
                log.status = "failed" if len(report.rejected) == len(files) else "partial"
                parts = []
                if report.rejected:
                    parts.append("rejected: " + ", ".join(str(f.path) for f in report.rejected))
                if report.total("malformed"):
                    parts.append(f"{report.total('malformed')} malformed item(s) skipped")
                log.error = "; ".join(parts)
        head = warehouse.head()
    return NewsImportReport(log.run.run_id, tuple(outcomes), head)
