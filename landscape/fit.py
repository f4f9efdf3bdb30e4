"""Deployment fit: will a model run on given hardware, how much memory, how fast (estimates).

Pure formulas first (no streamlit, no database): weights, KV cache by attention type, runtime
overhead, verdict, longest context, decode speed. Then ``fit_table``, the one function that reads
the database (models + architectures) and applies the formulas to every filtered model.

Units: bytes inside, GiB (2**30 bytes) in every output column named ``*_gib``; bandwidth in
GB/s (1e9 bytes/s) as vendors state it. Every number is an estimate; ``assumptions()`` lists what
each result rests on.
"""
from __future__ import annotations

import csv
import json
import math
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for annotations: pandas is imported lazily by fit_table()
    import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
GIB = 2 ** 30

# bytes per cached element; q8_0/q4_0 are llama.cpp block formats (32 values + one fp16 scale)
KV_DTYPES: dict[str, float] = {"bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "q8_0": 34 / 32, "q4_0": 18 / 32}
CONTEXT_CHOICES = {"8K": 8192, "32K": 32768, "128K": 131072}

# Prefill activation peak per prompt token, in elements of the FFN width (gate, up, act(gate)*up
# live at once, plus hidden-size tensors): fitted on the Qwen2.5 transformers measurements
# (bench/fit_validation.py); 3.4-4.0 for every model size there.
ACT_FFN_FACTOR = 3.6
GENERATION_TOKENS_DEFAULT = 0
TIGHT_FRACTION = 0.10  # a fit with less than 10% of usable memory (or 1 GiB) spare is "tight"
TIGHT_MIN_GIB = 1.0


@dataclass(frozen=True)
class Runtime:
    name: str
    memory_utilization: float  # fraction of device memory the runtime may use
    fixed_gib_per_gpu: float  # CUDA context, CUDA graphs, NCCL, allocator slack
    prefill_tokens: int | None  # tokens processed in one forward pass (None = whole prompt)
    efficiency: float  # achieved / peak memory bandwidth during decode
    act_bytes: float  # bytes per activation element
    tensor_parallel: bool  # splits each layer across GPUs (needs head divisibility)
    mla_compressed: bool  # caches the MLA latent (False: decompressed K and V per head)
    note: str


RUNTIMES: dict[str, Runtime] = {
    "llama.cpp": Runtime(
        "llama.cpp", 1.0, 0.3, 512, 0.65, 4.0, False, True,
        "llama.cpp: all device memory usable; ~0.3 GiB CUDA context per GPU (0 counted on Metal is "
        "not deducted); compute buffer for one 512-token ubatch in f32 (logits + FFN intermediates); "
        "multi-GPU = layer split, so decode runs at one device's bandwidth; decode efficiency 0.65 "
        "(assumed)"),
    "vLLM": Runtime(
        "vLLM", 0.9, 1.0, 8192, 0.65, 2.0, True, True,
        "vLLM: gpu_memory_utilization 0.9 (default) of each device; ~1 GiB per GPU for CUDA context, "
        "CUDA graphs and NCCL; activation peak profiled at max_num_batched_tokens 8192; KV cache takes "
        "the rest (paged); tensor parallel across GPUs (heads must divide); decode efficiency 0.65 "
        "(calibrated on Qwen2.5 vLLM speeds on A100: 0.63-0.71)"),
    "transformers": Runtime(
        "transformers", 1.0, 0.5, None, 0.4, 2.0, False, False,
        "transformers: whole prompt prefilled at once (activation peak ~3.6 x FFN width x 2 bytes per "
        "prompt token, on every GPU of a device_map split); ~0.5 GiB CUDA context per GPU (not seen by "
        "the PyTorch allocator); MLA models cache decompressed K/V; decode efficiency 0.4 (assumed)"),
}


# ---------------------------------------------------------------- curated tables

@dataclass(frozen=True)
class QuantFormat:
    format: str
    label: str
    kind: str  # hf | gguf
    bits_per_weight: float
    embedding_bits: float | None  # None: embeddings quantised like everything else
    source_url: str
    note: str


@dataclass(frozen=True)
class Hardware:
    hardware_id: str
    name: str
    devices: int
    memory_gib_per_device: float
    bandwidth_gbs_per_device: float
    unified_memory: bool
    gpu_cap_gib_per_device: float | None
    source_url: str
    note: str

    @property
    def usable_gib_per_device(self) -> float:
        return self.gpu_cap_gib_per_device or self.memory_gib_per_device


def _num(v):
    return float(v) if v not in (None, "") else None


@lru_cache(maxsize=4)
def quant_formats(path: str | None = None) -> dict[str, QuantFormat]:
    with open(path or DATA / "quant_formats.csv", newline="") as fh:
        return {r["format"]: QuantFormat(r["format"], r["label"], r["kind"], float(r["bits_per_weight"]),
                                         _num(r["embedding_bits"]), r["source_url"], r["note"])
                for r in csv.DictReader(fh)}


@lru_cache(maxsize=4)
def hardware_presets(path: str | None = None) -> dict[str, Hardware]:
    with open(path or DATA / "hardware.csv", newline="") as fh:
        return {r["hardware_id"]: Hardware(r["hardware_id"], r["name"], int(r["devices"]),
                                           float(r["memory_gib_per_device"]), float(r["bandwidth_gbs_per_device"]),
                                           r["unified_memory"] == "true", _num(r["gpu_cap_gib_per_device"]),
                                           r["source_url"], r["note"])
                for r in csv.DictReader(fh)}


def custom_hardware(memory_gib: float, bandwidth_gbs: float | None = None, devices: int = 1) -> Hardware:
    """A user-typed budget: memory per device in GiB; bandwidth unknown unless given."""
    if not memory_gib or memory_gib <= 0:
        raise ValueError("custom memory must be a positive number of GiB")
    return Hardware("custom", f"Custom {memory_gib:g} GiB", devices, float(memory_gib),
                    float(bandwidth_gbs) if bandwidth_gbs else math.nan, False, None, "", "user-supplied budget")


@lru_cache(maxsize=4)
def curated_architectures(path: str | None = None) -> dict[str, dict]:
    out = {}
    with open(path or DATA / "architectures_curated.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            row = {k: (None if v == "" else v) for k, v in r.items()}
            for k in ("num_layers", "hidden_size", "num_attention_heads", "num_kv_heads", "head_dim",
                      "intermediate_size", "vocab_size", "sliding_window"):
                row[k] = int(row[k]) if row[k] is not None else None
            row["tie_word_embeddings"] = row["tie_word_embeddings"] == "true"
            row["source"] = "curated"
            out[row["model_id"]] = row
    return out


@lru_cache(maxsize=4)
def deployment_claims(path: str | None = None) -> list[dict]:
    with open(path or DATA / "deployment_claims.csv", newline="") as fh:
        return [dict(r, gpus=int(r["gpus"])) for r in csv.DictReader(fh)]


# ---------------------------------------------------------------- architecture

@dataclass(frozen=True)
class Arch:
    """What the memory formulas need, from one or more architecture rows (see ``merge_arch_rows``)."""
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
    layer_types: tuple[str, ...] | None = None  # per layer: full | sliding | chunked | linear
    attention_chunk_size: int | None = None
    kv_lora_rank: int | None = None
    qk_rope_head_dim: int | None = None
    qk_nope_head_dim: int | None = None
    v_head_dim: int | None = None
    moe_intermediate_size: int | None = None
    num_experts_per_tok: int | None = None
    num_shared_experts: int | None = None
    linear_state_bytes_per_layer: float | None = None  # fixed recurrent state of a linear-attention layer
    max_position_embeddings: int | None = None
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def is_mla(self) -> bool:
        return bool(self.kv_lora_rank)

    @property
    def kv_known(self) -> bool:
        if not self.num_layers:
            return False
        if self.is_mla:
            return bool(self.qk_rope_head_dim)
        return bool(self.num_kv_heads and self.head_dim)


def _parse_json(v):
    if v is None or isinstance(v, (dict, list)):
        return v
    try:
        return json.loads(v)
    except (TypeError, ValueError):
        return None


def _text_config(cfg: dict | None) -> dict:
    if not isinstance(cfg, dict):
        return {}
    return cfg["text_config"] if isinstance(cfg.get("text_config"), dict) else cfg


def derive_layer_types(n_layers: int | None, model_type: str | None, layer_types_raw, sliding_window,
                       chunk_size, cfg: dict | None) -> tuple[tuple[str, ...] | None, list[str]]:
    """Per-layer attention kind. Returns (kinds or None for all-full, notes on how it was derived)."""
    notes: list[str] = []
    if not n_layers:
        return None, notes
    raw = _parse_json(layer_types_raw)
    text = _text_config(cfg)
    mt = (model_type or "").lower()
    if isinstance(raw, list) and len(raw) == n_layers:
        kinds = []
        for t in raw:
            t = str(t)
            kinds.append("linear" if "linear" in t else "sliding" if "sliding" in t else
                         "chunked" if "chunk" in t else "full")
        notes.append("layer kinds from config layer_types")
        return tuple(kinds), notes
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
    if chunk_size and "llama4" in mt:
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


def arch_from_row(row: dict, cfg: dict | None = None) -> Arch:
    """An ``architectures`` table row (or curated CSV row) -> Arch. ``cfg`` = parsed config_json if any."""
    if cfg is None and row.get("config_json") and str(row.get("source")) == "hf_config":
        cfg = _parse_json(row.get("config_json"))
    text = _text_config(cfg)
    n = _i(row.get("num_layers"))
    tie = row.get("tie_word_embeddings")
    if tie is None and cfg:
        tie = cfg.get("tie_word_embeddings", text.get("tie_word_embeddings"))
    if tie is None and str(row.get("source")) == "maxtext" and row.get("config_json"):
        tie = _maxtext_tied(row["config_json"])
    kinds, notes = derive_layer_types(n, row.get("model_type"), row.get("layer_types"), _i(row.get("sliding_window")),
                                      _i(row.get("attention_chunk_size")), cfg)
    lin = _linear_state_bytes(text) if kinds and "linear" in kinds else None
    return Arch(model_type=row.get("model_type"), num_layers=n, hidden_size=_i(row.get("hidden_size")),
                num_attention_heads=_i(row.get("num_attention_heads")), num_kv_heads=_i(row.get("num_kv_heads")),
                head_dim=_i(row.get("head_dim")), intermediate_size=_i(row.get("intermediate_size")),
                vocab_size=_i(row.get("vocab_size")), tie_word_embeddings=None if tie is None else bool(tie),
                sliding_window=_i(row.get("sliding_window")), layer_types=kinds,
                attention_chunk_size=_i(row.get("attention_chunk_size")), kv_lora_rank=_i(row.get("kv_lora_rank")),
                qk_rope_head_dim=_i(row.get("qk_rope_head_dim")), qk_nope_head_dim=_i(row.get("qk_nope_head_dim")),
                v_head_dim=_i(row.get("v_head_dim")), moe_intermediate_size=_i(row.get("moe_intermediate_size")),
                num_experts_per_tok=_i(row.get("num_experts_per_tok")),
                num_shared_experts=_i(row.get("num_shared_experts")), linear_state_bytes_per_layer=lin,
                max_position_embeddings=_i(row.get("max_position_embeddings")),
                sources=(str(row.get("source") or "config"),), notes=tuple(notes))


def _maxtext_tied(text: str) -> bool | None:
    import yaml
    try:
        cfg = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    v = cfg.get("logits_via_embedding") if isinstance(cfg, dict) else None
    return None if v is None else bool(v)


def arch_from_config(cfg: dict) -> Arch:
    """Straight from a Hugging Face config.json (used by tests on the mirror's files)."""
    from etl.sources.hf_config import extract_architecture
    row = extract_architecture(cfg)
    return arch_from_row({**row, "source": "hf_config"}, cfg)


def _i(v):
    if v is None:
        return None
    try:
        if isinstance(v, float) and math.isnan(v):
            return None
        return int(v)
    except (TypeError, ValueError):
        return None


def merge_arch(primary: Arch | None, *fallbacks: Arch | None) -> Arch | None:
    """Fill the primary's unknown fields from fallbacks (hf_config > maxtext > curated)."""
    archs = [a for a in (primary, *fallbacks) if a is not None]
    if not archs:
        return None
    out = archs[0]
    for fb in archs[1:]:
        filled = {}
        for k, v in asdict(fb).items():
            if k in ("sources", "notes"):
                continue
            if getattr(out, k) is None and v is not None:
                filled[k] = v
        if filled:
            out = replace(out, **filled, sources=out.sources + fb.sources + (f"filled {sorted(filled)}",),
                          notes=out.notes + fb.notes)
    if out.head_dim is None and out.hidden_size and out.num_attention_heads and not out.is_mla:
        out = replace(out, head_dim=out.hidden_size // out.num_attention_heads)
    return out


# ---------------------------------------------------------------- formulas

def kv_elements_per_token_per_layer(arch: Arch, mla_compressed: bool = True) -> float:
    """Cached elements per token in one attention layer.

    standard / grouped-query: 2 (K and V) x kv_heads x head_dim
    MLA (DeepSeek): kv_lora_rank + qk_rope_head_dim (one compressed latent + the shared RoPE key);
    decompressed MLA (transformers): heads x (qk_nope + qk_rope) for K + heads x v_head_dim for V.
    """
    if arch.is_mla:
        if mla_compressed:
            return arch.kv_lora_rank + arch.qk_rope_head_dim
        h = arch.num_attention_heads or 0
        return h * ((arch.qk_nope_head_dim or 0) + (arch.qk_rope_head_dim or 0)) + h * (arch.v_head_dim or 0)
    return 2 * arch.num_kv_heads * arch.head_dim


def layer_counts(arch: Arch) -> dict[str, int]:
    kinds = arch.layer_types or tuple("full" for _ in range(arch.num_layers or 0))
    out = {"full": 0, "sliding": 0, "chunked": 0, "linear": 0}
    for k in kinds:
        out[k] += 1
    return out


def kv_cache_bytes(arch: Arch, context: int, kv_dtype: str = "bf16", seqs: int = 1,
                   mla_compressed: bool = True) -> float:
    """KV cache for ``seqs`` sequences of ``context`` tokens each.

    Full-attention layers grow with the context; sliding-window layers hold at most the window,
    chunked layers (Llama 4) at most the chunk; linear-attention layers hold a fixed state.
    """
    b = KV_DTYPES[kv_dtype]
    per_layer = kv_elements_per_token_per_layer(arch, mla_compressed) * b
    c = layer_counts(arch)
    window = arch.sliding_window or context
    chunk = arch.attention_chunk_size or context
    per_seq = per_layer * (c["full"] * context + c["sliding"] * min(context, window)
                           + c["chunked"] * min(context, chunk))
    per_seq += c["linear"] * (arch.linear_state_bytes_per_layer or 0)
    return per_seq * seqs


def kv_bytes_per_token(arch: Arch, kv_dtype: str = "bf16", mla_compressed: bool = True) -> float:
    """Marginal bytes per extra token of context once windows/chunks are full (full layers only)."""
    return kv_elements_per_token_per_layer(arch, mla_compressed) * KV_DTYPES[kv_dtype] * layer_counts(arch)["full"]


def embedding_params(arch: Arch | None) -> float | None:
    if arch is None or not (arch.vocab_size and arch.hidden_size):
        return None
    tied = arch.tie_word_embeddings
    return arch.vocab_size * arch.hidden_size * (1 if tied else 2)


def weights_bytes(total_params_b: float, fmt: QuantFormat, arch: Arch | None = None) -> float:
    """All parameters (every expert of a MoE) x effective bits per weight / 8.

    Formats that keep embeddings / lm_head in 16 bit (GPTQ, AWQ, FP8, INT8) price those at
    ``embedding_bits`` when the architecture says how many there are.
    """
    total = total_params_b * 1e9
    emb = embedding_params(arch) if fmt.embedding_bits else None
    if emb is None or emb >= total:
        return total * fmt.bits_per_weight / 8
    return emb * fmt.embedding_bits / 8 + (total - emb) * fmt.bits_per_weight / 8


def ffn_width(arch: Arch | None) -> int | None:
    if arch is None:
        return None
    moe = None
    if arch.moe_intermediate_size and arch.num_experts_per_tok:
        moe = arch.moe_intermediate_size * (arch.num_experts_per_tok + (arch.num_shared_experts or 0))
    vals = [v for v in (arch.intermediate_size, moe) if v]
    return max(vals) if vals else None


def activation_bytes(arch: Arch | None, rt: Runtime, context: int) -> float | None:
    """Peak activation memory of one forward pass (per GPU holding layers)."""
    w = ffn_width(arch)
    if w is None:
        return None
    if rt.prefill_tokens is None:
        tokens = context  # transformers: the whole prompt in one pass
    elif rt.name == "llama.cpp":
        tokens = min(context, rt.prefill_tokens)  # one ubatch
    else:
        tokens = rt.prefill_tokens  # vLLM profiles at max_num_batched_tokens whatever the context
    act = tokens * ACT_FFN_FACTOR * w * rt.act_bytes
    if rt.name == "llama.cpp" and arch.vocab_size:
        act += tokens * arch.vocab_size * 4  # f32 logits for the ubatch
    return act


def tp_check(arch: Arch | None, gpus: int) -> tuple[bool | None, str, int]:
    """Tensor-parallel divisibility: (ok, explanation, KV replication factor)."""
    if gpus <= 1:
        return True, "", 1
    if arch is None or not arch.num_attention_heads:
        return None, "attention heads unknown: tensor-parallel divisibility not checked", 1
    h, kv = arch.num_attention_heads, arch.num_kv_heads or arch.num_attention_heads
    if h % gpus:
        return False, f"{h} attention heads are not divisible by tensor parallel {gpus}", 1
    if arch.is_mla:
        return True, "", gpus  # the MLA latent is replicated on every TP rank
    if kv % gpus == 0:
        return True, "", 1
    if gpus % kv == 0:
        return True, f"{kv} KV heads < TP {gpus}: each KV head is replicated {gpus // kv}x", gpus // kv
    return False, f"{kv} KV heads cannot be split over tensor parallel {gpus}", 1


@dataclass
class FitResult:
    model_id: str
    name: str
    status: str  # fits | tight | no | api_only | unreleased | unknown
    verdict: str
    weights_gib: float | None = None
    kv_cache_gib: float | None = None
    overhead_gib: float | None = None
    total_gib: float | None = None
    usable_gib: float | None = None
    spare_gib: float | None = None
    fits: bool | None = None
    max_context: int | None = None
    context: int | None = None
    decode_tokens_per_s: float | None = None
    kv_bytes_per_token: float | None = None
    estimate_basis: str = ""  # architecture | parameters only | none
    assumptions: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _usable_gib(hw: Hardware, gpus: int, rt: Runtime) -> float:
    return hw.usable_gib_per_device * gpus * rt.memory_utilization


def fit_one(model: dict, arch: Arch | None, hw: Hardware, gpus: int, fmt: QuantFormat, context: int,
            kv_dtype: str = "bf16", runtime: str = "llama.cpp", seqs: int = 1) -> FitResult:
    """Memory breakdown, verdict, longest fitting context and decode speed for one model."""
    rt = RUNTIMES[runtime]
    if kv_dtype not in KV_DTYPES:
        raise ValueError(f"unknown KV dtype {kv_dtype!r}")
    mid, name = model.get("model_id"), model.get("name") or model.get("model_id")
    res = FitResult(mid, name, "unknown", "unknown", context=context)
    notes = [rt.note, f"weights: {fmt.label} at {fmt.bits_per_weight:g} effective bits per weight ({fmt.note}; {fmt.source_url})",
             f"hardware: {hw.name}: {hw.memory_gib_per_device:g} GiB and {hw.bandwidth_gbs_per_device:g} GB/s per device; {hw.note}"]
    if hw.gpu_cap_gib_per_device:
        notes.append(f"GPU may use at most {hw.gpu_cap_gib_per_device:g} GiB of {hw.memory_gib_per_device:g} GiB unified memory (Metal recommendedMaxWorkingSetSize)")
    if kv_dtype in ("q8_0", "q4_0") and runtime != "llama.cpp":
        notes.append(f"KV dtype {kv_dtype} is a llama.cpp option; {runtime} does not offer it")
    if kv_dtype == "fp8" and runtime == "llama.cpp":
        notes.append("llama.cpp has no fp8 KV cache (q8_0 is its 8-bit option)")
    notes.append(f"context {context:,} tokens x {seqs} concurrent sequence(s), chosen by the user (not the advertised maximum)")
    if not model.get("released", True):
        res.status, res.verdict, res.estimate_basis = "unreleased", "not available (unreleased checkpoint)", "none"
        res.assumptions = ["unreleased: neither weights nor an API to deploy"]
        return res
    if not model.get("open_weights", True):
        res.status, res.verdict, res.estimate_basis = "api_only", "API only (closed weights)", "none"
        res.assumptions = ["closed weights: no self-hosted deployment"]
        return res
    total_b, active_b = _f(model.get("total_params_b")), _f(model.get("active_params_b"))
    if total_b is None:
        res.verdict, res.estimate_basis = "unknown: parameter count not disclosed", "none"
        res.assumptions = notes
        return res
    weights = weights_bytes(total_b, fmt, arch)
    notes.append(f"total parameters {total_b:g}B (vendor-stated; all experts of a MoE are held in memory)")
    usable = _usable_gib(hw, gpus, rt)
    res.usable_gib = usable
    res.weights_gib = weights / GIB
    fixed = rt.fixed_gib_per_gpu * gpus * GIB
    if hw.unified_memory and rt.name == "llama.cpp" and hw.hardware_id.startswith("mac"):
        fixed = 0.0

    kv_ok = arch is not None and arch.kv_known
    tp_ok, tp_msg, repl = (True, "", 1)
    if rt.tensor_parallel:
        tp_ok, tp_msg, repl = tp_check(arch, gpus)
        if tp_msg:
            notes.append(tp_msg)
    mla_c = rt.mla_compressed
    if kv_ok:
        res.estimate_basis = "architecture"
        if arch.sources:
            notes.append("architecture from " + ", ".join(arch.sources))
        notes.extend(dict.fromkeys(arch.notes))
        if arch.is_mla:
            notes.append("MLA: caches kv_lora_rank + qk_rope_head_dim per layer" if mla_c else
                         "MLA decompressed by this runtime: full K/V per head cached")

        def kv_at(ctx):
            return kv_cache_bytes(arch, ctx, kv_dtype, seqs, mla_c) * repl

        def overhead_at(ctx):
            act = activation_bytes(arch, rt, ctx) or 0.0
            act *= gpus if rt.name == "transformers" else 1
            return act + fixed

        kv = kv_at(context)
        over = overhead_at(context)
        res.kv_bytes_per_token = kv_bytes_per_token(arch, kv_dtype, mla_c)
    else:
        res.estimate_basis = "parameters only"
        notes.append("architecture unknown: KV cache and activations NOT estimated (weights + runtime fixed overhead only)")
        kv, over = None, fixed
        kv_at = overhead_at = None
    res.kv_cache_gib = None if kv is None else kv / GIB
    res.overhead_gib = over / GIB
    total = weights + (kv or 0.0) + over
    res.total_gib = total / GIB
    res.spare_gib = usable - res.total_gib
    fits = res.spare_gib >= 0 and tp_ok is not False
    res.fits = fits if kv_ok else (False if res.spare_gib < 0 else None)
    if tp_ok is False:
        res.status, res.verdict = "no", f"no: {tp_msg}"
    elif res.spare_gib < 0:
        res.status, res.verdict = "no", f"no: needs {res.total_gib:.1f} GiB, {usable:.1f} GiB usable ({-res.spare_gib:.1f} GiB short)"
    elif not kv_ok:
        res.status = "unknown"
        res.verdict = f"weights fit with {res.spare_gib:.1f} GiB for KV cache (architecture unknown: parameter-only estimate)"
    elif res.spare_gib < max(TIGHT_MIN_GIB, TIGHT_FRACTION * usable):
        res.status, res.verdict = "tight", f"tight: {res.spare_gib:.1f} GiB spare"
    else:
        res.status, res.verdict = "fits", f"fits with {res.spare_gib:.1f} GiB spare"
    if kv_ok and tp_ok is not False:
        res.max_context = longest_context(lambda c: weights + kv_at(c) + overhead_at(c), usable * GIB,
                                          context_limit(model, arch, context))
    # decode: every generated token reads the active weights and the sequence's KV cache once
    bw_devices = gpus if rt.tensor_parallel else 1
    bw = hw.bandwidth_gbs_per_device * 1e9 * bw_devices * rt.efficiency
    active = (active_b or total_b) * 1e9
    read = active * fmt.bits_per_weight / 8 + ((kv or 0.0) / seqs / repl if kv_ok else 0.0)
    if bw == bw and read > 0:
        res.decode_tokens_per_s = bw / read
        notes.append(f"decode speed = {bw_devices} x {hw.bandwidth_gbs_per_device:g} GB/s x {rt.efficiency} efficiency / "
                     f"bytes read per token ({(active_b or total_b):g}B active params at {fmt.bits_per_weight:g} bpw + KV); "
                     "single sequence, memory-bound estimate")
    else:
        notes.append("memory bandwidth unknown: no speed estimate")
    res.assumptions = notes
    return res


def context_limit(model: dict, arch: Arch | None, context: int) -> int:
    """Upper end of the longest-context search: the advertised context, else the config's
    max_position_embeddings, else the chosen context."""
    return max(_i(model.get("context_claimed")) or (arch.max_position_embeddings if arch else None) or context, 1)


def longest_context(total_at, budget_bytes: float, limit: int) -> int | None:
    """Largest context c <= limit with total_at(c) <= budget (total_at is non-decreasing)."""
    if total_at(1) > budget_bytes:
        return 0
    if total_at(limit) <= budget_bytes:
        return limit
    lo, hi = 1, limit
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if total_at(mid) <= budget_bytes:
            lo = mid
        else:
            hi = mid
    return lo


def _f(v):
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


# ---------------------------------------------------------------- transformers validation model

def transformers_allocator_gib(total_params_b: float, arch: Arch, fmt: QuantFormat, input_length: int,
                               generated: int = 2048, gpus: int = 1) -> dict:
    """What torch.cuda.max_memory_allocated sees for transformers generate(): weights + KV cache for
    prompt + generated tokens (bf16, no paging) + the prefill activation peak on every GPU holding
    layers. The CUDA context is outside the allocator and excluded (as in the Qwen measurements)."""
    w = weights_bytes(total_params_b, fmt, arch)
    kv = kv_cache_bytes(arch, input_length + generated, "bf16", 1, mla_compressed=False)
    act = (activation_bytes(arch, RUNTIMES["transformers"], input_length) or 0.0) * gpus
    return {"weights_gib": w / GIB, "kv_cache_gib": kv / GIB, "activations_gib": act / GIB,
            "total_gib": (w + kv + act) / GIB}


# ---------------------------------------------------------------- deployment classes

# (class, hardware id or custom GiB, gpus) tried in order at the stated default format
DEPLOYMENT_LADDER: list[tuple[str, str | float, int]] = [
    ("phone", 6.0, 1),  # an 8 GB phone leaves roughly 6 GiB to one app (assumption)
    ("laptop", 16.0, 1),  # a 24 GB unified-memory laptop at the ~2/3 GPU working-set cap
    ("24 GB GPU", "rtx4090", 1),
    ("single H100", "h100", 1),
    ("8-GPU node", "8xh100", 8),
]
DEFAULT_CLASS_SETTINGS = {"quant": "Q4_K_M", "runtime": "llama.cpp", "context": 8192, "kv_dtype": "bf16"}
DEPLOYMENT_CLASS_NOTE = ("deployment class = smallest of phone (6 GiB), laptop (16 GiB), 24 GB GPU (RTX 4090), "
                         "single H100, 8x H100 node where the model fits at GGUF Q4_K_M with llama.cpp, 8K context, "
                         "BF16 KV cache; larger = multi-node")


def deployment_class(model: dict, arch: Arch | None) -> str:
    if not model.get("released", True):
        return "unreleased"
    if not model.get("open_weights", True):
        return "API only"
    if _f(model.get("total_params_b")) is None:
        return "unknown"
    fmt = quant_formats()[DEFAULT_CLASS_SETTINGS["quant"]]
    hw_all = hardware_presets()
    for cls, hw_id, gpus in DEPLOYMENT_LADDER:
        hw = custom_hardware(hw_id) if isinstance(hw_id, float) else hw_all[hw_id]
        r = fit_one(model, arch, hw, gpus, fmt, DEFAULT_CLASS_SETTINGS["context"],
                    DEFAULT_CLASS_SETTINGS["kv_dtype"], DEFAULT_CLASS_SETTINGS["runtime"])
        if r.status in ("fits", "tight") or (r.status == "unknown" and (r.spare_gib or -1) > 0):
            return cls
    return "multi-node"


# ---------------------------------------------------------------- database side

def load_architectures(path: Path | None = None) -> dict[str, Arch]:
    """Architecture per model: hf_config row, gaps filled from maxtext, then our curated table.

    Memoised per database file version (``db_token``): Compare and the claims audit call fit_model
    once per model, and re-reading the table (and re-parsing every MaxText config) each time cost
    ~0.15 s a call. A newly published database has a new token, so it is read afresh. The returned
    mapping is read-only (``MappingProxyType``) because it is shared."""
    from landscape.db import db_token
    token = db_token(path)
    if token not in _ARCH_CACHE:
        if len(_ARCH_CACHE) >= 4:
            _ARCH_CACHE.pop(next(iter(_ARCH_CACHE)))
        _ARCH_CACHE[token] = MappingProxyType(_read_architectures(path))
    return _ARCH_CACHE[token]


_ARCH_CACHE: dict[str, MappingProxyType] = {}


def _read_architectures(path: Path | None) -> dict[str, Arch]:
    from landscape.db import query_df
    df = query_df("SELECT * FROM architectures ORDER BY model_id, CASE source WHEN 'hf_config' THEN 0 "
                  "WHEN 'maxtext' THEN 1 ELSE 2 END", None, path)
    by: dict[str, list[Arch]] = {}
    for row in df.to_dict("records"):
        by.setdefault(row["model_id"], []).append(arch_from_row(row))
    cur = curated_architectures()
    out = {}
    for mid in set(by) | set(cur):
        chain = by.get(mid, []) + ([arch_from_row(cur[mid])] if mid in cur else [])
        out[mid] = merge_arch(*chain)
    return out


def resolve_hardware(hardware: str | Hardware, custom_gib: float | None = None) -> Hardware:
    if isinstance(hardware, Hardware):
        return hardware
    if hardware == "custom":
        return custom_hardware(custom_gib or 0)
    presets = hardware_presets()
    if hardware not in presets:
        raise ValueError(f"unknown hardware {hardware!r}; choose one of {', '.join(presets)} or custom")
    return presets[hardware]


def parse_context(context: int | str, model: dict | None = None) -> int:
    """8K/32K/128K, an integer, or 'max' (the model's advertised context: an explicit choice)."""
    if isinstance(context, str):
        c = context.strip()
        if c.upper() in CONTEXT_CHOICES:
            return CONTEXT_CHOICES[c.upper()]
        if c.lower() == "max":
            v = _i((model or {}).get("context_claimed"))
            return v or 8192
        from etl.parsing import parse_context_tokens  # "1M", "1,048,576", "32768"; ValidationError is a ValueError
        return parse_context_tokens(c)
    return int(context)


FIT_COLUMNS = ["model_id", "name", "family", "vendor", "licence_id", "open_weights", "is_moe", "total_params_b",
               "active_params_b", "status", "verdict", "fits", "weights_gib", "kv_cache_gib", "overhead_gib",
               "total_gib", "usable_gib", "spare_gib", "context", "max_context", "decode_tokens_per_s",
               "kv_bytes_per_token", "estimate_basis", "deployment_class", "assumptions"]


def fit_table(filters=None, hardware: str | Hardware = "h100", gpus: int | None = None, quant: str = "Q4_K_M",
              context: int | str = 32768, kv_dtype: str = "bf16", runtime: str = "llama.cpp",
              path: Path | None = None, seqs: int = 1, custom_gib: float | None = None) -> "pd.DataFrame":
    """One row per filtered model: the fit on ``hardware`` x ``gpus`` at ``quant``/``context``.

    ``gpus`` defaults to the preset's device count (8 for node presets). ``context`` may be an int,
    '8K'/'32K'/'128K', or 'max' (each model's advertised context). Columns: ``FIT_COLUMNS``;
    ``assumptions`` is a list of strings per row.
    """
    import pandas as pd

    from landscape import queries
    from landscape.filters import Filters
    hw = resolve_hardware(hardware, custom_gib)
    g = int(gpus or hw.devices)
    if g < 1:
        raise ValueError("gpus must be >= 1")
    if runtime not in RUNTIMES:
        raise ValueError(f"unknown runtime {runtime!r}; choose one of {', '.join(RUNTIMES)}")
    fmt = quant_formats()[quant] if quant in quant_formats() else None
    if fmt is None:
        raise ValueError(f"unknown format {quant!r}; choose one of {', '.join(quant_formats())}")
    models = queries.models(filters or Filters(), path)
    archs = load_architectures(path)
    rows = []
    for m in models.to_dict("records"):
        arch = archs.get(m["model_id"])
        ctx = parse_context(context, m)
        r = fit_one(m, arch, hw, g, fmt, ctx, kv_dtype, runtime, seqs)
        d = r.as_dict()
        d.update({k: m.get(k) for k in ("family", "vendor", "licence_id", "open_weights", "is_moe",
                                        "total_params_b", "active_params_b")})
        d["deployment_class"] = deployment_class(m, arch)
        rows.append(d)
    df = pd.DataFrame(rows, columns=FIT_COLUMNS)
    return df


def fit_model(model_id: str, hardware: str | Hardware = "h100", gpus: int | None = None, quant: str = "Q4_K_M",
              context: int | str = 32768, kv_dtype: str = "bf16", runtime: str = "llama.cpp",
              path: Path | None = None, seqs: int = 1, custom_gib: float | None = None) -> FitResult:
    """The fit of one registry model (any release state). Raises KeyError for an unknown id."""
    from landscape.db import query_df
    df = query_df("SELECT * FROM models WHERE model_id = ?", [model_id], path)
    if df.empty:
        raise KeyError(model_id)
    m = df.to_dict("records")[0]
    hw = resolve_hardware(hardware, custom_gib)
    fmt = quant_formats()[quant]
    arch = load_architectures(path).get(model_id)
    return fit_one(m, arch, hw, int(gpus or hw.devices), fmt, parse_context(context, m), kv_dtype, runtime, seqs)


AUDIT_FALLBACK_HARDWARE = {"8xh100": "8xh200", "h100": "h200"}


def audit_claims(path: Path | None = None, runtime: str = "vLLM") -> list[dict]:
    """Recompute each vendor deployment claim (data/deployment_claims.csv): whether it holds at
    8K context, the longest context for which it holds (BF16 and FP8 KV cache), the same model in
    BF16, and, when the claim fails, the next larger hardware."""
    out = []
    for c in deployment_claims():
        try:
            r = fit_model(c["model_id"], c["hardware_id"], c["gpus"], c["format"], 8192, "bf16", runtime, path)
        except KeyError:
            continue
        r8 = fit_model(c["model_id"], c["hardware_id"], c["gpus"], c["format"], 8192, "fp8", runtime, path)
        bf16 = fit_model(c["model_id"], c["hardware_id"], c["gpus"], "BF16", 8192, "bf16", runtime, path)
        alt = None
        if not r.max_context and c["hardware_id"] in AUDIT_FALLBACK_HARDWARE:
            hw2 = AUDIT_FALLBACK_HARDWARE[c["hardware_id"]]
            a = fit_model(c["model_id"], hw2, c["gpus"], c["format"], 8192, "bf16", runtime, path)
            alt = {"hardware_id": hw2, "hardware": hardware_presets()[hw2].name, "verdict_8k": a.verdict,
                   "max_context": a.max_context}
        out.append({**c, "runtime": runtime, "holds": bool(r.max_context and r.max_context >= 8192),
                    "max_context": r.max_context, "max_context_fp8_kv": r8.max_context,
                    "weights_gib": r.weights_gib, "usable_gib": r.usable_gib, "total_gib_8k": r.total_gib,
                    "kv_bytes_per_token": r.kv_bytes_per_token, "verdict_8k": r.verdict,
                    "bf16_verdict_8k": bf16.verdict, "alternative": alt, "assumptions": r.assumptions})
    return out
