"""Reading and validating price files (CSV or Parquet) into one frame of bars.

Two shapes are accepted, by file:

* one ticker per file, named ``<TICKER>.csv``/``.parquet``, columns
  ``date,open,high,low,close,volume[,adj_close]``;
* long files with a ``ticker`` column (``symbol`` is accepted as its alias).

Only ``date`` and ``close`` (and ``ticker`` for long files) are required; the other known
columns are checked when present. Column names are matched case-insensitively, and
yfinance-style headers (``Adj Close``) are understood. Every row is checked: a parseable date
(``YYYY-MM-DD``; a timestamp is accepted only at midnight, so a UTC-shifted daily bar is
refused), numbers, prices > 0, ``low <= open, close <= high``, ``volume >= 0``, no NaN, and no
duplicate ticker and date within the file. A file with any bad row is rejected whole, with its
first bad lines; out-of-order rows are fine (bars are sorted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from tracker.errors import InputFileError

PRICE_SUFFIXES = (".csv", ".parquet")
KNOWN_COLUMNS = ("ticker", "date", "open", "high", "low", "close", "adj_close", "volume")
REQUIRED_COLUMNS = ("date", "close")
NUMERIC_COLUMNS = ("open", "high", "low", "close", "adj_close", "volume")
PRICE_COLUMNS = ("open", "high", "low", "close", "adj_close")
ALIASES = {"symbol": "ticker", "adjclose": "adj_close", "adj._close": "adj_close"}
TICKER_PATTERN = r"^[A-Z0-9^][A-Z0-9.\-^=_]{0,19}$"
_DATE_PATTERN = r"^(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
MAX_LINES_SHOWN = 10


@dataclass(frozen=True)
class RejectedFile:
    """A file that was not imported, with its problems as ``(line, message)`` (line 1 = header)."""

    path: Path
    problems: tuple[tuple[int, str], ...]
    total: int

    def describe(self) -> str:
        lines = [f"{self.path}: {self.total} problem{'s' if self.total != 1 else ''}"]
        lines += [f"  line {line}: {message}" if line else f"  {message}" for line, message in self.problems]
        if self.total > len(self.problems):
            lines.append(f"  … and {self.total - len(self.problems)} more")
        return "\n".join(lines)


@dataclass(frozen=True)
class PriceBatch:
    """Validated bars of every good file, plus the rejected files."""

    bars: pl.DataFrame  # ticker, date, open, high, low, close, adj_close, volume, source, batch_order
    files: tuple[Path, ...]
    rejected: tuple[RejectedFile, ...]

    @property
    def accepted(self) -> tuple[Path, ...]:
        bad = {r.path for r in self.rejected}
        return tuple(f for f in self.files if f not in bad)


def discover_price_files(paths: list[Path]) -> list[Path]:
    """Expand folders (recursively) into their CSV/Parquet files; refuse paths that do not exist."""
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise InputFileError(f"no such file or folder: {', '.join(missing)}")
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in PRICE_SUFFIXES)
            if not found:
                raise InputFileError(f"folder {path} has no .csv or .parquet files")
            files.extend(found)
        elif path.suffix.lower() not in PRICE_SUFFIXES:
            raise InputFileError(f"{path} is not a .csv or .parquet file")
        else:
            files.append(path)
    unique: dict[Path, None] = {}
    for f in files:
        unique.setdefault(f, None)
    return list(unique)


def normalise_column(name: str) -> str:
    key = name.strip().lower().replace(" ", "_")
    return ALIASES.get(key, key)


def read_price_files(files: list[Path]) -> PriceBatch:
    """Read and validate every file; never raises for a bad file, reports it in ``rejected``."""
    frames: list[pl.DataFrame] = []
    rejected: list[RejectedFile] = []
    for index, path in enumerate(files):
        frame_or_problem = _read_one(path, index)
        if isinstance(frame_or_problem, RejectedFile):
            rejected.append(frame_or_problem)
        else:
            frames.append(frame_or_problem)
    if not frames:
        return PriceBatch(_empty_bars(), tuple(files), tuple(rejected))

    raw = pl.concat(frames, how="diagonal_relaxed")
    for column in KNOWN_COLUMNS:
        if column not in raw.columns:
            raw = raw.with_columns(pl.lit(None, dtype=pl.String).alias(column))
    checked = _check_rows(raw)
    problems = checked.filter(pl.col("problem").is_not_null())
    bad_files = set(problems["file_index"].unique().to_list())
    for file_index in sorted(bad_files):
        rows = problems.filter(pl.col("file_index") == file_index).sort("line")
        shown = tuple(zip(rows["line"].head(MAX_LINES_SHOWN).to_list(), rows["problem"].head(MAX_LINES_SHOWN).to_list()))
        rejected.append(RejectedFile(files[file_index], shown, rows.height))
    bars = (
        checked.filter(~pl.col("file_index").is_in(list(bad_files)))
        .select(
            "ticker", "date", *NUMERIC_COLUMNS,
            pl.col("source"), pl.col("file_index").alias("batch_order"),
        )
        .sort("batch_order", "ticker", "date")
    )
    rejected.sort(key=lambda r: files.index(r.path))
    return PriceBatch(bars, tuple(files), tuple(rejected))


def _empty_bars() -> pl.DataFrame:
    schema = {"ticker": pl.String, "date": pl.Date, **{c: pl.Float64 for c in NUMERIC_COLUMNS},
              "source": pl.String, "batch_order": pl.Int64}
    return pl.DataFrame(schema=schema)


def _read_one(path: Path, index: int) -> pl.DataFrame | RejectedFile:
    """One file as string columns plus ``file_index``, ``line`` and ``source``; or why not."""
    try:
        if path.suffix.lower() == ".parquet":
            frame = pl.read_parquet(path)
            frame = frame.with_columns(_as_text(frame, c) for c in frame.columns)
        else:
            frame = pl.read_csv(path, infer_schema=False, truncate_ragged_lines=False)
    except Exception as exc:  # polars raises several types for unreadable files
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return RejectedFile(path, ((0, f"cannot read file: {first}"),), 1)

    renamed = {c: normalise_column(c) for c in frame.columns}
    names = list(renamed.values())
    duplicates = sorted({n for n in names if names.count(n) > 1})
    unknown = [c for c, n in renamed.items() if n not in KNOWN_COLUMNS]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    long_format = "ticker" in names
    problems = []
    if duplicates:
        problems.append(f"duplicate column(s): {', '.join(duplicates)}")
    if unknown:
        problems.append(f"unknown column(s): {', '.join(unknown)} (known: {', '.join(KNOWN_COLUMNS)})")
    if missing:
        problems.append(f"missing column(s): {', '.join(missing)}")
    ticker = None
    if not long_format:
        ticker = path.name.split(".")[0].strip().upper()
        if not re.match(TICKER_PATTERN, ticker):
            problems.append(
                f"cannot tell the ticker: name the file <TICKER>{path.suffix} or add a ticker column"
            )
    if problems:
        return RejectedFile(path, ((1, "; ".join(problems)),), len(problems))
    if frame.height == 0:
        return RejectedFile(path, ((0, "no bars in file"),), 1)

    frame = frame.rename(renamed)
    if ticker is not None:
        frame = frame.with_columns(pl.lit(ticker).alias("ticker"))
    return frame.with_columns(
        pl.lit(index, dtype=pl.Int64).alias("file_index"),
        (pl.int_range(pl.len(), dtype=pl.Int64) + 2).alias("line"),
        pl.lit(str(path)).alias("source"),
    )


def check_bars(frame: pl.DataFrame) -> list[tuple[int, str]]:
    """Check bars already in memory (e.g. fetched from a source) with the same rules as files.

    ``frame`` has ``ticker``, ``date`` and any of the numeric columns, of any type (nulls are
    "not given"). Returns ``(row, problem)`` for each bad row (row 1 = first row), in order.
    """
    text = frame.with_columns(_as_text(frame, c) for c in frame.columns)
    for column in KNOWN_COLUMNS:
        if column not in text.columns:
            text = text.with_columns(pl.lit(None, dtype=pl.String).alias(column))
    text = text.with_columns(
        pl.lit(0, dtype=pl.Int64).alias("file_index"),
        (pl.int_range(pl.len(), dtype=pl.Int64) + 1).alias("line"),
    )
    problems = _check_rows(text).filter(pl.col("problem").is_not_null()).sort("line")
    return list(zip(problems["line"].to_list(), problems["problem"].to_list()))


def _as_text(frame: pl.DataFrame, column: str) -> pl.Expr:
    dtype = frame.schema[column]
    if dtype == pl.Date:
        return pl.col(column).dt.strftime("%Y-%m-%d").alias(column)
    if isinstance(dtype, pl.Datetime):
        # tz-aware timestamps keep their exchange-local date; naive ones are taken as they are
        return pl.col(column).dt.strftime("%Y-%m-%d %H:%M:%S").alias(column)
    return pl.col(column).cast(pl.String).alias(column)


def _check_rows(raw: pl.DataFrame) -> pl.DataFrame:
    """Typed columns plus ``problem``: the first thing wrong with each row, or null."""
    text = {c: pl.col(c).str.strip_chars() for c in (*NUMERIC_COLUMNS, "ticker", "date")}
    typed = raw.with_columns(
        text["ticker"].str.to_uppercase().alias("ticker"),
        text["date"].str.extract(_DATE_PATTERN, 1).str.to_date("%Y-%m-%d", strict=False).alias("date"),
        pl.col("date").alias("date_text"),
        *[text[c].cast(pl.Float64, strict=False).alias(c) for c in NUMERIC_COLUMNS],
        *[pl.col(c).alias(f"{c}_text") for c in NUMERIC_COLUMNS],
    )

    def given(c: str) -> pl.Expr:
        return pl.col(f"{c}_text").is_not_null() & (pl.col(f"{c}_text").str.strip_chars() != "")

    checks: list[tuple[pl.Expr, pl.Expr]] = [
        (pl.col("ticker").is_null() | (pl.col("ticker") == ""), pl.lit("ticker is empty")),
        (~pl.col("ticker").str.contains(TICKER_PATTERN), pl.format("ticker '{}' is not a valid symbol", pl.col("ticker"))),
        (pl.col("date_text").is_null() | (pl.col("date_text").str.strip_chars() == ""), pl.lit("date is empty")),
        (pl.col("date").is_null(), pl.format("date '{}' is not a trading date like 2025-01-27 (a timestamp must be at midnight, exchange-local)", pl.col("date_text"))),
        (~given("close"), pl.lit("close is empty")),
    ]
    for c in NUMERIC_COLUMNS:
        checks.append((given(c) & pl.col(c).is_null(), pl.format(f"{c} '{{}}' is not a number", pl.col(f"{c}_text"))))
        checks.append((pl.col(c).is_nan() | pl.col(c).is_infinite(), pl.format(f"{c} is {{}}", pl.col(f"{c}_text"))))
    for c in PRICE_COLUMNS:
        checks.append((pl.col(c) <= 0, pl.format(f"{c} {{}} is not a positive price", pl.col(f"{c}_text"))))
    checks += [
        (pl.col("volume") < 0, pl.format("volume {} is negative", pl.col("volume_text"))),
        (pl.col("low") > pl.col("high"), pl.format("low {} is above high {}", pl.col("low_text"), pl.col("high_text"))),
    ]
    for c in ("open", "close"):
        checks.append((pl.col(c) < pl.col("low"), pl.format(f"{c} {{}} is below low {{}}", pl.col(f"{c}_text"), pl.col("low_text"))))
        checks.append((pl.col(c) > pl.col("high"), pl.format(f"{c} {{}} is above high {{}}", pl.col(f"{c}_text"), pl.col("high_text"))))
    duplicate = pl.struct("ticker", "date").is_duplicated().over("file_index") & pl.col("date").is_not_null()
    checks.append((duplicate, pl.format("duplicate bar for {} on {}", pl.col("ticker"), pl.col("date"))))

    problem = pl.coalesce([pl.when(condition.fill_null(False)).then(message) for condition, message in checks])
    return typed.with_columns(problem.alias("problem"))
