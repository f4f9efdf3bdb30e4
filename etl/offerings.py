"""Shared pieces of the provider-offering sources (LiteLLM, OpenRouter): provider names, provider
model-name clean-up, price conversion. Pure functions.

Provider model names carry *settings*, not models: a provider route prefix (``groq/``,
``together_ai/meta-llama/...``, ``accounts/fireworks/models/``), a region prefix (``us.``), a
quantisation suffix (``-fp8``) or a tier (``:free``, ``-maas``, ``-turbo``). ``candidates`` peels an
explicit list of those off, one at a time, and hands every intermediate spelling to the matcher;
nothing is matched by prefix or similarity, so an unknown name stays unmatched.
"""
from __future__ import annotations

import re

from etl.parsing import finite_number, integer

PROVIDER_NAMES = {
    "groq": "Groq", "fireworks_ai": "Fireworks", "together_ai": "Together", "deepinfra": "DeepInfra",
    "bedrock": "AWS Bedrock", "bedrock_converse": "AWS Bedrock", "vertex_ai": "Google Vertex AI",
    "azure_ai": "Azure AI Foundry", "azure": "Azure OpenAI", "oci": "Oracle OCI", "sambanova": "SambaNova",
    "lambda_ai": "Lambda", "cloudflare": "Cloudflare", "novita": "Novita", "nscale": "Nscale",
    "wandb": "W&B Inference", "vercel_ai_gateway": "Vercel AI Gateway", "meta_llama": "Meta Llama API",
    "openrouter": "OpenRouter", "gemini": "Google AI Studio", "deepseek": "DeepSeek", "databricks": "Databricks",
    "snowflake": "Snowflake", "watsonx": "IBM watsonx", "cerebras": "Cerebras", "hyperbolic": "Hyperbolic",
    "nebius": "Nebius", "featherless_ai": "Featherless", "dashscope": "Alibaba DashScope",
    "ollama": "Ollama", "perplexity": "Perplexity", "replicate": "Replicate", "sagemaker": "AWS SageMaker",
    "friendliai": "FriendliAI", "github": "GitHub Models", "huggingface": "Hugging Face", "ai21": "AI21",
    "cohere": "Cohere", "mistral": "Mistral", "anyscale": "Anyscale", "cloudrift": "CloudRift",
    "baseten": "Baseten", "parasail": "Parasail", "moonshot": "Moonshot", "xai": "xAI", "v0": "v0",
    "heroku": "Heroku", "ovhcloud": "OVHcloud", "lemonade": "Lemonade", "llamagate": "LlamaGate",
    "gradient_ai": "DigitalOcean Gradient", "morph": "Morph", "nvidia_nim": "NVIDIA NIM",
    "volcengine": "Volcengine", "scaleway": "Scaleway", "datarobot": "DataRobot", "publicai": "PublicAI",
}

# models we cover; everything else in a provider catalogue is out of scope (not "unmatched")
FAMILY_HINT = re.compile(r"llama|qwen|qwq|deepseek|gemma|gemini", re.I)

# suffix -> (attribute, value); peeled in this order, repeatedly
QUANT_SUFFIXES = {"-fp8": "fp8", "-fp16": "fp16", "-bf16": "bf16", "-int4": "int4", "-int8": "int8",
                  "-awq": "awq", "-fp4": "fp4"}
VARIANT_SUFFIXES = ("-maas", "-turbo", "-lite-serverless", "-serverless", "-basic", ":free", ":beta",
                    ":nitro", ":floor", ":extended", ":thinking", "-v1:0", ":0", "-v1", "-tput", "-free",
                    "-fast", "-hf", "-long", "-instant", "-cloud")
REGION_PREFIX = re.compile(r"^(us|eu|apac|global|jp|au)\.", re.I)
# Bedrock/OCI "<vendor>.<model>" where the model part repeats the family (meta.llama-..., qwen.qwen3-...);
# DeepSeek's ("deepseek.r1", "deepseek.v3.2") does not, so SPELLING_RULES turns its dot into a dash
VENDOR_DOT_PREFIX = re.compile(r"^(meta|google|qwen)\.", re.I)
_FAMILY = r"(?:meta-)?(?:llama|qwen|qwq|deepseek|gemma|gemini)"

# Provider house styles -> the vendor's spelling. Each rule rewrites a name into one more spelling
# to try (cumulatively, in this order); the matcher still needs an exact registry key, so a rule
# can only reach a model whose own spelling it reproduces. Each has a positive and a negative
# test in tests/test_identity_rules.py.
SPELLING_RULES: tuple[tuple[str, re.Pattern, str], ...] = (
    # Fireworks writes the decimal point as "p": qwen3-0p6b, deepseek-v3p1-terminus, llama-v3p1-8b
    ("decimal p", re.compile(r"(?<=\d)p(?=\d)"), "."),
    ("llama-vN", re.compile(r"\bllama-v(?=\d)"), "llama-"),
    # a version written with a dash: llama-3-3-70b, gemini-2-5-pro, llama3-3-70b, deepseek-v3-2
    # (only digit-dash-digit followed by a dash or the end: gemma-3-12b and gemma-2-2b are sizes)
    ("dash decimal", re.compile(r"(\b(?:llama|gemini|gemma|qwen)-?|\bv)(\d)-(\d)(?=-|$)"), r"\1\2.\3"),
    # the platform's own name in front: databricks-llama-4-maverick, gemini-gemma-2-27b-it,
    # parasail-qwen3-..., alibaba-qwen3-32b (not snowflake-llama-3.3-70b: Snowflake's SwiftKV model)
    ("host prefix", re.compile(rf"^(?:databricks|parasail|gemini|alibaba)-(?={_FAMILY})"), ""),
    ("meta-llama-", re.compile(r"^meta-(?=llama-)"), ""),             # Meta-Llama-3.3-70B-Instruct
    ("deepseek dot", re.compile(r"^deepseek\.(?!deepseek)"), "deepseek-"),  # Bedrock deepseek.r1
    # Ollama tags a size after a colon: llama3:70b, qwen3-coder:480b-cloud
    ("ollama size tag", re.compile(r":(?=\d+(?:\.\d+)?b(?:-|$))"), "-"),
    ("llamaN", re.compile(r"\bllama(?=\d)"), "llama-"),                # llama4-maverick, llama3.3-70b
    ("gemmaN", re.compile(r"\bgemma(?=\d)"), "gemma-"),                # Fireworks gemma2-9b-it, gemma3-4b
    ("qwen-vN", re.compile(r"\bqwen-v(?=\d)"), "qwen"),                # Fireworks qwen-v2p5-14b-instruct
    ("qwenNN", re.compile(r"\bqwen(\d)(\d)-"), r"qwen\1.\2-"),         # Lambda qwen25-coder-32b-instruct
    ("qwen-qwq", re.compile(r"\bqwen-(?=qwq-)"), ""),                   # Fireworks qwen-qwq-32b-preview
    ("qwen-N", re.compile(r"\bqwen-(?=\d+(?:\.\d+)?-)"), "qwen"),     # Cerebras/Vercel qwen-3-32b, qwen-2.5-7b
    # a trailing YYMMDD build tag (Volcengine deepseek-v3-2-251201); 4-digit checkpoint dates
    # (deepseek-v3-0324) and ISO dates are not touched
    ("build date", re.compile(r"-(?:2[3-9])(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01])$"), ""),
)


_BUILD_TAG = re.compile(r"-(?P<y>2[3-9])(?P<m>0[1-9]|1[0-2])(?P<d>[0-2]\d|3[01])$")


def build_tag(name: str):
    """The date of a trailing ``YYMMDD`` build tag (``deepseek-v3-2-251201`` -> 2025-12-01), else None.
    The matcher accepts the peeled name only when the tag is the named model's release (a tag
    ``deepseek-v3-250324`` is V3-0324's build, not V3's, so it stays unmatched)."""
    from datetime import date
    m = _BUILD_TAG.search(str(name).strip().lower())
    if not m:
        return None
    try:
        return date(2000 + int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None


def respell(name: str) -> list[str]:
    """``name`` (lower case, underscores as dashes) and each further spelling the rules produce."""
    cur = _SEP_RE.sub("-", str(name).strip().lower())
    out = [cur]
    for _, pattern, repl in SPELLING_RULES:
        new = pattern.sub(repl, cur)
        if new != cur and new:
            cur = new
            out.append(cur)
    return out


_SEP_RE = re.compile(r"[\s_]+")
_NAMES_BASE = re.compile(r"[-_ ](?:base|pt|pretrained|pre-trained)$")


def provider_display(key: str) -> str:
    key = str(key or "").strip()
    if key in PROVIDER_NAMES:
        return PROVIDER_NAMES[key]
    base = key.split("-", 1)[0]  # vertex_ai-llama_models -> vertex_ai
    return PROVIDER_NAMES.get(base, key or "unknown")


def candidates(name: str) -> list[tuple[str, str | None, list[str]]]:
    """Spellings to try, most literal first: (name, quantisation, variants peeled)."""
    out: list[tuple[str, str | None, list[str]]] = []
    cur, quant, variants = str(name).strip(), None, []
    out.append((cur, quant, list(variants)))
    for _ in range(6):
        low = cur.lower()
        tail = low.rsplit("/", 1)[-1]
        changed = False
        m = REGION_PREFIX.match(tail)
        v = VENDOR_DOT_PREFIX.match(tail)
        if m:
            cur = cur[: len(cur) - len(tail)] + tail[m.end():]
            variants.append(f"region {m.group(1).lower()}")
            changed = True
        elif v:
            cur = cur[: len(cur) - len(tail)] + tail[v.end():]
            changed = True
        else:
            for suf, q in QUANT_SUFFIXES.items():
                if low.endswith(suf):
                    cur, quant = cur[: -len(suf)], quant or q
                    changed = True
                    break
            else:
                for suf in VARIANT_SUFFIXES:
                    if low.endswith(suf):
                        cur = cur[: -len(suf)]
                        variants.append(suf.lstrip("-:"))
                        changed = True
                        break
        if not changed or not cur.strip("-:/."):
            break
        out.append((cur, quant, list(variants)))
    return out


def match_provider_name(ctx, names: list[str], hub_repos: tuple[str, ...] = (), as_of=None,
                        post_trained: str | None = None):
    """Try each spelling (and its peeled forms) with the registry matcher; count once. Names in
    ``hub_repos`` are Hugging Face repo ids (their first segment is the owner, never a provider).
    ``post_trained``: the catalogue flag saying the endpoint serves a post-trained checkpoint; a name
    nothing places is then tried as ``post_trained_match`` before it is counted unmatched.

    Returns (model_id or None, quantisation, variant string)."""
    for name in names:
        if not name:
            continue
        for cand, quant, variants in candidates(name):
            res = ctx.matcher.match(cand, hub_repo=name in hub_repos, as_of=as_of)  # as_of: re-pointed names
            if res.model_id:
                ctx.matched += 1
                quant = quant or next((q for _, q, _ in candidates(name) if q), None)
                extra = [v for v in (res.setting,) if v and v.lower() != (quant or "").lower()]
                return res.model_id, quant, "; ".join(variants + extra) or None
    first = next((n for n in names if n), "")
    if post_trained and first and FAMILY_HINT.search(first):
        found = post_trained_match(ctx, names, as_of=as_of)
        if found:
            ctx.matched += 1
            return found, None, f"post-trained: the catalogue says {post_trained}"
    if first and FAMILY_HINT.search(first):
        ctx.unmatched[str(first)] += 1
        why = next((r for n in names if n for c, _, _ in candidates(n)
                    for r in [ctx.matcher.match(c, hub_repo=n in hub_repos, as_of=as_of).reason] if r), "")
        if why:
            ctx.reasons.setdefault(str(first), why)
    return None, None, None


POST_TRAINED_SUFFIXES = ("-instruct", "-it", "-chat")


def base_unconfirmed(ctx, model_id: str, key: str, catalogue_keys: set[str]) -> bool:
    """A provider name that lands on a base (pre-trained) checkpoint (``cerebras/llama3.1-8b``,
    ``vercel_ai_gateway/meta/llama-3.1-8b``) is only taken as the base model when the same catalogue
    also lists the post-trained spelling (``key-instruct``/``-it``/``-chat``), i.e. the provider tells
    the two apart (Fireworks ``llama-v3p2-1b`` beside ``llama-v3p2-1b-instruct``). Otherwise a chat
    endpoint under a short name is most likely the instruct model: unknown, so unmatched."""
    model = ctx.by_id.get(model_id)
    if model is None or not model.is_base:
        return False
    low = key.lower()
    if _NAMES_BASE.search(low):  # ollama/deepseek-coder-v2-base: the provider itself says base
        return False
    return not any(low + suf in catalogue_keys for suf in POST_TRAINED_SUFFIXES)


# catalogue flags that only a post-trained (instruct/chat/thinking) checkpoint can honour: a base model
# has no chat template for tools and no reasoning mode. ("supports_tool_choice" alone is not enough:
# LiteLLM sets it on Replicate's base llama-3-8b.)
POST_TRAINED_FLAGS = ("supports_function_calling", "supports_reasoning")
POST_TRAINED_SPELLINGS = ("-instruct", "-it")


def post_trained_evidence(entry: dict) -> str | None:
    """The catalogue flag that says this endpoint serves a post-trained checkpoint, or None."""
    return next((f for f in POST_TRAINED_FLAGS if entry.get(f) is True), None)


def _thinking_twin(ctx, stem: str) -> bool:
    """A registered ``<stem>-Thinking...`` checkpoint: then "post-trained" does not say which one."""
    return any(mid.lower().startswith(stem.lower() + "-thinking") for mid in ctx.by_id)


def post_trained_sibling(ctx, model_id: str) -> str | None:
    """The one registered post-trained checkpoint of base ``model_id`` (``Llama-3.1-8B`` ->
    ``Llama-3.1-8B-Instruct``, ``gemma-4-31B`` -> ``gemma-4-31B-it``, ``Qwen3-8B-Base`` -> ``Qwen3-8B``),
    or None when there is none or more than one (instruct and thinking: which one is not said)."""
    stem = re.sub(r"-(base|pt)$", "", model_id, flags=re.I)
    spellings = {stem.lower() + s for s in ("", "-instruct", "-it", "-chat")} - {model_id.lower()}
    found = {mid for mid, m in ctx.by_id.items() if mid.lower() in spellings and not m.is_base}
    return next(iter(found)) if len(found) == 1 and not _thinking_twin(ctx, stem) else None


def post_trained_match(ctx, names: list[str], as_of=None) -> str | None:
    """For an endpoint the catalogue flags as post-trained whose short name places nothing: the one
    registered non-base checkpoint its name plus ``-instruct``/``-it`` spells (``gemma-4-e2b`` ->
    ``gemma-4-E2B-it``; ``qwen3-coder-30b-a3b`` -> ``Qwen3-Coder-30B-A3B-Instruct``). Two different
    hits, or a registered ``-Thinking`` twin, leave it unplaced. Never counts as matched or unmatched."""
    for name in names:
        for cand, _, _ in candidates(name):
            hits = {mid for suf in POST_TRAINED_SPELLINGS
                    for mid in [ctx.matcher.match(cand + suf, as_of=as_of).model_id]
                    if mid and not ctx.by_id[mid].is_base}
            if hits:
                mid = next(iter(hits))
                stem = re.sub(r"-(instruct|it)$", "", mid, flags=re.I)
                return mid if len(hits) == 1 and not _thinking_twin(ctx, stem) else None
    return None


def per_token_to_per_million(v) -> float | None:
    """USD per token (number or numeric string) -> USD per million tokens; None when absent/invalid.
    Negative values (OpenRouter uses -1 for "varies") are unknown, not prices."""
    f = finite_number(v)
    return None if f is None or f < 0 else round(f * 1_000_000, 6)


def positive_int(v) -> int | None:
    return integer(v, minimum=1, digit_text=True)


# USD per million tokens above which a listed price is implausible for these models (a unit slip
# upstream, e.g. per-1K or per-request figures in a per-token field): kept out, with a note
IMPLAUSIBLE_USD_PER_MTOK = 1000.0


def is_free_tier(*names: str | None) -> bool:
    """The catalogue names a free tier (OpenRouter ``:free``, Together ``-Free``, a ``free`` variant)."""
    return any(re.search(r"(?:^|[:\-;\s])free$|(?:^|[:\-])free(?:[;\s]|$)", str(n or "").strip().lower()) for n in names)


def checked_prices(inp, out, free_tier: bool = False) -> tuple[float | None, float | None, str | None]:
    """Prices (USD per 1M tokens) as listed, or None with a note when they cannot be taken as prices:
    implausibly large (a unit slip), or $0 / $0 where the catalogue does not name a free tier ($0 is
    how LiteLLM writes "not priced per token": local runtimes such as Ollama, per-second or preview
    billing). An input price above the output price is kept but flagged (usually swapped upstream)."""
    note = None
    if (inp is not None and inp > IMPLAUSIBLE_USD_PER_MTOK) or (out is not None and out > IMPLAUSIBLE_USD_PER_MTOK):
        note = (f"listed price implausible ({inp:g} / {out:g} USD per 1M tokens as given); not used"
                if inp is not None and out is not None else "listed price implausible; not used")
        return None, None, note
    if inp == 0 and out == 0:
        if free_tier:
            return 0.0, 0.0, "free tier (listed at $0)"
        return None, None, "listed at $0 without a free tier: not priced per token here (unknown, not free)"
    if inp is not None and out is not None and inp > out > 0:
        note = f"input price above output price ({inp:g} > {out:g} USD per 1M tokens as listed): check upstream"
    return inp, out, note
