"""One ingestion run: prices of every ticker, then news, recorded as a run in the log.

The warehouse is opened only while writing (DuckDB allows one writing process per file, and a
long-held connection would lock out ``tracker sql`` and reports): once to record the start and
read the cursors, once per ticker to append its facts, once for the news, once to record the
end. Fetching happens with the file closed.

Failures are contained: a permanent error fails its ticker and the run goes on; a transient
error is retried with bounded exponential backoff and jitter, then fails its ticker. When the
source itself is unreachable or rate limiting after the retries, the remaining tickers are
skipped with that reason rather than hammered. The run's ``counts`` hold every ticker's
outcome (``ingest_tickers`` view); its status is ``succeeded``, ``partial`` or ``failed``.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from events.sessions import NEW_YORK
from events.errors import TrackerError
from tracker.config import Settings
from tracker.errors import ConfigError
from tracker.imports.price_files import TICKER_PATTERN
from tracker.ingest.cursors import CURSOR_KIND, Cursor, cursor_stream, plan_window
from tracker.ingest.news import (
    FEED_FORMAT,
    NEWS_KIND,
    YAHOO_FORMAT,
    NewsOutcome,
    feed_stream,
    is_new_payload,
    news_stream,
    payload_fact,
)
from tracker.ingest.prices import TickerOutcome, fetch_prices, fill_fetch_counts, write_prices
from tracker.sources import Sources, default_sources
from tracker.sources.errors import RateLimited, SourceError, SourceUnreachable
from tracker.sources.retry import RetryPolicy, with_retries
from tracker.storage import open_writer
from warehouse import NewFact, Run
from warehouse.ingest_state import latest_contents, price_ranges

COMMAND = "ingest"


class IngestFailed(TrackerError):
    """An ingestion run stored nothing because every ticker and feed failed (it is recorded)."""


@dataclass(frozen=True)
class IngestRequest:
    tickers: tuple[str, ...] | None = None   # None: the configured ones
    since: dt.date | None = None
    until: dt.date | None = None
    news: bool | None = None                 # None: ingest.news
    trigger: str = "cli"                     # cli | schedule


@dataclass
class IngestReport:
    run_id: str
    status: str
    tickers: list[TickerOutcome]
    news: list[NewsOutcome]
    head: int
    seconds: float
    error: str | None = None
    hint: str | None = None

    @property
    def facts_added(self) -> int:
        return sum(t.facts_added for t in self.tickers) + sum(1 for n in self.news if n.stored)

    @property
    def failed(self) -> list[TickerOutcome]:
        return [t for t in self.tickers if t.status != "succeeded"]


class IngestObserver:
    """Progress callbacks; the CLI and the scheduler render them. Default: silent."""

    def started(self, run_id: str, tickers: Sequence[str], feeds: Sequence[str]) -> None: ...
    def ticker_started(self, ticker: str) -> None: ...
    def retrying(self, subject: str, attempt: int, wait: float, error: SourceError) -> None: ...
    def ticker_done(self, outcome: TickerOutcome) -> None: ...
    def news_done(self, outcome: NewsOutcome) -> None: ...
    def finished(self, report: IngestReport) -> None: ...


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def configured_tickers(settings: Settings) -> tuple[str, ...]:
    """The study watchlist, its market and ``ingest.tickers``, in that order, without repeats."""
    study = settings.study
    return tuple(dict.fromkeys((*study.watchlist, study.market, *settings.ingest.tickers)))


def check_request(request: IngestRequest, today: dt.date) -> None:
    """Refuse a request that cannot be right before anything is opened or fetched."""
    for ticker in request.tickers or ():
        if not re.match(TICKER_PATTERN, ticker):
            raise ConfigError(f"ticker {ticker!r} is not a valid symbol", hint="use Yahoo's spelling, e.g. NVDA, BRK-B, ^GSPC, 2330.TW")
    if request.until is not None and request.since is None:
        raise ConfigError("--until needs --since (a backfill is an explicit range)", hint="e.g. --since 2024-01-01 --until 2024-06-30")
    if request.since is not None:
        if request.until is not None and request.until < request.since:
            raise ConfigError(f"--until {request.until} is before --since {request.since}")
        if request.since > today:
            raise ConfigError(f"--since {request.since} is in the future")


def run_ingest(
    settings: Settings,
    request: IngestRequest = IngestRequest(),
    *,
    sources: Sources | None = None,
    observer: IngestObserver | None = None,
    clock: Callable[[], dt.datetime] = utc_now,
    sleep: Callable[[float], None] = time.sleep,
    lock_timeout: float | None = None,
) -> IngestReport:
    """Run one ingestion and record it; returns the report (never raises for source errors)."""
    started = time.monotonic()
    observer = observer or IngestObserver()
    cfg = settings.ingest
    today = clock().astimezone(NEW_YORK).date()
    check_request(request, today)
    tickers = request.tickers or configured_tickers(settings)
    want_news = cfg.news if request.news is None else request.news
    feeds = settings.feeds.urls if want_news else ()
    sources = sources or default_sources(cfg.timeout, cfg.news_count, settings.feeds.timeout)
    policy = RetryPolicy(cfg.retries, cfg.backoff, cfg.backoff_max)
    writer_settings = settings if lock_timeout is None else _with_lock_timeout(settings, lock_timeout)
    source_name = sources.prices.name

    args = {
        "tickers": list(tickers), "since": _iso(request.since), "until": _iso(request.until),
        "news": want_news, "feeds": list(feeds), "trigger": request.trigger, "source": source_name,
        "versions": _versions(),
    }
    with open_writer(writer_settings) as warehouse:
        run = warehouse.start_run(COMMAND, args)
        calendar = warehouse.calendar()
        known = latest_contents(warehouse.con, CURSOR_KIND, [cursor_stream(source_name, t) for t in tickers])
        cursors = {t: Cursor.from_content(known[cursor_stream(source_name, t)]) for t in tickers if cursor_stream(source_name, t) in known}
        stored = price_ranges(warehouse.con, tickers)
        news_streams = [news_stream(t) for t in tickers] + [feed_stream(u) for u in feeds]
        latest_news = latest_contents(warehouse.con, NEWS_KIND, news_streams) if want_news else {}
    observer.started(run.run_id, tickers, feeds)

    outcomes = [TickerOutcome(t) for t in tickers]
    news: list[NewsOutcome] = []
    blocked: SourceError | None = None  # the source-wide error that stopped the run asking Yahoo
    try:
        for index, outcome in enumerate(outcomes):
            ticker = outcome.ticker
            if blocked is not None:
                outcome.status, outcome.error = "skipped", f"skipped: {blocked.message}"
                observer.ticker_done(outcome)
                continue
            if index and cfg.pause:
                sleep(cfg.pause)
            observer.ticker_started(ticker)
            window = plan_window(
                cursor=cursors.get(ticker), stored=stored.get(ticker), since=request.since, until=request.until,
                today=today, lag=cfg.lag, history_start=cfg.history_start, calendar=calendar,
            )
            outcome.window = window.describe()
            try:
                fetched = fetch_prices(
                    sources.prices, ticker, window, cursor=cursors.get(ticker), stored=stored.get(ticker),
                    now=clock(), calendar=calendar, policy=policy, sleep=sleep,
                    on_retry=lambda attempt, wait, exc, t=ticker: observer.retrying(t, attempt, wait, exc),
                )
            except SourceError as exc:
                outcome.status, outcome.error, outcome.transient = "failed", str(exc), exc.transient
                outcome.attempts = getattr(exc, "attempts", 1)
                if isinstance(exc, (SourceUnreachable, RateLimited)):
                    blocked = exc
                observer.ticker_done(outcome)
                continue
            fill_fetch_counts(outcome, fetched)
            with open_writer(writer_settings) as warehouse:
                write_prices(warehouse, run, fetched, cursors.get(ticker), source_name, outcome)
            outcome.status = "succeeded"
            observer.ticker_done(outcome)

        if want_news:
            fetched = _fetch_news(sources, tickers, feeds, latest_news, blocked, policy, sleep, clock, observer)
            news = [outcome for outcome, _ in fetched]
            facts = [fact for _, fact in fetched if fact is not None]
            if facts:
                with open_writer(writer_settings) as warehouse:
                    with warehouse.transaction():
                        warehouse.append_facts(facts, run)
                        warehouse.catch_up()
    except BaseException as exc:
        _finish_after_crash(writer_settings, run, outcomes, news, exc)
        raise

    report = _report(run, outcomes, news, blocked, started)
    with open_writer(writer_settings) as warehouse:
        warehouse.finish_run(run, report.status, _counts(report), report.error)
        report.head = warehouse.head()
    report.seconds = time.monotonic() - started
    observer.finished(report)
    return report


def _fetch_news(
    sources: Sources,
    tickers: Sequence[str],
    feeds: Sequence[str],
    latest: dict[str, dict[str, Any]],
    blocked: SourceError | None,
    policy: RetryPolicy,
    sleep: Callable[[float], None],
    clock: Callable[[], dt.datetime],
    observer: IngestObserver,
) -> list[tuple[NewsOutcome, NewFact | None]]:
    """Fetch Yahoo news per ticker and every feed; return outcomes with the facts to append."""
    from tracker.sources.feeds import feed_text

    results: list[tuple[NewsOutcome, NewFact | None]] = []
    for ticker in tickers:
        outcome = NewsOutcome("yfinance", ticker)
        fact = None
        if blocked is not None:
            outcome.status, outcome.error = "skipped", f"skipped: {blocked.message}"
        else:
            try:
                items, outcome.attempts = with_retries(
                    lambda t=ticker: sources.news.latest_news(t), policy, sleep=sleep,
                    on_retry=lambda a, w, e, t=ticker: observer.retrying(f"{t} news", a, w, e),
                )
                outcome.items = len(items)
                if not items:
                    outcome.status = "empty"
                else:
                    candidate = payload_fact(YAHOO_FORMAT, news_stream(ticker), ticker, items, clock())
                    outcome.status = "succeeded"
                    if is_new_payload(candidate, latest.get(news_stream(ticker))):
                        fact, outcome.stored = candidate, True
            except SourceError as exc:
                outcome.status, outcome.error = "failed", str(exc)
                outcome.attempts = getattr(exc, "attempts", 1)
                if isinstance(exc, (SourceUnreachable, RateLimited)):
                    blocked = exc
        observer.news_done(outcome)
        results.append((outcome, fact))

    offline = blocked if isinstance(blocked, SourceUnreachable) else None
    for url in feeds:
        outcome = NewsOutcome("feed", url)
        fact = None
        if offline is not None:
            outcome.status, outcome.error = "skipped", f"skipped: {offline.message}"
        else:
            previous = latest.get(feed_stream(url)) or {}
            http = previous.get("http") or {}
            try:
                response, outcome.attempts = with_retries(
                    lambda u=url: sources.feeds.fetch(u, etag=http.get("etag"), last_modified=http.get("last_modified")),
                    policy, sleep=sleep, on_retry=lambda a, w, e, u=url: observer.retrying(u, a, w, e),
                )
                if response.status == 304:
                    outcome.status = "not_modified"
                else:
                    text = feed_text(response)
                    candidate = payload_fact(
                        FEED_FORMAT, feed_stream(url), url, text, clock(),
                        etag=response.etag, last_modified=response.last_modified, status=response.status,
                    )
                    outcome.status = "succeeded"
                    if is_new_payload(candidate, previous or None):
                        fact, outcome.stored = candidate, True
            except SourceError as exc:
                outcome.status, outcome.error = "failed", str(exc)
                outcome.attempts = getattr(exc, "attempts", 1)
        observer.news_done(outcome)
        results.append((outcome, fact))
    return results


def _report(run: Run, tickers: list[TickerOutcome], news: list[NewsOutcome], blocked: SourceError | None, started: float) -> IngestReport:
    ok = [t for t in tickers if t.status == "succeeded"]
    bad = [t for t in tickers if t.status != "succeeded"]
    news_ok = [n for n in news if n.status in ("succeeded", "not_modified", "empty")]
    news_bad = [n for n in news if n.status in ("failed", "skipped")]
    if not bad and not news_bad:
        status, error, hint = "succeeded", None, None
    elif ok or news_ok:
        status = "partial"
        parts = [f"{t.ticker} ({t.error})" for t in bad if t.status == "failed"][:3]
        skipped = sum(1 for t in bad if t.status == "skipped")
        error = f"{len(bad)} of {len(tickers)} ticker(s) not ingested"
        if parts:
            error += ": " + "; ".join(parts)
        if skipped:
            error += f"; {skipped} skipped"
        if news_bad:
            error += f"; {len(news_bad)} news fetch(es) failed or skipped"
        hint = "the next run retries them (see `tracker sql \"SELECT * FROM ingest_tickers\"`)"
    else:
        status = "failed"
        if blocked is not None:
            error, hint = blocked.message, blocked.hint
        else:
            first = next((t.error for t in bad if t.error), "nothing was ingested")
            error, hint = (f"all {len(tickers)} tickers failed; first: {first}" if len(tickers) > 1 else first), None
    return IngestReport(run.run_id, status, tickers, news, 0, time.monotonic() - started, error, hint)


def _counts(report: IngestReport) -> dict[str, Any]:
    tickers = report.tickers
    return {
        "facts_added": report.facts_added,
        "facts_unchanged": sum(t.duplicates for t in tickers),
        "corrections": sum(t.corrections for t in tickers),
        "tickers_succeeded": sum(1 for t in tickers if t.status == "succeeded"),
        "tickers_failed": sum(1 for t in tickers if t.status == "failed"),
        "tickers_skipped": sum(1 for t in tickers if t.status == "skipped"),
        "news_payloads_added": sum(1 for n in report.news if n.stored),
        "tickers": {t.ticker: t.as_counts() for t in tickers},
        "news": {f"{n.kind}:{n.subject}": n.as_counts() for n in report.news},
    }


def _finish_after_crash(
    settings: Settings, run: Run, tickers: list[TickerOutcome], news: list[NewsOutcome], exc: BaseException
) -> None:
    """Record a failed run when the body died (a bug, ^C, a lost lock); never mask ``exc``."""
    message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
    report = IngestReport(run.run_id, "failed", tickers, news, 0, 0.0, message)
    try:
        with open_writer(settings) as warehouse:
            warehouse.finish_run(run, "failed", _counts(report), message)
    except Exception:  # e.g. the lock is still held elsewhere: the run stays "incomplete"
        pass


def _with_lock_timeout(settings: Settings, seconds: float) -> Settings:
    from dataclasses import replace

    return replace(settings, lock_timeout=seconds)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _versions() -> dict[str, str]:
    versions = {}
    for package in ("yfinance", "feedparser"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:  # pragma: no cover
            pass
    return versions


__all__ = ["IngestFailed", "IngestObserver", "IngestReport", "IngestRequest", "configured_tickers", "run_ingest"]
