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
from events.tickers import TICKER_PATTERN
from events.errors import TrackerError
from tracker.config import Settings
from tracker.errors import ConfigError
from tracker.ingest.cursors import Cursor, cursor_stream, plan_window
from tracker.ingest.news import (
    NewsOutcome,
    feed_stream,
    is_new_payload,
    news_stream,
    parse_payload,
    payload_fact,
)
from tracker.ingest.prices import TickerOutcome, fetch_prices, fill_fetch_counts, write_prices
from tracker.news.items import FEED_FORMAT, YFINANCE_FORMAT
from tracker.sources import Sources, default_sources
from tracker.sources.errors import RateLimited, SourceError, SourceUnreachable
from tracker.sources.retry import RetryPolicy, with_retries
from tracker.storage import open_reader, open_writer
from warehouse import Run
from warehouse.vocabulary import IngestCursorMoved, NewsPayloadFetched

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
    tagging: Any = None              # tracker.curation.tagging.TagReport of the tagging that followed, if any
    tagging_error: str | None = None

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
    def tagged(self, report: Any, error: str | None) -> None: ...
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
    """Run one ingestion and record it; returns the report (never raises for source errors).

    ``clock`` and ``sleep`` are injectable so tests can place a run at a given moment and keep
    backoff fast; ``lock_timeout`` overrides how long each write waits for the file lock.
    """
    run = _IngestRun(settings, request, sources, observer or IngestObserver(), clock, sleep, lock_timeout)
    run.start()
    try:
        run.ingest_prices()
        run.ingest_news()
        run.tag_news()
    except BaseException as exc:
        run.record_crash(exc)
        raise
    return run.finish()


class _IngestRun:
    """The steps of :func:`run_ingest`, sharing the run's settings and what it learned."""

    def __init__(self, settings, request, sources, observer, clock, sleep, lock_timeout) -> None:
        self.started = time.monotonic()
        self.request, self.observer, self.clock, self.sleep = request, observer, clock, sleep
        self.cfg = settings.ingest
        self.today = clock().astimezone(NEW_YORK).date()
        check_request(request, self.today)
        self.tickers = request.tickers or configured_tickers(settings)
        self.want_news = self.cfg.news if request.news is None else request.news
        self.feeds = settings.feeds.urls if self.want_news else ()
        self.sources = sources or default_sources(self.cfg.timeout, self.cfg.news_count, settings.feeds.timeout)
        self.policy = RetryPolicy(self.cfg.retries, self.cfg.backoff, self.cfg.backoff_max)
        self.settings = settings if lock_timeout is None else _with_lock_timeout(settings, lock_timeout)
        self.source_name = self.sources.prices.name
        self.outcomes = [TickerOutcome(t) for t in self.tickers]
        self.news: list[NewsOutcome] = []
        self.blocked: SourceError | None = None  # a source-wide error: stop asking Yahoo in this run
        self.tagging = None
        self.tagging_error: str | None = None

    def start(self) -> None:
        """Record ``RunStarted`` and read the cursors, stored ranges and latest news payloads."""
        request, name = self.request, self.source_name
        args = {
            "tickers": list(self.tickers), "since": _iso(request.since), "until": _iso(request.until),
            "news": self.want_news, "feeds": list(self.feeds), "trigger": request.trigger, "source": name,
            "versions": _versions(),
        }
        streams = {t: cursor_stream(name, t) for t in self.tickers}
        with open_writer(self.settings) as warehouse:
            self.run = warehouse.start_run(COMMAND, args)
            self.calendar = warehouse.calendar()
            known = warehouse.latest_facts(IngestCursorMoved, list(streams.values()))
            self.cursors = {t: Cursor.from_content(known[s]) for t, s in streams.items() if s in known}
            self.stored = warehouse.price_ranges(self.tickers)
            news_streams = [news_stream(t) for t in self.tickers] + [feed_stream(u) for u in self.feeds]
            self.latest_news = warehouse.latest_facts(NewsPayloadFetched, news_streams) if self.want_news else {}
        self.observer.started(self.run.run_id, self.tickers, self.feeds)

    def ingest_prices(self) -> None:
        for index, outcome in enumerate(self.outcomes):
            if self.blocked is not None:
                outcome.status, outcome.error = "skipped", f"skipped: {self.blocked.message}"
            else:
                if index and self.cfg.pause:
                    self.sleep(self.cfg.pause)
                self.observer.ticker_started(outcome.ticker)
                self.ingest_ticker(outcome)
            self.observer.ticker_done(outcome)

    def ingest_ticker(self, outcome: TickerOutcome) -> None:
        """Fetch one ticker (retrying transient errors), then write it in its own transaction."""
        ticker, cursor, stored = outcome.ticker, self.cursors.get(outcome.ticker), self.stored.get(outcome.ticker)
        window = plan_window(
            cursor=cursor, stored=stored, since=self.request.since, until=self.request.until, today=self.today,
            lag=self.cfg.lag, history_start=self.cfg.history_start, calendar=self.calendar,
        )
        outcome.window = window.describe()
        try:
            fetched = fetch_prices(
                self.sources.prices, ticker, window, cursor=cursor, stored=stored, now=self.clock(),
                calendar=self.calendar, policy=self.policy, sleep=self.sleep,
                on_retry=lambda attempt, wait, exc: self.observer.retrying(ticker, attempt, wait, exc),
            )
        except SourceError as exc:
            outcome.status, outcome.error, outcome.transient = "failed", str(exc), exc.transient
            outcome.attempts = getattr(exc, "attempts", 1)
            if isinstance(exc, (SourceUnreachable, RateLimited)):
                self.blocked = exc
            return
        fill_fetch_counts(outcome, fetched)
        with open_writer(self.settings) as warehouse:
            write_prices(warehouse, self.run, fetched, cursor, self.source_name, outcome)
        outcome.status = "succeeded"

    def ingest_news(self) -> None:
        """Fetch news; store each new payload with its parsed articles in one transaction."""
        if not self.want_news:
            return
        fetched = _fetch_news(self.sources, self.tickers, self.feeds, self.latest_news, self.blocked,
                              self.policy, self.sleep, self.clock, self.observer)
        self.news = [outcome for outcome, _, _ in fetched]
        stored = [(outcome, fact, parsed) for outcome, fact, parsed in fetched if fact is not None]
        if not stored:
            return
        from tracker.news import record_news

        with open_writer(self.settings) as warehouse:
            with warehouse.transaction():
                warehouse.append_facts([fact for _, fact, _ in stored], self.run)
                keys = warehouse.latest_keys(NewsPayloadFetched, [fact.stream for _, fact, _ in stored])
                for outcome, fact, parsed in stored:
                    if parsed is not None:
                        result = record_news(warehouse, self.run, parsed, payload_ref=keys[fact.stream])
                        outcome.articles, outcome.new_articles = result.articles, result.new_articles
                warehouse.catch_up()

    def tag_news(self) -> None:
        """Tag the articles not tagged yet (recorded as its own ``events tag`` run)."""
        from tracker.curation.tagging import news_waiting, tag_news

        if not self.want_news:
            return
        with open_reader(self.settings) as warehouse:
            if not news_waiting(warehouse):
                return
        try:
            self.tagging = tag_news(self.settings)
        except TrackerError as exc:  # the articles stay in the log; `tracker events tag` retries
            self.tagging_error = str(exc)
        self.observer.tagged(self.tagging, self.tagging_error)

    def finish(self) -> IngestReport:
        report = _report(self.run, self.outcomes, self.news, self.blocked, self.started)
        report.tagging, report.tagging_error = self.tagging, self.tagging_error
        with open_writer(self.settings) as warehouse:
            warehouse.finish_run(self.run, report.status, _counts(report), report.error)
            report.head = warehouse.head()
        report.seconds = time.monotonic() - self.started
        self.observer.finished(report)
        return report

    def record_crash(self, exc: BaseException) -> None:
        """Record a failed run when the body died (a bug, ^C, a lost lock); never mask ``exc``."""
        message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        report = IngestReport(self.run.run_id, "failed", self.outcomes, self.news, 0, 0.0, message)
        try:
            with open_writer(self.settings) as warehouse:
                warehouse.finish_run(self.run, "failed", _counts(report), message)
        except Exception:  # e.g. the lock is held elsewhere: the run stays "incomplete"
            pass


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
) -> list[tuple[NewsOutcome, NewsPayloadFetched | None, Any]]:
    """Fetch Yahoo news per ticker and every feed; return outcomes, the facts to append and their articles."""
    from tracker.sources.feeds import feed_text

    results: list[tuple[NewsOutcome, NewsPayloadFetched | None, Any]] = []
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
                    candidate = payload_fact(YFINANCE_FORMAT, ticker, items, clock())
                    outcome.status = "succeeded"
                    if is_new_payload(candidate, latest.get(news_stream(ticker))):
                        fact, outcome.stored = candidate, True
            except SourceError as exc:
                outcome.status, outcome.error = "failed", str(exc)
                outcome.attempts = getattr(exc, "attempts", 1)
                if isinstance(exc, (SourceUnreachable, RateLimited)):
                    blocked = exc
        parsed = _parse(outcome, fact, (ticker,))
        observer.news_done(outcome)
        results.append((outcome, fact, parsed))

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
                        FEED_FORMAT, url, text, clock(),
                        etag=response.etag, last_modified=response.last_modified, status=response.status,
                    )
                    outcome.status = "succeeded"
                    if is_new_payload(candidate, previous or None):
                        fact, outcome.stored = candidate, True
            except SourceError as exc:
                outcome.status, outcome.error = "failed", str(exc)
                outcome.attempts = getattr(exc, "attempts", 1)
        parsed = _parse(outcome, fact, ())
        observer.news_done(outcome)
        results.append((outcome, fact, parsed))
    return results


def _parse(outcome: NewsOutcome, fact: NewsPayloadFetched | None, tickers: tuple[str, ...]) -> Any:
    """The articles of a payload about to be stored; a payload that does not parse is kept raw."""
    if fact is None:
        return None
    from tracker.news import NewsPayloadError

    try:
        parsed = parse_payload(fact, tickers)
    except NewsPayloadError as exc:
        outcome.error = f"stored raw, no articles: {exc.message}"
        return None
    outcome.malformed = len(parsed.problems)
    return parsed


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
        "news_articles_new": sum(n.new_articles for n in report.news),
        "tagging": {"run_id": report.tagging.run_id, "tagged": dict(report.tagging.tagged), "new_events": report.tagging.new_events}
        if report.tagging is not None else ({"error": report.tagging_error} if report.tagging_error else None),
    }


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
