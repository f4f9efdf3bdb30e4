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
from etl.offerings import (checked_prices, match_provider_name, per_token_to_per_million,
                           positive_int, provider_display)
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
    """The key without its provider route: ``fireworks_ai/accounts/fireworks/models/x`` -> ``x``,
    ``vertex_ai/meta/llama-4-scout...`` -> ``llama-4-scout...`` (the matcher drops orgs itself)."""
    names = [key]
    head = key.split("/", 1)
    if len(head) == 2 and (head[0] == provider or provider.startswith(head[0])):
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
        for e in records:
            if e.get("mode") not in MODES:
                continue
            key = e["key"]  # every key is tried (peers and reference models too); only our families count as unmatched
            provider_key = str(e.get("litellm_provider") or key.split("/", 1)[0])
            model_id, quant, variant = match_provider_name(ctx, route_names(key, provider_key))
            if not model_id:
                continue
            inp, out, note = checked_prices(per_token_to_per_million(e.get("input_cost_per_token")),
                                            per_token_to_per_million(e.get("output_cost_per_token")))
            rows.append({
                "model_id": model_id, "provider": provider_display(provider_key), "via": None,
                "variant": variant, "context_window": positive_int(e.get("max_input_tokens")),
                "max_output": positive_int(e.get("max_output_tokens")),
                "input_usd_per_mtok": inp, "output_usd_per_mtok": out, "quantisation": quant, "note": note,
                "raw_name": key, "as_of": as_of_from_capture(e["_fetched"]), "source_url": e["_url"],
            })
        return {"offerings": rows}


SOURCE = LiteLLMSource()
