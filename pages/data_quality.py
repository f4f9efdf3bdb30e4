"""Data quality: what each source delivered, when, and which names it could not place."""
import streamlit as st

from ui import (bind_param, cached, choice_parser, download_buttons, page_setup, param_notices, share_link,
                token_or_stop)

page_setup("Data quality")
token = token_or_stop()
status = cached(token, "sources_status")
st.subheader("Sources")
st.dataframe(status, hide_index=True, key="dq_sources",
             column_config={"url": st.column_config.LinkColumn("url")})
download_buttons(status, "sources", key="dq_sources")
failed = status[status["status"].isin(["failed", "partial"])]
for row in failed.itertuples():
    st.warning(f"{row.name}: {row.status} — {row.error or ''}")
st.subheader("Unmatched names")
st.write("Names a source reported that the matcher could not place on a canonical model. "
         "They are never guessed; add a registry alias if one belongs to a known checkpoint.")
um = cached(token, "unmatched")
src_options = ["all"] + sorted(um["source"].unique().tolist())
bind_param("dq_source", "source", "all", parse=choice_parser(src_options, "source"))
src = st.selectbox("Source", src_options, key="dq_source")
param_notices()
shown = um if src == "all" else um[um["source"] == src]
st.dataframe(shown, hide_index=True, key="dq_unmatched")
download_buttons(shown, "unmatched" if src == "all" else f"unmatched-{src}", key="dq_unmatched")
share_link()
