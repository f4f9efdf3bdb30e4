"""ui_data: the core's functions, typed and cached per database version (a new database is seen)."""
import inspect
import os
import shutil

import duckdb
import pytest

import ui_data
from landscape import compare, evals, fit, offer_queries, queries
from landscape.filters import Filters
from tests.conftest import ROOT


@pytest.fixture
def live_db(snapshot_db, tmp_path, monkeypatch):
    db = tmp_path / "landscape.duckdb"
    shutil.copy(snapshot_db, db)
    monkeypatch.setenv("LANDSCAPE_DB", str(db))
    return db


def _publish_without(db, family: str) -> None:
    """What the loader does: build beside the target, then os.replace over it."""
    new = db.with_name(".next.duckdb")
    shutil.copy(db, new)
    con = duckdb.connect(str(new))
    con.execute("DELETE FROM models WHERE family = ?", [family])
    con.close()
    os.replace(new, db)


def test_a_newly_published_database_is_seen(live_db):
    before = ui_data.models(filters=Filters())
    assert "Llama 4" in set(before["family"])
    assert ui_data.models(filters=Filters()).equals(before)  # same version: from the cache
    _publish_without(live_db, "Llama 4")
    after = ui_data.models(filters=Filters())
    assert "Llama 4" not in set(after["family"]) and len(after) < len(before)


def test_calls_are_memoised_per_version_and_per_arguments(live_db):
    calls = []

    def probe(x: int, *, y: str = "a") -> tuple:
        calls.append((x, y))
        return x, y
    probe.__module__ = "tests.test_ui_data.probe_once"  # a cache of its own for this test run
    cached = ui_data.db_cached(probe)
    assert cached(1, y="b") == (1, "b") and cached(1, y="b") == (1, "b")
    assert cached(2) == (2, "a")
    assert calls == [(1, "b"), (2, "a")]
    _publish_without(live_db, "Gemma 3")
    assert cached(1, y="b") == (1, "b")
    assert calls == [(1, "b"), (2, "a"), (1, "b")]
    cached.clear()


def test_wrapped_functions_keep_their_signature_and_have_separate_caches(live_db):
    pairs = {ui_data.models: queries.models, ui_data.facet_values: queries.facet_values,
             ui_data.leaderboard: evals.leaderboard, ui_data.fit_table: fit.fit_table,
             ui_data.compare_view: compare.page_view, ui_data.licence_view: offer_queries.licence_view,
             ui_data.landscape_figure: evals.landscape_figure}
    for wrapped, core in pairs.items():
        assert inspect.signature(wrapped) == inspect.signature(core)
        assert wrapped.__doc__ == core.__doc__
    assert isinstance(ui_data.facet_values(), dict)  # not models()' DataFrame from a shared cache
    assert len(ui_data.models()) > 10


def test_pages_call_no_core_function_by_name():
    for p in [ROOT / "ui.py", *(ROOT / "app_pages").glob("*.py")]:
        text = p.read_text()
        assert "importlib" not in text and "getattr(queries" not in text, p
        assert "cached(token" not in text, p


def test_a_cached_chart_is_the_figure_the_core_draws(live_db):
    points = queries.landscape_points(Filters(), "lmarena_text", "lmarena")
    import json

    def spec(fig):
        return json.loads(fig.to_json())
    cached = ui_data.landscape_figure(df=points, y_label="LMArena")
    again = ui_data.landscape_figure(df=points, y_label="LMArena")
    assert spec(cached) == spec(evals.landscape_figure(points, "LMArena"))
    # figures are shared, not copied per hit (a copy re-validates every trace): the same object, which
    # no page changes (test_two_renders_of_a_page_draw_the_same_chart checks a page's reruns)
    assert again is cached


def test_a_cached_frame_is_not_changed_by_what_a_page_does_with_it(live_db):
    a = ui_data.models()
    n = len(a)
    a["name"] = "changed"
    a.loc[a.index[0], "family"] = "changed"
    b = ui_data.models()
    assert len(b) == n and (b["name"] != "changed").all() and (b["family"] != "changed").all()


def test_frame_arguments_are_keyed_by_their_content(live_db):
    calls = []

    def probe(df):
        calls.append(len(df))
        return int(df["x"].sum())
    probe.__module__ = "tests.test_ui_data.probe_frames"
    cached = ui_data.db_cached(probe)
    import pandas as pd
    assert cached(df=pd.DataFrame({"x": [1, 2]})) == 3 and cached(df=pd.DataFrame({"x": [1, 2]})) == 3
    assert cached(df=pd.DataFrame({"x": [1, 3]})) == 4
    assert calls == [2, 2]
    # list cells (the fit table's assumptions) are keyed too, by their content: a list is not its text
    assert cached(df=pd.DataFrame({"x": [1], "l": [[1, 2]]})) == 1
    assert cached(df=pd.DataFrame({"x": [1], "l": [[1, 2]]})) == 1
    assert cached(df=pd.DataFrame({"x": [1], "l": [[1, 3]]})) == 1
    assert cached(df=pd.DataFrame({"x": [1], "l": ["[1, 2]"]})) == 1
    assert calls == [2, 2, 1, 1, 1]
    cached.clear()


def test_a_fit_table_is_keyed_by_its_content_assumptions_included(live_db):
    """The memory chart is drawn from the fit table, whose rows hold lists of assumptions: keyed by
    Streamlit's cache instead, it was pickled (argument and figure) on every rerun of the page."""
    table = fit.fit_table(Filters(), hardware="h100", gpus=1, quant="Q4_K_M", context=8192)
    assert table["assumptions"].map(type).eq(list).any()
    key = ui_data._key(table)
    hash(key)
    assert ui_data._key(table.copy()) == key
    other = table.copy()
    other.at[other.index[0], "assumptions"] = [*other.at[other.index[0], "assumptions"], "one more"]
    assert ui_data._key(other) != key


def test_two_renders_of_a_page_draw_the_same_chart(live_db):
    """Figures are shared between reruns: a page that changed one (spotlight labels, colours) would
    draw more on every rerun."""
    from tests.conftest import run_page
    at = run_page("app_pages/overview.py", {"spotlight": "Llama 4", "pareto": "true", "highlight": "Qwen3"})
    first = at.get("plotly_chart")[0].proto.spec
    at.run()
    assert not at.exception and at.get("plotly_chart")[0].proto.spec == first


def test_frame_arguments_in_another_order_are_another_key(live_db):
    import pandas as pd
    probe_calls = []

    def probe(df):
        probe_calls.append(1)
        return df["x"].tolist()
    probe.__module__ = "tests.test_ui_data.probe_order"
    cached = ui_data.db_cached(probe)
    df = pd.DataFrame({"x": [1, 2, 3]})
    assert cached(df=df) == [1, 2, 3]
    assert cached(df=df.sort_values("x", ascending=False)) == [3, 2, 1]  # same rows and labels, other order
    assert len(probe_calls) == 2
    cached.clear()


def test_concurrent_callers_of_one_input_compute_it_once(live_db):
    import threading
    import time
    calls = []

    def slow(x):
        calls.append(x)
        time.sleep(0.3)
        return x * 2
    slow.__module__ = "tests.test_ui_data.probe_concurrent"
    cached = ui_data.db_cached(slow)
    results = []
    threads = [threading.Thread(target=lambda: results.append(cached(x=21))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [42] * 4 and calls == [21]
    cached.clear()


def _sized(nbytes_of):
    """A core function whose results' estimated sizes are nbytes_of[argument] (a frame of that many bytes)."""
    import numpy as np
    import pandas as pd

    def result(x: str, path=None):
        return pd.DataFrame({"b": np.zeros(nbytes_of[x] // 8)})  # 8 bytes a float
    result.__module__, result.__qualname__ = "tests.budget", f"result_{id(nbytes_of)}"
    return result


def test_the_memo_budget_evicts_the_least_recently_used_of_any_function(live_db, monkeypatch):
    ui_data.clear_all()
    assert ui_data.memo_bytes() == 0
    monkeypatch.setattr(ui_data, "MEMO_BUDGET", 3_500_000)
    calls = []
    sizes = {"a": 1_000_000, "b": 1_000_000, "c": 1_000_000, "d": 1_000_000, "huge": 9_000_000}
    f = ui_data.db_cached(lambda x, path=None: calls.append(("f", x)) or _sized(sizes)(x))
    g = ui_data.db_cached(lambda x, path=None: calls.append(("g", x)) or _sized(sizes)(x))
    f(x="a"), g(x="b"), f(x="c")
    assert 3_000_000 <= ui_data.memo_bytes() <= 3_500_000
    f(x="a")  # a hit: now the most recently used
    g(x="d")  # over budget: the least recently used (g's "b") goes, not f's "a"
    n = len(calls)
    f(x="a"), f(x="c"), g(x="d")
    assert len(calls) == n  # all three still memoised
    g(x="b")
    assert calls[-1] == ("g", "b")  # recomputed: it had been evicted
    g(x="huge")  # larger than the budget alone: kept (the page asked for it), everything else goes
    n = len(calls)
    g(x="huge")
    assert len(calls) == n and ui_data.memo_bytes() >= 9_000_000
    f(x="a")
    assert calls[-1] == ("f", "a")
    ui_data.clear_all()
    assert ui_data.memo_bytes() == 0


def test_the_memo_budget_counts_nothing_of_an_old_version(live_db):
    ui_data.clear_all()
    ui_data.models(filters=Filters())
    ui_data.score_options()
    held = ui_data.memo_bytes()
    assert held > 10_000
    _publish_without(live_db, "Llama 4")
    ui_data.models(filters=Filters())  # the new version's entry; models' old one is dropped
    assert ui_data.memo_bytes() < held + ui_data._nbytes(ui_data.models(filters=Filters()))
    ui_data.clear_all()
    assert ui_data.memo_bytes() == 0


def test_memo_sizes_are_estimated_for_every_result_kind(live_db):
    import numpy as np
    from landscape import trends
    fig = trends.timeline_view(Filters())["figure"]
    assert ui_data._nbytes(fig) > 1_000
    frame = ui_data.models(filters=Filters())
    assert ui_data._nbytes({"f": frame, "x": [frame]}) >= 2 * int(frame.memory_usage(deep=True).sum())
    text = np.array(["x" * 100] * 1000, dtype=np.dtypes.StringDType())
    assert ui_data._nbytes(text) >= 100_000


def test_the_memo_budget_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("LANDSCAPE_MEMO_MB", "2.5")
    assert ui_data._memo_budget() == int(2.5 * 1024 * 1024)
    monkeypatch.setenv("LANDSCAPE_MEMO_MB", "lots")
    with pytest.raises(ValueError, match="LANDSCAPE_MEMO_MB"):
        ui_data._memo_budget()


def test_a_cold_computation_and_not_a_hit_asks_for_the_heap_to_be_trimmed(live_db, monkeypatch):
    from landscape import heap
    asked = []
    monkeypatch.setattr(heap, "release_soon", lambda: asked.append(1))

    def probe(x: int) -> int:
        if x < 0:
            raise ValueError("no")
        return x
    probe.__module__ = "tests.test_ui_data.probe_trim"
    cached = ui_data.db_cached(probe)
    assert cached(1) == 1 and len(asked) == 1
    assert cached(1) == 1 and len(asked) == 1  # a hit frees nothing
    with pytest.raises(ValueError):
        cached(-1)
    assert len(asked) == 2  # a failed computation freed what it built too
    cached.clear()
