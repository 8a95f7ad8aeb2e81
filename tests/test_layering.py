"""The dependency direction of the three packages: events <- warehouse <- tracker."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def imported_modules(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted((REPO / package).rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
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


def test_the_scan_sees_imports():
    # guard against a scan that finds nothing and so can never fail
    assert "warehouse" in imported_modules("tracker")["tracker/storage.py"]
    assert "events" in imported_modules("warehouse")["warehouse/migrations.py"]
