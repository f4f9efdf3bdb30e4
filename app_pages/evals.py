"""Evals: leaderboards per benchmark and source, vendor claims beside independent results."""
import streamlit as st

from landscape import legible
from landscape.evals import (REPORTED_BY_CHOICES, benchmark_label, benchmarks_for_sources, claims_by_reporter,
                             unreleased_warnings)
import ui
import ui_data
from ui import page_setup, sidebar_filters, snapshot_caption, download_buttons

page_setup("Evals")
st.write("Third-party results per benchmark, with their source, setting and as-of date. Benchmarks keep "
         "their version or release in the name (LiveBench releases use different questions and are never "
         "compared with each other). Vendor claims are shown only where you ask for them, hatched.")

filters = sidebar_filters()

for text in unreleased_warnings(ui_data.unreleased_headlines()):
    st.warning(text, icon=":material/warning:")

tab_board, tab_claims = st.tabs(["Leaderboards", "Claimed vs independent"])

with tab_board:
    opts = ui_data.eval_options()
    if opts.empty:
        st.info("No scores are loaded yet. Run `python -m etl refresh` to fetch them.")
    else:
        sources = sorted(opts["source"].unique().tolist())
        independent = [s for s in sources if not opts.loc[opts["source"] == s, "vendor_claimed"].any()]
        ui.bind_param("ev_sources", "sources", independent, parse=ui.list_parser(sources, "source"),
                      serialize=",".join)
        chosen_sources = st.multiselect("Sources", sources, key="ev_sources",
                                        help="vendor_claims holds vendor-reported numbers: add it to see them")
        by_bench = benchmarks_for_sources(opts, chosen_sources)
        names = {f"{r.label} [{r.benchmark}] ({r.models} models)": r.benchmark for r in by_bench.itertuples()}
        default = [k for k, b in names.items() if b in ("lmarena_text", "aider_polyglot")][:2]
        label_of = {b: k for k, b in names.items()}  # the link carries benchmark ids, not display labels
        ui.bind_param("ev_benchmarks", "benchmarks", default,
                      parse=lambda raw: [label_of[b] for b in ui.list_parser(label_of, "benchmark")(raw)],
                      serialize=lambda labels: ",".join(names[x] for x in labels if x in names))
        picked = st.multiselect("Benchmarks", list(names), key="ev_benchmarks",
                                placeholder="choose one or more benchmarks")
        c1, c2 = st.columns(2)
        ui.bind_param("ev_history", "history", False, parse=ui.bool_parser, serialize=ui.bool_serialize)
        ui.bind_param("ev_top", "top", 30, parse=ui.int_parser(10, 80))
        fams = ["none"] + list(ui_data.facet_values()["families"])
        ui.bind_param("ev_colour", "bar_colour", "auto", parse=ui.choice_parser(list(legible.COLOUR_BY), "colour"))
        ui.bind_param("ev_highlight", "bar_highlight", "none", parse=ui.choice_parser(fams, "family"))
        ui.bind_param("ev_released", "bar_released", "any",
                      parse=ui.choice_parser(list(legible.RELEASE_WINDOWS), "release window"))
        ui.param_notices()
        history = c1.checkbox("Include older dated results (history)", key="ev_history",
                              help="e.g. LMArena snapshots: experimental Maverick at 1417 on 2025-04-06")
        top = c2.slider("Bars per chart", 10, 80, key="ev_top")
        c3, c4, c5 = st.columns(3)  # legible with 30+ families (landscape/legible.py)
        colour_by = c3.selectbox("Colour by", list(legible.COLOUR_BY), key="ev_colour",
                                 help=f"auto = vendor when more than {legible.AUTO_VENDOR_ABOVE} families are shown")
        highlight = c4.selectbox("Highlight a family", fams, key="ev_highlight")
        window = c5.selectbox("Released", list(legible.RELEASE_WINDOWS), key="ev_released")
        if not picked:
            st.info("Choose at least one benchmark.")
        for label in picked:
            bench = names[label]
            lv = ui_data.leaderboard_view(benchmark=bench, sources=tuple(chosen_sources), filters=filters,
                                          history=history, window=window, top=top, colour_by=colour_by,
                                          highlight=None if highlight == "none" else highlight)
            board = lv["board"]
            st.subheader(benchmark_label(bench))
            if board.empty:
                st.info("No model passing the filters has a score here.")
                continue
            latest = board["as_of"].max()
            units = ", ".join(sorted(board["unit"].unique()))
            st.caption(f"{len(board)} results for {board['model_id'].nunique()} models · unit: {units} · "
                       f"newest as-of {latest:%Y-%m-%d}" + (" · includes vendor claims (hatched)"
                                                             if board["vendor_claimed"].any() else ""))
            if bench.startswith("livebench_"):
                st.caption("LiveBench: category = mean of its tasks, global = mean of categories (the site's "
                           "method). Only comparable within this release.")
            ev = st.plotly_chart(lv["figure"], key=f"ev_chart_{bench}", on_select="rerun", selection_mode="points")
            ui.chart_model_links(ev, board, key=f"ev_{bench}")
            cols = ["name", "family", "value", "unit", "ci_low", "ci_high", "votes", "setting", "source",
                    "vendor_claimed", "reported_by", "raw_name", "as_of", "source_url"]
            ui.table(board[cols + ["model_id"]], links=True, key=f"ev_table_{bench}",
                         column_config={"source_url": st.column_config.LinkColumn("source URL"),
                                        "page": ui.model_link_column(),
                                        "as_of": st.column_config.DateColumn("as of")})
            download_buttons(board[cols], f"leaderboard-{bench}", key=f"ev_table_{bench}")
        removed = ui_data.removed_rows()
        if len(removed) and (box := ui.lazy_expander("Rows removed upstream, kept from an older captured version",
                                                      key="ev_removed_open", param="removed")):
            with box:
                st.write(f"{len(removed)} row{'' if len(removed) == 1 else 's'}. LiveBench later edited the "
                         "2025-05-30 table and removed Llama 4 Maverick. We keep the older captured row (setting "
                         "*removed from later version of this table*) instead of silently losing it.")
                ui.table(removed, key="ev_removed",
                         column_config={"source_url": st.column_config.LinkColumn("source URL")})

with tab_claims:
    st.write("Each vendor-claimed score beside the best independent result for the same model: on the same "
             "benchmark (with the gap, claim minus independent, when units agree), else on the closest named "
             "benchmark (context only, no gap), else flagged unverified. Independent tables re-keyed by Epoch "
             "can themselves quote vendor reports: check *independent_setting* for the original source.")
    claims = ui_data.claims_vs_independent(filters=filters)
    if claims.empty:
        st.info("No vendor claims for the filtered models.")
    else:
        c1, c2, c3 = st.columns(3)
        models = sorted(claims["name"].unique().tolist())
        if len(models) <= ui.PICKER_MAX:
            pick = c1.multiselect("Models", models, key="cl_models", placeholder="all models") or None
        else:  # thousands of names in a multiselect weigh on every session: a name filter instead
            needle = c1.text_input("Models (name contains)", key="cl_models_find", placeholder="all models")
            pick = [m for m in models if needle.strip().lower() in m.lower()] if needle.strip() else None
            if pick == []:
                c1.caption(f"No model name contains '{ui.md_escape(needle.strip()[:60])}'")
        show = c2.radio("Show", ["all", "verified", "unverified"], horizontal=True, key="cl_show")
        who = c3.radio("Reported by", list(REPORTED_BY_CHOICES), horizontal=True, key="cl_who",
                       help="the model's own developer (\"Meta says Maverick scores X\") or another vendor "
                            "scoring a competitor in its own report (\"Qwen says Maverick scores X\")")
        view = claims_by_reporter(claims[claims["name"].isin(pick)] if pick is not None else claims, who)
        if show != "all":
            view = view[view["verified"] == (show == "verified")]
        n_un = int((~claims["verified"]).sum())
        by = claims["reported_by"].value_counts()
        st.caption(f"{len(claims)} claims · {len(claims) - n_un} with an independent result · "
                   f"{n_un} unverified · by the model's developer {int(by.get('developer', 0))}, "
                   f"by another vendor {int(by.get('other vendor', 0))}, unknown {int(by.get('unknown', 0))}")
        gaps = view[view["gap"].notna()]
        if len(gaps):
            st.metric("Median gap where the same benchmark was measured independently",
                      f"{gaps['gap'].median():+.1f}")
        ui.table(view, links=True, key="cl_table",
                     column_config={"claim_url": st.column_config.LinkColumn("claim source"),
                                    "page": ui.model_link_column(),
                                    "independent_url": st.column_config.LinkColumn("independent source"),
                                    "verified": st.column_config.CheckboxColumn("independent result?")})
snapshot_caption()

ui.share_link()
