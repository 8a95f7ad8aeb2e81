"""Rendering an ingestion run: plain log lines (pipes, the scheduler) or a rich progress bar."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tracker.ingest.news import NewsOutcome
from tracker.ingest.prices import TickerOutcome
from tracker.ingest.run import IngestObserver, IngestReport
from tracker.sources.errors import SourceError


def describe_ticker(outcome: TickerOutcome) -> str:
    if outcome.status == "succeeded":
        extras = []
        if outcome.dividends:
            extras.append(f"{outcome.dividends} dividend(s)")
        if outcome.splits:
            extras.append(f"{outcome.splits} split(s)")
        if outcome.full_reread:
            extras.append(f"full re-read after the {outcome.full_reread} split")
        if outcome.provisional:
            extras.append(f"{outcome.provisional} bar(s) of an open session not stored yet")
        if outcome.off_calendar:
            extras.append(f"{outcome.off_calendar} bar(s) on days XNYS does not trade (stored; `returns` skips them)")
        if outcome.nan_rows or outcome.duplicate_rows:
            extras.append(f"{outcome.nan_rows} NaN row(s) and {outcome.duplicate_rows} repeated date(s) dropped")
        retried = f", {outcome.attempts} attempts" if outcome.attempts > 1 else ""
        tail = f"; {', '.join(extras)}" if extras else ""
        return (
            f"{outcome.ticker}: {outcome.bars} bar(s) {outcome.window}{retried} -> {outcome.facts_added} new fact(s), "
            f"{outcome.duplicates} already known, {outcome.corrections} correction(s){tail}"
        )
    if outcome.status == "skipped":
        return f"{outcome.ticker}: {outcome.error}"
    attempts = f" after {outcome.attempts} attempts" if outcome.attempts > 1 else ""
    return f"{outcome.ticker}: FAILED{attempts}: {outcome.error}"


def describe_news(outcome: NewsOutcome) -> str:
    what = f"news {outcome.subject}" if outcome.kind == "yfinance" else f"feed {outcome.subject}"
    if outcome.status == "succeeded":
        items = f"{outcome.items} item(s), " if outcome.items is not None else ""
        if not outcome.stored:
            return f"{what}: {items}unchanged"
        if outcome.articles is None:
            return f"{what}: {items}new payload {outcome.error or 'stored'}"
        malformed = f", {outcome.malformed} malformed item(s) skipped" if outcome.malformed else ""
        return f"{what}: {items}new payload: {outcome.articles} article(s), {outcome.new_articles} new{malformed}"
    if outcome.status == "not_modified":
        return f"{what}: not modified (HTTP 304)"
    if outcome.status == "empty":
        return f"{what}: no items"
    if outcome.status == "skipped":
        return f"{what}: {outcome.error}"
    return f"{what}: FAILED: {outcome.error}"


def describe_tagging(report, error: str | None) -> str:
    if report is None:
        return f"tagging failed, the articles are kept for `tracker events tag`: {error}"
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(report.tagged.items())) or "nothing"
    return f"tagged {report.news_read:,} new article(s): {kinds}; {report.new_events} new event(s) (run {report.run_id})"


def describe_report(report: IngestReport) -> str:
    ok = sum(1 for t in report.tickers if t.status == "succeeded")
    stored = sum(1 for n in report.news if n.stored)
    news = f", {stored} news payload(s) stored" if report.news else ""
    return (
        f"run {report.run_id} {report.status} in {report.seconds:.1f} s: {ok} of {len(report.tickers)} ticker(s) ingested, "
        f"{report.facts_added:,} new fact(s){news}; log head {report.head:,}"
    )


class LineObserver(IngestObserver):
    """One plain line per event, through ``emit`` (stdout when piped, the scheduler's log)."""

    def __init__(self, emit: Callable[[str], None]) -> None:
        self.emit = emit
        self.skipped: dict[str, list[str]] = {}  # reason -> subjects; one line at the end, not one each

    def _skip(self, subject: str, reason: str | None) -> None:
        self.skipped.setdefault((reason or "skipped").removeprefix("skipped: "), []).append(subject)

    def started(self, run_id: str, tickers: Sequence[str], feeds: Sequence[str]) -> None:
        feeds_text = f" and {len(feeds)} feed(s)" if feeds else ""
        self.emit(f"run {run_id}: {len(tickers)} ticker(s){feeds_text}")

    def retrying(self, subject: str, attempt: int, wait: float, error: SourceError) -> None:
        self.emit(f"{subject}: {error.message}; retry {attempt} in {wait:.1f} s")

    def ticker_done(self, outcome: TickerOutcome) -> None:
        if outcome.status == "skipped":
            self._skip(outcome.ticker, outcome.error)
        else:
            self.emit(describe_ticker(outcome))

    def news_done(self, outcome: NewsOutcome) -> None:
        if outcome.status == "skipped":
            self._skip(f"{'news' if outcome.kind == 'yfinance' else 'feed'} {outcome.subject}", outcome.error)
        else:
            self.emit(describe_news(outcome))

    def tagged(self, report, error: str | None) -> None:
        self.emit(describe_tagging(report, error))

    def finished(self, report: IngestReport) -> None:
        for reason, subjects in self.skipped.items():
            shown = ", ".join(subjects[:6]) + (f" and {len(subjects) - 6} more" if len(subjects) > 6 else "")
            self.emit(f"skipped {len(subjects)} fetch(es) ({shown}): {reason}")
        self.emit(describe_report(report))


class ProgressObserver(LineObserver):
    """A rich progress bar over the tickers (on a terminal), with each result printed above it."""

    def __init__(self, console) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        super().__init__(lambda line: self.progress.console.print(line, markup=False, highlight=False))
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console, transient=True,
        )
        self.task = None

    def started(self, run_id: str, tickers: Sequence[str], feeds: Sequence[str]) -> None:
        self.progress.start()
        self.task = self.progress.add_task("prices", total=len(tickers))
        super().started(run_id, tickers, feeds)

    def ticker_started(self, ticker: str) -> None:
        self.progress.update(self.task, description=f"prices: {ticker}")

    def ticker_done(self, outcome: TickerOutcome) -> None:
        super().ticker_done(outcome)
        self.progress.advance(self.task)

    def news_done(self, outcome: NewsOutcome) -> None:
        self.progress.update(self.task, description="news")
        super().news_done(outcome)

    def finished(self, report: IngestReport) -> None:
        self.stop()
        super().finished(report)

    def stop(self) -> None:
        self.progress.stop()


class ImportBar:
    """A rich progress bar over the bytes of the files a price import reads (on a terminal; stderr).

    Use as a context manager and pass :meth:`update` as the import's ``progress``.
    """

    def __init__(self, console) -> None:
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TextColumn("{task.fields[bars]}"),
            TimeElapsedColumn(), TimeRemainingColumn(), console=console, transient=True,
        )
        self.task = None

    def __enter__(self) -> ImportBar:
        self.progress.start()
        self.task = self.progress.add_task("prices", total=None, bars="")
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()

    def update(self, step) -> None:
        """One :class:`tracker.ingest.files.prices.ImportProgress`."""
        self.progress.update(self.task, total=step.bytes, completed=step.bytes_done,
                             description=f"prices: {step.files_done:,}/{step.files:,} files",
                             bars=f"{step.bars_read:,} bars, {step.facts_added:,} new")
