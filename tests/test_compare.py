"""Compare: resolution by any name variant, the long/wide tables, best-per-row marks, presets from
rules over the data, and the compare/models CLI exports."""
import csv
import io
import json
import subprocess
import sys

import pandas as pd

from landscape import compare, export, queries
from landscape.filters import Filters
from tests.conftest import ROOT

SCOUT = "meta-llama/Llama-4-Scout-17B-16E-Instruct"
MAVERICK = "meta-llama/Llama-4-Maverick-17B-128E-Instruct"
BEHEMOTH = "meta-llama/Llama-4-Behemoth"


def test_resolve_by_id_name_and_alias(snapshot_db):
    ids, problems = compare.resolve([SCOUT, "Llama 4 Maverick", "llama-4-scout", "Meta-Llama-3.1-8B-Instruct",
                                     "behemoth"], snapshot_db)
    assert ids == [SCOUT, MAVERICK, "meta-llama/Llama-3.1-8B-Instruct", BEHEMOTH] and not problems
    ids, problems = compare.resolve(["maverick", "<script>", "qwen3"], snapshot_db)
    assert ids == []
    assert any("ambiguous" in p for p in problems) and any("no model named '<script>'" in p for p in problems)


def test_variant_index_lists_each_model_once_in_order(snapshot_db):
    """Every model's normalised variants point back to it, once; ids sorted (tuples, not sets)."""
    index = compare._variant_index(snapshot_db)
    ch = compare.model_choices(snapshot_db)
    for mid, norms in zip(ch["model_id"], ch["norms"]):
        for key in norms.split(compare.NORM_SEP):
            assert mid in index[key]
    assert all(type(v) is tuple and list(v) == sorted(set(v)) for v in index.values())


def test_choice_labels_contain_every_alias(snapshot_db):
    ch = compare.model_choices(snapshot_db)
    label = ch.loc[ch["model_id"] == MAVERICK, "label"].iloc[0]
    from landscape.db import query_df
    aliases = query_df("SELECT alias FROM aliases WHERE model_id = ?", [MAVERICK], snapshot_db)["alias"].tolist()
    assert len(aliases) >= 2 and all(a in label for a in aliases)


def test_wide_table_rows_and_unknowns(snapshot_db):
    long = compare.compare_long([SCOUT, MAVERICK, BEHEMOTH], path=snapshot_db)
    w = compare.wide(long)
    assert list(w.columns) == ["group", "attribute", "unit", "better", "Llama 4 Scout", "Llama 4 Maverick",
                               "Llama 4 Behemoth"]
    row = lambda a: w[w["attribute"] == a].iloc[0]
    assert row("total params")[["Llama 4 Scout", "Llama 4 Maverick", "Llama 4 Behemoth"]].tolist() == [109, 400, 2000]
    assert row("status")["Llama 4 Behemoth"] == "unreleased"
    assert row("licence")["Llama 4 Behemoth"] is None  # unknown, not "" or 0
    assert compare.format_value(row("licence")["Llama 4 Behemoth"]) == "unknown"
    assert row("LMArena text (Elo)")["Llama 4 Behemoth"] is None
    assert row("Aider polyglot, pass@2 (%)")["Llama 4 Maverick"] == 15.6
    assert set(w["group"]) >= {"identity", "size", "context", "evals"}
    # every known value in the long table carries provenance
    known = long[long["value"].notna()]
    assert known["source"].notna().all() and known["source_url"].str.startswith("http").all()
    assert known.loc[known["attribute"] == "advertised context", "vendor_claimed"].all()
    lm = known[known["attribute"] == "LMArena text (Elo)"]
    assert set(lm["source"]) == {"lmarena"} and not lm["vendor_claimed"].any() and lm["as_of"].notna().all()


def test_eval_values_match_the_landscape_page(snapshot_db):
    ids = compare.preset_ids("open-lmarena-1350", snapshot_db)
    w = compare.compare_table(ids, path=snapshot_db)
    pts = queries.landscape_points(Filters(), "lmarena_text", "lmarena", path=snapshot_db).set_index("name")
    row = w[w["attribute"] == "LMArena text (Elo)"].iloc[0]
    for col in w.columns[4:]:
        assert row[col] == pts.loc[col, "score"]


def test_best_mask_only_where_meaningful():
    w = pd.DataFrame([
        {"group": "evals", "attribute": "x", "unit": "elo", "better": "higher", "A": 1300, "B": 1350, "C": None},
        {"group": "fit", "attribute": "mem", "unit": "GB", "better": "lower", "A": 20.5, "B": 80.0, "C": 20.5},
        {"group": "size", "attribute": "total", "unit": "B", "better": "", "A": 1, "B": 2, "C": 3},
        {"group": "evals", "attribute": "y", "unit": "elo", "better": "higher", "A": 5, "B": None, "C": None},
        {"group": "evals", "attribute": "z", "unit": "elo", "better": "higher", "A": 5, "B": 5, "C": None},
    ])
    m = compare.best_mask(w)
    assert m.loc[0, ["A", "B", "C"]].tolist() == [False, True, False]
    assert m.loc[1, ["A", "B", "C"]].tolist() == [True, False, True]  # ties all marked
    assert not m.loc[2].any() and not m.loc[3].any() and not m.loc[4].any()


def test_presets_follow_their_rules(snapshot_db):
    models = queries.models(Filters(released_only=False, include_reference=True), path=snapshot_db).set_index("model_id")
    assert compare.preset_ids("llama4-sizes", snapshot_db) == [SCOUT, MAVERICK, BEHEMOTH]
    peers = compare.preset_ids("llama4-peers", snapshot_db)
    assert peers[:2] == [SCOUT, MAVERICK] and 4 <= len(peers) <= 12
    assert all(17 / 1.5 <= models.loc[m, "active_params_b"] <= 17 * 1.5 and models.loc[m, "released"] for m in peers)
    pts = queries.landscape_points(Filters(), "lmarena_text", "lmarena", path=snapshot_db).set_index("model_id")
    top = compare.preset_ids("open-lmarena-1350", snapshot_db)
    assert top and all(models.loc[m, "open_weights"] and pts.loc[m, "score"] > 1350 for m in top)
    expected = {m for m in pts.index if pts.loc[m, "score"] > 1350 and models.loc[m, "open_weights"]}
    assert set(top) == set(list(expected)[:12]) or len(expected) > 12
    gpu = compare.preset_ids("one-24gb-gpu", snapshot_db)
    assert gpu and all(models.loc[m, "open_weights"] for m in gpu)
    from landscape import fit
    assert all(fit.fit_model(m, compare.GPU_24GB, 1, "Q4_K_M", "8K", path=snapshot_db).status in ("fits", "tight")
               for m in gpu)
    assert "google/gemma-3-27b-it" in gpu and MAVERICK not in gpu


def run_cli(*args, db):
    return subprocess.run([sys.executable, "-m", "landscape", "--db", str(db), *args], cwd=ROOT,
                          capture_output=True, timeout=120)


def test_compare_cli_csv_equals_the_app_table(snapshot_db):
    out = run_cli("compare", "llama-4-scout", "Llama 4 Maverick", db=snapshot_db)
    assert out.returncode == 0, out.stderr
    back = export.read_back(out.stdout, "csv")
    table = compare.compare_table([SCOUT, MAVERICK], path=snapshot_db)
    assert list(back.columns)[:len(table.columns)] == list(table.columns)
    got = back["Llama 4 Maverick"].tolist()
    want = table["Llama 4 Maverick"].tolist()
    assert [None if pd.isna(g) else str(g) for g in got] == [None if w is None else str(w) for w in want]


def test_compare_cli_formats_and_errors(snapshot_db, tmp_path):
    target = tmp_path / "cmp.xlsx"
    out = run_cli("compare", "--preset", "llama4-sizes", "--format", "xlsx", "--output", str(target), db=snapshot_db)
    assert out.returncode == 0, out.stderr
    back = export.read_back(target.read_bytes(), "xlsx")
    assert list(back.columns[4:7]) == ["Llama 4 Scout", "Llama 4 Maverick", "Llama 4 Behemoth"]
    out = run_cli("compare", "--long", "llama-4-scout", "behemoth", "--format", "json", db=snapshot_db)
    doc = json.loads(out.stdout)
    assert {"source", "as_of", "source_url", "vendor_claimed", "estimated"} <= set(doc["columns"])
    assert doc["meta"]["view"] == {"models": f"{SCOUT},{BEHEMOTH}"}
    bad = run_cli("compare", "llama-4-scout", "no-such-model", db=snapshot_db)
    assert bad.returncode == 2 and b"no model named 'no-such-model'" in bad.stderr
    one = run_cli("compare", "llama-4-scout", db=snapshot_db)
    assert one.returncode == 2 and b"needs 2-12 models" in one.stderr


def test_models_cli_formats(snapshot_db, tmp_path):
    app = queries.models(Filters(families=("Llama 4",)), path=snapshot_db)
    for fmt in export.FORMATS:
        target = tmp_path / f"m.{fmt}"
        out = run_cli("models", "--family", "Llama 4", "--format", fmt, "--output", str(target), db=snapshot_db)
        assert out.returncode == 0, out.stderr
        back = export.read_back(target.read_bytes(), fmt)
        assert back["model_id"].tolist() == app["model_id"].tolist(), fmt
        assert back["data_snapshot"].nunique() == 1
    out = run_cli("models", "--family", "Llama 4", "--format", "parquet", db=snapshot_db)
    assert pd.read_parquet(io.BytesIO(out.stdout))["model_id"].tolist() == app["model_id"].tolist()
    rows = list(csv.DictReader(io.StringIO(run_cli("models", db=snapshot_db).stdout.decode())))
    assert "model_id" in rows[0]  # no BOM on stdout


def test_models_from_link_names_every_problem_and_caps(snapshot_db):
    import pytest
    ids, notices = compare.models_from_link(["llama-4-scout,nope-model", "Llama 4 Maverick"], path=snapshot_db)
    assert ids == ["meta-llama/Llama-4-Scout-17B-16E-Instruct", "meta-llama/Llama-4-Maverick-17B-128E-Instruct"]
    assert notices == ["no model named 'nope-model'"]
    every = compare.model_choices(path=snapshot_db)["model_id"].tolist()[:20]
    ids, notices = compare.models_from_link([",".join(every)], path=snapshot_db)
    assert ids == every[:compare.MAX_MODELS] and notices == [f"kept the first {compare.MAX_MODELS} of 20"]
    with pytest.raises(ValueError, match="too many"):
        compare.models_from_link([",".join(["x"] * (compare.MAX_LINK_NAMES + 1))], path=snapshot_db)


def test_differing_rows_keeps_rows_whose_values_differ_unknown_included():
    wide = pd.DataFrame([
        {"group": "g", "attribute": "same", "unit": "", "better": "", "A": 1, "B": 1},
        {"group": "g", "attribute": "differs", "unit": "", "better": "", "A": 1, "B": 2},
        {"group": "g", "attribute": "one unknown", "unit": "", "better": "", "A": None, "B": 2},
        {"group": "g", "attribute": "both unknown", "unit": "", "better": "", "A": None, "B": None},
    ])
    assert compare.model_columns(wide) == ["A", "B"]
    assert compare.differing_rows(wide)["attribute"].tolist() == ["differs", "one unknown"]


def test_licence_rows_are_each_models_own_answers(snapshot_db):
    """Each licence cell is the model's own answer to that use case (the MAU question at the chosen
    MAU), unknown where the model has none: every model of the registry ten at a time (and
    ten at a second MAU)."""
    from landscape import licences
    from landscape.db import query_df
    ids = queries.model_ids(Filters(released_only=False, include_reference=True), snapshot_db)
    for mau, every in ((1_000_000, ids), (800_000_000, ids[:10])):
        want = query_df(f"SELECT model_id, use_case, {licences.mau_sql('la')} AS answer "
                        "FROM licence_answers la", [mau], snapshot_db)
        answers = {(r.model_id, r.use_case): r.answer for r in want.itertuples()}
        labels = {(licences.USE_CASES.get(uc, uc).replace("N", f"{mau:,}") if uc == "mau"
                   else licences.USE_CASES.get(uc, uc)): uc for uc in set(want["use_case"]) | set(licences.USE_CASES)}
        for k in range(0, len(every), 10):
            long, _ = compare.compare_result(every[k:k + 10], compare.CompareOptions(mau=mau), snapshot_db)
            rows = long[long["group"] == "licence use cases"]
            assert len(rows) == len(labels) * len(every[k:k + 10])
            for r in rows.itertuples():
                got = None if pd.isna(r.value) else r.value
                assert got == answers.get((r.model_id, labels[r.attribute])), (r.model_id, r.attribute)
