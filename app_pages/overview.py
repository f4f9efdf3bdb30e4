"""Landscape: a third-party score against model size, for every family at once."""
import streamlit as st

import ui
from landscape import fit, legible, queries, reasoning
from landscape.db import isin
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
                       format_func={"any": "any hardware", **{h: p.name for h, p in hw.items()}}.get)
points = ui_data.landscape_points(filters=filters, benchmark=benchmark, source=source,
                                  fits_hardware=None if fits_hw == "any" else fits_hw)
if fits_hw != "any":
    st.caption(f"Showing models whose estimated memory fits {hw[fits_hw].name} (see Deployment fit for the breakdown).")

points = reasoning.attach(points)
_facets = ui_data.facet_values()
c_spot, c_reason = st.columns(2)
bind_param("spotlight", "spotlight", "Llama 4" if "Llama 4" in _facets["families"] else "",
           parse=choice_parser([""] + _facets["families"], "family"))
spot = c_spot.selectbox("Spotlight family (labelled; others fade)", [""] + _facets["families"], key="spotlight",
                        format_func=ui.or_none)
bind_param("reasoning", "reasoning", [], parse=ui.list_parser(reasoning.CHOICES, "reasoning"), serialize=",".join)
reason = c_reason.multiselect("Reasoning", list(reasoning.CHOICES), key="reasoning", placeholder="any",
                              help="no = no thinking mode; always = thinks before every answer; hybrid = one model "
                                   "with both modes (data/reasoning.csv, a source per model)")
points = reasoning.keep(points, reason)
bind_param("pareto", "pareto", False, parse=bool_parser, serialize=bool_serialize)
frontier = st.toggle("Pareto frontier (best score per size)", key="pareto",
                     help="Step line through the models that no smaller-or-equal model beats on this score")
c1, c2, c3 = st.columns(3)  # legible with 30+ families (landscape/legible.py)
bind_param("colour_by", "colour", "auto", parse=choice_parser(list(legible.COLOUR_BY), "colour"))
colour_by = c1.selectbox("Colour by", list(legible.COLOUR_BY), key="colour_by",
                         help=f"auto = vendor when more than {legible.AUTO_VENDOR_ABOVE} families are shown")
fams = ["none"] + sorted(points["family"].unique().tolist())
bind_param("highlight", "highlight", "none", parse=choice_parser(fams, "family"))
highlight = c2.selectbox("Highlight a family", fams, key="highlight")
bind_param("release_window", "released", "any", parse=choice_parser(list(legible.RELEASE_WINDOWS), "release window"))
window = c3.selectbox("Released", list(legible.RELEASE_WINDOWS), key="release_window")
param_notices()  # 'fits' and 'pareto' from the link
points = legible.in_release_window(points, window, ui_data.reference_day())
fig = ui_data.landscape_figure(df=points, y_label=queries.benchmark_label(benchmark), colour_by=colour_by,
                               highlight=None if highlight == "none" else highlight, frontier=frontier,
                               spotlight=spot or None)
event = st.plotly_chart(fig, key="landscape_chart", on_select="rerun", selection_mode=("points", "lasso"))
ui.chart_model_links(event, points, key="overview_1")
chart_downloads(fig, f"landscape-{benchmark}", key="landscape_chart")
missing = reasoning.keep(reasoning.attach(ui_data.models(filters=filters)), reason)
no_score = missing[~isin(missing["model_id"], points["model_id"])]
st.caption(f"{len(points)} models with a score on this benchmark; {len(no_score)} filtered models have none "
           "from this source and are not plotted (unknown is not zero).")
cols = ["name", "family", "facts", "release_date", "tier", "total_params_b", "active_params_b", "open_weights", "licence_id",
        "score", "unit", "ci_low", "ci_high", "votes", "setting", "source", "as_of", "source_url", "reasoning",
        "reasoning_source_url"]
# the tables open on request: drawn beside the chart they would double the first paint's work
if box := ui.lazy_expander("Table of the plotted models (score, source, date, licence)",
                           key="landscape_table_open", param="table"):
    with box:
        ui.table(points[cols + ["model_id"]], links=True, key="landscape_table",
                 column_config={"source_url": st.column_config.LinkColumn("source URL"), "page": ui.model_link_column(),
                                "reasoning_source_url": st.column_config.LinkColumn("reasoning source"),
                                "total_params_b": st.column_config.NumberColumn("total params (B)"),
                                "active_params_b": st.column_config.NumberColumn("active params (B)")})
download_buttons(points[cols], f"landscape-{benchmark}", key="landscape_table",
                 notes=[f"score: {queries.benchmark_label(benchmark)} from {source}; latest independent result per "
                        "model, best setting on that date"])
if len(no_score) and (box := ui.lazy_expander("Models without a score on this benchmark",
                                               key="landscape_no_score_open", param="unscored")):
    with box:
        ui.table(no_score[["name", "family", "tier", "total_params_b", "model_id"]], links=True,
                 key="landscape_no_score", column_config={"page": ui.model_link_column()})
snapshot_caption()
share_link()
