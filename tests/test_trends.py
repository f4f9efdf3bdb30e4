"""Deployment-fit frontier, release timeline, open-vs-closed lag and head-to-head claims: the pure
functions on small frames with known answers, the real snapshot's headline facts, and the page."""
from __future__ import annotations

import pandas as pd
import pytest

from landscape import headtohead, queries, trends
from landscape.filters import Filters
from tests.conftest import run_page

D = pd.Timestamp


def _points(rows):
    return pd.DataFrame(rows, columns=["model_id", "name", "family", "open_weights", "release_date", "score", "unit",
                                       "source", "as_of", "setting", "source_url"])


def test_fit_frontier_keeps_only_models_that_beat_every_smaller_one():
    pts = _points([("a", "A", "F", True, None, 10, "%", "s", D("2025-01-01"), "", "u"),
                   ("b", "B", "F", True, None, 8, "%", "s", D("2025-01-01"), "", "u"),
                   ("c", "C", "F", True, None, 12, "%", "s", D("2025-01-01"), "", "u"),
                   ("d", "D", "G", True, None, 5, "%", "s", D("2025-01-01"), "", "u")])
    need = pd.DataFrame({"model_id": ["a", "b", "c", "d"], "name": list("ABCD"), "family": ["F", "F", "F", "G"],
                         "total_params_b": [1, 2, 3, 1], "need_gib": [4.0, 8.0, 16.0, 2.0], "weights_gib": [1] * 4,
                         "kv_cache_gib": [1] * 4, "kv_known": [True] * 4, "estimate_basis": ["architecture"] * 4})
    fr = trends.fit_frontier(pts, need).set_index("model_id")
    assert fr.loc["a", "on_frontier"] and not fr.loc["b", "on_frontier"] and fr.loc["c", "on_frontier"]
    assert fr.loc["b", "family_best"] == 10 and fr.loc["c", "family_best"] == 12
    hw = pd.DataFrame({"hardware_id": ["x", "y"], "name": ["X 6 GiB", "Y 20 GiB"], "gib": [6.0, 20.0]})
    bt = trends.budget_table(fr.reset_index(), hw).set_index(["family", "hardware"])
    assert bt.loc[("F", "X 6 GiB"), "best_score"] == 10 and bt.loc[("F", "Y 20 GiB"), "best_score"] == 12
    assert bt.loc[("G", "X 6 GiB"), "model"] == "D"
    fig = trends.fit_frontier_chart(fr.reset_index(), hw, "score", spotlight="F")
    lines = [t for t in fig.data if t.mode == "lines"]
    f_line = next(t for t in lines if t.name == "F")
    assert list(f_line.x)[:2] == [4.0, 16.0] and list(f_line.y)[:2] == [10, 12] and f_line.line.shape == "hv"
    assert next(t for t in lines if t.name == "G").line.color.startswith("rgba(150")  # faded
    labelled = [t for t in fig.data if t.mode == "markers+text"]
    assert labelled and list(labelled[0].text) == ["A", "B", "C"]
    assert len([s for s in fig.layout.shapes if s.type == "line"]) == 2  # hardware lines


def test_open_closed_lag_is_months_until_open_weights_reach_each_closed_record():
    pts = _points([("c1", "C1", "X", False, D("2025-01-01"), 100, "i", "s", D("2025-12-01"), "", "u"),
                   ("o1", "O1", "Y", True, D("2025-02-01"), 95, "i", "s", D("2025-12-01"), "", "u"),
                   ("c2", "C2", "X", False, D("2025-03-01"), 110, "i", "s", D("2025-12-01"), "", "u"),
                   ("o2", "O2", "Y", True, D("2025-04-01"), 101, "i", "s", D("2025-12-01"), "", "u"),
                   ("c3", "C3", "X", False, D("2025-05-01"), 105, "i", "s", D("2025-12-01"), "", "u")])
    oc = trends.open_closed_frontier(pts)
    assert set(oc.loc[oc["record"], "name"]) == {"C1", "C2", "O1", "O2"}  # C3 is no closed record
    lag, summ = trends.frontier_lag(oc)
    row = lag.set_index("closed_model")
    assert row.loc["C1", "open_model"] == "O2" and round(row.loc["C1", "lag_months"], 2) == round(90 / 30.44, 2)
    assert pd.isna(row.loc["C2", "lag_months"]) and round(row.loc["C2", "waiting_months"], 1) == round(275 / 30.44, 1)
    assert summ == {"closed_records": 2, "matched": 1, "unmatched": 1, "median_lag_months": 90 / 30.44,
                    "mean_lag_months": 90 / 30.44, "open_models": 2, "closed_models": 3}
    fig = trends.open_closed_chart(oc, "ECI", lag)
    assert {t.name for t in fig.data if t.name} >= {"open weights frontier", "closed frontier"}


def test_release_timeline_gaps(snapshot_db):
    tl = trends.release_timeline(queries.models(Filters(families=("Llama 3.x", "Llama 4")), snapshot_db)).set_index("name")
    assert "Llama 3.1 8B base" not in tl.index
    assert round(tl.loc["Llama 3.2 1B", "months_since_previous"], 1) == round(64 / 30.44, 1)  # 2024-07-23 -> 09-25
    assert round(tl.loc["Llama 3.3 70B", "months_since_previous"], 1) == round(72 / 30.44, 1)
    fig = trends.timeline_chart(tl.reset_index(), "Llama 4")
    assert [t.name for t in fig.data] == ["Llama 3.x", "Llama 4"]


def test_snapshot_fit_frontier_headlines(snapshot_db):
    """Qwen has a model at every budget from a 24 GB GPU; Llama 4 needs more than 55 GiB at Q4_K_M."""
    need = trends.memory_need(Filters(), "Q4_K_M", "8K", "llama.cpp", snapshot_db)
    pts = queries.landscape_points(Filters(), "lmarena_text", "lmarena", snapshot_db)
    fr = trends.fit_frontier(pts, need)
    assert fr.loc[fr["family"] == "Llama 4", "need_gib"].min() > 55
    bt = trends.budget_table(fr, trends.hardware_lines())
    qwen = bt[bt["family"] == "Qwen3"]
    assert qwen["best_score"].notna().all()
    assert bt[(bt["family"] == "Llama 4") & (bt["hardware"] == "NVIDIA RTX 4090 24 GB")]["best_score"].isna().all()


def test_claim_pairs_and_verdicts():
    claims = pd.DataFrame([
        ("q1", "Qwen X", "Alibaba Qwen", "gpqa_diamond", "claimed by Qwen; chat; Table 1; vendor label: GPQA", 70, "percent"),
        ("d1", "DS Y", "DeepSeek", "gpqa_diamond", "claimed by Qwen; chat; Table 1; vendor label: GPQA-D", 60, "percent"),
        ("m1", "Llama Z", "Meta", "gpqa_diamond", "claimed by Qwen; chat; Table 1; vendor label: GPQA", 75, "percent"),
        ("m1", "Llama Z", "Meta", "gpqa_diamond", "claimed by Qwen; base; Table 2; vendor label: GPQA", 10, "percent"),
        ("d1", "DS Y", "DeepSeek", "mmlu", "claimed by Qwen; chat; Table 1; vendor label: MMLU", 50, "percent"),
        ("q1", "Qwen X", "Alibaba Qwen", "mmlu", "claimed by Qwen; chat; Table 1; vendor label: MMLU", 80, "percent"),
    ], columns=["model_id", "name", "vendor", "benchmark", "setting", "value", "unit"])
    claims["as_of"], claims["source_url"] = D("2025-05-01"), "https://example.org/t"
    pairs = headtohead.claim_pairs(claims)
    # own model beats one competitor per table; a lower own score (vs Llama at 75) is no claim,
    # and Table 2's Llama row has no own model beside it
    assert sorted(zip(pairs["benchmark"], pairs["a"], pairs["b"])) == [("gpqa_diamond", "Qwen X", "DS Y"),
                                                                       ("mmlu", "Qwen X", "DS Y")]
    indep = pd.DataFrame([
        ("q1", "gpqa_diamond", "epoch", 55.0, D("2025-06-01"), "u"), ("d1", "gpqa_diamond", "epoch", 58.0, D("2025-06-01"), "u"),
        ("q1", "gpqa_diamond", "epoch", 99.0, D("2025-01-01"), "u"),  # older: not the latest
    ], columns=["model_id", "benchmark", "source", "value", "as_of", "source_url"])
    j = headtohead.judge(pairs, indep).set_index("benchmark")
    assert j.loc["gpqa_diamond", "verdict"] == "does not hold" and j.loc["gpqa_diamond", "independent_margin"] == -3.0
    assert j.loc["mmlu", "verdict"] == "no independent evidence"
    s = headtohead.summary(j.reset_index()).set_index("claimant")
    assert s.loc["Qwen", "does not hold"] == 1 and s.loc["Qwen", "claims"] == 2
    assert headtohead.is_own("Qwen", "Alibaba Qwen") and not headtohead.is_own("Qwen", "DeepSeek")


def test_snapshot_head_to_head_has_each_verdict(snapshot_db):
    h = headtohead.head_to_head(snapshot_db)
    assert set(h["verdict"]) == set(headtohead.VERDICTS)
    row = h[(h["a"] == "DeepSeek V3") & (h["b"] == "Qwen2.5 72B") & (h["benchmark"] == "gpqa_diamond")].iloc[0]
    assert row["verdict"] == "holds" and row["independent_source"] == "epoch"
    fig = headtohead.margins_chart(h)
    assert {t.name for t in fig.data} == {"holds", "does not hold"}


def test_claims_view_is_the_claims_of_the_picked_claimants(snapshot_db):
    h = headtohead.head_to_head(snapshot_db)
    every = headtohead.claims_view((), snapshot_db)
    assert every["claimants"] == sorted(h["claimant"].dropna().unique()) and len(every["claims"]) == len(h)
    one = every["claimants"][0]
    v = headtohead.claims_view((one,), snapshot_db)
    want = h[h["claimant"] == one].reset_index(drop=True)
    pd.testing.assert_frame_equal(v["claims"], want)
    pd.testing.assert_frame_equal(v["summary"], headtohead.summary(want))
    assert v["summary"]["claimant"].tolist() == [one]
    assert v["claimants"] == every["claimants"]  # the picker keeps every choice


def test_trends_page_filters_claims_by_claimant(app_db):
    first = run_page("app_pages/trends.py", {"section": "claims"})
    claimants = first.multiselect(key="tr_claimant").options
    assert len(claimants) >= 2
    at = run_page("app_pages/trends.py", {"section": "claims", "claimant": claimants[0], "verdict": ""})
    assert not at.exception, [e.value for e in at.exception]
    summary = next(d.value for d in at.dataframe if list(d.value.columns)[-1:] == ["claims"])
    assert summary["claimant"].tolist() == [claimants[0]]
    assert at.multiselect(key="tr_claimant").value == [claimants[0]]


def test_trends_page_renders_and_restores_from_a_link(app_db):
    at = run_page("app_pages/trends.py", {"spotlight": "Qwen3", "format": "Q8_0", "lag_y": "lmarena_text:lmarena"})
    assert not at.exception, [e.value for e in at.exception]
    assert [t.label for t in at.tabs] == ["Best model for my memory budget", "Release timeline",
                                          "Open weights vs closed", "Head-to-head claims"]
    assert at.selectbox(key="tr_spot").value == "Qwen3" and at.selectbox(key="tr_fmt").value == "Q8_0"
    assert len(at.get("plotly_chart")) == 1  # only the selected tab runs
    assert "section" not in at.query_params  # the first tab is the default: not in the link
    lag = run_page("app_pages/trends.py", {"section": "lag", "lag_y": "lmarena_text:lmarena"})
    assert not lag.exception, [e.value for e in lag.exception]
    assert lag.selectbox(key="tr_lag_y").value.startswith("LMArena text")
    assert len(lag.get("plotly_chart")) == 1 and any("Median lag" in m.label for m in lag.metric)
    assert lag.query_params["section"] == "lag"
    bad = run_page("app_pages/trends.py", {"spotlight": "<b>x</b>", "format": "nope"})
    assert not bad.exception and any("ignored 'format'" in w.value for w in bad.warning)
    assert bad.selectbox(key="tr_spot").value == "Llama 4" and bad.selectbox(key="tr_fmt").value == "Q4_K_M"
    # the spotlight is one link parameter for the Landscape and this page
    none = run_page("app_pages/trends.py", {"spotlight": ""})
    assert not none.exception


def test_trends_tabs_each_draw_their_own_chart_and_keep_the_settings(app_db):
    at = run_page("app_pages/trends.py", {"format": "Q8_0"})
    drawn = {}
    for value, label in [("budget", "Best model for my memory budget"), ("timeline", "Release timeline"),
                         ("lag", "Open weights vs closed"), ("claims", "Head-to-head claims")]:
        at.session_state["tr_section"] = label  # as a click on the tab does (it reruns)
        at.run()
        assert not at.exception, (value, [e.value for e in at.exception])
        assert len(at.get("plotly_chart")) == 1, value
        drawn[value] = at.get("plotly_chart")[0].proto.spec
        assert at.query_params.get("section") == (None if value == "budget" else value)
    assert len(set(drawn.values())) == 4  # four different charts
    at.session_state["tr_section"] = "Best model for my memory budget"
    at.run()
    assert at.selectbox(key="tr_fmt").value == "Q8_0"  # the budget tab's setting survived the other tabs
    assert at.get("plotly_chart")[0].proto.spec == drawn["budget"]


def test_reasoning_table_is_valid_and_unknown_is_unknown(tmp_path):
    from landscape import reasoning
    t = reasoning.table()
    assert t["Qwen/Qwen3-8B"]["reasoning"] == "hybrid" and t["Qwen/QwQ-32B"]["reasoning"] == "always"
    assert t["meta-llama/Llama-4-Maverick-17B-128E-Instruct"]["reasoning"] == "no"
    df = reasoning.attach(pd.DataFrame({"model_id": ["Qwen/Qwen3-8B", "not/curated"]}))
    assert list(df["reasoning"]) == ["hybrid", "unknown"] and pd.isna(df["reasoning_source_url"].iloc[1])
    assert list(reasoning.keep(df, ["unknown"])["model_id"]) == ["not/curated"] and len(reasoning.keep(df, [])) == 2
    bad = tmp_path / "r.csv"
    bad.write_text("model_id,reasoning,source_url,note\na/b,sometimes,https://x.org,\n")
    with pytest.raises(reasoning.ReasoningDataError, match="one of no, always, hybrid"):
        reasoning.table(bad)
    bad.write_text("model_id,reasoning,source_url,note\na/b,no,https://x.org,\na/b,no,https://x.org,\n")
    with pytest.raises(reasoning.ReasoningDataError, match="listed twice"):
        reasoning.table(bad)


def test_every_curated_reasoning_row_names_a_registry_model(snapshot_db):
    from landscape import reasoning
    from tests.conftest import rows
    ids = {r[0] for r in rows(snapshot_db, "SELECT model_id FROM models")}
    assert set(reasoning.table()) <= ids


def test_landscape_spotlight_and_reasoning_filter(app_db):
    at = run_page("app_pages/overview.py", {"reasoning": "hybrid", "y": "lmarena_text:lmarena", "table": "1"})  # a benchmark Llama 4 is on
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="spotlight").value == "Llama 4"
    t = at.dataframe[0].value
    assert len(t) and set(t["reasoning"]) == {"hybrid"} and "Qwen3 32B" in set(t["name"])
    at.multiselect(key="reasoning").set_value([]).run()
    t = at.dataframe[0].value
    assert {"no", "always", "hybrid"} <= set(t["reasoning"])
    fig = at.get("plotly_chart")[0].proto.spec
    assert '"Llama 4 labels"' in fig and "Llama 4 Scout" in fig and '"opacity":0.18' in fig


def test_spotlight_fades_other_families():
    from landscape import charts
    df = pd.DataFrame({"model_id": ["a", "b"], "name": ["A", "B"], "family": ["F", "G"], "open_weights": [True, True],
                       "released": [True, True], "is_moe": [False, False], "total_params_b": [7.0, None],
                       "active_params_b": [7.0, None], "licence_id": ["x", "y"], "score": [10.0, 12.0], "unit": ["%", "%"],
                       "ci_low": [None, None], "ci_high": [None, None], "source": ["s", "s"], "as_of": [None, None],
                       "setting": ["", ""]})
    fig = charts.spotlight(charts.landscape_scatter(df, "score"), df, "F")
    g = next(t for t in fig.data if t.legendgroup == "G")
    f = next(t for t in fig.data if t.legendgroup == "F")
    assert g.marker.opacity == 0.18 and f.marker.opacity == 0.85
    labels = [t for t in fig.data if t.mode == "text"]
    assert len(labels) == 1 and list(labels[0].text) == ["A"]
    assert charts.spotlight(charts.landscape_scatter(df, "score"), df, "nope").data == charts.landscape_scatter(df, "score").data


def test_trends_page_follows_the_sidebar_filters_down_to_nothing(app_db):
    at = run_page("app_pages/trends.py", {"section": "lag"})
    at.radio(key="f_weights").set_value("open").run()
    assert not at.exception and any(m.value == "0 of 0" for m in at.metric)  # no closed model left: no lag
    at.multiselect(key="f_families").set_value(["Gemma 3n"]).run()
    assert not at.exception
    assert any(m.label.startswith("Median lag") and m.value == "unknown" for m in at.metric)


def test_hardware_lines_are_the_shapes_add_vline_draws(snapshot_db):
    import plotly.graph_objects as go

    from landscape import trends
    from landscape.filters import Filters
    v = trends.frontier_view(Filters(), "lmarena_text", None, "Q4_K_M", "8K", "llama.cpp", None, snapshot_db)
    ref = go.Figure()
    ref.update_xaxes(type="log")
    for h in v["hardware"].itertuples():
        ref.add_vline(x=h.gib, line_dash="dot", line_color="#777", line_width=1)
    assert len(v["hardware"]) >= 4
    assert [s.to_plotly_json() for s in v["figure"].layout.shapes] == [s.to_plotly_json() for s in ref.layout.shapes]


def test_release_gaps_equal_the_gap_to_the_latest_earlier_release(snapshot_db):
    """The one-pass gap equals, for every model, the days since the family's latest strictly
    earlier release (models released the same day share their gap)."""
    from landscape import queries, trends
    from landscape.filters import Filters
    tl = trends.release_timeline(queries.models(Filters(released_only=False, include_reference=True), snapshot_db))
    assert len(tl) > 100
    for r in tl.itertuples():
        fam = tl[tl["family"] == r.family]
        earlier = fam["release_date"][fam["release_date"] < r.release_date]
        want = (r.release_date - earlier.max()).days / trends.DAYS_PER_MONTH if len(earlier) else None
        assert (r.months_since_previous is None or r.months_since_previous != r.months_since_previous) \
            if want is None else abs(r.months_since_previous - want) < 1e-9, r.name
