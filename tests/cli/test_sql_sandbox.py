"""`tracker sql` is a sandbox: it reads the warehouse and nothing else, writes nothing but its
result, cannot be talked out of that, stops on a timeout or Ctrl-C, and always ends in one line.

Each attack here is one that got through before the sandbox (issue #15); the warehouse, the
other files and the CLI are real.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import polars as pl
import pytest

LONG_QUERY = "SELECT count(*) FROM range(100000000) AS a, range(100000) AS b WHERE a.range + b.range = -1"


def facts_in(path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT count(*) FROM fact_log").fetchone()[0]


def one_line_error(result) -> str:
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    return result.stderr


@pytest.fixture
def other_warehouse(sample_settings, tmp_path):
    """A second warehouse a malicious schema.sql would like to empty."""
    other = tmp_path / "other.duckdb"
    shutil.copy(sample_settings.db, other)
    return other


@pytest.fixture
def import_dir(tmp_path, other_warehouse):
    """What `IMPORT DATABASE` reads: a schema.sql that attaches another warehouse read-write and deletes its facts."""
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "schema.sql").write_text(
        f"ATTACH '{other_warehouse}' AS victim (READ_ONLY false);\nDELETE FROM victim.fact_log;\nDETACH victim;\n"
    )
    (folder / "load.sql").write_text("")
    return folder


@pytest.mark.parametrize("statement", ["IMPORT DATABASE '{dir}'", "PRAGMA import_database('{dir}')"])
def test_import_database_is_refused_and_touches_nothing(cli, sample_settings, import_dir, other_warehouse, statement):
    before = facts_in(other_warehouse)
    error = one_line_error(cli("sql", statement.format(dir=import_dir), "--db", sample_settings.db))
    assert "refused" in error
    assert facts_in(other_warehouse) == before > 0


def test_attach_read_write_is_refused(cli, sample_settings, other_warehouse):
    before = facts_in(other_warehouse)
    query = f"ATTACH '{other_warehouse}' AS victim (READ_ONLY false); DELETE FROM victim.fact_log"
    assert "refused" in one_line_error(cli("sql", query, "--db", sample_settings.db))
    assert facts_in(other_warehouse) == before


@pytest.mark.parametrize("statement", [
    "EXPLAIN ANALYZE COPY (SELECT 1 AS a) TO '{out}'",
    "EXPLAIN (ANALYZE) COPY (SELECT 1 AS a) TO '{out}'",
    "EXPLAIN /* hidden */ ANALYZE COPY (SELECT 1 AS a) TO '{out}'",
    "COPY (SELECT 1 AS a) TO '{out}'",
    "EXPORT DATABASE '{out}'",
    "COPY FROM DATABASE memory TO other",
])
def test_nothing_is_written_outside_the_result(cli, sample_settings, tmp_path, statement):
    out = tmp_path / "leak.csv"
    error = one_line_error(cli("sql", statement.format(out=out), "--db", sample_settings.db))
    assert "refused" in error
    assert not out.exists()


def test_explain_without_analyze_still_works(cli, sample_settings):
    result = cli("sql", "EXPLAIN SELECT count(*) FROM prices", "--db", sample_settings.db)
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("query", [
    "EXPLAIN ANALYZE INSTALL httpfs",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SELECT * FROM read_csv('https://example.invalid/prices.csv')",
    "SELECT * FROM read_parquet('s3://bucket/prices.parquet')",
])
def test_no_extension_is_downloaded_and_no_url_is_read(cli, sample_settings, query):
    started = time.monotonic()
    error = one_line_error(cli("sql", query, "--db", sample_settings.db))
    assert "refused" in error
    assert time.monotonic() - started < 10  # refused at once, no download attempt waiting on the network


@pytest.fixture
def private_file(tmp_path):
    secret = tmp_path / "secret" / "passwords.csv"
    secret.parent.mkdir()
    secret.write_text("user,password\nroot,hunter2\n")
    return secret


@pytest.mark.parametrize("query", [
    "SELECT * FROM read_text('{path}')",
    "SELECT * FROM read_csv('{path}')",
    "SELECT * FROM read_blob('{path}')",
    "SELECT * FROM glob('{folder}/*')",
    "SELECT * FROM sniff_csv('{path}')",
    "SELECT * FROM read_text('/etc/passwd')",
])
def test_files_outside_the_warehouse_cannot_be_read(cli, sample_settings, private_file, query):
    result = cli("sql", query.format(path=private_file, folder=private_file.parent), "--db", sample_settings.db)
    error = one_line_error(result)
    assert "hunter2" not in result.stdout and "passwords.csv" not in result.stdout
    assert "refused" in error and "--allow-files" in error


@pytest.mark.parametrize("query", [
    "SET enable_external_access = true; SELECT * FROM read_text('{path}')",
    "RESET enable_external_access; SELECT * FROM read_text('{path}')",
    "PRAGMA enable_external_access = true; SELECT * FROM read_text('{path}')",
    "SET lock_configuration = false; SET enable_external_access = true; SELECT * FROM read_text('{path}')",
    "SET allowed_directories = ['/']; SELECT * FROM read_text('{path}')",
])
def test_the_sandbox_cannot_be_switched_off(cli, sample_settings, private_file, query):
    result = cli("sql", query.format(path=private_file), "--db", sample_settings.db)
    assert "refused" in one_line_error(result)
    assert "hunter2" not in result.stdout


def test_the_connection_is_sealed_even_past_the_statement_check(sample_settings, private_file):
    """Second wall down (statements run directly on the sealed connection): DuckDB itself refuses."""
    from warehouse import Warehouse

    with Warehouse.open_sandbox(sample_settings.db) as warehouse:
        con = warehouse.con
        for statement in ("SET enable_external_access = true", "RESET enable_external_access",
                          "SET lock_configuration = false", "SET autoinstall_known_extensions = true"):
            with pytest.raises(duckdb.Error, match="locked"):
                con.execute(statement)
        with pytest.raises(duckdb.PermissionException):
            con.sql(f"SELECT * FROM read_text('{private_file}')").fetchall()
        with pytest.raises(duckdb.PermissionException):
            con.execute(f"COPY (SELECT 1) TO '{private_file.parent / 'x.csv'}'")
        assert con.execute("SELECT count(*) FROM returns").fetchone()[0] > 0


def test_allow_files_opens_one_folder_for_reading(cli, sample_settings, tmp_path, private_file):
    data = tmp_path / "mydata"
    data.mkdir()
    pl.DataFrame({"ticker": ["NVDA"], "weight": [0.5]}).write_parquet(data / "weights.parquet")
    (data / "escape").symlink_to(private_file)
    query = (f"SELECT w.ticker, w.weight, count(*) AS bars FROM read_parquet('{data}/weights.parquet') AS w "
             "JOIN prices USING (ticker) GROUP BY ALL")
    result = cli("sql", query, "--allow-files", data, "--format", "csv", "--db", sample_settings.db)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("ticker,weight,bars\nNVDA,0.5,")
    # still nothing outside it, not through a symlink inside it, and still no writing into it
    for query in (f"SELECT * FROM read_text('{private_file}')", f"SELECT * FROM read_text('{data}/escape')",
                  f"SELECT * FROM read_text('{data}/../secret/passwords.csv')"):
        assert "refused" in one_line_error(cli("sql", query, "--allow-files", data, "--db", sample_settings.db))
    out = data / "written.csv"
    assert "refused" in one_line_error(cli("sql", f"COPY (SELECT 1) TO '{out}'", "--allow-files", data, "--db", sample_settings.db))
    assert "refused" in one_line_error(
        cli("sql", f"EXPLAIN ANALYZE COPY (SELECT 1) TO '{out}'", "--allow-files", data, "--db", sample_settings.db))
    assert not out.exists()


def test_allow_files_must_be_an_existing_folder_or_file(cli, sample_settings, tmp_path):
    error = one_line_error(cli("sql", "SELECT 1", "--allow-files", tmp_path / "nope", "--db", sample_settings.db))
    assert "--allow-files" in error and "nope" in error


def test_read_only_pragmas_and_describe_still_work(cli, sample_settings):
    for query in ("PRAGMA table_info('prices')", "DESCRIBE returns", "SHOW TABLES", "SUMMARIZE SELECT 1 AS a",
                  "PRAGMA version", "SELECT * FROM pragma_table_info('returns')"):
        result = cli("sql", query, "--db", sample_settings.db)
        assert result.exit_code == 0, (query, result.stderr)


def test_a_list_column_as_csv_is_json_encoded(cli, sample_settings):
    query = ("SELECT 'NVDA' AS ticker, [1, 2] AS l, {'a': 1, 'b': 'x'} AS s, map(['k'], [2]) AS m, "
             "'1 day'::INTERVAL AS i, '\\xAB'::BLOB AS b")
    result = cli("sql", query, "--format", "csv", "--db", sample_settings.db)
    assert result.exit_code == 0, result.stderr
    rows = pl.read_csv(result.stdout.encode()).row(0, named=True)
    assert json.loads(rows["l"]) == [1, 2] and json.loads(rows["s"]) == {"a": 1, "b": "x"} and json.loads(rows["m"]) == {"k": 2}
    assert rows["i"] == "1 day" and rows["b"] == "\\xAB"
    for fmt in ("json", "table"):
        result = cli("sql", query, "--format", fmt, "--db", sample_settings.db)
        assert result.exit_code == 0, (fmt, result.stderr)
    assert json.loads(cli("sql", "SELECT [1, 2] AS l", "--format", "json", "--db", sample_settings.db).stdout) == [{"l": [1, 2]}]


def test_a_value_no_text_format_can_hold_is_one_line(cli, sample_settings, tmp_path):
    for fmt in ("csv", "json", "table"):
        error = one_line_error(cli("sql", "SELECT 'infinity'::DATE AS d", "--format", fmt, "--db", sample_settings.db))
        assert "column d" in error and "infinity" in error and "::VARCHAR" in error
    out = tmp_path / "d.parquet"
    assert cli("sql", "SELECT 'infinity'::DATE AS d", "--out", out, "--db", sample_settings.db).exit_code == 0


def test_parquet_out(cli, sample_settings, tmp_path):
    out = tmp_path / "returns.parquet"
    query = "SELECT ticker, date, ret, [ret] AS l FROM returns WHERE date = '2025-01-27' ORDER BY ticker"
    result = cli("sql", query, "--format", "parquet", "--out", out, "--db", sample_settings.db)
    assert result.exit_code == 0, result.stderr
    written = pl.read_parquet(out)
    with duckdb.connect(str(sample_settings.db), read_only=True) as con:
        expected = con.sql(query).pl()
    assert written.equals(expected) and written.height > 5
    assert str(out) in result.stderr  # the path is reported, stdout stays clean
    # the suffix picks the format
    implied = tmp_path / "implied.csv"
    assert cli("sql", query, "--out", implied, "--db", sample_settings.db).exit_code == 0
    assert implied.read_text().startswith("ticker,date,ret,l\n")


@pytest.mark.parametrize("args, message", [
    (["--format", "parquet"], "--out"),
    (["--format", "parquet", "--out", "r.csv"], ".parquet"),
    (["--out", "r.txt"], ".csv"),
    (["--format", "table", "--out", "r.csv"], "--format"),
])
def test_parquet_and_out_misuse_is_one_line(cli, sample_settings, args, message):
    error = one_line_error(cli("sql", "SELECT 1 AS a", *args, "--db", sample_settings.db))
    assert message in error


def test_out_takes_one_statement(cli, sample_settings, tmp_path):
    error = one_line_error(cli("sql", "SELECT 1 AS a; SELECT 2 AS b", "--out", tmp_path / "r.csv", "--db", sample_settings.db))
    assert "one statement" in error
    assert not (tmp_path / "r.csv").exists()


def run_tracker(args, env_extra=None) -> subprocess.Popen:
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.Popen([sys.executable, "-m", "tracker", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def test_timeout_stops_a_long_query_in_one_line(sample_settings):
    started = time.monotonic()
    process = run_tracker(["sql", LONG_QUERY, "--timeout", "1", "--db", sample_settings.db])
    try:
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 1, err
    assert err.startswith("error: ") and err.count("\n") == 1 and "--timeout" in err
    assert time.monotonic() - started < 30


def test_ctrl_c_stops_a_long_query_with_exit_130_and_one_line(sample_settings):
    process = run_tracker(["sql", LONG_QUERY, "--db", sample_settings.db])
    try:
        time.sleep(3)  # started and inside the query
        assert process.poll() is None
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 130, err
    assert err.count("\n") == 1 and "interrupted" in err and "internal error" not in err


def test_a_terminal_table_fetches_only_what_it_shows(cli, sample_settings):
    """A trillion-row result prints at once: the table's row cap is part of the query, not a cut after fetching."""
    result = cli("sql", "SELECT range AS n FROM range(1000000000000)", "--timeout", "60", "--db", sample_settings.db)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.strip() == "199" for line in lines) and not any(line.strip() == "200" for line in lines)
    assert "more rows" in result.stdout
