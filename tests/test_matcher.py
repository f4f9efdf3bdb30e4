import pytest

from etl.matcher import AmbiguousAlias, Matcher, normalise
from etl.registry import Model, load_registry
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def real():
    return Matcher(load_registry())


def test_normalise_folds_case_separators_and_org_prefix():
    assert normalise("Llama 4 Maverick") == normalise("llama-4-maverick") == "llama-4-maverick"
    assert normalise("meta-llama/Llama-4-Maverick") == "llama-4-maverick"
    assert normalise("openrouter/qwen/qwen-2.5-coder-32b-instruct") == "qwen-2.5-coder-32b-instruct"
    assert normalise("  Qwen3_32B ") == "qwen3-32b"


@pytest.mark.parametrize("name,expected", [
    ("Llama 4 Maverick", "meta-llama/Llama-4-Maverick-17B-128E-Instruct"),
    ("Llama-4-Maverick-17B-128E-Instruct", "meta-llama/Llama-4-Maverick-17B-128E-Instruct"),
    ("Llama-4-Maverick-03-26-Experimental", "meta-llama/Llama-4-Maverick-03-26-Experimental"),
    ("DeepSeek-R1-Distill-Qwen-32B", "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B"),
    ("DeepSeek R1", "deepseek-ai/DeepSeek-R1"),
    ("DeepSeek R1 (0528)", "deepseek-ai/DeepSeek-R1-0528"),
    ("DeepSeek V3 (0324)", "deepseek-ai/DeepSeek-V3-0324"),
    ("DeepSeek Chat V3 (prev)", "deepseek-ai/DeepSeek-V3"),
    ("Qwen3-235B-A22B-Instruct-2507", "Qwen/Qwen3-235B-A22B-Instruct-2507"),
    ("Qwen3-235B-A22B", "Qwen/Qwen3-235B-A22B"),
    ("gemma-3-27b-it", "google/gemma-3-27b-it"),
    ("Gemini-2.5-Pro", "google/gemini-2.5-pro"),
])
def test_real_registry_maps_known_variants(real, name, expected):
    assert real.match(name).model_id == expected


@pytest.mark.parametrize("name", [
    "DeepSeek R1 + claude-3-5-sonnet-20241022",  # a combination is not the model
    "Qwen2.5-32B-Instruct-Distill", "Llama 4", "gpt-4o", "", "   ",
])
def test_never_guesses(real, name):
    assert real.match(name).model_id is None


def test_distill_never_merges_with_parent_or_base(real):
    ids = {real.match(n).model_id for n in ("DeepSeek-R1-Distill-Qwen-32B", "DeepSeek-R1", "Qwen2.5-32B-Instruct")}
    assert len(ids) == 3


def test_settings_are_peeled_not_merged(real):
    m = real.match("Llama 4 Maverick (whole)")
    assert m.model_id == "meta-llama/Llama-4-Maverick-17B-128E-Instruct" and m.setting == "whole"
    m = real.match("deepseek/deepseek-r1:free")
    assert m.model_id == "deepseek-ai/DeepSeek-R1" and m.setting == "free"


def test_registry_aliases_are_unambiguous():
    Matcher(load_registry())  # raises AmbiguousAlias otherwise


def test_ambiguous_alias_is_refused():
    a = Model("a/x", "X", "F", "V", True, True, "u", aliases=("same",))
    b = Model("b/y", "Y", "F", "V", True, True, "u", aliases=("same",))
    with pytest.raises(AmbiguousAlias):
        Matcher([a, b])


def test_hostile_alias_matches_literally():
    m = Matcher(load_registry(FIXTURES / "models.yaml"))
    assert m.match("+cmd|' /C calc'!A0").model_id == "evil/<script>alert(1)</script>"
