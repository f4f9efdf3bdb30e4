"""Why a name could not be placed: one reason per unmatched name (pure rules, no guessing).

``classify(name, matcher)`` returns ``(reason, detail)``. Reasons, tried in this order:

- ``pairing``: an Aider "A + B" architect/editor pairing -- a system of two models, not a model.
- ``not a language model``: safety classifiers (Llama Guard), OCR, embeddings, speech/TTS, image or music
  generation, robotics and computer-use endpoints.
- ``moving alias``: a name the vendor re-points at newer checkpoints (``-latest``, ``qwen-max``,
  ``deepseek-reasoner``, OpenRouter's ``~google/...``); pinning it to one checkpoint would be a guess.
- ``re-packaged copy``: a quantised, GGUF/MLX or speculative-decoding draft copy of a checkpoint under a
  name of its own (``...-GGUF:Q8_0``, ``qwen3-1p7b-fp8-draft``): a derivative, never a model.
- ``third-party``: a fine-tune, merge or re-package by another organisation (Nemotron, Hermes, Tulu,
  LLaVA, ...), or a name under a non-vendor org prefix; such repos are never registered as models.
- ``older generation``: a checkpoint of our families from before the landscape's scope (LLaMA 1, Llama 2,
  Code Llama, Qwen 1/1.5, Gemma 1, Gemini 1.0, DeepSeek LLM / Coder 1 / V2).
- ``outside our families``: another vendor's model that is not in the registry.
- ``provider spelling``: a provider's spelling (``llama-v3p1-8b-instruct``, ``llama3-1-70b``) that *looks
  like* a registered model; the detail names it, but nothing is merged until a provider rule says so.
- ``ambiguous``: the name stops short of a checkpoint (``deepseek-coder-v2``, ``minimax-m1``): several
  registered checkpoints start with it; or a short chat-endpoint name on a base checkpoint with no
  evidence of which one it serves (``(base or instruct?)``, from the matcher's refusal).
- ``conflicting label``: the source's own label or notes contradict the checkpoint its key names
  (Epoch's ``Llama 3 70B (keyed as ...)``), from the matcher's refusal.
- ``unknown``: none of the above; the detail says so.
"""
from __future__ import annotations

import re

from etl.matcher import Matcher, normalise

# The reasons that leave a checkpoint of our families, within the landscape's scope, unplaced: the work
# list for new aliases and rules (#12 measures these). Every other reason says the name is not a
# checkpoint of ours to place (a pairing, a moving alias, a fine-tune or copy, a generation before
# the scope, another vendor's model).
UNPLACED = ("unknown", "ambiguous", "provider spelling", "conflicting label")
NOT_A_CHECKPOINT_OF_OURS = ("pairing", "not a language model", "moving alias", "re-packaged copy", "third-party",
                            "older generation", "outside our families")

FAMILY = re.compile(r"llama|qwen|qwq|deepseek|gemma|gemini", re.I)

PAIRING = re.compile(r"\s\+\s")
NOT_LM = re.compile(
    r"guard|(^|[-/.])ocr([-/.]|$)|embed|rerank|(^|-)tts($|-)|native-audio|audio|lyria|robotics|computer-use|"
    r"-image($|-)|image-preview|(^|-)mt-|live-preview|-lora($|-)", re.I)
MOVING = re.compile(
    r"latest|^~|(^|/)(qwen-(max|plus|turbo|flash|coder|vl-max|vl-plus)|qwen3-max|qwen3-coder(-plus|-flash)?|qwq-plus|qwen3\.5-plus|"
    r"qwen3-vl-(plus|flash)|qwen3-max-thinking|"
    r"deepseek-(reasoner|chat|coder)|gemini-(pro|flash)|gemini-2\.5-pro-preview|llama3(\.1)?|llama2|mistral|"
    r"codellama|codegemma|mistral-small)$", re.I)
THIRD_PARTY_MARKERS = re.compile(
    r"nemotron|hermes|tulu|dracarys|smaug|simpo|llava|cogvlm|videollama|videochat|vilamp|slime|sea-lion|"
    r"dolphin|cogito|dobby|phind|openthinker|qwerky|chimera|nex-n1|fuseo1|aion|solidity|steerlm|scitune|"
    r"adapter|pill |uncensored|orca|vicuna|wizard|magnum|snowflake-llama|long-llava|opencodeinterpreter|"
    r"r1t2|deepseek-llama3\.3|deepseek-r1-7b-qwen|deepseek-r1-8b", re.I)
VENDOR_ORGS = {"meta-llama", "meta", "qwen", "alibaba", "deepseek-ai", "deepseek", "google", "openai", "anthropic",
               "moonshotai", "zai-org", "minimaxai", "mistralai"}
THIRD_PARTY_ORGS = re.compile(
    r"^(?:[\w.@-]+/)*?(nousresearch|nvidia|unsloth|thebloke|lmstudio-community|mlx-community|bartowski|"
    r"redhatai|neuralmagic|tngtech|nex-agi|alfredpros|fuseai|aion-labs|aisingapore|featherless-ai|"
    r"togethercomputer|cognitivecomputations|huihui-ai|wojtek)/", re.I)
OLDER = re.compile(
    r"llama[\s-]?2|llama2|^llama-\d+b$|llama-(7|13|33|65)b|open_llama|code-?llama|codellama|llama-v2|"
    r"llamaguard-7b|llama-guard-2|"
    r"qwen1\.5|qwen1p5|qwen-(1_8b|7b|14b)|qwen-chat|qwen-14b-chat|codeqwen|code-qwen|qwen-vl(-chat|-max)?($|-\d)|"
    r"gemma-(2b|7b)|gemma-1\.1|gemma-2b-it|gemma-7b-it|codegemma|"
    r"gemini-1\.0|^gemini pro$|gemini (advanced )?app|"
    r"deepseek[\s-]llm|deepseek-coder-(1\.3b|6\.7b|33b|7b|1b)|deepseek-v2(?!\.5|p5)|deepseek chat v2 |deepseek-moe",
    re.I)
REPACKAGED = re.compile(r"gguf|[-_.:](awq|gptq|exl2|mlx)([-_.:]|$)|-draft(-\d+)?$", re.I)
# provider spellings -> the registry's spelling (evidence only: a proposal, never a match)
SPELLINGS = (
    (re.compile(r"^(us|eu|apac|global|jp|au)\."), ""),      # bedrock region prefix
    (re.compile(r"^deepseek\.v"), "deepseek-v"),
    (re.compile(r"^(meta|qwen|deepseek|google)\."), ""),     # bedrock vendor prefix
    (re.compile(r"-v\d:\d$"), ""),                          # bedrock version tail
    (re.compile(r"-(fp8|fp8-dynamic|fp8-fast|bf16)$"), ""),
    (re.compile(r"(\d)p(\d)"), r"\1.\2"),                 # fireworks qwen2p5 / llama-v3p1
    (re.compile(r"llama-v(\d)"), r"llama-\1"),            # fireworks llama-v3.1
    (re.compile(r"llama(\d)-(\d)-"), r"llama-\1.\2-"),    # bedrock llama3-1-70b
    (re.compile(r"llama-(\d)-(\d)-"), r"llama-\1.\2-"),   # watsonx llama-3-2-11b
    (re.compile(r"llama(\d(?:\.\d)?)-"), r"llama-\1-"),   # cerebras llama3.1-8b
    (re.compile(r"^(databricks|snowflake|alibaba)-"), ""),
    (re.compile(r"qwen-(\d)"), r"qwen\1"),                # vercel qwen-3-32b
    (re.compile(r"qwen25-"), "qwen2.5-"),
    (re.compile(r"-(hf|tput|instant|long|maas|free)$"), ""),
    (re.compile(r":(\d+(?:\.\d+)?b)(-cloud)?$"), r"-\1"),   # ollama gpt-oss:120b-cloud
    (re.compile(r"^(parasail|gemini)-(?=qwen|gemma|llama|deepseek)"), ""),
)


# first path segments that are hosts or routes, not model authors (LiteLLM/Epoch/Aider provider labels)
ROUTE_SEGMENTS = {"accounts", "models", "fireworks", "@cf", "@hf", "ps", "chutes", "deepinfra", "parasail", "ollama",
                  "darkbloom", "libertai", "bedrock_mantle", "pinstripes", "llamagate", "openrouter"}


def third_party_org(name: str) -> str | None:
    """The author org of an ``org/name`` spelling when it is neither a vendor we track nor a host/route."""
    from etl.offerings import PROVIDER_NAMES
    parts = [p for p in str(name).strip().split("/") if p]
    if len(parts) < 2:
        return None
    org = parts[-2].lower()
    if org in VENDOR_ORGS or org in ROUTE_SEGMENTS or org in PROVIDER_NAMES or re.match(r"^[a-z]{2}-[a-z]+-\d$", org):
        return None
    return org


def registry_keys(models) -> dict[str, str]:
    """Normalised id and alias -> model id (the matcher's strong keys), for the prefix rule."""
    keys = {}
    for m in models:
        for k in (m.model_id, *m.aliases):
            keys[normalise(k)] = m.model_id
    return keys


def classify_all(names, matcher: Matcher, models) -> dict[str, tuple[str, str]]:
    keys = registry_keys(models)
    return {n: classify(n, matcher, keys) for n in names}


def _tail(name: str) -> str:
    return normalise(name)


def provider_spelling(name: str, matcher: Matcher) -> str | None:
    """The registered model a provider spelling looks like, or None. Evidence only, never a match."""
    s = _tail(name)
    for _ in range(3):
        before = s
        for pattern, repl in SPELLINGS:
            s = pattern.sub(repl, s)
        for cand in (s, s + "-instruct", s.replace("-instruct", "")):
            found = matcher.match(cand).model_id
            if found:
                return found
        if s == before:
            break
    return None


def prefix_candidates(name: str, keys) -> list[str]:
    s = _tail(name)
    if len(s) < 5:
        return []
    return sorted(k for k in keys if k.startswith(s + "-"))


def classify(name: str, matcher: Matcher, keys: dict[str, str] | None = None) -> tuple[str, str]:
    """(reason, detail) for a name the matcher could not place. ``keys``: normalised key -> model id."""
    n = str(name)
    if PAIRING.search(n):
        return "pairing", "an architect/editor pairing of two models: a system, not a model"
    if NOT_LM.search(n):
        return "not a language model", "safety classifier, OCR, embedding, speech, image/music generation or agent endpoint"
    if MOVING.search(n.strip()) or MOVING.search(_tail(n)):
        return "moving alias", "the vendor re-points this name at newer checkpoints; pinning it would be a guess"
    if REPACKAGED.search(n):
        return "re-packaged copy", "a quantised, GGUF or draft copy of a checkpoint: a derivative, never a model"
    if THIRD_PARTY_ORGS.match(n.strip()) or THIRD_PARTY_MARKERS.search(n) or third_party_org(n):
        return "third-party", "a fine-tune, merge or re-package by another organisation; never registered as a model"
    if OLDER.search(n):
        return "older generation", "a checkpoint of our families from before the landscape's scope"
    if not FAMILY.search(_tail(n)):  # "ollama/codegeex4" is not a Llama
        return "outside our families", "another vendor's model that is not in the registry"
    if keys is None:
        keys = {}
    cands = sorted({keys[k] for k in prefix_candidates(n, keys)})
    if len(cands) >= 2:
        return "ambiguous", "stops short of a checkpoint; could be any of: " + ", ".join(cands[:5])
    looks = provider_spelling(n, matcher)
    if looks:
        return "provider spelling", f"looks like {looks}; no provider rule maps this spelling yet, so it is not merged"
    if len(cands) == 1:
        return "ambiguous", f"stops short of a checkpoint; nearest registered: {cands[0]} (not merged)"
    return "unknown", "no rule explains it: an unregistered checkpoint or a new spelling (see `python -m etl discover`)"


# the matcher's own refusal (``Match.reason``) names the rule that refused a name; it outranks the
# classifier's guess at a category (a name refused for its owner is third-party, whatever it looks like)
_REFUSAL_CATEGORY = (
    (re.compile(r"third-party|owner path|re-upload without|full-precision re-upload", re.I), "third-party"),
    (re.compile(r"re-pointed|validity window|moving", re.I), "moving alias"),
    (re.compile(r"on the base checkpoint", re.I), "ambiguous"),
    (re.compile(r"contradict", re.I), "conflicting label"),
)


def with_refusal(classified: tuple[str, str], refusal: str | None) -> tuple[str, str]:
    """``(reason, detail)`` for the ``unmatched`` table: the classifier's, with the matcher's refusal
    (when there is one) as the detail and, where it names one, as the category."""
    if not refusal:
        return classified
    category = next((cat for pattern, cat in _REFUSAL_CATEGORY if pattern.search(refusal)), classified[0])
    return category, refusal
