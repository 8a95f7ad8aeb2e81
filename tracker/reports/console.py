"""The terminal console: colours and the real width on a terminal, plain and wide when piped."""

from __future__ import annotations

import os


def make_console(stderr: bool = False):
    from rich.console import Console

    console = Console(highlight=False, stderr=stderr)
    if not console.is_terminal:
        width = int(os.environ.get("COLUMNS", "0") or 0) or 200
        console = Console(highlight=False, stderr=stderr, width=width, no_color=True)
    return console
