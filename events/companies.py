"""Which tickers an organisation trades under: how an event naming "NVIDIA" concerns NVDA.

A catalogue row or a tagged event names organisations (``org``, several separated by ``;``); an
event may also list its tickers itself (the catalogue's optional ``tickers`` column,
``tracker events add --tickers``), which then win. Names are matched case-insensitively; an
organisation not listed here (a government, a private lab) has no ticker.
"""

from __future__ import annotations

import re

#: Organisation (as catalogues and the tagger write it) -> listed ticker(s).
ORG_TICKERS: dict[str, tuple[str, ...]] = {
    "nvidia": ("NVDA",), "broadcom": ("AVGO",), "apple": ("AAPL",), "microsoft": ("MSFT",),
    "google": ("GOOGL",), "alphabet": ("GOOGL",), "google deepmind": ("GOOGL",), "meta": ("META",),
    "meta platforms": ("META",), "amazon": ("AMZN",), "aws": ("AMZN",), "amd": ("AMD",),
    "advanced micro devices": ("AMD",), "tsmc": ("TSM",), "taiwan semiconductor": ("TSM",), "oracle": ("ORCL",),
    "micron": ("MU",), "marvell": ("MRVL",), "asml": ("ASML",), "intel": ("INTC",), "qualcomm": ("QCOM",),
    "arm": ("ARM",), "arm holdings": ("ARM",), "super micro": ("SMCI",), "supermicro": ("SMCI",),
    "constellation energy": ("CEG",), "vistra": ("VST",), "alibaba": ("BABA",), "baidu": ("BIDU",),
    "softbank": ("SFTBY",), "tesla": ("TSLA",), "ibm": ("IBM",), "salesforce": ("CRM",),
}
_SEPARATORS = re.compile(r"\s*[;,/]\s*|\s+and\s+")


def tickers_of(org: str | None) -> tuple[str, ...]:
    """The tickers of the organisations ``org`` names (``"US Government; NVIDIA"`` -> ``("NVDA",)``)."""
    found: list[str] = []
    for name in _SEPARATORS.split(org or ""):
        found += ORG_TICKERS.get(name.strip().lower(), ())
    return tuple(dict.fromkeys(found))


def parse_tickers(text: str | None) -> tuple[str, ...]:
    """An event's own ``tickers`` field: symbols separated by spaces, commas or ``;``, upper-cased."""
    return tuple(dict.fromkeys(t.upper() for t in re.split(r"[\s,;]+", text or "") if t))
