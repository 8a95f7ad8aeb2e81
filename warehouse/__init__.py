"""DuckDB storage of the tracker: the fact log, its projections, migrations, views and reads.

Knows nothing of ``tracker``; builds only on ``events``.
"""

from warehouse.errors import (
    LogPositionError,
    QueryError,
    ReadOnlyViolation,
    WarehouseBusy,
    WarehouseError,
    WarehouseMissing,
)
from warehouse.facts import AppendResult
from warehouse.runs import Run
from warehouse.warehouse import Warehouse

__all__ = [
    "AppendResult",
    "LogPositionError",
    "QueryError",
    "ReadOnlyViolation",
    "Run",
    "Warehouse",
    "WarehouseBusy",
    "WarehouseError",
    "WarehouseMissing",
]
