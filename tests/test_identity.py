"""Identity: every distinct name of our families in the mirror's eval sources, mapped by hand.

The table ``tests/fixtures/identity_expected.csv`` (loaded as ``EXPECTED``) was generated with ``python -m tools.scan_eval_names ../shared/mirror`` and then
checked by hand, name by name. ``None`` means the name is not one of our registered checkpoints
(an older generation such as Llama 2/3.0, Qwen1.5/2, DeepSeek V2, Gemma 1, Gemini 1.x; a
fine-tune or derivative such as Nemotron, Hermes, Tulu; a different size or variant we do not
register such as Qwen2.5-Coder-7B, Qwen2.5-VL, Qwen3-Next; a future model; an Aider
"A + B" architect pairing, which is a system, not a model). Such names go to ``unmatched`` and are
shown on the Data quality page. Checkpoints that must never merge: experimental vs released
Maverick, R1 distills vs R1 vs their bases, V3 vs V3-0324 vs V3.1 vs V3.2-Exp, R1 vs R1-0528,
Qwen3 vs its 2507 updates, QwQ-32B vs QwQ-32B-Preview, Gemini previews/experiments vs GA,
Gemma 3 vs 3n, base (pre-trained) vs instruct checkpoints, an official repo vs a third-party repo of the
same name (Open LLM Leaderboard names from any owner are listed when their name without the owner
would be placed on one of our models).
"""
import csv
import json
import subprocess
import sys

import pytest

from etl.matcher import Matcher
from etl.registry import load_registry
from tests.conftest import MIRROR, ROOT

# name -> the model it must be placed on (empty = left unmatched), with a note on why / which source
with open(ROOT / "tests" / "fixtures" / "identity_expected.csv", encoding="utf-8", newline="") as _fh:
    EXPECTED = {r["name"]: r["model_id"] or None for r in csv.DictReader(_fh)}

MUST_DIFFER = [
    ("Llama-4-Maverick-03-26-Experimental", "Llama-4-Maverick-17B-128E-Instruct"),
    ("DeepSeek-V3", "DeepSeek-V3-0324"), ("DeepSeek-R1", "DeepSeek-R1-0528"),
    ("DeepSeek-R1-Distill-Qwen-32B", "Qwen/Qwen2.5-32B-Instruct"), ("DeepSeek-R1-Distill-Llama-70B", "DeepSeek-R1"),
    ("Qwen3-235B-A22B", "Qwen3-235B-A22B-Instruct-2507"), ("Qwen3-235B-A22B", "Qwen3-235B-A22B-Thinking-2507"),
    ("QwQ-32B", "QwQ-32B-Preview"), ("gemini-2.5-pro", "gemini-2.5-pro-preview-06-05"),
    ("gemini-2.5-pro-exp-03-25", "gemini-2.5-pro-preview-03-25"), ("gemma-3-4b-it", "gemma-3n-e4b-it"),
    ("meta-llama/Llama-3.1-8B", "meta-llama/Llama-3.1-8B-Instruct"), ("Qwen/Qwen2.5-72B", "Qwen/Qwen2.5-72B-Instruct"),
    ("google/gemma-3-27b-pt", "gemma-3-27b-it"), ("DeepSeek-V3-Base", "DeepSeek-V3"),
]


@pytest.fixture(scope="module")
def matcher():
    return Matcher(load_registry())


def test_every_expected_name_maps_as_checked_by_hand(matcher):
    wrong = {n: (matcher.match(n).model_id, want) for n, want in EXPECTED.items() if matcher.match(n).model_id != want}
    assert not wrong, wrong


def test_expected_list_covers_every_family_name_in_the_mirror():
    if not MIRROR.is_dir():
        pytest.skip("no mirror")
    from tools.scan_eval_names import EVAL_SOURCES, names_of
    found = set()
    for s in EVAL_SOURCES:
        found |= names_of(s, str(MIRROR))
    assert found - set(EXPECTED) == set(), "new names of our families: add them to EXPECTED"


def assert_never_merge(matcher, pairs):
    for a, b in pairs:
        ma, mb = matcher.match(a).model_id, matcher.match(b).model_id
        assert ma and mb and ma != mb, (a, ma, b, mb)


def test_checkpoints_never_merge(matcher):
    assert_never_merge(matcher, MUST_DIFFER)


@pytest.mark.parametrize("name,model_id,setting", [
    ("Llama-4-Maverick-17B-128E-Instruct-FP8", "meta-llama/Llama-4-Maverick-17B-128E-Instruct", "FP8"),
    ("Qwen3-235B-A22B-no-thinking", "Qwen/Qwen3-235B-A22B", "no-thinking"),
    ("qwen3-32b-thinking", "Qwen/Qwen3-32B", "thinking"),
    ("llama-3.3-70b-instruct-turbo", "meta-llama/Llama-3.3-70B-Instruct", "turbo"),
    ("gemini-2.5-pro_16K", "google/gemini-2.5-pro", "16K"),
    ("QwQ-32B-Preview-Q8_0-GGUF", "Qwen/QwQ-32B-Preview", "Q8_0; GGUF"),
    ("DeepSeek-V3.2-Exp (Reasoner)", "deepseek-ai/DeepSeek-V3.2-Exp", "Reasoner"),
    ("Qwen3 235B A22B diff, no think, Alibaba API", "Qwen/Qwen3-235B-A22B", "diff; no think, Alibaba API"),
    # 2024-2026 launches (#12)
    ("gemini-3-pro-preview-11-2025-high", "google/gemini-3-pro-preview", "high"),
    ("o3-2025-04-16_high", "openai/o3-2025-04-16", "high"),
    ("Claude 3.7 Sonnet (thinking-32k)", "anthropic/claude-3-7-sonnet-20250219", "thinking-32k"),
    ("kimi-k2.5-thinking", "moonshotai/Kimi-K2.5", "thinking"),
    ("gpt-oss-120b (high)", "openai/gpt-oss-120b", "high"),
])
def test_settings_are_peeled_into_the_score_setting(matcher, name, model_id, setting):
    m = matcher.match(name)
    assert (m.model_id, m.setting) == (model_id, setting)


def test_display_name_never_pulls_a_base_checkpoint_onto_the_instruct_model(matcher):
    # "Llama 3.1 8B" is the instruct model's label; the repo id Llama-3.1-8B is the base model
    assert matcher.match("Llama 3.1 8B").model_id == "meta-llama/Llama-3.1-8B"
    assert matcher.match("Llama-3.1-8B-Instruct").model_id == "meta-llama/Llama-3.1-8B-Instruct"


def test_cli_match_agrees_for_a_sample():
    sample = [n for i, n in enumerate(sorted(EXPECTED)) if i % 9 == 0]
    out = subprocess.run([sys.executable, "-m", "etl", "match", *sample], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    got = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(got) == len(sample)
    for name, row in zip(sample, got):
        assert row["model_id"] == EXPECTED[name], name


# 2024-2026 launches, peers and closed reference models (#12): each new checkpoint stays apart from its
# neighbours (preview vs GA, thinking vs instruct, base vs post-trained, dated snapshots, distill vs teacher)
MUST_DIFFER_LAUNCHES = [
    ("gemini-3-pro-preview", "gemini-3.1-pro-preview"), ("gemini-2.5-flash-lite", "gemini-2.5-flash-lite-preview-06-17"),
    ("gemini-3.1-flash-lite", "gemini-3.1-flash-lite-preview"), ("Qwen2.5-Math-7B-Instruct", "Qwen2.5-7B-Instruct"),
    ("Qwen2.5-7B-Instruct-1M", "Qwen2.5-7B-Instruct"), ("DeepSeek-Prover-V2-671B", "DeepSeek-V3"),
    ("Qwen2-Math-72B-Instruct", "Qwen2-72B-Instruct"), ("gemma-2-2b-jpn-it", "gemma-2-2b-it"),
    ("gemini-2.5-flash-lite-preview-06-17", "gemini-2.5-flash-lite-preview-09-2025"),
    ("gemini-2.5-flash-preview-09-2025", "gemini-2.5-flash"), ("gemini-1.5-pro-001", "gemini-1.5-pro-002"),
    ("gemini-1.5-pro-exp-0827", "gemini-1.5-pro-002"), ("gemini-exp-1206", "gemini-2.0-pro-exp-02-05"),
    ("DeepSeek-V4-Pro", "DeepSeek-V4-Pro-Base"), ("DeepSeek-V4-Pro", "DeepSeek-V4-Flash"),
    ("DeepSeek-V4-Flash", "DeepSeek-V4-Flash-Base"), ("DeepSeek-V3.2", "DeepSeek-V3.2-Speciale"),
    ("DeepSeek-V2.5", "DeepSeek-V2.5-1210"), ("DeepSeek-Coder-V2-Instruct", "DeepSeek-Coder-V2-Instruct-0724"),
    ("DeepSeek-Coder-V2-Instruct", "DeepSeek-Coder-V2-Base"), ("DeepSeek-R1-0528-Qwen3-8B", "Qwen3-8B"),
    ("DeepSeek-R1-0528-Qwen3-8B", "DeepSeek-R1-0528"),
    ("Qwen3.5-27B", "Qwen3.6-27B"), ("Qwen3.5-35B-A3B", "Qwen3.5-35B-A3B-Base"), ("Qwen3.5-9B", "Qwen3.5-9B-Base"),
    ("Qwen3-Next-80B-A3B-Instruct", "Qwen3-Next-80B-A3B-Thinking"), ("Qwen3-VL-8B-Instruct", "Qwen3-VL-8B-Thinking"),
    ("Qwen3-VL-8B-Instruct", "Qwen3-8B"), ("Qwen2.5-VL-7B-Instruct", "Qwen2-VL-7B-Instruct"),
    ("Qwen2.5-Coder-7B", "Qwen2.5-Coder-7B-Instruct"), ("Qwen2.5-Coder-7B-Instruct", "Qwen2.5-7B-Instruct"),
    ("Qwen2-72B-Instruct", "Qwen2.5-72B-Instruct"), ("qwen-plus-2025-04-28", "qwen-plus-2025-07-28"),
    ("qwen3.6-plus", "qwen3.6-27b"), ("Qwen3-Coder-30B-A3B-Instruct", "Qwen3-30B-A3B"),
    ("gemma-4-31B-it", "gemma-4-31B"), ("gemma-4-26B-A4B-it", "gemma-4-26B-A4B"), ("gemma-4-E4B-it", "gemma-3n-E4B-it"),
    ("Meta-Llama-3-8B", "Meta-Llama-3-8B-Instruct"), ("Llama-3-70B-Instruct", "Llama-3.1-70B-Instruct"),
    ("Llama-3.2-11B-Vision-Instruct", "Llama-3.2-3B-Instruct"),
    ("Kimi-K2-Instruct", "Kimi-K2-Instruct-0905"), ("Kimi-K2-Instruct", "Kimi-K2-Thinking"), ("kimi-k2.5", "kimi-k2.6"),
    ("GLM-4.5", "GLM-4.5-Air"), ("GLM-4.6", "GLM-4.7"), ("GLM-5", "GLM-5.1"), ("MiniMax-M1-80k", "MiniMax-M1-40k"),
    ("MiniMax-M2", "MiniMax-M2.1"), ("gpt-oss-120b", "gpt-oss-20b"), ("mistral-large-2407", "mistral-large-2411"),
    ("mistral-small-2501", "mistral-small-2503"),
    ("gpt-4o-2024-08-06", "gpt-4o-2024-11-20"), ("gpt-4o-2024-05-13", "gpt-4o-mini-2024-07-18"), ("o3-mini", "o3"),
    ("o4-mini", "o3-mini"), ("o1", "o1-preview"), ("gpt-5", "gpt-5-mini"), ("gpt-5.1", "gpt-5"),
    ("claude-3-5-sonnet-20240620", "claude-3-5-sonnet-20241022"), ("claude-opus-4", "claude-opus-4.1"),
    ("claude-sonnet-4", "claude-sonnet-4.5"), ("Claude 3.7 Sonnet", "Claude 3.5 Sonnet (20241022)"),
]

# spellings that name no single checkpoint (moving aliases, undated families, third-party fine-tunes): never matched
NEVER_MATCHED_LAUNCHES = [
    "gpt-4o", "chatgpt-4o-latest", "qwen-plus", "qwen-max", "qwen3-max", "qwen3-coder-plus", "qwq-plus", "Claude 3.5 Sonnet", "gemini-3-pro",
    "gemini-flash-latest", "deepseek-coder-v2", "Minimax-M1", "gemma-4-26b",
    "gemini-2.5-pro-preview", "Llama-3.1-Nemotron-70B-Instruct", "NousResearch/Hermes-3-Llama-3.1-70B",
    "Qwen3.5", "Gemma 4", "DeepSeek V4", "GLM-4.6V", "Llama Guard 3 8B", "claude-3-5-sonnet",
    # base checkpoints we do not register never reach their instruct models
    "Mistral-7B-v0.3", "Llama-3.2-11B-Vision", "Mixtral-8x22B-v0.1", "deepseek-coder-v2-lite", "Kimi-K2-Base",
    "GLM-4.5-Base", "Qwen3.5-27B-Base", "Qwen2-72B", "gpt-oss-120b-base",
]


def test_launch_checkpoints_never_merge(matcher):
    assert_never_merge(matcher, MUST_DIFFER_LAUNCHES)


@pytest.mark.parametrize("name", NEVER_MATCHED_LAUNCHES)
def test_ambiguous_launch_spellings_stay_unmatched(matcher, name):
    assert matcher.match(name).model_id is None, (name, matcher.match(name))
