"""Data quality: what each source delivered, when, and which names it could not place."""
import streamlit as st

from landscape import refresh_status
from landscape.db import db_path
import ui
import ui_data
from ui import bind_param, choice_parser, download_buttons, literal, page_setup, param_notices, share_link

page_setup("Data quality")
_round = refresh_status.notice(refresh_status.read(db_path()))  # scheduled refresh / snapshot sync (a file)
if _round:
    {"error": st.error, "warning": st.warning, "info": st.info}[_round.level](_round.text + (f" Reason: {literal(_round.error)}" if _round.error else ""))
status = ui_data.sources_with_badges()
st.subheader("Sources")
st.caption("Per source: rows loaded, names matched / not matched to a registry model, the as-of date of its "
           "newest number and when it was fetched. Badges: *frozen* = archived upstream, no new data will come; "
           "*stale* = its newest number was over 180 days old when fetched.")
st.dataframe(status, hide_index=True, key="dq_sources",
             column_config={"url": st.column_config.LinkColumn("url"),
                            "badge": st.column_config.TextColumn("badge", help="frozen / stale / failed / partial / ok")})
for row in status[status["frozen"]].itertuples():
    st.info(f"{row.name}: frozen — the upstream is archived (newest data {row.as_of:%Y-%m-%d}); shown for "
            "reference, it will not change.", icon=":material/ac_unit:")
download_buttons(status, "sources", key="dq_sources")
failed = status[status["status"].isin(["failed", "partial"])]
for row in failed.itertuples():
    st.warning(f"{row.name}: {row.status} — {literal(row.error or '')}")
st.subheader("Unmatched names")
st.write("Names a source reported that the matcher could not place on a canonical model, each with the reason "
         "it was not placed. They are never guessed; add a registry alias if one belongs to a known checkpoint.")
um = ui_data.unmatched()
src_options = ["all"] + sorted(um["source"].unique().tolist())
bind_param("dq_source", "source", "all", parse=choice_parser(src_options, "source"))
src = st.selectbox("Source", src_options, key="dq_source")
param_notices()
shown = um if src == "all" else um[um["source"] == src]
st.dataframe(ui_data.unmatched_by_reason(source=None if src == "all" else src), hide_index=True, key="dq_reasons")
reasons = ["all"] + sorted(shown["reason"].unique().tolist())
reason = st.selectbox("Reason", reasons, key="dq_reason",
                      help="why a name could not be placed (rules in etl/unmatched_reasons.py; README: Unmatched reasons)")
shown = shown if reason == "all" else shown[shown["reason"] == reason]
ui.table(shown, key="dq_unmatched")
download_buttons(shown, "unmatched" if src == "all" else f"unmatched-{src}", key="dq_unmatched")
st.subheader("Quarantined rows")
st.write("Rows a source delivered that broke its declared upstream contract (a renamed column, a number that is "
         "not a number) or failed validation (a percent above 100, a CI that misses its value, an implausible "
         "date, an exact duplicate). They are kept out of every chart and table; the raw row is shown as delivered.")
quarantined = ui_data.quarantine()
if quarantined.empty:
    st.caption("No rows quarantined.")
else:
    st.dataframe(quarantined.groupby(["source", "stage"]).size().reset_index(name="rows"), hide_index=True,
                 key="dq_quarantine_counts")
    st.dataframe(quarantined, hide_index=True, key="dq_quarantine")
share_link()
