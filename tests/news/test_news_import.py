"""``tracker import news`` and ``record_news_payload``: news facts in a real warehouse."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest

PAYLOAD_FILES = ("headlines.csv", "yfinance_current_NVDA.json", "yfinance_legacy_NVDA.json", "feed_rss.xml", "feed_atom.xml")


def test_import_all_three_formats_deduplicated_and_idempotent(cli, settings, payloads, read):
    paths = [payloads / name for name in PAYLOAD_FILES]
    first = cli("import", "news", *paths, "--db", settings.db)
    assert first.exit_code == 0, first.output
    assert "5 of 5 file(s) imported" in first.output
    # malformed items are reported with their place in the file, the good ones kept
    assert "warning: " in first.output and "headlines.csv: skipped 3 malformed item(s): line 5: published_at 'yesterday'" in first.output
    assert "headlines.csv: kept the articles, dropped 1 symbol(s) that are not equity tickers: line 8: 'DA!'" in first.output
    assert "14 article(s) read, 12 new" in first.output
    assert "yfinance_current_NVDA.json: skipped 1 malformed item(s): item 3: content.title is empty" in first.output

    news = read(settings, "SELECT * FROM news ORDER BY published_at, id")
    # 4 + 3 + 2 + 3 + 2 good items; the R1 story (yfinance + RSS) and the CNBC story (yfinance + CSV) are one article each
    assert news.height == 14 - 2
    r1 = news.filter(news["title"].str.starts_with("DeepSeek releases R1")).row(0, named=True)
    assert r1["tickers"] == ["MSFT", "NVDA"]
    assert r1["url"].startswith("https://finance.yahoo.com/news/deepseek-releases-r1-reasoning-113500123.html")
    cnbc = news.filter(news["url"].str.contains("cnbc.com")).row(0, named=True)
    assert cnbc["canonical_url"] == "https://cnbc.com/2025/01/27/nvidia-falls-deepseek.html"
    assert cnbc["published_at"] == dt.datetime(2025, 1, 27, 14, 45, tzinfo=dt.timezone.utc)
    assert set(news.columns) >= {"id", "published_at", "publisher", "title", "url", "tickers", "source", "seq"}

    facts_before = read(settings, "SELECT count(*) AS n FROM facts").item()
    again = cli("import", "news", *paths, "--db", settings.db)
    assert again.exit_code == 0, again.output
    assert "-> 0 new facts" in again.output
    # only the second run's RunStarted/RunFinished facts were added
    assert read(settings, "SELECT count(*) AS n FROM facts").item() == facts_before + 2
    assert read(settings, "SELECT count(*) AS n FROM news").item() == news.height


def test_raw_payload_is_kept_for_reparsing(cli, settings, payloads, read):
    from tracker.news.record import payload_bytes

    path = payloads / "feed_rss.xml"
    assert cli("import", "news", path, "--db", settings.db).exit_code == 0
    stored = read(settings, "SELECT content FROM facts WHERE kind = 'NewsPayloadImported'")
    (content,) = [json.loads(c) for c in stored["content"]]
    assert content["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert payload_bytes(content) == path.read_bytes()
    refs = read(settings, "SELECT DISTINCT payload FROM news")["payload"].to_list()
    assert refs == [f"news-payload/{content['sha256'][:32]}"]


def test_a_bad_file_is_rejected_and_the_good_ones_are_stored(cli, settings, payloads, tmp_path, read):
    bad = tmp_path / "broken.json"
    bad.write_text("{this is not json", encoding="utf-8")
    result = cli("import", "news", bad, payloads / "feed_atom.xml", "--db", settings.db)
    assert result.exit_code == 1
    assert "1 of 2 file(s) imported" in result.output
    assert f"rejected, nothing from it was stored: {bad}: not valid JSON" in result.output
    assert "Traceback" not in result.output
    assert read(settings, "SELECT count(*) AS n FROM news").item() == 2
    run = read(settings, "SELECT status, error FROM runs WHERE command = 'import news'").row(0, named=True)
    assert run["status"] == "partial" and "broken.json" in run["error"]


def test_missing_path_and_unknown_format_are_one_line_errors(cli, settings, payloads):
    missing = cli("import", "news", "nowhere.csv", "--db", settings.db)
    assert missing.exit_code == 1 and "no such file or folder: nowhere.csv" in missing.output
    unknown = cli("import", "news", payloads / "headlines.csv", "--format", "pdf", "--db", settings.db)
    assert unknown.exit_code == 1 and "unknown news format 'pdf'" in unknown.output


def test_tickers_option_and_format_override(cli, settings, payloads, tmp_path, read):
    copy = tmp_path / "nvda_news.txt"  # no telling suffix: --format decides
    copy.write_bytes((payloads / "yfinance_legacy_NVDA.json").read_bytes())
    result = cli("import", "news", copy, "--format", "yfinance", "--tickers", "AMD", "--db", settings.db)
    assert result.exit_code == 0, result.output
    tickers = read(settings, "SELECT tickers FROM news ORDER BY published_at")["tickers"].to_list()
    assert tickers == [["AMD", "NVDA"], ["AMD", "MSFT", "NVDA"]]


def test_record_news_payload_is_the_library_entry_point(settings, payloads, read):
    from tracker.news import record_news_payload
    from tracker.storage import open_writer, recorded_run

    text = (payloads / "yfinance_current_NVDA.json").read_text(encoding="utf-8")
    with open_writer(settings) as warehouse, recorded_run(warehouse, "ingest news", {}) as log:
        first = record_news_payload(warehouse, log.run, "yfinance-news-json", text, "yfinance:NVDA", tickers=["NVDA"])
        again = record_news_payload(warehouse, log.run, "yfinance-news-json", text, "yfinance:NVDA", tickers=["NVDA"])
        other = record_news_payload(
            warehouse, log.run, "yfinance-news-json", text, "yfinance:AMD", tickers=["AMD"],
            payload_ref="news-payload/fetched-by-ingestion",
        )
    assert (first.items, first.articles, first.new_articles, first.malformed) == (3, 3, 3, 1)
    assert first.facts.added == 4  # the payload and three articles
    assert (again.facts.added, again.facts.unchanged) == (0, 4)
    # the same articles seen for another ticker: one revision each, tickers united, no new payload fact
    assert (other.new_articles, other.facts.added, other.facts.revised) == (0, 3, 3)
    news = read(settings, "SELECT tickers, source, payload, revision FROM news")
    assert all("AMD" in t and "NVDA" in t for t in news["tickers"].to_list())
    assert set(news["source"].to_list()) == {"yfinance:NVDA"}  # first observation wins
    assert set(news["revision"].to_list()) == {2}
    assert read(settings, "SELECT count(*) AS n FROM facts WHERE kind = 'NewsPayloadImported'").item() == 1


def test_a_feed_entry_gets_its_date_when_a_later_payload_has_one(settings, read):
    from tracker.news import record_news_payload
    from tracker.storage import open_writer, recorded_run

    undated = b"<rss version='2.0'><channel><title>T</title><item><title>Grok 3 arrives</title><link>https://t.example/a</link></item></channel></rss>"
    dated = undated.replace(b"</link>", b"</link><pubDate>Tue, 18 Feb 2025 05:00:00 GMT</pubDate>")
    with open_writer(settings) as warehouse, recorded_run(warehouse, "ingest news", {}) as log:
        record_news_payload(warehouse, log.run, "feed-xml", undated, "https://t.example/feed")
        result = record_news_payload(warehouse, log.run, "feed-xml", dated, "https://t.example/feed")
    assert result.facts.revised == 1
    row = read(settings, "SELECT published_at, published_basis FROM news").row(0, named=True)
    assert row == {"published_at": dt.datetime(2025, 2, 18, 5, 0, tzinfo=dt.timezone.utc), "published_basis": "published"}


@pytest.mark.shared
def test_import_the_real_samples(cli, settings, shared_data, read):
    result = cli("import", "news", shared_data / "news-samples", "--db", settings.db)
    assert result.exit_code == 1  # the Alpha Vantage response is not a supported format
    assert "5 of 6 file(s) imported: 151 article(s) read, 151 new" in result.output
    assert "alphavantage_news_sentiment_2025-02-27_subset.json: JSON dict is not a list of news items" in result.output
    assert "rss_hnrss_frontpage.xml: 20 item(s), 20 article(s), 20 new, 20 without a date" in result.output
    counts = read(settings, "SELECT format, count(*) AS n FROM news GROUP BY format ORDER BY format")
    assert counts.rows() == [("feed-xml", 146), ("yfinance-news-json", 5)]
