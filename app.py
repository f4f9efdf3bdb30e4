"""Open-Model Landscape: entry point. Pages live in app_pages/; all logic lives in landscape/."""
import streamlit as st

import ui
from landscape import heap
from ui import PAGES

st.set_page_config(page_title="Open-Model Landscape", page_icon="🗺️", layout="wide")
pages = [st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path) for p in PAGES]


def _home() -> None:
    """``/``: open the first page at its own URL (``/landscape``), keeping the link's parameters.
    Streamlit serves the default page only at ``/``, so a first page marked default would answer
    its own path (every shared ``/landscape?...`` link) with a "Page not found" dialog."""
    st.switch_page(pages[0], query_params={k: st.query_params.get_all(k) for k in st.query_params})


nav = st.navigation([st.Page(_home, title="Home", url_path="home", default=True, visibility="hidden"), *pages],
                    position="sidebar")
try:
    with ui.render_slot():  # at most ui.RENDER_SLOTS sessions render at once
        nav.run()
finally:  # a run's messages (figure JSON, Arrow tables) are freed once sent: hand them back after a burst
    heap.release_soon()
