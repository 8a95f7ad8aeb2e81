"""The documented SQL surface of the warehouse: views and table macros.

These are what analysts query (``tracker sql`` or any DuckDB client opened read-only):

============  ==================================================================================
``facts``     the whole log: ``seq, kind, schema_version, stream, revision, key, run_id,
              recorded_at, content`` (price bars included, their content rendered as JSON)
``prices``    latest known bar per ticker and date: ``ticker, date, open, high, low, close,
              adj_close, volume, seq, revision``
``returns``   simple daily total returns on XNYS sessions: ``ticker, date, session, ret, basis``
              (``basis`` = ``adj_close`` when both bars have it, else ``close``); a missing bar
              makes that day's return missing
``events``    catalogue, manual and tagged events with their aligned ``day0``: ``event_id, name,
              kind, org, model, announced_at, timezone, date_precision, reaction_date, day0,
              day0_rule, source`` (``catalogue``/``manual``/``tagger``) ``, source_url, notes,
              confidence, news_count, seq``; retracted events are left out
``news``      one row per article: ``id, published_at`` (UTC) ``, publisher, title, url, tickers,
              source, seq`` and ``published_basis, canonical_url, source_id, format, payload,
              summary, revision``
``news_tags`` one row per tagged article: ``news_id, url, event_id, kind, org, model,
              confidence, rule, matched, link`` (source of the event: ``catalogue``/``manual``/
              ``tagger``; ``undated`` when the article has no date) ``, title, published_at,
              subject, seq``
``runs``      one row per import/ingest run: ``run_id, command, started_at, finished_at,
              status, facts_added, facts_unchanged, counts, error, args``
``sessions``  the XNYS calendar: ``session`` (consecutive index), ``date``, ``close_utc``
============  ==================================================================================

Table macros reproduce a past state of the log: ``prices_as_of(n)`` and ``returns_as_of(n)``
use only facts with ``seq <= n``.

Changing anything here requires a new migration (views are re-created when one is applied).
"""

from __future__ import annotations

import duckdb

_RETURNS = """
SELECT p.ticker, p.date, s.session,
       CASE WHEN lag(s.session) OVER w = s.session - 1
            THEN coalesce(p.adj_close / lag(p.adj_close) OVER w, p.close / lag(p.close) OVER w) - 1
       END AS ret,
       CASE WHEN lag(s.session) OVER w = s.session - 1
            THEN CASE WHEN p.adj_close IS NOT NULL AND lag(p.adj_close) OVER w IS NOT NULL
                      THEN 'adj_close' ELSE 'close' END
       END AS basis
FROM {prices} AS p
JOIN calendar_sessions AS s ON s.date = p.date
WINDOW w AS (PARTITION BY p.ticker ORDER BY s.session)
"""

_LATEST_PRICE_FACTS = """
SELECT ticker, date, open, high, low, close, adj_close, volume, seq, revision
FROM price_bar_facts
WHERE seq <= n
QUALIFY row_number() OVER (PARTITION BY ticker, date ORDER BY seq DESC) = 1
"""

VIEWS: dict[str, str] = {
    "facts": """
        SELECT seq, kind, schema_version, stream, revision, key, run_id, recorded_at, content
        FROM fact_log
        UNION ALL
        SELECT seq, 'PriceBarObserved', 1,
               'price/' || ticker || '/' || strftime(date, '%Y-%m-%d'),
               revision,
               'price/' || ticker || '/' || strftime(date, '%Y-%m-%d') || '#' || revision,
               run_id, recorded_at,
               json_object('ticker', ticker, 'date', date, 'open', open, 'high', high, 'low', low,
                           'close', close, 'adj_close', adj_close, 'volume', volume, 'source', source)
        FROM price_bar_facts
    """,
    "prices": """
        SELECT ticker, date, open, high, low, close, adj_close, volume, seq, revision
        FROM projected_prices
    """,
    "returns": _RETURNS.format(prices="projected_prices"),
    "events": "SELECT * FROM projected_events",
    "runs": """
        SELECT s.content->>'run_id' AS run_id,
               s.content->>'command' AS command,
               s.recorded_at AS started_at,
               f.recorded_at AS finished_at,
               coalesce(f.content->>'status', 'incomplete') AS status,
               TRY_CAST(f.content->'counts'->>'facts_added' AS BIGINT) AS facts_added,
               TRY_CAST(f.content->'counts'->>'facts_unchanged' AS BIGINT) AS facts_unchanged,
               f.content->'counts' AS counts,
               f.content->>'error' AS error,
               s.content->'args' AS args,
               s.seq AS start_seq,
               f.seq AS end_seq
        FROM fact_log AS s
        LEFT JOIN fact_log AS f ON f.stream = s.stream AND f.kind = 'RunFinished'
        WHERE s.kind = 'RunStarted'
    """,
    "sessions": "SELECT session, date, close_utc FROM calendar_sessions",
    "news": """
        SELECT id, published_at, publisher, title, url, tickers, source, seq,
               published_basis, canonical_url, source_id, format, payload, summary, revision
        FROM projected_news
    """,
    "news_tags": """
        SELECT t.news_id, n.url, t.event_id, t.kind, t.org, t.model, t.confidence, t.rule, t.matched,
               t.link, n.title, n.published_at, t.subject, t.seq
        FROM projected_news_tags AS t
        LEFT JOIN projected_news AS n ON n.id = t.news_id
    """,
}

MACROS: dict[str, str] = {
    "prices_as_of(n)": _LATEST_PRICE_FACTS,
    "returns_as_of(n)": _RETURNS.format(prices="prices_as_of(n)"),
}


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """(Re-)create every documented view and macro."""
    for name, body in VIEWS.items():
        con.execute(f"CREATE OR REPLACE VIEW {name} AS {body}")
    for signature, body in MACROS.items():
        con.execute(f"CREATE OR REPLACE MACRO {signature} AS TABLE {body}")
