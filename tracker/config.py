"""Settings: defaults < ``tracker.toml`` < environment < command-line flags, frozen once loaded.

The config file is the first of: ``--config PATH`` / ``TRACKER_CONFIG`` (must exist),
``./tracker.toml``, ``$XDG_CONFIG_HOME/tracker/tracker.toml`` (``~/.config/...``). It is
optional. Every key is checked; an unknown or invalid key is an error naming it.

Example ``tracker.toml``::

    [warehouse]
    path = "~/data/tracker.duckdb"   # relative paths are relative to this file
    lock_timeout = 30                # seconds to wait for another process's lock

    [study]
    watchlist = ["NVDA", "AVGO", "AAPL", "MSFT", "TSM"]
    market = "SPY"
    model = "market"                 # mean-adjusted, market-adjusted, market, ff3, carhart
    estimation = [-250, -11]
    window = [-1, 1]                 # or several: [[-1, 1], [0, 5]]
    min_obs = 120                    # default: half the estimation window
    exclude_events = ["earnings"]    # drop estimation days around other events of these kinds
    exclude_within = 1               # ... within this many sessions of their day 0

    [ingest]                         # `tracker ingest` and the scheduler
    tickers = ["^GSPC", "SOXX"]      # fetched besides study.watchlist and study.market
    history_start = "2019-01-01"     # first date fetched for a ticker with no data yet
    lag = 5                          # sessions re-read before each cursor, to catch revisions
    news = true                      # also fetch Yahoo news and the [feeds]
    news_count = 20                  # Yahoo news items asked per ticker
    retries = 3                      # retries of a transient error (rate limit, timeout, network)
    backoff = 2.0                    # seconds before the first retry; doubles, with jitter
    backoff_max = 60.0               # longest single wait
    timeout = 20.0                   # seconds per request
    pause = 0.5                      # seconds between tickers, to be gentle with Yahoo

    [schedule]                       # `tracker schedule`
    days = "mon-fri"                 # weekday names (crontab numbers are refused: 0 means Monday here)
    time = "18:30"
    timezone = "America/New_York"
    misfire_grace = 21600            # seconds a late run may still start (6 h)

    [feeds]
    urls = ["https://hnrss.org/frontpage"]
    timeout = 20.0

    [tagger]
    batch_size = 500                 # news facts tagged per transaction (each moves the checkpoint)
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tracker.errors import ConfigError

CONFIG_FILE_NAME = "tracker.toml"

#: The sample's tickers, minus the market: what `tracker study` covers when nothing is configured.
DEFAULT_WATCHLIST = (
    "NVDA", "AVGO", "AAPL", "MSFT", "TSM", "AMD", "GOOGL", "META", "AMZN",
    "MU", "ASML", "ORCL", "CEG", "VST", "SMH", "QQQ",
)


@dataclass(frozen=True)
class StudySettings:
    watchlist: tuple[str, ...] = DEFAULT_WATCHLIST
    market: str = "SPY"
    model: str = "market"
    estimation: tuple[int, int] = (-250, -11)
    window: tuple[int, int] | tuple[tuple[int, int], ...] = (-1, 1)
    min_obs: int | None = None  # None: half the estimation window, rounded up
    exclude_events: tuple[str, ...] = ()
    exclude_within: int = 1


@dataclass(frozen=True)
class IngestSettings:
    tickers: tuple[str, ...] = ()
    history_start: dt.date = dt.date(2019, 1, 1)
    lag: int = 5
    news: bool = True
    news_count: int = 20
    retries: int = 3
    backoff: float = 2.0
    backoff_max: float = 60.0
    timeout: float = 20.0
    pause: float = 0.5


@dataclass(frozen=True)
class ScheduleSettings:
    days: str = "mon-fri"
    time: tuple[int, int] = (18, 30)
    timezone: str = "America/New_York"
    misfire_grace: int = 6 * 3600


@dataclass(frozen=True)
class FeedSettings:
    urls: tuple[str, ...] = ()
    timeout: float = 20.0


@dataclass(frozen=True)
class TaggerSettings:
    batch_size: int = 500


@dataclass(frozen=True)
class Settings:
    db: Path
    lock_timeout: float = 30.0
    study: StudySettings = field(default_factory=StudySettings)
    config_file: Path | None = None
    ingest: IngestSettings = field(default_factory=IngestSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    feeds: FeedSettings = field(default_factory=FeedSettings)
    tagger: TaggerSettings = field(default_factory=TaggerSettings)


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tracker"


def default_db_path() -> Path:
    return default_data_dir() / "tracker.duckdb"


def find_config_file(explicit: Path | None) -> Path | None:
    if explicit is not None:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ConfigError(f"config file {path} does not exist", hint="fix --config / TRACKER_CONFIG or create the file")
        return path
    local = Path.cwd() / CONFIG_FILE_NAME
    if local.is_file():
        return local
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    user = Path(base) / "tracker" / CONFIG_FILE_NAME
    return user if user.is_file() else None


# -- validation of single values ---------------------------------------------------------------

def _ticker(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{key} must be a ticker string like \"SPY\" (got {value!r})")
    return value.strip().upper()


def _tickers(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{key} must be a non-empty list of tickers like [\"NVDA\", \"AAPL\"] (got {value!r})")
    return tuple(_ticker(v, key) for v in value)


def _window(value: Any, key: str) -> tuple[int, int]:
    if (
        not isinstance(value, list) or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        or value[0] > value[1]
    ):
        raise ConfigError(f"{key} must be two integers [start, end] with start <= end, like [-1, 1] (got {value!r})")
    return (value[0], value[1])


def _windows(value: Any, key: str) -> tuple[int, int] | tuple[tuple[int, int], ...]:
    if isinstance(value, list) and value and all(isinstance(v, list) for v in value):
        return tuple(_window(v, key) for v in value)
    return _window(value, key)


def _strings(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{key} must be a list of strings like [\"earnings\", \"policy\"] (got {value!r})")
    return tuple(v.strip() for v in value)


def _non_negative_int(value: Any, key: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ConfigError(f"{key} must be an integer >= 0 (got {value!r})")
    return value


def _positive_int(value: Any, key: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"{key} must be a positive integer (got {value!r})")
    return value


def _positive_number(value: Any, key: str) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
        raise ConfigError(f"{key} must be a positive number of seconds (got {value!r})")
    return float(value)


def _string(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{key} must be a non-empty string (got {value!r})")
    return value


def _model(value: Any, key: str) -> str:
    from tracker.analysis.models import MODELS  # only when the file sets a model: numpy is not free

    if value not in MODELS:
        raise ConfigError(f"{key} must be one of {', '.join(MODELS)} (got {value!r})")
    return value


def _event_kinds(value: Any, key: str) -> tuple[str, ...]:
    from events.kinds import EVENT_KINDS

    kinds = _strings(value, key)
    unknown = [k for k in kinds if k not in EVENT_KINDS]
    if unknown:
        raise ConfigError(f"{key}: unknown event kind {unknown[0]!r} (known: {', '.join(EVENT_KINDS)})")
    return kinds


def _non_negative_number(value: Any, key: str) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
        raise ConfigError(f"{key} must be a number of seconds >= 0 (got {value!r})")
    return float(value)


def _boolean(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{key} must be true or false (got {value!r})")
    return value


def _date(value: Any, key: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value  # TOML's own date type: history_start = 2019-01-01
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ConfigError(f"{key} must be a date like \"2019-01-01\" (got {value!r})")


_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_ITEM = rf"(?:{'|'.join(_DAY_NAMES)})(?:-(?:{'|'.join(_DAY_NAMES)}))?"


def _weekdays(value: Any, key: str) -> str:
    text = value.strip().lower() if isinstance(value, str) else None
    if not text or not re.fullmatch(rf"{_DAY_ITEM}(?:,{_DAY_ITEM})*", text):
        raise ConfigError(
            f"{key} must be weekday names like \"mon-fri\" or \"mon,wed,fri\" (got {value!r}); "
            "numbers are refused because APScheduler counts 0 = Monday, unlike crontab"
        )
    return text


def _clock_time(value: Any, key: str) -> tuple[int, int]:
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip()) if isinstance(value, str) else None
    if not match:
        raise ConfigError(f"{key} must be a time like \"18:30\" (got {value!r})")
    return int(match.group(1)), int(match.group(2))


def _timezone(value: Any, key: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ConfigError(f"{key} must be an IANA time zone like \"America/New_York\" (got {value!r})") from None
    return value


def _urls(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and re.match(r"^https?://\S+$", v) for v in value):
        raise ConfigError(f"{key} must be a list of http(s) URLs like [\"https://hnrss.org/frontpage\"] (got {value!r})")
    return tuple(dict.fromkeys(value))


def _ticker_list(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, list) and not value:
        return ()
    return _tickers(value, key)


Validator = Callable[[Any, str], Any]

#: section -> key -> validator. Add a section here when a feature needs settings.
SCHEMA: dict[str, dict[str, Validator]] = {
    "warehouse": {"path": _string, "lock_timeout": _positive_number},
    "study": {
        "watchlist": _tickers,
        "market": _ticker,
        "model": _model,
        "estimation": _window,
        "window": _windows,
        "min_obs": _positive_int,
        "exclude_events": _event_kinds,
        "exclude_within": _non_negative_int,
    },
    "ingest": {
        "tickers": _ticker_list,
        "history_start": _date,
        "lag": _non_negative_int,
        "news": _boolean,
        "news_count": _positive_int,
        "retries": _non_negative_int,
        "backoff": _non_negative_number,
        "backoff_max": _non_negative_number,
        "timeout": _positive_number,
        "pause": _non_negative_number,
    },
    "schedule": {
        "days": _weekdays,
        "time": _clock_time,
        "timezone": _timezone,
        "misfire_grace": _positive_int,
    },
    "feeds": {"urls": _urls, "timeout": _positive_number},
    "tagger": {"batch_size": _positive_int},
}


def validate_document(document: Mapping[str, Any], source: str) -> dict[str, dict[str, Any]]:
    """Check every key of a parsed tracker.toml; return validated values by section."""
    result: dict[str, dict[str, Any]] = {}
    for section, values in document.items():
        if section not in SCHEMA:
            raise ConfigError(f"{source}: unknown section [{section}] (known: {', '.join(SCHEMA)})")
        if not isinstance(values, dict):
            raise ConfigError(f"{source}: {section} must be a table like [{section}]")
        result[section] = {}
        for key, value in values.items():
            if key not in SCHEMA[section]:
                raise ConfigError(f"{source}: unknown key {section}.{key} (known: {', '.join(SCHEMA[section])})")
            try:
                result[section][key] = SCHEMA[section][key](value, f"{section}.{key}")
            except ConfigError as exc:
                raise ConfigError(f"{source}: {exc.message}") from None
    return result


def load_settings(db: Path | None = None, config: Path | None = None) -> Settings:
    """Resolve settings. ``db`` comes from ``--db``/``TRACKER_DB`` (typer reads the variable)."""
    config_file = find_config_file(config)
    document: dict[str, dict[str, Any]] = {}
    if config_file is not None:
        try:
            raw = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{config_file}: not valid TOML ({exc})") from None
        document = validate_document(raw, str(config_file))

    warehouse = document.get("warehouse", {})
    if db is not None:
        db_path = Path(db).expanduser()
    elif "path" in warehouse:
        db_path = Path(warehouse["path"]).expanduser()
        if not db_path.is_absolute() and config_file is not None:
            db_path = config_file.parent / db_path
    else:
        db_path = default_db_path()

    lock_timeout = warehouse.get("lock_timeout", Settings.lock_timeout)
    env_timeout = os.environ.get("TRACKER_LOCK_TIMEOUT")
    if env_timeout:
        try:
            lock_timeout = _positive_number(float(env_timeout), "TRACKER_LOCK_TIMEOUT")
        except ValueError:
            raise ConfigError(f"TRACKER_LOCK_TIMEOUT must be a number of seconds (got {env_timeout!r})") from None

    study = replace(StudySettings(), **document.get("study", {}))
    return Settings(
        db=db_path, lock_timeout=lock_timeout, study=study, config_file=config_file,
        ingest=replace(IngestSettings(), **document.get("ingest", {})),
        schedule=replace(ScheduleSettings(), **document.get("schedule", {})),
        feeds=replace(FeedSettings(), **document.get("feeds", {})),
        tagger=replace(TaggerSettings(), **document.get("tagger", {})),
    )
