import json
from datetime import date, datetime, timezone

import pytest

from etl.fetch import Fetched
from etl.matcher import Matcher
from etl.registry import load_registry
from etl.sources import aider, hf_config, lmarena
from etl.sources.base import Context, ParseError
from tests.conftest import FIXTURES


def fetched(url, data: bytes, captured_at=None) -> Fetched:
    """A read of ``url`` from a directory mirror whose INDEX.csv dates it ``captured_at``."""
    return Fetched(url, data, datetime(2026, 11, 1, tzinfo=timezone.utc), "mirror:test",
                   captured_at=captured_at, from_mirror_dir=True)


@pytest.fixture(scope="module")
def ctx_factory():
    models = load_registry()
    matcher = Matcher(models)
    return lambda: Context(models, matcher)


def _prep(src, f):
    recs = src.parse(f)
    for r in recs:
        r["_url"], r["_fetched"] = f.url, f
    return recs


def test_aider_parse_and_normalise(ctx_factory):
    f = fetched(aider.BASE + "polyglot_leaderboard.yml", (FIXTURES / "aider_sample.yml").read_bytes())
    ctx = ctx_factory()
    rows = aider.SOURCE.normalise(_prep(aider.SOURCE, f), ctx)["scores"]
    mav = [r for r in rows if r["benchmark"] == "aider_polyglot" and "Maverick" in r["raw_name"]]
    assert mav[0]["value"] == 15.6 and mav[0]["unit"] == "percent" and "whole" in mav[0]["setting"]
    assert str(mav[0]["as_of"]) == "2025-04-06"
    assert ctx.unmatched["Some Unknown Model 9000"] == 1


@pytest.mark.parametrize("body,msg", [
    (b"{not: [valid", "invalid YAML"), (b"a: 1\n", "expected a YAML list"),
    (b"- model: x\n  edit_format: whole\n", "lacks"),
])
def test_aider_bad_input_is_a_parse_error(body, msg):
    with pytest.raises(ParseError, match=msg):
        aider.SOURCE.parse(fetched(aider.BASE + "polyglot_leaderboard.yml", body))


def test_lmarena_parse_ci_votes_and_skip_blank(ctx_factory):
    url = lmarena.RAW + "3f7847a1403ed67a2f93d8ad24dd9f9215fb21ce/csv/lmsys.csv"
    f = fetched(url, (FIXTURES / "lmarena_sample.csv").read_bytes(), captured_at=date(2025, 4, 6))
    rows = lmarena.SOURCE.normalise(_prep(lmarena.SOURCE, f), ctx_factory())["scores"]
    exp = next(r for r in rows if r["raw_name"] == "Llama-4-Maverick-03-26-Experimental")
    assert (exp["value"], exp["ci_low"], exp["ci_high"], exp["votes"]) == (1417, 1405, 1430, 2520)
    assert str(exp["as_of"]) == "2025-04-06"
    rel = next(r for r in rows if r["raw_name"] == "Llama-4-Maverick-17B-128E-Instruct")
    assert rel["model_id"] != exp["model_id"] and rel["votes"] == 24544
    assert not any(r["raw_name"] == "No-Score-Model" for r in rows)


def test_lmarena_ci_and_votes_helpers():
    assert lmarena.parse_ci("+4/-4") == (4.0, 4.0)
    assert lmarena.parse_ci(" +13 / -12 ") == (13.0, 12.0)
    with pytest.raises(lmarena.CIParseError):
        lmarena.parse_ci("4")
    assert lmarena.parse_votes("2520 votes") == 2520 and lmarena.parse_votes("") is None


def test_lmarena_changed_columns_fail_loudly():
    with pytest.raises(ParseError, match="missing column"):
        lmarena.parse_csv("rank,name,score\n1,a,2\n")


def test_hf_config_extracts_llama4_text_config():
    cfg = {"model_type": "llama4", "text_config": {
        "model_type": "llama4_text", "num_hidden_layers": 48, "hidden_size": 5120, "num_attention_heads": 40,
        "num_key_value_heads": 8, "head_dim": 128, "num_local_experts": 16, "num_experts_per_tok": 1,
        "attention_chunk_size": 8192, "max_position_embeddings": 10485760, "interleave_moe_layer_step": 1}}
    a = hf_config.extract_architecture(cfg)
    assert (a["num_layers"], a["num_kv_heads"], a["head_dim"], a["num_experts"], a["attention_chunk_size"]) == \
        (48, 8, 128, 16, 8192)


def test_hf_config_mla_has_no_invented_head_dim():
    a = hf_config.extract_architecture({"num_hidden_layers": 61, "hidden_size": 7168, "num_attention_heads": 128,
                                        "kv_lora_rank": 512, "qk_rope_head_dim": 64, "n_routed_experts": 256})
    assert a["head_dim"] is None and a["kv_lora_rank"] == 512 and a["num_experts"] == 256


def test_hf_config_rejects_non_object():
    with pytest.raises(ParseError):
        hf_config.SOURCE.parse(fetched(hf_config.config_url("a/b"), json.dumps([1, 2]).encode()))
