"""Model names as the news writes them: a family, then a version, variants, sizes and a checkpoint.

``Gemma 3``, ``GPT 4.5``, ``GPT4o``, ``o3-mini``, ``Qwen3-235B-A22B``, ``Claude 3.7 Sonnet``,
``Claude Sonnet 4.5``, ``DeepSeek-V3.1``, ``DeepSeek R1-0528``, ``Llama 4 Scout``: each is read
into a :class:`ModelName` whose :attr:`~ModelName.identity` is the same however the headline
spells, spaces or cases it (``gpt|4.5``, ``claude|3.7|sonnet``, ``deepseek|r1||0528``). A name
coordinated with one before it inherits its family (``Claude Opus 4 and Sonnet 4``, ``Grok 3 &
3-mini``, ``Llama 4 Scout and Maverick``).

Names of families the lexicon does not know are read too, more cautiously (the release score
weighs them less and asks for a word saying they are models): a code-formatted id
(```gpt-realtime```) or a versioned proper name leading the headline (``Sky-T1:``, ``Cursor 2.0 &``).

Each name gets a *role* from its place in the headline: the subject, or an ``object`` (after
"beats", "than", "-level", "uses", "on"…), an ``aside`` (in brackets) or a ``product`` built on the
model (``Claude Code``, ``Gemini Live``). Only subjects can be what the headline announces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from events.tagging import lexicon
from events.tagging.text import FirstCharIndex, model_key, normalise

#: A name starts a word, and not after a dot ("Claude.ai", "v1.4o" are no names).
_LEFT = r"(?<![\w.])"
#: A size in parameters (``70B``, ``0.6B``, ``8x22B``, ``A22B``) or tokens/context (``500m``).
SIZE = r"(?:\d+x)?\d+(?:\.\d+)?[BMK]|A\d+(?:\.\d+)?B"
#: A dated checkpoint: ``0528``, ``1106``, ``2024-12-17``, ``24.11``, ``latest``.
CHECKPOINT = r"[01]\d[0-3]\d|20\d\d-\d\d-\d\d|\d\d\.\d\d|latest"
_END = r"(?![\w+]|\.\w)"


@dataclass(frozen=True)
class ModelName:
    """One model named in a headline."""

    start: int
    end: int
    name: str  # as displayed: "Claude 3.7 Sonnet", "DeepSeek-R1"
    org: str | None  # the family's organisation (None for a family the lexicon does not know)
    family: str  # the family as an identity part: "claude", "deepseek", "paligemma"
    version: str | None  # "3.7", "r1", "4o"; a size stands in for it in lines without versions ("8x22b")
    variants: tuple[str, ...] = ()
    checkpoint: str | None = None
    sizes: tuple[str, ...] = ()  # parameter counts named with it ("2b" of "Gemma 2 2B"): not part of its identity
    known: bool = True  # the family is in the lexicon
    versionless: bool = False  # the family has no versions (Codestral, DBRX): its name names a model
    role: str = "subject"  # subject, object, aside, product

    @property
    def identity(self) -> str:
        """What names the same model however written: ``family|version|variants|checkpoint``."""
        return "|".join((self.family, self.version or "", "+".join(self.variants), self.checkpoint or "")).rstrip("|")

    @property
    def line(self) -> str:
        """The family and version only (``claude|4`` for both Claude Opus 4 and Claude Sonnet 4)."""
        return f"{self.family}|{self.version or ''}".rstrip("|")

    @property
    def versioned(self) -> bool:
        """Named with a version, a variant or a checkpoint, not only by its family."""
        return bool(self.version or self.variants or self.checkpoint)

    @property
    def named(self) -> bool:
        """A model, not a line of models: ``Gemma 3``, ``Pixtral Large``, ``Codestral`` (not ``Gemma``)."""
        return self.known and (self.versioned or self.versionless)


@dataclass(frozen=True)
class _Grammar:
    starts: FirstCharIndex  # which families' names may begin at a word start
    product_after: re.Pattern
    object_before: re.Pattern
    unknown_versioned: re.Pattern
    code_id: re.Pattern
    lead: re.Pattern  # a headline's lead: up to three words, then "Name:" / "Name - "
    lead_parts: re.Pattern  # the names in a lead, split at + & ,


def _variants(family: lexicon.ModelFamily) -> str:
    words = sorted(set(family.variants) | set(lexicon.VARIANTS), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", "[ -]") for w in words)


def _items(family: lexicon.ModelFamily) -> str:
    """What may follow a family's name, as named groups: variant, size, checkpoint, version."""
    items = [rf"(?P<variant>{_variants(family)})", rf"(?P<size>{SIZE})", rf"(?P<checkpoint>{CHECKPOINT})"]
    if family.version:
        items.append(rf"(?P<version>{family.version})")
    return "|".join(items)


@lru_cache(maxsize=None)
def _family_pattern(family: lexicon.ModelFamily) -> re.Pattern:
    """``family (version)? (sep (variant|size|checkpoint|version))*``; the tail is parsed by :func:`_tail_items`."""
    glued = rf"(?:[ -]?(?P<version>(?:{family.version})(?![\d+]|\.\d)))?" if family.version else ""
    tail = re.sub(r"\(\?P<\w+>", "(?:", _items(family))
    return re.compile(rf"{_LEFT}(?P<family>{family.pattern}){glued}(?P<tail>(?:(?:[ /-]|(?<=\d))(?:{tail}){_END})*){_END}",
                      re.IGNORECASE)


@lru_cache(maxsize=None)
def _tail_items(family: lexicon.ModelFamily) -> re.Pattern:
    return re.compile(rf"(?:[ /-]|(?<=\d))(?:{_items(family)}){_END}", re.IGNORECASE)


@lru_cache(maxsize=None)
def _continuation(family: lexicon.ModelFamily) -> re.Pattern:
    """After a name: ``, 2.0 Pro``, ``and Sonnet 4``, ``& 3-mini``, ``with new Flash Lite``."""
    variant = f"(?:{_variants(family)})"
    version = f"(?:{family.version})" if family.version else None
    if version:
        body = rf"{version}(?:[ -]{variant})*|{variant}(?:[ -](?:{variant}|{version}))*"
    else:
        body = rf"{variant}(?:[ -]{variant})*"
    return re.compile(
        rf"(?: (?:GA|preview))?(?:,? and |,? & | ?\+ |, |/|,? with new |,? or )(?:new )?(?P<item>{body}){_END}",
        re.IGNORECASE,
    )


@lru_cache(maxsize=1)
def grammar() -> _Grammar:
    products = "|".join(lexicon.PRODUCT_WORDS)
    return _Grammar(
        starts=FirstCharIndex([f.pattern for f in lexicon.MODEL_FAMILIES]),
        product_after=re.compile(rf"(?:[ -](?:{products})(?![\w])|\.ai\b)", re.IGNORECASE),
        object_before=re.compile(rf"(?:^|[\s(])(?:{'|'.join(lexicon.OBJECT_MARKERS)})(?: (?:the|its|a|an|new|updated|latest|old|original))*[ -]?$",
                                 re.IGNORECASE),
        unknown_versioned=re.compile(r"(?P<name>[A-Z][A-Za-z]*(?:-[A-Z][A-Za-z]*)?)[ -]?(?P<version>[A-Z]?\d+(?:\.\d+)?)(?![\w%$.]|\.\d)"),
        code_id=re.compile(r"`(?P<name>[A-Za-z][\w.-]*[\d-][\w.-]*)`"),
        lead=re.compile(r"(?:(?:[A-Z][\w.]*|\$?\d\S*) ){0,3}?(?P<names>[^:]{2,60}?)(?::| - | -- )"),
        lead_parts=re.compile(r"[^+&,\s][^+&,]*"),
    )


def find_models(text: str, orgs: set[str] | frozenset[str] = frozenset()) -> list[ModelName]:
    """Model names in ``text`` (already :func:`~events.tagging.text.normalise`-d), in order, with roles.

    ``orgs`` are the organisations the headline names: a family that ``needs_org`` (a bare
    ``R1``) counts only when its organisation is among them. A name coordinated with the one
    before it (``DeepSeek-V2 and Llama3-405B``) shares its role.
    """
    g = grammar()
    found: list[ModelName] = []
    continued: set[int] = set()  # starts of names that continue the one before ("and Sonnet 4")
    for position, candidates in g.starts.at_word_starts(text):
        if found and position < found[-1].end:
            continue
        # the first family in lexicon order that reads a name here
        read = next(((i, n) for i in candidates if (n := _read(text, position, lexicon.MODEL_FAMILIES[i], orgs)) is not None), None)
        if read is None:
            continue
        index, name = read
        found.append(name)
        more = _continued(text, name, lexicon.MODEL_FAMILIES[index])
        continued.update(n.start for n in more)
        found.extend(more)
    found.extend(_unknown(text, found))
    found.sort(key=lambda m: m.start)
    with_roles: list[ModelName] = []
    for name in found:
        previous = with_roles[-1] if with_roles else None
        role = _role(text, name)
        if role != "product" and previous is not None and (
            name.start in continued or _COORDINATED.fullmatch(text[previous.end:name.start])
        ):
            role = previous.role if previous.role != "product" else role
        with_roles.append(replace(name, role=role))
    return with_roles


_COORDINATED = re.compile(r"\s*(?:,|and|&|\+|or|/)\s*(?:new\s)?", re.IGNORECASE)


def _read(text: str, at: int, family: lexicon.ModelFamily, orgs) -> ModelName | None:
    if family.needs_org and family.org not in orgs:
        return None
    match = _family_pattern(family).match(text, at)
    if match is None:
        return None
    version = match.group("version") if family.version else None
    variants: list[str] = []
    sizes: list[str] = []
    checkpoint = None
    end = match.end("family") if version is None else match.end("version")
    for part in _tail_items(family).finditer(text, match.start("tail"), match.end("tail")):
        if part.group("variant"):
            variants.append(_variant(part.group("variant")))
        elif part.group("size"):
            sizes.append(part.group("size").lower())
        elif part.group("checkpoint"):
            checkpoint = part.group("checkpoint").lower()
        elif version is None:
            version = part.group("version")
        else:
            break  # a second version starts another name ("Flash Thinking 2")
        end = part.end()
    if family.needs_more and not (version or variants or checkpoint or _parameter_size(sizes)):
        return None
    written = re.sub(r"\s+", " ", text[at:end]).strip()
    return ModelName(at, end, _display(family, written, text[match.end("family"):end]), family.org, _family_id(family, match.group("family")),
                     _version(version) or _parameter_size(sizes), tuple(sorted(set(variants))), checkpoint,
                     _parameter_sizes(sizes) if version else (), versionless=family.version is None)


def _family_id(family: lexicon.ModelFamily, written: str) -> str:
    """The family as written, reduced ("PaliGemma" and "CodeLlama" are lines of their own), or
    the family's name when nothing of it is written (a bare "R1" is DeepSeek's)."""
    return model_key(written) or model_key(family.name) or ""


def _version(version: str | None) -> str | None:
    if not version:
        return None
    value = version.lower().lstrip(".")
    return re.sub(r"\.0$", "", value)


def _variant(word: str) -> str:
    word = re.sub(r"[ -]+", "-", word.lower())
    return lexicon.VARIANT_SYNONYMS.get(word, word)


def _parameter_sizes(sizes: list[str]) -> tuple[str, ...]:
    """The parameter counts among sizes (``70b``, ``8x22b``; not the active ``a22b`` nor tokens)."""
    return tuple(dict.fromkeys(s for s in sizes if s.endswith("b") and not s.startswith("a")))


def _parameter_size(sizes: list[str]) -> str | None:
    """A parameter count names a model in lines without versions (``Mixtral 8x22B``, ``Pixtral 12B``)."""
    return next(iter(_parameter_sizes(sizes)), None)


def _continued(text: str, head: ModelName, family: lexicon.ModelFamily) -> list[ModelName]:
    """Names coordinated after ``head`` that leave its family (and version) unsaid: they share its role."""
    found: list[ModelName] = []
    end = head.end
    while (match := _continuation(family).match(text, end)) is not None:
        version, variants = None, []
        for part in _tail_items(family).finditer(text, match.start("item") - 1, match.end("item")):
            if part.group("variant"):
                variants.append(_variant(part.group("variant")))
            elif family.version and part.group("version") and version is None:
                version = part.group("version")
        rest = match.group("item") if version else f"{head.version or ''} {match.group('item')}".strip()
        display = _display(family, f"{_family_written(head, family)} {rest}".strip(), rest)
        found.append(ModelName(match.start("item"), match.end("item"), display, head.org, head.family,
                               _version(version) or head.version, tuple(sorted(set(variants))), None,
                               versionless=head.versionless))
        end = match.end("item")
    return found


def _display(family: lexicon.ModelFamily, written: str, rest: str) -> str:
    return family.display.format(written, rest=re.sub(r"\s+", " ", rest).strip(" -"))


def _family_written(name: ModelName, family: lexicon.ModelFamily) -> str:
    """The family as the first name wrote it: "Claude" of "Claude Opus 4", "GPT" of "GPT-5.1"
    ("" for a family written by its version alone, like a bare "R1")."""
    match = re.match(family.pattern, name.name, re.IGNORECASE)
    return match.group(0) if match else ""


def _unknown(text: str, known: list[ModelName]) -> list[ModelName]:
    """Names of families the lexicon does not know: a code-formatted id anywhere, a versioned
    proper name leading the headline (or each part of its lead, ``Bespoke-Stratos + Sky-T1:``)."""
    g = grammar()
    taken = [(m.start, m.end) for m in known]
    found = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for match in g.code_id.finditer(text):
        if free(match.start("name"), match.end("name")):
            found.append(_unknown_name(match.start("name"), match.end("name"), match.group("name"), None))
    lead = g.lead.match(text)
    begin, stop = (lead.start("names"), lead.end("names")) if lead else (0, len(text))
    for part in g.lead_parts.finditer(text, begin, stop):
        match = g.unknown_versioned.match(text, part.start())
        if match and match.end() <= stop and free(match.start(), match.end()):
            found.append(_unknown_name(match.start(), match.end(), match.group(0), match.group("version")))
        if lead is None:
            break  # without a "Name:" lead only the headline's first words are read
    return found


def _unknown_name(start: int, end: int, written: str, version: str | None) -> ModelName:
    family = written[: len(written) - len(version)] if version else written
    return ModelName(start, end, written, None, model_key(family) or written.lower(), _version(version), known=False)


def _role(text: str, name: ModelName) -> str:
    """The name's role from what surrounds it: an aside, a product, an object, else the subject."""
    g = grammar()
    before = text[: name.start]
    if before.count("(") + before.count("[") > before.count(")") + before.count("]"):
        return "aside"
    if g.product_after.match(text, name.end):
        return "product"
    if g.object_before.search(before) or re.match(r"-?level\b|-like\b", text[name.end:], re.IGNORECASE):
        return "object"
    return "subject"


def mentioned_models(title: str, orgs: set[str] | frozenset[str] = frozenset()) -> list[ModelName]:
    """:func:`find_models` on a raw title."""
    return find_models(normalise(title), orgs)
