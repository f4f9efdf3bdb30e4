"""Smaller facts of issue 11, each at its mechanism: duplicate runs, release dates, base-model ids,
parameter counts, unknown structure, closed-weights terms, prices."""
from collections import Counter

import pytest

from etl.fetch import Fetcher
from etl.matcher import Matcher
from etl.registry import load_registry
from tests.conftest import MIRROR, need_mirror

REG = load_registry()
BY = {m.model_id: m for m in REG}


def _run(source_module):
    need_mirror()
    return source_module.SOURCE.run(Fetcher(mirror=str(MIRROR)), REG, Matcher(REG))


def test_an_aider_run_listed_in_two_files_loads_once():
    from etl.sources import aider
    rows = _run(aider).tables["scores"]
    hits = [r for r in rows if r["benchmark"] == "aider_polyglot" and r["model_id"] == "Qwen/Qwen3-235B-A22B"
            and r["value"] == 59.6]
    assert len(hits) == 1, [h["raw_name"] for h in hits]  # dirname 2025-05-09-17-02-02
    per = Counter((r["model_id"], r["benchmark"], r["value"], r["as_of"]) for r in rows)
    assert not [k for k, n in per.items() if n > 1 and k[1] == "aider_polyglot" and k[2] in (40.0, 59.6)]


def test_livebench_rows_are_dated_by_their_release():
    from etl.sources import livebench
    rows = _run(livebench).tables["scores"]
    assert {(r["benchmark"].split(":")[0], r["as_of"].isoformat()) for r in rows} == {
        (b, b.removeprefix("livebench_").replace("_", "-")) for b in {r["benchmark"].split(":")[0] for r in rows}}
    assert livebench.release_date("2024_06_24").isoformat() == "2024-06-24"
    assert livebench.release_date("latest") is None


def test_r1_distill_bases_are_real_repo_ids():
    assert BY["deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B"].base_model == "Qwen/Qwen2.5-Math-1.5B"
    assert BY["deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"].base_model == "Qwen/Qwen2.5-Math-7B"
    import re
    # Qwen names the variant before the size (Qwen2.5-Math-7B, Qwen2.5-Coder-32B), never after
    assert not [m.base_model for m in REG if m.base_model and re.search(r"-\d+(\.\d+)?B-(Math|Coder|VL)\b", m.base_model)]


def test_is_moe_is_unknown_when_the_structure_is_unknown():
    assert BY["google/gemini-2.5-pro"].is_moe is None            # closed, architecture undisclosed
    assert BY["Qwen/qwen-max-2025-01-25"].is_moe is None
    assert BY["meta-llama/Llama-3.1-8B-Instruct"].is_moe is False  # open weights of a known size, no experts
    assert BY["meta-llama/Llama-4-Maverick-17B-128E-Instruct"].is_moe is True


def test_unknown_is_moe_is_null_in_the_warehouse_and_not_drawn_as_moe():
    import duckdb
    import numpy as np
    import pandas as pd

    from etl.loader import create_schema, load_registry_tables
    from landscape.charts import _symbol, is_true
    assert [is_true(v) for v in (True, np.True_, False, None, np.nan, pd.NA)] == [True, True, False, False, False, False]
    assert _symbol({"is_moe": pd.NA, "released": True, "open_weights": False}) == "circle-open"
    con = duckdb.connect(":memory:")
    create_schema(con)
    load_registry_tables(con, REG)
    got = dict(con.execute("SELECT model_id, is_moe FROM models WHERE model_id IN "
                           "('google/gemini-2.5-pro', 'meta-llama/Llama-3.1-8B-Instruct')").fetchall())
    assert got == {"google/gemini-2.5-pro": None, "meta-llama/Llama-3.1-8B-Instruct": False}


@pytest.mark.parametrize("repo,dense,moe", [
    ("meta-llama/Llama-4-Scout-17B-16E-Instruct", 8192, 8192),      # MoE in every layer: no 16384 MLP
    ("meta-llama/Llama-4-Maverick-17B-128E-Instruct", 16384, 8192),  # dense layers every other layer
])
def test_llama4_ffn_widths_from_the_real_configs(repo, dense, moe):
    import json

    from etl.sources.hf_config import extract_architecture
    need_mirror()
    cfg = json.loads((MIRROR / "huggingface.co" / repo / "resolve/main/config.json").read_text())
    arch = extract_architecture(cfg)
    assert (arch["intermediate_size"], arch["moe_intermediate_size"]) == (dense, moe)


def test_closed_weights_terms_are_per_vendor():
    from etl import licence_rules as L
    lic, bases = L.load_licences()
    closed = {lid for lid, x in lic.items() if not x.weights_available}
    users: dict[str, set] = {}
    for m in REG:
        lid = L.resolve_licence_id(m.licence_id, m.vendor, lic)
        if lid in closed:
            users.setdefault(lid, set()).add(m.vendor)
    assert all(len(v) == 1 for v in users.values()), users  # one vendor's terms per closed licence
    by = {m.model_id: m for m in REG}
    qmax = L.terms_for(by["Qwen/qwen-max-2025-01-25"], by, lic, bases)
    assert qmax.label == "proprietary-alibaba" and "gemini" not in qmax.parts[0][1].source_url
    # the generic id resolves by vendor, never to another vendor's terms
    assert L.resolve_licence_id("proprietary", "Google", lic) == "proprietary-google"
    assert L.resolve_licence_id("proprietary", "Alibaba Qwen", lic) == "proprietary-alibaba"
    assert L.resolve_licence_id("proprietary", "Moonshot", lic) is None
    assert L.resolve_licence_id("mit", "Moonshot", lic) == "mit"


def test_zero_and_swapped_prices():
    from etl.offerings import checked_prices
    assert checked_prices(0.0, 0.0, free_tier=True) == (0.0, 0.0, "free tier (listed at $0)")
    inp, out, note = checked_prices(0.0, 0.0)
    assert (inp, out) == (None, None) and "unknown, not free" in note
    inp, out, note = checked_prices(1.41, 0.35)
    assert (inp, out) == (1.41, 0.35) and "input price above output price" in note
    assert checked_prices(0.2, 0.6) == (0.2, 0.6, None)


def test_real_catalogue_zero_prices_and_azure_maverick():
    from etl.sources import litellm
    rows = {r["raw_name"]: r for r in _run(litellm).tables["offerings"]}
    az = rows["azure_ai/Llama-4-Maverick-17B-128E-Instruct-FP8"]
    assert az["input_usd_per_mtok"] > az["output_usd_per_mtok"] and "input price above output" in az["note"]
    for local in ("ollama/deepseek-v3.1:671b-cloud", "vertex_ai/meta/llama-3.1-8b-instruct-maas"):
        assert rows[local]["input_usd_per_mtok"] is None and "not free" in rows[local]["note"]
    free = rows["together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo-Free"]
    assert free["input_usd_per_mtok"] == 0.0 and free["note"].startswith("free tier")
    assert not [k for k, r in rows.items() if r["input_usd_per_mtok"] == 0 and not (r["note"] or "").startswith("free tier")]


def test_parameter_counts_are_exact_where_known_and_the_nominal_size_stays_in_the_name():
    import re
    exact = {"google/gemma-2-2b-it": 2.614, "google/gemma-2-2b": 2.614, "meta-llama/Llama-3.2-1B": 1.236,
             "meta-llama/Llama-3.2-1B-Instruct": 1.236, "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B": 1.777}
    for mid, v in exact.items():
        m = BY[mid]
        assert m.total_params_b == v and m.sources["total_params_b"].startswith("https://huggingface.co/"), mid
    assert "1B" in BY["meta-llama/Llama-3.2-1B-Instruct"].name and "1.5B" in BY["deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B"].name

    def stem(mid):
        return re.sub(r"-(instruct-2507|thinking-2507|instruct|it|pt)$", "", mid.lower())
    # a base checkpoint and its post-trained release have the same tensors, so the same count
    by_stem: dict[str, set] = {}
    for m in REG:
        if m.total_params_b and m.open_weights:
            by_stem.setdefault(stem(m.model_id), set()).add(m.total_params_b)
    assert {s: v for s, v in by_stem.items() if len(v) > 1} == {}


def test_unmatched_names_carry_the_reason_they_were_refused():
    from etl.sources import epoch, open_llm_leaderboard
    out = _run(open_llm_leaderboard)
    assert "braindao/" in out.reasons["braindao/Qwen2.5-14B"]
    assert "quantisation format" in out.reasons["unsloth/Llama-3.2-1B-Instruct"]
    ep = _run(epoch)
    # (Epoch's "Qwen2.5-Coder-3B" keyed as Coder-32B now lands on the registered Coder-3B: its label names it)
    assert "contradict" in ep.reasons["Llama 3 405B (keyed as Llama-3.1-405B-Instruct)"]


def test_a_snapshot_older_than_the_schema_still_builds(tmp_path):
    import shutil

    import duckdb

    from etl import snapshot
    from tests.conftest import ROOT
    snap = tmp_path / "snap"
    shutil.copytree(ROOT / "data" / "snapshot", snap)
    con = duckdb.connect()
    src = str(snap / "unmatched.parquet")
    con.execute(f"COPY (SELECT source, raw_name, rows FROM read_parquet('{src}')) TO '{tmp_path / 'u.parquet'}' (FORMAT parquet)")
    shutil.move(tmp_path / "u.parquet", snap / "unmatched.parquet")
    db = tmp_path / "x.duckdb"
    snapshot.build(db, snap)
    got = duckdb.connect(str(db), read_only=True).execute("SELECT count(*), count(reason) FROM unmatched").fetchone()
    assert got[0] > 0 and got[1] == 0  # the column the old snapshot lacks is unknown, not invented


def test_aider_files_need_the_earlier_files_they_are_deduplicated_against():
    from etl.sources import aider
    assert aider.SOURCE.requires(aider.BASE + "qwen3_leaderboard.yml") == [aider.BASE + "polyglot_leaderboard.yml"]
    assert aider.SOURCE.requires(aider.BASE + "qwq.yml") == [aider.BASE + "edit_leaderboard.yml"]
    assert aider.SOURCE.requires(aider.BASE + "polyglot_leaderboard.yml") == []
