"""The core's data functions as the pages call them: typed, cached per database version.

``db_cached(fn)`` wraps a core function (same signature, same docstring, so editors and type
checkers follow the call) in a memo keyed on ``db_token()`` -- the database file's inode, size
and mtime -- and the arguments, so a newly published database is read on the next rerun and the
old version's entries are dropped. Each wrapped function has its own cache (keyed by the core
function's module and name). Pages call these with keywords:
``ui_data.landscape_points(filters=f, benchmark="lmarena_text", source="lmarena")``.

The memos are bounded twice: ``MAX_ENTRIES`` per function, and ``MEMO_BUDGET`` bytes for all of
them together (``LANDSCAPE_MEMO_MB``, default 1024; each entry's size estimated by ``_nbytes``
when it is stored): a server asked for many distinct filters keeps the most recently used results
within the budget instead of 128 claims tables per function. A lower budget trades speed for
memory (bench/README.md, "sixth pass").
"""
from __future__ import annotations

import functools
import hashlib
import os
import sys
import threading
from collections import OrderedDict
from typing import Callable, ParamSpec, TypeVar

import numpy as np
import pandas as pd
import streamlit as st

from landscape import charts, compare, evals, fit, heap, headtohead, model_page, new_models, offer_charts, offer_queries, queries, trends
from landscape.db import DatabaseMissing, db_token

P = ParamSpec("P")
R = TypeVar("R")

MAX_ENTRIES = 128  # per function: filter/benchmark combinations a busy server keeps warm


def _memo_budget() -> int:
    """Bytes every memo together may hold (``LANDSCAPE_MEMO_MB``, default 1024)."""
    raw = os.environ.get("LANDSCAPE_MEMO_MB", "1024")
    try:
        mb = float(raw)
    except ValueError:
        raise ValueError(f"LANDSCAPE_MEMO_MB must be a number of megabytes, not {raw!r}") from None
    return int(max(mb, 0) * 1024 * 1024)


MEMO_BUDGET = _memo_budget()
# every memo's entries in one least-recently-used order, with their estimated sizes: a new entry
# that takes the total over MEMO_BUDGET evicts the least recently used ones of any function (never
# itself). One lock guards every memo and this order.
_LOCK = threading.Lock()
_LRU: OrderedDict = OrderedDict()  # (memo id, key) -> estimated bytes
_MEMOS: dict[int, OrderedDict] = {}
_TOTAL = [0]


def _drop(mid: int, key) -> None:
    _MEMOS[mid].pop(key, None)
    _TOTAL[0] -= _LRU.pop((mid, key), 0)


def _put(mid: int, key, value, nbytes: int) -> None:
    if (mid, key) in _LRU:
        _drop(mid, key)
    _MEMOS[mid][key] = value
    _LRU[(mid, key)] = nbytes
    _TOTAL[0] += nbytes
    while _TOTAL[0] > MEMO_BUDGET and len(_LRU) > 1:
        oldest = next(iter(_LRU))
        if oldest == (mid, key):
            break
        _drop(*oldest)


def memo_bytes() -> int:
    """The estimated bytes every memo holds now."""
    with _LOCK:
        return _TOTAL[0]


def token_or_stop() -> str:
    """The current database version; a clear error (and the page stops) when there is none."""
    try:
        return db_token()
    except DatabaseMissing as exc:
        st.error(f"{exc}")
        st.stop()


def db_cached(fn: Callable[P, R]) -> Callable[P, R]:
    """``fn`` memoised per database version (see the module docstring).

    Results live in this process, not pickled: ``st.cache_data`` pickles a result when it is made and
    unpickles it on every hit, which for a Plotly figure means validating every trace again (most
    of a warm rerun at 100x). Each hit gets its own shell: a DataFrame as a shallow copy (pandas'
    copy-on-write keeps the cached one unchanged whatever the page does to it), a dict or tuple as
    a new one of those; a figure is shared, and no page changes one (it is drawn and exported as it
    is; tests/test_ui_data.py checks two renders draw the same), so it is kept as a
    ``charts.FrozenFigure``, serialised once rather than on every draw. Arguments Python cannot hash (a
    DataFrame) are keyed by their content. Concurrent callers of one key wait for the first to
    compute it (as ``st.cache_data`` did)."""
    memo: OrderedDict = OrderedDict()
    mid = id(memo)
    _MEMOS[mid] = memo
    computing: dict = {}  # key -> Event set when its computation ends
    lock = _LOCK

    def run(token: str, args: tuple, kwargs: dict):
        return fn(*args, **kwargs)
    # arguments with no key of ours go through st.cache_data (hashed by Streamlit, pickled), which
    # keys a cache by the function's module and qualified name: give it its core function's
    run.__module__, run.__qualname__, run.__name__ = fn.__module__, fn.__qualname__, fn.__name__
    cached_run = st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)(run)

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        token = token_or_stop()
        try:
            key = (token, _key(args), _key(tuple(sorted(kwargs.items()))))
            hash(key)
        except TypeError:  # an argument we cannot key (a set, an object without __hash__): Streamlit's cache
            return cached_run(token, args, kwargs)
        while True:
            with lock:
                if key in memo:
                    memo.move_to_end(key)
                    _LRU.move_to_end((mid, key))
                    return _share(memo[key])
                running = computing.get(key)
                if running is None:  # this caller computes; others asking meanwhile wait for it
                    running = computing[key] = threading.Event()
                    break
            running.wait()  # then look again (computed by the other caller, or compute if it failed)
        try:
            value = _freeze(fn(*args, **kwargs))
            nbytes = _nbytes(value)
            with lock:
                try:
                    current = db_token()
                except DatabaseMissing:  # removed meanwhile: keep what there is
                    current = token
                for old in [k for k in memo if k[0] != current]:  # an older version's entries: never asked again
                    _drop(mid, old)
                if token == current:
                    _put(mid, key, value, nbytes)
                while len(memo) > MAX_ENTRIES:
                    _drop(mid, next(iter(memo)))
        finally:
            with lock:
                computing.pop(key, None)
            running.set()
            heap.release_soon()  # what the computation freed goes back to the system once the burst ends
        return _share(value)

    def clear() -> None:
        with lock:
            for k in list(memo):
                _drop(mid, k)
        cached_run.clear()
    wrapper.clear = clear  # type: ignore[attr-defined]
    _ALL.append(clear)
    return wrapper


_ALL: list[Callable[[], None]] = []


def clear_all() -> None:
    """Empty every ``db_cached`` function's memo (benchmarks measuring a cold render)."""
    for clear in _ALL:
        clear()


def _key(v):
    """A hashable key for an argument: itself, or a DataFrame's content digest."""
    if isinstance(v, pd.DataFrame):
        rows = _row_hashes(v)
        digest = hashlib.sha1(rows.tobytes()).hexdigest()  # of the rows in order: a reordering is another key
        return ("DataFrame", tuple(v.columns), tuple(map(str, v.dtypes)), len(v), digest)
    if isinstance(v, (tuple, list)):
        return (type(v).__name__, *(_key(x) for x in v))
    return v


def _row_hashes(df: pd.DataFrame):
    """One 64-bit hash per row of ``df`` (index included). Cells pandas cannot hash (lists: the fit
    table's ``assumptions``) are hashed by their ``repr``, which tells a list from its text."""
    try:
        return pd.util.hash_pandas_object(df, index=True).to_numpy()
    except TypeError:
        text = df.apply(lambda c: c.map(repr) if c.dtype == object else c)
        return pd.util.hash_pandas_object(text, index=True).to_numpy()


def _freeze(v):
    """Every Plotly figure in a result made a ``charts.FrozenFigure`` (serialised once, not on every
    draw: the memo shares figures and no page changes one)."""
    if type(v) is dict:
        return {k: _freeze(x) for k, x in v.items()}
    if type(v) in (tuple, list):
        return type(v)(_freeze(x) for x in v)
    return charts.frozen(v)


def _nbytes(v, _sample: int = 200) -> int:
    """An estimate of the memory a result holds: frames by pandas' deep count, figures by their
    trace arrays (text by a sample of its lengths), containers by their parts."""
    if isinstance(v, pd.DataFrame):
        return int(v.memory_usage(index=True, deep=True).sum())
    if isinstance(v, dict):
        return sys.getsizeof(v) + sum(_nbytes(x) for x in v.values())
    if type(v) in (list, tuple):
        if len(v) > _sample:  # a long list of like values: a sample's mean
            return sys.getsizeof(v) + len(v) * sum(_nbytes(x) for x in v[:_sample]) // _sample
        return sys.getsizeof(v) + sum(_nbytes(x) for x in v)
    if isinstance(v, np.ndarray):
        if v.dtype.kind in "OT" and len(v):
            head = v.ravel()[:_sample].tolist()
            return v.nbytes + v.size * sum(sys.getsizeof(x) for x in head) // len(head)
        return v.nbytes
    if isinstance(v, charts.SpecFigure) and v.spec() is not None:  # counted from its specification, not built
        data, layout = v.spec()
        return _nbytes(data) + _nbytes(layout)
    if isinstance(v, charts.FIGURE):
        return sum(_nbytes(tr._props) for tr in v.data) + _nbytes(v.layout._props or {})
    return sys.getsizeof(v)


def _share(v):
    if isinstance(v, pd.DataFrame):
        return v.copy(deep=False)
    if isinstance(v, dict):
        return {k: _share(x) for k, x in v.items()}
    if isinstance(v, tuple):
        return tuple(_share(x) for x in v)
    if isinstance(v, list):
        return [_share(x) for x in v]
    return v


# registry, filters, sources (landscape/queries.py)
models = db_cached(queries.models)
facet_values = db_cached(queries.facet_values)
score_options = db_cached(queries.score_options)
landscape_points = db_cached(queries.landscape_points)
sources_status = db_cached(queries.sources_status)
unmatched = db_cached(queries.unmatched)
unmatched_by_reason = db_cached(queries.unmatched_by_reason)
quarantine = db_cached(queries.quarantine)
data_snapshot = db_cached(queries.data_snapshot)

# new models (landscape/new_models.py)
reference_day = db_cached(new_models.reference_day)
new_model_list = db_cached(new_models.new_models)

# evals (landscape/evals.py)
eval_options = db_cached(evals.eval_options)
leaderboard = db_cached(evals.leaderboard)
claims_vs_independent = db_cached(evals.claims_vs_independent)
unreleased_headlines = db_cached(evals.unreleased_headlines)
removed_rows = db_cached(evals.removed_rows)
sources_with_badges = db_cached(evals.sources_with_badges)

# compare (landscape/compare.py)
model_choices = db_cached(compare.model_choices)
models_from_link = db_cached(compare.models_from_link)
preset_ids = db_cached(compare.preset_ids)
compare_view = db_cached(compare.page_view)


def preset_models(key: str) -> list[str]:
    """A Compare preset's models that are in the registry (the picker's choices)."""
    known = set(model_choices()["model_id"])
    return [m for m in preset_ids(key=key) if m in known]

# deployment fit (landscape/fit/)
fit_table = db_cached(fit.fit_table)
audit_claims = db_cached(fit.audit_claims)

# charts: the same data always draws the same figure (plotly builds one slowly: ~0.3 s at 40
# points, ~2.5 s at 4,000), so each is built once per input and reused
landscape_figure = db_cached(evals.landscape_figure)
memory_breakdown = db_cached(charts.memory_breakdown)
leaderboard_view = db_cached(evals.leaderboard_view)
served_vs_advertised = db_cached(offer_charts.served_vs_advertised)
price_score_scatter = db_cached(offer_charts.price_score_scatter)

# licences and offerings (landscape/offer_queries.py)
licence_view = db_cached(offer_queries.licence_view)
licence_matrix = db_cached(offer_queries.licence_matrix)
licence_facts = db_cached(offer_queries.licences)
offerings = db_cached(offer_queries.offerings)
context_summary = db_cached(offer_queries.context_summary)
price_vs_score = db_cached(offer_queries.price_vs_score)

# model page and scorecard (landscape/model_page.py)
model_labels = db_cached(model_page.option_labels)
model_report = db_cached(model_page.report)

# frontiers, timeline, head-to-head claims (landscape/trends.py, landscape/headtohead.py)
memory_need = db_cached(trends.memory_need)
frontier_view = db_cached(trends.frontier_view)
timeline_view = db_cached(trends.timeline_view)
open_closed_view = db_cached(trends.open_closed_view)
h2h_view = db_cached(headtohead.claims_view)
