"""The grammar of model names: family + version/size/variant, any spelling, any place, any role."""

from __future__ import annotations

import pytest

from events.tagging.model_names import mentioned_models
from events.tagging.novelty import same_model


def names(title: str, orgs: frozenset[str] = frozenset()) -> list[tuple[str, str, str]]:
    return [(m.name, m.identity, m.role) for m in mentioned_models(title, orgs)]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # headlines quoted in issue #14 (real AINews / Verge headlines the old rules missed)
        ("DeepSeek R1: o1-level open weights model", [("DeepSeek-R1", "deepseek|r1", "subject"), ("o1", "o|1", "object")]),
        ("Claude 3.7 Sonnet", [("Claude 3.7 Sonnet", "claude|3.7|sonnet", "subject")]),
        ("GPT 4.5 \u2014 Chonky Orion ships!", [("GPT 4.5", "gpt|4.5", "subject")]),
        ("Gemma 3 beats DeepSeek V3 in Elo", [("Gemma 3", "gemma|3", "subject"), ("DeepSeek-V3", "deepseek|v3", "object")]),
        ("Llama 4's Controversial Weekend Release", [("Llama 4", "llama|4", "subject")]),
        ("Anthropic launches the Model Context Protocol", []),
        # the forms the issue lists
        ("o3-mini", [("o3-mini", "o|3|mini", "subject")]),
        ("Qwen3-235B-A22B", [("Qwen3-235B-A22B", "qwen|3", "subject")]),
        ("DeepSeek-V3.1", [("DeepSeek-V3.1", "deepseek|v3.1", "subject")]),
        ("Llama 4 Scout and Maverick", [("Llama 4 Scout", "llama|4|scout", "subject"), ("Llama 4 Maverick", "llama|4|maverick", "subject")]),
        ("Claude Opus 4 and Sonnet 4", [("Claude Opus 4", "claude|4|opus", "subject"), ("Claude Sonnet 4", "claude|4|sonnet", "subject")]),
        ("Grok 3 & 3-mini now API Available", [("Grok 3", "grok|3", "subject"), ("Grok 3-mini", "grok|3|mini", "subject")]),
        ("DeepSeek-R1-0528 - SOTA Open Weights release", [("DeepSeek-R1-0528", "deepseek|r1||0528", "subject")]),
        ("Mixtral 8x22B Instruct", [("Mixtral 8x22B Instruct", "mixtral|8x22b|instruct", "subject")]),
        ("OpenAI Realtime API GA and new `gpt-realtime` model, 20% cheaper than 4o",
         [("gpt-realtime", "gptrealtime", "subject"), ("GPT-4o", "gpt|4o", "object")]),
    ],
)
def test_names_read_in_headlines(title, expected):
    assert names(title, frozenset({"DeepSeek"}) if "DeepSeek" in title else frozenset()) == expected


@pytest.mark.parametrize(
    "spellings",
    [
        ("GPT-4.5", "GPT 4.5", "gpt4.5", "GPT 4.5 is here"),
        ("Claude 3.7 Sonnet", "claude 3.7 sonnet", "Claude-3.7-Sonnet"),
        ("Claude Sonnet 4.5", "Claude 4.5 Sonnet"),
        ("Qwen3", "Qwen 3", "Qwen-3", "QWEN3"),
        ("Gemini 2.0 Flash", "Gemini 2 Flash", "gemini-2.0-flash"),
        ("DeepSeek R1", "DeepSeek-R1", "deepseek r1"),
        ("Gemini 2.5 Flash-Lite", "Gemini 2.5 Flash Lite"),
    ],
)
def test_spellings_and_casing_name_one_model(spellings):
    identities = {m.identity for title in spellings for m in mentioned_models(title)[:1]}
    assert len(identities) == 1, identities


def test_a_bare_r1_counts_only_when_deepseek_is_named():
    assert [m for m in mentioned_models("Rabbit R1 gadget review") if m.known] == []
    assert names("DeepSeek updates R1 and V3", frozenset({"DeepSeek"})) == [
        ("DeepSeek-R1", "deepseek|r1", "subject"), ("DeepSeek-V3", "deepseek|v3", "subject")]


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Genesis: Generative Physics Engine for Robotics (o1-2024-12-17)", "aside"),
        ("The Quiet Rise of Claude Code vs Codex", None),  # a product: no model named at all
        ("Anthropic Claude Sonnet 4.5, Claude Code 2.0, new VS Code Extensions", "subject"),
        ("Gemini's AlphaEvolve agent uses Gemini 2.0 to find new Math", "object"),
        ("Tencent's Hunyuan-Large claims to beat DeepSeek-V2 and Llama3-405B", "subject"),
        ("Cursor reaches >1000 tok/s finetuning Llama3-70b for fast file editing", "object"),
    ],
)
def test_roles(title, role):
    found = [m for m in mentioned_models(title) if m.known]
    if role is None:
        assert all(m.role == "product" for m in found), found
    else:
        assert found[0].role == role if role != "object" else found[-1].role == "object", found
    if title.startswith("Tencent"):
        assert [m.role for m in found] == ["subject", "object", "object"]  # coordinated with an object
    if title.startswith("Anthropic"):
        assert [m.role for m in found] == ["subject", "product"]


def test_names_the_lexicon_does_not_know():
    found = mentioned_models("Bespoke-Stratos + Sky-T1: The Vicuna+Alpaca moment for reasoning")
    assert [(m.name, m.known) for m in found] == [("Sky-T1", False)]
    assert [m.name for m in mentioned_models("Contextual Document Embeddings: `cde-small-v1`")] == ["cde-small-v1"]
    assert mentioned_models("Show HN: My weekend project, now 2.0") == []  # only a lead like "Name 2:" is read


def test_same_model_agreement():
    assert same_model("claude|4|opus", "claude|4|opus") == 2
    assert same_model("claude|4", "claude|4|opus") == 1  # "Claude 4" is the catalogue's Claude Opus 4 release
    assert same_model("deepseek|r1", "deepseek|r1||0528") == 1  # R1 named near R1-0528: the same line
    assert same_model("deepseek|r1||0528", "deepseek|r1") == 0  # the checkpoint is not the January release
    assert same_model("claude|2", "claude|2.1") == 0
    assert same_model("gemini|2|flash", "gemini|2|pro") == 0


def test_subjects_written_before_model_identities_still_agree():
    """Tagger events stored by earlier versions carry subjects like ``deepseekr1``: they still group."""
    from events.tagging.grouping import _subject_score

    assert _subject_score("model_release", "deepseek|r1", "deepseekr1") == 1
    assert _subject_score("model_release", "gemini|2|flash", "gemini20") is None  # "2" is not "2.0" in the old keys
    assert _subject_score("model_release", "claude|2", "claude21") is None
    assert _subject_score("model_release", "claude|4", "claude|4|opus;claude|4|sonnet") == 1
