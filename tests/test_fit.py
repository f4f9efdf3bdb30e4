"""Deployment-fit formulas pinned on real configs (the mirror's config.json / MaxText YAML), the
Qwen2.5 memory validation, the fit table and the CLI."""
import json
import subprocess
import sys

import pandas as pd
import pytest
import yaml

from landscape import fit
from tests.conftest import FIXTURES, MIRROR, ROOT, need_mirror

HF = MIRROR / "huggingface.co"
MAXTEXT = MIRROR / "raw.githubusercontent.com/AI-Hypercomputer/maxtext/main/src/maxtext/configs/models"


def hf_arch(repo: str) -> fit.Arch:
    need_mirror()
    return fit.arch_from_config(json.loads((HF / repo / "resolve/main/config.json").read_text()))


def maxtext_arch(name: str) -> fit.Arch:
    need_mirror()
    from etl.sources.maxtext import from_maxtext
    text = (MAXTEXT / f"{name}.yml").read_text()
    return fit.arch_from_row({**from_maxtext(yaml.safe_load(text)), "source": "maxtext", "config_json": text})


def test_deepseek_v3_mla_cache_is_70272_bytes_per_token():
    a = hf_arch("deepseek-ai/DeepSeek-V3")
    assert a.is_mla and a.kv_lora_rank == 512 and a.qk_rope_head_dim == 64 and a.num_layers == 61
    assert fit.kv_bytes_per_token(a, "bf16") == 61 * (512 + 64) * 2 == 70_272
    # priced as ordinary attention (decompressed K/V per head) it is ~71x larger: what transformers caches
    naive = fit.kv_bytes_per_token(a, "bf16", mla_compressed=False)
    assert naive == 61 * 128 * (128 + 64 + 128) * 2 and 70 < naive / 70_272 < 72


def test_llama31_8b_gqa_cache_is_131072_bytes_per_token():
    a = hf_arch("meta-llama/Llama-3.1-8B-Instruct")
    assert fit.kv_bytes_per_token(a, "bf16") == 2 * 32 * 8 * 128 * 2 == 131_072
    assert fit.kv_cache_bytes(a, 8192, "fp8") == 131_072 // 2 * 8192
    assert fit.kv_cache_bytes(a, 1000, "q8_0") == pytest.approx(2 * 32 * 8 * 128 * 1000 * 34 / 32)
    assert fit.kv_cache_bytes(a, 1000, "q4_0", seqs=3) == pytest.approx(2 * 32 * 8 * 128 * 1000 * 18 / 32 * 3)


def test_scout_int4_weights_and_chunked_attention():
    a = hf_arch("meta-llama/Llama-4-Scout-17B-16E-Instruct")
    int4 = fit.quant_formats()["INT4"]
    assert fit.weights_bytes(109, int4, a) == pytest.approx(54.5e9)  # all 16 experts count
    c = fit.layer_counts(a)
    assert c == {"full": 12, "sliding": 0, "chunked": 36, "linear": 0, "compressed": 0}  # every 4th layer global (NoPE)
    per_layer_tok = 2 * 8 * 128 * 2
    assert fit.kv_cache_bytes(a, 4096) == 48 * per_layer_tok * 4096  # below the chunk all layers grow
    big = fit.kv_cache_bytes(a, 1_000_000)
    assert big == per_layer_tok * (12 * 1_000_000 + 36 * 8192)
    assert fit.kv_cache_bytes(a, 1_000_000) < 0.26 * 48 * per_layer_tok * 1_000_000  # vs ignoring chunking


def test_scout_on_one_h100_int4_holds_only_to_a_bounded_context(app_db):
    r = fit.fit_model("meta-llama/Llama-4-Scout-17B-16E-Instruct", "h100", 1, "INT4", 8192, "bf16", "vLLM")
    assert r.fits and r.status == "fits"
    # independent recomputation of the bound: usable 0.9 x 80 GiB minus weights, fixed and activations,
    # minus chunked layers' capped cache, divided by the 12 global layers' bytes per token
    usable = 0.9 * 80 * 2**30
    a = fit.load_architectures()["meta-llama/Llama-4-Scout-17B-16E-Instruct"]
    act = fit.activation_bytes(a, fit.RUNTIMES["vLLM"], 8192)
    free = usable - 54.5e9 - 1.0 * 2**30 - act - 36 * 4096 * 8192
    bound = int(free // (12 * 4096))
    assert abs(r.max_context - bound) <= 1
    assert 300_000 < r.max_context < 500_000 < 10_485_760  # far below the advertised 10M
    long = fit.fit_model("meta-llama/Llama-4-Scout-17B-16E-Instruct", "h100", 1, "INT4", "max", "bf16", "vLLM")
    assert long.context == 10_485_760 and long.status == "no"


def test_gemma3_sliding_window_from_real_config():
    a = hf_arch("google/gemma-3-27b-it")
    assert fit.layer_counts(a) == {"full": 10, "sliding": 52, "chunked": 0, "linear": 0, "compressed": 0}
    per = 2 * 16 * 128 * 2
    assert fit.kv_cache_bytes(a, 131072) == per * (10 * 131072 + 52 * 1024)
    naive = per * 62 * 131072
    assert naive / fit.kv_cache_bytes(a, 131072) > 5  # ignoring the window overestimates >5x


def test_gemma2_maxtext_layers_are_doubled_and_alternate():
    a = maxtext_arch("gemma2-9b")
    assert a.num_layers == 42 and fit.layer_counts(a)["sliding"] == 21 and a.sliding_window == 4096
    assert maxtext_arch("gemma2-27b").num_layers == 46 and maxtext_arch("gemma2-2b").num_layers == 26
    g3 = maxtext_arch("gemma3-12b")
    assert g3.num_layers == 48 and fit.layer_counts(g3) == {"full": 8, "sliding": 40, "chunked": 0, "linear": 0, "compressed": 0}


def test_hybrid_linear_attention_only_full_layers_grow():
    need_mirror()
    real = fit.arch_from_config(json.loads((HF / "Qwen/Qwen3.5-35B-A3B/resolve/main/config.json").read_text()))
    assert fit.layer_counts(real) == {"full": 10, "sliding": 0, "chunked": 0, "linear": 30, "compressed": 0}
    assert fit.kv_bytes_per_token(real) == 10 * 2 * 2 * 256 * 2
    small = fit.arch_from_config(json.loads((FIXTURES / "fit_hybrid_config.json").read_text()))
    state = 32 * 128 * 128 * 4 + (16 * 128 * 2 + 32 * 128) * 3 * 2
    assert small.linear_state_bytes_per_layer == state
    assert fit.kv_cache_bytes(small, 1000) - fit.kv_cache_bytes(small, 10) == 2 * (2 * 2 * 256 * 2) * 990
    assert fit.kv_cache_bytes(small, 10) == 2 * 2 * 2 * 256 * 2 * 10 + 6 * state


def test_weights_formats_and_embeddings():
    f = fit.quant_formats()
    for q in ["BF16", "FP8", "INT8", "INT4", "AWQ", "GPTQ-Int4", "MXFP4", "Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M",
              "Q4_K_S", "IQ4_XS", "Q3_K_M", "Q2_K"]:
        assert q in f and f[q].source_url.startswith("https://")
    assert f["Q4_K_M"].bits_per_weight == pytest.approx(4.58 * 2**30 * 8 / 8.03e9, abs=0.01)
    a = hf_arch("Qwen/Qwen2.5-7B-Instruct")  # untied: embeddings + lm_head stay 16-bit under GPTQ
    emb = 152064 * 3584 * 2
    assert fit.weights_bytes(7.61, f["GPTQ-Int4"], a) == pytest.approx(emb * 2 + (7.61e9 - emb) * 4.15625 / 8)
    assert fit.weights_bytes(7.61, f["Q4_K_M"], a) == pytest.approx(7.61e9 * 4.90 / 8)


def test_moe_memory_uses_total_speed_uses_active():
    a = hf_arch("Qwen/Qwen3-30B-A3B")
    hw = fit.hardware_presets()["rtx4090"]
    q4 = fit.quant_formats()["Q4_K_M"]
    m = {"model_id": "x", "name": "x", "open_weights": True, "total_params_b": 30.5, "active_params_b": 3.3}
    r = fit.fit_one(m, a, hw, 1, q4, 8192)
    # the config's own count replaces the rounded stated 30.5: 48 layers x 128 experts x 3 x 2048 x 768 ...
    pb = fit.param_breakdown(a)
    assert pb["experts"] == 48 * 128 * 3 * 2048 * 768
    total = pb["embed"] + pb["head"] + pb["body"] + pb["experts"]
    assert r.weights_gib == pytest.approx(total * 4.9 / 8 / 2**30) and 30.4e9 < total < 30.6e9
    # ... and decode reads only the 8 active experts (+ lm_head; the embedding is one row per token)
    si = fit.SpeedInputs(total / 1e9, None, a, q4, hw, 1, fit.RUNTIMES["llama.cpp"])
    read = fit.speed.read_bytes(si)
    assert read["gguf"] == pytest.approx((pb["head"] + pb["active_body"]) * 4.9 / 8)
    assert read["experts"] == pytest.approx(48 * 8 * 3 * 2048 * 768 * 4.9 / 8)
    dense = fit.fit_one(dict(m, active_params_b=30.5), None, hw, 1, q4, 8192)
    assert dense.weights_gib == pytest.approx(30.5e9 * 4.9 / 8 / 2**30)
    # the weight-read term of decode is the active bytes (~9x fewer); the per-layer floors (48 MoE
    # layers vs ~31 guessed for the config-less dense model) and the KV reads are not, so the whole
    # decode is 2.5-9x faster, not 9x
    f_moe = fit.decode_features(si, 8192)
    f_dense = fit.decode_features(fit.SpeedInputs(30.5, 30.5, None, q4, hw, 1, fit.RUNTIMES["llama.cpp"]), 8192)
    assert f_dense["llama.cpp.k_gguf"] / f_moe["llama.cpp.k_gguf"] == pytest.approx(30.5e9 / (pb["head"] + pb["active_body"]))
    assert 2.5 * dense.decode_tokens_per_s < r.decode_tokens_per_s < 9 * dense.decode_tokens_per_s


def test_hardware_units_caps_and_tensor_parallel():
    hw = fit.hardware_presets()
    assert hw["mac-64"].usable_gib_per_device == 48 and hw["mac-128"].usable_gib_per_device == 107.52
    assert hw["8xh100"].devices == 8 and all(h.source_url.startswith("https://") for h in hw.values())
    a = hf_arch("meta-llama/Llama-3.1-70B-Instruct")  # 64 heads, 8 KV heads
    assert fit.tp_check(a, 8)[0] is True and fit.tp_check(a, 16)[2] == 2  # KV heads replicated
    assert fit.tp_check(a, 3)[0] is False
    m = {"model_id": "x", "name": "x", "open_weights": True, "total_params_b": 70, "active_params_b": 70}
    r = fit.fit_one(m, a, hw["a100-80"], 3, fit.quant_formats()["Q4_K_M"], 8192, runtime="vLLM")
    assert r.status == "no" and "divisible" in r.verdict
    ok = fit.fit_one(m, a, hw["a100-80"], 3, fit.quant_formats()["Q4_K_M"], 8192, runtime="llama.cpp")
    assert ok.status == "fits"  # layer split has no divisibility rule


def test_closed_unknown_and_custom():
    hw = fit.custom_hardware(24)
    fmt = fit.quant_formats()["Q4_K_M"]
    closed = fit.fit_one({"model_id": "g", "name": "g", "open_weights": False}, None, hw, 1, fmt, 8192)
    assert closed.status == "api_only" and closed.verdict.startswith("API only") and closed.total_gib is None
    unk = fit.fit_one({"model_id": "u", "name": "u", "open_weights": True, "total_params_b": 7}, None, hw, 1, fmt, 8192)
    assert unk.estimate_basis == "parameters only" and unk.kv_cache_gib is None and unk.max_context is None
    assert unk.status == "unknown" and "unknown" in unk.verdict
    assert unk.total_gib and unk.total_gib_high is None  # a partial sum (no KV) gets no range
    with pytest.raises(ValueError):
        fit.custom_hardware(0)


def test_fit_table_and_classes(app_db):
    t = fit.fit_table(None, "rtx4090", None, "Q4_K_M", "32K", "bf16", "llama.cpp")
    assert list(t.columns) == fit.FIT_COLUMNS and len(t) > 20
    by = t.set_index("model_id")
    assert by.loc["google/gemini-2.5-pro", "status"] == "api_only"
    assert by.loc["google/gemini-2.5-pro", "deployment_class"] == "API only"
    assert by.loc["meta-llama/Llama-3.1-8B-Instruct", "status"] == "fits"
    assert by.loc["meta-llama/Llama-3.1-8B-Instruct", "kv_cache_gib"] == pytest.approx(131072 * 32768 / 2**30)
    assert by.loc["deepseek-ai/DeepSeek-V3", "status"] == "no"
    assert by.loc["deepseek-ai/DeepSeek-V3", "deployment_class"] == "8-GPU node"
    assert by.loc["meta-llama/Llama-3.2-1B-Instruct", "deployment_class"] == "phone"
    assert by.loc["meta-llama/Llama-3.1-405B-Instruct", "deployment_class"] in ("8-GPU node", "multi-node")
    # a model that does not fit has no speed and no longest context (never 0); the others carry ranges
    h = fit.fit_table(None, "h100", 1, "Q4_K_M", "max", "bf16", "llama.cpp")
    no = h[h["status"] == "no"]
    assert len(no) >= 3 and no["decode_tokens_per_s"].isna().all() and not (h["max_context"] == 0).any()
    assert pd.isna(no.set_index("model_id").loc["deepseek-ai/DeepSeek-V3", "max_context"])
    ok = h[h["status"].isin(["fits", "tight"])]
    assert (ok["total_gib_low"] < ok["total_gib"]).all() and (ok["total_gib"] < ok["total_gib_high"]).all()
    assert ok["decode_tokens_per_s_low"].notna().all()


def test_claims_audit(app_db):
    claims = {c["claim_id"]: c for c in fit.audit_claims()}
    assert claims["scout-h100-int4"]["holds"] and claims["scout-h100-int4"]["max_context"] < 10_485_760
    assert claims["maverick-h100-host"]["holds"] and claims["maverick-h100-host"]["bf16_verdict_8k"].startswith("does not fit")
    ds = claims["deepseek-v3-fp8-8xh100"]
    assert not ds["holds"] and ds["weights_gib"] > 620 and ds["alternative"]["hardware_id"] == "8xh200"
    assert ds["alternative"]["max_context"] > 100_000


def test_cli_fit_json(app_db):
    out = subprocess.run([sys.executable, "-m", "landscape", "--db", str(app_db), "fit",
                          "meta-llama/Llama-3.1-8B-Instruct", "--hardware", "h100", "--gpus", "1", "--quant", "Q4_K_M",
                          "--context", "32768", "--kv-dtype", "bf16", "--runtime", "llama.cpp", "--json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    for k in ("weights_gib", "kv_cache_gib", "overhead_gib", "total_gib", "usable_gib", "fits", "max_context",
              "decode_tokens_per_s", "assumptions"):
        assert k in d
    assert d["kv_cache_gib"] == pytest.approx(4.0) and d["fits"] is True and d["max_context"] == 131072
    assert d["usable_gib"] == 80 and any("context 32,768" in a for a in d["assumptions"])
    for k in ("total_gib", "decode_tokens_per_s"):
        assert d[f"{k}_low"] < d[k] < d[f"{k}_high"]
    custom = subprocess.run([sys.executable, "-m", "landscape", "--db", str(app_db), "fit", "Qwen/Qwen3-8B",
                             "--hardware", "custom", "--memory-gib", "24", "--bandwidth-gbs", "1008", "--tflops", "165",
                             "--runtime", "SGLang", "--prompt-tokens", "2000", "--answer-tokens", "500", "--json"],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert custom.returncode == 0, custom.stderr
    c = json.loads(custom.stdout)
    assert c["runtime"] == "SGLang" and c["usable_gib"] == pytest.approx(24 * 0.85)
    assert c["request_seconds_low"] < c["request_seconds"] < c["request_seconds_high"]
    assert c["decode_tokens_per_s"] and c["attention"] == "GQA"
    nofit = subprocess.run([sys.executable, "-m", "landscape", "--db", str(app_db), "fit", "deepseek-ai/DeepSeek-V3",
                            "--hardware", "h100", "--gpus", "1", "--json"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    n = json.loads(nofit.stdout)
    assert n["status"] == "no" and n["decode_tokens_per_s"] is None and n["max_context"] is None
    assert n["verdict"].startswith("does not fit")
    bad = subprocess.run([sys.executable, "-m", "landscape", "--db", str(app_db), "fit", "nope/nope"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert bad.returncode == 2 and "unknown model" in bad.stderr


def test_unreleased_checkpoints_are_not_api_only():
    from landscape import fit
    r = fit.fit_one({"model_id": "meta-llama/Llama-4-Behemoth", "open_weights": False, "released": False,
                     "total_params_b": 2000.0, "active_params_b": 288.0}, None,
                    fit.hardware_presets()["h100"], 1, fit.quant_formats()["Q4_K_M"], 8192, "bf16", "llama.cpp")
    assert r.status == "unreleased" and "unreleased" in r.verdict
    assert fit.deployment_class({"open_weights": False, "released": False}, None) == "unreleased"


def test_memory_breakdown_chart_stacks_parts_and_marks_unknown(snapshot_db):
    from landscape import charts, fit
    table = fit.fit_table(None, "rtx4090", None, "Q4_K_M", "32K", "bf16", "llama.cpp", path=snapshot_db)
    fig = charts.memory_breakdown(table, 24.0)
    assert [t.name for t in fig.data] == ["Weights", "KV cache", "Runtime overhead", "total, p10-p90 range"]
    assert fig.layout.barmode == "stack" and fig.layout.shapes[0].x0 == 24.0
    # the range whisker spans total_gib_low..total_gib_high of exactly the drawn rows that have one
    band = fig.data[3]
    drawn = table[table["weights_gib"].notna()].sort_values("total_gib").tail(40)
    ranged = drawn[drawn["total_gib_low"].notna() & drawn["total_gib_high"].notna()]
    assert len(ranged) and len(band.x) == len(ranged) and list(band.y) == [charts._esc(n) for n in ranged["name"]]
    for x, plus, minus, (_, r) in zip(band.x, band.error_x.array, band.error_x.arrayminus, ranged.iterrows()):
        assert x == pytest.approx(r["total_gib"])
        assert x + plus == pytest.approx(r["total_gib_high"]) and x - minus == pytest.approx(r["total_gib_low"])
        assert r["total_gib_low"] < r["total_gib"] < r["total_gib_high"]
    assert "p10-p90" in band.hovertext[0]
    # without ranges (an older table) the bars stand alone
    bare = charts.memory_breakdown(table.drop(columns=["total_gib_low", "total_gib_high"]), 24.0)
    assert [t.name for t in bare.data] == ["Weights", "KV cache", "Runtime overhead"]
    no_kv = table[table["weights_gib"].notna() & table["kv_cache_gib"].isna()]
    if len(no_kv):
        hover = " ".join(fig.data[1].hovertext)
        assert "KV cache: unknown" in hover


def test_fit_package_never_imports_the_etl():
    code = "import sys; from landscape import fit; fit.parse_context('1M'); print(sorted(m for m in sys.modules if m == 'etl' or m.startswith('etl.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_architecture_fields_are_the_schema_columns_and_config_reading_agrees_with_the_etl():
    from etl.schema import TABLES
    from etl.sources.hf_config import extract_architecture
    cols = {c for c, _, _ in TABLES["architectures"]}
    assert set(fit.ARCH_COLUMNS) <= cols, set(fit.ARCH_COLUMNS) - cols
    need_mirror()
    configs = sorted(HF.glob("*/*/resolve/main/config.json"))
    assert len(configs) >= 30
    for p in configs:
        cfg = json.loads(p.read_text())
        ours, theirs = fit.row_from_config(cfg), extract_architecture(cfg)
        for k, v in ours.items():
            if k in theirs and k not in ("num_experts_per_tok",):  # ours also reads gpt-oss/Gemma 4 names
                assert v == theirs[k], (p, k, v, theirs[k])
