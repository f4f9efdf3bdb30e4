"""Chart traces built column by column (NumPy arrays, one style value when every point shares it,
numeric symbol codes, dict traces added at once) draw the same points as the per-point definitions
they replaced: checked on the real mirror's Landscape, timeline and Frontiers charts."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from landscape import charts, queries, trends
from landscape.filters import Filters

CODE_NAMES = {code + open_: name + ("-open" if open_ else "")
              for name, code in charts.SYMBOL_CODES.items() for open_ in (0, 100)}


def _points(values, n):
    """A trace style as one value per point (a shared value repeated; codes as names)."""
    if values is None or isinstance(values, (str, int, float)):
        vals = [values] * n
    else:
        vals = list(values)
    return [CODE_NAMES.get(v, v) if isinstance(v, (int, np.integer)) else v for v in vals]


def test_symbol_codes_are_plotlys():
    """Plotly's own list of marker symbols gives each name its code (code, "code", name triples)."""
    values = go.scatter.Marker()._get_validator("symbol").values
    table = {values[i + 2]: values[i] for i in range(0, len(values), 3)}
    for name, code in charts.SYMBOL_CODES.items():
        assert table[name] == code and table[f"{name}-open"] == code + 100


def test_arr_and_per_point():
    assert charts.arr(pd.Series([1, None, 3.5])).dtype == float
    assert math.isnan(charts.arr(pd.Series([1.0, None]))[1])
    assert charts.arr(pd.Series(pd.to_datetime(["2025-01-02", None]))).dtype.kind == "M"
    s = charts.arr(pd.Series(["a", None, "<b>"], dtype="string"))
    assert s.dtype == object and list(s) == ["a", None, "<b>"]
    assert charts.arr([1, 2]).dtype == float and charts.arr([True, False]).dtype == object
    assert charts.per_point([6, 6, 6]) == 6 and list(charts.per_point([6, 10])) == [6.0, 10.0]
    assert charts.per_point(np.array([9.0, 9.0])) == 9.0
    assert charts.symbols(["circle", "circle"]) == "circle"
    assert list(charts.symbols(["circle", "x-open", "diamond"])) == [0, 104, 2]
    assert charts.escs(["<a href='x'>&", None]) == ["&lt;a href=&#39;x&#39;&gt;&amp;", "None"]
    assert charts.days(pd.Series([pd.Timestamp("2025-03-04 10:00"), None])) == ["2025-03-04", "unknown"]


@pytest.mark.parametrize("benchmark", ["lmarena_text", "gpqa_diamond"])
def test_landscape_scatter_points_are_the_per_row_definitions(mirror_db, benchmark):
    pts = queries.landscape_points(Filters(released_only=False), benchmark, path=mirror_db)
    assert len(pts) > 20
    fig = charts.landscape_scatter(pts, "score")
    by_id = {r["model_id"]: r for r in pts.to_dict("records")}
    seen = []
    for tr in fig.data:
        ids = list(tr.customdata)
        n = len(ids)
        for k, (mid, size, sym, y) in enumerate(zip(ids, _points(tr.marker.size, n),
                                                    _points(tr.marker.symbol, n), list(tr.y))):
            row = by_id[mid[0]]
            assert charts.hover_label(tr, k) == charts.hover_text(row)
            assert size == pytest.approx(charts._size(row["active_params_b"]))
            assert sym == charts._symbol(row)
            assert y == row["score"]
            seen.append(mid[0])
    assert sorted(seen) == sorted(by_id)  # every point drawn once


def test_timeline_markers_are_the_release_days_of_the_per_row_table(mirror_db):
    """One marker per family, release day and weights: every model in exactly one, at its own release
    date, hollow when closed, named in the label (up to the limit, then counted), linked by a click."""
    tl = trends.release_timeline(queries.models(Filters(released_only=False), mirror_db))
    fig = trends.timeline_chart(tl)
    rows = {r["model_id"]: r for r in tl.to_dict("records")}
    seen, shared = [], 0
    for tr in fig.data:
        n = len(tr.customdata)
        for k, (cd, sym, x) in enumerate(zip(tr.customdata, _points(tr.marker.symbol, n), tr.x)):
            ids = cd[0]
            assert isinstance(ids, list) and ids
            label = charts.hover_label(tr, k)
            day = charts._day(rows[ids[0]]["release_date"])
            for mid in ids:
                r = rows[mid]
                assert r["family"] == tr.name and pd.Timestamp(x) == pd.Timestamp(r["release_date"])
                assert sym == ("circle" if r["open_weights"] else "circle-open")
                seen.append(mid)
            names = [charts._esc(rows[m]["name"]) for m in ids]
            assert label.startswith("<b>" + ", ".join(names[:trends.TIMELINE_NAMES]) + "</b>")
            assert f"released {day}" in label
            if len(ids) > trends.TIMELINE_NAMES:
                assert f" and {len(ids) - trends.TIMELINE_NAMES} more" in label
            if len(ids) == 1:
                assert label.endswith(f"page: model?id={charts._esc(ids[0])}")
            else:
                shared += 1
                assert f"{len(ids)} models" in label
    assert sorted(seen) == sorted(rows) and len(seen) > 20  # every model drawn once
    assert shared > 0  # the mirror has families releasing several models on one day
    # a marker per (family, day, weights), no two stacked on one spot
    keys = [(tr.name, str(x), sym) for tr in fig.data for x, sym in zip(tr.x, _points(tr.marker.symbol, len(tr.x)))]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("benchmark", ["lmarena_text", "gpqa_diamond"])
def test_budget_table_is_the_best_model_within_each_budget(mirror_db, benchmark):
    """The sorted-search budget table equals its definition: per family and budget, the highest
    score among the models needing at most the budget (the first in the frontier's order on a tie)."""
    v = trends.frontier_view(None, benchmark, None, "Q4_K_M", "8K", "llama.cpp", path=mirror_db)
    front, hw = v["front"], v["hardware"]
    got = trends.budget_table(front, hw)
    assert len(got) == front["family"].nunique() * len(hw) > 20
    for r in got.to_dict("records"):
        g = front[(front["family"] == r["family"]) & (front["need_gib"] <= r["budget_gib"])]
        if g.empty:
            assert pd.isna(r["model_id"]) and pd.isna(r["best_score"])
        else:
            best = g[g["score"] == g["score"].max()].iloc[0]
            assert (r["model_id"], r["best_score"]) == (best["model_id"], best["score"])


@pytest.mark.parametrize("benchmark", ["lmarena_text", "gpqa_diamond"])
def test_fit_frontier_is_the_running_best_of_each_family(mirror_db, benchmark):
    pts = queries.landscape_points(Filters(), benchmark, path=mirror_db)
    front = trends.fit_frontier(pts, trends.memory_need(Filters(), "Q4_K_M", "8K", "llama.cpp", mirror_db))
    assert front["on_frontier"].dtype == bool and len(front) > 20 and not front["on_frontier"].all()
    for _, g in front.groupby("family", sort=False):
        run = -math.inf
        for on, best, v in zip(g["on_frontier"], g["family_best"], g["score"]):
            assert on == (v > run)
            run = max(run, v)
            assert best == run


def _every_chart(db):
    """Figures of every kind the pages cache: dates, text, numbers, symbol codes, shapes."""
    f = Filters(released_only=False)
    pts = queries.landscape_points(f, "lmarena_text", path=db)
    tl = trends.release_timeline(queries.models(f, db))
    oc = trends.open_closed_frontier(pts)
    return [charts.landscape_scatter(pts, "score"), trends.timeline_chart(tl, "Llama 4"),
            trends.open_closed_chart(oc, "score", trends.frontier_lag(oc)[0])]


def test_frozen_figure_draws_what_the_figure_draws(mirror_db):
    """A frozen figure's JSON (what st.plotly_chart sends) is the plain figure's, on every draw, and
    its dict is one orjson writes as it is (no per-element cleaning)."""
    import orjson
    import plotly.io as pio
    for fig in _every_chart(mirror_db):
        if isinstance(fig, charts.SpecFigure):  # its drawn JSON against the built figure's: tests/test_spec_figure.py
            continue
        plain = pio.to_json(fig, validate=False)
        same = charts.frozen(fig)
        assert same is fig and type(fig) is charts.FrozenFigure
        assert pio.to_json(fig, validate=False) == plain
        assert pio.to_json(fig, validate=False) == plain  # the second draw: the kept spec
        assert fig.to_dict() is fig.to_dict()
        orjson.dumps(fig.to_dict(), option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS)


def test_frozen_figure_follows_every_change():
    """Whatever changes a frozen figure (layout, a trace's property, traces added, removed or
    restyled) is in its next draw: the same steps on a plain figure draw the same JSON at each step."""
    import plotly.io as pio
    steps = [
        lambda f: f.add_traces([charts.scatter(x=np.array([1.0, 2.0]), y=np.array([3.0, 4.0]),
                                               hovertext=np.array(["<b>a</b>", "b"], dtype=object))]),
        lambda f: f.update_layout(title="new title"),
        lambda f: setattr(f.data[0], "name", "renamed"),
        lambda f: f.add_trace(go.Scatter(x=[5], y=[6])),
        lambda f: f.update_traces(marker_color="red"),
        lambda f: f.plotly_restyle({"opacity": 0.5}, [1]),
        lambda f: setattr(f, "data", f.data[:1]),
        lambda f: setattr(f.layout.xaxis.title, "text", "x axis"),
        lambda f: f.plotly_update({"visible": [True]}, {"height": 300}),
    ]
    plain, fig = go.Figure(), charts.frozen(go.Figure())
    for step in steps:
        step(plain)
        step(fig)
        assert pio.to_json(fig, validate=False) == pio.to_json(plain, validate=False)
    assert fig.to_dict()["layout"]["height"] == 300


def test_frozen_leaves_other_objects_alone():
    assert charts.frozen("text") == "text"
    sub = type("Widgetish", (go.Figure,), {})()
    assert type(charts.frozen(sub)) is not charts.FrozenFigure  # only a plain go.Figure changes class


@pytest.mark.parametrize("values", [
    [], ["plain"], ["a<b>", "Tom & Jerry's \"x\"", "", None, 3.5, pd.NA],
    ["has\x00nul <b>", "other"], pd.Series(["<img src=x>", "ok"], dtype="string[pyarrow]"),
    ["ünïcode ✓", "<script>alert('x')</script>"] * 50,
])
def test_escs_is_esc_of_each_value(values):
    listed = values.tolist() if hasattr(values, "tolist") else values
    assert charts.escs(values) == [charts._esc(v) for v in listed]


@pytest.mark.parametrize("values", [
    pd.Series(pd.to_datetime(["2025-04-05", None, "1999-12-31 23:59"], format="mixed")),
    pd.Series(pd.to_datetime(["2025-04-05"])).astype("datetime64[us]"),
    np.array(["2025-04-05", "NaT"], dtype="datetime64[ns]"),
    pd.Series([], dtype="datetime64[ns]"),
    pd.Series(pd.to_datetime(["2025-04-05 10:00"]).tz_localize("Europe/Paris")),
    ["2025-04-05", None, pd.Timestamp("2024-02-29")],
])
def test_days_is_day_of_each_value(values):
    listed = list(values)
    assert charts.days(values) == [charts._day(v) for v in listed]


def test_text_as_numpy_strings_draws_what_objects_draw(mirror_db, monkeypatch):
    """arr() gives text as NumPy's StringDType (copied in one step); the figures' JSON is the one the
    same charts draw with object arrays."""
    import plotly.io as pio
    assert charts.arr(pd.Series(["a", "<b>"])).dtype.kind == "T"
    assert charts.arr(pd.Series(["a", None], dtype=object)).dtype == object  # a gap: objects, None
    new = [pio.to_json(f, validate=False) for f in _every_chart(mirror_db)]
    real = charts.arr

    def objects(values):
        a = real(values)
        return a.astype(object) if a.dtype.kind == "T" else a
    monkeypatch.setattr(charts, "arr", objects)
    monkeypatch.setattr(trends, "arr", objects)
    assert [pio.to_json(f, validate=False) for f in _every_chart(mirror_db)] == new


@pytest.mark.parametrize("benchmark", ["lmarena_text", "epoch_capabilities_index", "gpqa_diamond"])
def test_frontier_lag_is_the_first_open_model_reaching_each_closed_record(mirror_db, benchmark):
    oc = trends.open_closed_frontier(queries.landscape_points(Filters(), benchmark, path=mirror_db))
    lag, summary = trends.frontier_lag(oc)
    closed = oc[(oc["side"] == "closed") & oc["record"]]
    opened = oc[oc["side"] == "open weights"]
    assert len(lag) == len(closed) == summary["closed_records"]
    for r, got in zip(closed.itertuples(), lag.to_dict("records")):
        later = opened[(opened["release_date"] >= r.release_date) & (opened["score"] >= r.score)]
        if later.empty:
            assert pd.isna(got["open_model"]) and pd.isna(got["lag_months"])
            continue
        first = later.sort_values(["release_date", "score"], ascending=[True, False], kind="stable").iloc[0]
        assert (got["open_model"], got["open_release"], got["open_score"]) == (
            first["name"], first["release_date"], first["score"])
        assert got["lag_months"] == (first["release_date"] - r.release_date).days / trends.DAYS_PER_MONTH


def test_templated_hover_sends_fixed_words_once_and_reads_back_as_the_label():
    props = charts.templated("<b>{name}</b> of " + charts.tmpl_text("100% {name} <x>") + " · id {id}",
                             ["a/b", "c&d"], name=charts.escs(["<img src=x>", "B"]))
    tmpl = props["hovertemplate"]
    assert tmpl.endswith("<extra></extra>") and "100&#37; &#123;name&#125; &lt;x&gt;" in tmpl
    assert "%{customdata[" in tmpl and "{name}" not in tmpl.replace("&#123;name&#125;", "")
    assert [list(r) for r in props["customdata"]][0][0] == "a/b"  # column 0 = the id a click reads
    labels = [charts.hover_label(props, i) for i in range(2)]
    # "c&d" needs escaping, so the id is shown from an escaped column of its own
    assert labels == ["<b>&lt;img src=x&gt;</b> of 100% {name} &lt;x&gt; · id a/b",
                      "<b>B</b> of 100% {name} &lt;x&gt; · id c&amp;d"]
    with pytest.raises(ValueError):
        charts.templated("{name}", ["a", "b"], name=["only one"])


def test_landscape_whiskers_are_dropped_above_the_limit_and_the_chart_says_so(mirror_db, monkeypatch):
    pts = queries.landscape_points(Filters(released_only=False), "lmarena_text", path=mirror_db)
    assert pts["ci_low"].notna().any()
    drawn = charts.landscape_scatter(pts, "score")
    assert any(tr.error_y.array is not None for tr in drawn.data)
    monkeypatch.setattr(charts, "CI_WHISKERS_MAX", len(pts) - 1)
    fig = charts.landscape_scatter(pts, "score")
    assert all(tr.error_y.array is None for tr in fig.data)
    assert any("whiskers not drawn" in (a.text or "") for a in fig.layout.annotations)
    assert any("95% CI" in charts.hover_label(tr, i) for tr in fig.data for i in range(len(tr.y)))
