"""Reading a CSV of firm characteristics for the cross-sectional regression of CARs.

The file has a ``ticker`` column, an optional ``date`` (the firm-event's event date or day 0; a
row without a date applies to every firm-event of its ticker) and one numeric column per
characteristic::

    ticker,date,log_size,ai_revenue_share
    NVDA,2025-01-27,28.1,0.78
    AAPL,,28.2,0.02
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from events.tickers import TICKER_PATTERN
from tracker.errors import InputFileError


def read_characteristics(path: Path) -> pl.DataFrame:
    """The characteristics as a frame (``ticker``, ``date`` when given, the numeric columns); a bad
    file raises :class:`~tracker.errors.InputFileError` naming the line and column."""
    from tracker.study.request import read_text_csv

    path = Path(path)
    frame = read_text_csv(path, "characteristics file")
    frame = frame.rename({c: c.strip() for c in frame.columns})
    lower = {c.lower(): c for c in frame.columns}
    if "ticker" not in lower:
        raise InputFileError(f"{path}: needs a ticker column, then characteristics (ticker[,date],x1,x2…); "
                             f"found {','.join(frame.columns) or 'none'}")
    frame = frame.rename({lower["ticker"]: "ticker"} | ({lower["date"]: "date"} if "date" in lower else {}))
    names = [c for c in frame.columns if c not in ("ticker", "date")]
    if not names:
        raise InputFileError(f"{path}: no characteristic columns besides ticker and date", hint="add columns like log_size,beta")
    if frame.height == 0:
        raise InputFileError(f"characteristics file {path} has no rows")
    problems = []
    frame = frame.with_row_index("line", offset=2).with_columns(pl.col("ticker").str.strip_chars().str.to_uppercase())
    bad = frame.filter(~pl.col("ticker").fill_null("").str.contains(TICKER_PATTERN))
    problems += [f"line {line}: ticker '{ticker or ''}' is not a valid symbol" for line, ticker in bad.select("line", "ticker").iter_rows()]
    if "date" in frame.columns:
        parsed = frame["date"].str.strip_chars().replace("", None).str.to_date("%Y-%m-%d", strict=False)
        bad = frame.filter(frame["date"].str.strip_chars().replace("", None).is_not_null() & parsed.is_null())
        problems += [f"line {line}: date '{value}' is not a date like 2025-01-27" for line, value in bad.select("line", "date").iter_rows()]
        frame = frame.with_columns(parsed.alias("date"))
    for name in names:
        values = frame[name].str.strip_chars().cast(pl.Float64, strict=False)
        bad = frame.filter(values.is_null() | values.is_nan() | values.is_infinite())
        problems += [f"line {line}: {name} '{value or ''}' is not a number" for line, value in bad.select("line", name).iter_rows()]
        frame = frame.with_columns(values.alias(name))
    keys = ["ticker", "date"] if "date" in frame.columns else ["ticker"]
    duplicated = frame.filter(pl.struct(keys).is_first_distinct().not_())
    problems += [f"line {line}: a second row for {ticker}" for line, ticker in duplicated.select("line", "ticker").iter_rows()]
    if problems:
        shown = "\n  ".join(problems[:10])
        more = f"\n  … and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise InputFileError(f"characteristics file {path} rejected:\n  {shown}{more}")
    return frame.drop("line")
