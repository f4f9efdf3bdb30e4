"""Deployment fit: which models run on my hardware, with what memory breakdown and speed (estimates)."""
from __future__ import annotations

import streamlit as st

import ui
import ui_data
from landscape import fit

ui.page_setup("Deployment fit")
filters = ui.sidebar_filters()

presets = fit.hardware_presets()
formats = fit.quant_formats()
HW_OPTIONS = list(presets) + ["custom"]
CONTEXTS = ["8K", "32K", "128K", "max"]

st.caption("Will it run, and how fast? Every number here is an **estimate** from the model's architecture "
           "(config.json / MaxText / curated), the chosen format's effective bits per weight and the runtime's "
           "overheads. Memory in GiB (2^30 bytes); bandwidth in GB/s. Assumptions are listed under the table.")

ui.bind_param("fit_hw", "hw", "rtx4090", parse=ui.choice_parser(HW_OPTIONS, "hardware"))
ui.bind_param("fit_custom_gib", "gib", 24.0, parse=ui.float_parser(1.0, 4096.0), serialize=lambda v: f"{v:g}")
ui.bind_param("fit_runtime", "runtime", list(fit.RUNTIMES)[0], parse=ui.choice_parser(list(fit.RUNTIMES), "runtime"))
ui.bind_param("fit_quant", "format", "Q4_K_M", parse=ui.choice_parser(list(formats), "format"))
ui.bind_param("fit_context", "context", "32K", parse=ui.choice_parser(CONTEXTS, "context"))
ui.bind_param("fit_kv", "kv", list(fit.KV_DTYPES)[0], parse=ui.choice_parser(list(fit.KV_DTYPES), "KV dtype"))
ui.bind_param("fit_seqs", "seqs", 1, parse=ui.int_parser(1, 256))
ui.bind_param("fit_show", "show", "fits or tight", parse=ui.choice_parser(["fits or tight", "all models"], "view"))
ui.param_notices()

c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
hw_id = c1.selectbox("Hardware", HW_OPTIONS, key="fit_hw",
                     format_func={"custom": "Custom memory budget", **{h: p.name for h, p in presets.items()}}.get)
custom_gib = custom_bw = custom_tflops = None
if hw_id == "custom":
    custom_gib = c2.number_input("Memory per device (GiB)", min_value=1.0, max_value=4096.0,
                                 step=1.0, key="fit_custom_gib")
    custom_bw = c2.number_input("Bandwidth per device (GB/s, 0 = unknown)", min_value=0.0, max_value=100000.0,
                                step=100.0, key="fit_custom_bw") or None
    custom_tflops = c2.number_input("Dense BF16 TFLOPs per device (0 = unknown)", min_value=0.0, max_value=100000.0,
                                    step=10.0, key="fit_custom_tflops") or None
    default_gpus = 1
else:
    default_gpus = presets[hw_id].devices
gpus = c3.number_input("Devices (GPUs)", min_value=1, max_value=64, value=default_gpus, step=1, key=f"fit_gpus_{hw_id}")
runtime = c4.selectbox("Runtime", list(fit.RUNTIMES), key="fit_runtime")

d1, d2, d3, d4 = st.columns([2, 1, 1, 1])
quant = d1.selectbox("Weight format", list(formats), key="fit_quant",
                     format_func={q: f"{f.label} ({f.bits_per_weight:g} bpw)" for q, f in formats.items()}.get)
context = d2.selectbox("Context", CONTEXTS, key="fit_context",
                       help="'max' = each model's advertised context (an explicit choice, never the default)")
kv_dtype = d3.selectbox("KV cache dtype", list(fit.KV_DTYPES), key="fit_kv")
seqs = d4.number_input("Concurrent sequences", min_value=1, max_value=256, step=1, key="fit_seqs")
show = st.radio("Show", ["fits or tight", "all models"], horizontal=True, key="fit_show")

try:
    table = ui_data.fit_table(filters=filters, hardware=hw_id, gpus=int(gpus), quant=quant, context=context,
                              kv_dtype=kv_dtype, runtime=runtime, seqs=int(seqs), custom_gib=custom_gib,
                              custom_bandwidth_gbs=custom_bw, custom_tflops=custom_tflops)
except ValueError as exc:
    st.error(str(exc))
    st.stop()

open_rows = table[~table["status"].isin(["api_only", "unreleased"])]
n_fit = int(table["status"].isin(["fits", "tight"]).sum())
hw_name = presets[hw_id].name if hw_id != "custom" else f"custom {custom_gib:g} GiB"
m1, m2, m3 = st.columns(3)
m1.metric("Models that fit", f"{n_fit} of {len(open_rows)}")
usable = open_rows["usable_gib"].dropna()
m2.metric("Usable memory", f"{usable.iloc[0]:.1f} GiB" if len(usable) else "unknown")
m3.metric("Setup", f"{int(gpus)}x {hw_id}", help=hw_name)

view = table if show == "all models" else table[table["status"].isin(["fits", "tight"])]
if view.empty:
    st.info("No model fits this setup. Try a smaller format, a shorter context or more devices.")
else:
    fig = ui_data.memory_breakdown(fit_rows=view, usable_gib=float(usable.iloc[0]) if len(usable) else None)
    st.plotly_chart(fig, width="stretch", key="fit_chart")

cols = ["name", "verdict", "deployment_class", "total_params_b", "active_params_b", "weights_gib", "kv_cache_gib",
        "overhead_gib", "total_gib", "total_gib_low", "total_gib_high", "spare_gib", "max_context", "max_context_low",
        "decode_tokens_per_s", "decode_tokens_per_s_low", "decode_tokens_per_s_high", "attention", "estimate_basis",
        "family", "licence_id", "model_id"]
ui.table(view[cols], links=True, width="stretch", key="fit_table",
             column_config={
                 "page": ui.model_link_column(),
                 "weights_gib": st.column_config.NumberColumn("weights (GiB)", format="%.1f"),
                 "kv_cache_gib": st.column_config.NumberColumn("KV cache (GiB)", format="%.2f"),
                 "overhead_gib": st.column_config.NumberColumn("overhead (GiB)", format="%.2f"),
                 "total_gib": st.column_config.NumberColumn("total (GiB)", format="%.1f"),
                 "total_gib_low": st.column_config.NumberColumn("total p10", format="%.1f",
                                                                help="low end of the measured error range (p10)"),
                 "total_gib_high": st.column_config.NumberColumn("total p90", format="%.1f",
                                                                 help="high end of the measured error range (p90)"),
                 "spare_gib": st.column_config.NumberColumn("spare (GiB)", format="%.1f"),
                 "max_context": st.column_config.NumberColumn("longest context (tokens)", format="%d",
                                                              help="empty when not even one token fits"),
                 "max_context_low": st.column_config.NumberColumn("longest context if memory is at p90", format="%d"),
                 "decode_tokens_per_s": st.column_config.NumberColumn("decode tok/s (est.)", format="%.0f",
                                                                      help="none when the model does not fit"),
                 "decode_tokens_per_s_low": st.column_config.NumberColumn("decode p10", format="%.0f"),
                 "decode_tokens_per_s_high": st.column_config.NumberColumn("decode p90", format="%.0f"),
                 "deployment_class": st.column_config.TextColumn("class", help=fit.DEPLOYMENT_CLASS_NOTE),
             })
ui.download_buttons(view, "deployment-fit", key="fit_table")
st.caption(fit.DEPLOYMENT_CLASS_NOTE + ". Unknown = no architecture known: only weights are estimated. "
           "p10-p90 = the range measured/estimated fell in on held-out published measurements "
           "(bench/fit_validation.py); 'tight: may not fit' = the high end exceeds usable memory. "
           "A model that does not fit has no speed; the longest context is empty when not even one token fits.")

with st.expander("Assumptions behind these estimates"):
    first = open_rows[open_rows["estimate_basis"] == "architecture"]
    sample = (first if len(first) else open_rows).head(1)
    for a in (sample["assumptions"].iloc[0] if len(sample) else []):
        st.markdown(f"- {a}")
    st.markdown(f"- formats: {', '.join(f'{q} {f.bits_per_weight:g} bpw' for q, f in formats.items())} "
                "(sources in data/quant_formats.csv)")

st.subheader("Claims audit")
st.caption("Vendor deployment claims recomputed with vLLM defaults (0.9 memory utilisation, BF16 KV cache, "
           "1 sequence). A claim holds at a context if weights + KV + overhead fit.")
claims = ui_data.audit_claims()
for c in claims:
    with st.container(border=True):
        ok = c["holds"]
        st.markdown(f"**{c['claim']}** — {c['claimant']}")
        st.caption(c["source_url"])
        if ok:
            st.success(f"Holds at 8K context ({c['verdict_8k']}); holds up to "
                       f"{c['max_context']:,} tokens with a BF16 KV cache, "
                       f"{c['max_context_fp8_kv']:,} with FP8 KV. Weights {c['weights_gib']:.1f} GiB of "
                       f"{c['usable_gib']:.0f} GiB usable.")
        else:
            alt = c.get("alternative")
            extra = (f" On {alt['hardware']}: {alt['verdict_8k']}"
                     + (f", up to {alt['max_context']:,} tokens." if alt and alt["max_context"] else ".")) if alt else ""
            st.error(f"Does not hold with these defaults: {c['verdict_8k']} (weights alone "
                     f"{c['weights_gib']:.1f} GiB).{extra}")
        st.caption(f"Same model in BF16 on that hardware: {c['bf16_verdict_8k']}. "
                   f"KV cache {c['kv_bytes_per_token'] or 0:,.0f} bytes per token of context (full-attention layers).")

ui.share_link()
