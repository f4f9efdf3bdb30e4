"""Model architecture from each open-weight model's Hugging Face ``config.json``.

Live URL: ``https://huggingface.co/<repo>/resolve/main/config.json`` (meta-llama and google/gemma
repos are gated live: a 401/403 there is reported per URL and the last good row is kept).
Multimodal configs (Llama 4, Gemma 3) nest the language model under ``text_config``.
"""
from __future__ import annotations

import json

from etl.fetch import Fetched
from etl.parsing import integer as _int  # exact whole numbers only (maxtext shares it)
from etl.sources.evalcommon import architecture_row, same_named
from etl.sources.base import Context, ParseError, Source, load_json, as_of_from_capture

CONFIG_URL = "https://huggingface.co/{repo}/resolve/main/config.json"


def config_url(repo: str) -> str:
    return CONFIG_URL.format(repo=repo)


def _first(cfg: dict, *keys):
    for k in keys:
        v = cfg.get(k)
        if v is not None:
            return v
    return None


def extract_architecture(cfg: dict) -> dict:
    """Flatten a HF config (pure). Unknown stays None; nothing is defaulted silently."""
    if not isinstance(cfg, dict):
        raise ParseError("config.json is not a JSON object")
    text = cfg.get("text_config") if isinstance(cfg.get("text_config"), dict) else cfg
    heads = _int(text.get("num_attention_heads"))
    hidden = _int(text.get("hidden_size"))
    head_dim = _int(text.get("head_dim"))
    if head_dim is None and heads and hidden and hidden % heads == 0 and not text.get("kv_lora_rank"):
        head_dim = hidden // heads
    layer_types = text.get("layer_types")
    sliding_pattern = text.get("sliding_window_pattern")
    if layer_types is None and sliding_pattern:
        layer_types = {"sliding_window_pattern": sliding_pattern}
    rope = text.get("rope_scaling")
    quant = cfg.get("quantization_config") or text.get("quantization_config")
    return architecture_row(
        **same_named(text),
        model_type=text.get("model_type") or cfg.get("model_type"),
        num_layers=_int(text.get("num_hidden_layers")),
        hidden_size=hidden,
        num_attention_heads=heads,
        num_kv_heads=_int(_first(text, "num_key_value_heads")) or heads,
        head_dim=head_dim,
        intermediate_size=_int(_dense_ffn(text)),
        rope_scaling=json.dumps(rope, sort_keys=True) if rope else None,
        sliding_window=_int(text.get("sliding_window")) if text.get("use_sliding_window", True) is not False else None,
        layer_types=json.dumps(layer_types) if layer_types else None,
        attention_chunk_size=_int(text.get("attention_chunk_size")),
        num_experts=_int(_first(text, "num_local_experts", "n_routed_experts", "num_experts")),
        num_experts_per_tok=_int(text.get("num_experts_per_tok")),
        num_shared_experts=_int(text.get("n_shared_experts")),
        moe_intermediate_size=_int(_first(text, "moe_intermediate_size", "intermediate_size")
                                      if (text.get("num_local_experts") or text.get("n_routed_experts") or text.get("num_experts")) else None),
        first_k_dense=_int(text.get("first_k_dense_replace")),
        moe_layer_step=_int(_first(text, "interleave_moe_layer_step", "decoder_sparse_step")),
        torch_dtype=_first(text, "torch_dtype", "dtype") or _first(cfg, "torch_dtype", "dtype"),
        quantization=json.dumps(quant, sort_keys=True) if quant else None,
    )


def _dense_ffn(text: dict):
    """The dense FFN width. Llama 4 configs carry two: ``intermediate_size_mlp`` (16384, the dense
    layers) and ``intermediate_size`` (8192, experts and the shared expert). The dense one only exists
    when some layers are dense (Maverick, ``interleave_moe_layer_step`` 2); Scout (step 1) is MoE in
    every layer, so its ``intermediate_size_mlp`` is unused and its width is ``intermediate_size``."""
    experts = _first(text, "num_local_experts", "n_routed_experts", "num_experts")
    step = _int(_first(text, "interleave_moe_layer_step", "decoder_sparse_step"))
    every_layer_moe = bool(experts) and step in (None, 1) and not text.get("first_k_dense_replace")
    return text.get("intermediate_size") if every_layer_moe else _first(text, "intermediate_size_mlp", "intermediate_size")


class HFConfigSource(Source):
    name = "hf_config"
    title = "Hugging Face config.json"
    homepage = "https://huggingface.co/"
    tables = ("architectures",)
    load_rules = {"architectures": ("merge", ("model_id",))}
    # upstream contract (etl/contracts.py): the language model's shape, nested or not
    expect = {f"config.text_config.{k}|config.{k}": kind for k, kind in {
        "hidden_size": "int", "num_hidden_layers": "int", "num_attention_heads": "int?", "vocab_size": "int?",
        "num_key_value_heads": "int?", "head_dim": "int?", "intermediate_size": "int?",
        "max_position_embeddings": "int?", "num_experts_per_tok": "int?", "model_type": "str?"}.items()}

    def repo_for(self, model) -> str:
        return model.config_repo or model.model_id

    def urls(self, models) -> list[str]:
        seen = []
        for m in models:
            if m.open_weights and m.released:
                u = config_url(self.repo_for(m))
                if u not in seen:
                    seen.append(u)
        return seen

    def parse(self, fetched: Fetched) -> list[dict]:
        cfg = load_json(fetched.text(), dict, "config.json to be a JSON object")
        return [{"config": cfg, "raw": fetched.text()}]

    def normalise(self, records: list[dict], ctx: Context) -> dict[str, list[dict]]:
        by_url: dict[str, list] = {}
        for m in ctx.models:
            if m.open_weights and m.released:
                by_url.setdefault(config_url(self.repo_for(m)), []).append(m)
        rows = []
        for rec in records:
            arch = extract_architecture(rec["config"])
            for m in by_url.get(rec["_url"], []):
                ctx.matched += 1
                rows.append({"model_id": m.model_id, "source": self.name, "config_repo": self.repo_for(m),
                             **arch, "config_json": rec["raw"], "as_of": as_of_from_capture(rec["_fetched"]),
                             "source_url": rec["_url"]})
        return {"architectures": rows}


SOURCE = HFConfigSource()
