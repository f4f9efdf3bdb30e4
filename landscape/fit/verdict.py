"""One model on one setup: memory breakdown with its error range, verdict text, longest context,
decode speed and request time with their ranges, deployment class."""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

from landscape.fit.arch import Arch
from landscape.fit.memory import (KV_DTYPES, activation_bytes, config_params_b, kv_bytes_per_token,
                                  kv_cache_bytes, tp_check, weights_bytes)
from landscape.fit.runtimes import get_runtime
from landscape.fit.speed import SpeedInputs, decode_seconds, request_seconds
from landscape.fit.tables import GIB, Hardware, QuantFormat, calibration, custom_hardware, hardware_presets, quant_formats

TIGHT_MIN_GIB = 1.0  # with no measured range: less than 1 GiB (or 10%) spare is "tight"
TIGHT_FRACTION = 0.10
# error ranges (p10-p90 of measured / estimated on held-out rows) when the calibration has none
DEFAULT_RANGES = {"memory": (0.9, 1.1), "decode": (0.6, 1.4), "request": (0.6, 1.4)}


def error_range(quantity: str, runtime: str | None = None) -> tuple[float, float]:
    """(p10, p90) of measured / estimated for ``quantity`` (memory | decode | request) from the
    leave-one-model-out residuals in data/fit_calibration.csv; per runtime when it was measured."""
    cal = calibration()
    for key in ((f"{quantity}.{runtime}" if runtime else None), quantity):
        if key and f"range.{key}.p10" in cal and f"range.{key}.p90" in cal:
            return cal[f"range.{key}.p10"], cal[f"range.{key}.p90"]
    return DEFAULT_RANGES[quantity]


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
    total_gib_low: float | None = None
    total_gib_high: float | None = None
    usable_gib: float | None = None
    spare_gib: float | None = None
    fits: bool | None = None
    max_context: int | None = None
    max_context_low: int | None = None  # the longest context if memory is at the high end (p90) of its range
    max_context_high: int | None = None  # ... at the low end (p10)
    context: int | None = None
    decode_tokens_per_s: float | None = None
    decode_tokens_per_s_low: float | None = None
    decode_tokens_per_s_high: float | None = None
    prompt_tokens: int | None = None
    answer_tokens: int | None = None
    request_seconds: float | None = None
    request_seconds_low: float | None = None
    request_seconds_high: float | None = None
    kv_bytes_per_token: float | None = None
    attention: str | None = None
    estimate_basis: str = ""  # architecture | parameters only | none
    assumptions: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The fields as a dict (a shallow copy: ``dataclasses.asdict`` deep-copies every value and
        was a tenth of a 100x fit table's time); ``assumptions`` is a new list."""
        d = dict(self.__dict__)
        d["assumptions"] = list(self.assumptions)
        return d


def _f(v):
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _i(v):
    f = _f(v)
    return None if f is None else int(f)


def _usable_gib(hw: Hardware, gpus: int, rt) -> float:
    return hw.usable_gib_per_device * gpus * rt.memory_utilization


@functools.lru_cache(maxsize=256)
def _setup_notes(rt, fmt: QuantFormat, hw: Hardware, kv_dtype: str, context: int, seqs: int) -> tuple[str, ...]:
    """The assumptions every model shares on one setup (runtime, format, hardware, KV dtype,
    context): built once per setup instead of once per model of a fit table."""
    notes = [rt.note, f"weights: {fmt.label} at {fmt.bits_per_weight:g} effective bits per weight ({fmt.note}; {fmt.source_url})",
             f"hardware: {hw.name}: {hw.memory_gib_per_device:g} GiB and {hw.bandwidth_gbs_per_device:g} GB/s per device"
             + (f", {hw.tflops_bf16_per_device:g} dense BF16 TFLOPs" if hw.tflops_bf16_per_device == hw.tflops_bf16_per_device else "")
             + f"; {hw.note}"]
    if hw.gpu_cap_gib_per_device:
        notes.append(f"GPU may use at most {hw.gpu_cap_gib_per_device:g} GiB of {hw.memory_gib_per_device:g} GiB unified memory (Metal recommendedMaxWorkingSetSize)")
    if kv_dtype not in rt.kv_dtypes:
        notes.append(f"KV dtype {kv_dtype} is not offered by {rt.name} (it offers {', '.join(rt.kv_dtypes)})")
    notes.append(f"context {context:,} tokens x {seqs} concurrent sequence(s), chosen by the user (not the advertised maximum)")
    return tuple(notes)


def fit_one(model: dict, arch: Arch | None, hw: Hardware, gpus: int, fmt: QuantFormat, context: int,
            kv_dtype: str = "bf16", runtime: str = "llama.cpp", seqs: int = 1, prompt_tokens: int | None = None,
            answer_tokens: int | None = None) -> FitResult:
    """Memory breakdown (with range), verdict, longest fitting context, decode speed (with range) and,
    when ``prompt_tokens``/``answer_tokens`` are given, the request time of one such request."""
    rt = get_runtime(runtime)
    if kv_dtype not in KV_DTYPES:
        raise ValueError(f"unknown KV dtype {kv_dtype!r}")
    mid, name = model.get("model_id"), model.get("name") or model.get("model_id")
    res = FitResult(mid, name, "unknown", "unknown", context=context)
    notes = list(_setup_notes(rt, fmt, hw, kv_dtype, context, seqs))
    if not model.get("released", True):
        res.status, res.verdict, res.estimate_basis = "unreleased", "not available (unreleased checkpoint)", "none"
        res.assumptions = ["unreleased: neither weights nor an API to deploy"]
        return res
    if not model.get("open_weights", True):
        res.status, res.verdict, res.estimate_basis = "api_only", "API only (closed weights)", "none"
        res.assumptions = ["closed weights: no self-hosted deployment"]
        return res
    stated_total, stated_active = _f(model.get("total_params_b")), _f(model.get("active_params_b"))
    if stated_total is None:
        res.verdict, res.estimate_basis = "unknown: parameter count not disclosed", "none"
        res.assumptions = notes
        return res
    cfg_total, cfg_active, pnote = config_params_b(arch, stated_total)
    total_b = cfg_total or stated_total
    active_b = cfg_active if cfg_total else (stated_active or stated_total)
    if pnote:
        notes.append(pnote)
    weights = weights_bytes(total_b, fmt, arch)
    if arch is not None and arch.expert_bits and fmt.kernel_class == "fp8":
        notes.append(f"checkpoint stores routed experts at {arch.expert_bits:g} bits (config expert_dtype / MXFP4): "
                     "priced so under FP8")
    notes.append(f"total parameters {total_b:.4g}B ({'config' if cfg_total else 'vendor-stated'}; all experts of a MoE "
                 f"are held in memory), {active_b:.4g}B read per token")
    usable = _usable_gib(hw, gpus, rt)
    res.usable_gib = usable
    res.weights_gib = weights / GIB
    # fixed per GPU: CUDA context / graphs / NCCL (runtime profile) + what the allocator holds beyond
    # weights, KV and activations (calibrated for transformers on the measured allocator peaks)
    fixed = (rt.fixed_gib_per_gpu + rt.constant("allocator_fixed_gib", 0.0)) * gpus * GIB
    if hw.unified_memory and rt.no_context_on_unified and hw.gpu_cap_gib_per_device:  # Apple Metal
        fixed = 0.0

    kv_ok = arch is not None and arch.kv_known
    if arch is not None:
        res.attention = arch.attention_type or "unknown"
        notes.append(f"attention: {res.attention}")
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
            act *= gpus if rt.activations_per_gpu else 1
            return act + fixed

        kv = kv_at(context)
        over = overhead_at(context)
        res.kv_bytes_per_token = kv_bytes_per_token(arch, kv_dtype, mla_c) * repl
    else:
        res.estimate_basis = "parameters only"
        notes.extend(dict.fromkeys(arch.notes if arch else ()))
        notes.append("architecture or attention type unknown: KV cache and activations NOT estimated "
                     "(weights + runtime fixed overhead only)")
        kv, over = None, fixed
        kv_at = overhead_at = None
    res.kv_cache_gib = None if kv is None else kv / GIB
    res.overhead_gib = over / GIB
    total = weights + (kv or 0.0) + over
    lo, hi = error_range("memory", rt.name)
    res.total_gib = total / GIB
    if kv_ok:  # a parameter-only total leaves KV out: no range around a partial sum
        res.total_gib_low, res.total_gib_high = res.total_gib * lo, res.total_gib * hi
    notes.append(f"memory range {lo:.2f}-{hi:.2f} x the estimate: p10-p90 of measured/estimated on held-out "
                 "measurements (bench/fit_validation.py)")
    res.spare_gib = usable - res.total_gib
    margin = max(TIGHT_MIN_GIB, TIGHT_FRACTION * usable) if hi <= 1.0 else 0.0
    if tp_ok is False:
        res.status, res.verdict = "no", f"does not fit: {tp_msg}"
    elif res.spare_gib < 0:
        res.status = "no"
        rng = f" ({res.total_gib_low:.1f}-{res.total_gib_high:.1f})" if kv_ok else " (weights + fixed only)"
        res.verdict = (f"does not fit: needs {res.total_gib:.1f} GiB{rng}, "
                       f"{usable:.1f} GiB usable ({-res.spare_gib:.1f} GiB short)")
    elif not kv_ok:
        res.status = "unknown"
        res.verdict = (f"weights fit with {res.spare_gib:.1f} GiB for KV cache (architecture unknown: "
                       "parameter-only estimate)")
    elif res.total_gib_high > usable or res.spare_gib < margin:
        res.status = "tight"
        res.verdict = (f"tight: may not fit (needs {res.total_gib:.1f} GiB, range {res.total_gib_low:.1f}-"
                       f"{res.total_gib_high:.1f}, of {usable:.1f} GiB usable)")
    else:
        res.status = "fits"
        res.verdict = (f"fits with {res.spare_gib:.1f} GiB spare (needs {res.total_gib:.1f} GiB, range "
                       f"{res.total_gib_low:.1f}-{res.total_gib_high:.1f})")
    res.fits = (res.status in ("fits", "tight")) if kv_ok else (False if res.status == "no" else None)
    if kv_ok and tp_ok is not False:
        limit = context_limit(model, arch, context)

        def total_at(c):
            return weights + kv_at(c) + overhead_at(c)
        res.max_context = longest_context(total_at, usable * GIB, limit)
        if res.max_context is not None:
            res.max_context_low = longest_context(lambda c: total_at(c) * hi, usable * GIB, limit)
            res.max_context_high = longest_context(lambda c: total_at(c) * lo, usable * GIB, limit)
    if res.status == "no":
        notes.append("does not fit: no speed estimate")
        res.assumptions = notes
        return res
    si = SpeedInputs(total_b, active_b, arch, fmt, hw, gpus, rt, kv_dtype, repl)
    cal = calibration()
    t = decode_seconds(si, context, cal)
    if t:
        dlo, dhi = error_range("decode", rt.name)
        res.decode_tokens_per_s = 1 / t
        res.decode_tokens_per_s_low, res.decode_tokens_per_s_high = res.decode_tokens_per_s * dlo, res.decode_tokens_per_s * dhi
        notes.append(f"decode speed: bytes read per token ({active_b:.3g}B active params at their storage + the "
                     f"sequence's KV cache) / {gpus if rt.tensor_parallel else 1} x {hw.bandwidth_gbs_per_device:g} GB/s "
                     f"with {rt.name}'s calibrated kernel efficiency for {fmt.kernel_class}, plus a per-layer floor"
                     + (" and tensor-parallel all-reduces" if rt.tensor_parallel and gpus > 1 else "")
                     + f"; single sequence; range {dlo:.2f}-{dhi:.2f} x (held-out p10-p90)")
        if not (arch is not None and arch.num_layers):
            notes.append("layer count unknown: the per-layer floor uses a layer count guessed from the parameter "
                         "count and no KV read is counted (a rougher speed than the measured error range says)")
    else:
        notes.append("memory bandwidth unknown: no speed estimate")
    if prompt_tokens is not None and answer_tokens is not None and t:
        res.prompt_tokens, res.answer_tokens = int(prompt_tokens), int(answer_tokens)
        req = request_seconds(si, res.prompt_tokens, res.answer_tokens, cal)
        if req is not None:
            rlo, rhi = error_range("request", rt.name)
            res.request_seconds = req
            # measured / estimated speed at p10 is the slow end: time / p10 is the high end of the time
            res.request_seconds_low, res.request_seconds_high = req / rhi, req / rlo
            notes.append(f"request time: prefill {prompt_tokens:,} tokens at the device's peak TFLOPs x calibrated "
                         f"utilisation + {answer_tokens:,} tokens decoded at the mean context")
        else:
            notes.append("peak TFLOPs unknown: no request-time estimate")
    res.assumptions = notes
    return res


def context_limit(model: dict, arch: Arch | None, context: int) -> int:
    """Upper end of the longest-context search: the advertised context, else the config's
    max_position_embeddings, else the chosen context."""
    return max(_i(model.get("context_claimed")) or (arch.max_position_embeddings if arch else None) or context, 1)


def longest_context(total_at, budget_bytes: float, limit: int) -> int | None:
    """Largest context c <= limit with total_at(c) <= budget (total_at is non-decreasing); None when
    not even one token fits (no longest context, never 0).

    The bracket lo (fits) < hi (does not) shrinks until hi = lo + 1, so the answer is the same as a
    bisection's (the largest fitting c of a non-decreasing function is unique); each step guesses by
    linear interpolation, exact for memory that is linear in the context (within one piece of the
    sliding-window / chunk kinks) and checked on both sides, and falls back to halving whenever a
    guess shrank the bracket by less than half. A 1M-token search takes ~4-8 evaluations, not ~21."""
    f_lo = total_at(1)
    if f_lo > budget_bytes:
        return None
    f_hi = total_at(limit)
    if f_hi <= budget_bytes:
        return limit
    lo, hi, bisect = 1, limit, False
    while hi - lo > 1:
        width = hi - lo
        if bisect or not f_hi > f_lo:
            mid = (lo + hi) // 2
        else:
            x = lo + (budget_bytes - f_lo) * (hi - lo) / (f_hi - f_lo)
            mid = min(max(int(x), lo + 1), hi - 1)
        f_mid = total_at(mid)
        if f_mid <= budget_bytes:
            lo, f_lo = mid, f_mid
            if not bisect and hi - lo > 1:  # the guess is usually the boundary: check the token after it
                f_next = total_at(lo + 1)
                if f_next > budget_bytes:
                    return lo
                lo, f_lo = lo + 1, f_next
        else:
            hi, f_hi = mid, f_mid
            if not bisect and hi - lo > 1:
                f_prev = total_at(hi - 1)
                if f_prev <= budget_bytes:
                    return hi - 1
                hi, f_hi = hi - 1, f_prev
        bisect = hi - lo > width // 2
    return lo


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
    rt = get_runtime(DEFAULT_CLASS_SETTINGS["runtime"])
    cfg_total = config_params_b(arch, _f(model.get("total_params_b")))[0]
    weights_gib = weights_bytes(cfg_total or _f(model.get("total_params_b")), fmt, arch) / GIB
    for cls, hw_id, gpus in DEPLOYMENT_LADDER:
        hw = custom_hardware(hw_id) if isinstance(hw_id, float) else hw_all[hw_id]
        if weights_gib > _usable_gib(hw, gpus, rt):
            # the weights alone exceed the usable memory: fit_one would say "does not fit" (its total
            # adds KV cache and overheads, never less than zero), so the full fit is skipped
            continue
        r = fit_one(model, arch, hw, gpus, fmt, DEFAULT_CLASS_SETTINGS["context"],
                    DEFAULT_CLASS_SETTINGS["kv_dtype"], DEFAULT_CLASS_SETTINGS["runtime"])
        if r.status in ("fits", "tight") or (r.status == "unknown" and (r.spare_gib or -1) > 0):
            return cls
    return "multi-node"
