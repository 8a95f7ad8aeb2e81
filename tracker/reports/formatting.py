"""Number formats for documents (HTML, Markdown, charts): typographic minus, fixed decimals.

The terminal keeps ASCII signs (:mod:`tracker.reports.study`); documents use U+2212 so
columns of signed numbers line up and read well in print.
"""

from __future__ import annotations

import math

MINUS = "\u2212"
DASH = "\u2014"  # shown for an undefined value


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _signed(text: str) -> str:
    return text.replace("-", MINUS)


def pct(value: float | None, digits: int = 2, *, signed: bool = True) -> str:
    """``-0.1333`` -> ``−13.33%`` (``+`` shown for positive values when ``signed``)."""
    if not _finite(value):
        return DASH
    text = f"{value * 100:+.{digits}f}%" if signed else f"{value * 100:.{digits}f}%"
    return _signed(text)


def num(value: float | None, digits: int = 2) -> str:
    if not _finite(value):
        return DASH
    return _signed(f"{value:.{digits}f}")


def pval(value: float | None) -> str:
    if not _finite(value):
        return DASH
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def offset(value: int) -> str:
    """Event day label: ``0``, ``+1``, ``−3``."""
    return _signed(f"{value:+d}") if value else "0"


def day_range(start: int, end: int) -> str:
    return offset(start) if start == end else f"{offset(start)} to {offset(end)}"


def stars(p: float | None) -> str:
    """Significance marks: * p < 0.10, ** p < 0.05, *** p < 0.01."""
    if not _finite(p):
        return ""
    return "***" if p < 0.01 else "**" if p < 0.05 else "*" if p < 0.10 else ""


STARS_KEY = "* p < 0.10, ** p < 0.05, *** p < 0.01"
