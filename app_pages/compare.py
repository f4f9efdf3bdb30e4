"""Compare: 2-12 models side by side, one column per model, best value per row highlighted."""
import streamlit as st

from landscape import fit

from landscape import compare
import ui
import ui_data
from ui import (InvalidParam, bind_param, bool_parser, bool_serialize, choice_parser, download_buttons, link_notice,
                page_setup, param_notices, share_link, snapshot_caption)

page_setup("Compare models")
st.write("Pick 2-12 models (type any name, repository id or alias) or start from a preset. "
         "Unknown values say *unknown*; the best value of a row is highlighted where higher or lower "
         "is meaningfully better.")

choices = ui_data.model_choices()
labels = dict(zip(choices["model_id"], choices["label"]))


def parse_models(raw: list[str]) -> list[str]:
    ids, problems = ui_data.models_from_link(raw=raw)
    if not ids:  # one notice for the parameter, naming what was wrong
        raise InvalidParam("; ".join(["no known model", *problems]))
    for p in problems:
        link_notice(f"'models' in the link: {p}")
    return ids


with st.container(horizontal=True, vertical_alignment="center", gap="small"):
    st.caption("Presets:")
    for p in compare.PRESETS.values():
        st.button(p.title, key=f"preset_{p.key}", help=f"Rule: {p.rule}", on_click=ui.set_state,
                  args=("cmp_models", ui_data.preset_models, p.key))

bind_param("cmp_models", "models", [], parse=parse_models, serialize=",".join)
selected = ui.models_picker("Models", labels, key="cmp_models", max_selections=compare.MAX_MODELS,
                            placeholder="type a name, id or alias")
bind_param("cmp_diff", "diff", False, parse=bool_parser, serialize=bool_serialize)
only_diff = st.toggle("Only rows where the models differ", key="cmp_diff")
param_notices()

if len(selected) < compare.MIN_MODELS:
    st.info("Pick at least two models, or click a preset.")
    share_link()
    st.stop()

opts = compare.CompareOptions()
# deployment settings for the fit rows, kept in the link like every widget
hw, fmts = fit.hardware_presets(), fit.quant_formats()
c1, c2, c3 = st.columns([2, 1, 1])
bind_param("cmp_hw", "hw", opts.hardware, parse=choice_parser(hw, "hardware"))
hw_id = c1.selectbox("Hardware", list(hw), key="cmp_hw", format_func={h: v.name for h, v in hw.items()}.get)
bind_param("cmp_fmt", "format", opts.fmt, parse=choice_parser(fmts, "format"))
fmt = c2.selectbox("Weight format", list(fmts), key="cmp_fmt")
bind_param("cmp_ctx", "context", opts.context, parse=choice_parser(["8K", "32K", "128K", "max"], "context"))
ctx = c3.selectbox("Context", ["8K", "32K", "128K", "max"], key="cmp_ctx",
                   help="'max' = each model's advertised context")
opts = compare.CompareOptions(fmt=fmt, context=ctx, hardware=hw_id)
param_notices()
view = ui_data.compare_view(model_ids=list(selected), opts=opts, only_diff=bool(only_diff))
long, notes, table, mask, shown, model_cols = (view[k] for k in ("long", "notes", "table", "best", "shown", "model_cols"))
styled = shown.style.apply(
    lambda col: ["background-color: rgba(46,160,67,0.28); font-weight: bold" if b else "" for b in mask[col.name]]
    if col.name in model_cols else [""] * len(col), axis=0)
styled = styled.apply(lambda col: ["color: #888" if v == "unknown" else "" for v in col]
                      if col.name in model_cols else [""] * len(col), axis=0)
st.dataframe(styled, hide_index=True, key="compare_table", height=min(38 + 35 * len(shown), 1200),
             column_config={"group": st.column_config.TextColumn("group", pinned=True, width="small"),
                            "attribute": st.column_config.TextColumn("attribute", pinned=True, width="large"),
                            "unit": st.column_config.TextColumn("unit", width="small"),
                            "better": st.column_config.TextColumn("better", width="small",
                                                                  help="which direction is better; the best "
                                                                       "known value is highlighted")})
ui.model_page_links(dict(zip(long["model_id"], long["model"])))
for n in notes:
    st.caption(n)
download_buttons(table, "compare", notes=notes, key="compare_wide", label="This table")
if box := ui.lazy_expander("Where each number comes from (one row per model and attribute)", key="compare_provenance_open",
                           param="provenance"):
    with box:
        ui.table(view["provenance"], links=True, key="compare_provenance",
                 column_config={"source_url": st.column_config.LinkColumn("source URL"), "page": ui.model_link_column()})
        download_buttons(long, "compare-long", notes=notes, key="compare_long", label="With provenance per value")
snapshot_caption()
share_link()
