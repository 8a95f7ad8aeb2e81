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

Rules are tried in order; the first that matches and is not vetoed gives the tag. ``vetoes``
name lists of story types (:data:`VETOES`) that disqualify the headline for that rule: a
market-reaction story that names a model is not its release. Confidence is the rule's prior
that a match is right, set from its measured precision on the labelled set in ``tests/``.
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
    "platform": tuple(rf"(?:on|to|in|into|via|through|inside|for) (?:the )?{p}" for p in lexicon.PLATFORMS),
    "question": (r"\?\s*$", r"^(?:what|why|how|who|is|are|can|could|should|will|does|do|did|which|when)\b"),
    "earnings_preview": lexicon.EARNINGS_PREVIEW,
}

_RELEASE_VETOES = ("market", "opinion", "rumour", "other_story", "platform", "question")

RULES: tuple[Rule, ...] = (
    # -- model_release ----------------------------------------------------------------------------
    Rule("release: opener + model", "model_release", r"^{OPENER}:? (?:the )?(?:new )?{MODEL}", 0.95, _RELEASE_VETOES),
    Rule("release: org + verb + model", "model_release", r"{ORG}.{0,45}?{VERB}\b.{0,60}?{MODEL}", 0.95, _RELEASE_VETOES),
    Rule("release: model + arrival", "model_release", r"{MODEL}(?:,[^,]{1,60},)?(?: \w+){0,2}? {ARRIVAL}", 0.9, _RELEASE_VETOES),
    Rule("release: model + colon + org verb", "model_release", r"^{MODEL}: .{0,40}?{VERB}", 0.85, _RELEASE_VETOES),
    Rule("release: org's new model", "model_release",
         r"{ORG}'s? (?:new|newest|latest|just-released|freshly released) (?:\w+ ){0,2}?{MODEL}", 0.8, _RELEASE_VETOES),
    Rule("release: org + verb + new model", "model_release", r"{ORG}.{0,45}?{VERB}\b(?: .{0,40}?)? {MODEL_NOUN}", 0.8, _RELEASE_VETOES),
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
