"""The release score: does a headline report a model's release, and which model's?

Each model name in the subject's place (:mod:`events.tagging.model_names`) is a candidate, and
so is an unnamed model ("Anthropic's new AI model") when a release phrase introduces one. A
candidate's score is the sum of the weights (:data:`~events.tagging.rules.RELEASE_WEIGHTS`) of
the signals it shows, in log-odds:

* the name: a known family named down to a model, a name the lexicon does not know (counted
  only when the headline says it is a model), a bare family, or no name;
* novelty (:mod:`events.tagging.novelty`): the first sighting of the model in the log, a new
  variant of a known version, a model named long before, or the window of a known release;
* release cues: a release phrase around the name (the ``model_release`` rules), words saying
  it is a model, that it is available, new, or how it scores on benchmarks;
* story-type vetoes (market, opinion, rumour, other stories, a platform hosting the model, a
  question), another organisation acting on the model, and words that mark a non-release;
* the publisher: an AI newsletter's headline is its top story; market press rarely breaks one.

The best candidate is the tag when its score reaches
:data:`~events.tagging.rules.RELEASE_THRESHOLD`; its signals are kept as the tag's reason.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from events.tagging import lexicon
from events.tagging.model_names import ModelName
from events.tagging.novelty import ModelHistory, Novelty
from events.tagging.rules import RELEASE_THRESHOLD, RELEASE_WEIGHTS, Rule
from events.tagging.text import alternation

if TYPE_CHECKING:
    from events.tagging.matcher import Mention

#: Stands for the candidate's name in the text the release phrases are matched against.
SENTINEL = "\ue000"
NOVELTY_SIGNALS = {
    "first": "first sighting", "new variant": "new variant", "old": "seen long before",
    "catalogued": "catalogued release", "catalogue old": "released long before",
}


@dataclass(frozen=True)
class ReleaseScore:
    """One candidate's score: the signals it showed (label -> weight) and what it names."""

    name: ModelName | None
    org: str | None
    signals: dict[str, float]
    rule: str
    matched: str
    novelty: Novelty | None = None

    @property
    def score(self) -> float:
        return round(sum(self.signals.values()), 3)

    @property
    def passes(self) -> bool:
        return self.score >= RELEASE_THRESHOLD

    @property
    def confidence(self) -> float:
        """The score as a probability (the weights are log-odds)."""
        return round(1 / (1 + math.exp(-self.score)), 3)

    def reason(self) -> str:
        """``score 3: named model +2, first sighting +2, … (first named 2025-01-20)``: what
        ``tracker events show`` prints, with the known release or first sighting novelty refers to."""
        parts = ", ".join(f"{label} {weight:+g}" for label, weight in self.signals.items() if weight)
        said = ""
        if self.novelty is not None and self.novelty.release:
            said = f" (known release {self.novelty.release} on {self.novelty.first_seen})"
        elif self.novelty is not None and self.novelty.first_seen:
            said = f" (first named {self.novelty.first_seen})"
        return f"score {self.score:g}: {parts}{said}"


@dataclass(frozen=True)
class _Patterns:
    model_words: re.Pattern
    availability: re.Pattern
    new: re.Pattern
    benchmark: re.Pattern
    not_release: re.Pattern
    acting_verb: re.Pattern
    publishers: tuple[tuple[re.Pattern, str], ...]


@lru_cache(maxsize=1)
def patterns() -> _Patterns:
    return _Patterns(
        model_words=re.compile(alternation(lexicon.MODEL_WORDS), re.IGNORECASE),
        availability=re.compile(alternation(lexicon.AVAILABILITY_WORDS), re.IGNORECASE),
        new=re.compile(alternation(lexicon.NEW_WORDS), re.IGNORECASE),
        benchmark=re.compile(alternation(lexicon.BENCHMARK_WORDS), re.IGNORECASE),
        not_release=re.compile(alternation(lexicon.NOT_RELEASE_WORDS), re.IGNORECASE),
        acting_verb=re.compile(alternation(lexicon.RELEASE_VERBS + lexicon.ACTING_VERBS), re.IGNORECASE),
        publishers=tuple((re.compile("|".join(p), re.IGNORECASE), kind) for kind, p in lexicon.PUBLISHER_KINDS.items()),
    )


def _compiled():
    """The matcher's compiled rules and vetoes (the matcher imports this module, so late)."""
    from events.tagging.matcher import compiled

    return compiled()


@dataclass(frozen=True)
class Context:
    """What the score reads besides the headline: who published it, when, where it stands in the log."""

    publisher: str | None = None
    day: dt.date | None = None
    position: int = 0
    history: ModelHistory | None = field(default=None, compare=False)


def best_release(text: str, orgs: list[Mention], names: list[ModelName], context: Context = Context()) -> ReleaseScore | None:
    """The highest-scoring release candidate of ``text`` (normalised), whether or not it reaches
    :data:`~events.tagging.rules.RELEASE_THRESHOLD` (see :attr:`ReleaseScore.passes`)."""
    candidates = scores(text, orgs, names, context)
    return max(candidates, key=lambda c: (c.score, -(c.name.start if c.name else len(text)))) if candidates else None


def scores(text: str, orgs: list[Mention], names: list[ModelName], context: Context = Context()) -> list[ReleaseScore]:
    """Every release candidate's score: each subject name's, then an unnamed model's."""
    subjects = [name for name in names if name.role == "subject"]
    unnamed = bool(orgs) and _MODEL_NOUN_HINT.search(text) is not None
    if not subjects and not unnamed:
        return []  # most headlines: nothing to score
    shared = _story_signals(text, context)
    cues = _cues(_without_names(text, names))
    candidates = [_score_name(text, name, orgs, names, shared, cues, context) for name in subjects]
    if unnamed:
        candidates += _unnamed(text, orgs, names, shared)
    return [c for c in candidates if c is not None]


#: An unnamed model is written with one of these (lexicon.MODEL_NOUNS): a cheap test before the release phrases.
_MODEL_NOUN_HINT = re.compile(r"model|llm", re.IGNORECASE)


def _story_signals(text: str, context: Context) -> dict[str, float]:
    """Signals of the headline as a whole: story-type vetoes, non-release words, the publisher."""
    p, vetoes = patterns(), _compiled().vetoes
    signals = {}
    for veto in ("market", "rumour", "question", "opinion", "other_story"):
        if vetoes[veto].search(text):
            signals[veto] = RELEASE_WEIGHTS[veto]
    if p.not_release.search(text):
        signals["not a release"] = RELEASE_WEIGHTS["not a release"]
    if context.publisher:
        kind = next((kind for pattern, kind in p.publishers if pattern.search(context.publisher)), None)
        if kind:
            signals[kind] = RELEASE_WEIGHTS[kind]
    return signals


def _score_name(
    text: str,
    name: ModelName,
    orgs: list[Mention],
    names: list[ModelName],
    shared: dict[str, float],
    cues: dict[str, float],
    context: Context,
) -> ReleaseScore | None:
    """One name's score: its own signals, then the headline's ``cues`` and ``shared`` signals."""
    if not name.known and "model words" not in cues:
        return None  # an unknown name must be said to be a model
    signals = {"base": RELEASE_WEIGHTS["base"]}
    label = "named model" if name.named else ("unknown name" if not name.known else "family only")
    signals[label] = RELEASE_WEIGHTS[label]
    novelty = None
    if context.history is not None and context.day is not None:
        novelty = context.history.novelty(name, context.day, context.position)
        signal = NOVELTY_SIGNALS.get(novelty.verdict)
        if signal:
            signals[signal] = RELEASE_WEIGHTS[signal]
    rule, matched = _release_phrase(text, name, orgs)
    if rule is not None:
        signals["release phrase"] = RELEASE_WEIGHTS["release phrase"]
    signals.update(cues)
    if _another_org_acts(text, name, orgs, names):
        signals["another organisation acts"] = RELEASE_WEIGHTS["another organisation acts"]
    if _compiled().vetoes["platform"].search(text, name.end):
        signals["platform"] = RELEASE_WEIGHTS["platform"]
    signals.update(shared)
    org = name.org or _org_before(name, orgs)
    return ReleaseScore(name, org, signals, rule.name if rule else "release score", matched or name.name, novelty)


def _without_names(text: str, names: list[ModelName]) -> str:
    """The headline with every model name blanked: a name's own words ("-preview", "70B") are no cue."""
    for name in sorted(names, key=lambda n: n.start, reverse=True):
        text = text[: name.start] + " " + text[name.end:]
    return text


def _cues(words: str) -> dict[str, float]:
    p = patterns()
    found = {}
    for label, pattern in (("model words", p.model_words), ("availability", p.availability), ("new", p.new),
                           ("benchmark", p.benchmark)):
        if pattern.search(words):
            found[label] = RELEASE_WEIGHTS[label]
    return found


def _release_phrase(text: str, name: ModelName, orgs: list[Mention]) -> tuple[Rule | None, str | None]:
    """The first release phrase (a ``model_release`` rule with ``{MODEL}``) said of the candidate
    by its own organisation, if the phrase names one ("OpenAI launches o3", not "Microsoft launches R1").

    The phrases are matched on the headline with the name replaced by :data:`SENTINEL`; one that
    begins with an organisation is tried only where the headline names one before the model."""
    marked = text[: name.start] + SENTINEL + text[name.end:]
    shift = name.end - name.start - len(SENTINEL)
    before = [o.start for o in orgs if o.start < name.start]
    for rule, pattern in _compiled().release_phrases:
        if rule.template.startswith("{ORG}"):
            match = next((m for start in before if (m := pattern.match(marked, start))), None)
        else:
            match = pattern.search(marked)
        if match is None:
            continue
        if match.groupdict().get("org") and name.org:
            start, end = (x + shift if x > name.start else x for x in match.span("org"))
            acting = next((o for o in orgs if o.start < end and start < o.end), None)
            if acting is not None and acting.name != name.org:
                continue
        return rule, match.group(0).replace(SENTINEL, name.name)
    return None, None


def _another_org_acts(text: str, name: ModelName, orgs: list[Mention], names: list[ModelName]) -> bool:
    """An organisation other than the model's does something with it: "Microsoft makes DeepSeek R1 available"."""
    if name.org is None:
        return False
    verbs = [m for m in patterns().acting_verb.finditer(text, 0, name.start)]
    if not verbs:
        return False
    verb = verbs[-1].start()
    subjects = {o.name for o in orgs if o.end <= verb} | {n.org for n in names if n.end <= verb and n.org}
    return bool(subjects) and name.org not in subjects


def _org_before(name: ModelName, orgs: list[Mention]) -> str | None:
    """The organisation written just before a name the lexicon does not know ("Prime Intellect's INTELLECT-2")."""
    before = [o for o in orgs if o.end <= name.start and name.start - o.end <= 3]
    return before[-1].name if before else None


def _unnamed(text: str, orgs: list[Mention], names: list[ModelName], shared: dict[str, float]) -> list[ReleaseScore]:
    """An organisation's unnamed new model ("Anthropic's new 'hybrid reasoning' AI model")."""
    found = []
    for rule, pattern in _compiled().unnamed_releases:
        match = pattern.search(text)
        if match is None or any(match.start() <= n.start < match.end() for n in names):
            continue  # a named model there is the candidate itself
        org = next((o.name for o in orgs if o.start == match.start("org")), None)
        if org is None:
            continue
        signals = {"base": RELEASE_WEIGHTS["base"], "unnamed model": RELEASE_WEIGHTS["unnamed model"],
                   "release phrase": RELEASE_WEIGHTS["release phrase"]}
        signals.update(_cues(_without_names(text[: match.start()] + " " + text[match.end():], [])))
        signals["model words"] = RELEASE_WEIGHTS["model words"]
        signals.update(shared)
        found.append(ReleaseScore(None, org, signals, rule.name, match.group(0)))
        break
    return found
