"""Hugging Face Hub model metadata (``GET /api/models/<repo>`` with ``expand[]``), live only.

Per open-weight registry model: safetensors parameter counts (total and per dtype), the licence
tag (``cardData.license``, plus ``license_name`` when it is ``other``), the gated flag
(``false`` / ``"auto"`` / ``"manual"``), downloads, likes, createdAt and lastModified.

No capture of these responses exists, so against a directory mirror every URL reports
"not available offline": the source is marked failed with that reason, its last good rows (if
any) are kept, and the registry's own facts stand (a capture placed in the mirror at
``huggingface.co/api/models/<repo>`` would be read). The HTTP seam (``--mirror http://...``)
serves them like the live API, which is how the client is tested.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

from etl.fetch import Fetched, FetchError, Fetcher
from etl.parsing import integer
from etl.sources.base import Context, ParseError, Source, as_of_from_capture, load_json

EXPAND = ("safetensors", "cardData", "gated", "downloads", "likes", "createdAt", "lastModified")
API = "https://huggingface.co/api/models/{repo}?" + "&".join(f"expand[]={e}" for e in EXPAND)
NOT_OFFLINE = "not available offline (Hugging Face Hub API is live-only; registry facts stand)"


def api_url(repo: str) -> str:
    return API.format(repo=repo)


def _ts(v) -> datetime | None:
    if not isinstance(v, str) or not v:
        return None
    try:
        dt = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (dt.astimezone(timezone.utc) if dt.tzinfo else dt.replace(tzinfo=timezone.utc)).replace(tzinfo=None)


def _int(v) -> int | None:
    return integer(v, minimum=0)


def extract_metadata(info: dict) -> dict:
    """Flatten one model-info response (pure). Absent fields stay None."""
    if not isinstance(info, dict) or not (info.get("id") or info.get("modelId")):
        raise ParseError("model info has no 'id'")
    st = info.get("safetensors") if isinstance(info.get("safetensors"), dict) else {}
    params = st.get("parameters") if isinstance(st.get("parameters"), dict) else None
    card = info.get("cardData") if isinstance(info.get("cardData"), dict) else {}
    lic = card.get("license")
    if isinstance(lic, list):
        lic = ",".join(str(x) for x in lic)
    gated = info.get("gated")
    return {
        "repo": str(info.get("id") or info.get("modelId")),
        "params_total": _int(st.get("total")),
        "params_by_dtype": json.dumps(params, sort_keys=True) if params else None,
        "licence_tag": str(lic) if lic else None,
        "licence_name": str(card["license_name"]) if card.get("license_name") else None,
        "gated": None if gated is None else ("false" if gated is False else str(gated)),
        "downloads": _int(info.get("downloads")),
        "likes": _int(info.get("likes")),
        "created_at": _ts(info.get("createdAt")),
        "last_modified": _ts(info.get("lastModified")),
    }


class HFHubSource(Source):
    name = "hf_hub"
    title = "Hugging Face Hub model metadata (live only)"
    homepage = "https://huggingface.co/docs/hub/api"
    tables = ("hub_metadata",)
    load_rules = {"hub_metadata": ("merge", ("model_id",))}
    # the fields we asked for with expand[]: one that stops coming is a changed API, not a NULL
    expect = {"id|modelId": "str", "downloads": "count", "likes": "count", "createdAt": "str",
              "lastModified": "str", "gated": "any", "safetensors": "dict?", "cardData": "dict?"}

    def repos(self, models) -> dict[str, list]:
        out: dict[str, list] = {}
        for m in models:
            if m.open_weights and m.released:
                out.setdefault(m.model_id, []).append(m)
        return out

    def urls(self, models) -> list[str]:
        return [api_url(r) for r in self.repos(models)]

    def fetch(self, fetcher: Fetcher, urls: list[str]):
        got, failed = super().fetch(fetcher, urls)
        if fetcher.reads_directory:
            # a directory mirror normally holds no capture of this API: say so, don't call it an error
            failed = {u: (NOT_OFFLINE if r == "not in mirror" else r) for u, r in failed.items()}
            if not got:
                raise FetchError(urls[0] if urls else self.homepage, NOT_OFFLINE)
        return got, failed

    def parse(self, fetched: Fetched) -> list[dict]:
        info = load_json(fetched.text(), dict, "a model-info object")
        extract_metadata(info)  # fails early (ParseError) on a response that is no model info
        return [info]

    def normalise(self, records: list[dict], ctx: Context) -> dict[str, list[dict]]:
        by_url = {api_url(r): ms for r, ms in self.repos(ctx.models).items()}
        rows = []
        for rec in records:
            fetched, url = rec["_fetched"], rec["_url"]
            meta = extract_metadata({k: v for k, v in rec.items() if not k.startswith("_")})
            for m in by_url.get(url, []):
                ctx.matched += 1
                rows.append({"model_id": m.model_id, **meta, "as_of": as_of_from_capture(fetched), "source_url": url})
        return {"hub_metadata": rows}


SOURCE = HFHubSource()
