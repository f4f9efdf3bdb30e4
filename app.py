"""Open-Model Landscape: entry point. Pages live in app_pages/; all logic lives in landscape/."""
import streamlit as st

from ui import PAGES

st.set_page_config(page_title="Open-Model Landscape", page_icon="🗺️", layout="wide")
nav = st.navigation([st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=(i == 0))
                     for i, p in enumerate(PAGES)], position="sidebar")
nav.run()
