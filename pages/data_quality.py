"""Data quality: what each source delivered, when, and which names it could not place."""
import streamlit as st

from ui import cached, page_setup, token_or_stop

page_setup("Data quality")
token = token_or_stop()
status = cached(token, "sources_status")
st.subheader("Sources")
st.dataframe(status, hide_index=True, key="dq_sources",
             column_config={"url": st.column_config.LinkColumn("url")})
failed = status[status["status"].isin(["failed", "partial"])]
for row in failed.itertuples():
    st.warning(f"{row.name}: {row.status} — {row.error or ''}")
st.subheader("Unmatched names")
st.write("Names a source reported that the matcher could not place on a canonical model. "
         "They are never guessed; add a registry alias if one belongs to a known checkpoint.")
um = cached(token, "unmatched")
src = st.selectbox("Source", ["all"] + sorted(um["source"].unique().tolist()), key="dq_source")
st.dataframe(um if src == "all" else um[um["source"] == src], hide_index=True, key="dq_unmatched")
