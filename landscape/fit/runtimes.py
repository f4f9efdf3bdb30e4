"""Runtime profiles: what each serving stack does with memory and time, as keyword flags (the
formulas never test a runtime's name). Speed constants come from ``data/fit_calibration.csv``
(fitted by ``bench/fit_validation.py --write``); the values here are the fallbacks."""
from __future__ import annotations

from dataclasses import dataclass

from landscape.fit.tables import calibration


@dataclass(frozen=True)
class Runtime:
    name: str
    memory_utilization: float  # fraction of device memory the runtime may use
    fixed_gib_per_gpu: float  # CUDA context, CUDA graphs, NCCL, allocator slack (outside the KV pool)
    prefill_tokens: int | None  # tokens processed in one forward pass (None = whole prompt)
    efficiency: float  # fallback: achieved / peak memory bandwidth during decode
    act_bytes: float  # bytes per activation element
    tensor_parallel: bool  # splits each layer across GPUs (needs head divisibility)
    mla_compressed: bool  # caches the MLA latent (False: decompressed K and V per head)
    note: str
    # behaviour flags
    whole_prompt_prefill: bool = False  # activations scale with the whole prompt (transformers generate)
    activations_per_gpu: bool = False  # every GPU of a layer split holds its own activation peak
    fixed_budget_prefill: bool = False  # activations profiled at prefill_tokens whatever the context (vLLM, SGLang)
    f32_logits_per_ubatch: bool = False  # llama.cpp: logits of a whole ubatch in f32
    no_context_on_unified: bool = False  # Metal: no CUDA context to deduct on unified-memory Macs
    kv_dtypes: tuple[str, ...] = ("bf16", "fp16", "fp8")  # KV cache dtypes the runtime offers
    loops_over_experts: bool = False  # MoE experts run one at a time (transformers eager MoE)
    eager_dispatch: bool = False  # no CUDA graphs: host dispatch per layer overlaps device work
    calibration_key: str = ""  # prefix in data/fit_calibration.csv

    def constant(self, key: str, default: float) -> float:
        """A calibrated constant of this runtime (``<calibration_key>.<key>``), else ``default``."""
        cal = calibration()
        return cal.get(f"{self.calibration_key or self.name}.{key}", cal.get(f"default.{key}", default))


def _tensor_parallel_server(name: str, memory_utilization: float, efficiency: float, memory: str, prefill: str) -> Runtime:
    """vLLM and SGLang: a static share of each device, ~1 GiB per GPU outside the KV pool, activations
    profiled at a fixed 8192-token prefill budget, bf16 activations, tensor parallel, MLA latent cached."""
    return Runtime(name, memory_utilization, 1.0, 8192, efficiency, 2.0, True, True,
                   f"{name}: {memory}; ~1 GiB per GPU for CUDA context, CUDA graphs and NCCL; {prefill}; tensor "
                   "parallel across GPUs (heads must divide)", fixed_budget_prefill=True, calibration_key=name)


RUNTIMES: dict[str, Runtime] = {
    "llama.cpp": Runtime(
        "llama.cpp", 1.0, 0.3, 512, 0.65, 4.0, False, True,
        "llama.cpp (also Ollama, LM Studio): all device memory usable; ~0.3 GiB CUDA context per GPU (none counted "
        "on Metal); compute buffer for one 512-token ubatch in f32 (logits + FFN intermediates); multi-GPU = layer "
        "split, so decode runs at one device's bandwidth",
        f32_logits_per_ubatch=True, no_context_on_unified=True, kv_dtypes=("bf16", "fp16", "q8_0", "q4_0"),
        calibration_key="llama.cpp"),
    "vLLM": _tensor_parallel_server(
        "vLLM", 0.9, 0.65, "gpu_memory_utilization 0.9 (default) of each device",
        "activation peak profiled at max_num_batched_tokens 8192; KV cache takes the rest (paged)"),
    "SGLang": _tensor_parallel_server(
        "SGLang", 0.85, 0.5, "mem_fraction_static 0.85 (the Qwen3 benchmark's setting) of each device for weights + KV pool",
        "activations profiled at chunked_prefill_size 8192"),
    "transformers": Runtime(
        "transformers", 1.0, 0.5, None, 0.4, 2.0, False, False,
        "transformers generate(): whole prompt prefilled at once (activation peak per prompt token on every GPU of a "
        "device_map split); ~0.5 GiB CUDA context per GPU (not seen by the PyTorch allocator); MLA models cache "
        "decompressed K/V; MoE experts run one after another",
        whole_prompt_prefill=True, activations_per_gpu=True, loops_over_experts=True, eager_dispatch=True,
        calibration_key="transformers"),
}


def get_runtime(name: str) -> Runtime:
    if name not in RUNTIMES:
        raise ValueError(f"unknown runtime {name!r}; choose one of {', '.join(RUNTIMES)}")
    return RUNTIMES[name]
