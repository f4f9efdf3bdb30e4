"""Frontiers & claims: best model per memory budget, release cadence and the open-vs-closed lag,
and whether vendors' "A beats B" claims survive independent evaluation."""
import streamlit as st

import ui
import ui_data
from landscape import fit, headtohead, queries, trends

ui.page_setup("Frontiers & claims")
filters = ui.sidebar_filters()
options = ui_data.score_options()
if options.empty:
    st.info("No independent scores are loaded yet. Run `python -m etl refresh` to fetch them.")
    st.stop()
labels = {f"{queries.benchmark_label(r.benchmark)} — {r.source} ({r.models} models)": (r.benchmark, r.source)
          for r in options.itertuples()}
by_param = {f"{b}:{s}": label for label, (b, s) in labels.items()}
param_of = {label: key for key, label in by_param.items()}
facets = ui_data.facet_values()
families = [""] + facets["families"]  # "" = none; the same values as the Landscape page's spotlight (shared link)
spot_default = trends.SPOTLIGHT_DEFAULT if trends.SPOTLIGHT_DEFAULT in families else ""
SECTIONS = {"budget": "Best model for my memory budget", "timeline": "Release timeline",
            "lag": "Open weights vs closed", "claims": "Head-to-head claims"}  # link value (section=...) -> tab


def spotlight() -> str | None:
    """The spotlight picker (budget and timeline tabs: one key, and only one tab runs at a time)."""
    ui.bind_param("tr_spot", "spotlight", spot_default, parse=ui.choice_parser(families, "family"))
    return st.selectbox("Spotlight family (labelled; the others fade)", families, key="tr_spot",
                        format_func=ui.or_none) or None


def budget_tab() -> None:
    """1. deployment-fit frontier: the best model for a memory budget."""
    spot = spotlight()
    st.caption("x = memory budget (GiB, log), y = the best independent score a family reaches within it at the chosen "
               "format, context and runtime: one step line per family, hardware presets as dotted lines. Memory is an "
               "estimate (landscape.fit: weights + KV cache + runtime overhead, divided by the runtime's memory "
               "utilisation); hollow markers = architecture unknown, KV cache not counted.")
    c1, c2, c3, c4 = st.columns([3, 1, 1, 1])
    default_y = by_param.get("lmarena_text:lmarena", list(labels)[0])
    ui.bind_param("tr_y", "y", default_y, parse=lambda raw: by_param[ui.choice_parser(by_param, "score")(raw)],
                  serialize=param_of.get)
    ui.bind_param("tr_fmt", "format", "Q4_K_M", parse=ui.choice_parser(list(fit.quant_formats()), "format"))
    ui.bind_param("tr_ctx", "context", "8K", parse=ui.choice_parser(["8K", "32K", "128K"], "context"))
    ui.bind_param("tr_rt", "runtime", "llama.cpp", parse=ui.choice_parser(list(fit.RUNTIMES), "runtime"))
    ui.param_notices()
    choice = c1.selectbox("Score", list(labels), key="tr_y")
    fmt = c2.selectbox("Weight format", list(fit.quant_formats()), key="tr_fmt")
    ctx = c3.selectbox("Context", ["8K", "32K", "128K"], key="tr_ctx")
    runtime = c4.selectbox("Runtime", list(fit.RUNTIMES), key="tr_rt")
    bench, src = labels[choice]
    fv = ui_data.frontier_view(filters=filters, benchmark=bench, source=src, quant=fmt, context=ctx, runtime=runtime,
                               spotlight=spot)
    front, hw, fig, budget = fv["front"], fv["hardware"], fv["figure"], fv["budget"]
    ev = st.plotly_chart(fig, key="tr_fit_chart", on_select="rerun", selection_mode=("points", "lasso"))
    ui.chart_model_links(ev, front, key="trends_1")
    ui.chart_downloads(fig, f"fit-frontier-{bench}", key="tr_fit_chart")
    if len(budget):
        wide = budget.pivot(index="family", columns="hardware", values="best_score")[list(hw["name"])].reset_index()
        st.dataframe(wide, hide_index=True, key="tr_budget", width="stretch")
        st.caption("Best score each family reaches within each hardware's total memory (blank = no model of the family "
                   "fits: unknown is not zero). Models without a score on this benchmark are not placed.")
        ui.download_buttons(budget, f"fit-frontier-{bench}", key="tr_budget")


def timeline_tab() -> None:
    """2. release timeline."""
    spot = spotlight()
    tv = ui_data.timeline_view(filters=filters, spotlight=spot)
    tl = tv["timeline"]
    ev = st.plotly_chart(tv["figure"], key="tr_timeline", on_select="rerun", selection_mode="points")
    ui.chart_model_links(ev, tl, key="trends_2")
    if box := ui.lazy_expander("Release dates and gaps (months since the family's previous release)",
                               key="tr_timeline_table_open", param="dates"):
        with box:
            ui.table(tl, links=True, key="tr_timeline_table",
                     column_config={"page": ui.model_link_column(),
                                    "release_date": st.column_config.DateColumn("release date"),
                                    "months_since_previous": st.column_config.NumberColumn("months since previous",
                                                                                           format="%.1f")})


def lag_tab() -> None:
    """3. open weights vs closed: the frontier over time."""
    lag_pool = [label for label, (b, s) in labels.items()
                if b in ("epoch_capabilities_index", "lmarena_text") or b.startswith("livebench_") and ":" not in b]
    lag_default = by_param.get("epoch_capabilities_index:epoch", lag_pool[0] if lag_pool else list(labels)[0])
    ui.bind_param("tr_lag_y", "lag_y", lag_default, parse=lambda raw: by_param[ui.choice_parser(by_param, "score")(raw)],
                  serialize=param_of.get)
    ui.param_notices()
    lag_choice = st.selectbox("Benchmark (Epoch Capabilities Index, LMArena, LiveBench releases)", lag_pool or list(labels),
                              key="tr_lag_y")
    lb, ls = labels[lag_choice]
    ov = ui_data.open_closed_view(filters=filters, benchmark=lb, source=ls)
    oc, lag, summ = ov["frontier"], ov["lag"], ov["summary"]
    ev = st.plotly_chart(ov["figure"], key="tr_open_closed",
                         on_select="rerun", selection_mode="points")
    ui.chart_model_links(ev, oc, key="trends_3")
    m1, m2, m3 = st.columns(3)
    m1.metric("Median lag (months)", f"{summ['median_lag_months']:.1f}" if summ["median_lag_months"] is not None else "unknown")
    m2.metric("Closed records matched by open weights", f"{summ['matched']} of {summ['closed_records']}")
    m3.metric("Models (open / closed)", f"{summ['open_models']} / {summ['closed_models']}")
    st.caption(trends.LAG_METHOD)
    st.dataframe(lag, hide_index=True, key="tr_lag_table", width="stretch",
                 column_config={"lag_months": st.column_config.NumberColumn("lag (months)", format="%.1f"),
                                "waiting_months": st.column_config.NumberColumn("not matched yet, waiting (months)",
                                                                                format="%.1f"),
                                "closed_release": st.column_config.DateColumn("closed release"),
                                "open_release": st.column_config.DateColumn("open release")})


def claims_tab() -> None:
    """4. head-to-head claims: does "A beats B" hold?"""
    st.caption(headtohead.__doc__.split("\n\n")[1].replace("\n", " "))
    h2h = ui_data.h2h_view()
    if h2h["claims"].empty:
        st.info("No vendor table lists a competitor's score.")
    else:
        c1, c2 = st.columns(2)
        ui.bind_param("tr_claimant", "claimant", [], parse=ui.list_parser(h2h["claimants"], "claimant"),
                      serialize=",".join)
        ui.bind_param("tr_verdict", "verdict", ["holds", "does not hold"],
                      parse=ui.list_parser(headtohead.VERDICTS, "verdict"), serialize=",".join)
        ui.param_notices()
        pick = c1.multiselect("Claimed by", h2h["claimants"], key="tr_claimant", placeholder="every vendor")
        verdicts = c2.multiselect("Verdict", list(headtohead.VERDICTS), key="tr_verdict")
        hv = ui_data.h2h_view(claimants=tuple(sorted(pick))) if pick else h2h
        view = hv["claims"]
        st.dataframe(hv["summary"], hide_index=True, key="tr_h2h_summary")
        ev = st.plotly_chart(hv["figure"], key="tr_h2h_chart", on_select="rerun", selection_mode="points")
        ui.chart_model_links(ev, view, key="trends_4", id_col="a_id", name_col="a")
        shown = view[view["verdict"].isin(verdicts)] if verdicts else view
        cols = ["verdict", "claimant", "label", "a", "a_claimed", "b", "b_claimed", "claimed_margin", "evidence",
                "independent_source", "a_independent", "b_independent", "independent_margin", "a_as_of", "b_as_of",
                "table", "claim_url", "independent_url", "a_id", "b_id"]
        ui.table(shown[cols], key="tr_h2h_table", width="stretch",
                 column_config={"claim_url": st.column_config.LinkColumn("claim source"),
                                "independent_url": st.column_config.LinkColumn("independent source"),
                                "a": "A (claimant's model)", "b": "B (competitor)"})
        ui.download_buttons(shown[cols], "head-to-head", key="tr_h2h_table")


# one tab's content runs per render (ui.lazy_tabs): the page draws one chart, not four
tabs = ui.lazy_tabs(SECTIONS, key="tr_section", param="section")
for value, draw in (("budget", budget_tab), ("timeline", timeline_tab), ("lag", lag_tab), ("claims", claims_tab)):
    if box := tabs[value]:
        with box:
            draw()
ui.snapshot_caption()
ui.share_link()
