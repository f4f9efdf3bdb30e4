"""Licence use cases: pure rules, the curated data, the shared filter, the CLI, and replay facts."""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from dataclasses import dataclass

import duckdb
import pytest
from hypothesis import given, settings, strategies as st

from etl import licence_rules as L
from landscape import licences
from landscape.filters import Filters, from_query_params, to_query_params
from tests.conftest import ROOT
from tests.conftest import rows as q

SCOUT = "meta-llama/Llama-4-Scout-17B-16E-Instruct"
R1 = "deepseek-ai/DeepSeek-R1"
QWEN72 = "Qwen/Qwen2.5-72B-Instruct"
QWEN7 = "Qwen/Qwen2.5-7B-Instruct"
DISTILL70 = "deepseek-ai/DeepSeek-R1-Distill-Llama-70B"


@dataclass(frozen=True)
class M:  # the registry fields the rules read
    model_id: str
    licence_id: str | None
    base_model: str | None = None
    modalities: tuple = ("text",)
    source_url: str = "https://example.org/model"


@pytest.fixture(scope="module")
def data():
    return L.load_licences()


def answers(model, models, data):
    lic, bases = data
    by_id = {m.model_id: m for m in models}
    t = L.terms_for(model, by_id, lic, bases)
    return {uc: (L.mau_row(t, model.modalities) if uc == "mau" else L.answer(t, uc, model.modalities))
            for uc in L.USE_CASES}


def test_curated_file_loads_with_urls_and_read_flags(data):
    lic, bases = data
    assert {"llama4", "llama3.3", "mit", "apache-2.0", "qwen", "qwen-research", "deepseek-model-license-1.0",
            "gemma", "proprietary-google", "proprietary-alibaba", "proprietary-openai", "proprietary-anthropic",
            "proprietary-xai", "proprietary-mistral"} <= set(lic)
    for x in lic.values():
        assert x.source_url.startswith("https://")
        assert x.primary_text_read in ("yes", "partial", "no")
    assert lic["apache-2.0"].osi_approved and lic["mit"].osi_approved and not lic["llama4"].osi_approved
    assert lic["llama4"].mau_threshold == 700_000_000 and lic["llama4"].eu_multimodal_only
    assert lic["qwen"].mau_threshold == 100_000_000
    assert bases["meta-llama/Llama-3.1-8B"].licence_id == "llama3.1"


def test_every_registry_licence_is_curated(data):
    from etl.registry import load_registry
    lic, _ = data
    # the generic "proprietary" (the vendor's own closed terms) must resolve to that vendor's curated entry
    missing = {(m.licence_id, m.vendor) for m in load_registry()
               if m.licence_id and L.resolve_licence_id(m.licence_id, m.vendor, lic) not in lic}
    assert not missing


def test_llama4_eu_image_is_no_but_text_only_models_say_why(data):
    scout = M(SCOUT, "llama4", modalities=("text", "image"))
    a = answers(scout, [scout], data)
    assert a["eu_image"].answer == "no" and "EU" in a["eu_image"].clause
    assert a["eu_image"].source_url.endswith("llama4/USE_POLICY.md")
    gemma = M("google/gemma-3-27b-it", "gemma", modalities=("text", "image"))
    assert answers(gemma, [gemma], data)["eu_image"].answer == "conditional"
    txt = M(R1, "mit")
    assert "Text-only" in answers(txt, [txt], data)["eu_image"].clause


def test_mit_is_yes_everywhere_it_can_be(data):
    r1 = M(R1, "mit")
    a = answers(r1, [r1], data)
    assert a["commercial"].answer == "yes"
    assert a["train_outputs"].answer == "yes" and "distillation" in a["train_outputs"].clause
    assert a["own_name"].answer == "yes"
    assert L.answer_for_n(a["mau"], 10**10) == "yes"


def test_distill_inherits_base_terms_recursively(data):
    base = M("meta-llama/Llama-3.3-70B-Instruct", "llama3.3")
    distill = M(DISTILL70, "mit", base_model=base.model_id)
    a = answers(distill, [base, distill], data)
    assert "llama3.3" in a["commercial"].terms and a["commercial"].answer == "conditional"
    assert a["own_name"].answer == "conditional" and "Llama" in a["own_name"].clause
    assert a["mau"].threshold == 700_000_000
    assert L.answer_for_n(a["mau"], 700_000_000) == "yes" and L.answer_for_n(a["mau"], 700_000_001) == "no"
    # a base outside the registry resolves through base_checkpoints; an unknown base is unknown
    q = M("x/distill-qwen", "mit", base_model="Qwen/Qwen2.5-32B")
    assert answers(q, [q], data)["commercial"].answer == "yes"
    u = M("x/distill-mystery", "mit", base_model="nobody/Unknown-7B")
    assert answers(u, [u], data)["commercial"].answer == "unknown"


def test_unknown_licence_stays_unknown(data):
    m = M("meta-llama/Llama-4-Behemoth", None)
    a = answers(m, [m], data)
    assert {x.answer for k, x in a.items() if k != "eu_image"} == {"unknown"}


def test_research_licence_is_not_commercial(data):
    m = M("Qwen/Qwen2.5-3B-Instruct", "qwen-research")
    a = answers(m, [m], data)
    assert a["commercial"].answer == "no" and L.answer_for_n(a["mau"], 1) == "no"


_LIC, _ = L.load_licences()
_MAU_ROWS = [L.mau_row(L.Terms(((lid, _LIC[lid], ""),)))
             for lid in ("llama4", "qwen", "mit", "qwen-research", "proprietary-google")]


@settings(deadline=None, max_examples=60)
@given(st.one_of(st.integers(min_value=0, max_value=10**12),
                 st.sampled_from([99_999_999, 100_000_000, 100_000_001, 700_000_000, 700_000_001])))
def test_mau_sql_agrees_with_python(n):
    rows = [(r.answer, r.threshold, r.answer_within, L.answer_for_n(r, n)) for r in _MAU_ROWS]
    con = duckdb.connect()
    con.execute("CREATE TABLE la (answer VARCHAR, threshold BIGINT, answer_within VARCHAR, expect VARCHAR)")
    con.executemany("INSERT INTO la VALUES (?, ?, ?, ?)", rows)
    got = con.execute(f"SELECT {L.mau_sql('la')}, expect FROM la", [n]).fetchall()
    assert all(a == b for a, b in got)


@pytest.mark.parametrize("raw,expected", [("700M", 700_000_000), ("1.5b", 1_500_000_000), ("10k", 10_000),
                                          ("1,000,000", 1_000_000), ("lots", None), ("-5", None), ("", None),
                                          ("1e400", None)])
def test_parse_mau(raw, expected):
    assert licences.parse_mau(raw) == expected


def test_filter_params_round_trip_and_bad_values_give_notices():
    f = Filters(use_case="mau", mau=800_000_000, use_strict=True)
    back, notes = from_query_params(to_query_params(f))
    assert back == f and not notes
    back, notes = from_query_params({"use_case": "<script>", "mau": "many", "use_strict": "maybe"})
    assert back == Filters() and len(notes) == 3


# ---------------------------------------------------------------- replay on the real mirror



def ans(db, model_id, use_case):
    return q(db, "SELECT answer, clause, source_url, terms, threshold, answer_within FROM licence_answers "
                 "WHERE model_id = ? AND use_case = ?", [model_id, use_case])[0]


def test_replay_licence_facts(mirror_db):
    assert ans(mirror_db, SCOUT, "eu_image")[0] == "no"
    assert ans(mirror_db, R1, "commercial")[0] == "yes"
    big = {uc: ans(mirror_db, QWEN72, uc)[0] for uc in L.USE_CASES}
    small = {uc: ans(mirror_db, QWEN7, uc)[0] for uc in L.USE_CASES}
    assert big != small and small["commercial"] == "yes" and big["commercial"] == "conditional"
    assert ans(mirror_db, QWEN72, "mau")[4] == 100_000_000
    d = ans(mirror_db, DISTILL70, "own_name")
    assert "llama3.3 (base meta-llama/Llama-3.3-70B-Instruct)" in d[3] and d[0] == "conditional"
    assert "llama3_3/LICENSE" in d[2]
    assert ans(mirror_db, DISTILL70, "mau")[4] == 700_000_000
    (n,) = q(mirror_db, "SELECT count(*) FROM licences WHERE primary_text_read NOT IN ('yes', 'partial', 'no')")[0]
    assert n == 0


def test_filter_where_uses_licence_answers(mirror_db):
    from landscape import queries
    ids = set(queries.models(Filters(use_case="mau", mau=800_000_000), mirror_db)["model_id"])
    assert R1 in ids and SCOUT not in ids and QWEN72 not in ids and QWEN7 in ids
    ids = set(queries.models(Filters(use_case="mau", mau=50_000_000), mirror_db)["model_id"])
    assert SCOUT in ids and QWEN72 in ids
    ids = set(queries.models(Filters(use_case="commercial", use_strict=True), mirror_db)["model_id"])
    assert R1 in ids and SCOUT not in ids and "Qwen/Qwen2.5-3B-Instruct" not in ids
    ids = set(queries.models(Filters(use_case="eu_image"), mirror_db)["model_id"])
    assert SCOUT not in ids and "google/gemma-3-27b-it" in ids


def test_cli_models_use_commercial_csv(mirror_db):
    out = subprocess.run([sys.executable, "-m", "landscape", "--db", str(mirror_db), "models", "--use", "commercial",
                          "--use-strict", "--format", "csv"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout.lstrip("\ufeff"))))
    ids = {r["model_id"] for r in rows}
    assert R1 in ids and SCOUT not in ids
    assert {r["licence_answer"] for r in rows} == {"yes"}
    bad = subprocess.run([sys.executable, "-m", "landscape", "--db", str(mirror_db), "models", "--use", "mau",
                          "--mau", "lots"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "monthly users" in bad.stderr


def test_matrix_wide_one_row_per_model_columns_in_use_case_order():
    import pandas as pd
    long = pd.DataFrame([
        {"family": "F", "name": "A", "model_id": "a", "licence_id": "mit", "use_case": uc, "answer": ans}
        for uc, ans in zip(L.USE_CASES, ["yes", "no", "conditional", "unknown", "yes"])])
    wide, labels = licences.matrix_wide(long, {"yes": "Y"}, 5_000_000)
    assert list(wide.columns) == ["family", "name", "licence_id", *L.USE_CASES, "model_id"]
    assert wide.iloc[0][list(L.USE_CASES)[0]] == "Y" and "unknown" in set(wide.iloc[0])
    assert "5,000,000" in labels["mau"]


def test_matrix_wide_keeps_models_without_a_licence():
    import pandas as pd
    long = pd.DataFrame([{"family": "Llama 4", "name": "Behemoth", "model_id": "b", "licence_id": None,
                          "use_case": "commercial", "answer": "unknown"}])
    wide, _ = licences.matrix_wide(long)
    assert list(wide["model_id"]) == ["b"] and wide.iloc[0]["licence_id"] == "unknown"
