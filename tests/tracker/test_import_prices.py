"""`tracker import prices`: both shapes, CSV and Parquet, validation, idempotency, corrections."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from conftest import SAMPLE_PRICES
from synthetic import prices_from_returns, sessions, write_long_csv, write_ticker_csv
from tracker.errors import InputFileError
from tracker.ingest.files import import_prices
from warehouse import Warehouse


def prices_table(settings) -> pl.DataFrame:
    with Warehouse.open(settings.db, read_only=True) as wh:
        return wh.query("SELECT * FROM prices ORDER BY ticker, date")


def good_file(folder, ticker="AAA", n=5):
    days = sessions("2025-01-02", n)
    return write_ticker_csv(folder, ticker, days, prices_from_returns([0.01] * (n - 1)))


def test_sample_long_file_imports_once(settings):
    first = import_prices(settings, [SAMPLE_PRICES])
    second = import_prices(settings, [SAMPLE_PRICES])
    assert (first.bars_read, first.tickers, first.added) == (7429, 17, 7429)
    assert (second.added, second.unchanged) == (0, 7429)
    table = prices_table(settings)
    assert table.height == 7429
    nvda = table.filter((pl.col("ticker") == "NVDA") & (pl.col("date") == dt.date(2025, 1, 27)))
    assert nvda["close"].item() == 118.1112


def test_per_ticker_files_folders_and_parquet(settings, tmp_path):
    folder = tmp_path / "prices"
    good_file(folder, "AAA")
    days = sessions("2025-01-02", 5)
    closes = prices_from_returns([0.02] * 4)
    write_ticker_csv(folder, "BBB", days, closes, adj_close=closes * 0.99)
    frame = pl.DataFrame({"date": days, "close": closes, "ticker": ["CCC"] * 5})
    frame.write_parquet(tmp_path / "ccc.parquet")
    report = import_prices(settings, [folder, tmp_path / "ccc.parquet"])
    assert report.rejected == ()
    counts = prices_table(settings).group_by("ticker").len().sort("ticker").rows()
    assert counts == [("AAA", 5), ("BBB", 5), ("CCC", 5)]
    assert prices_table(settings).filter(pl.col("ticker") == "BBB")["adj_close"].null_count() == 0


def test_yfinance_style_headers_and_midnight_timestamps(settings, tmp_path):
    path = tmp_path / "NVDA.csv"
    path.write_text(
        "Date,Open,High,Low,Close,Adj Close,Volume\n"
        "2025-01-24 00:00:00-05:00,148.0,148.9,141.9,142.62,142.57,234657600\n"
        "2025-01-27 00:00:00-05:00,124.8,128.4,116.7,118.42,118.38,818830900\n"
    )
    import_prices(settings, [path])
    table = prices_table(settings)
    assert table["date"].to_list() == [dt.date(2025, 1, 24), dt.date(2025, 1, 27)]
    assert table["adj_close"].to_list() == [142.57, 118.38]


def test_out_of_order_rows_are_fine(settings, tmp_path):
    path = tmp_path / "AAA.csv"
    path.write_text("date,close\n2025-01-03,11\n2025-01-02,10\n")
    import_prices(settings, [path])
    assert prices_table(settings)["date"].to_list() == [dt.date(2025, 1, 2), dt.date(2025, 1, 3)]


BAD_ROWS = [
    ("2025-13-01,10,11,9,10,100", "date '2025-13-01' is not a trading date"),
    ("01/02/2025,10,11,9,10,100", "date '01/02/2025' is not a trading date"),
    ("2025-01-02 14:30:00,10,11,9,10,100", "is not a trading date"),
    ("2025-01-02,10,11,9,abc,100", "close 'abc' is not a number"),
    ("2025-01-02,10,11,9,NaN,100", "close is NaN"),
    ("2025-01-02,10,11,9,,100", "close is empty"),
    ("2025-01-02,10,11,9,-1,100", "is not a positive price"),
    ("2025-01-02,10,11,12,10,100", "low 12 is above high 11"),
    ("2025-01-02,10,11,9,12,100", "close 12 is above high 11"),
    ("2025-01-02,8,11,9,10,100", "open 8 is below low 9"),
    ("2025-01-02,10,11,9,10,-5", "volume -5 is negative"),
]


@pytest.mark.parametrize(("line", "message"), BAD_ROWS)
def test_a_bad_row_rejects_its_file_and_names_the_line(settings, tmp_path, line, message):
    bad = tmp_path / "BAD.csv"
    bad.write_text("date,open,high,low,close,volume\n2025-01-03,10,11,9,10,100\n" + line + "\n")
    good = good_file(tmp_path / "good")
    report = import_prices(settings, [bad, good])
    [rejected] = report.rejected
    assert rejected.path == bad
    assert rejected.problems[0][0] == 3 and message in rejected.problems[0][1]
    assert "\n  line 3: " in rejected.describe()  # an int line number, as written
    # nothing from the bad file, everything from the good one
    assert prices_table(settings)["ticker"].unique().to_list() == ["AAA"]


def test_duplicate_bars_in_a_file(settings, tmp_path):
    path = write_long_csv(tmp_path / "long.csv", [
        {"ticker": "AAA", "date": "2025-01-02", "close": "10"},
        {"ticker": "BBB", "date": "2025-01-02", "close": "10"},
        {"ticker": "AAA", "date": "2025-01-02", "close": "10.5"},
    ])
    report = import_prices(settings, [path])
    [rejected] = report.rejected
    assert [line for line, _ in rejected.problems] == [2, 4]
    assert "duplicate bar for AAA on 2025-01-02" in rejected.problems[0][1]
    assert report.added == 0


def test_header_problems(settings, tmp_path):
    unknown = tmp_path / "AAA.csv"
    unknown.write_text("date,close,dividends\n2025-01-02,10,0\n")
    no_close = tmp_path / "BBB.csv"
    no_close.write_text("date,open\n2025-01-02,10\n")
    unnamed = tmp_path / "my prices.csv"
    unnamed.write_text("date,close\n2025-01-02,10\n")
    empty = tmp_path / "EEE.csv"
    empty.write_text("date,close\n")
    report = import_prices(settings, [unknown, no_close, unnamed, empty])
    messages = {r.path.name: r.problems[0][1] for r in report.rejected}
    assert "unknown column(s): dividends" in messages["AAA.csv"]
    assert "missing column(s): close" in messages["BBB.csv"]
    assert "cannot tell the ticker" in messages["my prices.csv"]
    assert "no bars in file" in messages["EEE.csv"]


def test_the_first_ten_problems_are_listed(settings, tmp_path):
    path = tmp_path / "AAA.csv"
    path.write_text("date,close\n" + "".join(f"2025-01-{d:02d},-1\n" for d in range(2, 30)))
    [rejected] = import_prices(settings, [path]).rejected
    assert len(rejected.problems) == 10 and rejected.total == 28
    assert "… and 18 more" in rejected.describe()


def test_missing_paths_are_refused_before_anything_happens(settings, tmp_path):
    with pytest.raises(InputFileError, match="no such file or folder: .*nope.csv"):
        import_prices(settings, [tmp_path / "nope.csv"])
    assert not settings.db.exists()


def test_corrections_keep_history(settings, tmp_path):
    days = sessions("2025-01-02", 3)
    write_ticker_csv(tmp_path / "v1", "AAA", days, [10.0, 11.0, 12.0])
    write_ticker_csv(tmp_path / "v2", "AAA", days, [10.0, 11.1, 12.0])
    import_prices(settings, [tmp_path / "v1"])
    report = import_prices(settings, [tmp_path / "v2"])
    assert (report.added, report.revised, report.unchanged) == (1, 1, 2)
    assert prices_table(settings)["close"].to_list() == [10.0, 11.1, 12.0]
    with Warehouse.open(settings.db, read_only=True) as wh:
        runs = wh.query("SELECT status, facts_added FROM runs ORDER BY start_seq").rows()
    assert runs == [("succeeded", 3), ("succeeded", 1)]


def test_rejected_files_are_recorded_in_the_run(settings, tmp_path):
    bad = tmp_path / "AAA.csv"
    bad.write_text("date,close\n2025-01-02,-1\n")
    import_prices(settings, [bad])
    with Warehouse.open(settings.db, read_only=True) as wh:
        status, error = wh.query("SELECT status, error FROM runs").row(0)
    assert status == "failed" and "AAA.csv" in error


def test_an_identical_file_is_recognised_and_not_parsed_again(settings, tmp_path):
    path = good_file(tmp_path / "p", "AAA")
    first = import_prices(settings, [path])
    again = import_prices(settings, [path])
    assert (first.skipped_files, again.skipped_files) == (0, 1)
    assert (again.added, again.unchanged, again.bars_read, again.tickers) == (0, 5, 5, 1)
    with Warehouse.open(settings.db, read_only=True) as wh:
        kinds = wh.query("SELECT kind, count(*) AS n FROM facts GROUP BY kind ORDER BY kind").rows()
    assert ("PriceFileImported", 1) in kinds


def test_a_known_file_whose_bars_were_corrected_since_is_imported_again(settings, tmp_path):
    days = sessions("2025-01-02", 3)
    original = write_ticker_csv(tmp_path / "v1", "AAA", days, [10.0, 11.0, 12.0])
    write_ticker_csv(tmp_path / "v2", "AAA", days[1:2], [11.5])
    import_prices(settings, [original])
    import_prices(settings, [tmp_path / "v2"])
    assert prices_table(settings)["close"].to_list() == [10.0, 11.5, 12.0]
    report = import_prices(settings, [original])  # the vendor's original values are asserted again
    assert (report.skipped_files, report.added, report.revised) == (0, 1, 1)
    assert prices_table(settings)["close"].to_list() == [10.0, 11.0, 12.0]
    assert prices_table(settings)["revision"].to_list() == [1, 3, 1]


def test_the_same_bytes_under_another_ticker_name_are_another_file(settings, tmp_path):
    path = good_file(tmp_path / "a", "AAA")
    import_prices(settings, [path])
    copy = tmp_path / "b" / "BBB.csv"
    copy.parent.mkdir()
    copy.write_bytes(path.read_bytes())
    report = import_prices(settings, [copy])
    assert (report.skipped_files, report.added) == (0, 5)


def test_bytes_that_are_not_utf8_past_the_header_are_read_lossily_and_reject_only_their_file(settings, tmp_path):
    folder = tmp_path / "prices"
    good = good_file(folder, "AAA")
    days = [dt.date(2010, 1, 1) + dt.timedelta(days=i) for i in range(1000)]
    rows = "".join(f"{day},10,11,9,10,{i}\n" for i, day in enumerate(days))  # > 8 KB before the bad byte
    bad = folder / "BBB.csv"
    bad.write_bytes(f"date,open,high,low,close,volume\n{rows}".encode() + b"2020-02-03,10,11,9,1\xff0,5\n")
    report = import_prices(settings, [good, bad])
    [rejected] = report.rejected
    assert rejected.path == bad and rejected.problems == ((1002, "close '1\ufffd0' is not a number"),)
    assert prices_table(settings)["ticker"].unique().to_list() == ["AAA"]
