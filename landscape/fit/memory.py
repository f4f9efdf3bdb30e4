"""Memory: weights in their real storage, KV cache per attention kind, activations, tensor-parallel
replication. Bytes inside; callers convert to GiB."""
from __future__ import annotations

import functools
import math

from landscape.fit.arch import Arch, moe_layers, param_breakdown
from landscape.fit.runtimes import Runtime
from landscape.fit.tables import QuantFormat, calibration

# bytes per cached element; q8_0/q4_0 are llama.cpp block formats (32 values + one fp16 scale)
KV_DTYPES: dict[str, float] = {"bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "q8_0": 34 / 32, "q4_0": 18 / 32}

# Prefill activation peak per prompt token, counted from the tensors a gated MLP keeps alive (not
# fitted): transformers' LlamaMLP / Qwen2MLP / Qwen3MLP.forward is down_proj(act_fn(gate_proj(x)) *
# up_proj(x)), so at the multiply act(gate), up and their product (3 x FFN width) are live beside
# the layer's residual and its normed input (2 x hidden size). A factor on this count fitted to the
# Qwen2.5 allocator peaks alone (A100, transformers 4.46) comes out at 1.06-1.12. Only the last
# token's logits are computed in prefill (generate() passes num_logits_to_keep: transformers PR
# #31292, merged mid-2024, before the tables' 4.46), so there is no vocab-sized term: an f32
# [prompt x 152K] logits tensor would add 594 KB per prompt token, where Qwen2.5-0.5B's whole
# growth beyond its KV cache is 35 KB per token.
ACT_FFN_TENSORS, ACT_HIDDEN_TENSORS = 3, 2
ACT_FFN_FACTOR = float(ACT_FFN_TENSORS)  # elements per token in units of the FFN width (hidden terms aside)


def act_elements_per_token(arch: Arch | None) -> float | None:
    """Activation elements live at the prefill peak per prompt token: 3 x FFN width + 2 x hidden."""
    w = ffn_width(arch)
    if w is None:
        return None
    return ACT_FFN_TENSORS * w + ACT_HIDDEN_TENSORS * (arch.hidden_size or 0)


def _gqa_elements(arch: Arch, kind: str) -> float:
    if kind == "full" and arch.global_head_dim:
        kv = arch.global_kv_heads or arch.num_kv_heads
        return kv * arch.global_head_dim * (1 if arch.k_eq_v_global else 2)
    return 2 * arch.num_kv_heads * arch.head_dim


def kv_elements_per_token_per_layer(arch: Arch, mla_compressed: bool = True, kind: str = "full") -> float:
    """Cached elements per token in one attention layer of ``kind``.

    standard / grouped-query: 2 (K and V) x kv_heads x head_dim; Gemma 4 global layers use their own
    head size and KV heads, and cache K once when V = K (attention_k_eq_v);
    MLA (DeepSeek V3, Kimi K2): kv_lora_rank + qk_rope_head_dim (one latent + the shared RoPE key),
    plus the lightning-indexer key (index_head_dim) for DeepSeek V3.2;
    decompressed MLA (transformers): heads x (qk_nope + qk_rope) for K + heads x v_head_dim for V;
    DeepSeek V4: one shared K=V head of head_dim per cached entry.
    """
    if arch.is_mla:
        if mla_compressed:
            return arch.kv_lora_rank + arch.qk_rope_head_dim + (arch.index_head_dim or 0)
        h = arch.num_attention_heads or 0
        return h * ((arch.qk_nope_head_dim or 0) + (arch.qk_rope_head_dim or 0)) + h * (arch.v_head_dim or 0)
    if arch.compress_ratios is not None:
        return arch.num_kv_heads * arch.head_dim  # K = V: one latent per entry
    return _gqa_elements(arch, kind)


def _layer_kinds(arch: Arch) -> list[str]:
    kinds = list(arch.layer_types or ["full"] * (arch.num_layers or 0))
    if arch.kv_shared_layers:  # the last N layers read an earlier layer's cache
        kinds = kinds[:len(kinds) - arch.kv_shared_layers] + ["shared"] * min(arch.kv_shared_layers, len(kinds))
    return kinds


def kv_cache_bytes(arch: Arch, context: int, kv_dtype: str = "bf16", seqs: int = 1,
                   mla_compressed: bool = True) -> float:
    """KV cache for ``seqs`` sequences of ``context`` tokens each.

    Full-attention layers grow with the context; sliding-window layers hold at most the window,
    chunked layers (Llama 4) at most the chunk; linear-attention layers hold a fixed state;
    DeepSeek V4 layers hold the 128-token window plus ceil(context / ratio) compressed entries
    (+ indexer keys on the ratio-4 layers).
    """
    b = KV_DTYPES[kv_dtype]
    window = arch.sliding_window or context
    chunk = arch.attention_chunk_size or context
    per_seq = 0.0
    for kind, r, count, el in _kv_groups(arch, mla_compressed):
        if kind == "linear":
            per_seq += (arch.linear_state_bytes_per_layer or 0) * count
            continue
        if r is not None:
            entries = min(context, window) + (math.ceil(context / r) if r else 0)
            idx = math.ceil(context / r) * (arch.index_head_dim or 0) if r == 4 else 0
            per_seq += (entries * el + idx) * b * count
            continue
        tokens = context if kind == "full" else min(context, window) if kind == "sliding" else min(context, chunk)
        per_seq += el * b * tokens * count
    return per_seq * seqs


@functools.lru_cache(maxsize=4096)
def _kv_groups(arch: Arch, mla_compressed: bool) -> tuple[tuple[str, int | None, int, float], ...]:
    """The cache-holding layers grouped as ``(kind, compress ratio or None, layer count, elements
    per token)``: the sum over layers in ``kv_cache_bytes`` is the same sum over these groups, so a
    fit (which asks for the KV cache at ~20 contexts in its longest-context search) costs a few
    groups instead of one call per layer (the 100x profile's hot spot). Memoised per architecture
    (``Arch`` is frozen, hence hashable)."""
    counts: dict[tuple[str, int | None], int] = {}
    for i, kind in enumerate(_layer_kinds(arch)):
        if kind == "shared":
            continue
        r = arch.compress_ratios[i] if arch.compress_ratios is not None and kind != "linear" else None
        counts[(kind, r)] = counts.get((kind, r), 0) + 1
    return tuple((kind, r, n, 0.0 if kind == "linear" else kv_elements_per_token_per_layer(arch, mla_compressed, kind))
                 for (kind, r), n in counts.items())


@functools.lru_cache(maxsize=8192)
def kv_bytes_per_token(arch: Arch, kv_dtype: str = "bf16", mla_compressed: bool = True) -> float:
    """Marginal bytes per extra token of context once windows/chunks are full (growing layers only).
    Memoised per architecture (a loop over every layer, asked once per fit)."""
    b = KV_DTYPES[kv_dtype]
    total = 0.0
    for i, kind in enumerate(_layer_kinds(arch)):
        if arch.compress_ratios is not None and kind in ("compressed", "sliding"):
            r = arch.compress_ratios[i]
            if r:
                total += (kv_elements_per_token_per_layer(arch, mla_compressed, kind) / r
                          + ((arch.index_head_dim or 0) / 4 if r == 4 else 0)) * b
        elif kind == "full":
            total += kv_elements_per_token_per_layer(arch, mla_compressed, kind) * b
    return total


def embedding_params(arch: Arch | None) -> float | None:
    if arch is None or not (arch.vocab_size and arch.hidden_size):
        return None
    tied = arch.tie_word_embeddings
    return arch.vocab_size * arch.hidden_size * (1 if tied else 2)


def weights_bytes(total_params_b: float, fmt: QuantFormat, arch: Arch | None = None) -> float:
    """All parameters (every expert of a MoE) x effective bits per weight / 8.

    Formats that keep embeddings / lm_head in 16 bit (GPTQ, AWQ, FP8, INT8) price those at
    ``embedding_bits`` when the architecture says how many there are. MXFP4 quantises the routed
    experts only (gpt-oss keeps attention, router, embeddings in BF16) when the expert count is known;
    FP8 on a checkpoint whose config stores experts in FP4 (DeepSeek V4 ``expert_dtype``) prices the
    experts at that width.
    """
    total = total_params_b * 1e9
    experts = expert_params(arch)
    if fmt.format == "MXFP4" and experts and experts < total:
        return experts * fmt.bits_per_weight / 8 + (total - experts) * 2
    if arch is not None and arch.expert_bits and fmt.kernel_class == "fp8" and experts and experts < total:
        # the checkpoint's own layout (DeepSeek V4: FP8 weights with FP4 experts)
        return experts * arch.expert_bits / 8 + (total - experts) * fmt.bits_per_weight / 8
    emb = embedding_params(arch) if fmt.embedding_bits else None
    if emb is None or emb >= total:
        return total * fmt.bits_per_weight / 8
    return emb * fmt.embedding_bits / 8 + (total - emb) * fmt.bits_per_weight / 8


def expert_params(arch: Arch | None) -> float | None:
    """Routed-expert parameters: MoE layers x experts x 3 x hidden x expert width (None if not MoE)."""
    if arch is None:
        return None
    pb = param_breakdown(arch)
    if pb:
        return pb["experts"] or None
    if not (arch.num_experts and arch.moe_intermediate_size and arch.hidden_size):
        return None
    return moe_layers(arch) * arch.num_experts * 3 * arch.hidden_size * arch.moe_intermediate_size


def config_params_b(arch: Arch | None, stated_b: float | None) -> tuple[float | None, float | None, str]:
    """(total, active) parameters in billions counted from the config, used when they agree with the
    vendor-stated total within 25% (names round: "Qwen3-1.7B" has 2.03e9) and the checkpoint is
    text-only; else (None, None) and the stated values are used."""
    pb = param_breakdown(arch)
    if not pb:
        return None, None, ""
    if arch.multimodal:
        return None, None, "multimodal checkpoint: vendor-stated parameters used (the config count omits the vision tower)"
    total = (pb["embed"] + pb["head"] + pb["body"] + pb["experts"]) / 1e9
    active = (pb["embed"] + pb["head"] + pb["active_body"]) / 1e9
    if stated_b and abs(total / stated_b - 1) > 0.25:
        return None, None, (f"parameters counted from the config ({total:.2f}B) differ from the stated "
                            f"{stated_b:g}B by more than 25%: stated value used")
    return total, active, f"parameters counted from the config: {total:.3f}B total, {active:.3f}B active per token"


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
    el = act_elements_per_token(arch)
    if el is None:
        return None
    if rt.whole_prompt_prefill or rt.prefill_tokens is None:
        tokens = context  # transformers: the whole prompt in one pass
    elif rt.fixed_budget_prefill:
        tokens = rt.prefill_tokens  # vLLM/SGLang profile at the batched-token budget whatever the context
    else:
        tokens = min(context, rt.prefill_tokens)  # llama.cpp: one ubatch
    act = tokens * el * rt.act_bytes
    if rt.f32_logits_per_ubatch and arch.vocab_size:
        act += tokens * arch.vocab_size * 4  # f32 logits for the ubatch
    return act


def tp_check(arch: Arch | None, gpus: int) -> tuple[bool | None, str, int]:
    """Tensor-parallel divisibility: (ok, explanation, KV replication factor).

    GQA: KV heads split over the ranks; with fewer KV heads than ranks each head is replicated
    (TP / KV heads copies). MLA: the single latent is replicated on every rank (TP copies).
    DeepSeek V4 (1 shared K=V head): replicated on every rank."""
    if gpus <= 1:
        return True, "", 1
    if arch is None or not arch.num_attention_heads:
        return None, "attention heads unknown: tensor-parallel divisibility not checked", 1
    h, kv = arch.num_attention_heads, arch.num_kv_heads or arch.num_attention_heads
    if h % gpus:
        return False, f"{h} attention heads are not divisible by tensor parallel {gpus}", 1
    if arch.is_mla:
        return True, f"MLA latent replicated on each of the {gpus} tensor-parallel ranks", gpus
    if kv % gpus == 0:
        return True, "", 1
    if gpus % kv == 0:
        return True, f"{kv} KV heads < TP {gpus}: each KV head is replicated {gpus // kv}x", gpus // kv
    return False, f"{kv} KV heads cannot be split over tensor parallel {gpus}", 1


def transformers_allocator_gib(total_params_b: float, arch: Arch, fmt: QuantFormat, input_length: int,
                               generated: int = 2048, gpus: int = 1, cal: dict | None = None) -> dict:
    """What torch.cuda.max_memory_allocated sees for transformers generate() (the measured tables'
    number): weights + the larger of the prefill peak (KV cache of the prompt + the activation peak,
    3 x FFN + 2 x hidden elements x 2 bytes per prompt token, on every GPU of a device_map split) and
    the decode end (KV cache of prompt + generated tokens; BF16, MLA decompressed, no paging), + the
    calibrated allocator bytes per GPU. The generated tokens' cache does not exist yet during prefill,
    and the prefill activations are freed before decoding. The CUDA context is outside the allocator
    and excluded; ``fit_one`` adds it (0.5 GiB per GPU) for the verdict. ``cal``: coefficients
    (default: data/fit_calibration.csv)."""
    from landscape.fit.tables import GIB
    cal = calibration() if cal is None else cal
    fixed = cal.get("transformers.allocator_fixed_gib", 0.0) * gpus * GIB
    w = weights_bytes(total_params_b, fmt, arch)
    kv_prompt = kv_cache_bytes(arch, input_length, "bf16", 1, mla_compressed=False)
    kv = kv_cache_bytes(arch, input_length + generated, "bf16", 1, mla_compressed=False)
    act = input_length * (act_elements_per_token(arch) or 0) * 2 * gpus
    peak = max(kv_prompt + act, kv)
    return {"weights_gib": w / GIB, "kv_cache_gib": kv / GIB, "activations_gib": max(0.0, peak - kv) / GIB,
            "fixed_gib": fixed / GIB, "total_gib": (w + peak + fixed) / GIB}
