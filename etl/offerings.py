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
                    ":nitro", ":floor", ":extended", ":thinking", "-v1:0", ":0", "-v1")
REGION_PREFIX = re.compile(r"^(us|eu|apac|global|jp|au)\.", re.I)
VENDOR_DOT_PREFIX = re.compile(r"^(meta|google|qwen|deepseek)\.", re.I)  # Bedrock/OCI: meta.llama-...


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


def match_provider_name(ctx, names: list[str]):
    """Try each spelling (and its peeled forms) with the registry matcher; count once.

    Returns (model_id or None, quantisation, variant string)."""
    for name in names:
        if not name:
            continue
        for cand, quant, variants in candidates(name):
            res = ctx.matcher.match(cand)
            if res.model_id:
                ctx.matched += 1
                quant = quant or next((q for _, q, _ in candidates(name) if q), None)
                extra = [v for v in (res.setting,) if v and v.lower() != (quant or "").lower()]
                return res.model_id, quant, "; ".join(variants + extra) or None
    first = next((n for n in names if n), "")
    if first and FAMILY_HINT.search(first):
        ctx.unmatched[str(first)] += 1
    return None, None, None


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


def checked_prices(inp, out) -> tuple[float | None, float | None, str | None]:
    note = None
    if (inp is not None and inp > IMPLAUSIBLE_USD_PER_MTOK) or (out is not None and out > IMPLAUSIBLE_USD_PER_MTOK):
        note = (f"listed price implausible ({inp:g} / {out:g} USD per 1M tokens as given); not used"
                if inp is not None and out is not None else "listed price implausible; not used")
        return None, None, note
    return inp, out, note
