"""New view and chart legibility (landscape/new_models.py, landscape/legible.py)."""
from datetime import date

import pandas as pd
import pytest

from landscape import charts, legible
from landscape.new_models import new_models


def _points(n_families: int) -> pd.DataFrame:
    rows = []
    for i in range(n_families):
        rows.append({"model_id": f"org/m{i}", "name": f"M{i}", "family": f"Fam {i}", "vendor": f"Vendor {i % 4}",
                     "open_weights": True, "released": True, "is_moe": False, "total_params_b": 1.0 + i,
                     "active_params_b": 1.0 + i, "licence_id": None, "release_date": date(2025 + i % 2, 6, 1),
                     "facts": "curated", "tier": "small", "score": 50.0 + i, "unit": "percent", "ci_low": None,
                     "ci_high": None, "votes": None, "setting": "", "source": "x", "as_of": date(2026, 1, 1),
                     "source_url": "https://x", "raw_name": f"m{i}"})
    return pd.DataFrame(rows)


def test_auto_colours_by_vendor_above_twelve_families_with_one_legend_entry_each():
    df = _points(30)
    fig = legible.recolour(charts.landscape_scatter(df, "score"), df, "auto")
    legend = [t.name for t in fig.data if t.showlegend]
    assert sorted(legend) == [f"Vendor {i}" for i in range(4)]
    assert fig.layout.legend.title.text == "vendor"
    few = _points(5)
    fig = legible.recolour(charts.landscape_scatter(few, "score"), few, "auto")
    assert sorted(t.name for t in fig.data if t.showlegend) == [f"Fam {i}" for i in range(5)]


def test_highlight_keeps_one_family_and_greys_the_rest():
    df = _points(30)
    fig = legible.recolour(charts.landscape_scatter(df, "score"), df, "vendor", highlight="Fam 7")
    hi = [t for t in fig.data if t.name == "Fam 7"]
    rest = [t for t in fig.data if t.name == "other families"]
    assert len(hi) == 1 and hi[0].marker.color == charts.family_color("Fam 7")
    assert len(rest) == 29 and {t.marker.color for t in rest} == {legible.OTHER}
    assert sum(t.showlegend for t in rest) == 1


def test_release_window():
    df = _points(6)
    today = date(2026, 12, 2)
    assert set(legible.in_release_window(df, "2025", today)["release_date"]) == {date(2025, 6, 1)}
    assert legible.in_release_window(df, "last 6 months", today).empty
    assert len(legible.in_release_window(df, "last 12 months", today)) == 3
    assert len(legible.in_release_window(df, "any", today)) == 6
    with pytest.raises(ValueError):
        legible.in_release_window(df, "yesterday", today)


def test_new_view_lists_recent_releases_with_what_is_known(mirror_db):
    df = new_models(days=365, today=date(2026, 5, 1), path=mirror_db)
    v4 = df[df["model_id"] == "deepseek-ai/DeepSeek-V4-Pro"]
    assert len(v4) == 1
    r = v4.iloc[0]
    assert r["facts"] == "curated" and r["independent_scores"] > 0 and r["providers"] > 0 and r["architecture_known"]
    assert "meta-llama/Llama-3.1-8B-Instruct" not in set(df["model_id"])  # released 2024, first seen with the rest
    # one refresh built everything: nothing is "new since the previous refresh"
    assert new_models(days=365, since_previous_refresh=True, today=date(2026, 5, 1), path=mirror_db).empty


def test_new_page_and_landscape_controls_render(app_db):
    from tests.conftest import run_page
    at = run_page("app_pages/new.py", {"days": "2 years"})
    assert not at.exception
    df = at.dataframe[0].value
    assert "deepseek-ai/DeepSeek-V4-Pro" in set(df["model_id"]) and set(df["facts"]) <= {"curated", "discovered"}
    at = run_page("app_pages/overview.py", {"colour": "vendor", "highlight": "Gemma 4", "released": "2026", "table": "1"})
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) and (table["release_date"].astype(str) >= "2026").all()


def _board(n_families: int) -> pd.DataFrame:
    df = _points(n_families).rename(columns={"score": "value"})
    df["reference"] = [i == 0 for i in range(n_families)]  # one closed reference model
    df["vendor_claimed"], df["reported_by"] = False, None
    return df.sort_values("value", ascending=False).reset_index(drop=True)


def test_leaderboard_bars_colour_by_vendor_above_twelve_families_with_a_legend():
    from landscape.evals import leaderboard_chart
    df = _board(30)
    fig = leaderboard_chart(df, "score", top=30)
    bars, legend = fig.data[0], [t for t in fig.data[1:] if t.showlegend]
    assert sorted(t.name for t in legend) == [f"Vendor {i}" for i in range(4)]
    assert fig.layout.legend.title.text == "vendor"
    # bars are drawn best at the top (reversed): each bar's colour is its vendor's
    want = [legible.vendor_colour(v) for v in df["vendor"]][::-1]
    assert list(bars.marker.color) == want
    assert list(bars.customdata) == list(df["model_id"])[::-1]  # clicks still name the model
    few = _board(5)
    fig = leaderboard_chart(few, "score", top=30)
    names = [t.name for t in fig.data[1:]]
    assert "reference models" in names and "Fam 0" not in names  # the reference model stays grey
    assert list(fig.data[0].marker.color)[::-1][list(few["family"]).index("Fam 0")] == "#b0b0b0"


def test_leaderboard_highlight_greys_every_other_family():
    from landscape.evals import leaderboard_chart
    df = _board(30)
    fig = leaderboard_chart(df, "score", top=30, colour_by="vendor", highlight="Fam 7")
    colours = list(fig.data[0].marker.color)[::-1]
    fam = list(df["family"])
    assert colours[fam.index("Fam 7")] == charts.family_color("Fam 7")
    assert {c for c, f in zip(colours, fam) if f != "Fam 7"} == {legible.OTHER}
    assert sorted(t.name for t in fig.data[1:]) == ["Fam 7", "other families"]
    assert fig.layout.legend.title.text == "family"
    # a highlighted family below the top N is still drawn, in rank order, after the top N
    fig = leaderboard_chart(df, "score", top=5, highlight="Fam 2")
    values = list(fig.data[0].x)[::-1]
    assert len(values) == 6 and values[:5] == list(df["value"][:5]) and values[5] == df.loc[df["family"] == "Fam 2", "value"].item()
    assert len(leaderboard_chart(df, "score", top=5).data[0].x) == 5


@pytest.mark.parametrize("window", ["any", "last 12 months", "unknown"])
def test_the_leaderboard_view_is_its_board_in_the_window_and_that_board_s_chart(mirror_db, window):
    import plotly.io as pio

    from landscape import evals
    from landscape.filters import Filters
    from landscape.new_models import reference_day
    assert window in legible.RELEASE_WINDOWS
    f = Filters()
    view = evals.leaderboard_view("lmarena_text", ("lmarena",), f, False, window, 25, "vendor", "Llama 4", path=mirror_db)
    board = legible.in_release_window(evals.leaderboard("lmarena_text", ("lmarena",), f, False, mirror_db), window,
                                      reference_day(mirror_db))
    pd.testing.assert_frame_equal(view["board"], board)
    if board.empty:
        assert view["figure"] is None
    else:
        want = evals.leaderboard_chart(board, evals.benchmark_label("lmarena_text"), 25, "vendor", "Llama 4")
        assert pio.to_json(view["figure"], validate=False) == pio.to_json(want, validate=False)
