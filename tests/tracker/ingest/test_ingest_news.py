"""News fetching: Yahoo news and RSS/Atom feeds stored as faithful raw payload facts.

Feeds are served by a real HTTP server on localhost (no network) that honours ETag and
Last-Modified the way feed hosts do.
"""

from __future__ import annotations

import email.utils
import http.server
import json
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from ingest_fixtures import at, no_sleep
from recorded_yahoo import NEWS, RecordedYahoo, recorded_frame, recorded_news, sources_for

from tracker.ingest import IngestRequest, run_ingest
from tracker.sources.errors import PermanentSourceError, TransientSourceError
from tracker.sources.feeds import HttpFeedFetcher
from tracker.storage import open_reader

RSS = (NEWS / "rss_hnrss_frontpage.xml").read_bytes()
ATOM = (NEWS / "atom_reddit.xml").read_bytes()
LAST_MODIFIED = email.utils.formatdate(1_700_000_000, usegmt=True)


class FeedHost(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[bytes, str]] = {}
    seen: list[dict[str, str]] = []
    delay = 0.0

    def do_GET(self):  # noqa: N802 (http.server's naming)
        type(self).seen.append({"path": self.path, **{k: v for k, v in self.headers.items()}})
        if self.path == "/slow":
            time.sleep(self.delay)
        body, kind = self.routes.get(self.path, (b"", ""))
        if not body:
            self.send_response(404)
            self.end_headers()
            return
        etag = f'"v{hash(body) & 0xffff:x}"'
        if self.headers.get("If-None-Match") == etag or self.headers.get("If-Modified-Since") == LAST_MODIFIED:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", LAST_MODIFIED)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def feed_host():
    FeedHost.routes = {
        "/rss": (RSS, "application/rss+xml; charset=utf-8"),
        "/atom": (ATOM, "application/atom+xml"),
        "/page": (b"<!doctype html><html><body><h1>Not a feed</h1></body></html>", "text/html"),
        "/slow": (RSS, "application/rss+xml"),
    }
    FeedHost.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FeedHost)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def news_settings(settings, feeds=()):
    from tracker.config import FeedSettings

    return replace(settings, ingest=replace(settings.ingest, news=True), feeds=FeedSettings(urls=tuple(feeds), timeout=2.0))


def payloads(settings):
    with open_reader(settings) as warehouse:
        return warehouse.query("SELECT seq, stream, content::VARCHAR AS content FROM facts WHERE kind = 'NewsPayloadFetched' ORDER BY seq")


def test_yahoo_news_in_both_shapes_is_stored_verbatim_and_a_refetch_adds_nothing(ingest_settings):
    settings = news_settings(ingest_settings)
    new, legacy = recorded_news("yfinance_news_new_format_WBD_2025-05.json"), recorded_news("yfinance_news_legacy_format_NVDA_2024-01.json")
    transport = RecordedYahoo({"WBD": recorded_frame("AAPL.csv"), "NVDA": recorded_frame("AAPL.csv")}, news={"WBD": new, "NVDA": legacy, "EMPTY": []})
    report = run_ingest(settings, IngestRequest(tickers=("WBD", "NVDA")), sources=sources_for(transport), clock=at(2025, 5, 10, 9), sleep=no_sleep)
    assert [(n.subject, n.status, n.items, n.stored) for n in report.news] == [("WBD", "succeeded", 4, True), ("NVDA", "succeeded", 1, True)]
    stored = {row["stream"]: json.loads(row["content"]) for row in payloads(settings).iter_rows(named=True)}
    wbd = stored["newsfetch/yfinance/WBD"]
    assert wbd["format"] == "yfinance-news-json" and wbd["source"] == "WBD"
    assert wbd["payload"] == new and stored["newsfetch/yfinance/NVDA"]["payload"] == legacy
    assert wbd["fetched_at"].startswith("2025-05-10T13:00:00")
    assert set(wbd["http"]) == {"etag", "last_modified", "status"}

    again = run_ingest(settings, IngestRequest(tickers=("WBD", "NVDA")), sources=sources_for(transport), clock=at(2025, 5, 11, 9), sleep=no_sleep)
    assert [n.stored for n in again.news] == [False, False]
    assert payloads(settings).height == 2

    transport.news_items["WBD"] = new[1:]  # the oldest item rolled off: a new payload
    third = run_ingest(settings, IngestRequest(tickers=("WBD",)), sources=sources_for(transport), clock=at(2025, 5, 12, 9), sleep=no_sleep)
    assert third.news[0].stored and payloads(settings).height == 3
    with open_reader(settings) as warehouse:
        view = warehouse.query("SELECT source, format, items FROM news_payloads ORDER BY seq")
    assert view.rows() == [("WBD", "yfinance-news-json", 4), ("NVDA", "yfinance-news-json", 1), ("WBD", "yfinance-news-json", 3)]


def test_feeds_are_fetched_conditionally_and_an_unchanged_feed_stores_nothing(ingest_settings, feed_host):
    settings = news_settings(ingest_settings, [f"{feed_host}/rss", f"{feed_host}/atom"])
    transport = RecordedYahoo({"AAPL": recorded_frame("AAPL.csv")}, news={"AAPL": []})
    first = run_ingest(settings, IngestRequest(tickers=("AAPL",)), sources=sources_for(transport), clock=at(2025, 2, 14, 19), sleep=no_sleep)
    feeds = [n for n in first.news if n.kind == "feed"]
    assert [(n.status, n.stored) for n in feeds] == [("succeeded", True), ("succeeded", True)]
    assert [n.status for n in first.news if n.kind == "yfinance"] == ["empty"]
    stored = [json.loads(c) for c in payloads(settings)["content"]]
    assert stored[0]["format"] == "feed-xml" and stored[0]["source"] == f"{feed_host}/rss"
    assert stored[0]["payload"] == RSS.decode("utf-8") and stored[1]["payload"] == ATOM.decode("utf-8")
    assert stored[0]["http"]["status"] == 200 and stored[0]["http"]["last_modified"] == LAST_MODIFIED
    assert stored[0]["http"]["etag"].startswith('"v')

    second = run_ingest(settings, IngestRequest(tickers=("AAPL",)), sources=sources_for(transport), clock=at(2025, 2, 15, 19), sleep=no_sleep)
    assert [n.status for n in second.news if n.kind == "feed"] == ["not_modified", "not_modified"]
    conditional = [h for h in FeedHost.seen if h["path"] == "/rss"][-1]
    assert conditional["If-None-Match"] == stored[0]["http"]["etag"] and conditional["If-Modified-Since"] == LAST_MODIFIED
    assert payloads(settings).height == 2


def test_a_page_that_is_not_a_feed_fails_that_feed_only(ingest_settings, feed_host):
    settings = news_settings(ingest_settings, [f"{feed_host}/page", f"{feed_host}/missing", f"{feed_host}/rss"])
    transport = RecordedYahoo({"AAPL": recorded_frame("AAPL.csv")}, news={"AAPL": recorded_news("yfinance_news_legacy_format_NVDA_2024-01.json")})
    report = run_ingest(settings, IngestRequest(tickers=("AAPL",)), sources=sources_for(transport), clock=at(2025, 2, 14, 19), sleep=no_sleep)
    feeds = {n.subject.rsplit("/", 1)[1]: n for n in report.news if n.kind == "feed"}
    assert feeds["page"].status == "failed" and "did not return an RSS or Atom feed" in feeds["page"].error
    assert feeds["missing"].status == "failed" and "HTTP 404" in feeds["missing"].error
    assert feeds["rss"].stored
    assert report.status == "partial" and report.tickers[0].status == "succeeded"


def test_a_feed_that_does_not_answer_times_out_and_is_retried_a_bounded_number_of_times(feed_host):
    FeedHost.delay = 1.5
    fetcher = HttpFeedFetcher(timeout=0.3)
    started = time.monotonic()
    with pytest.raises(TransientSourceError, match="timed out after 0.3 s"):
        fetcher.fetch(f"{feed_host}/slow")
    assert time.monotonic() - started < 1.2
    FeedHost.delay = 0.0


def test_an_unreachable_feed_host_is_reported_as_such():
    from tracker.sources.errors import SourceUnreachable

    with pytest.raises(SourceUnreachable, match="cannot reach feed http://127.0.0.1:9/rss"):
        HttpFeedFetcher(timeout=1).fetch("http://127.0.0.1:9/rss")
    with pytest.raises(PermanentSourceError, match="not usable"):
        HttpFeedFetcher(timeout=1).fetch("ftp:/nonsense")


PAYLOADS = NEWS / "payloads"
REPO_CATALOGUE = Path(__file__).resolve().parents[3] / "tracker" / "data" / "catalogue" / "ai_events.csv"
R1 = "2025-01-20-deepseek-r1"


def test_fetched_news_becomes_articles_in_the_payloads_transaction_and_is_tagged(ingest_settings, feed_host, tmp_path):
    """Live news ends as ``news`` rows (the same articles ``tracker import news`` reads from the same
    payloads), each pointing at its payload fact, and the run tags them: the R1 release links to the
    catalogue event. Fetching the same news again adds no article and starts no tagging run."""
    from tracker.ingest.files import import_catalogue
    from tracker.ingest.files import import_news

    FeedHost.routes["/news"] = ((PAYLOADS / "feed_rss.xml").read_bytes(), "application/rss+xml")
    settings = news_settings(ingest_settings, [f"{feed_host}/news"])
    import_catalogue(settings, REPO_CATALOGUE)
    nvda = json.loads((PAYLOADS / "yfinance_current_NVDA.json").read_text(encoding="utf-8"))
    transport = RecordedYahoo({"NVDA": recorded_frame("AAPL.csv")}, news={"NVDA": nvda})
    report = run_ingest(settings, IngestRequest(tickers=("NVDA",)), sources=sources_for(transport), clock=at(2025, 2, 14, 19), sleep=no_sleep)

    with open_reader(settings) as warehouse:
        news = warehouse.query("SELECT id, title, tickers, content->>'payload' AS payload FROM news JOIN facts USING (seq) ORDER BY id")
        keys = set(warehouse.query("SELECT key FROM facts WHERE kind = 'NewsPayloadFetched'")["key"])
        runs = warehouse.query("SELECT command, run_id FROM runs ORDER BY started_at")
        tags = warehouse.query(f"SELECT news_id, event_id, link FROM news_tags WHERE event_id = '{R1}'")
        seqs = warehouse.query("SELECT kind, run_id FROM facts WHERE kind IN ('NewsPayloadFetched', 'NewsItemObserved')")
    # The same articles as importing the two payloads as files into another warehouse.
    other = replace(settings, db=tmp_path / "other.duckdb")
    import_news(other, [PAYLOADS / "yfinance_current_NVDA.json"], tickers=("NVDA",))
    import_news(other, [PAYLOADS / "feed_rss.xml"])
    with open_reader(other) as warehouse:
        imported = warehouse.query("SELECT id, title FROM news ORDER BY id")
    assert news.select("id", "title").rows() == imported.rows() and news.height >= 5
    assert set(news["payload"]) == keys and len(keys) == 2
    assert set(seqs["run_id"]) == {report.run_id}  # payloads and articles: one run, one transaction
    assert sum(n.new_articles for n in report.news) == news.height
    assert report.tagging is not None and report.tagging.tagged["model_release"] >= 1
    assert list(runs["command"][-2:]) == ["ingest", "events tag"]  # tagging runs inside the ingest run
    assert tags.height == 1 and set(tags["link"]) == {"catalogue"}  # Yahoo and the feed carry the same story: one article

    again = run_ingest(settings, IngestRequest(tickers=("NVDA",)), sources=sources_for(transport), clock=at(2025, 2, 15, 19), sleep=no_sleep)
    assert again.tagging is None and [n.stored for n in again.news] == [False, False]
    with open_reader(settings) as warehouse:
        assert warehouse.query("SELECT count(*) AS n FROM news")["n"][0] == news.height
        assert warehouse.query("SELECT count(*) AS n FROM runs WHERE command = 'events tag'")["n"][0] == 1
