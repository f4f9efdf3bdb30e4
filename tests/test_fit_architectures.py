"""2026 architectures read from their configs (the mirror's config.json, or a trimmed fixture where
the mirror has none): attention kind per layer, KV bytes per token with the arithmetic written out,
and a fit result that names the attention type. An attention type we have not checked is unknown."""
import json

import pytest

from landscape import fit
from tests.conftest import FIXTURES, MIRROR, need_mirror

HF = MIRROR / "huggingface.co"


def hf(repo: str) -> fit.Arch:
    need_mirror()
    return fit.arch_from_config(json.loads((HF / repo / "resolve/main/config.json").read_text()))


def fixture(name: str) -> fit.Arch:
    return fit.arch_from_config(json.loads((FIXTURES / name).read_text()))


def _fit(arch, total_b, active_b, hw="8xh200", gpus=8, quant="FP8", runtime="vLLM", context=131072):
    m = {"model_id": "m", "name": "m", "open_weights": True, "total_params_b": total_b, "active_params_b": active_b}
    return fit.fit_one(m, arch, fit.hardware_presets()[hw], gpus, fit.quant_formats()[quant], context, "bf16", runtime)


def test_qwen35_hybrid_linear_attention():
    a = hf("Qwen/Qwen3.5-397B-A17B")
    assert fit.layer_counts(a) == {"full": 15, "sliding": 0, "chunked": 0, "linear": 45, "compressed": 0}
    # only the 15 full-attention layers grow: 15 x K,V x 2 KV heads x 256 head_dim x 2 bytes
    assert fit.kv_bytes_per_token(a) == 15 * 2 * 2 * 256 * 2 == 30_720
    # each of the 45 Gated DeltaNet layers holds a fixed state: 64 value heads x 128 x 128 fp32
    # + conv state (16 key heads x 128 x 2 + 64 x 128) x (kernel 4 - 1) x 2 bytes
    state = 64 * 128 * 128 * 4 + (16 * 128 * 2 + 64 * 128) * 3 * 2
    assert a.linear_state_bytes_per_layer == state
    assert fit.kv_cache_bytes(a, 1_000_000) == 30_720 * 1_000_000 + 45 * state
    r = _fit(a, 397, 17)
    assert r.status == "fits" and any("Gated DeltaNet" in x for x in r.assumptions)


def test_deepseek_v4_sliding_window_plus_compressed_sparse_attention():
    a = hf("deepseek-ai/DeepSeek-V4-Flash")
    assert a.compress_ratios[:4] == (0, 0, 4, 128) and a.head_dim == 512 and a.num_kv_heads == 1
    c = fit.layer_counts(a)
    assert c == {"full": 0, "sliding": 2, "chunked": 0, "linear": 0, "compressed": 41}
    r4 = sum(1 for x in a.compress_ratios if x == 4)
    r128 = sum(1 for x in a.compress_ratios if x == 128)
    assert (r4, r128) == (21, 20)
    # per extra token: ratio-4 layers cache 512/4 latent + 128/4 indexer-key elements, ratio-128
    # layers 512/128; x 2 bytes (BF16); the 128-token window is a constant
    assert fit.kv_bytes_per_token(a) == 21 * (512 / 4 + 128 / 4) * 2 + 20 * (512 / 128) * 2 == 6_880
    ctx = 1_048_576
    expected = (2 * 128 * 512 * 2  # window-only layers
                + 21 * ((128 + ctx // 4) * 512 + ctx // 4 * 128) * 2
                + 20 * (128 + ctx // 128) * 512 * 2)
    assert fit.kv_cache_bytes(a, ctx) == expected
    assert fit.kv_cache_bytes(a, ctx) < 7.3e9  # 1M tokens of context in ~6.7 GiB
    r = _fit(a, 284, 13, hw="h200", gpus=1, runtime="SGLang", context=ctx)
    assert any("compressed" in x for x in r.assumptions) and r.attention.startswith("DeepSeek V4")
    assert a.expert_bits == 4.25  # config expert_dtype fp4
    # FP8 checkpoint with FP4 experts: 43 MoE layers x 256 experts x 3 x 4096 x 2048 at 4.25 bits, the rest at 8
    experts = 43 * 256 * 3 * 4096 * 2048
    assert fit.weights_bytes(284, fit.quant_formats()["FP8"], a) == pytest.approx(experts * 4.25 / 8 + (284e9 - experts))
    assert any("experts at 4.25 bits" in x for x in r.assumptions)
    pro = hf("deepseek-ai/DeepSeek-V4-Pro")
    assert pro.num_layers == 61 and fit.layer_counts(pro)["compressed"] == 61


def test_gemma4_global_layers_have_their_own_head_size_and_share_k_as_v():
    a = hf("google/gemma-4-26B-A4B")
    assert fit.layer_counts(a) == {"full": 5, "sliding": 25, "chunked": 0, "linear": 0, "compressed": 0}
    assert (a.head_dim, a.num_kv_heads, a.global_head_dim, a.global_kv_heads, a.k_eq_v_global) == (256, 8, 512, 2, True)
    # global: 5 layers x 2 KV heads x 512 x 1 (V = K, cached once) x 2 bytes; sliding: capped at 1024
    assert fit.kv_bytes_per_token(a) == 5 * 2 * 512 * 1 * 2 == 10_240
    assert fit.kv_cache_bytes(a, 262_144) == 10_240 * 262_144 + 25 * 2 * 8 * 256 * 2 * 1024
    d = hf("nvidia/Gemma-4-31B-IT-NVFP4")
    assert fit.kv_bytes_per_token(d) == 10 * 4 * 512 * 2 == 40_960
    r = _fit(a, 25.2, 3.8, hw="h100", gpus=1, quant="BF16", context=32768)
    assert r.status == "fits" and "Gemma 4" in r.attention


def test_gpt_oss_mxfp4_experts_and_alternating_sliding_window():
    a = fixture("fit_gpt_oss_120b_config.json")
    assert fit.layer_counts(a) == {"full": 18, "sliding": 18, "chunked": 0, "linear": 0, "compressed": 0}
    # 18 full layers x K,V x 8 KV heads x 64 x 2 bytes; the 18 sliding layers hold 128 tokens
    assert fit.kv_bytes_per_token(a) == 18 * 2 * 8 * 64 * 2 == 36_864
    assert fit.kv_cache_bytes(a, 131_072) == 36_864 * 131_072 + 18 * 2 * 8 * 64 * 2 * 128
    pb = fit.param_breakdown(a)
    experts = 36 * 128 * 3 * 2880 * 2880
    assert pb["experts"] == experts
    total = pb["embed"] + pb["head"] + pb["body"] + pb["experts"]
    assert 116.7e9 < total < 116.9e9  # OpenAI: 116.8B
    # MXFP4 prices the experts at 4 + 8/32 bits, attention / router / embeddings stay BF16
    w = fit.weights_bytes(total / 1e9, fit.quant_formats()["MXFP4"], a)
    assert w == pytest.approx(experts * 4.25 / 8 + (total - experts) * 2)
    r = _fit(a, 117, 5.1, hw="h100", gpus=1, quant="MXFP4", context=32768)
    assert r.status == "fits" and 58 < r.weights_gib < 63 and "gpt-oss" in r.attention


def test_kimi_k2_is_mla_like_v3():
    a = fixture("fit_kimi_k2_config.json")
    assert a.is_mla and a.attention_type.startswith("MLA")
    assert fit.kv_bytes_per_token(a) == 61 * (512 + 64) * 2 == 70_272
    pb = fit.param_breakdown(a)
    assert 1.0e12 < pb["embed"] + pb["head"] + pb["body"] + pb["experts"] < 1.05e12  # "1T total"
    r = _fit(a, 1000, 32, quant="FP8", context=32768)
    assert r.kv_cache_gib == pytest.approx(8 * 70_272 * 32768 / 2**30)  # latent on each of 8 TP ranks


def test_llama4_chunked_attention_named():
    a = hf("meta-llama/Llama-4-Maverick-17B-128E-Instruct")
    assert fit.layer_counts(a)["chunked"] == 36 and a.attention_chunk_size == 8192
    assert fit.kv_bytes_per_token(a) == 12 * 2 * 8 * 128 * 2
    assert "chunked" in _fit(a, 400, 17, context=32768).attention


def test_unknown_attention_is_unknown_not_gqa():
    cfg = {"model_type": "brand_new_arch", "num_hidden_layers": 24, "hidden_size": 2048, "num_attention_heads": 16,
           "num_key_value_heads": 4, "head_dim": 128, "intermediate_size": 8192, "vocab_size": 32000}
    a = fit.arch_from_config(cfg)
    assert a.attention_type is None and not a.kv_known
    r = _fit(a, 3.0, 3.0, hw="rtx4090", gpus=1, quant="Q4_K_M", runtime="llama.cpp", context=8192)
    assert r.status == "unknown" and r.kv_cache_gib is None and r.attention == "unknown"
    assert any("not assumed to be plain GQA" in x for x in r.assumptions)
    odd = fit.arch_from_config(dict(cfg, model_type="qwen3", layer_types=["mamba"] * 12 + ["full_attention"] * 12))
    assert odd.attention_type is None and not odd.kv_known  # a layer kind we do not model
    plain = fit.arch_from_config(dict(cfg, model_type="llama"))
    assert plain.attention_type == "GQA" and fit.kv_bytes_per_token(plain) == 24 * 2 * 4 * 128 * 2
