"""Landscape: a third-party score against model size, for every family at once."""
import streamlit as st

import ui
from landscape import charts, evals, queries, reasoning
from ui import (bind_param, bool_parser, bool_serialize, cached, chart_downloads, choice_parser, download_buttons, page_setup, param_notices,
                share_link, sidebar_filters, snapshot_caption, token_or_stop)

page_setup("Open-model landscape")
st.write("How good is each model for its size? Independent scores only; vendor claims live on the Evals page.")

filters = sidebar_filters()
token = token_or_stop()
options = cached(token, "score_options")
if options.empty:
    st.info("No independent scores are loaded yet. Run `python -m etl refresh` to fetch them.")
    st.stop()
labels = {f"{queries.benchmark_label(r.benchmark)} — {r.source} ({r.models} models)": (r.benchmark, r.source)
          for r in options.itertuples()}
by_param = {f"{b}:{s}": label for label, (b, s) in labels.items()}
bind_param("y_metric", "y", list(labels)[0], parse=lambda raw: by_param[choice_parser(by_param, "score")(raw)],
           serialize=lambda label: "{}:{}".format(*labels[label]))
choice = st.selectbox("Score (y-axis)", list(labels), key="y_metric")
param_notices()
benchmark, source = labels[choice]
points = cached(token, "landscape_points", filters, benchmark, source)
from landscape import fit as _fit  # noqa: E402  "fits my hardware" filter (Deployment fit page has the details)
_hw = _fit.hardware_presets()
bind_param("fits_hw", "fits", "any", parse=choice_parser(["any"] + list(_hw), "hardware"))
fits_hw = st.selectbox("Fits my hardware (GGUF Q4_K_M, 32K context, llama.cpp)", ["any"] + list(_hw), key="fits_hw",
                       format_func=lambda h: "any hardware" if h == "any" else _hw[h].name)
if fits_hw != "any":
    _fits = cached(token, "fit.fit_table", filters, fits_hw, None, "Q4_K_M", "32K", "bf16", "llama.cpp")
    _ok = set(_fits.loc[_fits["status"].isin(["fits", "tight"]), "model_id"])
    st.caption(f"Showing models whose estimated memory fits {_hw[fits_hw].name} (see Deployment fit for the breakdown).")
    points = points[points["model_id"].isin(_ok)]

points = reasoning.attach(points)
_facets = cached(token, "facet_values")
c_spot, c_reason = st.columns(2)
bind_param("spotlight", "spotlight", "Llama 4" if "Llama 4" in _facets["families"] else "",
           parse=choice_parser([""] + _facets["families"], "family"))
spot = c_spot.selectbox("Spotlight family (labelled; others fade)", [""] + _facets["families"], key="spotlight",
                        format_func=lambda f: f or "none")
bind_param("reasoning", "reasoning", [], parse=ui.list_parser(reasoning.CHOICES, "reasoning"), serialize=",".join)
reason = c_reason.multiselect("Reasoning", list(reasoning.CHOICES), key="reasoning", placeholder="any",
                              help="no = no thinking mode; always = thinks before every answer; hybrid = one model "
                                   "with both modes (data/reasoning.csv, a source per model)")
points = reasoning.keep(points, reason)
param_notices()
bind_param("pareto", "pareto", False, parse=bool_parser, serialize=bool_serialize)
frontier = st.toggle("Pareto frontier (best score per size)", key="pareto",
                     help="Step line through the models that no smaller-or-equal model beats on this score")
fig = charts.landscape_scatter(points, queries.benchmark_label(benchmark))
if frontier:
    evals.add_frontier(fig, points)
charts.spotlight(fig, points, spot)
event = st.plotly_chart(fig, key="landscape_chart", on_select="rerun", selection_mode=("points", "lasso"))
ui.chart_model_links(event, dict(zip(points["model_id"], points["name"])))
chart_downloads(fig, f"landscape-{benchmark}", key="landscape_chart")
missing = reasoning.keep(reasoning.attach(cached(token, "models", filters)), reason)
no_score = missing[~missing["model_id"].isin(points["model_id"])]
st.caption(f"{len(points)} models with a score on this benchmark; {len(no_score)} filtered models have none "
           "from this source and are not plotted (unknown is not zero).")
cols = ["name", "family", "tier", "total_params_b", "active_params_b", "open_weights", "licence_id",
        "score", "unit", "ci_low", "ci_high", "votes", "setting", "source", "as_of", "source_url", "reasoning",
        "reasoning_source_url"]
st.dataframe(ui.with_model_links(points[cols + ["model_id"]]), hide_index=True, key="landscape_table",
             column_config={"source_url": st.column_config.LinkColumn("source URL"), "page": ui.model_link_column(),
                            "reasoning_source_url": st.column_config.LinkColumn("reasoning source"),
                            "total_params_b": st.column_config.NumberColumn("total params (B)"),
                            "active_params_b": st.column_config.NumberColumn("active params (B)")})
download_buttons(points[cols], f"landscape-{benchmark}", key="landscape_table",
                 notes=[f"score: {queries.benchmark_label(benchmark)} from {source}; latest independent result per "
                        "model, best setting on that date"])
if len(no_score):
    with st.expander(f"Models without a score on this benchmark ({len(no_score)})"):
        st.dataframe(ui.with_model_links(no_score[["name", "family", "tier", "total_params_b", "model_id"]]),
                     hide_index=True, column_config={"page": ui.model_link_column()})
snapshot_caption()
share_link()
