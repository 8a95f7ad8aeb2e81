"""The root of the project's error tree.

Every error the tracker raises on purpose derives from :class:`TrackerError`, so the
CLI catches exactly one type at its edge. It lives here, in the lowest layer, because
``warehouse`` and ``tracker`` both build on ``events`` and must share one root.
"""

from __future__ import annotations


class TrackerError(Exception):
    """An error with a message for the user and, optionally, what to do next."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}; {self.hint}"

    def for_command_line(self) -> str:
        """The one line the CLI prints (library errors that name parameters name the flags there)."""
        return str(self)


#: How much of a value from outside an error message quotes (a 10 MB field is not echoed whole).
QUOTE_LIMIT = 200


def clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` cut to about ``limit`` characters: its start and end, saying how much was left out."""
    if len(text) <= limit:
        return text
    tail = limit // 5
    return f"{text[: limit - tail]}… ({len(text) - limit:,} more characters) …{text[-tail:]}"


class EventDefinitionError(TrackerError):
    """An event (catalogue row, manual event) is malformed or cannot be aligned."""
