"""Samples by event kind: every event of a kind for every ticker, merged duplicates, each row's
event named, overlapping events flagged, and exclusions that know firm events from market-wide ones."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from tracker.study import StudyRequest, run_study

SINCE, UNTIL = dt.date(2025, 1, 1), dt.date(2025, 2, 28)


@pytest.fixture(scope="module")
def releases(_sample_warehouse_file, tmp_path_factory):
    """The shipped sample's model releases of Jan-Feb 2025 for NVDA and AAPL, windows -1..+1 and 0..0."""
    import shutil

    from tracker.config import Settings

    path = tmp_path_factory.mktemp("kind") / "kind.duckdb"
    shutil.copy(_sample_warehouse_file, path)
    settings = Settings(db=path, lock_timeout=5.0)
    request = StudyRequest(kind="model_release", since=SINCE, until=UNTIL, tickers=("NVDA", "AAPL"), windows=((-1, 1), (0, 0)))
    return settings, run_study(settings, request)


def _events_view(settings, sql):
    from tracker.storage import open_reader

    with open_reader(settings) as warehouse:
        return warehouse.query(sql).to_dicts()


def test_a_kind_studies_every_event_of_it_for_every_ticker_once_per_day0(releases):
    settings, result = releases
    events = _events_view(settings, f"SELECT event_id, day0 FROM events WHERE kind = 'model_release' "
                                    f"AND day0 BETWEEN '{SINCE}' AND '{UNTIL}' ORDER BY day0, event_id")
    assert len(events) >= 5
    by_day0: dict[dt.date, list[str]] = {}
    for e in events:
        by_day0.setdefault(e["day0"], []).append(e["event_id"])
    expected = {(ticker, day0, "+".join(ids)) for day0, ids in by_day0.items() for ticker in ("AAPL", "NVDA")}
    studied = {(fe.ticker, fe.day0, fe.event_id) for fe in result.firm_events}
    skipped = {(s.ticker, s.event_id) for s in result.estimation_skipped}
    assert studied | {(t, d, i) for t, d, i in expected if (t, i) in skipped} == expected
    # DeepSeek-R1 and Kimi k1.5 share day 0 (2025-01-21): one firm-event per ticker, and the study says so
    shared = [day0 for day0, ids in by_day0.items() if len(ids) > 1]
    assert dt.date(2025, 1, 21) in shared
    assert {(m["ticker"], m["day0"]) for m in result.merged} == {(t, d.isoformat()) for d in shared for t in ("AAPL", "NVDA")}
    r1 = next(m for m in result.merged if m["ticker"] == "NVDA" and m["day0"] == "2025-01-21")
    assert "2025-01-20-deepseek-r1" in r1["event_ids"] and len(r1["event_ids"]) == 2
    assert result.event["kind"] == "model_release" and result.event["events"] == len(events)


def test_every_row_names_its_event_in_every_format(releases, cli):
    settings, result = releases
    names = {e["event_id"]: e["name"] for e in _events_view(settings, "SELECT event_id, name FROM events")}
    document = json.loads(result.to_json())
    for firm in document["firms"]:
        expected = " + ".join(names[i] for i in firm["event_id"].split("+"))
        assert firm["event_name"] == expected
    args = ["study", "--kind", "model_release", "--since", str(SINCE), "--until", str(UNTIL), "--tickers", "NVDA,AAPL",
            "--window", "-1,1", "--db", settings.db]
    rows = list(csv.DictReader(io.StringIO(cli(*args, "--format", "csv").stdout)))
    assert rows and all(r["event_name"] == " + ".join(names[i] for i in r["event_id"].split("+")) for r in rows)
    table = cli(*args).stdout
    assert "Event" in table.splitlines()[3] and "2025-01-31-openai-o3-mini" in table
    markdown = cli(*args, "--format", "md").stdout
    o3 = names["2025-01-31-openai-o3-mini"]
    assert f"| {o3} (2025-01-31-openai-o3-mini) |" in markdown.replace("\\", "")


def test_windows_holding_another_curated_event_are_flagged_for_the_tickers_it_concerns(releases):
    _, result = releases
    flagged = {(o["ticker"], o["day0"]): o["others"] for o in result.overlaps}
    # Janus-Pro's day 0 is 2025-01-28: its window -1..+1 holds the 2025-01-27 selloff (a market-wide shock)
    janus = flagged[("NVDA", "2025-01-28")]
    selloff = next(e for e in janus if e["event_id"] == "2025-01-27-deepseek-selloff")
    assert selloff["offset"] == -1 and selloff["kind"] == "market_shock"
    assert ("AAPL", "2025-01-28") in flagged
    # GPT-4.5 (day 0 2025-02-27) shares its day 0 with NVIDIA's earnings: a firm event, NVDA's only
    nvda = [e["event_id"] for e in flagged.get(("NVDA", "2025-02-27"), [])]
    aapl = [e["event_id"] for e in flagged.get(("AAPL", "2025-02-27"), [])]
    assert "2025-02-26-nvidia-earnings-q4-fy2025" in nvda and "2025-02-26-nvidia-earnings-q4-fy2025" not in aapl
    assert json.loads(result.to_json())["overlaps"] == result.overlaps


def test_an_earnings_exclusion_leaves_out_only_its_own_tickers_days(sample_settings):
    request = StudyRequest(event_id="2025-01-27-deepseek-selloff", tickers=("NVDA", "AAPL"), window=(0, 0),
                           exclude_events=("earnings",), exclude_within=1)
    document = json.loads(run_study(sample_settings, request).to_json())
    excluded = {f["ticker"]: f["n_excluded"] for f in document["firms"]}
    assert excluded["AAPL"] == 0  # the catalogue's earnings are NVIDIA's
    assert excluded["NVDA"] >= 9  # about three in the estimation window, three days each
    assert all(e["tickers"] == ["NVDA"] for e in document["exclusion"]["events"])
    policy = run_study(sample_settings, StudyRequest(**{**request.__dict__, "exclude_events": ("policy",)}))
    both = {fe.ticker: int(n) for fe, n in zip(policy.firm_events, policy.n_excluded)}
    assert both["AAPL"] == both["NVDA"] > 0  # policy events concern every firm


def test_the_sample_options_are_checked_with_their_names(cli, sample_settings):
    base = ["study", "--tickers", "NVDA", "--db", sample_settings.db]
    cases = [
        (["--kind", "model_relase"], "--kind model_relase: unknown event kind"),
        (["--kind", "model_release", "--since", "2025-13-01"], "--since '2025-13-01' is not a date"),
        (["--kind", "model_release", "--since", "2025-03-01", "--until", "2025-01-01"], "--since 2025-03-01: is after --until"),
        (["--kind", "model_release", "--org", "Nobody Labs"], "no model_release event with org Nobody Labs"),
        (["2025-01-20-deepseek-r1", "--kind", "model_release"], "give one of: an EVENT_ID, --kind KIND or --events-file FILE"),
        (["2025-01-20-deepseek-r1", "--since", "2025-01-01"], "--since, --until and --org choose events of a --kind"),
    ]
    for extra, message in cases:
        result = cli(*base, *extra)
        assert result.exit_code == 1, (extra, result.output)
        assert message in result.output, (extra, result.output)


def test_status_shows_factor_coverage_and_a_news_summary(cli, sample_settings, tmp_path):
    news = tmp_path / "news.csv"
    news.write_text("published_at,publisher,title,url,tickers\n"
                    "2025-01-20T09:00:00+08:00,Example Wire,DeepSeek releases DeepSeek-R1,https://example.com/r1,NVDA\n"
                    "2025-01-21T09:00:00+00:00,Example Wire,Markets are quiet,https://example.com/quiet,\n")
    assert cli("import", "news", news, "--db", sample_settings.db).exit_code == 0
    assert cli("events", "tag", "--db", sample_settings.db).exit_code == 0
    text = cli("status", "--db", sample_settings.db).stdout
    assert "Factors: none (the factor models need `tracker import factors PATH`)" in text
    assert "News: 2 articles, 1 tagged, by publisher" in text and "Example Wire" in text
