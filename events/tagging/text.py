"""Text normalisation shared by the rules and the grouping."""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
                         "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
                         "\u2212": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " "})
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFKC, straight quotes, ``-`` for every dash, single spaces."""
    value = unicodedata.normalize("NFKC", text or "").translate(_QUOTES)
    return _SPACES.sub(" ", value).strip()


def model_key(name: str | None) -> str | None:
    """A model name reduced for comparison: ``"Claude 3.5 Sonnet"`` -> ``"claude35sonnet"``."""
    if not name:
        return None
    return re.sub(r"[^a-z0-9]", "", normalise(name).lower()) or None


def slug(text: str, limit: int = 60) -> str:
    """A lower-case id fragment: ``"Mistral AI"`` -> ``"mistral-ai"``."""
    value = re.sub(r"[^a-z0-9]+", "-", normalise(text).lower()).strip("-")
    return value[:limit].rstrip("-")
