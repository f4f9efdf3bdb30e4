import pytest

from etl.registry import RegistryError, load_registry

IN_SCOPE = [
    "meta-llama/Llama-4-Scout-17B-16E-Instruct", "meta-llama/Llama-4-Maverick-17B-128E-Instruct",
    "meta-llama/Llama-4-Behemoth", "meta-llama/Llama-4-Maverick-03-26-Experimental",
    "meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.2-1B-Instruct", "meta-llama/Llama-3.3-70B-Instruct",
    "Qwen/Qwen2.5-0.5B-Instruct", "Qwen/Qwen2.5-72B-Instruct", "Qwen/Qwen2.5-Coder-32B-Instruct", "Qwen/QwQ-32B",
    "Qwen/Qwen3-0.6B", "Qwen/Qwen3-32B", "Qwen/Qwen3-30B-A3B", "Qwen/Qwen3-235B-A22B",
    "Qwen/Qwen3-235B-A22B-Instruct-2507", "Qwen/Qwen3-Coder-480B-A35B-Instruct",
    "deepseek-ai/DeepSeek-V3", "deepseek-ai/DeepSeek-V3-0324", "deepseek-ai/DeepSeek-V3.1", "deepseek-ai/DeepSeek-V3.2",
    "deepseek-ai/DeepSeek-R1", "deepseek-ai/DeepSeek-R1-0528",
    "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B", "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B",
    "deepseek-ai/DeepSeek-R1-Distill-Llama-8B", "deepseek-ai/DeepSeek-R1-Distill-Qwen-14B",
    "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", "deepseek-ai/DeepSeek-R1-Distill-Llama-70B",
    "google/gemma-2-27b-it", "google/gemma-3-1b-it", "google/gemma-3-27b-it", "google/gemma-3n-E4B-it",
    "google/gemini-2.0-flash", "google/gemini-2.0-flash-lite", "google/gemini-2.5-pro", "google/gemini-2.5-flash",
]


def test_registry_covers_scope():
    ids = {m.model_id for m in load_registry()}
    missing = [i for i in IN_SCOPE if i not in ids]
    assert not missing


def test_registry_facts():
    by = {m.model_id: m for m in load_registry()}
    scout = by["meta-llama/Llama-4-Scout-17B-16E-Instruct"]
    assert (scout.total_params_b, scout.active_params_b, scout.experts_total, scout.context_claimed) == (109, 17, 16, 10485760)
    assert scout.is_moe and scout.licence_id == "llama4"
    assert not by["meta-llama/Llama-4-Behemoth"].released
    assert not by["google/gemini-2.5-pro"].open_weights
    assert by["deepseek-ai/DeepSeek-R1-Distill-Llama-70B"].base_model == "meta-llama/Llama-3.3-70B-Instruct"
    for m in by.values():
        assert m.source_url.startswith("https://"), m.model_id


def test_bad_registry_is_a_clear_error(tmp_path):
    p = tmp_path / "r.yaml"
    p.write_text("- model_id: a/b\n  name: B\n  family: F\n  vendor: V\n  open_weights: true\n  released: true\n"
                 "  source_url: https://x\n  total_params_b: -3\n")
    with pytest.raises(RegistryError, match="total_params_b must be a positive number"):
        load_registry(p)
    p.write_text("- model_id: a/b\n  name: B\n")
    with pytest.raises(RegistryError, match="missing"):
        load_registry(p)


def test_a_stated_moe_without_expert_counts(tmp_path):
    """GLM-5 (744B total / 40B active, experts unpublished) is drawn as MoE, not as dense; the statement
    needs its source, and Gemma 3n (effective < total parameters, per-layer embeddings) stays dense."""
    by = {m.model_id: m for m in load_registry()}
    assert by["zai-org/GLM-5"].is_moe is True and by["zai-org/GLM-5"].experts_total is None
    assert by["google/gemma-3n-E4B-it"].is_moe is False
    head = ("- model_id: a/b\n  name: B\n  family: F\n  vendor: V\n  open_weights: true\n  released: true\n"
            "  source_url: https://x\n  total_params_b: 10\n")
    p = tmp_path / "r.yaml"
    p.write_text(head + "  moe: true\n")
    with pytest.raises(RegistryError, match="moe needs its source"):
        load_registry(p)
    p.write_text(head + "  moe: 'yes'\n  sources:\n    moe: https://x\n")
    with pytest.raises(RegistryError, match="moe must be true or false"):
        load_registry(p)
    p.write_text(head + "  moe: true\n  sources:\n    moe: https://x\n")
    assert load_registry(p)[0].is_moe is True
