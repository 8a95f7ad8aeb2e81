"""Number formats shared by the results (JSON, text summary), the terminal and the reports.

The functions give ASCII text and an empty string for a missing value, as the terminal and CSV
want; documents (HTML, Markdown, charts) pass that text through :func:`typeset`, which uses the
typographic minus (U+2212, so signed columns line up in print) and an em dash for "undefined".
"""

from __future__ import annotations

import math

MINUS = "\u2212"
DASH = "\u2014"  # a document's cell for an undefined value
STARS_KEY = "* p < 0.10, ** p < 0.05, *** p < 0.01"


def pct(value: float | None, digits: int = 2, signed: bool = True) -> str:
    """``-0.1333`` -> ``-13.33%``; empty for a missing or non-finite value."""
    if value is None or not math.isfinite(value):
        return ""
    return f"{value * 100:+.{digits}f}%" if signed else f"{value * 100:.{digits}f}%"


def num(value: float | None, digits: int = 2) -> str:
    if value is None or not math.isfinite(value):
        return ""
    return f"{value:.{digits}f}"


def pval(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return ""
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def offset_label(offset: int) -> str:
    """Session offset as a label: ``-1``, ``0``, ``+1``."""
    return f"{offset:+d}" if offset else "0"


def window_label(window: tuple[int, int]) -> str:
    return f"[{window[0]},{window[1]}]"


def day_range(start: int, end: int) -> str:
    """Offsets in words: ``+4`` for one day, ``-1 to +1`` for several."""
    return offset_label(start) if start == end else f"{offset_label(start)} to {offset_label(end)}"


def stars(p: float | None) -> str:
    """Significance marks (see :data:`STARS_KEY`): * p < 0.10, ** p < 0.05, *** p < 0.01."""
    if p is None or not math.isfinite(p):
        return ""
    return "***" if p < 0.01 else "**" if p < 0.05 else "*" if p < 0.10 else ""


def typeset(text: str) -> str:
    """Formatted text for a document: U+2212 minus signs, and an em dash when it is empty."""
    return text.replace("-", MINUS) if text else DASH


def json_number(value) -> float | None:
    """A JSON-safe float: NaN and infinities become ``None`` (null)."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None
