"""Text normalisation shared by the rules and the grouping, and an index of patterns by the
characters they can begin with (for reading a headline fast)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence

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


_WORD_START = re.compile(r"(?<!\w)\w")
WORD_BEFORE, WORD_AFTER = r"(?<![\w])", r"(?![\w])"


def cased(pattern: str) -> str:
    """A short all-caps acronym matches case-sensitively (US, EU, BIS), anything else in any case."""
    plain = re.sub(r"\\.", "", pattern)
    return f"(?-i:{pattern})" if plain.isalpha() and plain.isupper() and len(plain) <= 4 else pattern


def alternation(patterns: Sequence[str]) -> str:
    """``(?:a|b|…)`` as whole words, longest first, acronyms case-sensitive."""
    return f"{WORD_BEFORE}(?:{'|'.join(cased(p) for p in sorted(patterns, key=len, reverse=True))}){WORD_AFTER}"


class FirstCharIndex:
    """Patterns indexed by the characters a match can begin with, to try only the few that can
    match where a word starts: one case-insensitive alternation of a hundred names, or a hundred
    searches, try every pattern at every character, which is most of the time of reading a headline."""

    def __init__(self, sources: Sequence[str], flags: int = re.IGNORECASE):
        by_char: dict[str, list[int]] = {}
        self._anywhere: list[int] = []
        for index, source in enumerate(sources):
            chars = first_chars(source)
            if chars is None:
                self._anywhere.append(index)
            for char in chars or ():
                by_char.setdefault(char, []).append(index)
        # per first character: the patterns that may begin with it, and one pattern of them all to
        # rule a word start out with a single match
        self._by_char = {
            char: (sorted(set(indices) | set(self._anywhere)), re.compile("|".join(f"(?:{sources[i]})" for i in indices), flags))
            for char, indices in by_char.items()
        }

    def at_word_starts(self, text: str) -> Iterator[tuple[int, list[int]]]:
        """``(position, indices of the patterns that may match there, in order)`` at each word start
        where one of them may match."""
        for match in _WORD_START.finditer(text):
            bucket = self._by_char.get(match.group(0).lower())
            if bucket is not None and bucket[1].match(text, match.start()):
                yield match.start(), bucket[0]
            elif self._anywhere:
                yield match.start(), self._anywhere


def first_chars(pattern: str) -> set[str] | None:
    """The lower-cased characters a match of ``pattern`` can begin with; ``None`` when it could be any
    (or the pattern could match the empty string)."""
    from re import _constants as c, _parser

    def of(items) -> set[str] | None:
        found: set[str] = set()
        for op, arg in items:
            if op in (c.AT, c.ASSERT_NOT) or (op is c.ASSERT and arg[0] < 0):
                continue  # lookbehinds and anchors consume nothing
            if op is c.LITERAL:
                return found | {chr(arg).lower()}
            if op is c.IN:
                chars = _set_chars(arg, c)
                return None if chars is None else found | chars
            if op is c.BRANCH:
                alternatives = [of(list(alternative)) for alternative in arg[1]]
                return None if any(a is None for a in alternatives) else found.union(*alternatives)
            if op in (c.SUBPATTERN, c.ASSERT):
                inner = of(list(arg[-1]))
                return None if inner is None else found | inner
            if op in (c.MAX_REPEAT, c.MIN_REPEAT):
                inner = of(list(arg[2]))
                if inner is None:
                    return None
                found |= inner
                if arg[0] == 0:
                    continue  # optional: what follows may begin the match too
                return found
            return None
        return None  # all optional: the match may be empty

    try:
        return of(list(_parser.parse(pattern)))
    except Exception:  # an unusual pattern is simply tried everywhere
        return None


def _set_chars(items, c) -> set[str] | None:
    chars: set[str] = set()
    for kind, value in items:
        if kind is c.LITERAL:
            chars.add(chr(value).lower())
        elif kind is c.RANGE:
            chars.update(chr(code).lower() for code in range(value[0], value[1] + 1))
        elif kind is c.CATEGORY and value is c.CATEGORY_DIGIT:
            chars.update("0123456789")
        else:
            return None
    return chars
