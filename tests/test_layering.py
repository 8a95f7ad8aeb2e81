"""The dependency direction of the three packages (events <- warehouse <- tracker), and the pure
analysis core inside tracker: it reads its data through a protocol, never through DuckDB."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def imported_modules(package: str, *, depth: int = 1) -> dict[str, set[str]]:
    """``file -> names it imports`` (anywhere in the file, function bodies too), cut to ``depth`` parts."""
    found: dict[str, set[str]] = {}
    for path in sorted((REPO / package).rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(".".join(alias.name.split(".")[:depth]) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(".".join(node.module.split(".")[:depth]))
        found[str(path.relative_to(REPO))] = names
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("events", {"tracker", "warehouse", "duckdb", "polars", "yfinance", "requests", "urllib"}),
        ("warehouse", {"tracker", "yfinance"}),
    ],
)
def test_lower_layers_never_import_upper_ones(package, forbidden):
    offenders = {
        module: sorted(names & forbidden)
        for module, names in imported_modules(package).items()
        if names & forbidden
    }
    assert offenders == {}, f"{package} must not import {sorted(forbidden)}: {offenders}"


def test_the_analysis_core_reads_no_database_and_no_application_layer():
    """``tracker.analysis`` imports numpy/polars/scipy and ``tracker.errors`` only: no DuckDB, no
    warehouse, no storage, study, ingestion or report code (those adapt to it, not it to them)."""
    allowed_tracker = {"tracker.analysis", "tracker.errors"}
    # The result prints itself (``print(result)``, a notebook's ``_repr_html_``) through the one
    # view and its renderers, imported inside those two methods only; they do no I/O either.
    display = {"tracker/analysis/results.py": {"tracker.reports"}}
    offenders = {}
    for module, names in imported_modules("tracker/analysis", depth=2).items():
        bad = {n for n in names if n.split(".")[0] in {"duckdb", "warehouse", "pyarrow", "yfinance"}}
        bad |= {n for n in names if n.startswith("tracker") and n not in allowed_tracker | display.get(module, set())}
        if bad:
            offenders[module] = sorted(bad)
    assert offenders == {}


def test_the_scan_sees_imports():
    # guard against a scan that finds nothing and so can never fail
    assert "warehouse" in imported_modules("tracker")["tracker/storage.py"]
    assert "events" in imported_modules("warehouse")["warehouse/migrations.py"]
    assert "tracker.study" in imported_modules("tracker", depth=2)["tracker/cli/study_options.py"]  # a function-body import
    assert "numpy" in imported_modules("tracker/analysis")["tracker/analysis/panel.py"]
