"""Text from outside (event names, notes, news titles, SQL results, values in error messages)
reaches the terminal neutralised: no raw ESC/OSC/BEL/CR, no rich markup interpreted.

The commands run for real (CliRunner on a real warehouse); an event is added by hand with a
hostile name, the way anyone with write access (or a catalogue file) could.
"""

from __future__ import annotations

import pytest

NASTY = "Evil\x1b]8;;http://evil.example\x07click\x1b]8;;\x07 \x1b[2J\x1b[31mred\r\x9b31m [red]markup[/red] [link=http://evil.example]L[/link]\u202e"
RAW_CONTROLS = ("\x1b", "\x07", "\r", "\x9b", "\u202e")


def assert_neutral(text: str) -> None:
    for control in RAW_CONTROLS:
        assert control not in text, (control, text)


@pytest.fixture
def nasty_event(cli, sample_settings):
    result = cli("events", "add", "--name", NASTY, "--kind", "other", "--at", "2025-01-22 10:00", "--tz", "America/New_York",
                 "--id", "nasty", "--notes", "note \x1b[5mblink", "--db", sample_settings.db)
    assert result.exit_code == 0, result.stderr
    return "nasty"


def test_events_list_and_show_neutralise_escapes_and_markup(cli, sample_settings, nasty_event):
    for args in (("events", "list", "--source", "manual"), ("events", "show", nasty_event)):
        result = cli(*args, "--db", sample_settings.db)
        assert result.exit_code == 0, result.stderr
        assert_neutral(result.stdout)
        assert "[red]markup[/red]" in result.stdout and "[link=http://evil.example]L[/link]" in result.stdout
        assert "\\x1b" in result.stdout  # shown, visibly, rather than dropped


def test_data_formats_keep_the_text_as_it_is(cli, sample_settings, nasty_event):
    result = cli("events", "list", "--source", "manual", "--format", "json", "--db", sample_settings.db)
    assert result.exit_code == 0
    assert "\\u001b]8;;http://evil.example" in result.stdout or "\x1b]8;;http://evil.example" in result.stdout


def test_sql_table_output_is_neutralised(cli, sample_settings):
    result = cli("sql", "SELECT chr(27) || '[2J' || chr(7) || '[bold]x[/bold]' AS t", "--db", sample_settings.db)
    assert result.exit_code == 0, result.stderr
    assert_neutral(result.stdout)
    assert "[bold]x[/bold]" in result.stdout
    # EXPLAIN's plan keeps its line breaks
    plan = cli("sql", "EXPLAIN SELECT count(*) FROM prices", "--db", sample_settings.db).stdout
    assert plan.count("\n") > 5


def test_study_table_event_name_is_neutralised(cli, sample_settings, nasty_event):
    result = cli("study", nasty_event, "--tickers", "NVDA,AAPL", "--window", "0,1", "--db", sample_settings.db)
    assert result.exit_code == 0, result.stderr
    assert_neutral(result.stdout)
    assert "[red]markup[/red]" in result.stdout


def test_values_echoed_in_errors_are_neutralised(cli, sample_settings):
    result = cli("study", "no-such\x1b[2J\x07event", "--db", sample_settings.db)
    assert result.exit_code == 1
    assert_neutral(result.stderr)
    assert "\\x1b[2J" in result.stderr


def test_file_names_in_import_lines_are_neutralised(cli, tmp_path):
    folder = tmp_path / "in\x1b]0;pwned\x07"
    folder.mkdir()
    (folder / "NVDA.csv").write_text("date,close\n2025-01-02,1.5\n2025-01-03,-1\n")
    result = cli("import", "prices", folder, "--db", tmp_path / "w.duckdb")
    assert result.exit_code == 1
    assert_neutral(result.stdout + result.stderr)
    assert "\\x1b]0;pwned\\x07" in result.stderr


def test_event_ids_from_the_command_line_are_neutralised(cli, sample_settings):
    result = cli("events", "add", "--name", "x", "--kind", "other", "--at", "2025-01-22", "--tz", "UTC",
                 "--id", "bad\x1b[2Jid", "--db", sample_settings.db)
    assert_neutral(result.stdout + result.stderr)
