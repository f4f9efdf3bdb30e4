"""LiteLLM's price and context-window catalogue (``model_prices_and_context_window.json``).

One JSON object keyed by ``<provider>/<model>`` (Bedrock keys carry no provider prefix); each
entry has ``litellm_provider``, ``mode``, ``max_input_tokens``, ``max_output_tokens`` and
``input_cost_per_token``/``output_cost_per_token`` in USD per token. ``sample_spec`` documents
the schema and is skipped. Chat/completion entries of any registered model become ``offerings`` rows (only
names of our families that match nothing are counted as unmatched);
a missing context field stays unknown (Together lists prices without context).
"""
from __future__ import annotations


from etl.fetch import Fetched
from etl.offerings import (base_unconfirmed, checked_prices, is_free_tier, match_provider_name,
                           post_trained_evidence, post_trained_sibling, per_token_to_per_million, positive_int, provider_display)
from etl.matcher import PROVIDER_ROUTES
from etl.sources.base import Context, ParseError, Source, load_json, as_of_from_capture

URL = "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"
MODES = {"chat", "completion", "responses", None}


def parse_catalogue(text: str) -> list[dict]:
    data = load_json(text, dict, "a JSON object keyed by model name")
    entries = []
    for key, v in data.items():
        if key == "sample_spec" or not isinstance(v, dict):
            continue
        entries.append({"key": key, **v})
    if not entries:
        raise ParseError("no model entries")
    if not any("litellm_provider" in e for e in entries):
        raise ParseError("no entry has 'litellm_provider' (format changed?)")
    return entries


def route_names(key: str, provider: str) -> list[str]:
    """The key, plus the key without its provider route when the matcher does not know that route
    itself (a provider new to ``matcher.PROVIDER_ROUTES``). A known route is left on, because the
    matcher uses it (``openrouter/deepseek/deepseek-chat`` is not DeepSeek's own re-pointed name)."""
    names = [key]
    head = key.split("/", 1)
    if len(head) == 2 and head[0].lower() not in PROVIDER_ROUTES and (head[0] == provider or provider.startswith(head[0])):
        names.append(head[1])
    return names


class LiteLLMSource(Source):
    name = "litellm"
    title = "LiteLLM model prices and context windows"
    homepage = "https://github.com/BerriAI/litellm"
    tables = ("offerings",)

    def urls(self, models) -> list[str]:
        return [URL]

    # upstream contract (etl/contracts.py): token counts and USD-per-token prices are numbers
    expect = {"key": "str", "litellm_provider": "str?", "max_input_tokens": "number?", "max_output_tokens": "number?",
              "input_cost_per_token": "number?", "output_cost_per_token": "number?"}

    def parse(self, fetched: Fetched) -> list[dict]:
        return parse_catalogue(fetched.text())

    def normalise(self, records: list[dict], ctx: Context) -> dict[str, list[dict]]:
        rows = []
        keys = {str(e.get("key", "")).lower() for e in records}
        for e in records:
            if e.get("mode") not in MODES:
                continue
            key = e["key"]  # every key is tried (peers and reference models too); only our families count as unmatched
            provider_key = str(e.get("litellm_provider") or key.split("/", 1)[0])
            as_of = as_of_from_capture(e["_fetched"])
            evidence = post_trained_evidence(e)
            model_id, quant, variant = match_provider_name(ctx, route_names(key, provider_key), as_of=as_of,
                                                           post_trained=evidence)
            # ... unless the provider spells the base repo id itself (nebius/Qwen/Qwen2.5-Coder-7B)
            if model_id and base_unconfirmed(ctx, model_id, key, keys) and evidence and not key.endswith(model_id):
                sibling = post_trained_sibling(ctx, model_id)
                if sibling:  # a function-calling chat endpoint serves the post-trained checkpoint
                    model_id = sibling
                    variant = "; ".join(v for v in (variant, f"post-trained: the catalogue says {evidence}") if v)
            if model_id and base_unconfirmed(ctx, model_id, key, keys):
                ctx.matched -= 1
                ctx.unmatched[f"{key} (base or instruct?)"] += 1
                ctx.reasons[f"{key} (base or instruct?)"] = (f"a short chat-endpoint name on the base checkpoint "
                                                             f"{model_id}, and the catalogue lists no instruct spelling")
                model_id = None
            if not model_id:
                continue
            inp, out, note = checked_prices(per_token_to_per_million(e.get("input_cost_per_token")),
                                            per_token_to_per_million(e.get("output_cost_per_token")),
                                            free_tier=is_free_tier(key, variant))
            rows.append({
                "model_id": model_id, "provider": provider_display(provider_key), "via": None,
                "variant": variant, "context_window": positive_int(e.get("max_input_tokens")),
                "max_output": positive_int(e.get("max_output_tokens")),
                "input_usd_per_mtok": inp, "output_usd_per_mtok": out, "quantisation": quant, "note": note,
                "raw_name": key, "as_of": as_of, "source_url": e["_url"],
            })
        return {"offerings": rows}


SOURCE = LiteLLMSource()
