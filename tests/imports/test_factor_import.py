"""``tracker import factors``: the Ken French daily file as published, the plain format, zip,
units, idempotency, corrections, as-of reads, and bad files that store nothing."""

from __future__ import annotations

import zipfile

import pytest

from tracker.errors import InputFileError
from tracker.ingest.files import import_factors
from tracker.storage import open_reader

KEN_FRENCH_DAILY = """This file was created by CMPT_ME_BEME_RETS_DAILY using the 202504 CRSP database.
The Tbill return is the simple daily rate that, over the number of trading days
in the month, compounds to 1-month TBill rate from Ibbotson and Associates Inc.

,Mkt-RF,SMB,HML,RF
20250123,    0.48,    0.05,   -0.27,    0.02
20250124,   -0.27,   -0.15,    0.68,    0.02
20250127,   -1.49,   -0.67,    2.50,    0.02
20250128,    0.92,  -99.99,   -1.66,    0.02

 Annual Factors: January-December
,Mkt-RF,SMB,HML,RF
2024,   20.00,   -9.00,   -5.00,    5.00

Copyright 2025 Kenneth R. French
"""

KEN_FRENCH_MOMENTUM = """This file was created by CMPT_ME_PRIOR_RETS_DAILY using the 202504 CRSP database.
It contains a momentum factor, constructed from six value-weight portfolios.
Missing data are indicated by -99.99 or -999.

,Mom   
20250124,    0.03
20250127,   -3.28
20250128,    1.86
"""


def _factors(settings, as_of=None):
    with open_reader(settings) as warehouse:
        position = warehouse.position(as_of)
        relation = "factors" if as_of is None else f"factors_as_of({position})"
        return {str(d): (m, s, h, r, mom) for d, m, s, h, r, mom in warehouse.con.execute(
            f"SELECT date, mkt_rf, smb, hml, rf, mom FROM {relation} ORDER BY date").fetchall()}


def test_ken_french_files_as_published(settings, tmp_path):
    daily = tmp_path / "F-F_Research_Data_Factors_daily.CSV"
    daily.write_text(KEN_FRENCH_DAILY)
    momentum = tmp_path / "F-F_Momentum_Factor_daily.CSV"
    momentum.write_text(KEN_FRENCH_MOMENTUM)
    report = import_factors(settings, [daily, momentum])
    assert [f.names for f in report.files] == [("mkt_rf", "smb", "hml", "rf"), ("mom",)]
    assert [len(f.rows) for f in report.files] == [4, 3]  # the annual section is not daily data
    assert report.files[0].missing == 1 and report.added == 7
    values = _factors(settings)
    assert list(values) == ["2025-01-23", "2025-01-24", "2025-01-27", "2025-01-28"]
    assert values["2025-01-27"] == pytest.approx((-0.0149, -0.0067, 0.025, 0.0002, -0.0328))
    assert values["2025-01-28"][1] is None  # -99.99 is missing, not -99.99 % and not zero
    assert values["2025-01-23"][4] is None  # no momentum that day
    again = import_factors(settings, [daily, momentum])
    assert again.added == 0 and again.unchanged == 7


def test_plain_zip_and_decimal_files(settings, tmp_path):
    plain = tmp_path / "ff3.csv"
    plain.write_text("date,mkt_rf,smb,hml,rf\n2025-01-27,-1.49,-0.67,2.50,0.02\n2025-01-28,0.92,0.17,-1.66,0.02\n")
    archive = tmp_path / "F-F_Momentum_Factor_daily_CSV.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("F-F_Momentum_Factor_daily.CSV", KEN_FRENCH_MOMENTUM)
    import_factors(settings, [plain, archive])
    values = _factors(settings)
    assert values["2025-01-28"] == pytest.approx((0.0092, 0.0017, -0.0166, 0.0002, 0.0186))
    decimal = tmp_path / "decimal.csv"
    decimal.write_text("date,mom\n2025-01-29,0.0123\n")
    import_factors(settings, [decimal], units="decimal")
    assert _factors(settings)["2025-01-29"][4] == pytest.approx(0.0123)


def test_a_restated_value_is_a_correction_and_as_of_sees_the_old_one(settings, tmp_path):
    first = tmp_path / "v1.csv"
    first.write_text("date,mkt_rf,smb,hml,rf\n2025-01-27,-1.49,-0.64,2.52,0.019\n")
    report = import_factors(settings, [first])
    second = tmp_path / "v2.csv"
    second.write_text("date,mkt_rf,smb,hml,rf\n2025-01-27,-1.49,-0.67,2.50,0.02\n")
    corrected = import_factors(settings, [second])
    assert corrected.added == 1 and corrected.revised == 1
    assert _factors(settings)["2025-01-27"][1] == pytest.approx(-0.0067)
    assert _factors(settings, as_of=report.head)["2025-01-27"][1] == pytest.approx(-0.0064)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("date,mkt_rf,rmw\n2025-01-27,1,2\n", "unknown factor column(s) rmw"),
        ("date,mkt_rf\n2025-01-27,abc\n2025-01-28,x\n", "line 2: mkt_rf 'abc' is not a number"),
        ("date,mkt_rf\n2025-01-27,1\n2025-01-27,2\n", "line 3: duplicate date 2025-01-27 (first on line 2)"),
        ("date,mkt_rf\n2025-02-30,1\n", "line 2: date '2025-02-30' is not a calendar date"),
        ("Monthly file\n\n,Mkt-RF,SMB,HML,RF\n202501,  1.0,  2.0,  3.0,  0.3\n", "'202501' is a monthly date"),
        ("just some text\nno table here\n", "no factor table found"),
    ],
)
def test_bad_files_are_rejected_whole(settings, tmp_path, text, message):
    good = tmp_path / "good.csv"
    good.write_text("date,mom\n2025-01-27,1.0\n")
    bad = tmp_path / "bad.csv"
    bad.write_text(text)
    with pytest.raises(InputFileError) as caught:
        import_factors(settings, [good, bad])
    assert message in str(caught.value)
    assert not settings.db.exists()  # checked before the warehouse is opened: nothing stored


def test_cli(cli, tmp_path):
    daily = tmp_path / "F-F_Research_Data_Factors_daily.CSV"
    daily.write_text(KEN_FRENCH_DAILY)
    db = tmp_path / "w.duckdb"
    result = cli("import", "factors", daily, "--db", db)
    assert result.exit_code == 0, result.output
    assert "4 days of mkt_rf, smb, hml, rf (2025-01-23 .. 2025-01-28, 1 missing values)" in result.output
    assert "4 new facts" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("date,foo\n2025-01-27,1\n")
    failed = cli("import", "factors", bad, "--db", db)
    assert failed.exit_code == 1 and "unknown factor column(s) foo" in failed.output
    assert len(failed.output.strip().splitlines()) == 1
