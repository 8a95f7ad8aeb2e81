"""Settings: flags > environment > tracker.toml > defaults; bad keys are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.config import default_db_path, load_settings
from tracker.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_defaults_without_any_file():
    settings = load_settings()
    assert settings.db == default_db_path()
    assert str(settings.db).endswith(".local/share/tracker/tracker.duckdb")
    assert settings.study.market == "SPY" and settings.config_file is None


def test_local_file_then_flag_precedence(tmp_path):
    write(Path("tracker.toml"), '[warehouse]\npath = "data/w.duckdb"\n[study]\nmarket = "qqq"\nwindow = [0, 5]\n')
    settings = load_settings()
    assert settings.db == Path.cwd() / "data" / "w.duckdb"  # relative to the file
    assert (settings.study.market, settings.study.window) == ("QQQ", (0, 5))
    assert load_settings(db=tmp_path / "flag.duckdb").db == tmp_path / "flag.duckdb"


def test_user_config_is_found(tmp_path):
    import os

    write(Path(os.environ["XDG_CONFIG_HOME"]) / "tracker" / "tracker.toml", '[study]\nwatchlist = ["nvda", "aapl"]\n')
    assert load_settings().study.watchlist == ("NVDA", "AAPL")


def test_lock_timeout_from_environment(monkeypatch):
    monkeypatch.setenv("TRACKER_LOCK_TIMEOUT", "2.5")
    assert load_settings().lock_timeout == 2.5
    monkeypatch.setenv("TRACKER_LOCK_TIMEOUT", "soon")
    with pytest.raises(ConfigError, match="TRACKER_LOCK_TIMEOUT"):
        load_settings()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[study]\nwindow = [1, -1]\n", "study.window must be two integers"),
        ("[study]\nwindo = [0, 1]\n", "unknown key study.windo"),
        ("[studies]\nmarket = 'SPY'\n", "unknown section [studies]"),
        ("[study]\nmin_obs = 0\n", "study.min_obs must be a positive integer"),
        ("[study]\nwatchlist = []\n", "study.watchlist must be a non-empty list"),
        ("[warehouse]\nlock_timeout = -1\n", "warehouse.lock_timeout must be a positive number"),
        ("[study\n", "not valid TOML"),
        ("[study]\nmodel = 'capm'\n", "study.model must be one of mean-adjusted, market-adjusted, market, ff3, carhart"),
        ("[study]\nexclude_events = ['earning']\n", "study.exclude_events: unknown event kind 'earning'"),
    ],
)
def test_invalid_config_names_the_key(text, message):
    write(Path("tracker.toml"), text)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert message in str(caught.value) and "tracker.toml" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_explicit_missing_config(tmp_path):
    with pytest.raises(ConfigError, match="config file .*nope.toml does not exist"):
        load_settings(config=tmp_path / "nope.toml")


def test_env_db_is_used_by_the_cli(cli, sample_settings, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", str(sample_settings.db))
    result = cli("sql", "SELECT count(*) AS n FROM events", "--format", "csv")
    assert result.exit_code == 0 and result.stdout == "n\n65\n"
