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
    ("fireworks/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.1-8B-Instruct"),  # Epoch spelling of the host
    ("models/gemini-2.5-pro", "google/gemini-2.5-pro"),  # Gemini API resource name
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
    "mlx-community/Mistral-Small-24B-Instruct-2501-bf16",  # full precision: no quantisation, a re-upload
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
    ("Qwen2.5-Coder-32B", "Qwen2.5-Coder-3B", "", "Qwen/Qwen2.5-Coder-3B"),        # the label names the 3B exactly
    ("Qwen2.5-Coder-32B", "Qwen2.5-Coder 20B", "", None),                          # stated size vetoes the key
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
    # Epoch keyed the Qwen2.5-Coder report's 3B MMLU row to Coder-32B; its label names the registered 3B
    assert [(r["model_id"], r["raw_name"]) for r in rows if r["benchmark"] == "mmlu" and r["value"] == 61.2
            and "Qwen2.5-Coder" in r["setting"]] == [("Qwen/Qwen2.5-Coder-3B", "Qwen2.5-Coder-3B")]
    herd = [r for r in rows if r["model_id"] == "meta-llama/Llama-3.1-405B-Instruct"
            and r["benchmark"] in {"openbookqa", "winogrande"} and "Llama 3 Herd" in r["setting"]]
    assert herd == []
    assert "Qwen2.5-Coder-3B (keyed as Qwen2.5-Coder-32B)" not in epoch_out.unmatched
    assert epoch_out.unmatched["Llama 3 405B (keyed as Llama-3.1-405B-Instruct)"] == 1


# ---------------------------------------------------------------- provider spelling rules (etl/offerings.py)

from etl.offerings import SPELLING_RULES, base_unconfirmed, candidates, respell  # noqa: E402

# rule -> (a provider spelling it must place, the model) and (a spelling it must not place)
RULE_CASES = {
    "decimal p": (("fireworks_ai/accounts/fireworks/models/qwen3-0p6b", "Qwen/Qwen3-0.6B"),
                  "fireworks_ai/accounts/fireworks/models/qwen3-0p6b-math"),
    "llama-vN": (("fireworks_ai/accounts/fireworks/models/llama-v3p1-8b-instruct", "meta-llama/Llama-3.1-8B-Instruct"),
                 "fireworks_ai/accounts/fireworks/models/llama-v3p1-8b-instruct-nemotron"),
    "dash decimal": (("databricks/databricks-gemini-2-5-pro", "google/gemini-2.5-pro"),
                     "gemma-3-12b-pt-2"),
    "host prefix": (("gemini/gemini-gemma-2-27b-it", "google/gemma-2-27b-it"),
                    "snowflake/snowflake-llama-3.3-70b"),  # Snowflake's SwiftKV model, not Meta's
    "meta-llama-": (("sambanova/Meta-Llama-3.3-70B-Instruct", "meta-llama/Llama-3.3-70B-Instruct"),
                    "sambanova/Meta-Llama-Guard-3-8B"),
    # "deepseek.v4" names neither V4-Pro nor V4-Flash
    "deepseek dot": (("bedrock/us-east-1/deepseek.v3.2", "deepseek-ai/DeepSeek-V3.2"), "deepseek.v4"),
    "llamaN": (("snowflake/llama4-maverick", "meta-llama/Llama-4-Maverick-17B-128E-Instruct"), "llama4-maverick-lora"),
    "qwen-N": (("cerebras/qwen-3-32b", "Qwen/Qwen3-32B"), "cerebras/qwen-3-32b-coder"),
    # Volcengine's deepseek-v3-250324 is V3-0324's build: a tag that is not the model's release is refused
    "build date": (("deepseek-v3-2-251201", "deepseek-ai/DeepSeek-V3.2"), "deepseek-v3-250324"),
    "ollama size tag": (("ollama/gpt-oss:120b-cloud", "openai/gpt-oss-120b"), "ollama/llama3:70b-text"),
    "gemmaN": (("fireworks_ai/accounts/fireworks/models/gemma2-9b-it", "google/gemma-2-9b-it"), "gemma2-9b-it-sppo"),
    "qwen-vN": (("fireworks_ai/accounts/fireworks/models/qwen-v2p5-14b-instruct", "Qwen/Qwen2.5-14B-Instruct"),
                "qwen-v2p5-14b-instruct-abliterated"),
    "qwenNN": (("lambda_ai/qwen25-coder-32b-instruct", "Qwen/Qwen2.5-Coder-32B-Instruct"), "qwen25-coder-33b-instruct"),
    "qwen-qwq": (("fireworks_ai/accounts/fireworks/models/qwen-qwq-32b-preview", "Qwen/QwQ-32B-Preview"), "qwen-qwq-33b"),
}


def offering(m, name):
    """What the offering sources do: peel provider suffixes/regions (candidates), then match."""
    for cand, _, _ in candidates(name):
        got = m.match(cand).model_id
        if got:
            return got
    return None


def test_every_spelling_rule_has_cases():
    assert set(RULE_CASES) == {r[0] for r in SPELLING_RULES}


@pytest.mark.parametrize("rule", sorted(RULE_CASES))
def test_spelling_rule_positive_and_negative(m, rule, monkeypatch):
    import etl.offerings as offerings_mod
    (good, want), bad = RULE_CASES[rule]
    assert offering(m, good) == want, good
    assert offering(m, bad) is None, bad
    # the rule is what places the positive case: without it the name is lost
    monkeypatch.setattr(offerings_mod, "SPELLING_RULES", tuple(r for r in SPELLING_RULES if r[0] != rule))
    assert offering(m, good) is None, f"{good} does not need rule {rule!r}"


def test_dash_decimal_leaves_sizes_alone():
    assert respell("gemma-3-12b") == ["gemma-3-12b"] and respell("gemma-2-2b-it") == ["gemma-2-2b-it"]
    assert respell("deepseek-v3-0324") == ["deepseek-v3-0324"]  # a checkpoint date, not a build tag


# every provider spelling the issue listed as lost, on its real LiteLLM / Epoch key
LISTED = {
    "databricks/databricks-llama-4-maverick": "meta-llama/Llama-4-Maverick-17B-128E-Instruct",
    "snowflake/llama4-maverick": "meta-llama/Llama-4-Maverick-17B-128E-Instruct",
    "watsonx/meta-llama/llama-4-maverick-17b": "meta-llama/Llama-4-Maverick-17B-128E-Instruct",
    "vertex_ai/meta/llama-4-maverick-17b-16e-instruct-maas": "meta-llama/Llama-4-Maverick-17B-128E-Instruct",
    "lambda_ai/deepseek-r1-671b": "deepseek-ai/DeepSeek-R1",
    "us.deepseek.r1-v1:0": "deepseek-ai/DeepSeek-R1",
    "together_ai/deepseek-ai/DeepSeek-R1-0528-tput": "deepseek-ai/DeepSeek-R1-0528",
    "deepseek.v3.2": "deepseek-ai/DeepSeek-V3.2",
    "deepseek-v3-2-251201": "deepseek-ai/DeepSeek-V3.2",
    "fireworks_ai/accounts/fireworks/models/deepseek-v3p1-terminus": "deepseek-ai/DeepSeek-V3.1-Terminus",
    "fireworks_ai/accounts/fireworks/models/qwen3-0p6b": "Qwen/Qwen3-0.6B",
    "fireworks_ai/accounts/fireworks/models/deepseek-r1-distill-qwen-1p5b": "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B",
    "cerebras/qwen-3-32b": "Qwen/Qwen3-32B",
    "vercel_ai_gateway/alibaba/qwen-3-14b": "Qwen/Qwen3-14B",
    "vercel_ai_gateway/alibaba/qwen-3-30b": "Qwen/Qwen3-30B-A3B",
    "vercel_ai_gateway/alibaba/qwen-3-32b": "Qwen/Qwen3-32B",
    "vercel_ai_gateway/alibaba/qwen-3-235b": "Qwen/Qwen3-235B-A22B",
    "openrouter/qwen/qwen3-235b-a22b-2507": "Qwen/Qwen3-235B-A22B-Instruct-2507",
    "qwen.qwen3-coder-480b-a35b-v1:0": "Qwen/Qwen3-Coder-480B-A35B-Instruct",
    "gemini/gemini-gemma-2-27b-it": "google/gemma-2-27b-it",
    "databricks/databricks-gemma-3-12b": "google/gemma-3-12b-it",
    "databricks/databricks-gemini-2-5-pro": "google/gemini-2.5-pro",
    "databricks/databricks-gemini-2-5-flash": "google/gemini-2.5-flash",
}


@pytest.fixture(scope="module")
def litellm_out():
    need_mirror()
    from etl.sources import litellm
    return litellm.SOURCE.run(Fetcher(mirror=str(MIRROR)), REGISTRY, Matcher(REGISTRY))


def test_listed_provider_spellings_are_offerings_on_the_real_catalogue(litellm_out):
    got = {r["raw_name"]: r["model_id"] for r in litellm_out.tables["offerings"]}
    wrong = {k: (got.get(k), v) for k, v in LISTED.items() if got.get(k) != v}
    assert wrong == {}


def test_epoch_parasail_id(m):
    assert m.match("parasail-qwen3-235b-a22b-instruct-2507").model_id == "Qwen/Qwen3-235B-A22B-Instruct-2507"


@pytest.mark.parametrize("name", [
    "deepseek.v3-v1:0",          # Bedrock's DeepSeek-V3.1, never V3
    "lambda_ai/deepseek-r1-70b",  # a size that is not R1's
    "llamagate/deepseek-r1-8b", "llamagate/deepseek-r1-7b-qwen",
    "watsonx/meta-llama/llama-4-maverick-70b",
    "qwen3-30b-a3b-2507",        # 2507 Instruct or Thinking: not named
    "deepseek-r1-250528",        # R1-0528's build tag on the R1 name
])
def test_provider_spellings_that_must_not_be_guessed(m, name):
    assert offering(m, name) != "deepseek-ai/DeepSeek-V3" if name.startswith("deepseek.v3") else offering(m, name) is None


def test_short_provider_names_do_not_land_on_base_checkpoints(litellm_out):
    rows = {r["raw_name"]: r["model_id"] for r in litellm_out.tables["offerings"]}
    base = {x.model_id for x in REGISTRY if x.is_base}
    # a chat endpoint "llama3.1-8b" with no evidence of what it serves stays unplaced: not the base repo
    for key in ("snowflake/llama3.1-8b", "fireworks_ai/accounts/fireworks/models/qwen2p5-14b"):
        assert rows.get(key) is None, key
        assert litellm_out.unmatched[f"{key} (base or instruct?)"] == 1
    # ... and so does one whose only flag is tool choice (LiteLLM sets it on Replicate's base llama-3-8b)
    assert rows.get("replicate/meta/llama-3-8b") is None
    # a provider that spells the base repo id itself is not re-pointed by a function-calling flag
    assert rows.get("nebius/Qwen/Qwen2.5-Coder-7B") is None
    # the catalogue says the endpoint does function calling: a post-trained checkpoint, the one sibling
    assert rows["cerebras/llama3.1-8b"] == "meta-llama/Llama-3.1-8B-Instruct"
    assert rows["vercel_ai_gateway/meta/llama-3.1-8b"] == "meta-llama/Llama-3.1-8B-Instruct"
    assert rows.get("vercel_ai_gateway/google/gemma-2-9b") is None  # spells the base repo id google/gemma-2-9b
    assert rows["bedrock_mantle/google.gemma-4-31b"] == "google/gemma-4-31B-it"
    # Fireworks lists llama-v3p2-1b beside llama-v3p2-1b-instruct: it tells them apart
    assert rows["fireworks_ai/accounts/fireworks/models/llama-v3p2-1b"] == "meta-llama/Llama-3.2-1B"
    # ... or the provider's name itself says base (ollama/deepseek-coder-v2-base)
    assert all(v not in base or k.startswith("fireworks_ai/") or re.search(r"-(base|pt)$", k.lower())
               for k, v in rows.items())
    assert rows["ollama/deepseek-coder-v2-base"] == "deepseek-ai/DeepSeek-Coder-V2-Base"
    # post-trained evidence with two post-trained candidates (Instruct and Thinking) places nothing
    assert rows.get("qwen.qwen3-next-80b-a3b") is None and rows.get("llamagate/qwen3-vl-8b") is None


def test_post_trained_rules():
    from etl.offerings import post_trained_evidence, post_trained_match, post_trained_sibling
    from etl.sources.base import Context
    ctx = Context(REGISTRY, Matcher(REGISTRY))
    assert post_trained_evidence({"supports_function_calling": True}) == "supports_function_calling"
    assert post_trained_evidence({"supports_reasoning": True}) == "supports_reasoning"
    assert post_trained_evidence({"supports_tool_choice": True}) is None  # not enough on its own
    assert post_trained_evidence({"supports_function_calling": "true"}) is None  # only a real boolean
    assert post_trained_sibling(ctx, "meta-llama/Llama-3.1-8B") == "meta-llama/Llama-3.1-8B-Instruct"
    assert post_trained_sibling(ctx, "google/gemma-4-31B") == "google/gemma-4-31B-it"
    assert post_trained_sibling(ctx, "Qwen/Qwen3-8B-Base") is None or \
        post_trained_sibling(ctx, "Qwen/Qwen3-8B-Base") == "Qwen/Qwen3-8B"
    assert post_trained_sibling(ctx, "meta-llama/Llama-3.1-8B-Instruct") is None  # not a base: no sibling
    assert post_trained_match(ctx, ["bedrock_mantle/google.gemma-4-e2b"]) == "google/gemma-4-E2B-it"
    assert post_trained_match(ctx, ["qwen.qwen3-next-80b-a3b"]) is None  # Instruct or Thinking
    assert post_trained_match(ctx, ["qwen9-77b"]) is None
    assert ctx.matched == 0 and not ctx.unmatched  # a probe never counts


def test_base_unconfirmed_rule():
    from etl.sources.base import Context
    ctx = Context(REGISTRY, Matcher(REGISTRY))
    assert base_unconfirmed(ctx, "meta-llama/Llama-3.1-8B", "x/llama3.1-8b", {"x/llama3.1-8b"})
    assert not base_unconfirmed(ctx, "meta-llama/Llama-3.1-8B", "x/llama3.1-8b", {"x/llama3.1-8b", "x/llama3.1-8b-instruct"})
    assert not base_unconfirmed(ctx, "meta-llama/Llama-3.1-8B-Instruct", "x/llama3.1-8b-instruct", set())
    assert not base_unconfirmed(ctx, "deepseek-ai/DeepSeek-Coder-V2-Base", "x/deepseek-coder-v2-base", set())  # says base


# ---------------------------------------------------------------- re-pointed API names (data/api_aliases.yaml)

import datetime as _dt  # noqa: E402

from etl.registry import AliasWindow, RegistryError, load_api_aliases  # noqa: E402


@pytest.mark.parametrize("name,day,want,setting", [
    ("deepseek-chat", _dt.date(2025, 1, 10), "deepseek-ai/DeepSeek-V3", ""),
    ("deepseek-chat", _dt.date(2025, 3, 25), "deepseek-ai/DeepSeek-V3-0324", ""),
    ("deepseek-chat", _dt.date(2026, 7, 24), "deepseek-ai/DeepSeek-V3.2", "non-thinking"),
    ("deepseek/deepseek-chat", _dt.date(2025, 9, 23), "deepseek-ai/DeepSeek-V3.1-Terminus", "non-thinking"),
    ("deepseek-reasoner", _dt.date(2025, 2, 1), "deepseek-ai/DeepSeek-R1", ""),
    ("deepseek-reasoner", _dt.date(2025, 6, 1), "deepseek-ai/DeepSeek-R1-0528", ""),
    ("deepseek-reasoner", _dt.date(2025, 10, 1), "deepseek-ai/DeepSeek-V3.2-Exp", "thinking"),
])
def test_repointed_names_follow_their_window(m, name, day, want, setting):
    res = m.match(name, as_of=day)
    assert (res.model_id, res.setting) == (want, setting)


@pytest.mark.parametrize("name,day", [
    ("deepseek-chat", None),                                  # undated: which checkpoint is unknown
    ("deepseek-chat", _dt.date(2024, 10, 1)),                 # V2.5 era: not a registered model
    ("deepseek-reasoner", _dt.date(2025, 1, 1)),              # before R1
    ("openrouter/deepseek/deepseek-chat", _dt.date(2026, 7, 24)),  # another provider's meaning
    ("gemini-flash-latest", _dt.date(2026, 1, 1)),            # "-latest" is re-pointed by definition
    ("gemini-1.5-flash-latest", None),
])
def test_repointed_names_outside_a_window_stay_unmatched_with_a_reason(m, name, day):
    res = m.match(name, as_of=day)
    assert res.model_id is None and res.reason


def test_a_repointed_name_is_never_a_plain_alias():
    assert not any(a.lower() == "deepseek-chat" for x in REGISTRY for a in x.aliases)
    w = AliasWindow("DeepSeek-V3", "deepseek-ai/DeepSeek-V3", _dt.date(2025, 1, 1), None, "", "u")
    with pytest.raises(Exception, match="re-pointed"):
        Matcher(REGISTRY, api_aliases=[w])


def test_alias_windows_must_not_overlap(tmp_path):
    p = tmp_path / "a.yaml"
    p.write_text("- alias: x\n  source_url: u\n  windows:\n"
                 "  - {model_id: a/b, from: '2025-01-01', to: '2025-06-01'}\n"
                 "  - {model_id: a/c, from: '2025-05-01'}\n")
    with pytest.raises(RegistryError, match="overlap"):
        load_api_aliases(p)
    assert len(load_api_aliases()) >= 12


def test_deepseek_chat_price_is_on_the_checkpoint_it_names(litellm_out):
    rows = [r for r in litellm_out.tables["offerings"] if r["raw_name"] == "deepseek-chat"]
    assert [(r["model_id"], r["input_usd_per_mtok"], r["output_usd_per_mtok"]) for r in rows] == [
        ("deepseek-ai/DeepSeek-V3.2", pytest.approx(0.28), pytest.approx(0.42))]
    assert not [r for r in litellm_out.tables["offerings"] if r["raw_name"] == "openrouter/deepseek/deepseek-chat"]


def test_cli_match_takes_a_date_and_the_hub_repo_mode():
    import json
    import subprocess
    import sys

    from tests.conftest import ROOT

    def run(*args):
        out = subprocess.run([sys.executable, "-m", "etl", "match", *args], cwd=ROOT, capture_output=True,
                             text=True, timeout=120)
        return out.returncode, [json.loads(line) for line in out.stdout.splitlines()]
    rc, rows = run("deepseek-chat", "--as-of", "2025-01-10")
    assert rc == 0 and rows[0]["model_id"] == "deepseek-ai/DeepSeek-V3"
    rc, rows = run("deepseek-chat", "braindao/Qwen2.5-14B")
    assert [r["model_id"] for r in rows] == [None, None] and all(r["reason"] for r in rows)
    rc, rows = run("groq/meta-llama/Llama-3.1-8B-Instruct", "--hub-repo")
    assert rows[0]["model_id"] is None
    assert run("x", "--as-of", "not-a-date")[0] == 2


@pytest.mark.parametrize("name", ["Gemini 2.5 Pro (Preview)", "Gemini 2.0 Flash (Experimental)",
                                  "Gemini 2.5 Flash (Preview) (Thinking 24K)", "Gemini 2.5 Pro, preview",
                                  "Llama 3.1 8B (Instruct)", "Qwen2.5-32B (distilled)"])
def test_a_peeled_tail_that_names_a_checkpoint_is_refused(m, name):
    res = m.match(name)
    assert res.model_id is None and "names a checkpoint" in res.reason


def test_modes_of_hybrid_models_are_still_settings(m):
    assert m.match("DeepSeek-V3.2-Exp (Chat)").model_id == "deepseek-ai/DeepSeek-V3.2-Exp"
    assert m.match("DeepSeek-V3.2-Exp (Reasoner)").model_id == "deepseek-ai/DeepSeek-V3.2-Exp"


@pytest.mark.parametrize("name,want", [
    ("Qwen2.5-72B-Base", "Qwen/Qwen2.5-72B"), ("Llama-3.1-8B-Base", "meta-llama/Llama-3.1-8B"),
    ("gemma-2-9b-pt", "google/gemma-2-9b"),
    ("Qwen3-8B-Base", None),          # Qwen3-8B is post-trained: its base is not registered
    ("Llama-3.1-8B-Instruct-Base", None),
])
def test_a_base_suffix_only_reaches_a_base_checkpoint(m, name, want):
    assert m.match(name).model_id == want


@pytest.mark.parametrize("name,want", [
    ("deepseek-r1:671b", "deepseek-ai/DeepSeek-R1"), ("deepseek-v3:671b", "deepseek-ai/DeepSeek-V3"),
    ("deepseek-r1:70b", None),        # Ollama's deepseek-r1:70b is the Llama-70B distill, not R1
    ("ollama/deepseek-r1:8b", None), ("ollama/deepseek-r1:1.5b", None),
])
def test_an_ollama_size_tag_must_be_the_models_own_size(m, name, want):
    assert m.match(name).model_id == want


def test_ollama_hub_paths_keep_the_owner_rule(m):
    res = m.match("hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF")
    assert (res.model_id, res.setting) == ("meta-llama/Llama-3.2-1B-Instruct", "GGUF; quantised re-upload by bartowski")
    assert m.match("hf.co/jebish7/gemma-2-2b-it").model_id is None


def test_eval_sources_place_repointed_names_by_the_rows_date():
    """An eval row named by a re-pointed API name is dated by its run (Aider) / release (LiveBench)."""
    from datetime import datetime

    from etl.fetch import Fetched
    from etl.sources import aider
    from etl.sources.base import Context
    body = (b"- dirname: 2025-02-01-x\n  model: deepseek-chat\n  edit_format: diff\n  pass_rate_2: 48.4\n"
            b"  date: 2025-02-01\n- dirname: 2025-10-01-y\n  model: deepseek-chat\n  edit_format: diff\n"
            b"  pass_rate_2: 70.2\n  date: 2025-10-01\n")
    f = Fetched(aider.BASE + "polyglot_leaderboard.yml", body, datetime(2026, 1, 1), "test")
    recs = [{**r, "_url": f.url, "_fetched": f} for r in aider.SOURCE.parse(f)]
    rows = aider.SOURCE.normalise(recs, Context(REGISTRY, Matcher(REGISTRY)))["scores"]
    got = {(r["model_id"], r["value"]) for r in rows if r["benchmark"] == "aider_polyglot"}
    assert got == {("deepseek-ai/DeepSeek-V3", 48.4), ("deepseek-ai/DeepSeek-V3.2-Exp", 70.2)}


def test_held_out_openrouter_slugs_never_disagree_with_their_hub_ids():
    """Held-out check of the provider rules: OpenRouter gives each route both its own slug (a provider
    spelling, matched by the rules) and the Hugging Face repo id (ground truth). On both captures the
    two never name different models."""
    import json
    need_mirror()
    m = Matcher(REGISTRY)

    def place(name, hub):
        return next((r.model_id for c, _, _ in candidates(name) for r in [m.match(c, hub_repo=hub)] if r.model_id), None)
    agree = 0
    for rel in ("openrouter.ai/api/v1/models",
                "raw.githubusercontent.com/skissue/gptel-openrouter-models/main/openrouter-models.json"):
        data = json.loads((MIRROR / rel).read_text(encoding="utf-8"))
        for e in data["data"] if isinstance(data, dict) else data:
            hub = place(e["hugging_face_id"], True) if e.get("hugging_face_id") else None
            slug = place(e["id"], False)
            assert not (hub and slug and hub != slug), (e["id"], hub, slug)
            agree += bool(hub and slug)
    assert agree >= 80


@pytest.mark.parametrize("name,want,setting", [
    ("deepseek-r1-671b-fp8", "deepseek-ai/DeepSeek-R1", "fp8"),
    ("Qwen2.5-72B-Base (bf16)", "Qwen/Qwen2.5-72B", "bf16"),
    ("deepseek-r1-70b-fp8", None, ""), ("Qwen3-8B-Base-FP8", None, ""),
])
def test_size_and_base_rules_apply_after_settings_are_peeled(m, name, want, setting):
    res = m.match(name)
    assert (res.model_id, res.setting) == (want, setting)


# aliases added for #12's last provider spellings: each places its own checkpoint and nothing nearby
@pytest.mark.parametrize("name,want", [
    ("meta.llama3-2-11b-instruct-v1:0", "meta-llama/Llama-3.2-11B-Vision-Instruct"),
    ("llama-3.2-11b-vision", None),            # the base vision checkpoint is not the instruct one
    ("llama-3.2-11b", None),                   # neither base nor instruct said
    ("llama-3.2-3b-instruct", "meta-llama/Llama-3.2-3B-Instruct"),  # the text 3B is untouched
    ("qwen3-coder-480b-instruct", "Qwen/Qwen3-Coder-480B-A35B-Instruct"),
    ("qwen3-coder-480b-base", None),           # no base checkpoint of it was released or registered
    ("qwen3-coder-30b-instruct", None),        # another size
    ("deepseek-r1-0528-distill-qwen3-8b", "deepseek-ai/DeepSeek-R1-0528-Qwen3-8B"),
    ("deepseek-r1-distill-qwen3-8b", None),    # without 0528 it names no released distill
    ("gemini-1.5-pro-api-0514", "google/gemini-1.5-pro-preview-0514"),
    ("gemini-1.5-flash-0514", "google/gemini-1.5-flash-preview-0514"),
    ("gemini-1.5-pro-002", "google/gemini-1.5-pro-002"),  # GA stays GA
    ("gemini-3.1-pro-preview-customtools", "google/gemini-3.1-pro-preview-customtools"),
    ("gemini-3.1-pro-preview", "google/gemini-3.1-pro-preview"),  # the plain endpoint stays itself
    ("meta_llama/Llama-3.3-8B-Instruct", "meta/Llama-3.3-8B-Instruct"),
    ("Llama-3.1-8B-Instruct", "meta-llama/Llama-3.1-8B-Instruct"),  # 3.1 8B is not the API-only 3.3 8B
])
def test_new_aliases_place_their_own_checkpoint_only(m, name, want):
    assert offering(m, name) == want, name
