"""Text from outside on the terminal: control characters made visible, never obeyed.

Event names, notes, news titles, SQL results and values quoted in error messages can hold
anything: ESC and OSC sequences (colours, screen clearing, hyperlinks, window titles), BEL,
carriage returns that overwrite a line, C1 controls, bidirectional overrides. Before such text
is printed to a terminal, each of those characters is replaced by its visible escape (``\\x1b``,
``\\r``, ``\\u202e``); tabs and line breaks stay. Rich markup is switched off where the text is
printed (:func:`tracker.cli.console.make_console`). CSV and JSON outputs are data and keep the
text as it is.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional embeddings,
# overrides and isolates (U+202A-U+202E, U+2066-U+2069).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\r": "\\r", "\x0b": "\\v", "\x0c": "\\f"}


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def terminal_safe(text: str) -> str:
    """``text`` with every control character that a terminal would act on shown as its escape."""
    return _UNSAFE.sub(_visible, text) if _UNSAFE.search(text) else text


def echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """``typer.echo`` for a human-readable line that may hold text from outside (file names, event
    names, feed URLs, a source's error): made terminal-safe. Data outputs (CSV, JSON) use typer.echo."""
    import typer

    typer.echo(terminal_safe(message), err=err, nl=nl)
