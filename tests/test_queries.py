"""Core queries on a fixture database with hostile names."""
import pytest

from landscape import charts, queries
from landscape.filters import Filters, from_query_params, to_query_params
from landscape.tiers import tier_for


def test_landscape_points_best_latest_and_provenance(fixture_db):
    db = fixture_db()
    df = queries.landscape_points(Filters(released_only=False), "lmarena_text", "lmarena", path=db)
    row = df[df.model_id == "meta-llama/Llama-4-Maverick-17B-128E-Instruct"].iloc[0]
    assert row.score == 1292 and str(row.as_of)[:10] == "2025-08-04" and row.source_url.startswith("https://")
    exp = df[df.model_id == "meta-llama/Llama-4-Maverick-03-26-Experimental"].iloc[0]
    assert exp.score == 1417 and not exp.released


def test_released_only_and_weights_filters(fixture_db):
    db = fixture_db()
    df = queries.landscape_points(Filters(), "lmarena_text", None, path=db)
    assert "meta-llama/Llama-4-Maverick-03-26-Experimental" not in set(df.model_id)
    closed = queries.landscape_points(Filters(weights="closed"), "lmarena_text", None, path=db)
    assert set(closed.model_id) == {"google/gemini-2.5-pro"}


def test_hostile_family_filter_is_bound_not_injected(fixture_db):
    db = fixture_db()
    df = queries.models(Filters(families=("'; DROP TABLE models; --",)), path=db)
    assert list(df.model_id) == ["evil/<script>alert(1)</script>"]
    assert len(queries.models(path=db)) > 1  # the table is still there


def test_tiers():
    assert tier_for(0.5) == "Tiny (<3B)" and tier_for(17) == "Medium (15-40B)" and tier_for(400) == "Frontier (150B+)"
    assert tier_for(None) == "Undisclosed"


def test_filters_round_trip_and_hostile_params():
    f = Filters(families=("Llama 4", "Qwen3"), weights="open", tiers=("Small (3-15B)",), released_only=False)
    back, notes = from_query_params(to_query_params(f), ["Llama 4", "Qwen3"], [])
    assert back == f and notes == []
    back, notes = from_query_params({"families": "x" * 5000, "weights": "1; DROP", "released_only": "maybe"}, [], [])
    assert back == Filters() and len(notes) == 3


def test_chart_escapes_hostile_names_and_keeps_undisclosed(fixture_db):
    db = fixture_db()
    df = queries.landscape_points(Filters(released_only=False), "lmarena_text", None, path=db)
    fig = charts.landscape_scatter(df, "Elo")
    texts = " ".join(charts.hover_label(tr, i) for tr in fig.data for i in range(len(tr.y)))
    assert "<img" not in texts and "&lt;img src=x" in texts
    strip = [tr for tr in fig.data if tr.xaxis == "x2"]
    assert strip and "undisclosed" in list(strip[0].x)  # Gemini is shown, not dropped


def test_chart_draws_size_tier_bands_in_data_coordinates(fixture_db):
    db = fixture_db()
    df = queries.landscape_points(Filters(released_only=False), "lmarena_text", None, path=db)
    fig = charts.landscape_scatter(df, "Elo")
    edges = sorted({s.x0 for s in fig.layout.shapes} | {s.x1 for s in fig.layout.shapes})
    assert {15.0, 40.0, 150.0} <= set(edges)  # fixture spans 7B-671B: bands clipped to the data range
    labels = {a.text for a in fig.layout.annotations}
    assert {"Small (3-15B)", "Frontier (150B+)"} <= labels


def test_the_marker_key_sits_below_the_axis_title_in_a_margin_kept_for_it(fixture_db):
    """The key line (dense / MoE / hollow ...) was placed at a fraction of the plot's height, which put
    it on the x-axis title; it now hangs a fixed distance below the plot, in a bottom margin as tall."""
    db = fixture_db()
    fig = charts.landscape_scatter(queries.landscape_points(Filters(), "lmarena_text", None, path=db), "Elo")
    key = next(a for a in fig.layout.annotations if a.text.startswith("● dense"))
    assert (key.yref, key.y, key.yanchor) == ("paper", 0, "top") and key.yshift <= -50
    assert fig.layout.margin.b >= -key.yshift + 14  # room for its 11 px line


# ---------------------------------------------------------------- the one "latest score" rule

LATEST_FLAGS = {"latest_in_setting": ["model_id", "benchmark", "vendor_claimed", "source", "setting"],
                "latest_in_source": ["model_id", "benchmark", "vendor_claimed", "source"],
                "latest": ["model_id", "benchmark", "vendor_claimed"]}


@pytest.fixture(params=["snapshot_db", "mirror_db"])
def real_db(request):
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize("view", ["score_latest", "score_sources"])
def test_views_are_published_as_tables_equal_to_their_query(real_db, view):
    """Precomputed at publish time: the table holds exactly the rows the view's query gives now."""
    from etl.schema import VIEWS
    from tests.conftest import rows
    assert rows(real_db, "SELECT table_type FROM information_schema.tables WHERE table_name = ?", [view]) \
        == [("BASE TABLE",)]
    for a, b in ((view, f"({VIEWS[view]})"), (f"({VIEWS[view]})", view)):
        assert rows(real_db, f"SELECT count(*) FROM (SELECT * FROM {a} EXCEPT ALL SELECT * FROM {b})") == [(0,)]
    from etl.schema import VIEW_ORDER
    if view in VIEW_ORDER:  # stored in its declared order (DuckDB keeps a table's insertion order)
        stored = rows(real_db, f"SELECT {VIEW_ORDER[view]} FROM {view}")
        assert len(stored) > 100 and stored == sorted(stored)


def test_benchmark_pickers_match_a_straightforward_group_by(real_db):
    """score_options / eval_options read the precomputed score_sources; same rows as grouping scores."""
    from landscape import evals
    from tests.conftest import rows
    for independent in (True, False):
        got = queries.score_options(independent, path=real_db)
        want = rows(real_db, "SELECT benchmark, source, count(DISTINCT model_id), max(as_of) FROM scores "
                             "WHERE (NOT ? OR NOT vendor_claimed) GROUP BY ALL", [independent])
        assert sorted((r.benchmark, r.source, r.models, r.latest.date()) for r in got.itertuples()) == sorted(want)
        ev = evals.eval_options(not independent, path=real_db)
        want = rows(real_db, "SELECT benchmark, source, count(DISTINCT model_id), count(*), bool_or(vendor_claimed) "
                             "FROM scores WHERE (? OR NOT vendor_claimed) GROUP BY ALL", [not independent])
        assert sorted((r.benchmark, r.source, r.models, r.rows, r.vendor_claimed) for r in ev.itertuples()) \
            == sorted(want)


def test_score_latest_view_matches_a_straightforward_pandas_rule(real_db):
    """On the real data: each flag marks exactly one row per partition, and that row carries the
    newest as-of (undated last) and, on that date, the highest value -- computed here by sorting."""
    import pandas as pd
    from tests.conftest import rows
    snapshot_db = real_db
    cols = ["model_id", "benchmark", "vendor_claimed", "source", "setting", "value", "as_of", *LATEST_FLAGS]
    df = pd.DataFrame(rows(snapshot_db, f"SELECT {', '.join(cols)} FROM score_latest"), columns=cols)
    n_scores = rows(snapshot_db, "SELECT count(*) FROM scores")[0][0]
    assert len(df) == n_scores > 1000
    ordered = df.assign(undated=df["as_of"].isna()).sort_values(["undated", "as_of", "value"],
                                                                ascending=[True, False, False])
    for flag, keys in LATEST_FLAGS.items():
        expect = ordered.groupby(keys, dropna=False).head(1).set_index(keys)[["as_of", "value"]].sort_index()
        got = df[df[flag]].set_index(keys)[["as_of", "value"]].sort_index()
        assert got.index.is_unique and len(got) == len(expect), flag
        pd.testing.assert_frame_equal(got, expect, check_dtype=False, obj=flag)
    # the flags nest: the latest over sources is the latest within its source and setting
    assert (df.loc[df["latest"], "latest_in_source"]).all()
    assert (df.loc[df["latest_in_source"], "latest_in_setting"]).all()


def test_no_reader_ranks_scores_itself():
    """The "latest" window lives once, in etl/schema.py's score_latest view."""
    import re
    from tests.conftest import ROOT
    latest_window = re.compile(r"OVER\s*\([^)]*ORDER BY[^)]*as_of\s+DESC", re.S | re.I)
    for p in (ROOT / "landscape").rglob("*.py"):
        assert not latest_window.search(p.read_text()), p
    from etl.schema import VIEWS
    assert latest_window.search(VIEWS["score_latest"].replace("{", "").replace("}", ""))


def test_score_link_parameter_round_trip_and_legacy_separator(snapshot_db):
    import pytest
    choices = queries.score_choices(queries.score_options(path=snapshot_db))
    cat = next(label for label, (b, _) in choices.items() if b.startswith("livebench_") and ":" in b)
    b, s = choices[cat]
    assert queries.parse_score_param(queries.score_param(b, s), choices) == cat  # ':' inside the benchmark too
    assert queries.parse_score_param(f"{b}|{s}", choices) == cat                 # links made before one separator
    for bad in ("nope:nope", f"{b}:{s}x", "", "|"):
        with pytest.raises(ValueError):
            queries.parse_score_param(bad, choices)


def test_fits_hardware_keeps_exactly_the_models_the_fit_estimate_places(snapshot_db):
    from landscape import fit
    f = Filters()
    all_points = queries.landscape_points(f, "lmarena_text", "lmarena", path=snapshot_db)
    kept = queries.landscape_points(f, "lmarena_text", "lmarena", path=snapshot_db, fits_hardware="rtx4090")
    table = fit.fit_table(f, hardware="rtx4090", quant="Q4_K_M", context="32K", kv_dtype="bf16",
                          runtime="llama.cpp", path=snapshot_db).set_index("model_id")
    expected = [m for m in all_points["model_id"] if table.loc[m, "status"] in ("fits", "tight")]
    assert list(kept["model_id"]) == expected and 0 < len(expected) < len(all_points)
    assert "meta-llama/Llama-4-Maverick-17B-128E-Instruct" not in expected  # 400B total does not fit 24 GB
