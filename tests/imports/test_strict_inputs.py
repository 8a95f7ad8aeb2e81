"""Strict inputs (issue #15): truncated rows, impossible dates, out-of-range numbers, huge
fields, malformed Parquet/JSON/factor files and news files with nothing usable each end in a
clear error naming the file and line (exit 1), never in silently stored nulls or an internal
error, and never lose what was stored before.
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import polars as pl
import pytest

from tracker.ingest.bar_checks import check_bars

HEADER = "date,open,high,low,close,volume\n"
GOOD = "2025-01-02,1,2,0.5,1.5,100\n"


def stored_bars(db) -> int:
    if not db.exists():
        return 0
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT count(*) FROM prices").fetchall()[0][0]


def import_prices(cli, tmp_path, name: str, text: str | bytes):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return cli("import", "prices", path, "--db", tmp_path / "w.duckdb")


# -- ragged rows --------------------------------------------------------------------------------

def test_a_row_shorter_than_the_header_is_refused_with_its_line(cli, tmp_path):
    result = import_prices(cli, tmp_path, "RAG.csv", HEADER + GOOD + "2025-01-03,1,2,0.5,1\n")
    assert result.exit_code == 1
    assert "line 3" in result.stderr and "5 fields" in result.stderr and "6" in result.stderr
    assert stored_bars(tmp_path / "w.duckdb") == 0  # close = 1 with a missing volume is not stored


def test_a_row_longer_than_the_header_is_refused_with_its_line(cli, tmp_path):
    result = import_prices(cli, tmp_path, "LONG.csv", HEADER + GOOD + "2025-01-03,1,2,0.5,1,100,7\n")
    assert result.exit_code == 1
    assert "line 3" in result.stderr and "7 fields" in result.stderr
    assert "internal error" not in result.stderr


def test_an_empty_last_field_is_not_a_ragged_row(cli, tmp_path):
    result = import_prices(cli, tmp_path, "EMPTYVOL.csv", HEADER + GOOD + "2025-01-03,1,2,0.5,1.5,\n")
    assert result.exit_code == 0, result.stderr
    assert stored_bars(tmp_path / "w.duckdb") == 2


def test_ragged_rows_in_one_file_do_not_stop_the_good_files(cli, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "AAA.csv").write_text(HEADER + GOOD)
    (tmp_path / "in" / "BBB.csv").write_text(HEADER + GOOD + "2025-01-03,1,2\n")
    result = cli("import", "prices", tmp_path / "in", "--db", tmp_path / "w.duckdb")
    assert result.exit_code == 1 and "BBB.csv" in result.stderr and "line 3" in result.stderr
    assert stored_bars(tmp_path / "w.duckdb") == 1


def test_a_truncated_catalogue_row_is_refused_with_its_line(cli, tmp_path, sample_settings):
    from conftest import CATALOGUE

    lines = [line for line in CATALOGUE.read_text().splitlines() if '"' not in line]  # one line, one row
    cut = lines[3][: lines[3].rindex(",")]  # the last field (notes) and its comma gone
    path = tmp_path / "catalogue.csv"
    path.write_text("\n".join(lines[:3] + [cut]) + "\n")
    result = cli("import", "events", path, "--db", tmp_path / "w.duckdb")
    assert result.exit_code == 1 and "line 4" in result.stderr and "fields" in result.stderr


def test_a_truncated_news_row_is_reported_not_stored(cli, tmp_path):
    path = tmp_path / "news.csv"
    path.write_text("published_at,publisher,title,url,tickers\n"
                    "2025-01-20T09:00:00+08:00,Reuters,DeepSeek releases R1,https://example.com/a,NVDA\n"
                    "2025-01-21T09:00:00+08:00,Reuters,OpenAI releases o3-mini,https://example.com/b\n")
    result = cli("import", "news", path, "--db", tmp_path / "w.duckdb")
    assert result.exit_code == 0 and "1 article(s), 1 new" in result.stdout
    assert "line 3" in result.stderr and "fields" in result.stderr


# -- dates outside the calendar -----------------------------------------------------------------

@pytest.mark.parametrize("day, reason", [
    ("1900-01-02", "before"),
    ("2200-01-02", "future"),
    ((dt.date.today() + dt.timedelta(days=30)).isoformat(), "future"),
])
def test_impossible_dates_are_refused(cli, tmp_path, day, reason):
    result = import_prices(cli, tmp_path, "ODD.csv", HEADER + GOOD + f"{day},1,2,0.5,1.5,100\n")
    assert result.exit_code == 1
    assert "line 3" in result.stderr and day in result.stderr and reason in result.stderr
    assert stored_bars(tmp_path / "w.duckdb") == 0


def test_weekend_and_holiday_bars_are_stored_with_a_visible_warning(cli, tmp_path):
    # 2025-01-04 is a Saturday; 2025-01-09 the national day of mourning (XNYS closed)
    text = HEADER + GOOD + "2025-01-04,1,2,0.5,1.5,100\n2025-01-09,1,2,0.5,1.5,100\n2025-01-10,1,2,0.5,1.5,100\n"
    result = import_prices(cli, tmp_path, "WKND.csv", text)
    assert result.exit_code == 0, result.stderr
    assert "warning" in result.stderr and "2 bar(s)" in result.stderr
    assert "2025-01-04" in result.stderr and "2025-01-09" in result.stderr and "returns" in result.stderr
    assert stored_bars(tmp_path / "w.duckdb") == 4


def test_live_ingestion_shares_the_date_rule():
    frame = pl.DataFrame({"ticker": ["AAPL"] * 3, "date": [dt.date(1900, 1, 2), dt.date(2025, 1, 2), dt.date(2200, 1, 2)],
                          "close": [1.0, 1.0, 1.0]})
    problems = check_bars(frame)
    assert [row for row, _ in problems] == [1, 3]
    assert "before 1990-01-01" in problems[0][1] and "future" in problems[1][1]


def test_live_ingestion_keeps_and_counts_bars_on_days_xnys_does_not_trade():
    from events.sessions import SessionCalendar
    from tracker.cli.progress import describe_ticker
    from tracker.ingest.bars import clean_history
    from tracker.ingest.prices import TickerOutcome
    from tracker.sources.base import RAW_COLUMNS, RawHistory

    days = [dt.date(2025, 1, 8), dt.date(2025, 1, 9), dt.date(2025, 1, 10)]  # the 9th: XNYS closed, Taipei open
    frame = pl.DataFrame({"date": days, "stamp": [dt.datetime.combine(d, dt.time()) for d in days],
                          "open": [1.0] * 3, "high": [2.0] * 3, "low": [0.5] * 3, "close": [1.5] * 3}).with_columns(
        [pl.lit(None, dtype=t).alias(c) for c, t in RAW_COLUMNS.items() if c not in ("date", "stamp", "open", "high", "low", "close")]
    ).select(list(RAW_COLUMNS)).cast(RAW_COLUMNS)
    calendar = SessionCalendar.xnys(dt.date(2024, 1, 1), dt.date(2026, 12, 31))
    clean = clean_history(RawHistory("2330.TW", "Asia/Taipei", frame, "test"), dt.datetime(2025, 2, 1, tzinfo=dt.timezone.utc), calendar)
    assert clean.bars.height == 3 and clean.off_calendar == (dt.date(2025, 1, 9),)
    outcome = TickerOutcome("2330.TW", status="succeeded", window="2025-01-08..2025-01-10", off_calendar=len(clean.off_calendar))
    assert "1 bar(s) on days XNYS does not trade" in describe_ticker(outcome)


# -- numbers and long fields --------------------------------------------------------------------

@pytest.mark.parametrize("value, said", [("1e400", "out of range"), ("inf", "not a finite number"), ("nan", "not a finite number")])
def test_an_out_of_range_factor_value_is_refused_not_stored_as_missing(cli, tmp_path, value, said):
    path = tmp_path / "ff.csv"
    path.write_text(f"date,mkt_rf,smb,hml,rf\n2025-01-02,0.1,0.2,0.3,0.01\n2025-01-03,{value},0.2,0.3,0.01\n")
    result = cli("import", "factors", path, "--db", tmp_path / "w.duckdb")
    assert result.exit_code == 1
    assert "line 3" in result.stderr and "mkt_rf" in result.stderr and said in result.stderr
    assert not (tmp_path / "w.duckdb").exists() or "FactorReturnsObserved" not in cli(
        "sql", "SELECT DISTINCT kind FROM facts", "--format", "csv", "--db", tmp_path / "w.duckdb").stdout


def test_a_huge_field_is_not_echoed_whole(cli, tmp_path):
    huge = "x" * 10_000_000
    prices = import_prices(cli, tmp_path, "BIG.csv", f"date,close\n2025-01-02,{huge}\n")
    factors_file = tmp_path / "ff.csv"
    factors_file.write_text(f"date,mkt_rf\n2025-01-02,{huge[:100_000]}\n")  # the csv module's limit is 131,072
    factors = cli("import", "factors", factors_file, "--db", tmp_path / "w.duckdb")
    news_file = tmp_path / "news.csv"
    news_file.write_text(f"published_at,publisher,title,url,tickers\n2025-01-20T09:00:00Z,R,T,https://e.com/{huge},NVDA\n"
                         f"2025-01-20T09:00:00Z,R,T,{huge},NVDA\n")
    news = cli("import", "news", news_file, "--db", tmp_path / "w.duckdb")
    for result in (prices, factors, news):
        assert result.exit_code in (0, 1) and "internal error" not in result.stderr
        assert len(result.stderr) < 2_000, result.stderr[:300]
    assert prices.exit_code == 1 and "close" in prices.stderr and "more characters" in prices.stderr
    assert factors.exit_code == 1 and "mkt_rf" in factors.stderr and "more characters" in factors.stderr


# -- malformed files ----------------------------------------------------------------------------

def _parquet(path, frame):
    frame.write_parquet(path)
    return path


@pytest.mark.parametrize("name, make", [
    ("LIST.parquet", lambda p: _parquet(p, pl.DataFrame({"date": ["2025-01-02"], "close": [[1.0, 2.0]]}))),
    ("DUR.parquet", lambda p: _parquet(p, pl.DataFrame({"date": [dt.timedelta(days=1)], "close": [1.5]}))),
    ("TRUNC.parquet", lambda p: p.write_bytes(b"PAR1\x00\x01\x02")),
])
def test_malformed_parquet_is_one_line(cli, tmp_path, name, make):
    make(tmp_path / name)
    result = cli("import", "prices", tmp_path / name, "--db", tmp_path / "w.duckdb")
    assert result.exit_code == 1 and "internal error" not in result.stderr
    assert name in result.stderr


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, '[{"content": ' + "[" * 5_000 + "]" * 5_000 + "}]"])
def test_deeply_nested_json_news_is_one_line(cli, tmp_path, text):
    path = tmp_path / "deep.json"
    path.write_text(text)
    result = cli("import", "news", path, "--db", tmp_path / "w.duckdb")
    assert result.exit_code == 1 and "internal error" not in result.stderr
    assert "deep.json" in result.stderr


def test_a_factor_file_with_a_field_over_the_csv_limit_is_one_line(cli, tmp_path):
    path = tmp_path / "ff.csv"
    path.write_text("date,mkt_rf\n2025-01-02,\"" + "1" * 200_000 + "\"\n")
    result = cli("import", "factors", path, "--db", tmp_path / "w.duckdb")
    assert result.exit_code == 1 and "internal error" not in result.stderr and "ff.csv" in result.stderr


# -- news with nothing usable -------------------------------------------------------------------

def test_a_news_file_with_no_usable_row_fails(cli, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("published_at,publisher,title,url,tickers\n2025-01-20T09:00:00+08:00,Reuters,DeepSeek releases R1,https://example.com/a,NVDA\n")
    naive = tmp_path / "naive.csv"
    naive.write_text("published_at,publisher,title,url,tickers\n2025-01-20T09:00:00,Reuters,DeepSeek releases R1,https://example.com/b,NVDA\n")
    db = tmp_path / "w.duckdb"
    assert cli("import", "news", good, "--db", db).exit_code == 0
    before = cli("sql", "SELECT count(*) AS n FROM facts", "--format", "csv", "--db", db).stdout
    result = cli("import", "news", naive, "--db", db)
    assert result.exit_code == 1
    assert "1 of 1 file(s) imported" not in result.stdout and "naive.csv" in result.stderr and "offset" in result.stderr
    after = json.loads(cli("sql", "SELECT count(*) AS n FROM news", "--format", "json", "--db", db).stdout)
    assert after == [{"n": 1}]  # the earlier article is still there, nothing of the bad file was added
    facts_after = cli("sql", "SELECT count(*) AS n FROM facts WHERE kind NOT IN ('RunStarted', 'RunFinished')",
                      "--format", "csv", "--db", db).stdout
    assert int(facts_after.split()[1]) <= int(before.split()[1])
