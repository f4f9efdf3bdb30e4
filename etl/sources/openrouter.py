"""OpenRouter model catalogue (``GET /api/v1/models``) and, when online, each model's providers
(``GET /api/v1/models/<author>/<slug>/endpoints``).

The catalogue lists one row per OpenRouter model: ``context_length`` and ``pricing`` (USD per
token, as strings) of the route as a whole, ``top_provider`` limits, and ``hugging_face_id``
(the join to our registry when present). Two captures exist in the mirror: the verbatim API
response (``{"data": [...]}``) and a daily dump of the bare ``data`` array; both are read and, per
OpenRouter slug, the newer capture wins. ``:free`` and similar suffixes are variants of a model.

The ``/endpoints`` lists (provider name, context, max output, prices, quantisation per provider)
are fetched only against a live or HTTP seam; a directory mirror has none, so they are reported
as "not available offline" and only the catalogue rows load.
"""
from __future__ import annotations

from datetime import date

from etl.fetch import Fetched, Fetcher
from etl.offerings import (FAMILY_HINT, checked_prices, is_free_tier, match_provider_name, per_token_to_per_million,
                           positive_int)
from etl.sources.base import Context, ParseError, Source, load_json, as_of_from_capture

API = "https://openrouter.ai/api/v1/models"
DAILY_DUMP = "https://raw.githubusercontent.com/skissue/gptel-openrouter-models/main/openrouter-models.json"
ENDPOINTS = "https://openrouter.ai/api/v1/models/{slug}/endpoints"
NOT_OFFLINE = "not available offline (per-provider /endpoints are live-only)"


def parse_models(text: str) -> list[dict]:
    data = load_json(text)
    items = data.get("data") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ParseError("expected {'data': [...]} or a list of models")
    out = []
    for i, m in enumerate(items):
        if not isinstance(m, dict) or "id" not in m:
            raise ParseError(f"model {i} has no 'id'")
        if "context_length" not in m or "pricing" not in m:
            raise ParseError(f"model {m.get('id')!r} lacks context_length/pricing (format changed?)")
        out.append({"kind": "model", **m})
    return out


def parse_endpoints(text: str) -> list[dict]:
    data = load_json(text)
    body = data.get("data") if isinstance(data, dict) else None
    if not isinstance(body, dict) or not isinstance(body.get("endpoints"), list):
        raise ParseError("expected {'data': {'endpoints': [...]}}")
    out = []
    for ep in body["endpoints"]:
        if not isinstance(ep, dict) or not ep.get("provider_name"):
            raise ParseError("endpoint without provider_name")
        out.append({"kind": "endpoint", "model": body.get("id"), "hugging_face_id": body.get("hugging_face_id"), **ep})
    return out


def slug_of(model_id: str) -> str:
    """``meta-llama/llama-4-scout:free`` -> ``meta-llama/llama-4-scout`` (the endpoints path)."""
    return str(model_id).split(":", 1)[0]


class OpenRouterSource(Source):
    name = "openrouter"
    title = "OpenRouter model catalogue and provider endpoints"
    homepage = "https://openrouter.ai/models"
    tables = ("offerings",)

    def urls(self, models) -> list[str]:
        return [API, DAILY_DUMP]

    def fetch(self, fetcher: Fetcher, urls: list[str]):
        got, failed = super().fetch(fetcher, urls)
        slugs = []
        for f in got:
            try:
                for m in parse_models(f.text()):
                    s = slug_of(m["id"])
                    if FAMILY_HINT.search(s + " " + str(m.get("hugging_face_id") or "")) and s not in slugs:
                        slugs.append(s)
            except (ParseError, UnicodeDecodeError):
                continue  # parse() reports it
        if fetcher.reads_directory:
            if slugs:
                failed[ENDPOINTS.format(slug="<slug>")] = NOT_OFFLINE
            return got, failed
        # through Source.fetch, so a down host is given up on after host_failure_limit failures
        more, more_failed = super().fetch(fetcher, [ENDPOINTS.format(slug=s) for s in slugs])
        return got + more, {**failed, **more_failed}

    def expect_for(self, fetched: Fetched) -> dict[str, str]:
        """Upstream contract of the model lists (etl/contracts.py); per-provider endpoints are live-only."""
        return {} if "/endpoints" in fetched.url else {"id": "str", "context_length": "number?", "pricing": "dict?"}

    def parse(self, fetched: Fetched) -> list[dict]:
        if fetched.url.endswith("/endpoints"):
            return parse_endpoints(fetched.text())
        return parse_models(fetched.text())

    def normalise(self, records: list[dict], ctx: Context) -> dict[str, list[dict]]:
        # catalogue: per model id (incl. :free variants) the newest capture wins
        newest: dict[str, tuple[date, dict]] = {}
        for r in records:
            if r["kind"] != "model":
                continue
            d = as_of_from_capture(r["_fetched"])
            if r["id"] not in newest or d > newest[r["id"]][0]:
                newest[r["id"]] = (d, r)
        rows = []
        for mid in sorted(newest):
            d, m = newest[mid]
            names = [m.get("hugging_face_id"), mid]
            model_id, quant, variant = match_provider_name(ctx, [n for n in names if n],
                                                           hub_repos=(m.get("hugging_face_id"),), as_of=d)
            if not model_id:
                continue
            if ":" in mid and not variant:
                variant = mid.split(":", 1)[1]
            pricing = m.get("pricing") or {}
            top = m.get("top_provider") or {}
            inp, out, note = checked_prices(per_token_to_per_million(pricing.get("prompt")),
                                            per_token_to_per_million(pricing.get("completion")),
                                            free_tier=is_free_tier(mid, variant))
            rows.append({
                "model_id": model_id, "provider": "OpenRouter", "via": None, "variant": variant,
                "context_window": positive_int(top.get("context_length")) or positive_int(m.get("context_length")),
                "max_output": positive_int(top.get("max_completion_tokens")),
                "input_usd_per_mtok": inp, "output_usd_per_mtok": out, "quantisation": quant,
                "note": note or "OpenRouter route (best provider's limits)",
                "raw_name": mid, "as_of": d, "source_url": m["_url"],
            })
        for e in records:
            if e["kind"] != "endpoint":
                continue
            model_id, quant, variant = match_provider_name(ctx, [n for n in (e.get("hugging_face_id"), e.get("model")) if n],
                                                           hub_repos=(e.get("hugging_face_id"),),
                                                           as_of=e["_fetched"].fetched_at.date())
            if not model_id:
                continue
            pricing = e.get("pricing") or {}
            inp, out, note = checked_prices(per_token_to_per_million(pricing.get("prompt")),
                                            per_token_to_per_million(pricing.get("completion")),
                                            free_tier=is_free_tier(e.get("model"), variant, e.get("tag")))
            q = e.get("quantization")
            rows.append({
                "model_id": model_id, "provider": str(e["provider_name"]), "via": "OpenRouter",
                "variant": variant or (str(e["tag"]) if e.get("tag") else None),
                "context_window": positive_int(e.get("context_length")),
                "max_output": positive_int(e.get("max_completion_tokens")),
                "input_usd_per_mtok": inp, "output_usd_per_mtok": out,
                "quantisation": (str(q) if q and str(q) != "unknown" else quant), "note": note,
                "raw_name": str(e.get("name") or e.get("model")), "as_of": as_of_from_capture(e["_fetched"]),
                "source_url": e["_url"],
            })
        return {"offerings": rows}


SOURCE = OpenRouterSource()
