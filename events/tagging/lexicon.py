"""The tagger's vocabulary: organisations, model families, and the phrases that signal a kind.

This module is data. To teach the tagger a new lab, add an :class:`Org`; a new model line, a
:class:`ModelFamily`; a new way of saying "released", a phrase in :data:`RELEASE_VERBS`. Patterns
are regular expressions matched case-insensitively on word boundaries against the headline after
:func:`events.tagging.text.normalise` (straight quotes, ``-`` for every dash).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Org:
    """An organisation: ``name`` as the catalogue writes it, and how headlines call it."""

    name: str
    aliases: tuple[str, ...]
    government: bool = False


@dataclass(frozen=True)
class ModelFamily:
    """A line of models and how headlines write its names (see :mod:`events.tagging.model_names`).

    A name is the family (``pattern``), then a version (``version``; ``None`` when the line has
    no version numbers, like Codestral), then any of: a variant (:data:`VARIANTS` or the
    family's own ``variants``), a size (``70B``, ``8x22B``, ``A22B``) or a dated checkpoint
    (``0528``). The version may also follow a variant (``Claude Sonnet 4.5``) and be glued to
    the family (``Qwen3``, ``GPT4o``).
    """

    org: str
    name: str  # the family's canonical name: "GPT", "Claude", "DeepSeek"
    pattern: str
    version: str | None = r"\d+(?:\.\d+)?"
    variants: tuple[str, ...] = ()
    #: How to write a name: ``{0}`` is the name as matched, ``{rest}`` what follows the family's
    #: name ("DeepSeek-{rest}" writes "DeepSeek R1" as "DeepSeek-R1"; a bare "R1" is "DeepSeek-{0}").
    display: str = "{0}"
    #: Counts only when the headline also names ``org`` (a bare ``R1`` or ``V3``).
    needs_org: bool = False
    #: The bare family name is not a model (Mistral the company, a composer): needs a version, variant or size.
    needs_more: bool = False


ORGS: tuple[Org, ...] = (
    Org("OpenAI", (r"OpenAI", r"Open AI", r"ChatGPT[- ]maker", r"ChatGPT[- ]owner", r"ChatGPT creator")),
    Org("Anthropic", (r"Anthropic",)),
    Org("Google", (r"Google DeepMind", r"DeepMind", r"GDM", r"Google", r"Alphabet")),
    Org("Meta", (r"Meta Platforms", r"Meta", r"Facebook[- ]parent", r"Facebook")),
    Org("Microsoft", (r"Microsoft",)),
    Org("DeepSeek", (r"DeepSeek",)),
    Org("Alibaba", (r"Alibaba Cloud", r"Alibaba", r"Qwen team")),
    Org("xAI", (r"xAI", r"X\.AI")),
    Org("Mistral AI", (r"Mistral AI", r"Mistral")),
    Org("Moonshot AI", (r"Moonshot AI", r"Moonshot")),
    Org("Baidu", (r"Baidu",)),
    Org("Tencent", (r"Tencent",)),
    Org("ByteDance", (r"ByteDance",)),
    Org("Zhipu AI", (r"Zhipu(?: AI)?", r"Z\.ai")),
    Org("Amazon", (r"Amazon Web Services", r"Amazon", r"AWS")),
    Org("Apple", (r"Apple",)),
    Org("NVIDIA", (r"Nvidia",)),
    Org("AMD", (r"AMD", r"Advanced Micro Devices")),
    Org("Broadcom", (r"Broadcom",)),
    Org("Intel", (r"Intel",)),
    Org("TSMC", (r"TSMC", r"Taiwan Semiconductor")),
    Org("Micron", (r"Micron",)),
    Org("ASML", (r"ASML",)),
    Org("Oracle", (r"Oracle",)),
    Org("SoftBank", (r"SoftBank",)),
    Org("Cohere", (r"Cohere",)),
    Org("Stability AI", (r"Stability AI",)),
    Org("Perplexity", (r"Perplexity",)),
    Org("Tesla", (r"Tesla",)),
    Org("IBM", (r"IBM",)),
    Org("Samsung", (r"Samsung Electronics", r"Samsung")),
    Org("Adobe", (r"Adobe",)),
    Org("Salesforce", (r"Salesforce",)),
    Org("Databricks", (r"Databricks",)),
    Org("Snowflake", (r"Snowflake",)),
    Org("AI21 Labs", (r"AI21 Labs", r"AI21")),
    Org("MiniMax", (r"MiniMax",)),
    Org("01.AI", (r"01\.AI",)),
    Org("Huawei", (r"Huawei",)),
    Org("iFlytek", (r"iFlytek",)),
    Org("Inflection AI", (r"Inflection AI", r"Inflection")),
    Org("Reka", (r"Reka AI", r"Reka")),
    Org("Character.AI", (r"Character\.AI",)),
    Org("Midjourney", (r"Midjourney",)),
    Org("Runway", (r"Runway",)),
    Org("Qualcomm", (r"Qualcomm",)),
    Org("Ai2", (r"Ai2", r"Allen Institute for AI", r"Allen AI")),
    Org("Hugging Face", (r"Hugging ?Face",)),
    Org("Black Forest Labs", (r"Black Forest Labs",)),
    Org("Kuaishou", (r"Kuaishou",)),
    Org("Kyutai", (r"Kyutai",)),
    Org("Prime Intellect", (r"Prime Intellect",)),
    Org("Cursor", (r"Cursor", r"Anysphere")),
    Org("Nous Research", (r"Nous Research", r"Nous")),
    Org("Liquid AI", (r"Liquid AI",)),
    Org("Luma AI", (r"Luma AI", r"Luma")),
    Org("Ideogram", (r"Ideogram",)),
    Org("Reve", (r"Reve",)),
    Org("Adept", (r"Adept",)),
    Org("StepFun", (r"StepFun",)),
    Org("Xiaomi", (r"Xiaomi",)),
    Org("Sakana AI", (r"Sakana(?: AI)?",)),
    Org("LG AI Research", (r"LG AI Research", r"LG")),
    Org("Arm", (r"Arm Holdings",)),
    Org("US Commerce (BIS)", (
        r"(?:U\.?S\.? )?Commerce Department", r"(?:U\.?S\.? )?Commerce Dept\.?", r"Department of Commerce",
        r"Bureau of Industry and Security", r"BIS", r"U\.?S\.? Commerce", r"(?-i:Commerce)",
    ), government=True),
    Org("US Government", (
        r"White House", r"Trump administration", r"Biden administration", r"Biden-Harris administration",
        r"President Trump", r"President Biden", r"Trump", r"Biden", r"Washington", r"Congress",
        r"U\.S\. government", r"US government", r"U\.S\.", r"US",
    ), government=True),
    Org("China (government)", (
        r"Beijing", r"China's commerce ministry", r"Chinese government", r"China",
    ), government=True),
    Org("EU", (r"European Commission", r"European Union", r"EU", r"Brussels"), government=True),
    Org("Netherlands (government)", (r"Dutch government", r"Netherlands"), government=True),
    Org("Japan (government)", (r"Japanese government", r"Japan"), government=True),
)

MODEL_FAMILIES: tuple[ModelFamily, ...] = (
    # OpenAI (a family is tried before the ones after it: "gpt-image-1" before "GPT")
    ModelFamily("OpenAI", "GPT-OSS", r"GPT-OSS", None),
    ModelFamily("OpenAI", "gpt-image", r"gpt-image", r"\d"),
    ModelFamily("OpenAI", "gpt-realtime", r"gpt-realtime", None),
    ModelFamily("OpenAI", "GPT", r"GPT", r"\d(?:\.\d)?(?:o(?![a-z]))?", ("turbo", "t", "codex", "codex-max", "codex-mini", "chat", "instant")),
    ModelFamily("OpenAI", "GPT", r"(?=4o(?!\w))", r"4o", display="GPT-{0}"),  # AI newsletters write GPT-4o as "4o"
    ModelFamily("OpenAI", "o", r"(?-i:o)(?=[1-9](?!\.?\d))", r"[1-9]", ("full",)),
    ModelFamily("OpenAI", "Sora", r"Sora", r"\d"),
    ModelFamily("OpenAI", "DALL-E", r"DALL-?E", r"\d"),
    ModelFamily("OpenAI", "Whisper", r"Whisper", r"v\d", needs_more=True),
    # Anthropic
    ModelFamily("Anthropic", "Claude", r"Claude", variants=("opus", "sonnet", "haiku", "instant")),
    # Google
    ModelFamily("Google", "Gemini", r"Gemini", variants=("ultra", "nano", "deep think", "deepthink", "diffusion", "robotics")),
    ModelFamily("Google", "Gemma", r"(?:Pali|Code|Recurrent|Med|Shield|Embedding|Data|T5|Vault)?Gemma"),
    ModelFamily("Google", "Veo", r"Veo", r"\d(?:\.\d)?", needs_more=True),
    ModelFamily("Google", "Imagen", r"Imagen", r"\d", needs_more=True),
    ModelFamily("Google", "PaLM", r"PaLM", r"\d"),
    ModelFamily("Google", "Nano Banana", r"Nano Banana", None),
    ModelFamily("Google", "Genie", r"Genie", r"\d", needs_more=True),
    ModelFamily("Google", "Lyria", r"Lyria", r"\d"),
    # Meta
    ModelFamily("Meta", "Code Llama", r"Code ?Llama", None),
    ModelFamily("NVIDIA", "Nemotron", r"(?:Llama[- ])?Nemotron", r"\d", ("nano", "super", "ultra")),
    ModelFamily("Meta", "Llama", r"Llama", variants=("scout", "maverick", "behemoth", "guard", "vision")),
    ModelFamily("Meta", "Chameleon", r"Chameleon", None, needs_org=True),
    ModelFamily("Meta", "Segment Anything", r"Segment Anything(?: Model)?|SAM(?= ?\d)", r"\d"),
    ModelFamily("Meta", "Movie Gen", r"Movie Gen", None),
    ModelFamily("Meta", "V-JEPA", r"V-JEPA", r"\d"),
    ModelFamily("Meta", "SpiRit-LM", r"SpiRit-LM", None),
    # DeepSeek
    ModelFamily("DeepSeek", "DeepSeek", r"DeepSeek", r"[RV]\d+(?:\.\d+)?", ("zero", "coder", "prover", "math", "vl", "vl2", "lite", "chat", "exp", "terminus", "ocr"),
                display="DeepSeek-{rest}", needs_more=True),
    ModelFamily("DeepSeek", "DeepSeek", r"(?=[RV]\d)", r"[RV]\d+(?:\.\d+)?", ("zero",), display="DeepSeek-{0}", needs_org=True),
    ModelFamily("DeepSeek", "Janus", r"Janus", None, needs_org=True),
    # Alibaba
    ModelFamily("Alibaba", "QwQ", r"QwQ", None),
    ModelFamily("Alibaba", "QVQ", r"QVQ", None),
    ModelFamily("Alibaba", "Qwen", r"Qwen", variants=("max", "plus", "coder", "vl", "omni", "audio", "math", "image", "next", "turbo", "long")),
    ModelFamily("Alibaba", "Wan", r"Wan", r"\d\.\d", needs_more=True),
    # xAI
    ModelFamily("xAI", "Grok", r"Grok", variants=("heavy", "code", "vision")),
    # Mistral AI
    ModelFamily("Mistral AI", "Mistral", r"Mistral", variants=("nemo", "saba", "ocr", "tiny"), needs_more=True),
    ModelFamily("Mistral AI", "Mixtral", r"Mixtral", None),
    ModelFamily("Mistral AI", "Codestral", r"Codestral", None),
    ModelFamily("Mistral AI", "Pixtral", r"Pixtral", None),
    ModelFamily("Mistral AI", "Ministral", r"Ministral", None),
    ModelFamily("Mistral AI", "Magistral", r"Magistral", None),
    ModelFamily("Mistral AI", "Devstral", r"Devstral"),
    ModelFamily("Mistral AI", "Voxtral", r"Voxtral", None),
    ModelFamily("Mistral AI", "Mathstral", r"Mathstral", None),
    ModelFamily("Mistral AI", "Miqu", r"Miqu", None),
    # Chinese labs
    ModelFamily("Moonshot AI", "Kimi", r"Kimi", r"[KkV]\d+(?:\.\d+)?", ("dev", "linear", "vl", "thinking", "researcher")),
    ModelFamily("MiniMax", "MiniMax", r"MiniMax", r"(?:M|Text-|VL-)?\d+", needs_more=True),
    ModelFamily("MiniMax", "Hailuo", r"Hailuo", r"\d+"),
    ModelFamily("Zhipu AI", "GLM", r"(?:Chat)?GLM", r"\d+(?:\.\d+)?", ("air", "v", "flash")),
    ModelFamily("Zhipu AI", "CogVideoX", r"CogVideoX|CogView", None),
    ModelFamily("Tencent", "Hunyuan", r"Hunyuan", r"T\d", ("large", "video", "image", "3d")),
    ModelFamily("ByteDance", "Doubao", r"Doubao", r"\d(?:\.\d)?"),
    ModelFamily("ByteDance", "Seed", r"Seed(?:-OSS|ream|ance)", r"\d(?:\.\d)?"),
    ModelFamily("ByteDance", "UI-TARS", r"UI-TARS", r"\d(?:\.\d)?"),
    ModelFamily("Baidu", "Ernie", r"Ernie", r"X?\d(?:\.\d)?", ("bot",)),
    ModelFamily("Huawei", "Pangu", r"Pangu", needs_more=True),
    ModelFamily("iFlytek", "Spark", r"Spark", r"X?\d(?:\.\d)?", needs_org=True, needs_more=True),
    ModelFamily("StepFun", "Step", r"Step", r"\d", needs_org=True, needs_more=True),
    ModelFamily("Xiaomi", "MiMo", r"MiMo", None),
    ModelFamily("01.AI", "Yi", r"Yi(?=-)", None, ("lightning", "coder", "vision")),
    # others
    ModelFamily("Microsoft", "Phi", r"Phi", variants=("medium", "reasoning", "multimodal", "moe"), needs_more=True),
    ModelFamily("Microsoft", "Orca", r"Orca", needs_more=True),
    ModelFamily("Microsoft", "MAI", r"MAI", r"\d", ("voice", "image"), needs_more=True),
    ModelFamily("NVIDIA", "Minitron", r"Minitron", None),
    ModelFamily("NVIDIA", "Cosmos", r"Cosmos", None, needs_org=True),
    ModelFamily("Amazon", "Nova", r"Nova", variants=("premier", "micro", "reel", "canvas", "sonic", "act"), needs_more=True),
    ModelFamily("Amazon", "Titan", r"Titan", None, ("text", "embeddings"), needs_org=True, needs_more=True),
    ModelFamily("Apple", "OpenELM", r"OpenELM", None),
    ModelFamily("Apple", "MM1", r"MM1", None),
    ModelFamily("Apple", "Apple Foundation Model", r"Apple Foundation Models?", None),
    ModelFamily("IBM", "Granite", r"Granite", needs_more=True),
    ModelFamily("Cohere", "Command", r"Command", r"R7B|R\+?|A", ("reasoning", "vision", "translate")),
    ModelFamily("Cohere", "Aya", r"Aya", variants=("expanse", "vision"), needs_more=True),
    ModelFamily("AI21 Labs", "Jamba", r"Jamba"),
    ModelFamily("Ai2", "OLMo", r"OLMo(?:E)?"),
    ModelFamily("Ai2", "Tulu", r"T(?:u|ü)lu"),
    ModelFamily("Ai2", "Molmo", r"Molmo", None),
    ModelFamily("Hugging Face", "SmolLM", r"Smol(?:LM|VLM)"),
    ModelFamily("Black Forest Labs", "FLUX", r"FLUX", r"\.?\d", ("kontext", "schnell", "dev", "klein")),
    ModelFamily("Stability AI", "Stable Diffusion", r"Stable Diffusion|SDXL", variants=("turbo",)),
    ModelFamily("Stability AI", "Stable Video", r"Stable (?:Video|Audio|LM)", variants=("diffusion",)),
    ModelFamily("Kuaishou", "Kling", r"Kling"),
    ModelFamily("Runway", "Gen", r"Gen(?=-\d)", r"\d", ("alpha",), needs_org=False),
    ModelFamily("Luma AI", "Dream Machine", r"Dream Machine|Ray(?=\d)", r"\d?"),
    ModelFamily("Midjourney", "Midjourney", r"Midjourney", r"[Vv]\d(?:\.\d)?", needs_more=True),
    ModelFamily("Ideogram", "Ideogram", r"Ideogram", needs_more=True),
    ModelFamily("Adept", "Fuyu", r"Fuyu", None, ("heavy",)),
    ModelFamily("Inflection AI", "Inflection", r"Inflection(?=-\d)"),
    ModelFamily("Reka", "Reka", r"Reka", variants=("core", "edge"), needs_more=True),
    ModelFamily("Databricks", "DBRX", r"DBRX", None),
    ModelFamily("Snowflake", "Arctic", r"Arctic", None, ("embed",), needs_org=True),
    ModelFamily("Liquid AI", "LFM", r"LFM|Liquid Foundation Models?"),
    ModelFamily("Nous Research", "Hermes", r"Hermes", needs_more=True),
    ModelFamily("Kyutai", "Moshi", r"Moshi|Hibiki", None),
    ModelFamily("Prime Intellect", "INTELLECT", r"INTELLECT(?=-\d)"),
    ModelFamily("Cursor", "Composer", r"Composer", needs_more=True),
    ModelFamily("Reve", "Reve Image", r"Reve Image", None),
    ModelFamily("Perplexity", "Sonar", r"Sonar", None, ("reasoning", "deep research"), needs_org=True),
    ModelFamily("Samsung", "Gauss", r"Gauss", needs_org=True),
    ModelFamily("Adobe", "Firefly", r"Firefly", variants=("image", "video"), needs_org=True),
    ModelFamily("LG AI Research", "EXAONE", r"EXAONE"),
)

#: Variants any family may have (after the family's own): tiers, modes, checkpoints' labels.
VARIANTS = (
    "mini", "nano", "micro", "pro", "max", "plus", "turbo", "ultra", "lite", "flash-lite", "flash lite", "flash",
    "large", "medium", "small", "base", "instruct", "preview", "experimental", "exp", "thinking", "vision", "omni",
    "coder", "next", "zero", "fast", "heavy", "image", "realtime", "audio",
)
#: After a family name these are not its version or variant but a product: "Claude Code", "Gemini Live".
PRODUCT_WORDS = (
    r"code(?! ?llama)", r"live", r"advanced", r"apps?", r"assistant", r"gov", r"canvas", r"artifacts", r"projects",
    r"skills", r"voice(?: mode)?", r"deep research", r"agent", r"browser", r"extension", r"enterprise", r"edu",
    r"for (?:education|business|enterprise|government|work|teams|students|chrome|healthcare|nonprofits|edu)",
    r"in (?:chrome|gmail|docs|search|workspace)", r"subscription", r"glasses", r"phones?", r"chatbot app",
)

#: Spellings of one variant.
VARIANT_SYNONYMS = {"exp": "experimental", "deepthink": "deep-think", "t": "turbo"}
#: Said right before a model name, these make it what the headline's subject compares itself with,
#: uses or acts on, not the subject: "beats Llama 3.2", "cheaper than 4o", "uses Gemini 2.0".
OBJECT_MARKERS = (
    r"beats?", r"beating", r"vs\.?", r"versus", r"than", r"match(?:es|ing)?", r"nears?", r"rivals?", r"rivaling",
    r"like", r"over", r"against", r"takes on", r"after", r"dethrones?", r"outperforms?", r"surpass(?:es|ing)?",
    r"tops", r"reproduces?", r"reproducing", r"replaces?", r"replacing", r"fine-?tun\w*", r"distill\w*", r"from",
    r"of", r"to", r"at", r"on", r"for", r"in", r"into", r"inside", r"via", r"with", r"using", r"uses", r"use",
    r"powered by", r"built (?:on|with)", r"based on", r"runs?", r"running", r"trained on", r"behind", r"trails?",
    r"challenges?", r"catch(?:es)? up (?:to|with)", r"on par with", r"comparable to", r"equal to", r"about", r"around",
    r"crush(?:es|ed)?", r"destroys?", r"destroyed", r"hosts?", r"adds?", r"brings?", r"integrat(?:es?|ing|ed)",
    r"backed by", r"featuring",
)

#: Words that make an unnamed thing a model: "a new reasoning model", "open-source AI model".
MODEL_NOUNS = (
    r"(?:AI|A\.I\.|language|reasoning|frontier|foundation|open[- ]source|open[- ]weights?|multimodal|flagship|"
    r"video|image|coding|chatbot|generative AI|generative|LLM)?\s?(?:models?|LLMs?)"
)

#: "new AI model" is not a model when a product noun follows: "AI model training platform".
NOT_MODEL_FOLLOWERS = (
    r"training", r"platform", r"chips?", r"servers?", r"hardware", r"infrastructure", r"marketplace",
    r"store", r"hub", r"tools?", r"service", r"safety", r"rules?", r"law", r"bill", r"policy", r"makers?",
    r"developers?", r"companies", r"startups?", r"firms?", r"context", r"protocol", r"spec(?:ification)?", r"cards?",
    r"(?-i:[A-Z0-9]{1,2})",  # a product's model designation: "new Model Y"
)

#: The subject did it: org or model *then* one of these.
RELEASE_VERBS = (
    r"releases?", r"released", r"launch(?:es|ed)?", r"unveils?", r"unveiled", r"introduces?", r"introduced",
    r"debuts?", r"debuted", r"rolls? out", r"rolled out", r"announces?", r"announced", r"open[- ]sources?",
    r"open[- ]sourced", r"ships?", r"shipped", r"drops", r"dropped", r"reveals?", r"revealed", r"previews?",
    r"previewed", r"unwraps?", r"takes the wraps off", r"lifts the lid on", r"makes? .{0,40}available",
    r"publishes", r"published", r"upgrades?", r"updates?", r"updated",
    r"is releasing", r"is launching", r"has released", r"has launched", r"pushes out",
)
#: Besides the release verbs, what an organisation does with a model (hosts, offers, uses it) or
#: says of it: done by another organisation than the model's, the story is not the release.
ACTING_VERBS = (
    r"makes", r"adds?", r"brings?", r"offers?", r"hosts?", r"integrates?", r"deploys?", r"uses?", r"taps?", r"picks?",
    r"licenses?", r"puts?", r"supports?", r"serves?", r"says", r"said", r"calls", r"praises?", r"slams?",
)
#: The model did it: "<model> arrives", "<model> is here".
ARRIVAL_PHRASES = (
    r"is here", r"is out", r"is live", r"goes live", r"arrives?", r"lands?", r"debuts?", r"launch(?:es|ed)",
    r"released", r"rolls? out", r"now available", r"is now available", r"becomes available", r"available now",
    r"is now open", r"goes open[- ]source", r"open[- ]sourced", r"officially launches",
    r"(?:is )?now generally available", r"(?:is )?generally available", r"hits general availability",
)
#: Headline openers that announce: "Introducing GPT-4o".
ANNOUNCING_OPENERS = (r"introducing", r"meet", r"announcing", r"say hello to", r"hello")

#: Story types that mention a model without being its release.
MARKET_WORDS = (
    r"stocks?", r"shares", r"shareholders", r"investors?", r"market (?:cap|value)", r"market[- ]value",
    r"sell-?off", r"rout", r"plunges?", r"plunged", r"plunging", r"tumbles?", r"tumbled", r"slumps?", r"slumped",
    r"sinks?", r"sank", r"soars?", r"soared", r"rall(?:y|ies|ied)", r"wipes? out", r"wiped", r"erases?",
    r"nasdaq", r"s&p(?: 500)?", r"dow", r"wall street", r"futures", r"trading", r"traders",
    r"premarket", r"pre-market", r"bull(?:ish)?", r"bear(?:ish)?", r"price target", r"downgrades?",
    r"upgrades? .{0,20}(?:stock|shares|to buy|rating)", r"buy rating", r"rebounds?", r"slides?", r"slid",
    r"drops? \d", r"falls?", r"fell", r"jumps?", r"jumped", r"surges?", r"surged", r"gains?", r"climbs?",
    r"selling", r"panic", r"crash(?:es|ed)?", r"hit to", r"hits? (?:chip|tech|ai|nvidia)",
)
OPINION_WORDS = (
    r"opinion", r"op-ed", r"column", r"commentary", r"analysis", r"editorial", r"review", r"hands[- ]on",
    r"first look", r"tested", r"i tried", r"we tried", r"i asked", r"we asked", r"vs\.?", r"versus",
    r"compared", r"comparison", r"showdown", r"head[- ]to[- ]head", r"explained", r"explainer",
    r"what (?:you|to) (?:need to )?know", r"everything (?:you need to know|we know)", r"all you need to know",
    r"here's", r"heres", r"here is", r"means? for", r"implications?", r"lessons?", r"takeaways?",
    r"threat", r"bubble", r"hype", r"overhyped", r"myth", r"debate", r"fears?", r"worr(?:y|ies|ied)",
    r"warns?", r"critics?", r"guide", r"tutorial", r"tips", r"how to", r"ways to", r"things to",
    r"podcast", r"newsletter", r"recap", r"roundup", r"week in", r"the week", r"this week in", r"moment",
    r"sputnik", r"wake-?up call", r"reckoning", r"lesson", r"rethink", r"questions?", r"skeptic(?:s|al)?",
    r"doubts?", r"shock(?:s|ed|ing)?", r"stun(?:s|ned|ning)?", r"spooks?", r"spooked", r"rattles?", r"rattled", r"disrupts?",
    r"changes everything", r"game[- ]changer", r"copied", r"distill(?:ed|ation)", r"accuses?", r"accused",
    r"after .{0,40}(?:launch|release|debut)", r"following .{0,40}(?:launch|release|debut)",
    r"amid .{0,40}(?:launch|release|debut)", r"as .{0,40}(?:launch|release|debut)", r"in wake of", r"on .{0,30}(?:launch|release) news",
    r"reaction", r"responds?", r"response", r"slams?", r"criticizes?", r"denies", r"denied",
    r"(?:analysts?|experts?|executives?|investors?|researchers?|critics?) (?:say|said|says)",
)
RUMOUR_WORDS = (
    r"reportedly", r"rumou?rs?", r"rumou?red", r"leaks?", r"leaked", r"plans? to", r"planning", r"set to",
    r"expected to", r"could", r"may (?:be|have|soon|launch|release|unveil|debut|get|come)", r"might",
    r"will (?:release|launch|unveil|ship|debut|be)", r"poised to", r"says? .{0,40}(?:will|coming|soon|next)",
    r"preparing", r"prepares", r"gearing up", r"in talks", r"teases?", r"teased", r"hints?", r"hinted",
    r"delays?", r"delayed", r"postpones?", r"postponed", r"coming soon", r"on the way", r"next (?:week|month)",
    r"sources say", r"report says", r"according to (?:a )?(?:report|sources)", r"to release", r"to launch",
    r"to unveil", r"weighs", r"mulls", r"considers?", r"soon",
)
OTHER_STORY_WORDS = (
    r"bans?", r"banned", r"blocks?", r"blocked", r"probes?", r"investigat\w+", r"lawsuit", r"sues?", r"sued",
    r"hack(?:s|ed|ers)?", r"breach(?:es)?", r"jailbr(?:eak|oke)\w*", r"security (?:flaw|hole|risk)s?", r"vulnerabilit\w+",
    r"privacy", r"censor\w*", r"outage", r"down for", r"exposed", r"data leak", r"restrict\w*", r"prohibit\w*",
    r"regulators?", r"watchdog", r"safety (?:test|concern)s?", r"misuse", r"deepfakes?", r"hallucinat\w+",
    r"benchmarks? (?:show|reveal)", r"tops? (?:the )?(?:app store|charts?|leaderboard|chatbot arena)",
    r"downloads", r"app store", r"pricing", r"price cut", r"cuts? (?:api )?prices?", r"hires?", r"hired",
    r"poach\w*", r"resigns?", r"departs?", r"talent", r"layoffs?", r"backlash", r"pauses?", r"paused",
    r"voice mode", r"features?", r"papers?", r"system card", r"study", r"studies",
)
#: Third-party platforms: "R1 now available on Azure" is Microsoft's news, not DeepSeek's release.
PLATFORMS = (
    r"Azure(?: AI Foundry)?", r"(?:Amazon )?Bedrock", r"SageMaker", r"AWS", r"Vertex AI", r"Google Cloud",
    r"Snowflake", r"Databricks", r"watsonx", r"Copilot", r"GitHub", r"Perplexity", r"Cerebras", r"Groq",
    r"Together AI", r"Fireworks", r"Nvidia NIM", r"NIM", r"Ollama", r"Poe", r"Hugging Chat", r"Siri",
    r"iPhone", r"Windows", r"Office", r"Teams", r"Slack", r"Salesforce", r"ServiceNow",
)

#: Words that say a name is a model, or describe one as it is introduced.
MODEL_WORDS = (
    r"models?", r"LLMs?", r"VLMs?", r"SLMs?", r"open[- ]weights?", r"weights", r"open[- ]source[ds]?", r"fully open",
    r"open model", r"SOTA", r"state[- ]of[- ]the[- ]art", r"frontier", r"MoE", r"params", r"parameters",
    r"checkpoints?", r"reasoning", r"multimodal", r"embeddings?", r"(?:\d+(?:\.\d+)?|\d+x\d+)[BT](?: params)?",
)
#: Words that introduce something as new.
NEW_WORDS = (r"new", r"newest", r"latest", r"next-gen", r"next generation", r"debut", r"first")
#: Availability: a model reaching users.
AVAILABILITY_WORDS = (
    r"GA", r"generally available", r"general availability", r"(?:now |is )?available", r"in preview", r"preview",
    r"API", r"beta", r"rolling out", r"rolls? out", r"for developers", r"open to all", r"free tier",
)
#: How a new model is shown off: results against others.
BENCHMARK_WORDS = (
    r"beats?", r"tops", r"#1", r"No\. ?1", r"matches", r"outperforms?", r"surpass(?:es)?", r"dethrones?", r"rivals?",
    r"SOTA", r"Elo", r"Arena", r"MMLU", r"GPQA", r"AIME", r"HumanEval", r"SWE-?bench", r"ARC-AGI", r"leaderboard",
    r"\d+(?:\.\d+)?% on", r"-level", r"smartest", r"most (?:capable|powerful|intelligent|advanced)",
)
#: What headlines say about a model that is not its release (beyond the story-type vetoes).
NOT_RELEASE_WORDS = (
    r"AMA", r"learnings", r"A/B test", r"vibe check", r"unreleased", r"train(?:ed)? on test", r"price cut",
    r"price war", r"cheaper", r"deprecat\w+", r"sunset", r"retir(?:es|ed|ing)", r"shuts? down", r"RIP", r"system prompt",
)
#: Publishers by the kind of news they carry. A newsletter's headline is its top story of the day
#: (often a release); market press writes about stocks, so a model named there is rarely released there.
PUBLISHER_KINDS: dict[str, tuple[str, ...]] = {
    "AI newsletter": (r"AINews", r"smol\.ai", r"Latent Space", r"Import AI", r"The Batch", r"TLDR AI", r"Ben's Bites",
                      r"The Rundown", r"Interconnects", r"Simon Willison"),
    "market press": (r"ETF Daily News", r"Investopedia", r"Motley Fool", r"Benzinga", r"Zacks", r"Yahoo Finance",
                     r"Seeking Alpha", r"MarketWatch", r"Barron's", r"TheStreet", r"GlobeNewswire", r"Business Wire",
                     r"PR Newswire", r"CoinDesk", r"Decrypt", r"Kiplinger", r"InvestorPlace", r"Insider Monkey",
                     r"GuruFocus", r"MarketBeat", r"Simply Wall St", r"Investor's Business Daily"),
}

#: Policy: a government measure on chips/AI trade. Topic -> phrases.
POLICY_TOPICS: dict[str, tuple[str, ...]] = {
    "chip export controls": (
        r"export (?:controls?|curbs?|restrictions?|rules?|bans?|limits?|licen[cs]es?|licen[cs]e requirements?)",
        r"chip (?:curbs?|controls?|restrictions?|rules?|bans?|export \w+)", r"entity list", r"foreign direct product rule",
        r"ai diffusion (?:rule|framework)", r"diffusion rule", r"licen[cs]e requirements?", r"h20 (?:licen[cs]e|ban)",
        r"bans? (?:sales|exports?) of", r"(?:gallium|germanium|antimony|rare earths?) exports?",
        r"(?:curbs?|restrictions?|controls?) on (?:ai )?chips?", r"(?:curbs?|restrictions?|controls?) on (?:chip|semiconductor|hbm)",
        r"(?:ai )?(?:chip|semiconductor) exports?", r"exports? of (?:gallium|germanium|antimony|rare earths?|graphite)",
        r"rules? on .{0,30}chip exports?", r"exports? of (?:chipmaking|chip-making|semiconductor|lithography) (?:equipment|tools|machines|gear)",
    ),
    "tariffs": (
        r"tariffs?", r"import (?:duties|taxes)", r"section 232", r"reciprocal (?:tariffs?|duties)",
        r"liberation day",
    ),
    "chip subsidies": (r"chips act", r"chip subsid(?:y|ies)", r"semiconductor subsid(?:y|ies)"),
}
#: A government did something (needed with a policy topic).
POLICY_ACTIONS = (
    r"announces?", r"announced", r"unveils?", r"unveiled", r"imposes?", r"imposed", r"issues?", r"issued",
    r"tightens?", r"tightened", r"expands?", r"expanded", r"restricts?", r"bans?", r"banned", r"rolls? out",
    r"finali[sz]es?", r"finali[sz]ed", r"rescinds?", r"rescinded", r"scraps?", r"scrapped", r"new", r"sets?",
    r"slaps?", r"hikes?", r"raises?", r"levies", r"levy", r"adds?", r"added", r"blacklists?", r"blacklisted",
    r"orders?", r"ordered", r"requires?", r"required", r"informs?", r"informed", r"tells?", r"told",
    r"signs?", r"signed", r"pauses?", r"paused", r"lifts?", r"lifted", r"exempts?", r"exempted", r"retaliates?",
    r"hits? back", r"strikes? back", r"curbs", r"targets?", r"targeted", r"goes into effect", r"takes? effect",
    r"will (?:impose|require|ban|restrict)", r"to (?:impose|require|ban|restrict|tighten|curb)", r"says .{0,30}coming",
)

#: Earnings: periodic results.
EARNINGS_PHRASES = (
    r"earnings", r"(?:quarterly|annual|q[1-4]|(?:first|second|third|fourth)[- ]quarter|fiscal) (?:results|revenue|profit|sales|earnings|loss)",
    r"results (?:beat|top|miss|exceed)", r"(?:beats?|tops|misses|exceeds?) (?:\w+ )?(?:estimates|expectations|forecasts|views|consensus)",
    r"record (?:quarterly )?(?:revenue|profit|sales)", r"(?:raises|lifts|cuts|lowers|boosts) (?:its )?(?:annual )?(?:forecast|guidance|outlook)",
    r"(?:upbeat|strong|weak|disappointing|downbeat|rosy|gloomy) (?:\w+ )?(?:forecast|guidance|outlook|results)",
    r"forecasts? (?:first|second|third|fourth)[- ]quarter", r"(?:revenue|profit|sales) (?:beats?|misses|tops|jumps|soars|rises|surges|falls|slumps)",
)
EARNINGS_PREVIEW = (
    r"what to expect", r"ahead of", r"preview", r"to report", r"will report", r"set to report",
    r"expected to report", r"earnings (?:date|call) (?:set|scheduled)", r"before (?:its |the )?(?:earnings|results)",
    r"earnings season", r"into earnings", r"earnings week",
)

#: Funding or capital expenditure: money committed to AI.
FUNDING_PHRASES = (
    r"raises? \$", r"raised \$", r"funding(?: round)?", r"series [a-f]\b", r"investment", r"invests?", r"invest",
    r"capex", r"capital (?:expenditures?|spending)", r"to spend", r"spending", r"spend", r"data cent(?:er|re)s?",
    r"infrastructure", r"stargate", r"joint venture", r"venture", r"supercomputer", r"gigawatts?", r"compute deal",
)
MONEY = r"[$€£] ?\d+(?:\.\d+)?\s?(?:billion|bn|b|trillion|tn|million|mn|m)\b|\d+(?:\.\d+)? ?(?:billion|trillion) (?:dollars|usd|yuan|euros?)"
NAMED_PROJECTS = (r"Stargate", r"Project Rainier", r"Colossus", r"Hyperion", r"Prometheus")
