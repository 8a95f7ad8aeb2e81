"""Applying the rules to a headline: :func:`classify` returns a :class:`Tag` or ``None``.

The rule templates and lexicon lists are compiled once into regular expressions. A match is
then checked for consistency: a model named after the verb must belong to the organisation
that acts (``Microsoft makes DeepSeek R1 available`` is not DeepSeek's release), and a bare
model name that needs its organisation (``R1``) counts only when the headline names it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

from events.tagging import lexicon
from events.tagging.rules import RULES, VETOES, Rule
from events.tagging.text import model_key, normalise

_LEFT = r"(?<![\w])"
_RIGHT = r"(?![\w])"


@dataclass(frozen=True)
class Tag:
    """What the tagger read in one headline."""

    kind: str
    org: str | None
    model: str | None
    confidence: float
    rule: str
    matched: str
    subject: str | None = None  # what groups articles besides org: model key, policy topic, project

    def content(self) -> dict:
        return {
            "kind": self.kind, "org": self.org, "model": self.model, "confidence": self.confidence,
            "rule": self.rule, "matched": self.matched, "subject": self.subject,
        }


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str  # org name, or model display name
    org: str  # the organisation (for a model: its family's)


def _alternation(patterns: tuple[str, ...] | list[str]) -> str:
    """``(?:a|b|…)`` with word boundaries; short all-caps acronyms match case-sensitively (US, EU, BIS)."""
    parts = []
    for pattern in sorted(patterns, key=len, reverse=True):
        plain = re.sub(r"\\.", "", pattern)
        if plain.isalpha() and plain.isupper() and len(plain) <= 4:
            pattern = f"(?-i:{pattern})"
        parts.append(pattern)
    return f"{_LEFT}(?:{'|'.join(parts)}){_RIGHT}"


@dataclass(frozen=True)
class _Compiled:
    rules: tuple[tuple[Rule, re.Pattern], ...]
    vetoes: dict[str, re.Pattern]
    orgs: tuple[tuple[re.Pattern, lexicon.Org], ...]
    families: tuple[tuple[re.Pattern, lexicon.ModelFamily], ...]
    product_after: re.Pattern
    component_before: re.Pattern
    projects: re.Pattern
    topics: tuple[tuple[re.Pattern, str], ...]


def _placeholders() -> dict[str, str]:
    all_aliases = [a for org in lexicon.ORGS for a in org.aliases]
    companies = [a for org in lexicon.ORGS if not org.government for a in org.aliases]
    governments = [a for org in lexicon.ORGS if org.government for a in org.aliases]
    model_patterns = [family.pattern for family in lexicon.MODEL_FAMILIES]
    not_followed = "|".join(lexicon.NOT_MODEL_FOLLOWERS)
    return {
        "ORG": _alternation(all_aliases),
        "COMPANY": _alternation(companies),
        "GOV": _alternation(governments),
        "MODEL": _alternation(model_patterns),
        "VERB": _alternation(lexicon.RELEASE_VERBS),
        "ARRIVAL": _alternation(lexicon.ARRIVAL_PHRASES),
        "OPENER": _alternation(lexicon.ANNOUNCING_OPENERS),
        "MODEL_NOUN": rf"{_LEFT}{lexicon.MODEL_NOUNS}{_RIGHT}(?! (?:{not_followed}){_RIGHT})",
        "TOPIC": _alternation([p for phrases in lexicon.POLICY_TOPICS.values() for p in phrases]),
        "ACTION": _alternation(lexicon.POLICY_ACTIONS),
        "EARNINGS": _alternation(lexicon.EARNINGS_PHRASES),
        "MONEY": rf"(?:{lexicon.MONEY})",
        "FUNDING": _alternation(lexicon.FUNDING_PHRASES),
        "PROJECT": _alternation(lexicon.NAMED_PROJECTS),
    }


_NAMED = {"ORG": "org", "COMPANY": "org", "GOV": "org", "MODEL": "model", "VERB": "verb", "ARRIVAL": "verb", "OPENER": "verb", "TOPIC": "topic"}


def compile_template(template: str, placeholders: dict[str, str]) -> re.Pattern:
    """Expand ``{NAME}`` placeholders; the first of each kind becomes a named group."""
    used: set[str] = set()

    def expand(match: re.Match) -> str:
        name = match.group(1)
        body = placeholders[name]
        group = _NAMED.get(name)
        if group and group not in used:
            used.add(group)
            return f"(?P<{group}>{body})"
        return f"(?:{body})"

    return re.compile(re.sub(r"\{([A-Z_]+)\}", expand, template), re.IGNORECASE)


@lru_cache(maxsize=1)
def compiled() -> _Compiled:
    placeholders = _placeholders()
    return _Compiled(
        rules=tuple((rule, compile_template(rule.template, placeholders)) for rule in RULES),
        vetoes={name: re.compile(_alternation(phrases) if name != "question" else "|".join(phrases), re.IGNORECASE)
                for name, phrases in VETOES.items()},
        orgs=tuple((re.compile(_alternation(org.aliases), re.IGNORECASE), org) for org in lexicon.ORGS),
        families=tuple((re.compile(_alternation([family.pattern]), re.IGNORECASE), family) for family in lexicon.MODEL_FAMILIES),
        product_after=re.compile(rf"^ (?:{'|'.join(lexicon.PRODUCT_SUFFIXES)}){_RIGHT}", re.IGNORECASE),
        component_before=re.compile(rf"{_LEFT}(?:{'|'.join(lexicon.COMPONENT_PREFIXES)}) (?:the |its |a )?$", re.IGNORECASE),
        projects=re.compile(_alternation(lexicon.NAMED_PROJECTS), re.IGNORECASE),
        topics=tuple((re.compile(_alternation(phrases), re.IGNORECASE), topic) for topic, phrases in lexicon.POLICY_TOPICS.items()),
    )


def rules_version() -> str:
    """A fingerprint of the rules and lexicon: changes whenever either does."""
    text = repr((RULES, VETOES, lexicon.ORGS, lexicon.MODEL_FAMILIES, _placeholders()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def org_mentions(text: str) -> list[Mention]:
    """Organisations named in ``text`` (normalised), in order; overlapping aliases keep the longest."""
    found: list[Mention] = []
    for pattern, org in compiled().orgs:
        for match in pattern.finditer(text):
            found.append(Mention(match.start(), match.end(), org.name, org.name))
    return _non_overlapping(found)


def model_mentions(text: str, orgs: list[Mention] | None = None) -> list[Mention]:
    """Model names in ``text`` (normalised), in order, with their organisation."""
    named_orgs = {m.org for m in (orgs if orgs is not None else org_mentions(text))}
    found: list[Mention] = []
    for pattern, family in compiled().families:
        if family.needs_org and family.org not in named_orgs:
            continue
        for match in pattern.finditer(text):
            found.append(Mention(match.start(), match.end(), display_model(match.group(0), family), family.org))
    return _non_overlapping(found)


def display_model(text: str, family: lexicon.ModelFamily) -> str:
    inner = re.fullmatch(family.pattern, text, re.IGNORECASE)
    core = inner.group(1) if inner and inner.groups() else text
    core = re.sub(r"\s+", " ", core.strip())
    return family.display.format(core)


def _non_overlapping(mentions: list[Mention]) -> list[Mention]:
    kept: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


def vetoed_by(text: str, rule: Rule) -> str | None:
    """The first veto of ``rule`` that ``text`` triggers, if any."""
    for name in rule.vetoes:
        if compiled().vetoes[name].search(text):
            return name
    return None


def classify(title: str, tickers: tuple[str, ...] = ()) -> Tag | None:
    """Tag a headline, or ``None`` when no rule applies."""
    text = normalise(title)
    orgs = org_mentions(text)
    models = model_mentions(text, orgs)
    for rule, pattern in compiled().rules:
        for match in pattern.finditer(text):
            tag = _tag_from(rule, match, text, orgs, models, tickers)
            if tag is None:
                continue
            if vetoed_by(text, rule):
                break
            return tag
    return None


def explain(title: str) -> list[str]:
    """Why a headline is (not) tagged: each rule's match and veto, for tuning the rules."""
    text = normalise(title)
    orgs = org_mentions(text)
    models = model_mentions(text, orgs)
    lines = [f"text: {text}", f"orgs: {[m.name for m in orgs]}", f"models: {[m.name for m in models]}"]
    for rule, pattern in compiled().rules:
        match = pattern.search(text)
        if match:
            tag = _tag_from(rule, match, text, orgs, models, ())
            lines.append(f"{rule.name}: matched {match.group(0)!r} -> {tag and tag.content()} veto={vetoed_by(text, rule)}")
    return lines


def _tag_from(
    rule: Rule,
    match: re.Match,
    text: str,
    orgs: list[Mention],
    models: list[Mention],
    tickers: tuple[str, ...],
) -> Tag | None:
    groups = match.groupdict()
    verb_start = match.start("verb") if groups.get("verb") else match.end()
    org = _mention_at(orgs, match, "org")
    model = _mention_at(models, match, "model")
    if groups.get("model") and model is None:
        return None  # the model group matched a bare name whose organisation is not named
    if rule.kind == "model_release":
        if model is not None and not _is_the_release(text, model):
            return None
        subject_orgs = {m.org for m in orgs if m.start < verb_start} | {m.org for m in models if m.start < verb_start}
        if model is not None and org is not None and model.org != org.org and model.org not in subject_orgs:
            return None  # another organisation acts on this model (hosts it, compares it…)
        if model is None and org is not None:
            others = [m for m in models if m.start > verb_start and m.org != org.org]
            if others and others[0].start - verb_start < 25:
                return None  # "Acme launches DeepSeek R1 model": the model is someone else's
        if model is not None:
            model = _most_specific(model, models)
        org_name = model.org if model is not None else (org.name if org else None)
        if org_name is None:
            return None
        subject = model_key(model.name) if model is not None else None
        return Tag(rule.kind, org_name, model.name if model else None, rule.confidence, rule.name, match.group(0), subject)
    if rule.kind == "policy":
        topic = next((name for pattern, name in compiled().topics if pattern.search(match.group(0))), None)
        return Tag(rule.kind, org.name if org else None, None, rule.confidence, rule.name, match.group(0), topic)
    if rule.kind == "earnings":
        org_name = org.name if org else (tickers[0] if len(tickers) == 1 else None)
        return Tag(rule.kind, org_name, None, rule.confidence, rule.name, match.group(0), None)
    if rule.kind == "funding_or_capex":
        project = compiled().projects.search(text)
        org_name = org.name if org else (orgs[0].name if orgs else None)
        subject = project.group(0).lower() if project else None
        return Tag(rule.kind, org_name, None, rule.confidence, rule.name, match.group(0), subject)
    return Tag(rule.kind, org.name if org else None, None, rule.confidence, rule.name, match.group(0), None)


def _is_the_release(text: str, model: Mention) -> bool:
    """False when the model is a product brand ("Claude for Education") or a component ("powered by Gemini")."""
    patterns = compiled()
    if patterns.product_after.search(text[model.end:]):
        return False
    return not patterns.component_before.search(text[: model.start])


def _most_specific(model: Mention, models: list[Mention]) -> Mention:
    """``R1`` named again as the checkpoint ``R1-0528`` later in the headline: the checkpoint is the model.

    Only a numeric suffix counts; ``R1-Zero`` or ``o3-mini`` beside ``R1``/``o3`` are other models.
    """
    key = model_key(model.name) or ""
    for other in models:
        other_key = model_key(other.name) or ""
        if other.org == model.org and other_key.startswith(key) and len(other_key) - len(key) >= 4 and other_key[len(key):].isdigit():
            return other
    return model


def _mention_at(mentions: list[Mention], match: re.Match, group: str) -> Mention | None:
    if not match.groupdict().get(group):
        return None
    start, end = match.span(group)
    for mention in mentions:
        if mention.start < end and start < mention.end:
            return mention
    return None
