"""Shared UI pieces for the pages: page list and navigation, sidebar filters, shareable links, downloads.

Data comes from ``ui_data`` (the core's functions cached per database version).
``app.py`` routes with ``st.navigation`` over ``PAGES``; the page scripts live in ``app_pages/`` (not
``pages/``, so Streamlit never scans them itself, and no script is named like a package it would shadow).
"""
from __future__ import annotations

import functools
import hashlib
import os
import re
import threading
import weakref
from contextlib import contextmanager
from dataclasses import dataclass, fields
from typing import Any, Callable
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

import ui_data
from landscape import export, queries
from landscape.filters import WEIGHTS, Filters, from_query_params, to_query_params
from landscape.tiers import TIER_NAMES
from landscape.licences import NOT_ADVICE, USE_CASES


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    url: str = ""  # URL path when it differs from the file stem

    @property
    def url_path(self) -> str:
        return self.url or self.path.rsplit("/", 1)[1].removesuffix(".py")


PAGES = [
    PageSpec("app_pages/overview.py", "Landscape", ":material/scatter_plot:", url="landscape"),
    PageSpec("app_pages/evals.py", "Evals", ":material/leaderboard:"),
    PageSpec("app_pages/compare.py", "Compare", ":material/compare_arrows:"),
    PageSpec("app_pages/deployment_fit.py", "Deployment fit", ":material/memory:"),
    PageSpec("app_pages/licences.py", "Licences", ":material/gavel:"),
    PageSpec("app_pages/context.py", "Context & providers", ":material/dns:"),
    PageSpec("app_pages/data_quality.py", "Data quality", ":material/fact_check:"),
    PageSpec("app_pages/new.py", "New", ":material/new_releases:"),
    PageSpec("app_pages/model.py", "Model page", ":material/info:"),
    PageSpec("app_pages/trends.py", "Frontiers & claims", ":material/timeline:"),
]


def _render_slots() -> int:
    """``LANDSCAPE_RENDERS``: page renders that may run at once (default: this process's CPUs, at least 2)."""
    raw = os.environ.get("LANDSCAPE_RENDERS") or str(max(2, len(os.sched_getaffinity(0))
                                                       if hasattr(os, "sched_getaffinity") else os.cpu_count() or 2))
    try:
        n = int(raw)
    except ValueError:
        raise ValueError(f"LANDSCAPE_RENDERS must be a whole number of renders, not {raw!r}") from None
    if n < 1:
        raise ValueError(f"LANDSCAPE_RENDERS must be at least 1, not {n}")
    return n


RENDER_SLOTS = _render_slots()
_RENDERS = threading.BoundedSemaphore(RENDER_SLOTS)


@contextmanager
def render_slot():
    """Hold one of ``RENDER_SLOTS`` while a page script runs (``app.py`` wraps every run in it).
    Streamlit runs each session's script on its own thread, and the scripts share one interpreter
    lock: ten sessions rendering at once take no less time than ten in turn on two cores, but every
    render's transient data (figure JSON, Arrow tables, their messages) is alive at the same moment.
    At most ``RENDER_SLOTS`` run; the others wait their turn (bench/README.md, "tenth pass": ten
    sessions at the issue's size peaked ~35 MB lower with two slots). A render waiting for another
    session's computation (``ui_data``'s memo) waits for a render that holds a slot, so waits end."""
    with _RENDERS:
        yield


def page_setup(title: str) -> None:
    """Every page starts here: wide layout, the page title (app.py's st.navigation draws the menu)."""
    st.set_page_config(page_title=f"{title} · Open-Model Landscape", page_icon="🗺️", layout="wide")
    if "_filters" in st.session_state:  # shared filters stay in the URL on every page
        _write_filter_params(st.session_state["_filters"])
    st.session_state["_qp_page"] = title
    for param, owner in st.session_state.get("_qp_owner", {}).items():
        if owner != title and param in st.query_params:  # another page's widgets: not in this page's link
            del st.query_params[param]
    st.title(title)


def literal(text) -> str:
    """Upstream text (error messages quoting remote content, names) as inline code inside a
    Markdown-rendering element (st.warning, st.caption...): shown literally, never as formatting."""
    return "`" + str(text).replace("`", "'").replace("\n", " ") + "`"


# Widget key of each Filters field: "f_<field>" by convention (a new field is covered by adding its
# widget with that key); only the original "released_only" checkbox is keyed differently.
FILTER_WIDGET_KEYS = {"released_only": "f_released"}


def filter_widget_key(field_name: str) -> str:
    return FILTER_WIDGET_KEYS.get(field_name, f"f_{field_name}")


def _widget_value(v):
    return list(v) if isinstance(v, tuple) else v


def sidebar_filters() -> Filters:
    """The shared sidebar filters. Initial values come from the URL once per session (invalid
    values are dropped with a notice); afterwards the current filters are written back to the
    URL on every run (see ``share_link``) and kept in the session across page switches."""
    facets = ui_data.facet_values()
    if "filters_loaded" not in st.session_state:
        initial, notices = from_query_params(st.query_params, facets["families"], facets["vendors"])
        st.session_state["filters_loaded"] = True
        st.session_state["filter_notices"] = notices
        st.session_state["_filters"] = initial
    stored: Filters = st.session_state.get("_filters", Filters())
    for fl in fields(Filters):  # re-seed widgets Streamlit dropped while another page was shown
        key = filter_widget_key(fl.name)
        if key not in st.session_state:
            st.session_state[key] = _widget_value(getattr(stored, fl.name))
    sb = st.sidebar
    sb.header("Filters")
    for note in st.session_state.get("filter_notices", []):
        sb.warning(note)
    sb.multiselect("Family", facets["families"], key="f_families", placeholder="all families")
    sb.multiselect("Vendor", facets["vendors"], key="f_vendors", placeholder="all vendors")
    sb.radio("Weights", WEIGHTS, key="f_weights", horizontal=True,
             format_func={"all": "all", "open": "open", "closed": "closed"}.get)
    sb.multiselect("Size tier (total params)", TIER_NAMES, key="f_tiers", placeholder="all sizes")
    sb.checkbox("Released models only", key="f_released")
    sb.selectbox("Licence use case", ("",) + tuple(USE_CASES), key="f_use_case", help=NOT_ADVICE,
                 format_func=lambda k: USE_CASES.get(k, "any (no licence filter)"))
    if st.session_state.get("f_use_case") == "mau":
        sb.number_input("Monthly active users (N)", min_value=0, max_value=10**12, step=1_000_000, key="f_mau")
    if st.session_state.get("f_use_case"):
        sb.checkbox("Only clear \"yes\" (hide conditional)", key="f_use_strict")
    return current_filters()


def current_filters() -> Filters:
    """Filters from the widgets' session state (fields without a widget keep their URL value),
    remembered for other pages and written to the URL."""
    stored: Filters = st.session_state.get("_filters", Filters())
    kw = {}
    for fl in fields(Filters):
        v = st.session_state.get(filter_widget_key(fl.name), getattr(stored, fl.name))
        kw[fl.name] = tuple(v) if isinstance(v, list) else v
    f = Filters(**kw)
    st.session_state["_filters"] = f
    _write_filter_params(f)
    return f


def _write_filter_params(f: Filters) -> None:
    params = to_query_params(f)
    for fl in fields(Filters):
        if fl.name in params:
            if st.query_params.get(fl.name) != params[fl.name]:
                st.query_params[fl.name] = params[fl.name]
        elif fl.name in st.query_params:
            del st.query_params[fl.name]


def snapshot_caption() -> None:
    status = ui_data.sources_status()
    if len(status):
        latest = status["refreshed_at"].max()
        st.caption(f"Data refreshed {latest:%Y-%m-%d %H:%M} UTC from {len(status)} sources. "
                   "See *Data quality* for per-source dates and gaps.")


# ---------------------------------------------------------------- shareable URL state

class InvalidParam(ValueError):
    """Raised by a ``bind_param`` parser; the message is shown to the user as a notice."""


def bind_param(key: str, param: str, default: Any, parse: Callable[[list[str]], Any],
               serialize: Callable[[Any], str | list[str]] = str, keep_default: bool = False) -> Any:
    """Bind the widget ``key`` to the URL query parameter ``param``. Call it right before the
    widget (which must not pass its own default value). First time in a session the value comes
    from the URL (``parse`` gets the raw values — a list, repeated keys allowed — and returns the
    value or raises ``InvalidParam``/``ValueError``: then the default is used and a notice shown);
    afterwards the widget's state, kept across page switches, is written back to the URL (the
    default too with ``keep_default``, e.g. the Model page's ``id``). A link into the page whose
    value differs from what the page last wrote (st.page_link with query_params) wins over the
    session's value. Returns the current value."""
    seen = st.session_state.setdefault("_qp_seen", set())
    store = st.session_state.setdefault("_qp_store", {})
    st.session_state.setdefault("_qp_owner", {})[param] = st.session_state.get("_qp_page")
    raw = st.query_params.get_all(param)
    if param in seen and raw and raw != _encoded_list(serialize, store.get(param, default), default, keep_default):
        # the URL no longer holds what this page last wrote: a link into the page (st.page_link with
        # query_params, browser back/forward) carries a new value, which wins over the session's
        seen.discard(param)
    if param not in seen:
        seen.add(param)
        value = default
        if raw:
            try:
                if sum(len(r) for r in raw) > 4000:
                    raise InvalidParam("value too long")
                value = parse(raw)
            except (InvalidParam, ValueError, TypeError, KeyError) as exc:
                link_notice(f"ignored '{param[:40]}' in the link: {str(exc)[:160] or 'invalid value'}")
                value = default
        st.session_state[key] = value
        store[param] = value
    elif key not in st.session_state:
        st.session_state[key] = store.get(param, default)
    value = st.session_state[key]
    store[param] = value
    encoded = serialize(value) if value != default or keep_default else None
    if encoded in (None, "", []):
        if param in st.query_params:
            del st.query_params[param]
    elif (st.query_params.get_all(param) if isinstance(encoded, list) else st.query_params.get(param)) != encoded:
        st.query_params[param] = encoded
    return value


def link_notice(text: str) -> None:
    """Queue a notice about the shared link (shown by the page's next ``param_notices()``)."""
    st.session_state.setdefault("_qp_notices", []).append(text)


def _encoded_list(serialize, value, default, keep_default: bool = False) -> list[str]:
    """What ``bind_param`` writes to the URL for ``value`` (nothing for the default), as a list."""
    if value == default and not keep_default:
        return []
    enc = serialize(value)
    return list(enc) if isinstance(enc, list) else ([enc] if enc not in (None, "") else [])


def param_notices() -> None:
    """Show (once) what a shared link contained that could not be used."""
    for note in st.session_state.pop("_qp_notices", []):
        st.warning(note, icon=":material/link_off:")


def choice_parser(options, label: str = "value") -> Callable[[list[str]], Any]:
    allowed = options if isinstance(options, (dict, set, frozenset)) else list(options)  # dict/set: O(1) lookups

    def parse(raw: list[str]):
        v = raw[-1]
        if v not in allowed:
            raise InvalidParam(f"unknown {label} '{v[:40]}'")
        return v
    return parse


def int_parser(lo: int, hi: int) -> Callable[[list[str]], int]:
    def parse(raw: list[str]) -> int:
        try:
            v = int(raw[-1])
        except ValueError:
            raise InvalidParam(f"expected a whole number, got '{raw[-1][:20]}'") from None
        if not lo <= v <= hi:
            raise InvalidParam(f"{v} is outside {lo}-{hi}")
        return v
    return parse


def float_parser(lo: float, hi: float) -> Callable[[list[str]], float]:
    def parse(raw: list[str]) -> float:
        try:
            v = float(raw[-1])
        except ValueError:
            raise InvalidParam(f"expected a number, got '{raw[-1][:20]}'") from None
        if not lo <= v <= hi:
            raise InvalidParam(f"{v:g} is outside {lo:g}-{hi:g}")
        return v
    return parse


def bool_parser(raw: list[str]) -> bool:
    try:
        return {"1": True, "0": False, "true": True, "false": False}[raw[-1].lower()]
    except KeyError:
        raise InvalidParam("expected 0 or 1") from None


def bool_serialize(v: bool) -> str:
    return "1" if v else "0"


def list_parser(options, label: str = "value", limit: int = 50) -> Callable[[list[str]], list]:
    """Comma-separated (or repeated) values, each one of ``options``; unknown ones make the
    whole parameter invalid (so the page falls back to its default and says so)."""
    allowed = list(options)

    def parse(raw: list[str]) -> list:
        vals = [v.strip() for r in raw for v in r.split(",") if v.strip()][:limit]
        bad = [v for v in vals if v not in allowed]
        if bad:
            raise InvalidParam(f"unknown {label} '{bad[0][:40]}'")
        return vals
    return parse


def score_picker(label: str, key: str, param: str, options: pd.DataFrame) -> tuple[str, str]:
    """A selectbox over ``queries.score_options`` rows bound to the link parameter ``param``
    (``<benchmark>:<source>``); returns the chosen (benchmark, source)."""
    choices = queries.score_choices(options)
    labels = list(choices)
    bind_param(key, param, labels[0], parse=lambda raw: queries.parse_score_param(raw[-1], choices),
               serialize=lambda chosen: queries.score_param(*choices[chosen]))
    chosen = st.selectbox(label, labels, key=key)
    param_notices()
    return choices[chosen]


def share_link() -> None:
    """A "copy link" control in the sidebar: this page with every filter and widget in the URL.

    In a popover: its code block is drawn only when opened, so a page's first paint does not load
    and run the browser's syntax highlighter (~0.2 s of main thread before the first chart)."""
    params = [(k, v) for k in st.query_params.keys() for v in st.query_params.get_all(k)]
    base = None
    try:
        base = st.context.url
    except Exception:  # no browser context (AppTest, bare mode)
        base = None
    query = urlencode(params)
    link = f"{base or ''}{'?' + query if query else ''}" or "(this page, no filters)"
    with st.sidebar:
        st.divider()
        with st.popover("Share this view"):
            st.code(link, language=None, wrap_lines=True)
            st.caption("The link restores filters, selections and settings. Copy it with the icon.")


# ---------------------------------------------------------------- downloads

def _export_now(df: pd.DataFrame, fmt: str, name: str, snapshot: dict, notes: tuple, view: tuple) -> bytes:
    meta = export.meta_from_snapshot(name, snapshot, notes, dict(view))
    return export.export_bytes(df, fmt, meta)


def download_buttons(df: pd.DataFrame, name: str, notes=(), key: str | None = None, label: str = "Download") -> None:
    """CSV / XLSX / Parquet / JSON buttons for ``df``, each file carrying the data snapshot id,
    export time, provenance columns, the current view's URL parameters and ``notes``. Files are
    made when clicked."""
    snapshot = ui_data.data_snapshot()
    view = tuple((k, ",".join(st.query_params.get_all(k))) for k in st.query_params.keys())
    key = key or name
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.caption(f"{label} ({len(df)} rows):")
        for fmt in export.FORMATS:
            st.download_button(fmt.upper() if fmt != "parquet" else "Parquet",
                               data=functools.partial(_export_now, df, fmt, name, snapshot, tuple(notes), view),
                               file_name=export.file_name(name, fmt, snapshot.get("snapshot_id")),
                               mime=export.MIME[fmt], key=f"dl_{key}_{fmt}", on_click="ignore",
                               icon=":material/download:", type="tertiary")


_DIGESTS: dict[int, tuple[weakref.ref, str]] = {}


def _figure_digest(fig) -> str:
    """A short digest of a figure's JSON, computed once per figure object (the pages' figures are
    built once per input and never changed; serialising one costs ~50 ms at 100x)."""
    hit = _DIGESTS.get(id(fig))
    if hit is not None and hit[0]() is fig:
        return hit[1]
    digest = hashlib.sha1(fig.to_json().encode()).hexdigest()[:12]
    try:
        ref = weakref.ref(fig, lambda _r, k=id(fig): _DIGESTS.pop(k, None))
    except TypeError:  # not weak-referenceable: not remembered
        return digest
    _DIGESTS[id(fig)] = (ref, digest)
    return digest


def chart_downloads(fig, name: str, key: str | None = None) -> None:
    """SVG/PNG of a chart via kaleido, rendered on request; a clear message when it is not
    possible (the chart toolbar's camera button always saves a PNG)."""
    key = key or name
    digest = _figure_digest(fig)
    cache = st.session_state.setdefault("_chart_images", {})
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.caption("Chart image (the toolbar's camera saves a PNG too):")
        for fmt in ("svg", "png"):
            ck = (key, fmt, digest)
            if ck in cache:
                st.download_button(fmt.upper(), data=cache[ck], file_name=export.file_name(name, fmt),
                                   mime=export.MIME[fmt], key=f"img_{key}_{fmt}", on_click="ignore",
                                   icon=":material/download:", type="tertiary")
            elif st.button(f"Render {fmt.upper()}", key=f"render_{key}_{fmt}", type="tertiary",
                           icon=":material/image:"):
                try:
                    with st.spinner(f"Rendering {fmt.upper()}..."):
                        cache[ck] = export.figure_bytes(fig, fmt)
                    st.rerun()
                except export.StaticExportUnavailable as exc:
                    st.warning(str(exc))


# ---------------------------------------------------------------- links to the Model page

def model_link_column():
    """Column config for the ``page`` column added by ``with_model_links`` (relative ``model?id=...``)."""
    return st.column_config.LinkColumn("model page", display_text="open ↗", width="small",
                                       help="Everything about this model on its own page")


def page_link(page: str, label: str, query: dict[str, str], container=None, **kw) -> None:
    """``st.page_link`` to one of ``PAGES`` with ``query``; when the script runs outside the app's
    navigation (a page alone under AppTest or ``streamlit run app_pages/x.py``), the same link as a
    relative URL in Markdown, so the page still works."""
    from streamlit.errors import StreamlitPageNotFoundError
    where = container or st
    try:
        where.page_link(page, label=label, query_params=query, **kw)
    except StreamlitPageNotFoundError:
        spec = next(p for p in PAGES if p.path == page)
        where.markdown(f"[{md_escape(label)}]({spec.url_path}?{urlencode(query)})", help=kw.get("help"))


def model_page_links(names_by_id: dict[str, str]) -> None:
    """One line of links to the Model pages of ``names_by_id`` (for tables whose models are columns,
    like Compare's). Names are escaped; ids go URL-encoded into relative links."""
    from landscape.model_page import page_url
    if names_by_id:
        st.markdown("Model pages: " + " · ".join(f"[{md_escape(n)}]({page_url(mid)})" for mid, n in names_by_id.items()))


def with_model_links(df: pd.DataFrame, id_col: str = "model_id") -> pd.DataFrame:
    """``df`` with a ``page`` column linking each row's model to its Model page, placed after
    ``name`` when there is one."""
    from landscape.model_page import with_page_links
    out = with_page_links(df, id_col)
    if "name" in out.columns:
        cols = [c for c in out.columns if c != "page"]
        i = cols.index("name") + 1
        out = out[cols[:i] + ["page"] + cols[i:]]
    return out


PICKER_MAX = 500  # options a model picker lists; above that it is a search box
PAGE_ROWS = 500  # rows a table shows at once (a page); the downloads hold every row


def set_state(key: str, compute: Callable[..., Any], *args) -> None:
    """A widget callback: ``st.session_state[key] = compute(*args)``. Callbacks, ``format_func`` and
    lazy ``data`` stay with a session until its next run of the page; one defined in a page
    script (a lambda too) keeps that script's globals, every frame the page made, alive with it,
    so pages pass functions of ``ui``/``ui_data``, partials and ``dict.get`` instead
    (tests/test_contracts.py)."""
    st.session_state[key] = compute(*args)


def deferred(fn: Callable[..., Any], *args) -> Callable[[], Any]:
    """``fn(*args)`` called later (a download's data, made when clicked), holding only its arguments."""
    return functools.partial(fn, *args)


def or_none(value) -> str:
    """``format_func`` of an optional choice: the value, or "none" for ""/None."""
    return value or "none"


def model_matches(labels: dict, query: str) -> list:
    """The ids of ``labels`` (id -> label) whose label or id contains ``query`` (case-insensitive),
    in ``labels``' order; [] for an empty query."""
    q = query.strip().lower()
    if not q:
        return []
    return [m for m, text in labels.items() if q in str(text).lower() or q in str(m).lower()]


def _searched(labels: dict, key: str, keep: list, what: str) -> dict:
    """A picker above ``PICKER_MAX``: its search box (``<key>_find``) and a caption of the matches;
    returns {id: label} of ``keep`` (the current picks, first) and then the first ``PICKER_MAX``
    matches, all a widget may list (it keeps its options, so never the whole dict)."""
    query = st.text_input(f"Find a {what} ({len(labels):,})", key=f"{key}_find",
                          placeholder="part of a name, repository id or alias")
    found = model_matches(labels, query)
    if query.strip():
        if not found:
            st.caption("No model's name, repository id or alias contains that text")
        elif len(found) > PICKER_MAX:
            st.caption(f"{len(found):,} matches, the first {PICKER_MAX:,} listed: type more of the name to narrow them")
        else:
            st.caption(f"{len(found):,} match{'' if len(found) == 1 else 'es'} listed in the picker below")
    kept = set(keep)
    return {m: labels[m] for m in keep + [m for m in found if m not in kept][:PICKER_MAX]}


def model_picker(label: str, labels: dict, key: str, **kwargs):
    """One model of ``labels`` (id -> label), for a widget already bound with ``bind_param``. Up
    to ``PICKER_MAX`` models it is a selectbox of all of them; above that a picker of thousands of
    options weighs on every session (each holds its own copy) and on the browser, so it is a search
    box and a selectbox of the current model and the matches (at most ``PICKER_MAX``). Returns the
    picked id (the session's current one until another is picked)."""
    if len(labels) <= PICKER_MAX:
        return st.selectbox(label, list(labels), format_func=labels.get, key=key, **kwargs)
    current = st.session_state.get(key)
    shown = _searched(labels, key, [current] if current in labels else [], "model")
    if not shown:  # nothing bound and nothing found: the first model, as the short picker would
        first = next(iter(labels))
        shown = {first: labels[first]}
    return st.selectbox(label, list(shown), format_func=shown.get, key=key, **kwargs)


def models_picker(label: str, labels: dict, key: str, **kwargs) -> list:
    """Several models of ``labels`` (a multiselect), the same way as ``model_picker``: above
    ``PICKER_MAX`` a search box and a multiselect of the picked models and the matches."""
    if len(labels) <= PICKER_MAX:
        return st.multiselect(label, list(labels), format_func=lambda m: labels.get(m, m), key=key, **kwargs)
    current = [m for m in (st.session_state.get(key) or []) if m in labels]
    if current != list(st.session_state.get(key) or []):
        st.session_state[key] = current
    shown = _searched(labels, key, current, "model to add")
    return st.multiselect(label, list(shown), format_func=shown.get, key=key, **kwargs)


def lazy_expander(label: str, key: str, param: str | None = None):
    """A collapsed expander whose content runs only while it is open: the container when open,
    else ``None`` (``if (box := lazy_expander(...)): with box: ...``). Opening it reruns the
    script (Streamlit's ``on_change="rerun"``), so a closed one sends nothing to the browser: no
    table for the first paint to parse and lay out beside the chart. With ``param`` the open
    state is part of the shared link (``param=1``). Keep ``label`` the same across reruns (counts
    go in the content): Streamlit identifies the expander by its label too, and a new label would
    close it."""
    if param:
        bind_param(key, param, False, parse=bool_parser, serialize=bool_serialize)
        param_notices()  # a bad value of it, here: the page showed its own notices above
    box = st.expander(label, key=key, on_change="rerun")
    return box if box.open else None


def lazy_tabs(sections: dict[str, str], key: str, param: str) -> dict[str, Any]:
    """Tabs (``sections``: link value -> tab label, the first selected by default) of which only the
    selected one's content runs: ``{value: container or None}`` (``if box := tabs["x"]: with box: ...``).
    Choosing a tab reruns the script (Streamlit's ``on_change="rerun"``), so a page of several
    charts draws one at a time, and the selected tab is part of the shared link (``param=<value>``).
    Keep the labels the same across reruns: Streamlit identifies the tabs by them."""
    values, value_of = list(sections), {label: v for v, label in sections.items()}
    bind_param(key, param, sections[values[0]], parse=lambda raw: sections[choice_parser(values, param)(raw)],
               serialize=value_of.get)
    param_notices()
    tabs = st.tabs(list(sections.values()), key=key, on_change="rerun")
    return {v: (t if t.open else None) for v, t in zip(values, tabs)}


def table(df: pd.DataFrame, key: str, links: bool = False, page_rows: int | None = None, **kwargs) -> None:
    """``st.dataframe`` of ``df`` (with Model page links when ``links``), a page of ``page_rows`` rows
    at a time when it is longer: nobody reads 100,000 rows one by one, and sending them costs every
    rerun seconds. A page number picks the page (rows in the order given); a sort by clicking a
    column header sorts the page shown."""
    n, page_rows = len(df), page_rows or PAGE_ROWS
    if n > page_rows:
        pages = -(-n // page_rows)
        c1, c2 = st.columns([1, 4], vertical_alignment="bottom")
        page = int(c1.number_input("Page", min_value=1, max_value=pages, value=1, step=1, key=f"{key}_page",
                                   help=f"{page_rows} rows a page"))
        lo = (page - 1) * page_rows
        c2.caption(f"rows {lo + 1:,}-{min(lo + page_rows, n):,} of {n:,} (page {page} of {pages}; a column sort "
                   "sorts this page; the downloads hold every row)")
        df = df.iloc[lo:lo + page_rows]
    st.dataframe(with_model_links(df) if links else df, hide_index=True, key=key, **kwargs)


def chart_model_links(event, plotted: pd.DataFrame, key: str, limit: int = 8, id_col: str = "model_id",
                      name_col: str = "name") -> None:
    """Links to the Model page of the points clicked or lasso-selected on a chart whose ``customdata``
    (or its first column) is the model id, or a list of ids for a marker standing for several models
    (``st.plotly_chart(..., on_select="rerun")``), and a picker of every plotted
    model (``plotted``'s ``id_col`` and ``name_col``: a keyboard-friendly way that needs no aiming
    at a point)."""
    names = dict(zip(plotted[id_col].tolist(), plotted[name_col].tolist()))  # whole columns: fast at 25,000
    points = (event.get("selection") or {}).get("points", []) if isinstance(event, dict) else []
    ids = []
    for p in points:
        cd = p.get("customdata")
        cd = cd[0] if isinstance(cd, (list, tuple)) and cd else cd
        for mid in cd if isinstance(cd, list) else [cd]:  # a marker of several models: a list of ids
            if isinstance(mid, str) and mid in names and mid not in ids:
                ids.append(mid)
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        if len(names) <= PICKER_MAX:
            pick = st.selectbox("Model page of a plotted model", sorted(names, key=lambda m: str(names[m])),
                                index=None, format_func=lambda m: str(names[m]), key=f"model_pick_{key}",
                                placeholder="Open the Model page of a plotted model...", label_visibility="collapsed",
                                width=380)
            if pick and pick not in ids:
                ids.insert(0, pick)
        else:  # a picker of 25,000 names weighs on every session (and the browser): search instead
            query = st.text_input("Model page of a plotted model", key=f"model_find_{key}", width=380,
                                  placeholder=f"Find one of the {len(names):,} plotted models by name...",
                                  label_visibility="collapsed").strip().lower()
            if query:
                found = sorted((m for m, n in names.items() if query in str(n).lower()), key=lambda m: str(names[m]))
                st.caption(f"{len(found):,} match{'es' if len(found) != 1 else ''}"
                           + (f", the first {limit} linked" if len(found) > limit else ""))
                ids = ids + [m for m in found if m not in ids]  # clicked points first
        for mid in ids[:limit]:
            page_link("app_pages/model.py", f"Model page: {literal(names[mid])}", {"id": mid}, icon=":material/info:")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(text) -> str:
    """Upstream text inside Markdown prose (st.markdown, captions, headings): every Markdown
    character backslash-escaped, newlines flattened, so it shows literally (no links, no emphasis)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text).replace("\n", " ").replace("\r", " "))
