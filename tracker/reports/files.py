"""Writing report files whole or not at all: see :mod:`tracker.output_paths` (kept for its importers)."""

from tracker.output_paths import write_atomically

__all__ = ["write_atomically"]
