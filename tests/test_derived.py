"""Tables derived at publish time (landscape/derived.py) lose nothing: on the real mirror each
precomputed table equals what its page would compute, row for row and type for type; a file of
another database version, of other code, or damaged is never read; the CLI writes them."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from landscape import compare, derived, evals, headtohead, model_page, offer_queries, queries
from landscape.filters import EVERY_MODEL, Filters

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def derived_db(tmp_path, mirror_db) -> Path:
    db = tmp_path / "landscape.duckdb"
    shutil.copy(mirror_db, db)
    derived.precompute(db)
    return db


COMPUTE = {"head-to-head": headtohead.compute_head_to_head, "model-choices": compare.compute_model_choices,
           "claims-vs-independent": lambda p: evals.compute_claims_vs_independent(EVERY_MODEL, p),
           "unreleased-headlines": evals.compute_unreleased_headlines, "removed-rows": evals.compute_removed_rows,
           "score-options": lambda p: queries.compute_score_options(True, p),
           "context-summary": lambda p: offer_queries.compute_context_summary(EVERY_MODEL, p),
           "model-evals": model_page.compute_model_evals}


@pytest.mark.parametrize("name", [t.name for t in derived.TABLES])
def test_every_derived_table_equals_the_computed_one(derived_db, name):
    got = derived.read(name, derived_db)
    want = COMPUTE[name](derived_db)
    assert got is not None and len(want) >= 1
    pd.testing.assert_frame_equal(got, want)  # values, order and dtypes


def test_every_model_s_evals_from_the_derived_table_equal_its_own_ranking_query(derived_db, monkeypatch):
    """The Model page's scores with tier ranks, read from the precomputed table, are the ones its
    own query ranks: every model of the real mirror, values, order and types."""
    ids = [r[0] for r in __import__("duckdb").connect(str(derived_db), read_only=True)
           .execute("SELECT model_id FROM models ORDER BY model_id").fetchall()]
    assert len(ids) > 100
    ranked = 0
    for mid in ids:
        want = model_page.compute_evals_for(mid, derived_db)
        with monkeypatch.context() as m:
            m.setattr(model_page, "compute_evals_for", lambda *a: pytest.fail("ranked in the query"))
            got = model_page.evals_for(mid, derived_db)
        pd.testing.assert_frame_equal(got, want, obj=mid)
        ranked += int(got["tier_rank"].notna().sum())
    assert ranked > 500


def test_a_models_rows_across_row_groups_come_in_the_tables_order(derived_db, monkeypatch):
    """Written in row groups of 7 rows, most models' scores span several groups: the filtered read
    still gives them whole and in order (the page's order is the file's, never re-sorted)."""
    import dataclasses
    small = tuple(dataclasses.replace(t, row_group=7) if t.name == "model-evals" else t for t in derived.TABLES)
    monkeypatch.setattr(derived, "TABLES", small)
    derived.precompute(derived_db, force=True)
    import pyarrow.parquet as pq
    f = pq.ParquetFile(derived.derived_dir(derived_db) / "model-evals.parquet")
    assert f.metadata.row_group(0).num_rows == 7
    ids = derived.read("model-evals", derived_db)["model_id"]
    many = ids.value_counts()
    for mid in many[many > 14].index[:25]:
        pd.testing.assert_frame_equal(model_page.evals_for(mid, derived_db), model_page.compute_evals_for(mid, derived_db),
                                      obj=mid)


def test_rows_of_a_table_are_its_matching_rows_and_only_of_this_version(derived_db):
    whole = derived.read("model-evals", derived_db)
    mid = whole["model_id"].iloc[len(whole) // 2]
    got = derived.rows("model-evals", [("model_id", "==", mid)], derived_db)
    want = whole[whole["model_id"] == mid].reset_index(drop=True)
    assert len(got) >= 1
    # the same values; the types are a query's of these rows (the test above holds them to it)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert derived.rows("model-evals", [("model_id", "==", "<no such model>")], derived_db).empty
    ns = os.stat(derived_db).st_mtime_ns + 5_000_000_000
    os.utime(derived_db, ns=(ns, ns))
    assert derived.rows("model-evals", [("model_id", "==", mid)], derived_db) is None


def test_the_public_functions_read_the_file_not_the_database(derived_db, monkeypatch):
    monkeypatch.setattr(headtohead, "claim_pairs", lambda *a: pytest.fail("computed"))
    monkeypatch.setattr(compare, "choice_label", lambda *a: pytest.fail("computed"))
    assert len(headtohead.head_to_head(derived_db)) > 20
    assert len(compare.model_choices(derived_db)) > 20
    monkeypatch.setattr(queries, "compute_score_options", lambda *a: pytest.fail("computed"))
    assert len(queries.score_options(path=derived_db)) > 20


def test_a_table_of_another_database_version_is_never_read(derived_db):
    before = derived.read("head-to-head", derived_db)
    ns = os.stat(derived_db).st_mtime_ns + 5_000_000_000  # a publish: the file's version changes
    os.utime(derived_db, ns=(ns, ns))
    assert derived.read("head-to-head", derived_db) is None
    assert len(headtohead.head_to_head(derived_db)) == len(before)  # computed instead


def test_a_table_written_by_other_code_is_never_read(derived_db, monkeypatch):
    monkeypatch.setattr(derived, "code_version", lambda name: "0" * 16)
    assert derived.read("model-choices", derived_db) is None


def test_a_damaged_table_is_never_read(derived_db):
    target = derived.derived_dir(derived_db) / "head-to-head.parquet"
    target.write_bytes(target.read_bytes()[:200])
    assert derived.read("head-to-head", derived_db) is None
    assert len(headtohead.head_to_head(derived_db)) > 20


def test_precompute_keeps_current_files_and_the_cli_writes_them(tmp_path, mirror_db):
    db = tmp_path / "w.duckdb"
    shutil.copy(mirror_db, db)
    out = subprocess.run([sys.executable, "-m", "landscape", "--db", str(db), "precompute"], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    done = json.loads(out.stdout.strip().splitlines()[-1])
    assert set(done["tables"]) == {t.name for t in derived.TABLES}
    assert all(isinstance(v, float) for v in done["tables"].values())
    assert derived.precompute(db) == {t.name: "current" for t in derived.TABLES}


def test_the_shared_frame_is_not_changed_by_a_caller(derived_db):
    a = compare.model_choices(derived_db)
    a.loc[:, "label"] = "changed"
    assert (compare.model_choices(derived_db)["label"] != "changed").all()


AWKWARD = ["Llama-4 Scout", "Qwen3‑235B‑A22B", "DeepSeek_V3", "Ünïcødé ×2 ½", "「通义千问」2.5", "a.b/c:d", "",
           "<img src=x>", "ⅻ-Ⅳ", "ﬁne-tune", "x\u200by"]


def test_name_normalisation_is_letters_and_digits_only(derived_db):
    """The regex ``_norm`` equals the definition it replaced (``str.isalnum`` per character) on every
    name variant of the real registry and on awkward Unicode."""
    ch = compare.model_choices(derived_db)
    variants = [v for m, n, a in zip(ch["model_id"], ch["name"], ch["aliases"])
                for v in [m, n, *(a.split(" · ") if a else [])]]
    for v in variants + AWKWARD:
        assert compare._norm(v) == "".join(c for c in str(v).lower() if c.isalnum()), v


def test_one_models_claims_are_the_whole_tables_rows_for_it(derived_db, monkeypatch):
    """The Model page's claims (``model_id``) come from the derived table too: for every model with
    a claim, one without, and ones the filters leave out, the same frame as its own query."""
    whole = evals.compute_claims_vs_independent(EVERY_MODEL, derived_db)
    every = queries.model_ids(EVERY_MODEL, derived_db)
    ids = sorted(set(whole["model_id"])) + [m for m in every if m not in set(whole["model_id"])][:3]
    compute = evals.compute_claims_vs_independent
    want = {(f, m): compute(f, derived_db, model_id=m) for f in (Filters(), EVERY_MODEL) for m in ids}
    monkeypatch.setattr(evals, "compute_claims_vs_independent",
                        lambda *a, **k: pytest.fail("answered by its own query, not the derived table"))
    for (f, m), w in want.items():
        pd.testing.assert_frame_equal(evals.claims_vs_independent(f, derived_db, model_id=m), w)
    assert any(len(w) for w in want.values()) and any(not len(w) for w in want.values())


@pytest.mark.parametrize("filters", [Filters(), Filters(weights="open", families=("Qwen3", "Llama 4")), EVERY_MODEL,
                                     Filters(families=("no such family",))], ids=["default", "open-qwen-llama", "all", "none"])
def test_claims_for_any_filters_are_the_whole_tables_rows_for_those_models(derived_db, filters):
    got = evals.claims_vs_independent(filters, derived_db)
    want = evals.compute_claims_vs_independent(filters, derived_db)
    pd.testing.assert_frame_equal(got, want)
    mid = want["model_id"].iloc[0] if len(want) else "x"
    pd.testing.assert_frame_equal(evals.claims_vs_independent(filters, derived_db, model_id=mid),
                                  evals.compute_claims_vs_independent(filters, derived_db, model_id=mid))


@pytest.mark.parametrize("filters", [Filters(), Filters(weights="open", families=("Qwen3", "Llama 4")), EVERY_MODEL,
                                     Filters(families=("no such family",))], ids=["default", "open-qwen-llama", "all", "none"])
def test_context_summary_for_any_filters_is_the_whole_tables_rows_for_those_models(derived_db, filters, monkeypatch):
    want = offer_queries.compute_context_summary(filters, derived_db)
    if len(want):  # models to show: their rows come from the file (no model: the query's own empty frame)
        monkeypatch.setattr(offer_queries, "compute_context_summary", lambda *a: pytest.fail("computed"))
    got = offer_queries.context_summary(filters, derived_db)
    pd.testing.assert_frame_equal(got, want)
    if filters is EVERY_MODEL:
        assert len(got) > 20 and got["offerings"].notna().any()
