"""Discovery (etl/discovery.py): catalogues -> discovered models and derivatives, by rule."""
import json
from datetime import date

import pytest

from etl.discovery import (CATALOGUE, base_of, discover, family_for, override, parse_listing,
                           parse_llmfit, quant_format, to_model)
from etl.fetch import Fetcher
from etl.loader import refresh
from etl.matcher import Matcher
from etl.registry import load_registry
from etl.sources import get_source
from tests.conftest import MIRROR, ROOT, need_mirror
from tests.conftest import rows as q
from tests.fault_server import FaultServer

FIX = ROOT / "tests" / "fixtures"
NEW = "Qwen/Qwen9-14B-Instruct"


@pytest.fixture()
def hub(tmp_path):
    """A local Hub: the project's own listing fixture at /huggingface.co/api/models (every org's
    listing URL has that path) and a config.json for the never-seen repo; nothing else."""
    root = tmp_path / "hub"
    (root / "huggingface.co" / "api").mkdir(parents=True)
    (root / "huggingface.co" / "api" / "models").write_bytes((FIX / "hub_listing_qwen.json").read_bytes())
    cfg = root / "huggingface.co" / NEW / "resolve" / "main"
    cfg.mkdir(parents=True)
    (cfg / "config.json").write_bytes((FIX / "hub_config_qwen9_14b.json").read_bytes())
    with FaultServer(root) as srv:
        yield srv


def test_a_never_seen_repo_is_a_discovered_model_with_architecture_and_fit_after_one_refresh(hub, tmp_path):
    models = load_registry()
    assert NEW not in {m.model_id for m in models}
    db = tmp_path / "d.duckdb"
    rep = refresh(db, Fetcher(mirror=hub.url), sources=[get_source("hf_config")], discover=True)
    assert rep.published
    row = q(db, "SELECT family, vendor, total_params_b, release_date, discovered, first_seen, source_url "
                "FROM models WHERE model_id = ?", [NEW])
    assert row and row[0][:5] == ("Qwen9", "Alibaba Qwen", 14.77, date(2026, 11, 30), True)
    assert "/api/models?author=Qwen" in row[0][6]
    assert q(db, "SELECT licence_id FROM models WHERE model_id = ?", [NEW]) == [("apache-2.0",)]  # card tag we curate
    arch = q(db, "SELECT num_layers, num_kv_heads, head_dim FROM architectures WHERE model_id = ?", [NEW])
    assert arch == [(40, 8, 128)]
    from landscape import fit
    r = fit.fit_model(NEW, "rtx4090", quant="Q4_K_M", context=8192, path=db)
    assert r.estimate_basis == "architecture" and r.status == "fits"
    assert r.kv_bytes_per_token == 2 * 8 * 128 * 2 * 40  # K+V x KV heads x head_dim x bf16 x layers
    # the AWQ copy is a derivative of it, not a model; the embedding model and the unplaceable name are neither
    assert q(db, "SELECT model_id, format, official FROM derivatives WHERE repo = ?", [NEW + "-AWQ"]) == [(NEW, "AWQ", True)]
    ids = {r[0] for r in q(db, "SELECT model_id FROM models")}
    assert not {NEW + "-AWQ", "Qwen/Qwen9-Embedding-4B", "Qwen/Mystery-7B"} & ids
    # curated facts win: Qwen3-8B stays the registry's
    curated = next(m.total_params_b for m in models if m.model_id == "Qwen/Qwen3-8B")
    assert q(db, "SELECT discovered, total_params_b FROM models WHERE model_id = 'Qwen/Qwen3-8B'") == [(False, curated)]


def test_listing_rules():
    es = {e.repo: e for e in parse_listing((FIX / "hub_listing_qwen.json").read_text(), "https://x/api", date(2026, 12, 1))}
    assert es[NEW].params_total == 14768307200 and es[NEW].created == date(2026, 11, 30)
    assert es[NEW + "-AWQ"].base_model == (NEW,)
    assert family_for(NEW) == "Qwen9" and family_for("Qwen/Mystery-7B") is None and family_for("Qwen/Qwen1.5-7B") is None
    assert family_for("meta-llama/Llama-5-400B") == "Llama 5" and family_for("google/gemma-5-12b-it") == "Gemma 5"
    assert quant_format("unsloth/Qwen3-8B-GGUF") == "GGUF" and quant_format("Qwen/Qwen3-8B-FP8") == "FP8"
    assert quant_format("mlx-community/Qwen3-8B-4bit") and quant_format("Qwen/Qwen3-8B") is None
    assert quant_format("Qwen/Qwen3-Next-80B-A3B-Instruct") is None


def test_derivative_base_by_card_or_name_never_by_similarity():
    m = Matcher(load_registry())
    e = parse_listing(json.dumps([{"id": "unsloth/Qwen3-8B-GGUF"}, {"id": "bartowski/Qwen3-8B-Distilled-GGUF"},
                                  {"id": "x/whatever-AWQ", "cardData": {"base_model": ["Qwen/Qwen3-32B"]}}]),
                      "u", date(2026, 1, 1))
    assert base_of(e[0], m) == "Qwen/Qwen3-8B"
    assert base_of(e[1], m) is None  # a distilled fine-tune's quant is not Qwen3-8B's
    assert base_of(e[2], m) == "Qwen/Qwen3-32B"


def test_third_party_repos_never_become_models():
    listing = json.dumps([{"id": "unsloth/Qwen9-14B-Instruct", "pipeline_tag": "text-generation"},
                          {"id": "NousResearch/Hermes-9-Llama-5-70B", "pipeline_tag": "text-generation"}])
    class F:  # a fetcher reading one listing
        reads_directory = False
        def get(self, url):
            from etl.fetch import Fetched
            from datetime import datetime
            return Fetched(url=url, content=listing.encode(), fetched_at=datetime(2026, 12, 1), origin="live")
    d = discover(F(), load_registry(), urls=["https://huggingface.co/api/models?author=unsloth"])
    assert d.discovered == [] and not d.failed


def test_curated_overrides_discovered_field_by_field():
    by = {m.model_id: m for m in load_registry()}
    cur = by["Qwen/Qwen3.5-35B-A3B-Base"]  # curated without a release date
    e = parse_listing(json.dumps([{"id": cur.model_id, "createdAt": "2026-02-24T00:00:00Z",
                                   "safetensors": {"total": 1}}]), "https://hub/x", date(2026, 3, 1))[0]
    merged = override(cur, to_model(e, cur.family))
    assert merged.release_date == date(2026, 2, 24) and merged.sources["release_date"] == "https://hub/x"
    assert merged.total_params_b == cur.total_params_b and not merged.discovered


def test_llmfit_catalogue_known_errors_are_not_read():
    need_mirror()
    text = (MIRROR / "raw.githubusercontent.com/AlexsJones/llmfit/main/llmfit-core/data/hf_models.json").read_text()
    es = {e.repo: e for e in parse_llmfit(text, CATALOGUE, date(2026, 5, 12))}
    assert len(es) > 1500
    mav = es["meta-llama/Llama-4-Maverick-17B-128E-Instruct"]
    assert mav.params_total == 401583781376 and not hasattr(mav, "context_length")  # context/experts never read
    d = discover(Fetcher(mirror=str(MIRROR)), load_registry())
    assert CATALOGUE in d.read and all("/api/models?" in u for u in d.failed)  # listings are live-only
    fp8 = [x for x in d.derivatives if x["repo"] == "Qwen/Qwen3.5-27B-FP8"]
    assert fp8 and fp8[0]["model_id"] == "Qwen/Qwen3.5-27B" and fp8[0]["format"] == "FP8"
    assert all(m.family for m in d.discovered) and all(m.model_id.split("/")[0] in
               {"meta-llama", "Qwen", "deepseek-ai", "google", "openai", "moonshotai", "zai-org", "MiniMaxAI", "mistralai"}
               for m in d.discovered)


def test_bad_catalogue_is_reported_not_raised(tmp_path):
    root = tmp_path / "m"
    p = root / "raw.githubusercontent.com/AlexsJones/llmfit/main/llmfit-core/data"
    p.mkdir(parents=True)
    (p / "hf_models.json").write_text("{not json")
    d = discover(Fetcher(mirror=str(root)), load_registry())
    assert CATALOGUE in d.failed and d.discovered == []


def test_a_discovered_model_is_kept_with_its_first_seen_day_when_the_listing_is_gone(hub, tmp_path):
    db = tmp_path / "d.duckdb"
    assert refresh(db, Fetcher(mirror=hub.url), sources=[get_source("hf_config")], discover=True).published
    first = q(db, "SELECT first_seen FROM models WHERE model_id = ?", [NEW])[0][0]
    assert first is not None
    hub.fault("huggingface.co/api/models", "status404")
    assert refresh(db, Fetcher(mirror=hub.url), sources=[get_source("hf_config")], discover=True).published
    assert q(db, "SELECT discovered, first_seen FROM models WHERE model_id = ?", [NEW]) == [(True, first)]
    assert q(db, "SELECT count(*) FROM architectures WHERE model_id = ?", [NEW])[0][0] == 1
    curated = q(db, "SELECT count(*) FROM models WHERE first_seen IS NULL")[0][0]
    assert curated == 0  # every model knows the day it was first seen


@pytest.mark.parametrize("fault", ["status500", "invalid", "truncated", "html"])
def test_a_failing_catalogue_never_blocks_the_refresh(tmp_path, fault):
    need_mirror()
    root = tmp_path / "m"
    p = root / "raw.githubusercontent.com/AlexsJones/llmfit/main/llmfit-core/data"
    p.mkdir(parents=True)
    (p / "hf_models.json").write_text(json.dumps([{"name": "Qwen/Qwen9-1B", "parameters_raw": 1000000000,
                                                   "pipeline_tag": "text-generation"}]))
    with FaultServer(root) as srv:
        srv.fault("raw.githubusercontent.com/*", fault)
        db = tmp_path / "f.duckdb"
        rep = refresh(db, Fetcher(mirror=srv.url, attempts=1, backoff=0.01), sources=[get_source("maxtext")],
                      discover=True)
        assert rep.published
        assert q(db, "SELECT count(*) FROM models WHERE discovered")[0][0] == 0
        d = discover(Fetcher(mirror=srv.url, attempts=1, backoff=0.01), load_registry())
        assert CATALOGUE in d.failed and d.discovered == []


def test_quantiser_formats():
    assert quant_format("mlx-community/Qwen3.5-9B-4bit") == "MLX"
    assert quant_format("lmstudio-community/Qwen3-32B-MLX-8bit") == "MLX"
    assert quant_format("casperhansen/llama-3-70b-instruct-awq") == "AWQ"
    assert quant_format("NexVeridian/Qwen3-Coder-Next-8bit") == "8-bit"
    assert quant_format("unsloth/Llama-3.2-3B-Instruct-bnb-4bit") == "bitsandbytes"


def test_discover_cli_prints_proposals_with_evidence(mirror_db):
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-m", "etl", "discover", "--mirror", str(MIRROR), "--db", str(mirror_db),
                          "--json", "--limit", "400"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    clusters = [r for r in rows if r["kind"] == "unmatched"]
    assert clusters and all(r["reason"] and r["sources"] and r["rows"] >= 1 for r in clusters)
    # the clusters an engineer has to look at come first
    order = [r["reason"] for r in clusters]
    assert order[0] in ("unknown", "provider spelling", "ambiguous")
    # one cluster gathers every spelling of a name across sources (case, org prefix, settings)
    # (Replicate's and Vercel's llama-3-70b: a short name with no evidence of base or instruct)
    spell = next(r for r in clusters if r["cluster"] == "llama-3-70b")
    assert {"replicate/meta/llama-3-70b", "vercel_ai_gateway/meta/llama-3-70b"} <= set(spell["names"])
    assert spell["reason"] == "provider spelling" and "Meta-Llama-3-70B-Instruct" in spell["detail"]
    # catalogue evidence: OpenRouter's hugging_face_id / created for a slug no rule places
    custom = next(r for r in clusters if r["cluster"] == "qwen3-max")
    assert any(e.startswith("OpenRouter qwen/qwen3-max") and "created 2025-09-23" in e
               for e in custom["evidence"])
