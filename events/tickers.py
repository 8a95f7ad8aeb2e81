"""Ticker symbols: what a valid symbol looks like (upper case, as exchanges and Yahoo write them)."""

from __future__ import annotations

import re

#: A symbol: letters, digits and ``. - ^ = _`` (``BRK-B``, ``^GSPC``, ``EURUSD=X``), at most 20 characters.
TICKER_PATTERN = r"^[A-Z0-9^][A-Z0-9.\-^=_]{0,19}$"
_TICKER = re.compile(TICKER_PATTERN)


def is_ticker(text: str) -> bool:
    """Whether ``text`` is a valid symbol as written (no stripping or upper-casing)."""
    return _TICKER.match(text) is not None
