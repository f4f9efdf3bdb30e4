"""Shared UI pieces for the pages: page list and navigation, cached data access, sidebar filters.

Caches are keyed on ``db_token()`` so a newly published database is picked up on the next rerun.
URL paths equal the page file stems, so links work whether Streamlit routes through
``st.navigation`` (app.py) or through its legacy scan of ``pages/``.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from landscape import queries
from landscape.db import DatabaseMissing, db_token
from landscape.filters import WEIGHTS, Filters, from_query_params
from landscape.tiers import TIER_NAMES


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str

    @property
    def url_path(self) -> str:
        return self.path.rsplit("/", 1)[1].removesuffix(".py")


PAGES = [
    PageSpec("pages/landscape.py", "Landscape", ":material/scatter_plot:"),
    PageSpec("pages/data_quality.py", "Data quality", ":material/fact_check:"),
]


def page_setup(title: str) -> None:
    """Every page starts here: wide layout, our sidebar navigation, the page title."""
    st.set_page_config(page_title=f"{title} · Open-Model Landscape", page_icon="🗺️", layout="wide")
    with st.sidebar:
        st.markdown("**Open-Model Landscape**")
        for p in PAGES:
            st.page_link(p.path, label=p.title, icon=p.icon)
        st.divider()
    st.title(title)


def token_or_stop() -> str:
    try:
        return db_token()
    except DatabaseMissing as exc:
        st.error(f"{exc}")
        st.stop()


@st.cache_data(show_spinner=False, max_entries=64)
def cached(token: str, fn_name: str, *args, **kwargs) -> pd.DataFrame | dict:
    """Call ``landscape.queries.<fn_name>``; the db token makes the cache notice a new database."""
    return getattr(queries, fn_name)(*args, **kwargs)


def sidebar_filters() -> Filters:
    token = token_or_stop()
    facets = cached(token, "facet_values")
    if "filters_loaded" not in st.session_state:
        initial, notices = from_query_params(st.query_params, facets["families"], facets["vendors"])
        st.session_state["filters_loaded"] = True
        st.session_state["filter_notices"] = notices
        st.session_state["f_families"] = list(initial.families)
        st.session_state["f_vendors"] = list(initial.vendors)
        st.session_state["f_weights"] = initial.weights
        st.session_state["f_tiers"] = list(initial.tiers)
        st.session_state["f_released"] = initial.released_only
    sb = st.sidebar
    sb.header("Filters")
    for note in st.session_state.get("filter_notices", []):
        sb.warning(note)
    fams = sb.multiselect("Family", facets["families"], key="f_families", placeholder="all families")
    vends = sb.multiselect("Vendor", facets["vendors"], key="f_vendors", placeholder="all vendors")
    weights = sb.radio("Weights", WEIGHTS, key="f_weights", horizontal=True,
                       format_func={"all": "all", "open": "open", "closed": "closed"}.get)
    tiers = sb.multiselect("Size tier (total params)", TIER_NAMES, key="f_tiers", placeholder="all sizes")
    released = sb.checkbox("Released models only", key="f_released")
    f = Filters(families=tuple(fams), vendors=tuple(vends), weights=weights, tiers=tuple(tiers),
                released_only=released)
    return f


def snapshot_caption() -> None:
    token = token_or_stop()
    status = cached(token, "sources_status")
    if len(status):
        latest = status["refreshed_at"].max()
        st.caption(f"Data refreshed {latest:%Y-%m-%d %H:%M} UTC from {len(status)} sources. "
                   "See *Data quality* for per-source dates and gaps.")
