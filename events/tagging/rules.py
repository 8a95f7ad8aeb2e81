"""The tagging rules, as data: one :class:`Rule` per way a headline can announce an event.

A rule is a regular-expression *template* over the headline. Placeholders stand for lexicon
lists (:mod:`events.tagging.lexicon`) and become named groups:

==============  ========================================================================
``{ORG}``       any organisation (group ``org``)
``{COMPANY}``   a non-government organisation (group ``org``)
``{GOV}``       a government actor (group ``org``)
``{MODEL}``     a model name from :data:`~events.tagging.lexicon.MODEL_FAMILIES` (group ``model``)
``{VERB}``      a release verb (group ``verb``); ``{ARRIVAL}``, ``{OPENER}`` likewise
``{MODEL_NOUN}``  "a new reasoning model" and the like, not followed by "platform", "chip"…
``{TOPIC}``     a policy topic (group ``topic``); ``{ACTION}`` a government action
``{EARNINGS}``  an earnings phrase; ``{MONEY}`` an amount; ``{FUNDING}`` funding/capex words;
``{PROJECT}``   a named infrastructure project (group ``project``)
==============  ========================================================================

Model releases are decided by a score (:mod:`events.tagging.release`): the ``model_release``
rules below are the *release phrases* ("org unveils <model>", "<model> is here"), one signal
among several whose weights are :data:`RELEASE_WEIGHTS`; ``{MODEL}`` there stands for the one
model name being scored. The other kinds' rules are tried in order; the first that matches and
is not vetoed gives the tag. ``vetoes`` name lists of story types (:data:`VETOES`) that
disqualify the headline for that rule: a market-reaction story is not an earnings report.
Confidence is the rule's prior that a match is right.
"""

from __future__ import annotations

from dataclasses import dataclass

from events.tagging import lexicon


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    template: str
    confidence: float
    vetoes: tuple[str, ...] = ()


#: Veto name -> phrases. A rule listing a veto does not fire when any phrase occurs in the headline.
VETOES: dict[str, tuple[str, ...]] = {
    "market": lexicon.MARKET_WORDS,
    "opinion": lexicon.OPINION_WORDS,
    "rumour": lexicon.RUMOUR_WORDS,
    "other_story": lexicon.OTHER_STORY_WORDS,
    "platform": (rf"(?:on|to|in|into|via|through|inside|for) (?:the )?(?:{'|'.join(lexicon.PLATFORMS)})",),
    "question": (r"\?\s*$", r"^(?:what|why|how|who|is|are|can|could|should|will|does|do|did|which|when)\b"),
    "earnings_preview": lexicon.EARNINGS_PREVIEW,
}

_RELEASE_VETOES = ("market", "opinion", "rumour", "other_story", "platform", "question")

#: The release score's signals and their weights (log-odds; see :mod:`events.tagging.release`).
#: A headline reports a release when its best-placed model name scores at least RELEASE_THRESHOLD.
RELEASE_WEIGHTS: dict[str, float] = {
    "base": -3.0,
    # what names the candidate
    "named model": 2.0,  # a known family with a version, variant or size: "Gemma 3", "Pixtral Large"
    "unknown name": 1.0,  # a name the lexicon does not know, said to be a model: "Sky-T1", `cde-small-v1`
    "family only": 0.0,  # "Claude", "Gemini": a line, not a model
    "unnamed model": 0.0,  # "Anthropic's new AI model"
    # what the log says about it (events.tagging.novelty)
    "first sighting": 2.0,
    "new variant": 1.0,  # a new variant of a version named before: "o3-mini" after "o3"
    "seen long before": -3.0,
    "catalogued release": 2.0,  # within the window of a known release event of this model
    "released long before": -3.0,
    # how the headline says it
    "release phrase": 2.0,  # one of the model_release rules below, around this name
    "model words": 1.0,
    "availability": 1.0,
    "new": 0.5,
    "benchmark": 0.5,
    # what else the story is
    "another organisation acts": -3.0,  # "Microsoft makes DeepSeek R1 available"
    "market": -3.0,
    "rumour": -3.0,
    "question": -3.0,
    "platform": -3.0,
    "opinion": -1.5,
    "other_story": -1.5,
    "not a release": -1.5,
    # who publishes it (lexicon.PUBLISHER_KINDS)
    "AI newsletter": 0.5,
    "market press": -1.0,
}
RELEASE_THRESHOLD = 0.0

RULES: tuple[Rule, ...] = (
    # -- model_release ----------------------------------------------------------------------------
    Rule("release: opener + model", "model_release", r"^{OPENER}:? (?:the )?(?:new )?{MODEL}", 0.95, _RELEASE_VETOES),
    Rule("release: org + verb + model", "model_release", r"{ORG}.{0,45}?{VERB}\b.{0,60}?{MODEL}", 0.95, _RELEASE_VETOES),
    Rule("release: model + arrival", "model_release", r"{MODEL}(?:,[^,]{1,60},)?(?: \w+){0,2}? {ARRIVAL}", 0.9, _RELEASE_VETOES),
    Rule("release: model + colon + org verb", "model_release", r"^{MODEL}: .{0,40}?{VERB}", 0.85, _RELEASE_VETOES),
    Rule("release: org's new model", "model_release",
         r"{ORG}'s? (?:new|newest|latest|just-released|freshly released) (?:\w+ ){0,2}?{MODEL}", 0.8, _RELEASE_VETOES),
    Rule("release: org + verb + new model", "model_release", r"{ORG}.{0,45}?{VERB}\b(?: .{0,40}?)? {MODEL_NOUN}", 0.8, _RELEASE_VETOES),
    Rule("release: org's new unnamed model", "model_release",
         r"{ORG}'s? (?:new|newest|latest|just-released) (?:[\w'\"-]+ ){0,3}?{MODEL_NOUN}", 0.8, _RELEASE_VETOES),
    # -- policy -----------------------------------------------------------------------------------
    Rule("policy: government + action + topic", "policy", r"{GOV}.{0,60}?{ACTION}\b.{0,60}?{TOPIC}", 0.85,
         ("opinion", "rumour", "question")),
    Rule("policy: topic + government action", "policy", r"{TOPIC}.{0,60}?(?:by|from) (?:the )?{GOV}", 0.75,
         ("opinion", "rumour", "question", "market")),
    # -- earnings ---------------------------------------------------------------------------------
    Rule("earnings: company + results", "earnings", r"{COMPANY}.{0,60}?{EARNINGS}", 0.85,
         ("earnings_preview", "opinion", "question")),
    Rule("earnings: results", "earnings",
         r"(?:(?:first|second|third|fourth)[- ]quarter|q[1-4]|fiscal (?:20)?\d\d)[^.]{0,30}(?:earnings|results)", 0.7,
         ("earnings_preview", "opinion", "question")),
    # -- funding_or_capex -------------------------------------------------------------------------
    Rule("funding: company raises money", "funding_or_capex",
         r"{COMPANY}.{0,40}?(?:raises?|raised|secures?|secured|closes?|lands?|gets?) .{0,30}?{MONEY}", 0.9,
         ("opinion", "question", "market")),
    Rule("funding: company invests money", "funding_or_capex",
         r"{COMPANY}.{0,40}?(?:invest|spend|commit|pour|plow|plough)(?:s|ing)? .{0,30}?{MONEY}", 0.85,
         ("opinion", "question", "market")),
    Rule("funding: company commits money", "funding_or_capex", r"{COMPANY}.{0,60}?{MONEY}.{0,60}?{FUNDING}", 0.8,
         ("opinion", "question", "market")),
    Rule("funding: named project", "funding_or_capex", r"{PROJECT}.{0,60}?(?:{MONEY}|{FUNDING})|{MONEY}.{0,40}?{PROJECT}", 0.75,
         ("opinion", "question", "market")),
)
