"""The documented SQL surface of the warehouse: views and table macros.

These are what analysts query (``tracker sql`` or any DuckDB client opened read-only):

==================  ==============================================================================
``facts``           the whole log: ``seq, kind, schema_version, stream, revision, key, run_id,
                    recorded_at, content`` (price bars included, their content rendered as JSON)
``prices``          latest known bar per ticker and date: ``ticker, date, open, high, low, close,
                    adj_close, volume, seq, revision``
``returns``         simple daily total returns on XNYS sessions: ``ticker, date, session, ret, basis``.
                    ``basis`` = ``adj_close`` when both bars have it (imported files); otherwise the
                    return is ``(close + cash) / previous close - 1`` where ``cash`` is the day's
                    dividends and capital gains from ``dividends`` (``basis`` = ``close+dividend`` on
                    such days, ``close`` on the others). Ingested Yahoo bars carry no ``adj_close``
                    (it is rewritten at every dividend, so mixing fetch vintages would be wrong); their
                    returns are total returns from raw closes plus dividends. A missing bar makes
                    that day's return missing
``events``          catalogue, manual and tagged events with their aligned ``day0``: ``event_id, name,
                    kind, org, model, announced_at, timezone, date_precision, reaction_date, day0,
                    day0_rule, source`` (``catalogue``/``manual``/``tagger``) ``, source_url, notes,
                    confidence, news_count, seq``; retracted events are left out
``news``            one row per article: ``id, published_at`` (UTC) ``, publisher, title, url, tickers,
                    source, seq`` and ``published_basis, canonical_url, source_id, format, payload,
                    summary, revision``
``news_tags``       one row per tagged article: ``news_id, url, event_id, kind, org, model,
                    confidence, rule, matched, link`` (source of the event: ``catalogue``/``manual``/
                    ``tagger``; ``undated`` when the article has no date) ``, title, published_at,
                    subject, seq``
``runs``            one row per import/ingest run: ``run_id, command, started_at, finished_at,
                    status, facts_added, facts_unchanged, counts, error, args``
``sessions``        the XNYS calendar: ``session`` (consecutive index), ``date``, ``close_utc``
``dividends``       cash distributions by ex-date: ``ticker, date, kind`` (``dividend`` or
                    ``capital_gain``), ``amount`` (per share, in the price's split basis), ``seq``
``splits``          ``ticker, date, ratio`` (new shares per old share: 10 for a 10-for-1), ``seq``
``ingest_cursors``  where incremental ingestion resumes: ``source, ticker, last_final_date,
                    split_basis, seq, recorded_at``
``ingest_tickers``  one row per ticker of each ingest run: ``run_id, started_at, ticker, status,
                    facts_added, duplicates, corrections, attempts, error``
``news_payloads``   raw news fetches (their articles are in ``news``): ``seq, stream, format,
                    source, fetched_at, items, chars, etag, last_modified, status, run_id``
``factors``         daily factor returns as decimals (0.0123 = 1.23 %): ``date, mkt_rf, smb, hml, rf,
                    mom, seq``; NULL where no imported file has the value (see :mod:`warehouse.factors`)
==================  ==============================================================================

Table macros reproduce a past state of the log: ``prices_as_of(n)``, ``dividends_as_of(n)``,
``returns_as_of(n)`` and ``factors_as_of(n)`` use only facts with ``seq <= n``.

Changing anything here requires a new migration (views are re-created when one is applied).
"""

from __future__ import annotations

import duckdb

from warehouse.factors import LATEST_FACTORS
from warehouse.vocabulary import (
    FACTOR_NAMES,
    CapitalGainObserved,
    DividendObserved,
    IngestCursorMoved,
    IngestTickerCounts,
    NewsPayloadFetched,
    PriceBarObserved,
    RunFinished,
    RunStarted,
    SplitObserved,
    columns,
    kind_sql,
    path,
)

_RETURNS = """
SELECT p.ticker, p.date, s.session,
       CASE WHEN lag(s.session) OVER w = s.session - 1
            THEN CASE WHEN p.adj_close IS NOT NULL AND lag(p.adj_close) OVER w IS NOT NULL
                      THEN p.adj_close / lag(p.adj_close) OVER w
                      ELSE (p.close + coalesce(d.cash, 0)) / lag(p.close) OVER w
                 END - 1
       END AS ret,
       CASE WHEN lag(s.session) OVER w = s.session - 1
            THEN CASE WHEN p.adj_close IS NOT NULL AND lag(p.adj_close) OVER w IS NOT NULL THEN 'adj_close'
                      WHEN d.cash IS NOT NULL THEN 'close+dividend'
                      ELSE 'close' END
       END AS basis
FROM {prices} AS p
JOIN calendar_sessions AS s ON s.date = p.date
LEFT JOIN (SELECT ticker, date, sum(amount) AS cash FROM {dividends} GROUP BY ticker, date) AS d
       ON d.ticker = p.ticker AND d.date = p.date
WINDOW w AS (PARTITION BY p.ticker ORDER BY s.session)
"""

#: Latest fact per stream of the cash-distribution kinds (a correction replaces the amount).
_DIVIDENDS = f"""
SELECT {columns(DividendObserved, "ticker")}, CAST({path(DividendObserved, "date")} AS DATE) AS date,
       CASE kind WHEN {kind_sql(DividendObserved)} THEN 'dividend' ELSE 'capital_gain' END AS kind,
       CAST({path(CapitalGainObserved, "amount")} AS DOUBLE) AS amount, seq
FROM fact_log
WHERE kind IN ({kind_sql(DividendObserved, CapitalGainObserved)}) AND {{upto}}
QUALIFY row_number() OVER (PARTITION BY stream ORDER BY seq DESC) = 1
"""

_PAYLOAD = path(NewsPayloadFetched, "payload", text=False)
_HTTP = path(NewsPayloadFetched, "http", text=False)

_LATEST_PRICE_FACTS = """
SELECT ticker, date, open, high, low, close, adj_close, volume, seq, revision
FROM price_bar_facts
WHERE seq <= n
QUALIFY row_number() OVER (PARTITION BY ticker, date ORDER BY seq DESC) = 1
"""

VIEWS: dict[str, str] = {
    "facts": f"""
        SELECT seq, kind, schema_version, stream, revision, key, run_id, recorded_at, content
        FROM fact_log
        UNION ALL
        SELECT seq, {kind_sql(PriceBarObserved)}, {PriceBarObserved.VERSION},
               'price/' || ticker || '/' || strftime(date, '%Y-%m-%d'),
               revision,
               'price/' || ticker || '/' || strftime(date, '%Y-%m-%d') || '#' || revision,
               run_id, recorded_at,
               json_object({", ".join(f"'{name}', {name}" for name in PriceBarObserved.fields())})
        FROM price_bar_facts
    """,
    "prices": """
        SELECT ticker, date, open, high, low, close, adj_close, volume, seq, revision
        FROM projected_prices
    """,
    "dividends": _DIVIDENDS.format(upto="TRUE"),  # before returns, which reads it
    "returns": _RETURNS.format(prices="projected_prices", dividends="dividends"),
    "events": "SELECT * FROM projected_events",
    "runs": f"""
        SELECT {columns(RunStarted, "run_id", "command", column="s.content")},
               s.recorded_at AS started_at,
               f.recorded_at AS finished_at,
               coalesce({path(RunFinished, "status", column="f.content")}, 'incomplete') AS status,
               TRY_CAST({path(RunFinished, "counts", text=False, column="f.content")}->>'facts_added' AS BIGINT) AS facts_added,
               TRY_CAST({path(RunFinished, "counts", text=False, column="f.content")}->>'facts_unchanged' AS BIGINT) AS facts_unchanged,
               {path(RunFinished, "counts", text=False, column="f.content")} AS counts,
               {path(RunFinished, "error", column="f.content")} AS error,
               {path(RunStarted, "args", text=False, column="s.content")} AS args,
               s.seq AS start_seq,
               f.seq AS end_seq
        FROM fact_log AS s
        LEFT JOIN fact_log AS f ON f.stream = s.stream AND f.kind = {kind_sql(RunFinished)}
        WHERE s.kind = {kind_sql(RunStarted)}
    """,
    "sessions": "SELECT session, date, close_utc FROM calendar_sessions",
    "factors": f"SELECT date, {', '.join(FACTOR_NAMES)}, seq FROM projected_factors",
    "splits": f"""
        SELECT {columns(SplitObserved, "ticker")}, CAST({path(SplitObserved, "date")} AS DATE) AS date,
               CAST({path(SplitObserved, "ratio")} AS DOUBLE) AS ratio, seq
        FROM fact_log WHERE kind = {kind_sql(SplitObserved)}
        QUALIFY row_number() OVER (PARTITION BY stream ORDER BY seq DESC) = 1
    """,
    "ingest_cursors": f"""
        SELECT {columns(IngestCursorMoved, "source", "ticker")},
               CAST({path(IngestCursorMoved, "last_final_date")} AS DATE) AS last_final_date,
               CAST({path(IngestCursorMoved, "split_basis")} AS DATE) AS split_basis, seq, recorded_at
        FROM fact_log WHERE kind = {kind_sql(IngestCursorMoved)}
        QUALIFY row_number() OVER (PARTITION BY stream ORDER BY seq DESC) = 1
    """,
    # RunFinished.counts["tickers"] of an ingest run maps each ticker to its IngestTickerCounts
    "ingest_tickers": f"""
        SELECT r.run_id, r.started_at, t.key AS ticker,
               {columns(IngestTickerCounts, "status", column="t.value")},
               TRY_CAST({path(IngestTickerCounts, "facts_added", column="t.value")} AS BIGINT) AS facts_added,
               TRY_CAST({path(IngestTickerCounts, "duplicates", column="t.value")} AS BIGINT) AS duplicates,
               TRY_CAST({path(IngestTickerCounts, "corrections", column="t.value")} AS BIGINT) AS corrections,
               TRY_CAST({path(IngestTickerCounts, "attempts", column="t.value")} AS INTEGER) AS attempts,
               {columns(IngestTickerCounts, "error", column="t.value")}
        FROM runs AS r, json_each(r.counts->'tickers') AS t
        WHERE r.command = 'ingest'
    """,
    "news_payloads": f"""
        SELECT seq, stream, {columns(NewsPayloadFetched, "format", "source")},
               TRY_CAST({path(NewsPayloadFetched, "fetched_at")} AS TIMESTAMPTZ) AS fetched_at,
               CASE WHEN json_type({_PAYLOAD}) = 'ARRAY' THEN json_array_length({_PAYLOAD}) END AS items,
               length(CASE WHEN json_type({_PAYLOAD}) = 'VARCHAR' THEN {path(NewsPayloadFetched, "payload")}
                           ELSE CAST({_PAYLOAD} AS VARCHAR) END) AS chars,
               {_HTTP}->>'etag' AS etag, {_HTTP}->>'last_modified' AS last_modified,
               TRY_CAST({_HTTP}->>'status' AS INTEGER) AS status, run_id
        FROM fact_log WHERE kind = {kind_sql(NewsPayloadFetched)}
    """,
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
    "dividends_as_of(n)": _DIVIDENDS.format(upto="seq <= n"),
    "returns_as_of(n)": _RETURNS.format(prices="prices_as_of(n)", dividends="dividends_as_of(n)"),
    "factors_as_of(n)": LATEST_FACTORS,
}


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """(Re-)create every documented view and macro."""
    for name, body in VIEWS.items():
        con.execute(f"CREATE OR REPLACE VIEW {name} AS {body}")
    for signature, body in MACROS.items():
        con.execute(f"CREATE OR REPLACE MACRO {signature} AS TABLE {body}")
