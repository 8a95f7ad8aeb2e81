"""Number formats shared by the results (JSON, text summary) and the reports."""

from __future__ import annotations

import math


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


def json_number(value) -> float | None:
    """A JSON-safe float: NaN and infinities become ``None`` (null)."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None
