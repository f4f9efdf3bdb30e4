"""Deployment-fit model vs published measurements, on data it was not fitted on.

    python bench/fit_validation.py [--write] [--rows]

Measured tables (every row cites its URL):
- ../shared/reference/qwen25_speed_memory_measured.csv: Qwen2.5 0.5B-72B on A100 80GB, transformers
  (speed + torch allocator peak in GiB) and vLLM (speed); BF16 / GPTQ-Int8 / GPTQ-Int4 / AWQ. Its speed
  is 2048 generated tokens / the time of the whole generate() call (QwenLM/Qwen2.5
  examples/speed-benchmark/speed_benchmark_{transformers,vllm}.py), so rows with a prompt are request
  rows (speed_kind "answer"); the 1-token prompt rows are decode speeds.
- data/fit_measurements.csv: the Qwen (1.0) README's inference table (github.com/QwenLM/Qwen; A100 80GB,
  transformers speed + memory for 1.8B-72B in BF16 / GPTQ-Int8 / GPTQ-Int4, one vLLM TP 2 speed), the Qwen3 speed benchmark (qwen.readthedocs.io; H20 96GB, transformers
  speed + memory in MiB, SGLang speed incl. tensor parallel 2-8; speed = (prompt + 2048) / time, so
  rows with a prompt check the request-time model) and llama.cpp Metal decode measurements (M2 Ultra,
  M1 Pro, M1 Max, M4; Llama 2 7B/13B, Llama 3.1 8B, Llama 3.2 1B) from llama.cpp pull requests and
  normiebench reports.

The speed coefficients (per runtime and kernel class), the prefill utilisation and the transformers
activation factor / allocator bytes are FITTED. So the script refits them on every split and reports
the error on the held-out part only: leave one model out (each Qwen2.5 / Qwen3 / Llama size in turn)
and leave one family out (Qwen1, Qwen2.5, Qwen3, Llama 2, Llama 3: for a runtime measured in one family only
the held-out rows use the pooled fit of the other runtimes). Reported per quantity: rows, median,
p90 and worst |error| and the signed median (bias), error = estimate / measured - 1.

``--write`` refits on every row and writes data/fit_calibration.csv: the coefficients, and the p10-p90
of measured / estimated over the leave-one-model-out rows (the ranges the app shows).
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from landscape import fit  # noqa: E402
from landscape.fit import calibrate  # noqa: E402
from landscape.fit.memory import config_params_b  # noqa: E402
from landscape.fit.speed import SpeedInputs, calibration_key, decode_features, decode_seconds, prefill_flops, prefill_seconds  # noqa: E402

SHARED = ROOT.parent / "shared"
QWEN25_CSV = SHARED / "reference" / "qwen25_speed_memory_measured.csv"
QWEN25_URL = "https://qwen.readthedocs.io/en/v2.5/benchmark/speed_benchmark.html"
MEASUREMENTS = ROOT / "data" / "fit_measurements.csv"
GENERATED = 2048  # both Qwen speed benchmarks generate 2048 tokens after the prompt
GIB = 2 ** 30
# Qwen2.5 architectures: the mirror's config.json (7B, 32B), MaxText (1.5B, 14B), our curated table (0.5B, 3B, 72B)
QWEN25_ARCH = {"Qwen2.5-7B-Instruct": "hf:Qwen/Qwen2.5-7B-Instruct", "Qwen2.5-32B-Instruct": "hf:Qwen/Qwen2.5-32B-Instruct",
               "Qwen2.5-1.5B-Instruct": "maxtext:qwen2.5-1.5b", "Qwen2.5-14B-Instruct": "maxtext:qwen2.5-14b"}
PARAMS_B = {"Qwen2.5-0.5B-Instruct": 0.49, "Qwen2.5-1.5B-Instruct": 1.54, "Qwen2.5-3B-Instruct": 3.09,
            "Qwen2.5-7B-Instruct": 7.61, "Qwen2.5-14B-Instruct": 14.7, "Qwen2.5-32B-Instruct": 32.5,
            "Qwen2.5-72B-Instruct": 72.7}  # stated (Qwen2.5 model cards): used only where the config cannot count
TARGETS = {"memory": (10.0, 20.0), "decode": (30.0, None)}  # median, p90 of |error| % on held-out rows


def arch_for(ref: str, mirror: Path | None = None) -> fit.Arch:
    mirror = mirror or SHARED / "mirror"
    kind, _, name = ref.partition(":")
    if kind == "hf":
        return fit.arch_from_config(json.loads((mirror / "huggingface.co" / name / "resolve/main/config.json").read_text()))
    if kind == "maxtext":
        import yaml

        from etl.sources.maxtext import from_maxtext  # bench may use the ETL's parsers; landscape.fit does not
        text = (mirror / "raw.githubusercontent.com/AI-Hypercomputer/maxtext/main/src/maxtext/configs/models"
                / f"{name}.yml").read_text()
        return fit.arch_from_row({**from_maxtext(yaml.safe_load(text)), "source": "maxtext", "config_json": text})
    return fit.arch_from_row(fit.curated_architectures()[name])


@dataclass
class Measured:
    table: str
    source_url: str
    family: str
    model: str
    runtime: str
    hw: fit.Hardware
    gpus: int
    fmt: fit.QuantFormat
    arch: fit.Arch
    total_b: float
    active_b: float
    prompt: int
    answer: int
    speed: float | None  # tokens/s as published
    speed_kind: str  # decode: answer tokens / decode time; request: (prompt + answer) / request time;
    # answer: answer tokens / request time (the Qwen2.5 scripts time the whole generate(), prefill included)
    memory_gib: float | None
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.family}/{self.model}"

    def inputs(self) -> SpeedInputs:
        rt = fit.RUNTIMES[self.runtime]
        repl = fit.tp_check(self.arch, self.gpus)[2] if rt.tensor_parallel else 1
        return SpeedInputs(self.total_b, self.active_b, self.arch, self.fmt, self.hw, self.gpus, rt, "bf16", repl)

    @property
    def decode_context(self) -> int:
        return self.prompt + self.answer // 2

    @property
    def is_decode(self) -> bool:
        """Rows whose speed is (almost only) decode: decode tables, and request rows with a 1-token prompt."""
        return self.speed is not None and (self.speed_kind == "decode" or self.prompt <= 1)

    @property
    def decode_seconds(self) -> float:
        if self.speed_kind == "decode":
            return 1 / self.speed
        return self.request_seconds / self.answer  # prompt of 1 token: prefill negligible

    @property
    def speed_tokens(self) -> int:
        """The tokens the published speed counts, over the measured time."""
        return self.answer if self.speed_kind in ("decode", "answer") else self.prompt + self.answer

    @property
    def request_seconds(self) -> float:
        return self.speed_tokens / self.speed

    @property
    def times_request(self) -> bool:
        """The published time is a whole request (prefill + decode), not decode alone."""
        return self.speed is not None and self.speed_kind in ("request", "answer")


def _params(arch: fit.Arch, stated: float | None) -> tuple[float, float]:
    total, active, _ = config_params_b(arch, None)
    if total is None:
        return stated, stated
    return total, active


def load_rows(qwen25_csv: Path = QWEN25_CSV, measurements: Path = MEASUREMENTS, mirror: Path | None = None) -> list[Measured]:
    hw = fit.hardware_presets()
    fmts = fit.quant_formats()
    out: list[Measured] = []
    archs: dict[str, fit.Arch] = {}
    with open(qwen25_csv, newline="") as fh:
        for r in csv.DictReader(fh):
            ref = QWEN25_ARCH.get(r["model"], f"curated:Qwen/{r['model']}")
            a = archs.setdefault(ref, arch_for(ref, mirror))
            total, active = _params(a, PARAMS_B[r["model"]])
            out.append(Measured("qwen25-a100", QWEN25_URL, "Qwen2.5", r["model"].removesuffix("-Instruct"),
                                "vLLM" if r["backend"] == "vLLM" else "transformers", hw["a100-80"], int(r["gpu_num"]),
                                fmts[r["quantization"]], a, total, active, int(r["input_length"]), GENERATED,
                                float(r["speed_tokens_per_s"]) if r["speed_tokens_per_s"] else None, "answer",
                                float(r["gpu_memory"]) if r["gpu_memory"] else None, r["note"]))
    with open(measurements, newline="") as fh:
        for r in csv.DictReader(fh):
            a = archs.setdefault(r["arch_ref"], arch_for(r["arch_ref"], mirror))
            total, active = _params(a, None)
            out.append(Measured(r["table"], r["source_url"], r["family"], r["model"], r["runtime"], hw[r["hardware_id"]],
                                int(r["gpus"]), fmts[r["quantization"]], a, total, active, int(r["input_length"]),
                                int(r["output_length"]), float(r["speed_tokens_per_s"]), r["speed_kind"],
                                float(r["gpu_memory_gib"]) if r["gpu_memory_gib"] else None, r["note"]))
    return out


# ------------------------------------------------------------------ memory (transformers allocator peak)

def fit_memory(rows: list[Measured]) -> dict[str, float]:
    """The allocator's fixed bytes per GPU (the one fitted memory constant): least squares on relative
    error of measured = the app's estimate without them + fixed GiB x gpus. The activation peak is
    counted from the MLP's live tensors (landscape.fit.memory.act_elements_per_token), not fitted."""
    import numpy as np
    zero = {"transformers.allocator_fixed_gib": 0.0}
    a = np.array([[m.gpus / m.memory_gib] for m in rows])
    b = np.array([1 - predict_memory(m, zero) / m.memory_gib for m in rows])
    x = calibrate.nnls(a, b)
    return {"transformers.allocator_fixed_gib": float(x[0])}


def predict_memory(m: Measured, cal: dict[str, float]) -> float:
    """The app's own function (landscape.fit.transformers_allocator_gib) with this split's coefficients."""
    return fit.transformers_allocator_gib(m.total_b, m.arch, m.fmt, m.prompt, m.answer, m.gpus, cal)["total_gib"]


# ------------------------------------------------------------------ speed

def decode_row(m: Measured) -> calibrate.DecodeRow:
    si = m.inputs()
    return calibrate.DecodeRow(m.key, m.family, calibration_key(si.rt, si.hw), decode_features(si, m.decode_context),
                               m.decode_seconds,
                               si.rt.eager_dispatch,
                               {"group": (m.table, m.key, m.runtime, m.fmt.format, m.gpus, m.hw.hardware_id)})


def fit_prefill(rows: list[Measured], cal: dict[str, float]) -> dict[str, float]:
    """1 / utilisation per runtime from request rows: measured time = decode part + FLOPs / (peak x util)."""
    out = {}
    for rt in sorted({m.runtime for m in rows}):
        sub = [m for m in rows if m.runtime == rt]
        xs, ys, base = [], [], []
        for m in sub:
            si = m.inputs()
            d = decode_seconds(si, m.decode_context, cal)
            xs.append(prefill_flops(si, m.prompt) / (m.hw.tflops_bf16_per_device * 1e12 * (m.gpus if si.rt.tensor_parallel else 1)))
            ys.append(m.request_seconds)
            base.append(m.answer * d)
        c = calibrate.fit_ratio(xs, ys, base)
        if c:
            out[f"{rt}.prefill_mfu"] = min(1.0, 1 / c)
    return out


def predict_request(m: Measured, cal: dict[str, float]) -> float | None:
    si = m.inputs()
    p = prefill_seconds(si, m.prompt, cal)
    d = decode_seconds(si, m.decode_context, cal)
    return None if p is None or d is None else p + m.answer * d


def request_kv_groups(rows: list[Measured]) -> list[list[tuple[float, float, float]]]:
    """Request rows of one setup (table, model, runtime, format, devices, hardware) at several prompt
    lengths on a runtime with CUDA graphs: (answer x KV feature, prefill FLOPs / peak, seconds)."""
    groups: dict = {}
    for m in rows:
        si = m.inputs()
        if not m.times_request or si.rt.eager_dispatch:
            continue
        tf = m.hw.tflops_bf16_per_device
        if not tf == tf:
            continue
        kv = decode_features(si, m.decode_context).get(calibrate.KV_KEY)
        if not kv:
            continue
        pf = prefill_flops(si, m.prompt) / (tf * 1e12 * (m.gpus if si.rt.tensor_parallel else 1)) if m.prompt > 1 else 0.0
        groups.setdefault((m.table, m.key, m.runtime, m.fmt.format, m.gpus, m.hw.hardware_id), []).append(
            (m.answer * kv, pf, m.request_seconds))
    return list(groups.values())


def calibrate_all(rows: list[Measured]) -> dict[str, float]:
    cal = calibrate.fit_decode([decode_row(m) for m in rows if m.is_decode],
                               calibrate.kv_from_requests(request_kv_groups(rows)))
    cal.update(fit_prefill([m for m in rows if m.times_request and m.prompt > 1
                            and m.hw.tflops_bf16_per_device == m.hw.tflops_bf16_per_device], cal))
    mem = [m for m in rows if m.memory_gib]
    if mem:
        cal.update(fit_memory(mem))
    return cal


# ------------------------------------------------------------------ held-out splits

def holdout(rows: list[Measured], by: str) -> dict[str, list[dict]]:
    """For each group (model or family): calibrate on the other rows, predict this group's rows."""
    groups = sorted({getattr(m, by) for m in rows})
    out: dict[str, list[dict]] = {"memory": [], "decode": [], "request": []}
    for g in groups:
        train = [m for m in rows if getattr(m, by) != g]
        test = [m for m in rows if getattr(m, by) == g]
        cal = calibrate_all(train)
        for m in test:
            base = {"table": m.table, "model": m.key, "runtime": calibration_key(fit.RUNTIMES[m.runtime], m.hw), "quant": m.fmt.format, "prompt": m.prompt,
                    "gpus": m.gpus, "hardware": m.hw.hardware_id}
            if m.memory_gib and "transformers.allocator_fixed_gib" in cal:
                est = predict_memory(m, cal)
                out["memory"].append({**base, "measured": m.memory_gib, "estimated": est})
            if m.is_decode:
                est = decode_seconds(m.inputs(), m.decode_context, cal)
                out["decode"].append({**base, "measured": 1 / m.decode_seconds, "estimated": 1 / est})
            elif m.speed:
                est = predict_request(m, cal)
                if est:
                    out["request"].append({**base, "measured": m.speed, "estimated": m.speed_tokens / est})
    for rows_ in out.values():
        for r in rows_:
            r["error"] = r["estimated"] / r["measured"] - 1
    return out


def report(rows: list[Measured]) -> tuple[dict, dict]:
    splits = {"leave one model out": holdout(rows, "key"), "leave one family out": holdout(rows, "family")}
    table = {split: {q: calibrate.summary([r["error"] for r in res]) for q, res in d.items()} for split, d in splits.items()}
    return table, splits


def ranges(lomo: dict[str, list[dict]]) -> dict[str, float]:
    """p10/p90 of measured / estimated (leave-one-model-out) per quantity, and per runtime with >= 20 rows."""
    out = {}
    for q, res in lomo.items():
        if not res:
            continue
        groups = {"": res} | {rt: [r for r in res if r["runtime"] == rt] for rt in {r["runtime"] for r in res}}
        for rt, sub in groups.items():
            if len(sub) < 20:
                continue
            lo, hi = calibrate.quantiles([r["measured"] / r["estimated"] for r in sub])
            key = f"range.{q}" + (f".{rt}" if rt else "")
            out[f"{key}.p10"], out[f"{key}.p90"] = lo, hi
    return out


def write_calibration(cal: dict[str, float], rng: dict[str, float], n_rows: int, path: Path) -> None:
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["parameter", "value", "source"])
        src = (f"bench/fit_validation.py --write: fitted on {n_rows} measured rows ({QWEN25_URL}; data/fit_measurements.csv "
               "URLs); ranges = p10-p90 of measured/estimated, leave one model out")
        for k in sorted(cal):
            w.writerow([k, f"{cal[k]:.6g}", src])
        for k in sorted(rng):
            w.writerow([k, f"{rng[k]:.4f}", src])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="refit on all rows and write data/fit_calibration.csv")
    ap.add_argument("--rows", action="store_true", help="print every held-out row")
    args = ap.parse_args(argv)
    rows = load_rows()
    print(f"{len(rows)} measured rows: " + ", ".join(f"{t} {sum(1 for m in rows if m.table == t)}"
                                                  for t in dict.fromkeys(m.table for m in rows)))
    table, splits = report(rows)
    print(f"\n{'split':22} {'quantity':8} {'rows':>5} {'median %':>9} {'p90 %':>7} {'worst %':>8} {'bias %':>7}")
    for split, qs in table.items():
        for q, s in qs.items():
            print(f"{split:22} {q:8} {s['n']:5d} {s['median']:9.1f} {s['p90']:7.1f} {s['worst']:8.1f} {s['bias']:+7.1f}")
    lomo = splits["leave one model out"]
    for split, res_by_q in splits.items():
        print(f"\n{split}, per runtime:")
        for q, res in res_by_q.items():
            for rt in sorted({r["runtime"] for r in res}):
                s = calibrate.summary([r["error"] for r in res if r["runtime"] == rt])
                print(f"  {q:8} {rt:15} {s['n']:4d} rows  median {s['median']:5.1f}%  p90 {s['p90']:5.1f}%  worst {s['worst']:6.1f}%")
    if args.rows:
        for q, res in lomo.items():
            for r in res:
                print(f"{q:8} {r['table']:16} {r['model']:24} {r['runtime']:12} {r['quant']:10} {r['prompt']:7d} "
                      f"{r['gpus']:2d} {r['measured']:9.2f} {r['estimated']:9.2f} {100 * r['error']:+7.1f}%")
    def met(split: str) -> bool:
        return all(table[split][q]["median"] <= med and (p90 is None or table[split][q]["p90"] <= p90)
                   for q, (med, p90) in TARGETS.items())
    ok = met("leave one model out")
    print("\ntargets (memory median <= 10%, p90 <= 20%; decode median <= 30%): "
          + "; ".join(f"{split} {'met' if met(split) else 'NOT met'}" for split in table))
    if args.write:
        cal = calibrate_all(rows)
        write_calibration(cal, ranges(lomo), len(rows), fit.tables.CALIBRATION_PATH)
        print(f"wrote {fit.tables.CALIBRATION_PATH.relative_to(ROOT)} ({len(cal)} coefficients)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
