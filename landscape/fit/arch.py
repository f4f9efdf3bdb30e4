"""Architecture derivation: what the memory and speed formulas need, from a Hugging Face
``config.json`` (read here directly, so the fit never imports the ETL), a warehouse
``architectures`` row (hf_config / maxtext / curated) or a merge of several.

Per-layer attention kinds: ``full`` (grows with the context), ``sliding`` (at most the window),
``chunked`` (Llama 4: at most the chunk), ``linear`` (Qwen3.5 / Qwen3-Next Gated DeltaNet: a fixed
recurrent state), ``compressed`` (DeepSeek V4: a 128-token window plus one entry per
``compress_ratio`` tokens). An attention type we have not checked is ``unknown``: no KV estimate,
never silently priced as plain grouped-query attention.
"""
from __future__ import annotations

import functools

import json
import math
from dataclasses import dataclass, fields, replace

# warehouse ``architectures`` columns the fit reads (tests/test_fit.py checks they exist in etl/schema.py)
ARCH_COLUMNS = ("model_type", "num_layers", "hidden_size", "num_attention_heads", "num_kv_heads", "head_dim",
                "intermediate_size", "vocab_size", "max_position_embeddings", "sliding_window", "layer_types",
                "attention_chunk_size", "kv_lora_rank", "q_lora_rank", "qk_rope_head_dim", "qk_nope_head_dim",
                "v_head_dim", "num_experts", "num_experts_per_tok", "num_shared_experts", "moe_intermediate_size",
                "first_k_dense", "moe_layer_step", "config_json", "source")

# model types whose attention is plain multi-head / grouped-query (every layer full unless the
# config says sliding): checked against their transformers implementations
GQA_TYPES = frozenset({"llama", "llama2", "llama3", "mistral", "mixtral", "qwen2", "qwen2_moe", "qwen3", "qwen3_moe",
                       "phi3", "olmo2", "granite", "glm4", "glm4_moe", "ernie4_5", "ernie4_5_moe", "minimax_m2",
                       "smollm3", "starcoder2", "seed_oss", "gemma", "gemma2", "gemma3", "gemma3_text",
                       "qwen"})  # qwen: Qwen (1.0) QWenLMHeadModel, multi-head attention on every layer
MLA_TYPES = frozenset({"deepseek", "deepseek_v2", "deepseek_v3", "deepseek_v32", "kimi_k2"})
LLAMA4_TYPES = frozenset({"llama4", "llama4_text"})
HYBRID_LINEAR_TYPES = frozenset({"qwen3_next", "qwen3_5", "qwen3_5_text", "qwen3_5_moe", "qwen3_5_moe_text"})
GEMMA4_TYPES = frozenset({"gemma4", "gemma4_text"})
V4_TYPES = frozenset({"deepseek_v4"})
GPT_OSS_TYPES = frozenset({"gpt_oss"})
KNOWN_TYPES = GQA_TYPES | MLA_TYPES | LLAMA4_TYPES | HYBRID_LINEAR_TYPES | GEMMA4_TYPES | V4_TYPES | GPT_OSS_TYPES
LAYER_KINDS = ("full", "sliding", "chunked", "linear", "compressed")


@dataclass(frozen=True)
class Arch:
    """What the memory formulas need, from one or more architecture rows (see ``merge_arch``)."""
    model_type: str | None = None
    num_layers: int | None = None
    hidden_size: int | None = None
    num_attention_heads: int | None = None
    num_kv_heads: int | None = None
    head_dim: int | None = None
    intermediate_size: int | None = None
    vocab_size: int | None = None
    tie_word_embeddings: bool | None = None
    sliding_window: int | None = None
    layer_types: tuple[str, ...] | None = None  # per layer: full | sliding | chunked | linear | compressed
    attention_chunk_size: int | None = None
    kv_lora_rank: int | None = None
    q_lora_rank: int | None = None
    qk_rope_head_dim: int | None = None
    qk_nope_head_dim: int | None = None
    v_head_dim: int | None = None
    num_experts: int | None = None
    moe_intermediate_size: int | None = None
    num_experts_per_tok: int | None = None
    num_shared_experts: int | None = None
    first_k_dense: int | None = None
    moe_layer_step: int | None = None
    linear_state_bytes_per_layer: float | None = None  # fixed recurrent state of a linear-attention layer
    max_position_embeddings: int | None = None
    # 2026 attention variants
    global_head_dim: int | None = None  # Gemma 4: head size of the global (full) layers
    global_kv_heads: int | None = None  # Gemma 4: KV heads of the global layers
    k_eq_v_global: bool | None = None  # Gemma 4 attention_k_eq_v: global layers cache K once (V = K)
    kv_shared_layers: int | None = None  # Gemma 3n/4 num_kv_shared_layers: last N layers reuse earlier KV
    compress_ratios: tuple[int, ...] | None = None  # DeepSeek V4: per layer, 0 = window only
    index_head_dim: int | None = None  # DeepSeek V3.2/V4 lightning-indexer key size per cached entry
    attention_type: str | None = None  # known kind label, or None when unknown
    expert_bits: float | None = None  # checkpoint stores experts at this many bits (MXFP4 / FP4)
    multimodal: bool | None = None  # config nests a text_config / has a vision tower (not counted by param_breakdown)
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def __hash__(self) -> int:
        """The generated field-tuple hash, computed once per instance: the memoised derivations
        (``memory._kv_groups``, ``memory.kv_bytes_per_token``, ``param_breakdown``) are looked up
        by architecture several times per fit, and hashing ~40 fields each time was a tenth of a
        100x fit table. Stored outside the fields, so ``==``, ``replace`` and ``asdict`` ignore it."""
        h = self.__dict__.get("_hash")
        if h is None:
            h = hash(tuple(getattr(self, f) for f in _ARCH_FIELDS))
            object.__setattr__(self, "_hash", h)
        return h

    @property
    def is_mla(self) -> bool:
        return bool(self.kv_lora_rank)

    @property
    def kv_known(self) -> bool:
        if not self.num_layers or self.attention_type is None:
            return False
        if self.is_mla:
            return bool(self.qk_rope_head_dim)
        return bool(self.num_kv_heads and self.head_dim)


_ARCH_FIELDS = tuple(f.name for f in fields(Arch))


def _i(v):
    if v is None or isinstance(v, bool):
        return None
    try:
        if isinstance(v, float) and math.isnan(v):
            return None
        return int(v)
    except (TypeError, ValueError):
        return None


def _parse_json(v):
    if v is None or isinstance(v, (dict, list)):
        return v
    try:
        return json.loads(v)
    except (TypeError, ValueError):
        return None


def text_config(cfg: dict | None) -> dict:
    if not isinstance(cfg, dict):
        return {}
    return cfg["text_config"] if isinstance(cfg.get("text_config"), dict) else cfg


def _first(d: dict, *keys):
    for k in keys:
        if d.get(k) is not None:
            return d[k]
    return None


def _kind(t: str) -> str | None:
    t = str(t)
    if "linear" in t:
        return "linear"
    if "sliding" in t or t == "local":
        return "sliding"
    if "chunk" in t:
        return "chunked"
    if t in ("full_attention", "full", "global", "attention"):
        return "full"
    return None


def derive_layer_types(n_layers: int | None, model_type: str | None, layer_types_raw, sliding_window,
                       chunk_size, cfg: dict | None) -> tuple[tuple[str, ...] | None, list[str]]:
    """Per-layer attention kind. Returns (kinds or None for all-full, notes on how it was derived).
    An unrecognised name in ``layer_types`` yields the kind ``unknown`` for that layer."""
    notes: list[str] = []
    if not n_layers:
        return None, notes
    raw = _parse_json(layer_types_raw)
    text = text_config(cfg)
    mt = (model_type or "").lower()
    if isinstance(raw, list) and len(raw) >= n_layers:
        kinds = tuple(_kind(t) or "unknown" for t in raw[:n_layers])
        notes.append("layer kinds from config layer_types")
        return kinds, notes
    pattern = None
    if isinstance(raw, dict) and raw.get("sliding_window_pattern"):
        pattern = int(raw["sliding_window_pattern"])
    elif text.get("sliding_window_pattern"):
        pattern = int(text["sliding_window_pattern"])
    if sliding_window and mt.startswith("gemma3") and pattern is None:
        pattern = 6
        notes.append("Gemma 3: 5 local (sliding) : 1 global layers (transformers Gemma3TextConfig default "
                     "sliding_window_pattern 6; config omits it)")
    if sliding_window and mt.startswith("gemma2") and pattern is None:
        pattern = 2
        notes.append("Gemma 2: local and global layers alternate (sliding on even layers)")
    if pattern and sliding_window:
        if not notes:
            notes.append(f"sliding_window_pattern {pattern}: every {pattern}th layer global")
        return tuple("full" if (i + 1) % pattern == 0 else "sliding" for i in range(n_layers)), notes
    if chunk_size and mt in LLAMA4_TYPES:
        nope = text.get("no_rope_layers")
        if isinstance(nope, list) and len(nope) == n_layers:
            notes.append("Llama 4: chunked attention on RoPE layers, global on NoPE layers (config no_rope_layers)")
            return tuple("chunked" if v else "full" for v in nope), notes
        interval = 4
        if isinstance(raw, dict) and raw.get("nope_layer_interval"):
            interval = int(raw["nope_layer_interval"])
        notes.append(f"Llama 4: every {interval}th layer is a global NoPE layer, the rest hold at most "
                     f"{chunk_size} tokens (transformers Llama4TextConfig default no_rope_layers; MaxText "
                     f"nope_layer_interval: {interval})")
        return tuple("full" if (i + 1) % interval == 0 else "chunked" for i in range(n_layers)), notes
    if sliding_window and not mt.startswith(("gemma", "llama4")) and text.get("use_sliding_window"):
        notes.append("sliding window on every layer")
        return tuple("sliding" for _ in range(n_layers)), notes
    return None, notes


def _linear_state_bytes(text: dict) -> float | None:
    """Gated DeltaNet state per layer per sequence (Qwen3.5 / Qwen3-Next): recurrent state in fp32
    (value heads x key dim x value dim) + a short conv state (kernel-1 steps) in bf16."""
    vh, kd, vd = text.get("linear_num_value_heads"), text.get("linear_key_head_dim"), text.get("linear_value_head_dim")
    kh, k = text.get("linear_num_key_heads"), text.get("linear_conv_kernel_dim")
    if not (vh and kd and vd):
        return None
    conv_dim = (kh or vh) * kd * 2 + vh * vd
    return vh * kd * vd * 4 + conv_dim * max((k or 4) - 1, 0) * 2


def _attention_type(mt: str, kinds: tuple[str, ...] | None, arch_fields: dict) -> tuple[str | None, str]:
    """(label, note). None = an attention type we have not checked: KV unknown."""
    if kinds and "unknown" in kinds:
        return None, "config layer_types names an attention kind not modelled here: KV cache unknown"
    if mt in V4_TYPES:
        return ("DeepSeek V4 hybrid: 128-token sliding window + compressed sparse (ratio 4, indexed) / heavily "
                "compressed (ratio 128) attention, 1 shared K=V head", "")
    if mt in GEMMA4_TYPES:
        return "Gemma 4: sliding-window GQA + global GQA layers with their own head size and KV heads (K=V)", ""
    if mt in HYBRID_LINEAR_TYPES:
        return "hybrid: Gated DeltaNet linear attention (fixed state) + full GQA layers", ""
    if mt in GPT_OSS_TYPES:
        return "GQA, alternating sliding-window and full layers (gpt-oss)", ""
    if mt in LLAMA4_TYPES:
        return "GQA, chunked (local) layers + global NoPE layers (Llama 4)", ""
    if arch_fields.get("kv_lora_rank"):
        if mt in MLA_TYPES or not mt:
            return ("MLA (compressed latent)" + (" + lightning-indexer keys" if arch_fields.get("index_head_dim") else ""),
                    "")
        return None, f"model type {mt!r} has MLA fields but is not a checked MLA architecture: KV cache unknown"
    if mt in GQA_TYPES:
        label = "GQA" if (arch_fields.get("num_kv_heads") or 0) < (arch_fields.get("num_attention_heads") or 0) else "MHA"
        if kinds and "sliding" in kinds:
            label += " with sliding-window layers"
        return label, ""
    if not mt:
        return None, "model type unknown: attention type not checked, KV cache unknown"
    return None, f"attention of model type {mt!r} not checked (not assumed to be plain GQA): KV cache unknown"


def _expert_bits(cfg: dict | None, text: dict) -> float | None:
    q = (cfg or {}).get("quantization_config") or text.get("quantization_config") or {}
    if isinstance(q, dict) and str(q.get("quant_method", "")).lower() == "mxfp4":
        return 4.25
    if str(text.get("expert_dtype", "")).lower() == "fp4":
        return 4.25  # DeepSeek V4: FP4 (E2M1) experts with one 8-bit scale per 32 values (assumed MX layout)
    return None


def arch_from_row(row: dict, cfg: dict | None = None) -> Arch:
    """An ``architectures`` table row (or curated CSV row) -> Arch. ``cfg`` = parsed config_json if any."""
    if cfg is None and row.get("config_json") and str(row.get("source")) == "hf_config":
        cfg = _parse_json(row.get("config_json"))
    text = text_config(cfg)
    n = _i(row.get("num_layers"))
    tie = row.get("tie_word_embeddings")
    if tie is None and cfg:
        tie = cfg.get("tie_word_embeddings", text.get("tie_word_embeddings"))
    if tie is None and str(row.get("source")) == "maxtext" and row.get("config_json"):
        tie = _maxtext_tied(row["config_json"])
    mt = str(row.get("model_type") or "").lower()
    kinds, notes = derive_layer_types(n, mt, row.get("layer_types"), _i(row.get("sliding_window")),
                                      _i(row.get("attention_chunk_size")), cfg)
    ratios = text.get("compress_ratios")
    ratios = tuple(int(x) for x in ratios[:n]) if isinstance(ratios, list) and n and len(ratios) >= n else None
    if mt in V4_TYPES:
        if ratios is None:
            kinds = None
            notes.append("DeepSeek V4 config without compress_ratios: KV cache unknown")
        else:
            kinds = tuple("sliding" if r == 0 else "compressed" for r in ratios)
            notes.append(f"DeepSeek V4: {sum(1 for r in ratios if r == 0)} window-only, "
                         f"{sum(1 for r in ratios if r == 4)} compressed-sparse (1/4, indexed top-{text.get('index_topk')}), "
                         f"{sum(1 for r in ratios if r not in (0, 4))} heavily compressed layers (config compress_ratios)")
    fields = {k: row.get(k) for k in ("kv_lora_rank", "num_kv_heads", "num_attention_heads")}
    fields["index_head_dim"] = text.get("index_head_dim") if mt in MLA_TYPES else None
    att, att_note = _attention_type(mt, kinds, {k: _i(v) for k, v in fields.items()})
    if att_note:
        notes.append(att_note)
    lin = _linear_state_bytes(text) if kinds and "linear" in kinds else None
    if kinds and "linear" in kinds and lin is None:
        att = None
        notes.append("linear-attention layers without state sizes in the config: KV cache unknown")
    experts = _i(row.get("num_experts"))
    if experts is None and text:
        experts = _i(_first(text, "num_local_experts", "n_routed_experts", "num_experts"))
    gemma4 = mt in GEMMA4_TYPES
    return Arch(model_type=row.get("model_type"), num_layers=n, hidden_size=_i(row.get("hidden_size")),
                num_attention_heads=_i(row.get("num_attention_heads")), num_kv_heads=_i(row.get("num_kv_heads")),
                head_dim=_i(row.get("head_dim")), intermediate_size=_i(row.get("intermediate_size")),
                vocab_size=_i(row.get("vocab_size")), tie_word_embeddings=None if tie is None else bool(tie),
                sliding_window=_i(row.get("sliding_window")), layer_types=kinds,
                attention_chunk_size=_i(row.get("attention_chunk_size")), kv_lora_rank=_i(row.get("kv_lora_rank")),
                q_lora_rank=_i(row.get("q_lora_rank")),
                qk_rope_head_dim=_i(row.get("qk_rope_head_dim")), qk_nope_head_dim=_i(row.get("qk_nope_head_dim")),
                v_head_dim=_i(row.get("v_head_dim")), num_experts=experts if experts and experts > 1 else None,
                moe_intermediate_size=_i(row.get("moe_intermediate_size")),
                num_experts_per_tok=_i(row.get("num_experts_per_tok")) or _i(text.get("top_k_experts")),
                num_shared_experts=_i(row.get("num_shared_experts")), first_k_dense=_i(row.get("first_k_dense")),
                moe_layer_step=_i(row.get("moe_layer_step")), linear_state_bytes_per_layer=lin,
                max_position_embeddings=_i(row.get("max_position_embeddings")),
                global_head_dim=_i(text.get("global_head_dim")) if gemma4 else None,
                global_kv_heads=_i(text.get("num_global_key_value_heads")) if gemma4 else None,
                k_eq_v_global=bool(text.get("attention_k_eq_v")) if gemma4 else None,
                kv_shared_layers=_i(text.get("num_kv_shared_layers")) or None,
                compress_ratios=ratios if mt in V4_TYPES else None,
                index_head_dim=_i(text.get("index_head_dim")) if (mt in V4_TYPES or mt in MLA_TYPES) else None,
                attention_type=att, expert_bits=_expert_bits(cfg, text),
                multimodal=(bool(cfg.get("vision_config") or isinstance(cfg.get("text_config"), dict)) if cfg else None),
                sources=(str(row.get("source") or "config"),), notes=tuple(notes))


@functools.lru_cache(maxsize=1024)
def _maxtext_tied(text: str) -> bool | None:
    """``logits_via_embedding`` of a MaxText YAML (tied embeddings). Memoised per text: the same
    config is shared by several checkpoints, and a YAML parse costs ~2-5 ms."""
    import yaml
    try:
        cfg = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    v = cfg.get("logits_via_embedding") if isinstance(cfg, dict) else None
    return None if v is None else bool(v)


def _dense_ffn(text: dict, experts):
    """The dense FFN width, by the same rule as the ETL's ``hf_config`` (a test pins agreement):
    Llama 4 carries ``intermediate_size_mlp`` (dense layers) and ``intermediate_size`` (experts);
    a model that is MoE in every layer (Scout, step 1) has no dense layer, so its width is
    ``intermediate_size``."""
    step = _i(_first(text, "interleave_moe_layer_step", "decoder_sparse_step"))
    every_layer_moe = bool(experts) and step in (None, 1) and not text.get("first_k_dense_replace")
    return text.get("intermediate_size") if every_layer_moe else _first(text, "intermediate_size_mlp", "intermediate_size")


def row_from_config(cfg: dict) -> dict:
    """The columns of an ``architectures`` row, read straight from a HF config.json (unknown stays None).
    Mirrors etl/sources/hf_config.extract_architecture so the fit does not import the ETL; tests check
    both agree on the mirror's configs."""
    if not isinstance(cfg, dict):
        raise ValueError("config.json is not a JSON object")
    text = text_config(cfg)
    heads, hidden, head_dim = _i(text.get("num_attention_heads")), _i(text.get("hidden_size")), _i(text.get("head_dim"))
    if head_dim is None and heads and hidden and hidden % heads == 0 and not text.get("kv_lora_rank"):
        head_dim = hidden // heads
    layer_types = text.get("layer_types")
    if layer_types is None and text.get("sliding_window_pattern"):
        layer_types = {"sliding_window_pattern": text["sliding_window_pattern"]}
    moe = _first(text, "num_local_experts", "n_routed_experts", "num_experts")
    return {
        "model_type": text.get("model_type") or cfg.get("model_type"),
        "num_layers": _i(text.get("num_hidden_layers")), "hidden_size": hidden, "num_attention_heads": heads,
        "num_kv_heads": _i(text.get("num_key_value_heads")) or heads, "head_dim": head_dim,
        "intermediate_size": _i(_dense_ffn(text, moe)),
        "vocab_size": _i(text.get("vocab_size")), "max_position_embeddings": _i(text.get("max_position_embeddings")),
        "sliding_window": _i(text.get("sliding_window")) if text.get("use_sliding_window", True) is not False else None,
        "layer_types": json.dumps(layer_types) if layer_types else None,
        "attention_chunk_size": _i(text.get("attention_chunk_size")), "kv_lora_rank": _i(text.get("kv_lora_rank")),
        "q_lora_rank": _i(text.get("q_lora_rank")), "qk_rope_head_dim": _i(text.get("qk_rope_head_dim")),
        "qk_nope_head_dim": _i(text.get("qk_nope_head_dim")), "v_head_dim": _i(text.get("v_head_dim")),
        "num_experts": _i(moe),
        "num_experts_per_tok": _i(_first(text, "num_experts_per_tok", "experts_per_token", "top_k_experts")),
        "num_shared_experts": _i(text.get("n_shared_experts")),
        "moe_intermediate_size": _i(_first(text, "moe_intermediate_size", "intermediate_size")) if moe else None,
        "first_k_dense": _i(text.get("first_k_dense_replace")),
        "moe_layer_step": _i(_first(text, "interleave_moe_layer_step", "decoder_sparse_step")),
    }


def arch_from_config(cfg: dict) -> Arch:
    """Straight from a Hugging Face config.json (the mirror's files, fixtures)."""
    return arch_from_row({**row_from_config(cfg), "source": "hf_config"}, cfg)


def merge_arch(primary: Arch | None, *fallbacks: Arch | None) -> Arch | None:
    """Fill the primary's unknown fields from fallbacks (hf_config > maxtext > curated)."""
    archs = [a for a in (primary, *fallbacks) if a is not None]
    if not archs:
        return None
    out = archs[0]
    for fb in archs[1:]:
        filled = {}
        for k in _ARCH_FIELDS:  # not asdict(): it deep-copies every field of every row
            if k in ("sources", "notes"):
                continue
            v = getattr(fb, k)
            if getattr(out, k) is None and v is not None:
                filled[k] = v
        if filled:
            out = replace(out, **filled, sources=out.sources + fb.sources + (f"filled {sorted(filled)}",),
                          notes=out.notes + fb.notes)
    if out.head_dim is None and out.hidden_size and out.num_attention_heads and not out.is_mla:
        out = replace(out, head_dim=out.hidden_size // out.num_attention_heads)
    return out


def layer_counts(arch: Arch) -> dict[str, int]:
    kinds = arch.layer_types or tuple("full" for _ in range(arch.num_layers or 0))
    out = {k: 0 for k in LAYER_KINDS}
    for k in kinds:
        out[k] = out.get(k, 0) + 1
    return out


def moe_layers(arch: Arch) -> int:
    """Layers with routed experts (first_k_dense dense layers first; every moe_layer_step-th after)."""
    if not (arch.num_experts and arch.num_layers):
        return 0
    n = arch.num_layers - (arch.first_k_dense or 0)
    return max(n // (arch.moe_layer_step or 1), 0)


def param_breakdown(arch: Arch | None) -> dict | None:
    """Parameters from the config: ``embed`` (input table), ``head`` (lm_head, 0 when tied),
    ``experts`` (all routed experts), ``body`` (all other layer weights) and ``active_body``
    (what one token multiplies: body + its experts). None when the architecture is one we do
    not count (linear attention, DeepSeek V4, Gemma 4) or a field is missing."""
    a = arch
    if a is None or a.attention_type is None or not (a.num_layers and a.hidden_size and a.vocab_size
                                                     and a.num_attention_heads):
        return None
    mt = (a.model_type or "").lower()
    if mt in HYBRID_LINEAR_TYPES | V4_TYPES | GEMMA4_TYPES or a.tie_word_embeddings is None:
        return None
    h, L = a.hidden_size, a.num_layers
    if a.is_mla:
        nope, rope, v = a.qk_nope_head_dim or 0, a.qk_rope_head_dim or 0, a.v_head_dim or 0
        if not (nope and rope and v):
            return None
        nh = a.num_attention_heads
        q = (h * a.q_lora_rank + a.q_lora_rank * nh * (nope + rope)) if a.q_lora_rank else h * nh * (nope + rope)
        attn = q + h * (a.kv_lora_rank + rope) + a.kv_lora_rank * nh * (nope + v) + nh * v * h
    else:
        if not (a.num_kv_heads and a.head_dim):
            return None
        attn = h * a.head_dim * (2 * a.num_attention_heads + 2 * a.num_kv_heads)
    n_moe = moe_layers(a)
    dense_layers = L - n_moe
    if dense_layers and not a.intermediate_size:
        return None
    dense_ffn = 3 * h * (a.intermediate_size or 0)
    experts = active_experts = 0.0
    if n_moe:
        if not (a.moe_intermediate_size and a.num_experts_per_tok):
            return None
        per = 3 * h * a.moe_intermediate_size
        experts = n_moe * a.num_experts * per
        shared = n_moe * (a.num_shared_experts or 0) * per + n_moe * h * a.num_experts  # + router
        active_experts = n_moe * a.num_experts_per_tok * per
    else:
        shared = 0.0
    body = L * attn + dense_layers * dense_ffn + shared + L * 2 * h
    embed = a.vocab_size * h
    return {"embed": embed, "head": 0 if a.tie_word_embeddings else embed, "experts": experts, "body": body,
            "active_body": body + active_experts}
