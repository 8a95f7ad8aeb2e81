"""The vocabulary of event kinds: what sort of thing happened in the world."""

from __future__ import annotations

EVENT_KINDS: dict[str, str] = {
    "model_release": "a new AI model released or announced",
    "product_launch": "an AI product or service launched (an app, a tier, a feature)",
    "policy": "government action: export controls, tariffs, licences, rules",
    "earnings": "a company's periodic results",
    "funding_or_capex": "large funding rounds, investment or capital-expenditure plans",
    "market_shock": "a market-wide move treated as an event in itself",
    "other": "anything else worth studying",
}

DATE_PRECISIONS = ("day", "hour", "minute")


def check_kind(kind: str) -> str | None:
    """Return a problem description if ``kind`` is not a known kind, else None."""
    if kind in EVENT_KINDS:
        return None
    return f"unknown kind {kind!r} (known: {', '.join(EVENT_KINDS)})"

#: What an event of each kind concerns: ``firm`` kinds concern the firms they name (an earnings
#: release is about its own ticker), ``market`` kinds every firm (a model release, an export rule).
#: Exclusions and overlaps use it: a firm event leaves only its own tickers' estimation days out.
EVENT_SCOPES: dict[str, str] = {kind: ("firm" if kind == "earnings" else "market") for kind in EVENT_KINDS}


def concerns(kind: str, event_tickers: tuple[str, ...] | list[str], ticker: str) -> bool:
    """Whether an event of ``kind`` naming ``event_tickers`` concerns ``ticker``."""
    return EVENT_SCOPES.get(kind, "market") == "market" or ticker in event_tickers
