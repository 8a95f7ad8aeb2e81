"""Parsing news payloads: the three formats, canonical URLs, malformed items, whole-payload errors."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.news import NewsPayloadError, parse_news_payload
from tracker.news.parse import detect_format
from tracker.news.urls import canonical_url

UTC = dt.timezone.utc


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.cnbc.com/2025/01/27/nvidia.html?utm_source=yahoo&utm_medium=referral", "https://cnbc.com/2025/01/27/nvidia.html"),
        ("HTTP://Example.COM:80/a/b/?b=2&a=1#top", "https://example.com/a/b?a=1&b=2"),
        ("https://finance.yahoo.com/news/x-1.html?.tsrc=rss&guccounter=1", "https://finance.yahoo.com/news/x-1.html"),
        ("https://example.com/story?id=7&fbclid=abc&ref=home", "https://example.com/story?id=7"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/", "https://example.com"),
        ("ftp://example.com/a", None),
        ("not a url", None),
        ("", None),
    ],
)
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


def test_same_story_through_different_links_is_one_article():
    a = canonical_url("https://finance.yahoo.com/news/deepseek-113500123.html?.tsrc=rss")
    b = canonical_url("http://finance.yahoo.com/news/deepseek-113500123.html/?utm_source=rss&utm_campaign=feed")
    assert a == b


def test_csv_rows_and_malformed_rows(payloads):
    parsed = parse_news_payload("csv", (payloads / "headlines.csv").read_bytes(), "headlines.csv")
    assert len(parsed.items) == 4
    assert [str(p) for p in parsed.problems] == [
        "line 5: published_at 'yesterday' is not ISO 8601 like 2025-01-20T09:00:00+08:00",
        "line 6: published_at '2025-01-28T12:00:00' has no UTC offset (write it like 2025-01-20T09:00:00+08:00 or …Z)",
        "line 7: url 'ftp://blog.example/post-3' is not an http(s) link",
    ]
    # a symbol that is not a ticker is dropped, not the article
    assert [str(p) for p in parsed.dropped_tickers] == ["line 8: 'DA!' is not an equity ticker"]
    assert next(i for i in parsed.items if i.title == "Bad ticker").tickers == ("NV",)
    gpt4o = next(i for i in parsed.items if "GPT-4o" in i.title)
    assert gpt4o.published_at == dt.datetime(2024, 5, 13, 17, 30, tzinfo=UTC)  # -07:00 converted to UTC
    assert gpt4o.tickers == ("MSFT", "NVDA")  # "MSFT; $NVDA"
    assert gpt4o.canonical_url == "https://theverge.example/2024/5/13/openai-gpt-4o"  # ?ref= dropped
    assert gpt4o.title == "OpenAI launches GPT-4o, a faster model that's free for all ChatGPT users"


def test_yfinance_current_shape(payloads):
    parsed = parse_news_payload("yfinance-news-json", (payloads / "yfinance_current_NVDA.json").read_bytes(), "nvda.json")
    assert [str(p) for p in parsed.problems] == ["item 3: content.title is empty"]
    first = parsed.items[0]
    assert first.source_id == "0b6c1f7e-3d2a-3c61-9a52-7e1d2f4a9b10"
    assert first.publisher == "Reuters"
    assert first.published_at == dt.datetime(2025, 1, 20, 11, 35, tzinfo=UTC)
    assert first.tickers == ("MSFT", "NVDA")  # finance.stockTickers
    assert first.canonical_url == "https://finance.yahoo.com/news/deepseek-releases-r1-reasoning-113500123.html"
    assert first.summary.startswith("The Chinese start-up")


def test_yfinance_legacy_shape(payloads):
    parsed = parse_news_payload("yfinance", (payloads / "yfinance_legacy_NVDA.json").read_bytes(), "legacy.json", tickers=["amd"])
    assert [str(p) for p in parsed.problems] == ["item 3: providerPublishTime 'yesterday' is not Unix seconds"]
    first = parsed.items[0]
    assert first.published_at == dt.datetime(2025, 1, 29, 18, 0, tzinfo=UTC)  # 1738173600
    assert first.publisher == "The Verge"
    assert first.tickers == ("AMD", "MSFT", "NVDA")  # relatedTickers plus the tickers given


def test_rss_feed(payloads):
    parsed = parse_news_payload("rss", (payloads / "feed_rss.xml").read_bytes(), "feed_rss.xml")
    assert [str(p) for p in parsed.problems] == ["entry 3: no title"]
    titles = [i.title for i in parsed.items]
    assert titles[0] == "DeepSeek releases R1 reasoning model, says it rivals OpenAI\u2019s o1"  # entity decoded
    llama = parsed.items[1]
    assert (llama.published_basis, llama.published_at) == ("updated", dt.datetime(2024, 7, 23, 15, 10, tzinfo=UTC))  # dcterms:modified
    assert all(i.publisher == "Example Tech Wire" for i in parsed.items)
    assert parsed.items[2].canonical_url == "https://wire.example/2025/01/28/sputnik-moment"  # fragment dropped


def test_atom_feed_and_an_entry_identified_by_its_id(payloads):
    parsed = parse_news_payload("atom", (payloads / "feed_atom.xml").read_bytes(), "feed_atom.xml")
    grok, note = parsed.items
    assert grok.published_at == dt.datetime(2025, 2, 18, 5, 10, tzinfo=UTC)
    assert note.canonical_url is None and note.source_id == "urn:example:lab-blog:note-7"
    assert note.news_id != grok.news_id


def test_undated_feed_entries_are_kept_or_dated_by_the_fetch():
    feed = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
    <item><title>Grok 3 arrives</title><link>https://t.example/a</link></item></channel></rss>"""
    kept = parse_news_payload("feed", feed, "t")
    assert (kept.items[0].published_at, kept.items[0].published_basis, kept.undated) == (None, "missing", 1)
    fetched = dt.datetime(2025, 2, 18, 6, 0, tzinfo=UTC)
    dated = parse_news_payload("feed", feed, "t", fetched_at=fetched)
    assert (dated.items[0].published_at, dated.items[0].published_basis) == (fetched, "fetched")


@pytest.mark.parametrize(
    ("fmt", "payload", "message"),
    [
        ("yfinance", b"{not json", "not valid JSON"),
        ("yfinance", b'{"items": 3, "feed": []}', "is not a list of news items"),
        ("feed", b"just some text", "not an RSS/Atom feed"),
        ("feed", b"https://example.com/feed.xml", "not an RSS/Atom feed"),  # treated as data, never fetched
        ("csv", b"date,headline\n2025-01-01,x\n", "missing column(s) published_at, title, url"),
        ("csv", b"\xff\xfe\x00bad", "not UTF-8"),
        ("parquet", b"", "unknown news format"),
    ],
)
def test_a_payload_that_is_not_its_format_is_one_clear_error(fmt, payload, message):
    with pytest.raises(NewsPayloadError) as error:
        parse_news_payload(fmt, payload, "source.x")
    assert message in str(error.value)


def test_format_detection(tmp_path):
    assert detect_format(tmp_path / "a.csv", b"[") == "news-csv"
    assert detect_format(tmp_path / "a", b"  [{}]") == "yfinance-news-json"
    assert detect_format(tmp_path / "a", b"\xef\xbb\xbf<?xml") == "feed-xml"
    assert detect_format(tmp_path / "a.atom", b"") == "feed-xml"


@pytest.mark.shared
def test_real_sample_payloads(shared_data):
    samples = shared_data / "news-samples"

    def parse(name: str, fmt: str):
        return parse_news_payload(fmt, (samples / name).read_bytes(), name)

    hill = parse("rss_thehill_com.xml", "feed")
    assert (len(hill.items), len(hill.problems)) == (100, 0)
    # pubDate is the fixture author's "{date}" placeholder; dcterms:modified dates every item
    assert {i.published_basis for i in hill.items} == {"updated"}
    assert hill.items[0].publisher == "The Hill News"
    hn = parse("rss_hnrss_frontpage.xml", "feed")  # bozo (unbound prefix) but readable
    assert (len(hn.items), hn.undated) == (20, 20)
    reddit = parse("atom_reddit.xml", "feed")
    assert (len(reddit.items), reddit.undated) == (26, 26)
    wbd = parse("yfinance_news_new_format_WBD_2025-05.json", "yfinance")
    assert len(wbd.items) == 4 and not wbd.problems
    assert wbd.items[0].published_at == dt.datetime(2025, 5, 10, 12, 23, 14, tzinfo=UTC)
    legacy = parse("yfinance_news_legacy_format_NVDA_2024-01.json", "yfinance")
    (item,) = legacy.items
    assert item.published_at == dt.datetime(2024, 1, 8, 19, 41, 42, tzinfo=UTC)
    assert item.tickers == ("AAPL", "META", "MSFT", "NVDA", "TSLA")
    assert item.publisher == "Investor's Business Daily"


def test_non_equity_symbols_are_dropped_and_the_article_kept(tmp_path):
    """Real news lists crypto and currency symbols (``CRYPTO:BTC``, ``FOREX:USD``): the row is a real article."""
    text = (
        "published_at,publisher,title,url,tickers\n"
        "2025-02-25T10:00:00Z,Benzinga,\"Bitcoin, Ethereum bleed on tariff threat\",https://b.example/1,CRYPTO:BTC;CRYPTO:ETH\n"
        "2025-02-27T10:00:00Z,Benzinga,Nvidia's Q4 beat lifts AI-based cryptos,https://b.example/2,NVDA;CRYPTO:BTC;FOREX:USD\n"
    )
    parsed = parse_news_payload("csv", text, "crypto.csv", tickers=("AMD",))
    assert parsed.problems == ()
    assert [item.tickers for item in parsed.items] == [("AMD",), ("AMD", "NVDA")]
    assert [str(p) for p in parsed.dropped_tickers] == [
        "line 2: 'CRYPTO:BTC' is not an equity ticker", "line 2: 'CRYPTO:ETH' is not an equity ticker",
        "line 3: 'CRYPTO:BTC' is not an equity ticker", "line 3: 'FOREX:USD' is not an equity ticker",
    ]
    # the tickers a user attaches to every article must still be symbols
    with pytest.raises(NewsPayloadError, match="CRYPTO:BTC"):
        parse_news_payload("csv", text, "crypto.csv", tickers=("CRYPTO:BTC",))
