"""Curated inputs of the fit model, each row with a source URL: weight formats, hardware,
curated architectures, vendor deployment claims, and the calibration written by
``bench/fit_validation.py --write`` (constants fitted on measured tables, with their error)."""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DATA = ROOT / "data"
GIB = 2 ** 30


@dataclass(frozen=True)
class QuantFormat:
    format: str
    label: str
    kind: str  # hf | gguf
    bits_per_weight: float
    embedding_bits: float | None  # None: embeddings quantised like everything else
    source_url: str
    note: str

    @property
    def kernel_class(self) -> str:
        """The kernel family decode runs through (the calibration has one efficiency per class and runtime)."""
        f = self.format.upper()
        if f in ("BF16", "FP16"):
            return "bf16"
        if f.startswith("FP8"):
            return "fp8"
        if f.startswith(("GPTQ", "AWQ", "INT")):
            return f.lower()  # gptq-int8 | gptq-int4 | awq | int8 | int4
        if f in ("MXFP4", "NVFP4"):
            return "fp4"
        return "gguf"


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
    tflops_bf16_per_device: float = math.nan  # dense peak, no sparsity; NaN = not published

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
        out = {}
        for r in csv.DictReader(fh):
            tf = _num(r.get("tflops_bf16_per_device"))
            out[r["hardware_id"]] = Hardware(
                r["hardware_id"], r["name"], int(r["devices"]), float(r["memory_gib_per_device"]),
                float(r["bandwidth_gbs_per_device"]), r["unified_memory"] == "true", _num(r["gpu_cap_gib_per_device"]),
                r["source_url"], r["note"], tf if tf is not None else math.nan)
        return out


def custom_hardware(memory_gib: float, bandwidth_gbs: float | None = None, devices: int = 1,
                    tflops: float | None = None) -> Hardware:
    """A user-typed device: memory per device in GiB; bandwidth (GB/s) and dense BF16 TFLOPs unknown
    unless given (then there is no speed estimate)."""
    for label, v in (("memory", memory_gib), ("bandwidth", bandwidth_gbs), ("TFLOPs", tflops)):
        if v is not None and (not isinstance(v, (int, float)) or v != v or v <= 0 or v == math.inf):
            raise ValueError(f"custom {label} must be a positive number")
    if not memory_gib:
        raise ValueError("custom memory must be a positive number of GiB")
    name = f"Custom {memory_gib:g} GiB" + (f", {bandwidth_gbs:g} GB/s" if bandwidth_gbs else "")
    return Hardware("custom", name, devices, float(memory_gib), float(bandwidth_gbs) if bandwidth_gbs else math.nan,
                    False, None, "", "user-supplied device", float(tflops) if tflops else math.nan)


CURATED_INT_COLUMNS = ("num_layers", "hidden_size", "num_attention_heads", "num_kv_heads", "head_dim",
                       "intermediate_size", "vocab_size", "sliding_window")


@lru_cache(maxsize=4)
def curated_architectures(path: str | None = None) -> dict[str, dict]:
    out = {}
    with open(path or DATA / "architectures_curated.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            row = {k: (None if v == "" else v) for k, v in r.items()}
            for k in CURATED_INT_COLUMNS:
                row[k] = int(row[k]) if row[k] is not None else None
            row["tie_word_embeddings"] = row["tie_word_embeddings"] == "true"
            row["source"] = "curated"
            out[row["model_id"]] = row
    return out


@lru_cache(maxsize=4)
def deployment_claims(path: str | None = None) -> list[dict]:
    with open(path or DATA / "deployment_claims.csv", newline="") as fh:
        return [dict(r, gpus=int(r["gpus"])) for r in csv.DictReader(fh)]


CALIBRATION_PATH = DATA / "fit_calibration.csv"


@lru_cache(maxsize=4)
def calibration(path: str | None = None) -> dict[str, float]:
    """``parameter -> value`` fitted by ``bench/fit_validation.py --write`` (data/fit_calibration.csv).
    Missing file or parameter = the documented defaults in the code that asks for it."""
    p = Path(path) if path else CALIBRATION_PATH
    if not p.exists():
        return {}
    with open(p, newline="") as fh:
        return {r["parameter"]: float(r["value"]) for r in csv.DictReader(fh) if r["value"] not in ("", None)}
