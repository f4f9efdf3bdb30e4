"""The calibrated fit against measurements: held-out error within the targets, the shipped
calibration equal to what the bench fits, named measured rows, error bands and verdicts."""
import csv
import json
import sys

import pytest

from landscape import fit
from tests.conftest import MIRROR, REFERENCE, ROOT, need_mirror

sys.path.insert(0, str(ROOT / "bench"))
import fit_validation  # noqa: E402


@pytest.fixture(scope="module")
def rows():
    need_mirror()
    return fit_validation.load_rows(REFERENCE / "qwen25_speed_memory_measured.csv", mirror=MIRROR)


@pytest.fixture(scope="module")
def report(rows):
    return fit_validation.report(rows)


def test_measurement_tables_cite_their_sources(rows):
    with open(ROOT / "data" / "fit_measurements.csv", newline="") as fh:
        data = list(csv.DictReader(fh))
    assert all(r["source_url"].startswith("https://") for r in data)
    assert {r["table"] for r in data} >= {"qwen3-h20", "llamacpp-m2ultra", "llamacpp-4090"}
    tables = {m.table for m in rows}
    assert {"qwen25-a100", "qwen3-h20"} <= tables
    assert sum(1 for m in rows if m.memory_gib) >= 190  # transformers allocator peaks, both Qwen tables
    assert len({m.family for m in rows}) >= 4 and len({m.key for m in rows}) >= 15


def test_held_out_error_meets_the_targets(report):
    table, splits = report
    lomo = table["leave one model out"]
    assert lomo["memory"]["n"] >= 190 and lomo["memory"]["median"] <= 10 and lomo["memory"]["p90"] <= 20
    # decode rows: published decode speeds and 1-token prompts; every longer prompt is a request
    # (both Qwen2.5 scripts time the whole generate(), prefill included)
    assert lomo["decode"]["n"] >= 130 and lomo["decode"]["median"] <= 30
    assert lomo["request"]["n"] >= 350 and lomo["request"]["median"] <= 30
    # a family never seen (its runtime falls back to the pooled fit, its formats to the shared
    # per-format terms) is worse, but now within the decode target; before the Qwen2.5 times were
    # read as whole requests: decode median 32.7%, p90 103.7%; request median 36.1%, p90 145.3%
    lofo = table["leave one family out"]
    assert lofo["decode"]["median"] <= 28 and lofo["decode"]["p90"] <= 92
    assert lofo["request"]["median"] <= 33 and lofo["request"]["p90"] <= 90
    # memory meets the targets family-out too since the activation peak is counted, not fitted
    # (fitted: median 7.2%, p90 22.8%, worst 43.3%: with Qwen2.5 held out the factor fell to ~0)
    assert lofo["memory"]["median"] <= 3 and lofo["memory"]["p90"] <= 13 and lofo["memory"]["worst"] <= 25
    graphs = [r["error"] for r in splits["leave one family out"]["decode"] if r["runtime"] != "transformers"]
    assert len(graphs) >= 70 and fit.calibrate.summary(graphs)["median"] <= 23  # servers with CUDA graphs / llama.cpp
    # every held-out row was predicted by a calibration that never saw its model
    assert {r["model"] for r in splits["leave one model out"]["decode"]} >= {"Qwen3/Qwen3-30B-A3B", "Qwen2.5/Qwen2.5-0.5B"}


def test_transformers_allocator_peak_is_the_larger_of_prefill_and_decode_end(rows):
    """Qwen2.5-7B (28 layers, 4 KV heads x 128, FFN 18944, hidden 3584): the prefill activation peak is
    (3 x 18944 + 2 x 3584) x 2 = 128,000 bytes per prompt token (counted, not fitted); the KV cache
    28 x 2 x 4 x 128 x 2 = 57,344 bytes per token. A long prompt peaks in prefill (prompt KV +
    activations, the answer's 2048 tokens not cached yet); a 1-token prompt at the end of decoding."""
    a = next(m.arch for m in rows if m.model == "Qwen2.5-7B")
    assert fit.memory.act_elements_per_token(a) * 2 == (3 * 18944 + 2 * 3584) * 2 == 128_000
    assert fit.kv_cache_bytes(a, 1000, "bf16", 1, False) == 1000 * 57_344
    fmt = fit.quant_formats()["BF16"]
    cal = {"transformers.allocator_fixed_gib": 0.0}
    w = fit.weights_bytes(7.6, fmt, a)
    long = fit.transformers_allocator_gib(7.6, a, fmt, 30720, 2048, 1, cal)
    assert long["total_gib"] * fit.GIB == pytest.approx(w + 30720 * (57_344 + 128_000))
    short = fit.transformers_allocator_gib(7.6, a, fmt, 1, 2048, 1, cal)
    assert short["total_gib"] * fit.GIB == pytest.approx(w + 2049 * 57_344)
    assert short["activations_gib"] == 0.0
    # a device_map split over 3 GPUs: every GPU holds its own activation peak
    three = fit.transformers_allocator_gib(7.6, a, fmt, 30720, 2048, 3, cal)
    assert three["total_gib"] * fit.GIB == pytest.approx(w + 30720 * (57_344 + 3 * 128_000))


def test_shipped_calibration_is_what_the_bench_fits(rows, report):
    fitted = fit_validation.calibrate_all(rows)
    shipped = fit.calibration()
    coeffs = {k: v for k, v in shipped.items() if not k.startswith("range.")}
    assert set(coeffs) == set(fitted), set(coeffs) ^ set(fitted)
    for k, v in fitted.items():
        assert shipped[k] == pytest.approx(v, rel=1e-4, abs=1e-9), k
    _, splits = report
    for k, v in fit_validation.ranges(splits["leave one model out"]).items():
        assert shipped[k] == pytest.approx(v, abs=1e-4), k


def _measured(rows, table, model, runtime, quant, prompt, gpus=None):
    hit = [m for m in rows if m.table == table and m.model == model and m.runtime == runtime
           and m.fmt.format == quant and m.prompt == prompt and (gpus is None or m.gpus == gpus)]
    assert len(hit) == 1, (table, model, runtime, quant, prompt, len(hit))
    return hit[0]


@pytest.mark.parametrize("table,model,runtime,quant,prompt,gpus", [
    ("qwen3-h20", "Qwen3-30B-A3B", "SGLang", "GPTQ-Int4", 1, 1),  # measured 31.3 tok/s (the old model: +4,600%)
    ("qwen3-h20", "Qwen3-235B-A22B", "SGLang", "FP8", 1, 4),  # tensor parallel 4
    ("qwen3-h20", "Qwen3-32B", "SGLang", "BF16", 1, 1),
    ("qwen25-a100", "Qwen2.5-0.5B", "vLLM", "GPTQ-Int4", 1, 1),  # measured 261 tok/s (the old model: +1,716%)
    ("qwen25-a100", "Qwen2.5-7B", "vLLM", "GPTQ-Int4", 1, 1),
    ("llamacpp-m2ultra", "Llama-2-7B", "llama.cpp", "Q4_0", 0, 1),
    ("llamacpp-4090", "Llama-3-8B", "llama.cpp", "Q4_0", 32768, 1),  # decode after 32K tokens: KV reads count
])
def test_decode_speed_against_measured_rows(rows, table, model, runtime, quant, prompt, gpus):
    m = _measured(rows, table, model, runtime, quant, prompt, gpus)
    est = 1 / fit.decode_seconds(m.inputs(), m.decode_context, fit.calibration())
    assert est == pytest.approx(1 / m.decode_seconds, rel=0.30), (est, 1 / m.decode_seconds)


def test_decode_reads_quantised_weights_and_tensor_parallel_splits_them(rows):
    cal = fit.calibration()
    m = _measured(rows, "qwen25-a100", "Qwen2.5-32B", "vLLM", "GPTQ-Int4", 1, 1)
    si = m.inputs()
    read = fit.speed.read_bytes(si)
    # 4.156 bpw body + 16-bit lm_head: ~3.7x fewer bytes than BF16
    bf16 = fit.speed.read_bytes(fit.SpeedInputs(si.total_b, si.active_b, si.arch, fit.quant_formats()["BF16"], si.hw, 1, si.rt))
    assert 3.3 < bf16["bf16"] / (read["gptq-int4"] + read["bf16"]) < 3.9
    assert fit.decode_seconds(si, 1024, cal) < 0.5 * fit.decode_seconds(
        fit.SpeedInputs(si.total_b, si.active_b, si.arch, fit.quant_formats()["BF16"], si.hw, 1, si.rt), 1024, cal)
    tp1 = fit.decode_features(si, 1024)
    tp2 = fit.decode_features(fit.SpeedInputs(si.total_b, si.active_b, si.arch, si.fmt, si.hw, 2, si.rt), 1024)
    assert tp2["vLLM.k_gptq-int4"] == pytest.approx(tp1["vLLM.k_gptq-int4"] / 2)  # bandwidth of both GPUs
    assert tp2["tp.tp_layer_us"] == 64 * 1e-6 and "tp.tp_layer_us" not in tp1  # all-reduces per layer


def test_tensor_parallel_kv_replication_mla_and_gqa():
    need_mirror()
    hf = MIRROR / "huggingface.co"
    v3 = fit.arch_from_config(json.loads((hf / "deepseek-ai/DeepSeek-V3/resolve/main/config.json").read_text()))
    m = {"model_id": "v3", "name": "v3", "open_weights": True, "total_params_b": 671, "active_params_b": 37}
    r = fit.fit_one(m, v3, fit.hardware_presets()["8xh200"], 8, fit.quant_formats()["FP8"], 8192, "bf16", "vLLM")
    # MLA latent (61 layers x (512 + 64) x 2 bytes = 70,272 B/token) held by every one of the 8 ranks
    assert r.kv_bytes_per_token == 8 * 61 * (512 + 64) * 2
    assert r.kv_cache_gib == pytest.approx(8 * 70_272 * 8192 / 2**30)
    one = fit.fit_one(m, v3, fit.hardware_presets()["8xh200"], 8, fit.quant_formats()["FP8"], 8192, "bf16", "llama.cpp")
    assert one.kv_cache_gib == pytest.approx(70_272 * 8192 / 2**30)  # layer split: one copy
    l70 = fit.arch_from_config(json.loads((hf / "meta-llama/Llama-3.1-70B-Instruct/resolve/main/config.json").read_text()))
    m70 = {"model_id": "l70", "name": "l70", "open_weights": True, "total_params_b": 70.6, "active_params_b": 70.6}
    per_token = 80 * 2 * 8 * 128 * 2  # 80 layers x K,V x 8 KV heads x 128 x 2 bytes = 327,680
    r8 = fit.fit_one(m70, l70, fit.hardware_presets()["8xh100"], 8, fit.quant_formats()["BF16"], 8192, "bf16", "vLLM")
    assert r8.kv_cache_gib == pytest.approx(per_token * 8192 / 2**30)  # 8 KV heads over TP 8: no copy
    r16 = fit.fit_one(m70, l70, fit.hardware_presets()["8xh100"], 16, fit.quant_formats()["BF16"], 8192, "bf16", "vLLM")
    assert r16.kv_cache_gib == pytest.approx(2 * per_token * 8192 / 2**30)  # TP 16: each KV head twice
    assert any("replicated 2x" in a for a in r16.assumptions)


def test_every_estimate_carries_its_range_and_the_verdict_uses_it():
    need_mirror()
    a = fit.arch_from_config(json.loads((MIRROR / "huggingface.co/Qwen/Qwen3-8B/resolve/main/config.json").read_text()))
    m = {"model_id": "q", "name": "q", "open_weights": True, "total_params_b": 8.2, "active_params_b": 8.2}
    fmt = fit.quant_formats()["BF16"]
    r = fit.fit_one(m, a, fit.hardware_presets()["h100"], 1, fmt, 8192, "bf16", "vLLM", prompt_tokens=2000, answer_tokens=500)
    lo, hi = fit.error_range("memory", "vLLM")
    assert lo < 1 < hi and r.total_gib_low == pytest.approx(r.total_gib * lo) and r.total_gib_high == pytest.approx(r.total_gib * hi)
    dlo, dhi = fit.error_range("decode", "vLLM")
    assert dlo < 1 < dhi
    assert r.decode_tokens_per_s_low == pytest.approx(r.decode_tokens_per_s * dlo)
    assert r.decode_tokens_per_s_high == pytest.approx(r.decode_tokens_per_s * dhi)
    assert r.request_seconds_low < r.request_seconds < r.request_seconds_high
    assert r.status == "fits" and "range" in r.verdict
    # a device just above the central estimate but below its high end: "tight: may not fit"
    usable = r.total_gib * (1 + hi) / 2
    t = fit.fit_one(m, a, fit.custom_hardware(usable / 0.9, 3350), 1, fmt, 8192, "bf16", "vLLM")
    assert t.status == "tight" and t.verdict.startswith("tight: may not fit") and t.decode_tokens_per_s
    n = fit.fit_one(m, a, fit.custom_hardware(r.total_gib * 0.95 / 0.9, 3350), 1, fmt, 8192, "bf16", "vLLM")
    assert n.status == "no" and n.verdict.startswith("does not fit")
    assert n.decode_tokens_per_s is None and n.decode_tokens_per_s_high is None  # no speed for a no-fit
    assert n.max_context is not None and n.max_context < 8192  # a shorter context still fits
    assert r.max_context_low <= r.max_context <= r.max_context_high  # ranges of the longest context too
    assert n.max_context_low is None or n.max_context_low <= n.max_context
    w = fit.fit_one(m, a, fit.custom_hardware(8.0, 3350), 1, fmt, 8192, "bf16", "vLLM")
    assert w.status == "no" and w.max_context is None and w.decode_tokens_per_s is None  # never 0


def test_custom_hardware_needs_bandwidth_for_a_speed_and_tflops_for_a_request_time():
    need_mirror()
    a = fit.arch_from_config(json.loads((MIRROR / "huggingface.co/Qwen/Qwen3-8B/resolve/main/config.json").read_text()))
    m = {"model_id": "q", "name": "q", "open_weights": True, "total_params_b": 8.2, "active_params_b": 8.2}
    q4 = fit.quant_formats()["Q4_K_M"]
    mem_only = fit.fit_one(m, a, fit.custom_hardware(24), 1, q4, 8192, prompt_tokens=1000, answer_tokens=100)
    assert mem_only.status == "fits" and mem_only.decode_tokens_per_s is None and mem_only.request_seconds is None
    bw = fit.fit_one(m, a, fit.custom_hardware(24, 1000), 1, q4, 8192, prompt_tokens=1000, answer_tokens=100)
    assert bw.decode_tokens_per_s and bw.request_seconds is None
    hw = fit.custom_hardware(24, 1000, tflops=165)
    full = fit.fit_one(m, a, hw, 1, q4, 8192, prompt_tokens=1000, answer_tokens=100)
    short = fit.fit_one(m, a, hw, 1, q4, 8192, prompt_tokens=1, answer_tokens=100)
    assert full.request_seconds > short.request_seconds > 0  # the prefill of 1,000 tokens adds time
    for bad in (dict(memory_gib=24, bandwidth_gbs=-1), dict(memory_gib=24, tflops=float("nan")), dict(memory_gib=0)):
        with pytest.raises(ValueError):
            fit.custom_hardware(**bad)


def test_readme_validation_table_is_the_bench_output(report):
    import re
    readme = (ROOT / "README.md").read_text().split("## Deployment fit", 1)[1].split("\n## ", 1)[0]
    got = {(s, q): v for s, qs in report[0].items() for q, v in qs.items()}
    lines = re.findall(r"^\| (leave one (?:model|family) out) \| (\w+) \| (\d+) \| ([\d.]+)% \| ([\d.]+)% \| ([\d.]+)% \|$",
                       readme, re.M)
    assert len(lines) == 6
    for split, q, n, med, p90, worst in lines:
        s = got[(split, q)]
        assert (int(n), float(med), float(p90), float(worst)) == (s["n"], round(s["median"], 1), round(s["p90"], 1),
                                                                  round(s["worst"], 1)), (split, q)


def test_hardware_presets_people_deploy_on_with_sources():
    hw = fit.hardware_presets()
    for h in ("h20", "l4", "l40s", "a10g", "rtx6000ada", "rtx5090", "b200", "mi325x", "mac-m3ultra-256", "mac-64",
              "mac-m4max-36", "dgx-spark", "h100", "h200", "mi300x"):
        assert h in hw and hw[h].memory_gib_per_device > 0 and hw[h].bandwidth_gbs_per_device > 0
        assert hw[h].source_url.startswith("https://")
    assert (hw["h20"].memory_gib_per_device, hw["h20"].bandwidth_gbs_per_device, hw["h20"].tflops_bf16_per_device) == (96, 4000, 148)
    assert hw["b200"].tflops_bf16_per_device == 2250 and hw["mi325x"].memory_gib_per_device == 256
    for h in ("mac-64", "mac-m3ultra-256", "dgx-spark", "a10g"):  # not published: unknown, never 0
        assert hw[h].tflops_bf16_per_device != hw[h].tflops_bf16_per_device
    assert fit.is_metal(hw["mac-m3ultra-256"]) and not fit.is_metal(hw["dgx-spark"])


def test_kv_coefficient_from_request_rows_recovers_a_known_slope_and_agrees_with_decode_rows(rows):
    from landscape.fit import calibrate
    # synthetic setups: seconds = 2.0 + 3.5 x kv + 0.8 x prefill at 4 prompt lengths
    groups = [[(kv, pf, 2.0 + 3.5 * kv + 0.8 * pf) for kv, pf in ((0.1, 0.0), (0.4, 0.3), (0.9, 0.8), (1.7, 1.9))],
              [(kv, pf, 1.0 + 3.5 * kv + 0.5 * pf) for kv, pf in ((0.2, 0.1), (0.5, 0.6), (1.2, 1.1))]]
    assert calibrate.kv_from_requests(groups) == pytest.approx(3.5)
    assert calibrate.kv_from_requests([groups[0][:2]]) is None  # two prompt lengths cannot separate it
    # on the measurements: no decode-only rows of one setup at several contexts remain (the Qwen2.5
    # table's times include the prefill, so its long prompts are request rows); the request rows of
    # SGLang (Qwen3) and vLLM (Qwen2.5) at 3+ prompt lengths give the coefficient, as shipped
    assert calibrate.kv_slope([fit_validation.decode_row(m) for m in rows if m.is_decode]) is None
    from_requests = calibrate.kv_from_requests(fit_validation.request_kv_groups(rows))
    assert 1.0 <= from_requests < 3 and fit.calibration()["attn.kv"] == pytest.approx(from_requests, rel=1e-4)
    sglang = calibrate.kv_from_requests(fit_validation.request_kv_groups([m for m in rows if m.runtime == "SGLang"]))
    assert sglang > from_requests  # SGLang's setups alone read the cache slower (3.8) than the pooled median


def test_qwen25_speeds_are_whole_request_times(rows):
    """speed_benchmark_transformers.py and speed_benchmark_vllm.py (QwenLM/Qwen2.5) divide the 2048
    generated tokens by the time of the whole generate() call: a 30,720-token prompt's row is a
    request (prefill + decode), only its 1-token prompt row a decode speed."""
    long = _measured(rows, "qwen25-a100", "Qwen2.5-7B", "transformers", "BF16", 30720, 1)
    assert long.times_request and not long.is_decode
    assert long.request_seconds == pytest.approx(2048 / long.speed)
    short = _measured(rows, "qwen25-a100", "Qwen2.5-7B", "vLLM", "BF16", 1, 1)
    assert short.is_decode and short.decode_seconds == pytest.approx(1 / short.speed)
    sgl = _measured(rows, "qwen3-h20", "Qwen3-8B", "SGLang", "BF16", 6144, 1)  # Qwen3: (prompt + 2048) / time
    assert sgl.request_seconds == pytest.approx((6144 + 2048) / sgl.speed)


def test_format_floor_is_shared_by_runtimes_and_an_unmeasured_format_gets_the_typical_extra(rows):
    cal = fit.calibration()
    m = _measured(rows, "qwen25-a100", "Qwen2.5-7B", "vLLM", "GPTQ-Int4", 1, 1)
    si = m.inputs()
    vllm = fit.decode_features(si, 1024)
    sgl = fit.decode_features(fit.SpeedInputs(si.total_b, si.active_b, si.arch, si.fmt, si.hw, 1, fit.RUNTIMES["SGLang"]), 1024)
    assert "fmt.layer_us_gptq-int4" in vllm and "fmt.layer_us_gptq-int4" in sgl  # one dequantisation cost
    assert "vLLM.layer_us" in vllm and "SGLang.layer_us" in sgl  # one launch floor per runtime
    bf16 = fit.decode_features(fit.SpeedInputs(si.total_b, si.active_b, si.arch, fit.quant_formats()["BF16"], si.hw, 1, si.rt), 1024)
    assert not any(k.startswith("fmt.") for k in bf16)
    extras = sorted(v for k, v in cal.items() if k.startswith("fmt.layer_us_"))
    assert len(extras) >= 3
    assert fit.speed.coefficient("fmt.layer_us_int4", cal) == extras[len(extras) // 2]  # never measured
    assert fit.speed.coefficient("fmt.layer_us_int4", {}) == 0.0
