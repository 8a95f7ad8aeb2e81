"""The application's errors. All derive from :class:`TrackerError` (defined in ``events``),
which the CLI catches at its edge and prints as one line with what to do next."""

from __future__ import annotations

from typing import Any

from events.errors import EventDefinitionError, TrackerError
from warehouse.errors import WarehouseBusy, WarehouseError, WarehouseMissing


class ConfigError(TrackerError):
    """tracker.toml, an environment variable or a command-line setting is invalid."""


class InputFileError(TrackerError):
    """A file given to an import cannot be used; the message names the file and its bad lines."""


class StudyError(TrackerError):
    """An event study cannot be set up (unknown event, unknown ticker, bad window…)."""


class StudyOptionError(StudyError):
    """A study parameter has a bad value. The library names the parameter (``min_obs=300``);
    the CLI names its flag (``--min-obs 300``), which is the parameter's name with dashes."""

    def __init__(self, parameter: str, value: Any, problem: str, *, hint: str | None = None, example: Any = None):
        self.parameter, self.value, self.problem, self.example = parameter, value, problem, example
        super().__init__(self._line(f"{parameter}={value!r}", f"{parameter}={example!r}"), hint=hint)

    def for_command_line(self) -> str:
        flag = "--" + self.parameter.replace("_", "-")
        line = self._line(f"{flag} {_cli_text(self.value)}".rstrip(), f"{flag} {_cli_text(self.example)}")
        return line if not self.hint else f"{line}; {self.hint}"

    def _line(self, given: str, example: str) -> str:
        return f"{given}: {self.problem}" + (f" (e.g. {example})" if self.example is not None else "")


def _cli_text(value: Any) -> str:
    """A parameter value as typed on the command line: ``-1,1`` for a window, ``a,b`` for kinds."""
    if value is None:
        return ""
    if isinstance(value, (tuple, list)):
        return ",".join(str(v) for v in value)
    return str(value)


class MissingSeries(StudyError):
    """A series the model needs (``series``: the ``market`` benchmark, or ``factors``) is missing
    from the data altogether; ``detail`` says which model needs it."""

    def __init__(self, series: str, names: tuple[str, ...], detail: str = ""):
        self.series, self.names, self.detail = series, names, detail
        super().__init__(self.describe("the data"))

    def describe(self, source: str) -> str:
        """The message, naming where the data came from (``the data``, ``the warehouse``)."""
        if self.series == "market":
            return f"no prices for the market benchmark {self.names[0]}"
        return f"no {', '.join(self.names)} factor returns in {source}{self.detail}"


class ReportError(TrackerError):
    """A report cannot be made or written (bad output path, a lead ticker that was not studied…)."""


class OutputPathError(ReportError):
    """A file cannot be written where asked: the warehouse, a device, a folder, a wrong suffix…"""


__all__ = [
    "ConfigError",
    "MissingSeries",
    "EventDefinitionError",
    "InputFileError",
    "OutputPathError",
    "ReportError",
    "StudyError",
    "StudyOptionError",
    "TrackerError",
    "WarehouseBusy",
    "WarehouseError",
    "WarehouseMissing",
]
