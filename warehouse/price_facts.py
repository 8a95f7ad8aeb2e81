"""Price bars in the log: ``PriceBarObserved`` facts stored as typed columns.

Millions of bars would be slow as JSON rows, so their facts live in ``price_bar_facts``, one
typed row per fact, sharing the log's global ``seq``. A bar's stream is ``price/<ticker>/<date>``.
A bar is appended only when it differs from the latest known bar for that ticker and date
(compared column by column, NULLs equal), so re-importing a file adds nothing and a changed
value is recorded as the next revision: a correction, never an edit.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

from warehouse.facts import AppendResult, log_head

#: Columns a bars frame must have, in this order (``batch_order`` orders several files of one batch).
BAR_COLUMNS = ("ticker", "date", "open", "high", "low", "close", "adj_close", "volume", "source", "batch_order")
VALUE_COLUMNS = ("open", "high", "low", "close", "adj_close", "volume")

_SAME_AS_STORED = " AND ".join(f"i.{c} IS NOT DISTINCT FROM s.{c}" for c in VALUE_COLUMNS)
_PREVIOUS = ", ".join(f"lag(b.{c}) OVER w AS prev_{c}" for c in VALUE_COLUMNS)
_SAME_AS_PREVIOUS = " AND ".join(f"i.{c} IS NOT DISTINCT FROM i.prev_{c}" for c in VALUE_COLUMNS)

_APPEND = f"""
INSERT INTO price_bar_facts
WITH incoming AS (
    SELECT b.*,
           {_PREVIOUS},
           row_number() OVER w > 1 AS has_prev
    FROM _incoming_bars AS b
    WINDOW w AS (PARTITION BY b.ticker, b.date ORDER BY b.batch_order)
), compared AS (
    SELECT i.*, s.revision AS stored_revision,
           CASE WHEN i.has_prev THEN NOT ({_SAME_AS_PREVIOUS})
                WHEN s.ticker IS NULL THEN TRUE
                ELSE NOT ({_SAME_AS_STORED})
           END AS changed
    FROM incoming AS i
    LEFT JOIN projected_prices AS s ON s.ticker = i.ticker AND s.date = i.date
)
SELECT $head + row_number() OVER (ORDER BY batch_order, ticker, date) AS seq,
       ticker, date,
       coalesce(stored_revision, 0) + row_number() OVER (PARTITION BY ticker, date ORDER BY batch_order) AS revision,
       open, high, low, close, adj_close, volume, source, $run_id, $recorded_at
FROM compared
WHERE changed
"""

_APPEND_UNIQUE = f"""
INSERT INTO price_bar_facts
SELECT $head + row_number() OVER (ORDER BY i.batch_order, i.ticker, i.date) AS seq,
       i.ticker, i.date, coalesce(s.revision, 0) + 1 AS revision,
       i.open, i.high, i.low, i.close, i.adj_close, i.volume, i.source, $run_id, $recorded_at
FROM _incoming_bars AS i
LEFT JOIN projected_prices AS s ON s.ticker = i.ticker AND s.date = i.date
WHERE s.ticker IS NULL OR NOT ({_SAME_AS_STORED})
"""


def append_price_bars(
    con: duckdb.DuckDBPyConnection,
    bars: pl.DataFrame,
    run_id: str,
    recorded_at: dt.datetime,
) -> AppendResult:
    """Append the bars of ``bars`` that are new or changed; requires caught-up projections."""
    if bars.height == 0:
        return AppendResult()
    bars = bars.select(BAR_COLUMNS)
    head = log_head(con)
    # Several files of one batch may carry the same bar; only then is the slower ordered path needed.
    repeated = bars.select(pl.struct("ticker", "date").is_duplicated().any()).item()
    con.register("_incoming_bars", bars)
    try:
        con.execute(_APPEND if repeated else _APPEND_UNIQUE, {"head": head, "run_id": run_id, "recorded_at": recorded_at})
    finally:
        con.unregister("_incoming_bars")
    added, revised = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE revision > 1) FROM price_bar_facts WHERE seq > $head", {"head": head}
    ).fetchall()[0]
    return AppendResult(
        added=added,
        unchanged=bars.height - added,
        revised=revised,
        first_seq=head + 1 if added else None,
        last_seq=head + added if added else None,
    )
