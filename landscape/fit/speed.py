"""Speed: decode time per token, prefill time and request time (single stream, batch 1).

decode seconds per token = sum over terms of (calibrated coefficient x feature):

- weight bytes read per token / bandwidth, one coefficient per runtime and kernel class (bf16, fp8,
  gptq-int8, gptq-int4, awq, gguf...): 1 / achieved bandwidth efficiency, dequantisation included;
  MoE reads the non-expert weights plus the active experts only, lm_head always, embeddings one row;
- routed-expert bytes / bandwidth again, per kernel backend and format shared by the runtimes on it
  (``cuda.moe_k_*``: MoE expert kernels are slower than dense GEMV);
- KV cache bytes read per token / bandwidth, one attention coefficient shared by all runtimes,
  fitted on the slowdown of the same setup as its context grows (calibrate.kv_slope), or where no decode
  rows give it, on request rows of one setup at several prompt lengths (calibrate.kv_from_requests);
- layers x a per-layer floor (kernel launches, sampling) per runtime, plus a per-layer extra per
  quantised format shared by every runtime (``fmt.*``: the dequantisation kernels each linear layer
  adds): dominates small models; on an eager runtime (transformers) the floor is host-side Python
  dispatch that overlaps the device's work, so decode time = max(host floor, device time);
- layers x a per-layer tensor-parallel cost (two all-reduces) when split over GPUs;
- MoE layers x experts x a per-expert cost when the runtime loops over experts (transformers).

prefill seconds = max(FLOPs / (peak TFLOPs x devices x calibrated utilisation), weights / bandwidth);
request seconds = prefill(prompt) + answer tokens x decode time at the mean context.
Coefficients: data/fit_calibration.csv (bench/fit_validation.py --write); fallbacks below.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from landscape.fit.arch import Arch, layer_counts, moe_layers, param_breakdown
from landscape.fit.memory import kv_cache_bytes
from landscape.fit.runtimes import Runtime
from landscape.fit.tables import Hardware, QuantFormat

FALLBACK = {"layer_us": 60.0, "host_us": 600.0, "tp_layer_us": 30.0, "moe_k": 0.0, "expert_loop_us": 60.0,
            "prefill_mfu": 0.35}


def is_host(key: str) -> bool:
    """Host-side (Python dispatch) terms, which overlap the device's work on eager runtimes."""
    name = key.rpartition(".")[2]
    return name.startswith("host_us") or name == "expert_loop_us"


def combine(terms: dict[str, float], eager: bool) -> float:
    """Sum of coefficient x feature; an eager runtime takes max(host part, device part)."""
    host = sum(v for k, v in terms.items() if is_host(k))
    device = sum(v for k, v in terms.items() if not is_host(k))
    return max(host, device) if eager else host + device


@dataclass(frozen=True)
class SpeedInputs:
    total_b: float
    active_b: float
    arch: Arch | None
    fmt: QuantFormat
    hw: Hardware
    gpus: int
    rt: Runtime
    kv_dtype: str = "bf16"
    kv_replication: int = 1


def read_bytes(si: SpeedInputs) -> dict[str, float]:
    """Bytes one decoded token reads, by kernel class: the format's class, 'bf16' (16-bit embeddings /
    lm_head kept by GPTQ/AWQ/FP8), and 'experts' (routed experts, also counted in their class)."""
    fmt, a = si.fmt, si.arch
    kc = fmt.kernel_class
    pb = param_breakdown(a)
    out = dict.fromkeys({kc, "bf16", "experts"}, 0.0)
    if pb:
        scale = si.total_b * 1e9 / (pb["embed"] + pb["head"] + pb["body"] + pb["experts"])
        head = pb["embed"] * scale  # lm_head (or the tied embedding used as lm_head), read whole
        experts_active = (pb["active_body"] - pb["body"]) * scale
        body = pb["body"] * scale
        hb = fmt.embedding_bits or fmt.bits_per_weight
        out["bf16" if fmt.embedding_bits else kc] += head * hb / 8
        if fmt.format == "MXFP4":
            out["bf16"] += body * 2
        else:
            out[kc] += body * fmt.bits_per_weight / 8
        out[kc] += experts_active * fmt.bits_per_weight / 8
        out["experts"] = experts_active * fmt.bits_per_weight / 8
        return out
    active = (si.active_b or si.total_b) * 1e9
    out[kc] += active * fmt.bits_per_weight / 8
    if si.active_b and si.active_b < si.total_b:
        out["experts"] = active * fmt.bits_per_weight / 8 * 0.8  # no config: ~80% of active weights in experts
    return out


def _bandwidth(si: SpeedInputs) -> float:
    """Bytes/s the decode reads at: tensor parallel spreads every layer over all devices; a layer
    split (llama.cpp, device_map) runs one device at a time."""
    devices = si.gpus if si.rt.tensor_parallel else 1
    return si.hw.bandwidth_gbs_per_device * 1e9 * devices


def is_metal(hw: Hardware) -> bool:
    """Apple silicon (unified memory with a Metal working-set cap): its own kernel-launch costs."""
    return bool(hw.unified_memory and hw.gpu_cap_gib_per_device)


def calibration_key(rt: Runtime, hw: Hardware) -> str:
    """Constants are per runtime, and per backend where one runtime has two (llama.cpp CUDA vs Metal)."""
    key = rt.calibration_key or rt.name
    return f"{key}-metal" if is_metal(hw) else key


# Scopes whose coefficients are shared by every runtime (not per runtime, never pooled into default.*):
# attention KV reads, tensor-parallel all-reduces, and the per-backend kernel tables
SHARED_SCOPES = ("tp", "attn", "cuda", "metal", "fmt")


def backend(hw: Hardware) -> str:
    """The kernel backend the weights are read with: Metal on Apple silicon, else CUDA-class GPUs."""
    return "metal" if is_metal(hw) else "cuda"


def decode_features(si: SpeedInputs, context: int) -> dict[str, float] | None:
    bw = _bandwidth(si)
    if not bw == bw or bw <= 0:
        return None
    rb = read_bytes(si)
    kc = si.fmt.kernel_class
    rt = calibration_key(si.rt, si.hw)
    f: dict[str, float] = {}
    f[f"{rt}.k_{kc}"] = rb[kc] / bw
    if kc != "bf16" and rb["bf16"]:
        f[f"{rt}.k_bf16"] = rb["bf16"] / bw
    a = si.arch
    if a is not None and a.kv_known:
        kv = kv_cache_bytes(a, max(context, 1), si.kv_dtype, 1, si.rt.mla_compressed)
        # replicated copies are read in parallel by their own ranks; one coefficient for every runtime
        # (attention kernels at batch 1), fitted on how decode slows as the context grows
        f["attn.kv"] = kv / bw
    layers = (a.num_layers if a and a.num_layers else max(round(8 * (si.total_b ** 0.4)), 16))
    # per-layer floor: on the device (CUDA graphs: kernel latencies add up) or, for an eager runtime,
    # on the host (Python dispatch), where it overlaps the device's work: time = max(host, device)
    floor = "host_us" if si.rt.eager_dispatch else "layer_us"
    f[f"{rt}.{floor}"] = layers * 1e-6
    if kc != "bf16":  # the format's dequantisation kernels, the same on every runtime
        f[f"fmt.{floor}_{kc}"] = layers * 1e-6
    if rb["experts"]:  # MoE expert kernels: a property of the backend's kernels, shared by its runtimes
        f[f"{backend(si.hw)}.moe_k_{kc}"] = rb["experts"] / bw
    if si.rt.loops_over_experts and a is not None and a.num_experts:
        f[f"{rt}.expert_loop_us"] = moe_layers(a) * a.num_experts * 1e-6
    if si.gpus > 1 and si.rt.tensor_parallel:
        f["tp.tp_layer_us"] = layers * math.log2(si.gpus) * 1e-6
    return f


def coefficient(key: str, cal: dict[str, float]) -> float:
    """A calibrated coefficient ``<runtime>.<name>``. Fallbacks, in order: the runtime's BF16 value
    of a per-kernel-class name (``k_awq`` -> ``k_bf16``), the pooled ``default.<name>`` fitted over
    every runtime (a runtime never measured), its BF16 value, then the documented FALLBACK. A shared
    per-format floor (``fmt.*``) never measured takes the median measured extra of its kind."""
    if key in cal:
        return cal[key]
    rt, _, name = key.rpartition(".")
    if rt == "fmt":
        # a format's extra per-layer floor (dequantisation kernels) never measured: the median of the
        # measured formats' extras of the same kind (host or device), else none
        kind = name.rsplit("_", 1)[0] + "_"
        seen = sorted(v for k, v in cal.items() if k.startswith(f"fmt.{kind}"))
        return seen[len(seen) // 2] if seen else 0.0
    base = next((b for b in ("moe_k", "k", "layer_us", "host_us") if name.startswith(b + "_")), name)
    bf16 = f"{base}_bf16" if base != name else None
    for k in ([f"{rt}.{bf16}"] if bf16 else []) + [f"default.{name}"] + ([f"default.{bf16}"] if bf16 else []):
        if k in cal:
            return cal[k]
    if name.startswith("k_") or name == "kv":
        return 1 / 0.6
    return FALLBACK.get(base, 0.0)


def decode_seconds(si: SpeedInputs, context: int, cal: dict[str, float]) -> float | None:
    f = decode_features(si, context)
    if f is None:
        return None
    return combine({k: coefficient(k, cal) * v for k, v in f.items()}, si.rt.eager_dispatch)


def prefill_flops(si: SpeedInputs, prompt: int) -> float:
    a = si.arch
    active = (si.active_b or si.total_b) * 1e9
    flops = 2 * active * prompt
    if a is not None and a.kv_known and a.num_attention_heads:
        c = layer_counts(a)
        hd = a.head_dim or (a.qk_nope_head_dim or 0) + (a.qk_rope_head_dim or 0)
        d = a.num_attention_heads * hd
        w = a.sliding_window or prompt
        flops += 2 * d * prompt * (c["full"] * prompt + c["sliding"] * min(prompt, w)
                                   + c["chunked"] * min(prompt, a.attention_chunk_size or prompt)
                                   + c["compressed"] * prompt / 4)
    return flops


def prefill_seconds(si: SpeedInputs, prompt: int, cal: dict[str, float]) -> float | None:
    tf = si.hw.tflops_bf16_per_device
    bw = _bandwidth(si)
    if not (tf == tf and tf > 0 and bw == bw):
        return None
    devices = si.gpus if si.rt.tensor_parallel else 1
    mfu = coefficient(f"{calibration_key(si.rt, si.hw)}.prefill_mfu", cal)
    compute = prefill_flops(si, prompt) / (tf * 1e12 * devices * mfu)
    memory = sum(v for k, v in read_bytes(si).items() if k != "experts") / bw
    return max(compute, memory)


def request_seconds(si: SpeedInputs, prompt: int, answer: int, cal: dict[str, float]) -> float | None:
    """Prefill the prompt, then ``answer`` tokens decoded at the mean context (prompt + answer / 2)."""
    p = prefill_seconds(si, prompt, cal) if prompt > 1 else 0.0
    d = decode_seconds(si, prompt + answer // 2, cal)
    if p is None or d is None:
        return None
    return p + answer * d
