"""Context & providers: the context a vendor advertises against what each provider serves,
the cheapest provider per model, and price against an independent score."""

import streamlit as st

from landscape import fit, queries
from landscape.numbers import whole_number
from landscape.offer_queries import BLEND_NOTE
import ui
import ui_data
from ui import page_setup, sidebar_filters, snapshot_caption, download_buttons

page_setup("Context & providers")
st.write("Vendors advertise a context window; hosts often serve less (Llama 4 Scout: 10M advertised, "
         "128K at several hosts). Provider figures come from the LiteLLM catalogue and the OpenRouter API, "
         "each with its as-of date; a provider that lists no context is shown as not listed, not as zero.")

filters = sidebar_filters()
summary = ui_data.context_summary(filters=filters)
if summary.empty:
    st.info("No model matches the filters. Widen them in the sidebar.")
    st.stop()

# the hardware column comes from the deployment-fit model (landscape/fit/)
hw_max, hw_label = {}, ""
with st.expander("Longest context on your hardware (estimate)", expanded=False):
    presets = fit.hardware_presets()
    c1, c2, c3 = st.columns(3)
    hw = c1.selectbox("Hardware", list(presets), index=list(presets).index("h100") if "h100" in presets else 0,
                      format_func={k: p.name for k, p in presets.items()}.get, key="ctx_hw")
    gpus = c2.number_input("Devices", min_value=1, max_value=64, value=int(presets[hw].devices), key="ctx_gpus")
    formats = list(fit.quant_formats())
    quant = c3.selectbox("Weights format", formats, index=formats.index("Q4_K_M") if "Q4_K_M" in formats else 0,
                         key="ctx_quant")
    try:
        fitdf = ui_data.fit_table(filters=filters, hardware=hw, gpus=int(gpus), quant=quant, context="max",
                                  columns=("model_id", "max_context"))
        hw_max = fitdf.dropna(subset=["max_context"]).set_index("model_id")["max_context"].to_dict()
        hw_label = f"{presets[hw].name} x{int(gpus)}, {quant}"
        st.caption(f"Deployment-fit estimate from `landscape.fit` for {hw_label}: the longest context whose "
                   "weights + KV cache + runtime overhead fit in memory. An estimate, with the assumptions "
                   "listed on the Fit page. Empty = does not fit this hardware at any context (never 0).")
    except Exception as exc:  # an estimate that cannot be made must not take the page down
        st.warning(f"Deployment-fit estimate unavailable: {ui.literal(f'{type(exc).__name__}: {exc}')}")

st.subheader("Advertised vs served, per model")
with_offers = summary[summary["offerings"].notna()]
choices = dict(zip(with_offers["model_id"], with_offers["name"] + " (" + with_offers["family"] + ")"))
if choices:
    scout = "meta-llama/Llama-4-Scout-17B-16E-Instruct"
    ui.bind_param("ctx_model", "model", scout if scout in choices else next(iter(choices)),
                  parse=ui.choice_parser(choices, "model"))
    ui.param_notices()
    pick = ui.model_picker("Model", choices, key="ctx_model")
    row = summary[summary["model_id"] == pick].iloc[0]
    mo = ui_data.offerings(filters=filters, model_id=pick)
    adv = whole_number(row["context_claimed"]) or None  # unknown (or 0) is drawn as "not advertised"
    st.plotly_chart(ui_data.served_vs_advertised(offers=mo, advertised=adv, model_name=row["name"],
                                                 hardware_max=hw_max.get(pick), hardware_label=hw_label),
                    key="ctx_chart")
    st.dataframe(mo[["provider", "via", "variant", "quantisation", "context_window", "served_share", "max_output",
                     "input_usd_per_mtok", "output_usd_per_mtok", "blended_usd_per_mtok", "note", "source", "as_of",
                     "source_url", "raw_name"]],
                 hide_index=True, key="ctx_offers", width="stretch",
                 column_config={"source_url": st.column_config.LinkColumn("source URL"),
                                "served_share": st.column_config.NumberColumn("share of advertised", format="percent"),
                                "context_window": st.column_config.NumberColumn("served context", format="%d"),
                                "input_usd_per_mtok": st.column_config.NumberColumn("input $/1M"),
                                "output_usd_per_mtok": st.column_config.NumberColumn("output $/1M"),
                                "blended_usd_per_mtok": st.column_config.NumberColumn("blended $/1M")})
else:
    st.info("No provider offering is recorded for the filtered models.")

st.subheader("All filtered models: context and cheapest provider")
cols = ["name", "model_id", "family", "context_claimed", "served_min", "served_max", "providers", "cheapest_provider",
        "cheapest_blended", "cheapest_input", "cheapest_output", "cheapest_context", "cheapest_source",
        "cheapest_as_of", "cheapest_source_url"]
table = summary[cols].copy()
cfg = {"cheapest_source_url": st.column_config.LinkColumn("source URL"), "page": ui.model_link_column(),
       "context_claimed": st.column_config.NumberColumn("advertised", format="%d"),
       "served_min": st.column_config.NumberColumn("served min", format="%d"),
       "served_max": st.column_config.NumberColumn("served max", format="%d"),
       "cheapest_blended": st.column_config.NumberColumn("cheapest blended $/1M")}
if hw_max:
    table.insert(6, "fits_hardware", summary["model_id"].map(hw_max))
    cfg["fits_hardware"] = st.column_config.NumberColumn(f"longest context on {hw_label} (est.)", format="%d")
ui.table(table, links=True, key="ctx_summary", width="stretch", column_config=cfg)
download_buttons(table, "context-summary", key="ctx_summary")
st.caption(BLEND_NOTE + ". Cheapest = lowest blended price among offerings listing both prices; "
           "free tiers (price 0) are not counted as cheapest.")

st.subheader("Price vs score")
options = ui_data.score_options()
if options.empty:
    st.info("No independent scores are loaded.")
else:
    bench, src = ui.score_picker("Score (independent only)", "ctx_metric", "score", options)
    pts = ui_data.price_vs_score(filters=filters, benchmark=bench, source=src)
    st.plotly_chart(ui_data.price_score_scatter(df=pts, y_label=queries.benchmark_label(bench)), key="ctx_price_chart")
    st.caption(f"{len(pts)} models with both a listed price and a score; the others are left out, not zero-filled.")
snapshot_caption()

ui.share_link()
