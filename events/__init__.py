"""Pure domain of the tracker: event kinds, the curated catalogue, and session alignment.

No I/O here: no files, no DuckDB, no network. ``warehouse`` and ``tracker`` build on it.
"""

from events.errors import EventDefinitionError, TrackerError

__all__ = ["EventDefinitionError", "TrackerError"]
