"""Reading a headline: :func:`read_headline` returns a :class:`Reading` (the :class:`Tag`, if
any, and the model names it read); :func:`classify` returns the tag alone.

A model release is decided by the release score (:mod:`events.tagging.release`), which needs
to know what the log said before the headline (its :class:`~events.tagging.release.Context`);
without one, novelty is not a signal. The other kinds are decided by the first rule that
matches and is not vetoed. The rule templates and lexicon lists are compiled once.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from events.tagging import lexicon, model_names, novelty
from events.tagging.model_names import ModelName, find_models
from events.tagging.novelty import sighting_keys
from events.tagging.release import SENTINEL, Context, ReleaseScore, best_release, scores
from events.tagging.rules import RELEASE_THRESHOLD, RELEASE_WEIGHTS, RULES, VETOES, Rule
from events.tagging.text import WORD_AFTER, WORD_BEFORE, FirstCharIndex, alternation, normalise


@dataclass(frozen=True)
class Tag:
    """What the tagger read in one headline."""

    kind: str
    org: str | None
    model: str | None
    confidence: float
    rule: str
    matched: str
    subject: str | None = None  # what groups articles besides org: model identity, policy topic, project
    score: float | None = None  # a release's score, and the signals it sums (label -> weight)
    signals: dict[str, float] | None = field(default=None, hash=False)
    reason: str | None = None

    def content(self) -> dict:
        content = {
            "kind": self.kind, "org": self.org, "model": self.model, "confidence": self.confidence,
            "rule": self.rule, "matched": self.matched, "subject": self.subject,
        }
        if self.score is not None:
            content.update(score=self.score, signals=self.signals, reason=self.reason)
        return content


@dataclass(frozen=True)
class Reading:
    """What the tagger read in a headline: its tag (if any), the model names (for the history) and
    the best release candidate's score (also when it falls short: the reason it is no release)."""

    tag: Tag | None
    names: tuple[ModelName, ...] = ()
    release: ReleaseScore | None = None

    @cached_property
    def sightings(self) -> tuple[str, ...]:
        """The keys the article adds to a :class:`~events.tagging.novelty.ModelHistory`."""
        return tuple(dict.fromkeys(key for name in self.names for key in sighting_keys(name)))


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str  # the organisation's name in the lexicon
    org: str  # the same (kept for callers that read either)


@dataclass(frozen=True)
class _Compiled:
    rules: tuple[tuple[Rule, re.Pattern], ...]
    release_phrases: tuple[tuple[Rule, re.Pattern], ...]  # model_release rules naming {MODEL} (the name scored)
    unnamed_releases: tuple[tuple[Rule, re.Pattern], ...]  # model_release rules about an unnamed model
    vetoes: dict[str, re.Pattern]
    orgs: tuple[tuple[re.Pattern, lexicon.Org], ...]
    org_index: FirstCharIndex
    projects: re.Pattern
    topics: tuple[tuple[re.Pattern, str], ...]


def _placeholders() -> dict[str, str]:
    all_aliases = [a for org in lexicon.ORGS for a in org.aliases]
    companies = [a for org in lexicon.ORGS if not org.government for a in org.aliases]
    governments = [a for org in lexicon.ORGS if org.government for a in org.aliases]
    not_followed = "|".join(lexicon.NOT_MODEL_FOLLOWERS)
    return {
        "ORG": alternation(all_aliases),
        "COMPANY": alternation(companies),
        "GOV": alternation(governments),
        "MODEL": SENTINEL,  # the model name being scored (events.tagging.release)
        "VERB": alternation(lexicon.RELEASE_VERBS),
        "ARRIVAL": alternation(lexicon.ARRIVAL_PHRASES),
        "OPENER": alternation(lexicon.ANNOUNCING_OPENERS),
        "MODEL_NOUN": rf"{WORD_BEFORE}{lexicon.MODEL_NOUNS}{WORD_AFTER}(?! (?:{not_followed}){WORD_AFTER})",
        "TOPIC": alternation([p for phrases in lexicon.POLICY_TOPICS.values() for p in phrases]),
        "ACTION": alternation(lexicon.POLICY_ACTIONS),
        "EARNINGS": alternation(lexicon.EARNINGS_PHRASES),
        "MONEY": rf"(?:{lexicon.MONEY})",
        "FUNDING": alternation(lexicon.FUNDING_PHRASES),
        "PROJECT": alternation(lexicon.NAMED_PROJECTS),
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
    rules = tuple((rule, compile_template(rule.template, placeholders)) for rule in RULES)
    releases = [(rule, pattern) for rule, pattern in rules if rule.kind == "model_release"]
    return _Compiled(
        rules=rules,
        release_phrases=tuple((r, p) for r, p in releases if "{MODEL}" in r.template),
        unnamed_releases=tuple((r, p) for r, p in releases if "{MODEL}" not in r.template),
        vetoes={name: re.compile(alternation(phrases) if name != "question" else "|".join(phrases), re.IGNORECASE)
                for name, phrases in VETOES.items()},
        orgs=tuple((re.compile(alternation(org.aliases), re.IGNORECASE), org) for org in lexicon.ORGS),
        org_index=FirstCharIndex(["|".join(org.aliases) for org in lexicon.ORGS]),
        projects=re.compile(alternation(lexicon.NAMED_PROJECTS), re.IGNORECASE),
        topics=tuple((re.compile(alternation(phrases), re.IGNORECASE), topic) for topic, phrases in lexicon.POLICY_TOPICS.items()),
    )


def rules_version() -> str:
    """A fingerprint of the rules and lexicon: changes whenever either does."""
    text = repr((RULES, VETOES, RELEASE_WEIGHTS, RELEASE_THRESHOLD, lexicon.ORGS, lexicon.MODEL_FAMILIES, lexicon.VARIANTS,
                 lexicon.VARIANT_SYNONYMS, lexicon.PRODUCT_WORDS, lexicon.OBJECT_MARKERS, lexicon.MODEL_WORDS,
                 lexicon.NEW_WORDS, lexicon.AVAILABILITY_WORDS, lexicon.BENCHMARK_WORDS, lexicon.NOT_RELEASE_WORDS,
                 lexicon.ACTING_VERBS, lexicon.PUBLISHER_KINDS, model_names.SIZE, model_names.CHECKPOINT,
                 novelty.FRESH_DAYS, novelty.OLD_DAYS, novelty.LEAD_DAYS, _placeholders()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def org_mentions(text: str) -> list[Mention]:
    """Organisations named in ``text`` (normalised), in order; overlapping aliases keep the longest."""
    patterns = compiled()
    found: list[Mention] = []
    for position, candidates in patterns.org_index.at_word_starts(text):
        if found and position < found[-1].end:
            continue
        best = None
        for index in candidates:
            pattern, org = patterns.orgs[index]
            match = pattern.match(text, position)
            if match and (best is None or match.end() > best.end):
                best = Mention(position, match.end(), org.name, org.name)
        if best is not None:
            found.append(best)
    return found


def vetoed_by(text: str, rule: Rule) -> str | None:
    """The first veto of ``rule`` that ``text`` triggers, if any."""
    for name in rule.vetoes:
        if compiled().vetoes[name].search(text):
            return name
    return None


def read_headline(title: str, tickers: tuple[str, ...] = (), context: Context = Context()) -> Reading:
    """Read a headline: the model names in it, and its tag (a release by score, else the first rule)."""
    text = normalise(title)
    orgs = org_mentions(text)
    names = tuple(find_models(text, {m.org for m in orgs}))
    release = best_release(text, orgs, list(names), context)
    if release is not None and release.passes:
        return Reading(_release_tag(release, names), names, release)
    named = _named_classes(orgs)
    for rule, pattern in compiled().rules:
        if rule.kind == "model_release" or not _ORG_CLASSES[rule.name] <= named:
            continue  # a rule naming an organisation of a class the headline does not name cannot match
        for match in pattern.finditer(text):
            if vetoed_by(text, rule):
                break
            return Reading(_tag_from(rule, match, text, orgs, tickers), names, release)
    return Reading(None, names, release)


#: The classes of organisation each rule's template names ({ORG}, {COMPANY}, {GOV}).
_ORG_CLASSES = {rule.name: frozenset(re.findall(r"\{(ORG|COMPANY|GOV)\}", rule.template)) for rule in RULES}
_GOVERNMENTS = frozenset(org.name for org in lexicon.ORGS if org.government)


def _named_classes(orgs: list[Mention]) -> frozenset[str]:
    classes = {"ORG"} if orgs else set()
    classes |= {"GOV" if m.name in _GOVERNMENTS else "COMPANY" for m in orgs}
    return frozenset(classes)


def classify(title: str, tickers: tuple[str, ...] = (), context: Context = Context()) -> Tag | None:
    """Tag a headline, or ``None`` when it reports none of the kinds."""
    return read_headline(title, tickers, context).tag


def explain(title: str, context: Context = Context()) -> list[str]:
    """Why a headline is (not) tagged: the names read, each release candidate's signals, the tag."""
    text = normalise(title)
    orgs = org_mentions(text)
    names = find_models(text, {m.org for m in orgs})
    lines = [f"text: {text}", f"orgs: {[m.name for m in orgs]}"]
    lines += [f"name {n.name!r} {n.identity} ({n.role})" for n in names]
    lines += [f"candidate {c.name.name if c.name else f'unnamed {c.org} model'!r}: {c.reason()}" for c in scores(text, orgs, names, context)]
    tag = read_headline(title, (), context).tag
    lines.append(f"tag: {tag and tag.content()}")
    return lines


def _release_tag(release: ReleaseScore, names: tuple[ModelName, ...]) -> Tag:
    name = release.name
    if name is not None:
        name = _most_specific(name, names)
    return Tag(
        "model_release", release.org, name.name if name else None, release.confidence, release.rule, release.matched,
        name.identity if name else None, release.score, release.signals, release.reason(),
    )


def _tag_from(rule: Rule, match: re.Match, text: str, orgs: list[Mention], tickers: tuple[str, ...]) -> Tag:
    org = _mention_at(orgs, match, "org")
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


def _most_specific(name: ModelName, names: tuple[ModelName, ...]) -> ModelName:
    """``R1`` named again as the checkpoint ``R1-0528`` in the headline: the checkpoint is the model."""
    if name.checkpoint:
        return name
    return next((n for n in names if n.checkpoint and n.line == name.line and n.variants == name.variants), name)


def _mention_at(mentions: list[Mention], match: re.Match, group: str) -> Mention | None:
    if not match.groupdict().get(group):
        return None
    start, end = match.span(group)
    for mention in mentions:
        if mention.start < end and start < mention.end:
            return mention
    return None
