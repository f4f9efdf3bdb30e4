"""Model architecture from Google MaxText's model YAMLs and DeepSeek's own inference configs.

Fills ``architectures`` for registry models whose Hugging Face ``config.json`` we cannot read
(gated or not captured): Gemma 2, Gemma 3 12B, Llama 3.3 70B, Qwen2.5 1.5B/14B, Qwen3 4B/14B,
and adds what the HF configs leave implicit (Gemma 3 4B heads, Llama 4 NoPE interval).

Live URLs: ``https://raw.githubusercontent.com/AI-Hypercomputer/maxtext/main/src/maxtext/configs/models/<name>.yml``
and ``https://raw.githubusercontent.com/deepseek-ai/DeepSeek-V3/main/inference/configs/<name>.json``.

MaxText quirks handled here:
- Gemma 2 ``base_num_decoder_layers`` is HALF the real layer count (MaxText merges each
  [local, global] pair into one layer): 13/21/23 -> 26/42/46; local and global alternate.
- Gemma 3 files do not spell the attention pattern: ``decoder_block: gemma3`` means 5 sliding :
  1 global (the Gemma 3 design); ``sliding_window_size`` is the window.
- Llama 4 ``nope_layer_interval: 4``: every 4th layer is global NoPE attention, the others use
  chunked attention of ``chunk_attn_window_size`` tokens.
The fit model prefers ``hf_config`` rows and only fills their gaps from these rows.
"""
from __future__ import annotations

import json

import yaml

from etl.fetch import Fetched
from etl.sources.base import Context, ParseError, Source, load_json, as_of_from_capture
from etl.sources.evalcommon import architecture_row, same_named
from etl.sources.hf_config import _int  # same integer rule

MAXTEXT = "https://raw.githubusercontent.com/AI-Hypercomputer/maxtext/main/src/maxtext/configs/models/{}.yml"
DEEPSEEK = "https://raw.githubusercontent.com/deepseek-ai/DeepSeek-V3/main/inference/configs/{}.json"

# upstream file -> registry models with that architecture (same layer/head shapes; checked by hand:
# R1 distills share their base's shapes per the DeepSeek-R1 README; the Qwen3 2507 4B refresh keeps
# Qwen3-4B's 36 layers x 8 KV heads; DeepSeek V3.1 keeps V3's shape per config_v3.1.json)
FILES: dict[str, list[str]] = {
    MAXTEXT.format("gemma2-2b"): ["google/gemma-2-2b-it"],
    MAXTEXT.format("gemma2-9b"): ["google/gemma-2-9b-it"],
    MAXTEXT.format("gemma2-27b"): ["google/gemma-2-27b-it"],
    MAXTEXT.format("gemma3-4b"): ["google/gemma-3-4b-it"],
    MAXTEXT.format("gemma3-12b"): ["google/gemma-3-12b-it"],
    MAXTEXT.format("gemma3-27b"): ["google/gemma-3-27b-it"],
    MAXTEXT.format("llama3.3-70b"): ["meta-llama/Llama-3.3-70B-Instruct"],
    MAXTEXT.format("llama4-17b-16e"): ["meta-llama/Llama-4-Scout-17B-16E-Instruct"],
    MAXTEXT.format("llama4-17b-128e"): ["meta-llama/Llama-4-Maverick-17B-128E-Instruct"],
    MAXTEXT.format("qwen2.5-1.5b"): ["Qwen/Qwen2.5-1.5B-Instruct", "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B"],
    MAXTEXT.format("qwen2.5-14b"): ["Qwen/Qwen2.5-14B-Instruct", "deepseek-ai/DeepSeek-R1-Distill-Qwen-14B"],
    MAXTEXT.format("qwen3-4b"): ["Qwen/Qwen3-4B", "Qwen/Qwen3-4B-Instruct-2507", "Qwen/Qwen3-4B-Thinking-2507"],
    MAXTEXT.format("qwen3-14b"): ["Qwen/Qwen3-14B"],
    # second, independent source for models that also have a HF config (an hf_config outage or a
    # gated repo then still leaves an architecture; the fit prefers hf_config where both exist)
    MAXTEXT.format("llama3.1-8b"): ["meta-llama/Llama-3.1-8B-Instruct", "deepseek-ai/DeepSeek-R1-Distill-Llama-8B"],
    MAXTEXT.format("llama3.1-70b"): ["meta-llama/Llama-3.1-70B-Instruct", "deepseek-ai/DeepSeek-R1-Distill-Llama-70B"],
    MAXTEXT.format("llama3.1-405b"): ["meta-llama/Llama-3.1-405B-Instruct"],
    MAXTEXT.format("qwen2.5-7b"): ["Qwen/Qwen2.5-7B-Instruct", "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"],
    MAXTEXT.format("qwen3-0.6b"): ["Qwen/Qwen3-0.6B"],
    MAXTEXT.format("qwen3-1.7b"): ["Qwen/Qwen3-1.7B"],
    MAXTEXT.format("qwen3-8b"): ["Qwen/Qwen3-8B"],
    MAXTEXT.format("qwen3-32b"): ["Qwen/Qwen3-32B"],
    MAXTEXT.format("qwen3-30b-a3b"): ["Qwen/Qwen3-30B-A3B", "Qwen/Qwen3-30B-A3B-Instruct-2507",
                                      "Qwen/Qwen3-30B-A3B-Thinking-2507"],
    MAXTEXT.format("qwen3-235b-a22b"): ["Qwen/Qwen3-235B-A22B", "Qwen/Qwen3-235B-A22B-Instruct-2507",
                                        "Qwen/Qwen3-235B-A22B-Thinking-2507"],
    MAXTEXT.format("deepseek3-671b"): ["deepseek-ai/DeepSeek-V3", "deepseek-ai/DeepSeek-V3-0324",
                                       "deepseek-ai/DeepSeek-R1", "deepseek-ai/DeepSeek-R1-0528"],
    MAXTEXT.format("deepseek3.2-671b"): ["deepseek-ai/DeepSeek-V3.2"],
    DEEPSEEK.format("config_v3.1"): ["deepseek-ai/DeepSeek-V3.1"],
}

REQUIRED_MAXTEXT = ("base_num_decoder_layers", "base_emb_dim", "base_num_query_heads", "base_num_kv_heads")
REQUIRED_DEEPSEEK = ("n_layers", "dim", "n_heads", "kv_lora_rank", "qk_rope_head_dim")


def from_maxtext(cfg: dict) -> dict:
    """MaxText YAML mapping -> architecture columns (pure; unknown stays None)."""
    missing = [k for k in REQUIRED_MAXTEXT if k not in cfg]
    if missing:
        raise ParseError(f"MaxText YAML lacks {missing} (format changed?)")
    block = str(cfg.get("decoder_block") or "")
    layers = _int(cfg["base_num_decoder_layers"])
    window = _int(cfg.get("sliding_window_size"))
    layer_types = None
    if block == "gemma2" and layers:
        layers *= 2  # MaxText merges [local, global] into one decoder layer
        layer_types = ["sliding_attention" if i % 2 == 0 else "full_attention" for i in range(layers)]
    elif block == "gemma3" and layers and window:
        layer_types = ["full_attention" if (i + 1) % 6 == 0 else "sliding_attention" for i in range(layers)]
    elif block == "llama4" and cfg.get("nope_layer_interval"):
        layer_types = {"nope_layer_interval": _int(cfg["nope_layer_interval"])}
    heads = _int(cfg["base_num_query_heads"])
    emb = _int(cfg["base_emb_dim"])
    mla = bool(cfg.get("kv_lora_rank"))
    head_dim = _int(cfg.get("head_dim")) or (emb // heads if emb and heads and emb % heads == 0 and not mla else None)
    experts = _int(cfg.get("num_experts"))
    return architecture_row(
        **same_named(cfg),
        model_type=block or None,
        num_layers=layers,
        hidden_size=emb,
        num_attention_heads=heads,
        num_kv_heads=_int(cfg["base_num_kv_heads"]),
        head_dim=head_dim,
        intermediate_size=_int(cfg.get("base_mlp_dim")),
        sliding_window=window,
        layer_types=json.dumps(layer_types) if layer_types else None,
        attention_chunk_size=_int(cfg.get("chunk_attn_window_size")),
        num_experts=experts if experts and experts > 1 else None,
        num_experts_per_tok=_int(cfg.get("num_experts_per_tok")) if experts and experts > 1 else None,
        num_shared_experts=_int(cfg.get("shared_experts")) if experts and experts > 1 else None,
        moe_intermediate_size=_int(cfg.get("base_moe_mlp_dim")) if experts and experts > 1 else None,
        first_k_dense=_int(cfg.get("first_num_dense_layers")),
        moe_layer_step=_int(cfg.get("interleave_moe_layer_step")),
    )


def from_deepseek(cfg: dict) -> dict:
    """DeepSeek inference/configs/*.json (its own ModelArgs names) -> architecture columns."""
    missing = [k for k in REQUIRED_DEEPSEEK if k not in cfg]
    if missing:
        raise ParseError(f"DeepSeek config lacks {missing} (format changed?)")
    return architecture_row(
        model_type="deepseek_v3", num_layers=_int(cfg["n_layers"]), hidden_size=_int(cfg["dim"]),
        num_attention_heads=_int(cfg["n_heads"]), num_kv_heads=_int(cfg["n_heads"]),
        intermediate_size=_int(cfg.get("inter_dim")), vocab_size=_int(cfg.get("vocab_size")),
        kv_lora_rank=_int(cfg["kv_lora_rank"]), q_lora_rank=_int(cfg.get("q_lora_rank")),
        qk_rope_head_dim=_int(cfg["qk_rope_head_dim"]), qk_nope_head_dim=_int(cfg.get("qk_nope_head_dim")),
        v_head_dim=_int(cfg.get("v_head_dim")), num_experts=_int(cfg.get("n_routed_experts")),
        num_experts_per_tok=_int(cfg.get("n_activated_experts")), num_shared_experts=_int(cfg.get("n_shared_experts")),
        moe_intermediate_size=_int(cfg.get("moe_inter_dim")), first_k_dense=_int(cfg.get("n_dense_layers")),
        torch_dtype=cfg.get("dtype"),
    )


class MaxTextSource(Source):
    name = "maxtext"
    title = "MaxText model YAMLs + DeepSeek inference configs"
    homepage = "https://github.com/AI-Hypercomputer/maxtext"
    tables = ("architectures",)
    load_rules = {"architectures": ("merge", ("model_id",))}

    def urls(self, models) -> list[str]:
        known = {m.model_id for m in models if m.open_weights and m.released}
        return [u for u, ids in FILES.items() if any(i in known for i in ids)]

    # upstream contract (etl/contracts.py); the parser itself names the YAML keys it requires
    expect = {"arch": "dict", "raw": "str"}

    def parse(self, fetched: Fetched) -> list[dict]:
        text = fetched.text()
        if fetched.url.endswith(".json"):
            cfg = load_json(text, dict, "the config to be a JSON object")
            return [{"arch": from_deepseek(cfg), "raw": text}]
        try:
            cfg = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ParseError(f"invalid YAML: {str(exc).splitlines()[0]}") from exc
        if not isinstance(cfg, dict):
            raise ParseError("MaxText config is not a YAML mapping")
        return [{"arch": from_maxtext(cfg), "raw": text}]

    def normalise(self, records: list[dict], ctx: Context) -> dict[str, list[dict]]:
        rows = []
        for rec in records:
            url = rec["_url"]
            for mid in FILES.get(url, []):
                if mid not in ctx.by_id:
                    continue
                ctx.matched += 1
                rows.append({"model_id": mid, "source": self.name, "config_repo": url.rsplit("/", 1)[1],
                             **rec["arch"], "config_json": rec["raw"],
                             "as_of": as_of_from_capture(rec["_fetched"]), "source_url": url})
        return {"architectures": rows}


SOURCE = MaxTextSource()
