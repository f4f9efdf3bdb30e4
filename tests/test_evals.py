"""Third-party eval sources (issue 3): parsers on our own fixtures, real facts on the mirror
replay, the Evals page and the landscape/data-quality additions."""
import datetime as dt
from datetime import datetime

import pandas as pd
import pytest

from etl.fetch import Fetched
from etl.matcher import Matcher
from etl.registry import Model
from etl.sources import epoch, evalplus, livebench, open_llm_leaderboard, vendor_claims
from etl.sources.base import Context, ParseError
from tests.conftest import FIXTURES, OUTPUT, run_page, wait_for_app
from tests.conftest import rows as q

EV = FIXTURES / "evals"
X = Model("org/model-x", "Model X", "Fam", "Org", True, True, "https://example.org", aliases=("model-x",))


def fetched(url: str, name: str) -> Fetched:
    return Fetched(url, (EV / name).read_bytes(), datetime(2026, 1, 1), "test")


def run(src, items):
    recs = []
    for url, name in items:
        f = fetched(url, name)
        for r in src.parse(f):
            r.setdefault("_url", url)
            r.setdefault("_fetched", f)
            recs.append(r)
    ctx = Context([X], Matcher([X]))
    return src.normalise(recs, ctx)["scores"], ctx


# ---------------------------------------------------------------- parsers on fixtures

def test_livebench_site_math_and_missing_task():
    rows, ctx = run(livebench.SOURCE, [(livebench.SITE + "table_2099_01_01.csv", "table_2099_01_01.csv"),
                                       (livebench.SITE + "categories_2099_01_01.json", "categories_2099_01_01.json")])
    got = {r["benchmark"]: r["value"] for r in rows}
    assert got["livebench_2099_01_01:reasoning"] == 70.0
    assert got["livebench_2099_01_01"] == pytest.approx((70 + 50 + 70) / 3, abs=1e-3)
    assert ctx.unmatched == {"model-y": 1}  # model-y lacks a task: no global for it, never a zero


def test_livebench_compute_scores_leaves_incomplete_categories_out():
    cats, glob = livebench.compute_scores({"a": "10", "b": ""}, {"A": ["a"], "B": ["b"]})
    assert cats == {"A": 10.0} and glob is None


def test_livebench_bad_categories_file():
    with pytest.raises(ParseError):
        livebench.parse_categories('{"Reasoning": "not a list"}')


def test_epoch_runs_are_percent_and_only_successes():
    rows, _ = run(epoch.SOURCE, [(epoch.RUNS_URL, "benchmarks_runs.csv")])
    assert [(r["benchmark"], r["value"], r["as_of"]) for r in rows] == [("gpqa_diamond", 51.8, dt.date(2025, 4, 8))]


def test_epoch_external_names_its_original_source():
    rows, _ = run(epoch.SOURCE, [(epoch.EXT_BASE + "simple_bench.csv", "external_benchmark_simple_bench.csv")])
    assert len(rows) == 1 and rows[0]["value"] == 27.7 and rows[0]["unit"] == "percent"
    assert "original source: SimpleBench Leaderboard" in rows[0]["setting"] and not rows[0]["vendor_claimed"]


def test_epoch_changed_format_is_a_parse_error():
    f = Fetched(epoch.RUNS_URL, b"id,model\n1,x\n", datetime(2026, 1, 1), "test")
    with pytest.raises(ParseError):
        epoch.SOURCE.parse(f)


def test_evalplus_nulls_skipped_and_hostile_name_unmatched():
    rows, ctx = run(evalplus.SOURCE, [(evalplus.URL, "results.json")])
    assert {r["benchmark"]: r["value"] for r in rows} == {
        "evalplus_humaneval": 91.5, "evalplus_humaneval_plus": 86.6, "evalplus_mbpp_plus": 73.0}
    assert all("Nov 2024" in r["setting"] for r in rows)
    assert "<script>alert(1)</script>" in ctx.unmatched


def test_open_llm_leaderboard_rows_and_frozen_flag():
    rows, _ = run(open_llm_leaderboard.SOURCE, [(open_llm_leaderboard.URL, "huggingface_v2.csv")])
    got = {r["benchmark"]: r["value"] for r in rows}
    assert got["open_llm_v2"] == 47.98 and got["open_llm_v2:gpqa"] == 16.7 and len(got) == 7
    assert rows[0]["as_of"] == dt.date(2024, 10, 16) and rows[0]["setting"] == "precision: bfloat16"
    assert open_llm_leaderboard.SOURCE.frozen


def test_vendor_claims_are_flagged_and_keyed():
    src = vendor_claims.VendorClaimsSource()
    src.path = EV / "vendor_claims.csv"
    fetched_, failed = src.fetch(None, src.urls([]))
    assert not failed
    recs = [{**r, "_url": fetched_[0].url, "_fetched": fetched_[0]} for r in src.parse(fetched_[0])]
    ctx = Context([X], Matcher([X]))
    rows = src.normalise(recs, ctx)["scores"]
    assert all(r["vendor_claimed"] for r in rows)
    assert [(r["benchmark"], r["unit"]) for r in rows] == [("gpqa_diamond", "percent"), ("codeforces", "rating")]
    assert "claimed by Vendor" in rows[0]["setting"] and rows[0]["source_url"] == "https://example.org/readme"


@pytest.mark.parametrize("label,key", [("GPQA-Diamond (Pass@1)", "gpqa_diamond"), ("GPQA Diamond", "gpqa_diamond"),
                                       ("LiveBench 2024-11-25", "livebench_2024_11_25"),
                                       ("Aider-Polyglot (Acc.)", "aider_polyglot"), ("MMLU (Pro COT)", "mmlu_pro"),
                                       ("Codeforces (Percentile)", "codeforces_percentile")])
def test_claim_benchmark_keys(label, key):
    assert vendor_claims.claim_benchmark(label)[0] == key


def test_pareto_frontier_keeps_best_score_per_size():
    from landscape.evals import pareto_frontier
    pts = pd.DataFrame({"total_params_b": [1, 2, 3, 4, None], "score": [10, 5, 20, 15, 99]})
    assert pareto_frontier(pts)["score"].tolist() == [10, 20]


def test_labels_are_readable():
    from landscape.evals import benchmark_label
    assert benchmark_label("livebench_2025_04_25") == "LiveBench 2025-04-25 release, global average (%)"
    assert benchmark_label("livebench_2025_04_25:data_analysis").endswith("data analysis (%)")
    assert benchmark_label("open_llm_v2:mmlu_pro") == "Open LLM Leaderboard v2, MMLU-Pro (normalised)"


# ---------------------------------------------------------------- real facts on the mirror replay



def val(db, model_id, benchmark, source, **where):
    extra = "".join(f" AND {k} = ?" for k in where)
    return sorted(r[0] for r in q(db, f"SELECT value FROM scores WHERE model_id = ? AND benchmark = ? AND source = ?{extra}",
                                   [model_id, benchmark, source, *where.values()]))


MAV = "meta-llama/Llama-4-Maverick-17B-128E-Instruct"
SCOUT = "meta-llama/Llama-4-Scout-17B-16E-Instruct"


def test_replay_every_eval_source_loads(mirror_db):
    st = dict(q(mirror_db, "SELECT name, status FROM sources"))
    from etl.sources import sources_of_kind
    evals_ = [s.name for s in sources_of_kind("evals")]
    assert {"aider", "lmarena", "livebench", "epoch", "open_llm_leaderboard", "evalplus", "vendor_claims"} <= set(evals_)
    for s in evals_:
        assert st.get(s) == "ok", (s, st.get(s))


def test_replay_lmarena_text_and_vision(mirror_db):
    assert 1292.0 in val(mirror_db, MAV, "lmarena_text", "lmarena", as_of=dt.date(2025, 8, 6))  # INDEX.csv captured_at of release 2025.08.04
    assert val(mirror_db, "meta-llama/Llama-4-Maverick-03-26-Experimental", "lmarena_text", "lmarena") == [1416.0, 1417.0]
    (v, lo, hi, votes), = q(mirror_db, "SELECT value, ci_low, ci_high, votes FROM scores WHERE model_id = ? "
                                       "AND benchmark = 'lmarena_vision'", ["google/gemini-2.5-pro"])
    assert (v, lo, hi, votes) == (1317.0, 1308.0, 1326.0, 7681)
    assert val(mirror_db, "google/gemini-2.5-pro-preview-05-06", "lmarena_vision", "lmarena") == [1316.0]


def test_replay_aider_code_editing_is_separate(mirror_db):
    assert val(mirror_db, "Qwen/QwQ-32B-Preview", "aider_code_editing", "aider") == [42.1]
    assert 72.9 in val(mirror_db, "Qwen/Qwen2.5-Coder-32B-Instruct", "aider_code_editing", "aider")
    assert val(mirror_db, "meta-llama/Llama-3.1-405B-Instruct", "aider_code_editing", "aider") == [63.9, 66.2]
    assert not val(mirror_db, MAV, "aider_code_editing", "aider")


def test_replay_livebench_site_math_and_removed_maverick(mirror_db):
    assert val(mirror_db, "google/gemini-2.5-pro-exp-03-25", "livebench_2024_11_25", "livebench") == [82.3541]
    # Epoch's copy of the same LiveBench release agrees with our computation
    assert val(mirror_db, "google/gemini-2.5-pro-exp-03-25", "livebench_2024_11_25", "epoch") == [82.35]
    assert [round(v, 1) for v in val(mirror_db, MAV, "livebench_2025_04_25", "livebench")] == [55.2]
    rows = q(mirror_db, "SELECT value, setting, as_of FROM scores WHERE model_id = ? AND benchmark = 'livebench_2025_05_30'", [MAV])
    assert len(rows) == 1 and round(rows[0][0], 1) == 47.8
    assert rows[0][1] == "removed from later version of this table" and rows[0][2] == dt.date(2025, 5, 30)
    # every release is dated by its release, not by the capture of the site (2026-07-01)
    dates = dict(q(mirror_db, "SELECT benchmark, min(as_of) FROM scores WHERE source = 'livebench' "
                              "AND benchmark NOT LIKE '%:%' GROUP BY 1"))
    assert dates["livebench_2024_06_24"] == dt.date(2024, 6, 24) and dates["livebench_2025_04_25"] == dt.date(2025, 4, 25)
    assert all(d.strftime("livebench_%Y_%m_%d") == b for b, d in dates.items())


def test_replay_epoch_runs_eci_and_external(mirror_db):
    assert val(mirror_db, SCOUT, "gpqa_diamond", "epoch") == [51.8]
    assert val(mirror_db, MAV, "gpqa_diamond", "epoch", setting="FP8; Epoch AI run") == [67.0]
    assert val(mirror_db, SCOUT, "math_level_5", "epoch") == [62.3]
    eci = q(mirror_db, "SELECT setting, round(value, 2) FROM scores WHERE model_id = ? AND benchmark = "
                       "'epoch_capabilities_index' ORDER BY 1", [MAV])
    assert eci == [("Epoch Capabilities Index", 129.37), ("FP8; Epoch Capabilities Index", 133.56)]
    (setting,), = q(mirror_db, "SELECT setting FROM scores WHERE source = 'epoch' AND benchmark = 'aider_polyglot' "
                               "AND model_id = ?", [MAV])
    assert "original source: Aider LLM Leaderboards" in setting
    assert val(mirror_db, MAV, "aider_polyglot", "epoch") == [15.6]
    # a developer's own report re-keyed by Epoch is a claim, never an independent result
    dev = q(mirror_db, "SELECT DISTINCT vendor_claimed FROM scores WHERE source = 'epoch' "
                       "AND setting LIKE '%DeepSeek-V3 Technical Report%'")
    assert dev == [(True,)]
    assert q(mirror_db, "SELECT DISTINCT vendor_claimed FROM scores WHERE source = 'epoch' "
                        "AND setting LIKE '%original source: Aider LLM Leaderboards%'") == [(False,)]


def test_replay_open_llm_leaderboard(mirror_db):
    assert val(mirror_db, "Qwen/Qwen2.5-72B-Instruct", "open_llm_v2", "open_llm_leaderboard") == [47.9805]
    assert [round(v, 2) for v in val(mirror_db, "Qwen/QwQ-32B", "open_llm_v2", "open_llm_leaderboard")] == [12.21]
    assert val(mirror_db, "Qwen/Qwen2.5-72B", "open_llm_v2", "open_llm_leaderboard")  # base kept apart
    assert not q(mirror_db, "SELECT 1 FROM scores WHERE source = 'open_llm_leaderboard' AND model_id LIKE '%Llama-4%'")


def test_replay_evalplus_stale_values(mirror_db):
    assert val(mirror_db, "Qwen/Qwen2.5-Coder-32B-Instruct", "evalplus_humaneval_plus", "evalplus") == [87.2]
    assert val(mirror_db, "deepseek-ai/DeepSeek-V3", "evalplus_mbpp_plus", "evalplus") == [73.0]
    assert val(mirror_db, "meta-llama/Llama-3.1-8B-Instruct", "evalplus_humaneval", "evalplus") == [69.5]
    assert q(mirror_db, "SELECT DISTINCT as_of FROM scores WHERE source = 'evalplus'") == [(dt.date(2024, 12, 26),)]


def test_replay_vendor_claims(mirror_db):
    rows = q(mirror_db, "SELECT value, vendor_claimed, source_url FROM scores WHERE source = 'vendor_claims' "
                        "AND model_id = ? AND benchmark = 'livebench_2024_11_25'", ["Qwen/Qwen3-235B-A22B"])
    assert rows and all(r[1] for r in rows) and all(r[2].startswith("https://") for r in rows)
    assert not q(mirror_db, "SELECT 1 FROM scores WHERE source = 'vendor_claims' AND NOT vendor_claimed")
    assert q(mirror_db, "SELECT count(*) FROM scores WHERE source = 'vendor_claims'")[0][0] > 900


def test_claims_vs_independent_on_replay(mirror_db):
    from landscape.evals import claims_vs_independent, unreleased_headlines
    c = claims_vs_independent(path=mirror_db)
    assert len(c) > 900 and c["verified"].any() and (~c["verified"]).any()
    same = c[(c["model_id"] == "Qwen/Qwen3-235B-A22B") & (c["match"] == "same") & c["gap"].notna()]
    assert len(same)
    h = unreleased_headlines(path=mirror_db)
    row = h[(h["benchmark"] == "lmarena_text")].iloc[0]
    assert row["unreleased_best"] == 1417 and row["released"] == "Llama 4 Maverick"


# ---------------------------------------------------------------- pages



def test_evals_page_controls(app_db):
    at = run_page("app_pages/evals.py")
    assert not at.exception, [e.value for e in at.exception]
    assert any("unreleased variant" in w.value and "1417" in w.value for w in at.warning)
    bench = at.multiselect(key="ev_benchmarks")
    assert len(bench.value) == 2
    opt = next(o for o in bench.options if "[livebench_2025_04_25]" in o)
    bench.set_value([opt]).run()
    assert not at.exception
    t = at.dataframe[0].value  # first table = the chosen leaderboard
    assert "Llama 4 Maverick" in set(t["name"])
    at.multiselect(key="ev_sources").set_value(["vendor_claims"]).run()
    assert not at.exception
    gpqa = next(o for o in at.multiselect(key="ev_benchmarks").options if "[gpqa_diamond]" in o)
    at.multiselect(key="ev_benchmarks").set_value([gpqa]).run()
    claimed = at.dataframe[0].value  # only vendor claims now: every row says so
    assert len(claimed) and claimed["vendor_claimed"].all() and set(claimed["source"]) == {"vendor_claims"}
    at.multiselect(key="ev_sources").set_value(["lmarena"]).run()
    lm = next(o for o in at.multiselect(key="ev_benchmarks").options if "[lmarena_text]" in o)
    at.multiselect(key="ev_benchmarks").set_value([lm]).run()
    latest_only = at.dataframe[0].value
    at.checkbox(key="ev_history").check().run()
    assert not at.exception
    with_history = at.dataframe[0].value
    assert len(with_history) > len(latest_only)  # older dated snapshots appear
    exp = with_history[with_history["name"] == "Llama 4 Maverick (03-26 experimental)"]
    assert 1417 in set(exp["value"])  # the 2025-04-06 LMArena snapshot, from history
    at.radio(key="cl_show").set_value("unverified").run()
    cl = at.dataframe[-1].value  # last table = claims (second tab)
    assert len(cl) and not cl["verified"].any()
    at.radio(key="cl_show").set_value("all").run()
    at.radio(key="cl_who").set_value("another vendor").run()
    assert not at.exception
    cl = at.dataframe[-1].value
    assert len(cl) and set(cl["reported_by"]) == {"other vendor"} and "claimant" in cl.columns
    assert any("by another vendor" in c.value for c in at.caption)


def test_landscape_pareto_toggle_and_labels(app_db):
    at = run_page("app_pages/overview.py")
    labels = at.selectbox(key="y_metric").options
    assert any(o.startswith("LiveBench 2025-04-25 release, global average") for o in labels)
    assert "Pareto frontier" not in at.get("plotly_chart")[0].proto.spec
    at.toggle(key="pareto").set_value(True).run()
    assert not at.exception
    assert "Pareto frontier" in at.get("plotly_chart")[0].proto.spec  # the frontier trace is drawn


def test_data_quality_badges(app_db):
    at = run_page("app_pages/data_quality.py")
    assert not at.exception
    t = at.dataframe[0].value
    badge = dict(zip(t["name"], t["badge"]))
    assert badge["open_llm_leaderboard"].startswith("frozen")
    assert "stale" in badge["evalplus"]
    assert any("frozen" in i.value for i in at.info)


@pytest.mark.browser
def test_browser_opens_evals_page(streamlit_server, page):
    page.goto(streamlit_server["url"] + "/evals")
    wait_for_app(page)
    page.wait_for_selector("text=Headline score of an unreleased variant", timeout=30000)
    page.wait_for_selector(".js-plotly-plot .barlayer", timeout=30000)
    assert page.get_by_text("Claimed vs independent").count() >= 1
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "evals.png"), full_page=True)


def test_claims_vs_independent_agrees_with_a_per_claim_python_lookup(mirror_db):
    """The one-query version against the plain rule, claim by claim, on the real mirror."""
    from landscape.evals import CLOSEST, SAME, claims_vs_independent
    from landscape.filters import Filters
    from tests.conftest import rows
    got = claims_vs_independent(Filters(released_only=False, include_reference=True), path=mirror_db)
    claims = rows(mirror_db, "SELECT s.model_id, s.benchmark, s.value, s.unit FROM scores s JOIN models m "
                             "USING (model_id) WHERE s.vendor_claimed "
                             "ORDER BY m.family, m.name, s.benchmark, s.as_of, s.value, s.setting")
    indep: dict = {}
    for mid, b, v in rows(mirror_db, "SELECT model_id, benchmark, value FROM scores WHERE NOT vendor_claimed"):
        indep.setdefault((mid, b), []).append(v)
    assert len(got) == len(claims) > 50
    # by default the closed reference models (#12: GPT-4o, Claude 3... named in vendors' own tables) are left out
    default = claims_vs_independent(Filters(released_only=False), path=mirror_db)
    assert len(default) == rows(mirror_db, "SELECT count(*) FROM scores s JOIN models m USING (model_id) "
                                           "WHERE s.vendor_claimed AND NOT m.reference")[0][0] < len(got)
    for (mid, b, v, unit), r in zip(claims, got.itertuples()):
        assert r.model_id == mid and r.claimed == v
        cands = [(c, "same") for c in (b, *SAME.get(b, ()))] + [(c, "closest") for c in CLOSEST.get(b, ())]
        hit = next(((c, how) for c, how in cands if (mid, c) in indep), None)
        assert r.verified == (hit is not None), (mid, b)
        if hit:
            assert r.independent == max(indep[(mid, hit[0])]) and r.match.startswith(hit[1])
            if hit[1] == "same" and r.unit == unit and pd.notna(r.gap):
                assert r.gap == round(v - r.independent, 2)
        else:
            assert r.match == "unverified" and pd.isna(r.independent)
