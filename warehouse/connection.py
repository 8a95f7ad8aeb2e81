"""Opening the DuckDB file under its one-writer rule, with bounded retries on the lock.

DuckDB lets one process open a file read-write *or* any number of processes open it
read-only, never both. A writer therefore holds the file only while it writes, readers open
it read-only, and every opener retries a conflicting lock with exponential backoff and jitter
for a bounded time before failing with :class:`WarehouseBusy`.
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

import duckdb

from warehouse.errors import WarehouseBusy, WarehouseError, WarehouseMissing

DEFAULT_LOCK_TIMEOUT = 30.0
_HOLDER = re.compile(r"Conflicting lock is held in (.+?) \(PID (\d+)\)")


def connect(path: Path, *, read_only: bool, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> duckdb.DuckDBPyConnection:
    """Open ``path``; wait for a conflicting lock up to ``lock_timeout`` seconds."""
    path = Path(path)
    if read_only and not path.exists():
        raise WarehouseMissing(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            message = str(exc)
            if "lock" not in message.lower():
                raise WarehouseError(
                    f"cannot open warehouse {path}: {message.splitlines()[0]}",
                    hint="check that the path is a DuckDB file written by the tracker",
                ) from None
            waited = time.monotonic() - started
            if waited + delay > lock_timeout:
                match = _HOLDER.search(message)
                holder = f"PID {match.group(2)}" if match else None
                raise WarehouseBusy(path, waited, holder) from None
            time.sleep(delay * random.uniform(0.5, 1.0))
            delay = min(delay * 2, 2.0)
        except duckdb.Error as exc:
            raise WarehouseError(f"cannot open warehouse {path}: {str(exc).splitlines()[0]}") from None
