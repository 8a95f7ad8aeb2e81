"""``tracker events add | amend | retract | list | show``: every change is a fact, nothing is edited."""

from __future__ import annotations

import datetime as dt
import json

from tracker.demo import packaged

R1 = "2025-01-20-deepseek-r1"
CATALOGUE = packaged("catalogue/ai_events.csv")


def test_add_an_event_and_study_it(cli, sample_settings, read):
    result = cli("events", "add", "--name", "DeepSeek-R1 release (manual)", "--kind", "model_release",
                 "--at", "2025-01-20 09:00", "--tz", "Asia/Shanghai", "--precision", "day", "--org", "DeepSeek",
                 "--model", "DeepSeek-R1", "--db", sample_settings.db)
    assert result.exit_code == 0, result.output
    assert "added 2025-01-20-deepseek-r1-release-manual: day 0 2025-01-21" in result.output
    row = read(sample_settings, "SELECT * FROM events WHERE event_id = '2025-01-20-deepseek-r1-release-manual'").row(0, named=True)
    assert (row["source"], row["model"], row["day0"], row["timezone"]) == ("manual", "DeepSeek-R1", dt.date(2025, 1, 21), "Asia/Shanghai")
    study = cli("study", "2025-01-20-deepseek-r1-release-manual", "--tickers", "NVDA", "--window", "0,4", "--format", "json",
                "--db", sample_settings.db)
    assert study.exit_code == 0, study.output
    assert json.loads(study.output)["event"]["source"] == "manual"


def test_add_with_a_time_aligns_to_the_session(cli, sample_settings):
    after_close = cli("events", "add", "--name", "Late news", "--kind", "other", "--at", "2025-02-26 16:20",
                      "--tz", "America/New_York", "--id", "late-news", "--db", sample_settings.db)
    assert after_close.exit_code == 0, after_close.output
    assert "day 0 2025-02-27" in after_close.output  # minute precision: after the close -> next session


def test_add_refuses_bad_input_in_one_line(cli, sample_settings):
    cases = [
        (("--kind", "rumour", "--at", "2025-01-20", "--tz", "UTC"), "unknown kind 'rumour'"),
        (("--kind", "other", "--at", "2025-01-20", "--tz", "Mars/Olympus"), "unknown time zone 'Mars/Olympus'"),
        (("--kind", "other", "--at", "20 Jan 2025", "--tz", "UTC"), "is not local time like"),
        (("--kind", "other", "--at", "2025-01-20", "--tz", "UTC", "--reaction-date", "2025-01-20"), "not an XNYS session"),
        (("--kind", "other", "--at", "2025-01-20", "--tz", "UTC", "--id", R1), "already exists"),
    ]
    for args, message in cases:
        result = cli("events", "add", "--name", "X", *args, "--db", sample_settings.db)
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output and "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1


def test_retract_hides_the_event_but_keeps_its_facts(cli, sample_settings, read):
    result = cli("events", "retract", R1, "--reason", "testing retractions", "--db", sample_settings.db)
    assert result.exit_code == 0, result.output
    assert read(sample_settings, "SELECT count(*) AS n FROM events WHERE event_id = $e", {"e": R1}).item() == 0
    kinds = read(sample_settings, "SELECT kind FROM facts WHERE stream = $s ORDER BY seq", {"s": f"event/{R1}"})["kind"].to_list()
    assert kinds == ["EventCatalogued", "EventRetracted"]
    # studies no longer find it, and re-importing the catalogue does not bring it back
    study = cli("study", R1, "--tickers", "NVDA", "--db", sample_settings.db)
    assert study.exit_code == 1 and f"unknown event '{R1}': it was retracted (testing retractions)" in study.output
    reimport = cli("import", "events", CATALOGUE, "--db", sample_settings.db)
    assert reimport.exit_code == 0 and "0 new facts" in reimport.output
    assert read(sample_settings, "SELECT count(*) AS n FROM events WHERE event_id = $e", {"e": R1}).item() == 0
    again = cli("events", "retract", R1, "--reason", "twice", "--db", sample_settings.db)
    assert again.exit_code == 1 and "was retracted (testing retractions)" in again.output
    shown = cli("events", "show", R1, "--db", sample_settings.db)
    assert shown.exit_code == 0 and "(retracted: testing retractions)" in shown.output
    assert cli("events", "retract", R1, "--reason", "", "--db", sample_settings.db).exit_code == 1


def test_amend_recomputes_day0_and_survives_a_catalogue_reimport(cli, sample_settings, read):
    result = cli("events", "amend", R1, "--reaction-date", "2025-01-27", "--reason", "the market noticed on the 27th",
                 "--db", sample_settings.db)
    assert result.exit_code == 0, result.output
    assert "day 0 2025-01-27 (manual reaction_date 2025-01-27)" in result.output
    row = read(sample_settings, "SELECT day0, reaction_date, source FROM events WHERE event_id = $e", {"e": R1}).row(0, named=True)
    assert row == {"day0": dt.date(2025, 1, 27), "reaction_date": dt.date(2025, 1, 27), "source": "catalogue"}
    nothing = cli("events", "amend", R1, "--reaction-date", "2025-01-27", "--db", sample_settings.db)
    assert nothing.exit_code == 1 and "nothing to change" in nothing.output
    cleared = cli("events", "amend", R1, "--reaction-date", "none", "--db", sample_settings.db)
    assert "day 0 2025-01-21" in cleared.output
    unknown = cli("events", "amend", "2025-01-20-deepseek-r2", "--name", "x", "--db", sample_settings.db)
    assert unknown.exit_code == 1 and "did you mean 2025-01-20-deepseek-r1" in unknown.output


def test_an_amendment_outlives_a_changed_catalogue_row(cli, sample_settings, read, tmp_path):
    assert cli("events", "amend", R1, "--name", "DeepSeek-R1 release", "--db", sample_settings.db).exit_code == 0
    changed = tmp_path / "ai_events.csv"
    changed.write_text(CATALOGUE.read_text(encoding="utf-8").replace("MIT-licensed open weights;", "MIT-licensed weights;"), encoding="utf-8")
    result = cli("import", "events", changed, "--db", sample_settings.db)
    assert "1 new facts (1 amendments)" in result.output, result.output
    row = read(sample_settings, "SELECT name, notes FROM events WHERE event_id = $e", {"e": R1}).row(0, named=True)
    assert row["name"] == "DeepSeek-R1 release" and row["notes"].startswith("MIT-licensed weights;")


def test_list_filters_and_formats(cli, sample_settings):
    table = cli("events", "list", "--kind", "model_release", "--org", "deepseek", "--since", "2025-01-01", "--db", sample_settings.db)
    assert table.exit_code == 0, table.output
    assert R1 in table.output and "2024-12-26-deepseek-v3" not in table.output and "nvidia" not in table.output
    csv_out = cli("events", "list", "--org", "NVIDIA", "--kind", "earnings", "--format", "csv", "--db", sample_settings.db)
    lines = csv_out.output.strip().splitlines()
    assert lines[0] == "event_id,day0,kind,org,name,source,news_count,confidence"
    assert len(lines) - 1 == 12 and all(",earnings,NVIDIA," in line for line in lines[1:])
    bad = cli("events", "list", "--since", "last week", "--db", sample_settings.db)
    assert bad.exit_code == 1 and "--since 'last week' is not a date" in bad.output
    assert cli("events", "list", "--kind", "gossip", "--db", sample_settings.db).exit_code == 1


def test_show_gives_day0_sources_history_and_evidence(cli, sample_settings, news_csv, tmp_path):
    headlines = news_csv(tmp_path / "r1.csv", [{
        "published_at": "2025-01-20T11:35:00Z", "publisher": "Reuters", "tickers": "NVDA",
        "url": "https://reuters.example/deepseek-r1", "title": "DeepSeek releases R1 reasoning model, says it rivals OpenAI's o1",
    }])
    assert cli("import", "news", headlines, "--db", sample_settings.db).exit_code == 0
    assert cli("events", "tag", "--db", sample_settings.db).exit_code == 0
    result = cli("events", "show", R1, "--db", sample_settings.db)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "day0_rule" in out and "first session on or after 2025-01-20 (Asia/Shanghai date)" in out
    assert "https://aiwiki.ai/wiki/deepseek-r1" in out  # the catalogue's source
    assert "EventCatalogued" in out  # history
    assert "Evidence: 1 article(s)" in out and "release: org + verb + model" in out
    missing = cli("events", "show", "2025-01-20-deepseek-r2", "--db", sample_settings.db)
    assert missing.exit_code == 1 and "did you mean 2025-01-20-deepseek-r1" in missing.output


def test_every_events_command_has_help_with_an_example(cli):
    for command in ("tag", "list", "show", "add", "amend", "retract"):
        result = cli("events", command, "--help")
        assert result.exit_code == 0
        assert "Example" in result.output and f"tracker events {command}" in result.output, command
    assert "tracker import news" in cli("import", "news", "--help").output
