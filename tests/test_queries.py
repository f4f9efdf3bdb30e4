"""Core queries on a fixture database with hostile names."""
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
    texts = " ".join(t for tr in fig.data for t in (tr.text or ()))
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
