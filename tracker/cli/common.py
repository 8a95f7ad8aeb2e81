"""What every command shares: option types, parsing helpers and the single error boundary.

Only the standard library and typer are imported here, so ``tracker --help`` stays fast;
commands import the library inside their bodies.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

DbOption = Annotated[
    Optional[Path],
    typer.Option(
        "--db",
        envvar="TRACKER_DB",
        metavar="PATH",
        help="Warehouse file [default: warehouse.path in tracker.toml, else ~/.local/share/tracker/tracker.duckdb].",
        show_default=False,
    ),
]
ConfigOption = Annotated[
    Optional[Path],
    typer.Option(
        "--config",
        envvar="TRACKER_CONFIG",
        metavar="PATH",
        help="tracker.toml to use [default: ./tracker.toml, else ~/.config/tracker/tracker.toml].",
        show_default=False,
    ),
]

EXIT_ERROR = 1
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130
MAX_ERROR_LINE = 1000


class TrackerGroup(TyperGroup):
    """The CLI edge: a :class:`TrackerError` becomes one line on stderr and exit code 1.

    Anything else is an internal error (exit 70) with a pointer to ``--debug``, which shows
    the traceback instead.
    """

    def invoke(self, ctx: typer.Context):
        from events.errors import TrackerError

        try:
            return super().invoke(ctx)
        except TrackerError as exc:
            if debug_enabled(ctx):
                raise
            error_line(exc.for_command_line())
            raise typer.Exit(EXIT_ERROR) from None
        except KeyboardInterrupt:
            error_line("interrupted; anything not committed was discarded")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as exc:
            if _is_interrupt(exc) and not debug_enabled(ctx):  # DuckDB saw the Ctrl-C before Python did
                error_line("interrupted; anything not committed was discarded")
                raise typer.Exit(EXIT_INTERRUPTED) from None
            if debug_enabled(ctx) or _is_usage_error(exc):
                raise
            error_line(f"internal error: {type(exc).__name__}: {exc} (rerun as `tracker --debug …` for the traceback, and please report it)")
            raise typer.Exit(EXIT_INTERNAL) from None


def _is_interrupt(exc: Exception) -> bool:
    """DuckDB's own report of an interrupted query (``InterruptException``, or "Query interrupted")."""
    return type(exc).__name__ == "InterruptException" or (
        isinstance(exc, RuntimeError) and "query interrupted" in str(exc).lower()
    )


def _is_usage_error(exc: Exception) -> bool:
    return type(exc).__name__ in {"UsageError", "BadParameter", "NoSuchOption", "MissingParameter", "BadOptionUsage", "BadArgumentUsage"}


def debug_enabled(ctx: typer.Context | None = None) -> bool:
    if os.environ.get("TRACKER_DEBUG", "").strip() not in ("", "0", "false"):
        return True
    root = ctx.find_root() if ctx is not None else None
    return bool(root is not None and isinstance(root.obj, dict) and root.obj.get("debug"))


def error_line(message: str) -> None:
    """``error: message`` on stderr: control characters from outside made visible, each line cut
    at :data:`MAX_ERROR_LINE` characters (a value quoted from a huge input is not echoed whole)."""
    from events.errors import clip
    from tracker.cli.safety import terminal_safe

    prefix = typer.style("error:", fg="red", bold=True) if sys.stderr.isatty() else "error:"
    message = "\n".join(clip(line, MAX_ERROR_LINE) for line in message.splitlines())
    typer.echo(f"{prefix} {terminal_safe(message)}", err=True)


def parse_pair(text: str, option: str) -> tuple[int, int]:
    """Parse ``"-250,-11"`` into ``(-250, -11)``; a bad value names the option."""
    from tracker.errors import ConfigError

    parts = [p.strip() for p in text.replace(":", ",").split(",")]
    try:
        start, end = (int(p) for p in parts)
    except ValueError:
        raise ConfigError(f"{option} {text!r} must be two integers START,END like -1,1") from None
    if start > end:
        raise ConfigError(f"{option} {text!r}: start is after end (write it as {end},{start})")
    return start, end


def _symbols(text: str) -> tuple[str, ...]:
    """``"nvda, avgo;aapl"`` -> ``("NVDA", "AVGO", "AAPL")``: separated by commas, semicolons or spaces."""
    return tuple(t.strip().upper() for t in text.replace(";", ",").replace(" ", ",").split(",") if t.strip())


def parse_tickers(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    tickers = _symbols(text)
    if not tickers:
        from tracker.errors import ConfigError

        raise ConfigError("--tickers is empty; give symbols like NVDA,AAPL")
    return tickers


def parse_groups(texts: list[str] | None) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    """``["chips=NVDA,AVGO", "apple=AAPL"]`` -> ``(("chips", ("NVDA", "AVGO")), ("apple", ("AAPL",)))``."""
    if not texts:
        return None
    from tracker.errors import ConfigError

    groups = []
    for text in texts:
        name, sep, tickers = text.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ConfigError(f"--group {text!r} must be NAME=TICKER[,TICKER…] like chips=NVDA,AVGO")
        members = tuple(dict.fromkeys(_symbols(tickers)))
        if not members:
            raise ConfigError(f"--group {text!r} names no ticker; write it like {name}=NVDA,AVGO")
        groups.append((name, members))
    return tuple(groups)


def parse_benchmarks(values: list[str] | None) -> tuple[tuple[str, str], ...] | None:
    """``["NVDA=SMH", "AVGO=SMH"]`` -> ``(("NVDA", "SMH"), ("AVGO", "SMH"))``; a bad value names ``--benchmark``."""
    if not values:
        return None
    from events.tickers import TICKER_PATTERN
    import re

    from tracker.errors import StudyOptionError

    pairs = []
    for text in values:
        ticker, equals, benchmark = text.partition("=")
        ticker, benchmark = ticker.strip().upper(), benchmark.strip().upper()
        if not equals or not ticker or not benchmark:
            raise StudyOptionError("benchmark", text, "must be TICKER=BENCHMARK", example="NVDA=SMH")
        bad = [t for t in (ticker, benchmark) if not re.fullmatch(TICKER_PATTERN, t)]
        if bad:
            raise StudyOptionError("benchmark", text, f"{bad[0]!r} is not a valid symbol", example="NVDA=SMH")
        pairs.append((ticker, benchmark))
    return tuple(pairs)


def parse_date(text: str | None, option: str):
    """``"2025-01-27"`` -> a date; a bad value names the option."""
    import datetime as dt

    from tracker.errors import ConfigError

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(f"{option} {text!r} is not a date like 2025-01-27") from None


def parse_kinds(text: str | None) -> tuple[str, ...] | None:
    """``"earnings,policy"`` -> ``("earnings", "policy")``; the study checks them against the known kinds."""
    if text is None:
        return None
    kinds = tuple(k.strip() for k in text.split(",") if k.strip())
    if not kinds:
        from tracker.errors import ConfigError

        raise ConfigError("--exclude-events is empty; give kinds like earnings,policy")
    return kinds


def settings(db: Path | None, config: Path | None):
    from tracker.config import load_settings

    return load_settings(db=db, config=config)
