"""charts.SpecFigure: a chart kept as its specification draws exactly what the built (validated)
figure draws, is built only when used as a Plotly object, and then follows every change."""
import copy
import json
import pickle

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

import ui_data
from landscape import charts, evals, headtohead, offer_charts, offer_queries, queries, trends
from landscape.filters import Filters


def _drawn(fig) -> dict:
    return json.loads(pio.to_json(fig, validate=False))  # what st.plotly_chart sends, parsed


def _built(fig: charts.SpecFigure) -> go.Figure:
    """The figure Plotly builds (and validates) from the same specification."""
    data, layout = fig.spec()
    return go.Figure(data=data, layout=layout)


def _spec_charts(db):
    f = Filters(released_only=False)
    pts = queries.landscape_points(f, "lmarena_text", path=db)
    tl = trends.release_timeline(queries.models(f, db))
    oc = trends.open_closed_frontier(pts)
    front = trends.fit_frontier(pts, trends.memory_need(f, "Q4_K_M", "8K", "llama.cpp", path=db))
    hw = trends.hardware_lines()
    h2h = headtohead.head_to_head(db)
    prices = offer_queries.price_vs_score(f, "lmarena_text", "lmarena", db)
    board = evals.leaderboard("lmarena_text", ("lmarena", "vendor_claims"), f, True, db)
    return {
        "leaderboard": evals.leaderboard_chart(board, "score <b>", 30, "auto", "Llama 4"),
        "empty leaderboard": evals.leaderboard_chart(board.iloc[:0], "score"),
        "timeline": trends.timeline_chart(tl), "timeline spotlit": trends.timeline_chart(tl, "Llama 4"),
        "open vs closed": trends.open_closed_chart(oc, "score <b>", trends.frontier_lag(oc)[0]),
        "fit frontier": trends.fit_frontier_chart(front, hw, "score", None, "Q4_K_M"),
        "fit frontier spotlit": trends.fit_frontier_chart(front, hw, "score", "Llama 4", "Q4_K_M"),
        "empty frontier": trends.fit_frontier_chart(front.iloc[:0], hw, "score"),
        "empty open vs closed": trends.open_closed_chart(oc.iloc[:0], "score"),
        "margins": headtohead.margins_chart(h2h),
        "empty margins": headtohead.margins_chart(h2h.iloc[:0]),
        "price vs score": offer_charts.price_score_scatter(prices, "score"),
        "empty price vs score": offer_charts.price_score_scatter(prices.iloc[:0], "score"),
    }


@pytest.fixture
def spec_charts(mirror_db):
    return _spec_charts(mirror_db)


def test_every_spec_chart_draws_what_its_built_figure_draws(spec_charts):
    assert len(spec_charts) == 13
    for name, fig in spec_charts.items():
        assert isinstance(fig, charts.SpecFigure), name
        built = _built(fig)  # raises on any property Plotly does not know
        assert _drawn(fig) == _drawn(built), name
        assert fig.spec() is not None, f"{name}: drawing it built it"
    for name in ("timeline", "fit frontier", "price vs score", "margins", "leaderboard"):  # real charts, not empty ones
        assert len(spec_charts[name].to_dict()["data"]) >= 2, name


def test_drawing_sizing_and_hashing_a_spec_chart_do_not_build_it(spec_charts):
    import orjson
    fig = spec_charts["fit frontier"]
    d = fig.to_dict()
    assert fig.to_dict() is d  # kept, as a FrozenFigure keeps its dict
    orjson.dumps(d, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS)
    fig.to_json()
    assert ui_data._nbytes(fig) > 10_000
    assert fig.spec() is not None


def test_using_a_spec_chart_as_a_figure_builds_it_and_it_follows_changes(spec_charts):
    fig = spec_charts["open vs closed"]
    before = _drawn(fig)
    assert len(fig.data) == len(before["data"])  # built here
    assert fig.spec() is None and _drawn(fig) == before
    fig.update_layout(height=123)
    fig.data[0].name = "renamed"
    drawn = _drawn(fig)
    assert drawn["layout"]["height"] == 123 and drawn["data"][0]["name"] == "renamed"


def test_a_spec_chart_copies_and_pickles_as_its_figure(spec_charts):
    fig = spec_charts["timeline spotlit"]
    want = _drawn(_built(fig))
    for other in (copy.deepcopy(fig), pickle.loads(pickle.dumps(fig))):
        assert isinstance(other, charts.SpecFigure) and _drawn(other) == want


def test_a_spec_chart_keeps_the_template_that_was_the_default_when_it_was_made():
    tr = [charts.scatter(x=np.array([1.0, 2.0]), y=np.array([3.0, 4.0]), mode="markers")]
    old = pio.templates.default
    try:
        pio.templates.default = "simple_white"
        fig = charts.spec_figure(tr, height=300)
        pio.templates.default = "plotly_dark"
        drawn = _drawn(fig)
        pio.templates.default = "simple_white"
        assert drawn == _drawn(go.Figure(data=tr, layout=dict(height=300)))
    finally:
        pio.templates.default = old


def test_a_misspelt_property_fails_when_the_spec_is_built():
    fig = charts.spec_figure([charts.scatter(x=[1], y=[2], colour="red")])
    with pytest.raises(ValueError, match="colour"):
        fig.data  # noqa: B018 - the build is the point


def test_threads_using_a_shared_spec_chart_at_once_all_see_it_built_once(spec_charts):
    from concurrent.futures import ThreadPoolExecutor
    fig = spec_charts["fit frontier"]
    want = _drawn(_built(fig))
    with ThreadPoolExecutor(8) as ex:
        counts = list(ex.map(lambda _: len(fig.data), range(32)))
    assert set(counts) == {len(want["data"])} and _drawn(fig) == want
