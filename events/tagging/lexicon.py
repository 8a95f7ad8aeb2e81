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
    """A line of models. ``pattern`` matches a name; ``display`` formats group 1 (``{0}``)."""

    org: str
    pattern: str
    display: str = "{0}"
    #: A bare name (``R1``, ``V3``) counts only when the headline also names ``org``.
    needs_org: bool = False


ORGS: tuple[Org, ...] = (
    Org("OpenAI", (r"OpenAI", r"Open AI", r"ChatGPT[- ]maker", r"ChatGPT[- ]owner", r"ChatGPT creator")),
    Org("Anthropic", (r"Anthropic",)),
    Org("Google", (r"Google DeepMind", r"DeepMind", r"Google", r"Alphabet")),
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
    Org("Zhipu AI", (r"Zhipu(?: AI)?",)),
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
    # OpenAI
    ModelFamily("OpenAI", r"(GPT-?\d(?:\.\d)?(?:o| ?Turbo)?(?:[- ]mini|[- ]nano|[- ]pro)?)"),
    ModelFamily("OpenAI", r"(o[1345](?:-(?:preview|mini|pro))?(?: (?:mini|pro))?)"),
    ModelFamily("OpenAI", r"(Sora(?: \d)?|DALL-?E ?\d)"),
    # Anthropic
    ModelFamily("Anthropic", r"(Claude(?: \d(?:\.\d)?)?(?: (?:Opus|Sonnet|Haiku|Instant))?(?: \d(?:\.\d)?)?)"),
    # Google
    ModelFamily("Google", r"(Gemini(?: \d(?:\.\d)?)?(?: (?:Ultra|Pro|Flash-Lite|Flash|Nano|Deep Think))?(?: (?:Thinking|Experimental))?)"),
    ModelFamily("Google", r"(Gemma ?\d?|PaLM ?2|Veo ?\d|Imagen ?\d)"),
    # Meta
    ModelFamily("Meta", r"(Code Llama|Llama[- ]?\d(?:\.\d)?(?: (?:Scout|Maverick|Behemoth))?|LLaMA)"),
    # DeepSeek
    ModelFamily("DeepSeek", r"DeepSeek[- ]?((?:R|V)\d(?:\.\d)?(?:-Zero)?(?:-\d{4})?|Coder(?:[- ]V\d)?|Janus[- ]Pro|Prover(?:[- ]V\d)?|VL\d?|Math)", "DeepSeek-{0}"),
    ModelFamily("DeepSeek", r"((?:R|V)\d(?:\.\d)?(?:-Zero)?(?:-\d{4})?|Janus[- ]Pro)", "DeepSeek-{0}", needs_org=True),
    # Alibaba
    ModelFamily("Alibaba", r"(Qwen ?\d(?:\.\d)?(?:-(?:Max|VL|Coder|Omni|Plus|Turbo))?|QwQ(?:-\d+B)?|Qwen)"),
    # xAI
    ModelFamily("xAI", r"(Grok(?:[- ]\d(?:\.\d)?)?)"),
    # Mistral AI
    ModelFamily("Mistral AI", r"(Mistral (?:7B|Large(?: \d)?|Medium(?: \d)?|Small(?: \d)?|NeMo)|Mixtral(?: 8x\d+B)?|Codestral|Pixtral(?: Large)?|Magistral)"),
    # Moonshot AI
    ModelFamily("Moonshot AI", r"(Kimi(?: k\d(?:\.\d)?)?)"),
    # others
    ModelFamily("Microsoft", r"(Phi-\d(?:\.\d)?(?:-mini)?|MAI-\d)"),
    ModelFamily("Amazon", r"(Nova (?:Premier|Pro|Lite|Micro|Reel|Canvas)|Titan (?:Text|Image|Embeddings))"),
    ModelFamily("Amazon", r"(Nova)", needs_org=True),
    ModelFamily("NVIDIA", r"((?:Llama[- ])?Nemotron(?:-\d)?)"),
    ModelFamily("Apple", r"(OpenELM|Apple Foundation Models?)"),
    ModelFamily("IBM", r"(Granite(?: \d(?:\.\d)?)?)", needs_org=True),
    ModelFamily("Samsung", r"(Gauss ?\d?)", needs_org=True),
    ModelFamily("Adobe", r"(Firefly(?: Image)?(?: \d)?)", needs_org=True),
    ModelFamily("Databricks", r"(DBRX)"),
    ModelFamily("Snowflake", r"(Arctic)", needs_org=True),
    ModelFamily("AI21 Labs", r"(Jamba(?: \d(?:\.\d)?)?)"),
    ModelFamily("MiniMax", r"(MiniMax-\w+)"),
    ModelFamily("01.AI", r"(Yi-\w+)", needs_org=True),
    ModelFamily("Huawei", r"(Pangu(?: \d(?:\.\d)?)?)"),
    ModelFamily("iFlytek", r"(Spark(?: \d(?:\.\d)?| X\d))", needs_org=True),
    ModelFamily("Inflection AI", r"(Inflection-\d(?:\.\d)?)"),
    ModelFamily("Baidu", r"(Ernie(?: Bot| X?\d(?:\.\d)?)(?: Turbo)?)"),
    ModelFamily("Tencent", r"(Hunyuan(?:-\w+)?)"),
    ModelFamily("ByteDance", r"(Doubao(?:-\w+)?)"),
    ModelFamily("Zhipu AI", r"(GLM-\d(?:\.\d)?)"),
    ModelFamily("Cohere", r"(Command R\+?|Command A)"),
    ModelFamily("Stability AI", r"(Stable Diffusion(?: \d(?:\.\d)?)?)"),
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
    r"developers?", r"companies", r"startups?", r"firms?",
    r"(?-i:[A-Z0-9]{1,2})",  # a product's model designation: "new Model Y"
)

#: Said right after a model name, these make it a product brand: "Claude for Education", "Gemini app".
PRODUCT_SUFFIXES = (
    r"for (?:education|business|enterprise|government|work|teams|students|chrome|healthcare|nonprofits|edu)",
    r"apps?", r"assistant", r"gov", r"advanced", r"live", r"code assist", r"in (?:chrome|gmail|docs|search)",
    r"extension", r"chatbot app", r"subscription", r"glasses", r"phones?",
)
#: Said right before a model name, these make the model a component of what was launched.
COMPONENT_PREFIXES = (
    r"powered by", r"built (?:on|with)", r"based on", r"running", r"runs on", r"using", r"backed by", r"with",
    r"featuring", r"integrat(?:es|ing|ed)",
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
    r"doubts?", r"shock", r"stunned?", r"spooks?", r"spooked", r"rattles?", r"rattled", r"disrupts?",
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
    r"to unveil", r"weighs", r"mulls", r"considers?",
)
OTHER_STORY_WORDS = (
    r"bans?", r"banned", r"blocks?", r"blocked", r"probes?", r"investigat\w+", r"lawsuit", r"sues?", r"sued",
    r"hack(?:s|ed|ers)?", r"breach(?:es)?", r"jailbr[eo]ak\w*", r"security (?:flaw|hole|risk)s?", r"vulnerabilit\w+",
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
