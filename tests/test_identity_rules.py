"""Identity rules that pin the matcher (issue 11): who may stand in front of a name, which suffixes
may be peeled, and the same facts on the real mirror (Open LLM Leaderboard owner prefixes).

Each rule has a positive and a negative case; ``instruct_landing_on_base`` is the invariant a
mutation that peels ``-instruct``/``-it``/``-chat`` would break, and the mutation test proves it."""
import re

import pytest

import etl.matcher as matcher_mod
from etl.fetch import Fetcher
from etl.matcher import Matcher, own_orgs, route
from etl.registry import load_registry
from tests.conftest import MIRROR, need_mirror

REGISTRY = load_registry()


@pytest.fixture(scope="module")
def m():
    return Matcher(REGISTRY)


# ---------------------------------------------------------------- owner / provider / quantiser prefixes

# every third-party org spelling that the Open LLM Leaderboard capture holds with an official name
THIRD_PARTY = [
    "braindao/DeepSeek-R1-Distill-Qwen-14B", "braindao/DeepSeek-R1-Distill-Qwen-7B", "braindao/Qwen2.5-14B",
    "braindao/Qwen2.5-14B-Instruct", "jebish7/gemma-2-2b-it", "jebish7/gemma-2-9b-it",
    "jebish7/Llama-3.1-8B-Instruct", "unsloth/Llama-3.2-1B-Instruct",
    # made-up but typical: a provider-named Hub org, another vendor's org, a nested owner path
    "nvidia/Llama-3.1-8B-Instruct", "google/Llama-3.1-8B-Instruct", "meta-llama/gemma-2-9b-it",
    "ollama/wojtek/Qwen3-32B", "fireworks-ai/Llama-3.1-8B-Instruct",
]


@pytest.mark.parametrize("name", THIRD_PARTY)
def test_third_party_repos_are_never_official_checkpoints(m, name):
    res = m.match(name)
    assert res.model_id is None, (name, res)
    assert m.match(name, hub_repo=True).model_id is None


def test_third_party_reason_names_the_owner(m):
    assert "braindao/" in m.match("braindao/Qwen2.5-14B").reason
    assert "without a quantisation format" in m.match("unsloth/Llama-3.2-1B-Instruct").reason


@pytest.mark.parametrize("name,model_id", [
    ("meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.1-8B-Instruct"),
    ("meta/llama-4-maverick-17b-128e-instruct", "meta-llama/Llama-4-Maverick-17B-128E-Instruct"),
    ("deepseek/deepseek-r1", "deepseek-ai/DeepSeek-R1"),
    ("deepseek-ai/DeepSeek-R1-Distill-Qwen-14B", "deepseek-ai/DeepSeek-R1-Distill-Qwen-14B"),
    ("alibaba/qwen3-32b", "Qwen/Qwen3-32B"),
    ("google/gemma-2-2b-it", "google/gemma-2-2b-it"),
])
def test_the_developers_own_org_is_peeled(m, name, model_id):
    assert m.match(name).model_id == model_id
    assert m.match(name, hub_repo=True).model_id == model_id


@pytest.mark.parametrize("name,model_id", [
    ("groq/meta-llama/llama-4-scout-17b-16e-instruct", "meta-llama/Llama-4-Scout-17B-16E-Instruct"),
    ("together_ai/deepseek-ai/DeepSeek-R1", "deepseek-ai/DeepSeek-R1"),
    ("fireworks_ai/accounts/fireworks/models/llama4-maverick-instruct-basic",
     "meta-llama/Llama-4-Maverick-17B-128E-Instruct"),
    ("openrouter/qwen/qwen-2.5-coder-32b-instruct", "Qwen/Qwen2.5-Coder-32B-Instruct"),
    ("chutes/Qwen3-14B", "Qwen/Qwen3-14B"),
    ("vertex_ai/meta/llama-4-maverick-17b-128e-instruct", "meta-llama/Llama-4-Maverick-17B-128E-Instruct"),
    ("cloudflare/@cf/meta/llama-3.1-8b-instruct", "meta-llama/Llama-3.1-8B-Instruct"),
])
def test_provider_routes_are_peeled_but_not_in_a_hub_repo_id(m, name, model_id):
    assert m.match(name).model_id == model_id
    # a Hub repo id's first segment is its owner: "groq/..." there would be a Groq upload
    assert m.match(name, hub_repo=True).model_id is None


def test_a_provider_route_does_not_excuse_a_foreign_owner(m):
    assert m.match("together_ai/NousResearch/Llama-3.1-8B-Instruct").model_id is None
    assert m.match("deepinfra/nvidia/Llama-3.1-8B-Instruct").model_id is None
    assert route("bedrock/us-east-1/meta.llama3").providers == ("bedrock", "us-east-1")
    assert route("us-east-1/Qwen3-32B").providers == ()  # a region alone is not a route


@pytest.mark.parametrize("name,model_id,setting", [
    ("unsloth/Llama-3.2-1B-Instruct-bnb-4bit", "meta-llama/Llama-3.2-1B-Instruct", "bnb-4bit; quantised re-upload by unsloth"),
    ("bartowski/Qwen2.5-7B-Instruct-GGUF", "Qwen/Qwen2.5-7B-Instruct", "GGUF; quantised re-upload by bartowski"),
    ("TheBloke/Llama-3.1-8B-Instruct-AWQ", "meta-llama/Llama-3.1-8B-Instruct", "AWQ; quantised re-upload by thebloke"),
    ("mlx-community/Llama-3.2-1B-Instruct-4bit", "meta-llama/Llama-3.2-1B-Instruct",
     "4bit; MLX; quantised re-upload by mlx-community"),
    ("Qwen/Qwen2.5-7B-Instruct-GPTQ-Int4", "Qwen/Qwen2.5-7B-Instruct", "GPTQ-Int4"),  # the vendor's own quant
])
def test_quantised_reuploads_keep_uploader_and_format(m, name, model_id, setting):
    res = m.match(name, hub_repo=True)
    assert (res.model_id, res.setting) == (model_id, setting)


@pytest.mark.parametrize("name", [
    "unsloth/Llama-3.2-1B-Instruct",             # quantiser, no format: its own re-upload, not identical
    "unsloth/Llama-3.2-1B-Instruct-no-system-message",
    "braindao/Qwen2.5-14B-Instruct-GGUF",        # a format does not make a fine-tuner a quantiser
])
def test_quantiser_rule_needs_both_a_known_uploader_and_a_format(m, name):
    assert m.match(name, hub_repo=True).model_id is None


def test_own_orgs():
    assert own_orgs("meta-llama/Llama-3.1-8B") >= {"meta-llama", "meta"}
    assert "google" not in own_orgs("meta-llama/Llama-3.1-8B")
    assert own_orgs("Qwen/Qwen3-32B") >= {"qwen", "alibaba"}


def test_hostile_prefix_is_not_cut(m):
    assert route("<script>x</script>").tail == "<script>x</script>"
    assert m.match("evil/<img src=x>/Qwen3-32B").model_id is None


# ---------------------------------------------------------------- -instruct / -it / -chat are identity

_FLAVOUR = re.compile(r"^(?P<base>.+?)-(?P<flavour>instruct|it|chat)$", re.I)


def instruct_landing_on_base(matcher: Matcher) -> list[tuple[str, str]]:
    """Spellings of an instruct/chat name (``-Instruct``, ``-it``, ``-chat``, any case) of every
    registered base model that the matcher puts on the base checkpoint itself."""
    bad = []
    bases = {x.model_id for x in REGISTRY if x.model_id.split("/")[-1].lower().endswith("-base")
             or "pre-trained" in (x.note or "")}
    for mdl in REGISTRY:
        if mdl.model_id not in bases:
            continue
        stem = mdl.model_id.split("/")[-1]
        stem = re.sub(r"-base$", "", stem, flags=re.I)
        for flavour in ("Instruct", "it", "chat", "Chat", "INSTRUCT"):
            name = f"{stem}-{flavour}"
            if matcher.match(name).model_id == mdl.model_id:
                bad.append((name, mdl.model_id))
    return bad


def test_instruct_it_chat_names_never_land_on_a_base_model(m):
    assert instruct_landing_on_base(m) == []


@pytest.mark.parametrize("name", ["Qwen2.5-7B-Chat", "Llama-3.2-3B-chat", "Qwen2.5-72B-it", "gemma-2-9b-chat",
                                  "Llama-3.1-8B-it", "Qwen2.5-Coder-32B-Chat", "deepseek-v3-chat"])
def test_unregistered_chat_spellings_stay_unmatched(m, name):
    assert m.match(name).model_id is None


def test_mutation_peeling_instruct_suffixes_is_caught(monkeypatch):
    mutated = re.compile(matcher_mod._MODE_TAIL.pattern.replace("no-thinking|", "no-thinking|instruct|it|chat|"), re.I)
    monkeypatch.setattr(matcher_mod, "_MODE_TAIL", mutated)
    broken = Matcher(REGISTRY)
    assert broken.match("Qwen2.5-7B-Chat").model_id == "Qwen/Qwen2.5-7B"  # the mutation is live
    assert instruct_landing_on_base(broken)


# ---------------------------------------------------------------- real mirror: Open LLM Leaderboard owners

@pytest.fixture(scope="module")
def oll_rows():
    need_mirror()
    from etl.sources import open_llm_leaderboard
    out = open_llm_leaderboard.SOURCE.run(Fetcher(mirror=str(MIRROR)), REGISTRY, Matcher(REGISTRY))
    return out.tables["scores"], out.unmatched


def test_open_llm_leaderboard_rows_all_come_from_the_models_own_org(oll_rows):
    rows, unmatched = oll_rows
    assert rows
    foreign = {(r["raw_name"], r["model_id"]) for r in rows
               if r["raw_name"].split("/")[0].lower() not in own_orgs(r["model_id"])}
    assert foreign == set()
    for name in THIRD_PARTY[:8]:
        assert unmatched[name] >= 1, name


def test_open_llm_leaderboard_official_scores_survive(oll_rows):
    rows, _ = oll_rows
    avg = {(r["raw_name"], r["model_id"]): r["value"] for r in rows if r["benchmark"] == "open_llm_v2"}
    r1 = [v for (raw, mid), v in avg.items() if mid == "deepseek-ai/DeepSeek-R1-Distill-Qwen-14B"]
    assert r1 == [pytest.approx(38.22, abs=0.01)]  # not braindao's 13.94
    g2 = [v for (raw, mid), v in avg.items() if mid == "google/gemma-2-2b-it"]
    assert g2 and all(abs(v - 12.36) > 0.01 for v in g2)  # jebish7's 12.36 is not Gemma's


# ---------------------------------------------------------------- rows that name the model in several columns

@pytest.mark.parametrize("key,label,notes,want", [
    ("DeepSeek-V3", "DeepSeek-V3 Base", "", "deepseek-ai/DeepSeek-V3-Base"),      # the label names the base
    ("Llama-3.1-405B", "LLaMA-3.1 405B Base", "", "meta-llama/Llama-3.1-405B"),    # agree
    ("gemma-2-9b-it", "Gemma 2 Instruct (9B)", "", "google/gemma-2-9b-it"),        # size and flavour agree
    ("Llama-3.1-8B-Instruct", "Llama-3.1-In 8B", "", "meta-llama/Llama-3.1-8B-Instruct"),
    ("gemini-2.5-pro-preview-03-25", "Gemini 2.5 Pro (Preview)", "", "google/gemini-2.5-pro-preview-03-25"),
    ("", "Qwen 2.5 - 72b - Instruct", "", "Qwen/Qwen2.5-72B-Instruct"),            # no key: the label
    ("Qwen2.5-Coder-32B", "Qwen2.5-Coder-3B", "", None),                           # stated size vetoes
    ("Llama-3.1-405B-Instruct", "Llama 3 405B", '"For pre-trained models, we use a 0-shot config"', None),
    ("Qwen2.5-72B", "Qwen2.5 72B Instruct", "", "Qwen/Qwen2.5-72B-Instruct"),      # the label names the instruct
    ("Qwen2.5-72B", "Qwen2.5 72B Chat", "", None),                                 # post-trained label, base key
    ("Llama-3.1-8B-Instruct", "Llama 3.1 8B (base)", "", None),
])
def test_every_naming_column_decides(m, key, label, notes, want):
    assert m.match_described(key, label, notes).model_id == want


@pytest.fixture(scope="module")
def epoch_out():
    need_mirror()
    from etl.sources import epoch
    return epoch.SOURCE.run(Fetcher(mirror=str(MIRROR)), REGISTRY, Matcher(REGISTRY))


def test_epoch_base_and_other_size_rows_leave_the_chat_model(epoch_out):
    rows = epoch_out.tables["scores"]
    v3_report = [r for r in rows if "DeepSeek-V3 Technical Report" in r["setting"]
                 and r["benchmark"] in {"arc_challenge", "bbh", "hellaswag", "mmlu", "triviaqa", "winogrande"}]
    base = sorted((r["benchmark"], r["value"]) for r in v3_report if r["model_id"] == "deepseek-ai/DeepSeek-V3-Base")
    # arc_ai2 72, bbh 13 and 74, hellaswag 30, mmlu 41, triviaqa 23, winogrande 72
    assert [b for b, _ in base] == ["arc_challenge", "bbh", "bbh", "hellaswag", "mmlu", "triviaqa", "winogrande"]
    assert ("mmlu", 87.1) in base
    assert all(r["raw_name"] == "DeepSeek-V3 Base" for r in v3_report if r["model_id"].endswith("-Base"))
    assert not [r for r in v3_report if r["model_id"] == "deepseek-ai/DeepSeek-V3"
                and r["benchmark"] in {"hellaswag", "triviaqa", "winogrande", "arc_challenge"}]
    assert not [r for r in rows if r["model_id"] == "Qwen/Qwen2.5-Coder-32B" and r["value"] == 61.2]
    herd = [r for r in rows if r["model_id"] == "meta-llama/Llama-3.1-405B-Instruct"
            and r["benchmark"] in {"openbookqa", "winogrande"} and "Llama 3 Herd" in r["setting"]]
    assert herd == []
    assert epoch_out.unmatched["Qwen2.5-Coder-3B (keyed as Qwen2.5-Coder-32B)"] == 1
    assert epoch_out.unmatched["Llama 3 405B (keyed as Llama-3.1-405B-Instruct)"] == 1
