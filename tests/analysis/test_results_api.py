"""The results object (linearmodels style) and its JSON: frames, test objects, summary, HTML,
byte-identical output for the same inputs, and ``as_of`` reproducing earlier numbers."""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest

from tracker.analysis import TEST_NAMES, TestResult

WINDOWS = [(-1, 1), (0, 5)]


@pytest.fixture(scope="module")
def study(tmp_path_factory, synth):
    market = synth.simulate(6, n_days=320, seed=31)
    market.returns["F05"][302] = np.nan  # F05 is skipped in (0, 5) only
    firm_events = [(f"F{i:02d}", market.dates[300], "ev") for i in range(6)]
    return market, firm_events, None


def test_frames(study, engine):
    market, firm_events, _ = study
    result = engine(market, firm_events, window=WINDOWS, min_obs=200)
    assert [w.n for w in result.by_window] == [6, 5]
    assert result.firms.columns == ["ticker", "event_id", "event_name", "event_date", "day0", "alpha", "beta", "sigma", "n_est", "df", "n_excluded"]
    assert result.ar.height == 6 * 7 and {"offset", "date", "ret", "market_ret", "expected", "ar"} <= set(result.ar.columns)
    # no bar on day +2: the returns of days +2 and +3 are missing
    assert result.ar.filter(pl.col("ticker") == "F05", pl.col("ar").is_null())["offset"].to_list() == [2, 3]
    car = result.car
    assert car.height == 6 + 5 and car.columns[:2] == ["window_start", "window_end"]
    assert set(car.columns) >= {"car", "car_se", "car_t", "car_t_clm", "car_p", "scar"}
    assert result.bhar.height == 11 and {"window_return", "normal_return", "bhar"} <= set(result.bhar.columns)
    aar = result.aar
    assert aar.height == 3 + 6
    first = aar.filter(pl.col("window_start") == -1)
    np.testing.assert_allclose(first["caar"].to_numpy()[-1], result.by_window[0].caar)
    assert first["date"].dtype == pl.Date and first["date"].null_count() == 0
    caar = result.caar
    assert caar.height == 2 and caar["n"].to_list() == [6, 5]
    np.testing.assert_allclose(caar["caar"].to_numpy(), [w.caar for w in result.by_window])
    # the frames agree with the arrays
    np.testing.assert_allclose(car.filter(pl.col("window_start") == 0)["car"].to_numpy(), result.by_window[1].car)
    table = result.test_table
    assert table.height == 2 * len(TEST_NAMES)
    assert table.filter(pl.col("test") == "portfolio_t")["valid_under_clustering"].all()


def test_test_objects_summary_and_html(study, engine):
    market, firm_events, _ = study
    result = engine(market, firm_events, window=WINDOWS, min_obs=200)
    assert list(result.tests) == list(TEST_NAMES)
    test = result.tests["kp_bmp_t"]
    assert isinstance(test, TestResult) and test.distribution == "t(5)" and test.df == 5.0 and test.null
    assert str(test).startswith("kp_bmp_t = ")
    text = result.summary  # what `tracker study` prints, from the same view and renderer
    assert str(result) == text
    assert "Window [-1,1]\nN = 6   CAAR = " in text and "Window [0,5]\nN = 5   CAAR = " in text
    assert "All firm-events share day 0" in text and "F05" in text
    for name in TEST_NAMES:
        assert name in text
    html = result._repr_html_()  # the report's tables, without page or charts
    assert html.count("<table") == 2 * 3 and "Kolari" in html and "<html" not in html  # firms, days, tests per window
    assert html.startswith("<p><strong>6 firm-events</strong>")


def test_json_schema_and_determinism(study, engine):
    market, firm_events, _ = study
    first = engine(market, firm_events, window=WINDOWS, min_obs=200).to_json()
    second = engine(market, firm_events, window=WINDOWS, min_obs=200).to_json()
    assert first == second
    document = json.loads(first)
    assert document["schema_version"] == 2
    for key in ("event", "model", "market", "factors", "estimation", "window", "windows", "min_obs", "exclusion", "merged", "overlaps",
                "log_position", "conventions", "firms", "skipped", "aggregate", "by_window"):
        assert key in document, key
    assert document["window"] == [-1, 1] and document["windows"] == [[-1, 1], [0, 5]]
    assert document["firms"] == document["by_window"][0]["firms"]
    assert document["aggregate"] == document["by_window"][0]["aggregate"]
    second_window = document["by_window"][1]
    assert second_window["window"] == [0, 5] and second_window["skipped"][0]["ticker"] == "F05"
    assert "missing return of F05" in second_window["skipped"][0]["reason"]
    firm = document["firms"][0]
    for key in ("ticker", "event_id", "event_name", "event_date", "day0", "alpha", "beta", "params", "sigma", "n_est", "df", "ar",
                "window_return", "car", "car_se", "car_t", "car_t_clm", "car_p", "scar", "bhar"):
        assert key in firm, key
    assert set(firm["ar"][0]) == {"offset", "date", "ret", "market_ret", "expected", "ar"}
    aggregate = document["aggregate"]
    assert set(aggregate["tests"]) == set(TEST_NAMES)
    for entry in aggregate["tests"].values():
        assert {"stat", "p", "distribution", "df", "null"} <= set(entry)
    assert {"offset", "date", "aar", "caar", "n", "t", "p"} == set(aggregate["aar"][0])
    assert aggregate["common_day0"] == str(firm_events[0][1])
    assert "NaN" not in first and "Infinity" not in first


def test_json_written_a_few_firm_events_at_a_time_is_the_same_text(study, engine):
    """``write_json`` streams the firm lines in slices (a million firm-events in bounded memory):
    the same bytes as ``to_json`` for any slice, and ``[]`` for a window nobody was studied in."""
    import io

    market, firm_events, _ = study
    result = engine(market, firm_events, window=[(-1, 1), (0, 3), (0, 25)], min_obs=100)  # (0, 25) runs off the data
    assert [w.n for w in result.by_window] == [6, 5, 0]
    whole = result.to_json()
    for size in (1, 2, 3, 1000):
        out = io.StringIO()
        result.write_json(out, rows_at_a_time=size)
        assert out.getvalue() == whole, size
    document = json.loads(whole)
    assert [len(b["firms"]) for b in document["by_window"]] == [6, 5, 0] and '"firms": []' in whole
    assert document["firms"] == document["by_window"][0]["firms"]
    rows = result.firm_rows
    assert rows.height == sum(w.n for w in result.by_window)
    assert rows.filter(pl.col("window_start") == 0)["car"].to_list() == [f["car"] for f in document["by_window"][1]["firms"]]
