"""Model page (/model?id=<model_id>): everything about one model, every number with its source."""
import streamlit as st

import ui
import ui_data
from landscape import model_page

ui.page_setup("Model page")
labels = ui_data.model_labels()
if not labels:
    st.info("The registry is empty. Run `python -m etl build` first.")
    st.stop()
default = "meta-llama/Llama-4-Maverick-17B-128E-Instruct" if "meta-llama/Llama-4-Maverick-17B-128E-Instruct" in labels else next(iter(labels))
ui.bind_param("mp_model", "id", default, parse=ui.choice_parser(labels, "model"), keep_default=True)
ui.param_notices()
mid = ui.model_picker("Model", labels, key="mp_model", help="The link in the sidebar's Share box opens this model's page")
rep: model_page.ModelReport = ui_data.model_report(model_id=mid)
m = rep.model
UNKNOWN = "unknown"


def table(df, key: str, empty: str, **cfg) -> None:
    if df is None or df.empty:
        st.write(f"{empty}: **unknown**")
        return
    config = {"source_url": st.column_config.LinkColumn("source URL"), **cfg}
    st.dataframe(model_page.text_table(df, UNKNOWN), hide_index=True, key=key, column_config=config, width="stretch")


esc = ui.md_escape
st.markdown(f"### {esc(m['name'])}")
st.caption(f"{ui.literal(m['model_id'])} · {esc(m.get('family') or UNKNOWN)} · {esc(m.get('vendor') or UNKNOWN)} · "
           f"released {str(m['release_date'])[:10] if m.get('release_date') is not None else UNKNOWN}")
c1, c2 = st.columns([1, 1])
ui.page_link("app_pages/compare.py", "Compare with peers", {"models": ",".join(rep.compare_ids)}, container=c1,
             icon=":material/compare_arrows:",
             help="Opens Compare with this model and its nearest peers (same size tier, released within ~6 months)")
c1.caption("Peers: " + (", ".join(esc(n) for n in rep.peers["name"]) if len(rep.peers)
                        else "none found (unknown release date or tier)"))
with c2:
    from landscape import scorecard  # noqa: E402  (the launch scorecard of this model)
    fmt = st.radio("Scorecard format", ["md", "html"], horizontal=True, key="mp_sc_fmt",
                   format_func={"md": "Markdown", "html": "HTML"}.get)
    st.download_button("Download launch scorecard", data=ui.deferred(scorecard.render, mid, None, fmt),
                       file_name=scorecard.file_name(mid, fmt), mime=scorecard.MIME[fmt], key="mp_scorecard",
                       on_click="ignore", icon=":material/download:")

st.subheader("Identity and lineage")
table(rep.identity, "mp_identity", "Identity")
if len(rep.variants):
    st.caption("Related checkpoints (same name stem, different model):")
    table(model_page.with_page_links(rep.variants), "mp_variants", "Related checkpoints",
          page=st.column_config.LinkColumn("page", display_text="open"))

st.caption("Quantised or re-packaged copies (found by discovery; never scored as this model):")
table(rep.derivatives, "mp_derivatives", "Derivatives", downloads=st.column_config.NumberColumn("downloads", format="%d"))

st.subheader("Size and architecture")
table(rep.size, "mp_size", "Size")

st.subheader("Evals (independent)")
if rep.evals.empty:
    st.write("No independent result recorded: **unknown** (not zero).")
else:
    only_latest = st.toggle("Latest result per benchmark and source only", value=True, key="mp_latest")
    ev = rep.evals[rep.evals["headline"]] if only_latest else rep.evals
    table(ev[["label", "value", "unit", "ci_low", "ci_high", "votes", "rank_in_tier", "setting", "source", "as_of",
              "raw_name", "source_url", "benchmark"]], "mp_evals", "Evals",
          as_of=st.column_config.DateColumn("as of"),
          rank_in_tier=st.column_config.TextColumn("rank in tier", help=model_page.__doc__.split("Ranks: ")[1][:300]))
if len(rep.variant_scores):
    st.warning("Scores of related **unreleased** variants, listed apart: they describe a different checkpoint "
               "than the weights of this model.", icon=":material/warning:")
    table(rep.variant_scores.drop(columns=["model_id", "benchmark"]), "mp_variant_scores", "Variant scores",
          as_of=st.column_config.DateColumn("as of"))

st.subheader("Vendor claims beside independent results")
table(rep.claims.drop(columns=["name", "family", "model_id"]) if len(rep.claims) else rep.claims, "mp_claims",
      "No vendor claim recorded for this model",
      claim_url=st.column_config.LinkColumn("claim source"),
      independent_url=st.column_config.LinkColumn("independent source"),
      verified=st.column_config.CheckboxColumn("independent result?"))
if len(rep.claims):
    st.caption("gap = claim minus the best independent result on the same benchmark in the same unit; a "
               "closest-benchmark number is context, not a check. reported_by = who published the number "
               "(vendors also report competitors' scores).")

st.subheader("Deployment (estimates)")
dep = rep.deployment.copy()
if dep.empty:
    st.write("Deployment: **unknown**")
else:
    table(dep, "mp_deploy", "Deployment",
          memory_gib=st.column_config.NumberColumn("memory (GiB)", format="%.1f"),
          memory_gib_low=st.column_config.NumberColumn("memory p10", format="%.1f"),
          memory_gib_high=st.column_config.NumberColumn("memory p90", format="%.1f"),
          decode_tokens_per_s_low=st.column_config.NumberColumn("tok/s p10", format="%.0f"),
          decode_tokens_per_s_high=st.column_config.NumberColumn("tok/s p90", format="%.0f"),
          weights_gib=st.column_config.NumberColumn("weights (GiB)", format="%.1f"),
          kv_cache_gib=st.column_config.NumberColumn("KV cache (GiB)", format="%.2f"),
          usable_gib=st.column_config.NumberColumn("usable (GiB)", format="%.1f"),
          decode_tokens_per_s=st.column_config.NumberColumn("decode tok/s (est.)", format="%.0f"),
          max_context=st.column_config.NumberColumn("longest context there", format="%d"))
    st.caption(model_page.DEPLOY_NOTE + " p10-p90 = the range the fit's errors on measured rows give "
               "(bench/fit_validation.py). Blank numbers are unknown; a model that does not fit has no speed.")
st.markdown("**Longest context per hardware** (estimate, up to the advertised context)")
table(rep.context_hw.drop(columns=["hardware_id"]) if len(rep.context_hw) else rep.context_hw, "mp_ctx_hw",
      "Longest context")

st.subheader("Context: advertised vs served vs feasible")
table(rep.context, "mp_context", "Context", tokens=st.column_config.NumberColumn("tokens", format="%d"))

st.subheader("Licence")
st.caption("Summaries of licence terms to help you find the right clause; not legal advice.")
table(rep.licence.drop(columns=["use_case"]) if len(rep.licence) else rep.licence, "mp_licence",
      "Licence answers")
if rep.licence_facts:
    f = rep.licence_facts
    st.caption(f"{esc(f.get('name') or UNKNOWN)} · primary text read: {esc(f.get('primary_text_read') or UNKNOWN)}")
    if str(f.get("source_url") or "").startswith("https://"):
        st.link_button("Licence text", f["source_url"], icon=":material/gavel:")

st.subheader("Providers")
table(rep.providers, "mp_providers", "No provider offering recorded",
      context_window=st.column_config.NumberColumn("served context", format="%d"),
      input_usd_per_mtok=st.column_config.NumberColumn("input $/1M"),
      output_usd_per_mtok=st.column_config.NumberColumn("output $/1M"))

st.subheader("Sources and as-of")
table(rep.sources, "mp_sources", "Sources")
for n in rep.notes:
    st.caption(n)
ui.snapshot_caption()
ui.share_link()
