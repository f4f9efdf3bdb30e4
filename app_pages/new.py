"""New: models first seen since the previous refresh or released in the last N days, with what is known."""
import streamlit as st

from landscape.new_models import DISCOVERED_BADGE
import ui
import ui_data
from ui import (bind_param, bool_parser, bool_serialize, choice_parser, download_buttons, page_setup, param_notices,
                share_link)

page_setup("New models")
DAYS = {"7 days": 7, "30 days": 30, "90 days": 90, "180 days": 180, "365 days": 365, "2 years": 730}
bind_param("new_days", "days", "365 days", parse=choice_parser(list(DAYS), "days"))
window = st.selectbox("First seen or released within", list(DAYS), key="new_days")
bind_param("new_since_prev", "since_prev", False, parse=bool_parser, serialize=bool_serialize)
since_prev = st.toggle("Only models added by the latest refresh", key="new_since_prev")
param_notices()
df = ui_data.new_model_list(days=DAYS[window], since_previous_refresh=since_prev)
st.caption(f"{len(df)} models. *facts* = `{DISCOVERED_BADGE}` where the registry entry was created from a catalogue "
           "(facts not curated); scores follow as soon as a leaderboard lists the model.")
ui.table(df, key="new_table",
             column_config={"source_url": st.column_config.LinkColumn("source URL"),
                            "release_date": st.column_config.DateColumn("released"),
                            "first_seen": st.column_config.DateColumn("first seen"),
                            "facts": st.column_config.TextColumn("facts", help="curated or discovered")})
download_buttons(df, "new-models", key="new_table")
share_link()
