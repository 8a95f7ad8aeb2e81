"""The application's errors. All derive from :class:`TrackerError` (defined in ``events``),
which the CLI catches at its edge and prints as one line with what to do next."""

from __future__ import annotations

from events.errors import EventDefinitionError, TrackerError
from warehouse.errors import WarehouseBusy, WarehouseError, WarehouseMissing


class ConfigError(TrackerError):
    """tracker.toml, an environment variable or a command-line setting is invalid."""


class InputFileError(TrackerError):
    """A file given to an import cannot be used; the message names the file and its bad lines."""


class StudyError(TrackerError):
    """An event study cannot be set up (unknown event, unknown ticker, bad window…)."""


class ReportError(TrackerError):
    """A report cannot be made or written (bad output path, a lead ticker that was not studied…)."""


class OutputPathError(ReportError):
    """A file cannot be written where asked: the warehouse, a device, a folder, a wrong suffix…"""


__all__ = [
    "ConfigError",
    "EventDefinitionError",
    "InputFileError",
    "OutputPathError",
    "ReportError",
    "StudyError",
    "TrackerError",
    "WarehouseBusy",
    "WarehouseError",
    "WarehouseMissing",
]
