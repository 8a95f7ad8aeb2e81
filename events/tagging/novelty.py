"""Novelty: has the news named this model before, and is a release of it already known?

The first appearance of a model version in the news is strong evidence of its release; a
mention of a model the news has named for weeks is not. :class:`ModelHistory` keeps, for each
model (its identity, its family-and-version line, and a bare family), the earliest day any
article named it, and the release events the log already knows (catalogue and manual ones).

It is deterministic in log order: an article is judged against the articles observed *before*
it (by the position of its first observation, the ``seq`` of its first ``NewsItemObserved``
fact), never against later ones, so tagging incrementally, batch by batch, in one run or many,
or replaying with ``--retag`` gives the same verdicts. An article read again (a revision) is
judged at its first position.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

from events.tagging.model_names import ModelName

#: A model first named at most this many days before an article is still news in it.
FRESH_DAYS = 1
#: Named more than this many days before, the model is old news (a release is this recent at most).
OLD_DAYS = 7
#: A known release event covers articles from this many days before it to :data:`OLD_DAYS` after.
LEAD_DAYS = 2


@dataclass(frozen=True)
class Novelty:
    """What the log says about one name when an article names it."""

    verdict: str  # first, new variant, recent, old, catalogued, catalogue old, unknown
    first_seen: dt.date | None = None  # the earliest earlier sighting of the name
    release: str | None = None  # the known release event it refers to


def sighting_keys(name: ModelName) -> tuple[str, ...]:
    """What an article naming ``name`` has named: the model in each size named (``gemma|2@2b``),
    the model (``gemma|2``), its line (``line:gemma|2``, named by any variant too) and its family
    (``gemma|``)."""
    keys = [f"{name.identity}@{size}" for size in name.sizes]
    if name.versioned:
        keys += [name.identity, f"line:{name.line}"]
    return tuple(dict.fromkeys(keys + [f"{name.family}|"]))


@dataclass
class _Sightings:
    positions: list[int] = field(default_factory=list)
    earliest: list[dt.date] = field(default_factory=list)  # running minimum of the days, by position


class ModelHistory:
    """First sightings of models in the news (by log position) and known release events."""

    def __init__(self, releases: Iterable[tuple[str, str, dt.date]] = ()):
        self._sightings: dict[str, _Sightings] = {}
        self._positions: dict[str, int] = {}  # news id -> position of its first reading
        self._releases: dict[str, list[tuple[dt.date, str, str]]] = {}
        for event_id, identity, day in releases:
            self._releases.setdefault(identity.split("|")[0], []).append((day, identity, event_id))

    def position_of(self, news_id: str, position: int) -> int:
        """Where ``news_id`` stands in the log: its first reading's position if it was read before."""
        return self._positions.get(news_id, position)

    def record(self, news_id: str, position: int, day: dt.date | None, keys: Iterable[str]) -> None:
        """Note that ``news_id`` (at ``position``, published on ``day``) named ``keys``.

        An article already recorded keeps its first record: it is judged, and judges others, at
        its first position. Positions must come in increasing order otherwise.
        """
        if news_id in self._positions or day is None:
            return
        self._positions[news_id] = position
        for key in dict.fromkeys(keys):
            seen = self._sightings.setdefault(key, _Sightings())
            earliest = min(day, seen.earliest[-1]) if seen.earliest else day
            if seen.positions and position <= seen.positions[-1]:
                raise ValueError(f"sightings must be recorded in log order ({position} after {seen.positions[-1]})")
            seen.positions.append(position)
            seen.earliest.append(earliest)

    def first_seen(self, key: str, position: int) -> dt.date | None:
        """The earliest day an article observed before ``position`` named ``key``."""
        seen = self._sightings.get(key)
        if seen is None:
            return None
        index = bisect_left(seen.positions, position)
        return seen.earliest[index - 1] if index else None

    def novelty(self, name: ModelName, day: dt.date, position: int) -> Novelty:
        """The verdict on ``name`` in an article published on ``day`` at log ``position``."""
        release = self._known_release(name, day)
        if release is not None:
            return release
        if not name.versioned:
            first = self.first_seen(f"{name.family}|", position)
            return Novelty("first" if first is None else "old" if (day - first).days > OLD_DAYS else "recent", first)
        first = self.first_seen(name.identity, position)
        if first is None or (day - first).days <= FRESH_DAYS:
            line = self.first_seen(f"line:{name.line}", position)
            if line is not None and (day - line).days > FRESH_DAYS:
                return Novelty("new variant", line)
            return Novelty("first", first)
        sized = [self.first_seen(f"{name.identity}@{size}", position) for size in name.sizes]
        if any(seen is None or (day - seen).days <= FRESH_DAYS for seen in sized):
            return Novelty("new variant", first)  # a new size of a known model: "Gemma 2 2B"
        return Novelty("old" if (day - first).days > OLD_DAYS else "recent", first)

    def _known_release(self, name: ModelName, day: dt.date) -> Novelty | None:
        """The nearest known release event of this model (or of its line, when either side names
        no variant): fresh within its window, else old once past it."""
        found = []
        for released, identity, event_id in self._releases.get(name.family, ()):
            if same_model(name.identity, identity) and _no_more_specific(name.identity, identity):
                found.append((abs((day - released).days), released, event_id))
        if not found:
            return None
        _, released, event_id = min(found)
        age = (day - released).days
        if -LEAD_DAYS <= age <= OLD_DAYS:
            return Novelty("catalogued", released, event_id)
        return Novelty("catalogue old", released, event_id) if age > OLD_DAYS else None


def _no_more_specific(article: str, event: str) -> bool:
    """The article names no variant the event does not: "Gemini 2 Flash Thinking" is not old news
    because "Gemini 2.0 Flash" was released weeks before."""
    said = set(filter(None, (article.split("|") + ["", ""])[2].split("+")))
    return said <= set(filter(None, (event.split("|") + ["", ""])[2].split("+")))


def same_model(a: str, b: str) -> int:
    """How well two identities (``family|version|variants|checkpoint``) agree: 2 the same model,
    1 compatible (same family and version; one names no variant, or a subset of the other's;
    one names no checkpoint), 0 different models."""
    if a == b:
        return 2
    fa, va, xa, ca = (a.split("|") + ["", "", ""])[:4]
    fb, vb, xb, cb = (b.split("|") + ["", "", ""])[:4]
    if fa != fb or va != vb or not va:
        return 0
    if ca and cb and ca != cb:
        return 0
    if ca and not cb:
        return 0  # "R1-0528" is not the R1 release
    variants_a, variants_b = set(filter(None, xa.split("+"))), set(filter(None, xb.split("+")))
    if variants_a <= variants_b or variants_b <= variants_a:
        return 1
    return 0
