"""``tracker study`` with the battery: several windows, models, exclusions, formats, config."""

from __future__ import annotations

import csv
import io
import json

import pytest

EVENT = "2025-01-27-deepseek-selloff"
TICKERS = "NVDA,AVGO,AAPL,MSFT,TSM,AMD,ORCL,CEG"


def test_several_windows_in_json(cli, sample_settings):
    result = cli("study", EVENT, "--tickers", TICKERS, "--window", "0,0", "--window", "-1,1", "--window", "-5,20",
                 "--format", "json", "--db", sample_settings.db)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["windows"] == [[0, 0], [-1, 1], [-5, 20]]
    assert [b["window"] for b in document["by_window"]] == [[0, 0], [-1, 1], [-5, 20]]
    assert document["aggregate"] == document["by_window"][0]["aggregate"]
    tests = document["aggregate"]["tests"]
    assert tests["portfolio_t"]["stat"] < -3  # the selloff, as one portfolio
    assert tests["kp_bmp_t"]["stat"] > tests["bmp_t"]["stat"]  # KP shrinks the (negative) BMP toward 0
    nvda = next(f for f in document["firms"] if f["ticker"] == "NVDA")
    assert -0.16 < nvda["car"] < -0.10 and nvda["car_t_clm"] < -3


def test_table_leads_with_the_tests_valid_under_clustering(cli, sample_settings):
    result = cli("study", EVENT, "--tickers", TICKERS, "--window", "0,0", "--format", "table", "--db", sample_settings.db)
    assert result.exit_code == 0, result.output
    text = result.output
    assert "All firm-events share day 0" in text
    assert text.index("portfolio_t") < text.index("kp_bmp_t") < text.index("cda_t") < text.index("cross_sectional_t")
    assert "valid under clustering" in text and "assumes independent firm-events" in text


def test_csv_and_markdown(cli, sample_settings):
    result = cli("study", EVENT, "--tickers", TICKERS, "--window", "0,0", "--window", "-1,1", "--format", "csv",
                 "--db", sample_settings.db)
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 16 and {r["window"] for r in rows} == {"[0,0]", "[-1,1]"}
    assert {"ar_-1", "ar_0", "ar_+1", "scar", "bhar"} <= set(rows[0])
    md = cli("study", EVENT, "--tickers", TICKERS, "--window", "0,0", "--window", "-1,1", "--format", "md",
             "--db", sample_settings.db)
    # the report's Markdown without its charts: one renderer for both commands
    assert "### Days −1 to +1" in md.output and "| Portfolio t (equal-weighted portfolio as one security) |" in md.output
    assert "## Data provenance" in md.output and "![" not in md.output


def test_models_and_exclusions(cli, sample_settings):
    for model in ("mean-adjusted", "market-adjusted", "market"):
        result = cli("study", EVENT, "--tickers", TICKERS, "--window", "0,0", "--model", model, "--format", "json",
                     "--db", sample_settings.db)
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["model"] == model
    excluded = cli("study", EVENT, "--tickers", TICKERS, "--window", "0,0", "--exclude-events", "earnings,policy",
                   "--exclude-within", "2", "--format", "json", "--db", sample_settings.db)
    document = json.loads(excluded.output)
    assert document["exclusion"]["kinds"] == ["earnings", "policy"] and document["exclusion"]["within"] == 2
    assert all(f["n_excluded"] > 0 for f in document["firms"])


def test_option_errors_are_one_line(cli, sample_settings):
    cases = [
        (["--model", "capm"], "--model capm: unknown model"),
        (["--exclude-events", "earning"], "unknown kind(s) earning"),
        (["--model", "ff3"], "factor returns in the warehouse"),
        (["--window", "1"], "--window '1' must be two integers"),
    ]
    for extra, message in cases:
        result = cli("study", EVENT, "--tickers", TICKERS, *extra, "--db", sample_settings.db)
        assert result.exit_code == 1, extra
        assert message in result.output, (extra, result.output)
        assert len(result.output.strip().splitlines()) == 1


def test_windows_and_exclusions_from_tracker_toml(cli, sample_settings, tmp_path):
    config = tmp_path / "tracker.toml"
    config.write_text('[study]\nwindow = [[0, 0], [0, 2]]\nexclude_events = ["earnings"]\nexclude_within = 0\n')
    result = cli("study", EVENT, "--tickers", TICKERS, "--format", "json", "--db", sample_settings.db, "--config", config)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["windows"] == [[0, 0], [0, 2]] and document["exclusion"]["within"] == 0
    bad = tmp_path / "bad.toml"
    bad.write_text('[study]\nexclude_within = -1\n')
    failed = cli("study", EVENT, "--db", sample_settings.db, "--config", bad)
    assert failed.exit_code == 1 and "study.exclude_within must be an integer >= 0" in failed.output


@pytest.mark.shared
def test_factor_models_on_real_prices_and_fama_french(cli, shared_data, tmp_path):
    db = tmp_path / "real.duckdb"
    prices = [shared_data / "prices" / f"{t}.csv" for t in ("NVDA", "AVGO", "AAPL", "MSFT", "TSM", "SPY")]
    assert cli("import", "prices", *prices, "--db", db).exit_code == 0
    factors = cli("import", "factors", shared_data / "factors" / "ff3_daily.csv", shared_data / "factors" / "mom_daily.csv", "--db", db)
    assert factors.exit_code == 0, factors.output
    catalogue = cli("import", "events", shared_data / "events" / "ai_events.csv", "--db", db)
    assert catalogue.exit_code == 0, catalogue.output
    for model in ("ff3", "carhart"):
        result = cli("study", EVENT, "--tickers", "NVDA,AVGO,AAPL,MSFT,TSM", "--model", model, "--window", "0,0",
                     "--format", "json", "--db", db)
        assert result.exit_code == 0, result.output
        document = json.loads(result.output)
        assert document["factors"] == (["mkt_rf", "smb", "hml", "rf"] if model == "ff3" else ["mkt_rf", "smb", "hml", "rf", "mom"])
        nvda = next(f for f in document["firms"] if f["ticker"] == "NVDA")
        # NVDA -17.0 % on the day, the market -1.49 %: a large negative abnormal return either way
        # (smaller under Carhart: momentum fell 3.3 % that day and NVDA loads on it)
        assert -0.17 < nvda["car"] < -0.05 and nvda["car_t_clm"] < -3
        aapl = next(f for f in document["firms"] if f["ticker"] == "AAPL")
        assert aapl["car"] > 0.03
        assert document["aggregate"]["tests"]["portfolio_t"]["stat"] < -2
