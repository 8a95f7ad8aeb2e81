"""Regenerate the recorded Yahoo frames of this folder (run once; the CSVs are committed).

Each CSV is what ``yf.Ticker(T).history(auto_adjust=False, actions=True).to_csv()`` writes: a
tz-aware ``Date`` index in the exchange's zone and the columns Open, High, Low, Close, Adj
Close, Volume, Dividends, Stock Splits. The values are the real daily prices of the package's
shipped sample (``tracker/data/sample/prices.csv``, see its PROVENANCE.md); corporate actions
are the public records (AAPL $0.25 ex 2025-02-10; NVDA 10-for-1 split 2024-06-10 and $0.01
ex 2024-06-11). Adj Close follows Yahoo's rule (factor 1 - D / previous close before each
ex-date, back-adjusted to the last row).

* ``AAPL.csv``            2025-01-02 .. 2025-02-14, America/New_York, one dividend.
* ``NVDA_post_split.csv`` 2024-05-20 .. 2024-06-14 as Yahoo serves it after the split (all
                          closes in post-split shares), split and dividend rows.
* ``NVDA_pre_split.csv``  2024-05-20 .. 2024-06-07 as Yahoo served it on 2024-06-07, before the
                          split: the same rows x10 (prices) and /10 (volume), the traded values.
* ``2330.TW.csv``         synthetic Taipei frame: the TSM rows of 2025-01-06 .. 2025-01-17
                          stamped at 00:00+08:00 (tests that dates stay exchange-local).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
SAMPLE = HERE.parents[2] / "tracker" / "data" / "sample" / "prices.csv"


def frame(ticker: str, start: str, end: str, tz: str, dividends=None, splits=None) -> pd.DataFrame:
    sample = pd.read_csv(SAMPLE)
    rows = sample[(sample.ticker == ticker) & (sample.date >= start) & (sample.date <= end)].copy()
    index = pd.DatetimeIndex(pd.to_datetime(rows.date)).tz_localize(tz)
    out = pd.DataFrame(
        {"Open": rows.open.values, "High": rows.high.values, "Low": rows.low.values, "Close": rows.close.values},
        index=index,
    )
    out.index.name = "Date"
    out["Volume"] = rows.volume.values.astype("int64")
    out["Dividends"] = 0.0
    out["Stock Splits"] = 0.0
    for day, amount in (dividends or {}).items():
        out.loc[pd.Timestamp(day).tz_localize(tz), "Dividends"] = amount
    for day, ratio in (splits or {}).items():
        out.loc[pd.Timestamp(day).tz_localize(tz), "Stock Splits"] = ratio
    factor = pd.Series(1.0, index=out.index)
    closes = out["Close"].tolist()
    for i in range(len(out) - 1, 0, -1):
        step = 1 - out["Dividends"].iloc[i] / closes[i - 1] if out["Dividends"].iloc[i] else 1.0
        factor.iloc[i - 1] = factor.iloc[i] * step
    out.insert(4, "Adj Close", (out["Close"] * factor).round(6))
    return out


def main() -> None:
    frame("AAPL", "2025-01-02", "2025-02-14", "America/New_York", dividends={"2025-02-10": 0.25}).to_csv(HERE / "AAPL.csv")
    post = frame("NVDA", "2024-05-20", "2024-06-14", "America/New_York", dividends={"2024-06-11": 0.01}, splits={"2024-06-10": 10.0})
    post.to_csv(HERE / "NVDA_post_split.csv")
    pre = post[post.index < pd.Timestamp("2024-06-10", tz="America/New_York")].copy()
    for column in ("Open", "High", "Low", "Close", "Adj Close"):
        pre[column] = (pre[column] * 10).round(4)
    pre["Volume"] = (pre["Volume"] // 10).astype("int64")
    pre.to_csv(HERE / "NVDA_pre_split.csv")
    frame("TSM", "2025-01-06", "2025-01-17", "Asia/Taipei").to_csv(HERE / "2330.TW.csv")


if __name__ == "__main__":
    main()
