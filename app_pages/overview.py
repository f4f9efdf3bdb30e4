"""Landscape: a third-party score against model size, for every family at once."""
import streamlit as st

from landscape import evals, fit, queries
import ui_data
from ui import (bind_param, bool_parser, bool_serialize, chart_downloads, choice_parser, download_buttons, page_setup,
                param_notices, score_picker, share_link, sidebar_filters, snapshot_caption)

page_setup("Open-model landscape")
st.write("How good is each model for its size? Independent scores only; vendor claims live on the Evals page.")

filters = sidebar_filters()
options = ui_data.score_options()
if options.empty:
    st.info("No independent scores are loaded yet. Run `python -m etl refresh` to fetch them.")
    st.stop()
benchmark, source = score_picker("Score (y-axis)", "y_metric", "y", options)
hw = fit.hardware_presets()
bind_param("fits_hw", "fits", "any", parse=choice_parser(["any"] + list(hw), "hardware"))
fits_hw = st.selectbox(f"Fits my hardware ({queries.FITS_SETUP_LABEL})", ["any"] + list(hw), key="fits_hw",
                       format_func=lambda h: "any hardware" if h == "any" else hw[h].name)
points = ui_data.landscape_points(filters=filters, benchmark=benchmark, source=source,
                                  fits_hardware=None if fits_hw == "any" else fits_hw)
if fits_hw != "any":
    st.caption(f"Showing models whose estimated memory fits {hw[fits_hw].name} (see Deployment fit for the breakdown).")

bind_param("pareto", "pareto", False, parse=bool_parser, serialize=bool_serialize)
frontier = st.toggle("Pareto frontier (best score per size)", key="pareto",
                     help="Step line through the models that no smaller-or-equal model beats on this score")
param_notices()  # 'fits' and 'pareto' from the link
fig = ui_data.landscape_scatter(df=points, y_label=queries.benchmark_label(benchmark))
if frontier:
    evals.add_frontier(fig, points)
st.plotly_chart(fig, key="landscape_chart")
chart_downloads(fig, f"landscape-{benchmark}", key="landscape_chart")
missing = ui_data.models(filters=filters)
no_score = missing[~missing["model_id"].isin(points["model_id"])]
st.caption(f"{len(points)} models with a score on this benchmark; {len(no_score)} filtered models have none "
           "from this source and are not plotted (unknown is not zero).")
cols = ["name", "family", "tier", "total_params_b", "active_params_b", "open_weights", "licence_id",
        "score", "unit", "ci_low", "ci_high", "votes", "setting", "source", "as_of", "source_url"]
st.dataframe(points[cols], hide_index=True, key="landscape_table",
             column_config={"source_url": st.column_config.LinkColumn("source URL"),
                            "total_params_b": st.column_config.NumberColumn("total params (B)"),
                            "active_params_b": st.column_config.NumberColumn("active params (B)")})
download_buttons(points[cols], f"landscape-{benchmark}", key="landscape_table",
                 notes=[f"score: {queries.benchmark_label(benchmark)} from {source}; latest independent result per "
                        "model, best setting on that date"])
if len(no_score):
    with st.expander(f"Models without a score on this benchmark ({len(no_score)})"):
        st.dataframe(no_score[["name", "family", "tier", "total_params_b"]], hide_index=True)
snapshot_caption()
share_link()
