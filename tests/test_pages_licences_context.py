"""AppTest for the Licences and Context pages (on the bundled snapshot), including their controls."""
import pandas as pd
import pytest

from tests.conftest import run_page

SCOUT = "meta-llama/Llama-4-Scout-17B-16E-Instruct"
COLUMNS = {"lic_matrix": "eu_image", "lic_detail": "use case", "ctx_offers": "raw_name", "ctx_summary": "served_max"}


def table(at, key):
    """The dataframe the page shows under ``key`` (found by a column only that table has)."""
    for df in at.dataframe:
        if COLUMNS[key] in df.value.columns:
            return df.value
    raise KeyError(key)


def test_licences_matrix_and_clause(app_db):
    at = run_page("app_pages/licences.py")
    assert not at.exception, [e.value for e in at.exception]
    assert any("not legal advice" in w.value for w in at.warning)
    matrix = table(at, "lic_matrix")
    scout = matrix[matrix["model_id"] == SCOUT].iloc[0]
    assert scout["eu_image"] == "❌ no" and scout["commercial"] == "⚠️ conditional"
    r1 = matrix[matrix["model_id"] == "deepseek-ai/DeepSeek-R1"].iloc[0]
    assert r1["commercial"] == "✅ yes"
    at.selectbox(key="lic_model").set_value(SCOUT).run()
    detail = table(at, "lic_detail")
    assert len(detail) == 5 and detail["source_url"].str.startswith("https://").all()
    # N above the Llama threshold flips the MAU column for Llama 4
    at.number_input(key="lic_mau").set_value(800_000_000).run()
    matrix = table(at, "lic_matrix")
    assert matrix[matrix["model_id"] == SCOUT].iloc[0]["mau"] == "❌ no"


def test_use_case_filter_in_sidebar_and_url(app_db):
    # a shared link with the use case filters the first page
    at = run_page("app_pages/overview.py", {"use_case": "eu_image", "table": "1"})
    assert not at.exception
    names = set(at.dataframe[0].value["name"])
    assert "Llama 4 Scout" not in names and "Llama 4 Maverick" not in names and names
    # the sidebar widget filters the Licences page
    at = run_page("app_pages/licences.py")
    at.sidebar.selectbox(key="f_use_case").set_value("mau").run()
    at.sidebar.number_input(key="f_mau").set_value(800_000_000).run()
    assert not at.exception
    ids = set(table(at, "lic_matrix")["model_id"])
    assert SCOUT not in ids and "deepseek-ai/DeepSeek-R1" in ids and "Qwen/Qwen2.5-72B-Instruct" not in ids
    assert at.session_state["_filters"].use_case == "mau"
    bad = run_page("app_pages/overview.py", {"use_case": "<img src=x>", "mau": "lots"})
    assert not bad.exception
    notes = " ".join(w.value for w in bad.sidebar.warning)
    assert "use_case" in notes and "mau" in notes


def test_context_page_scout_and_controls(app_db):
    at = run_page("app_pages/context.py")
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="ctx_model").value == SCOUT
    offers = table(at, "ctx_offers")
    ctx = {(p, s): c for p, s, c, v in zip(offers["provider"], offers["source"], offers["context_window"],
                                           offers["variant"]) if v is None or v != v}
    assert ctx[("Groq", "litellm")] == 131072 and ctx[("Fireworks", "litellm")] == 131072
    assert ctx[("DeepInfra", "litellm")] == 327680 and ctx[("OpenRouter", "openrouter")] == 327680
    summary = table(at, "ctx_summary")
    row = summary[summary["name"] == "Llama 4 Scout"].iloc[0]
    assert row["context_claimed"] == 10_485_760
    assert "fits_hardware" in summary.columns  # landscape/fit.py exists: the hardware column is shown
    assert len(at.get("plotly_chart")) == 2
    at.selectbox(key="ctx_model").set_value("deepseek-ai/DeepSeek-R1").run()
    assert not at.exception
    assert set(table(at, "ctx_offers")["raw_name"]) and at.selectbox(key="ctx_metric").options


def test_context_page_for_a_model_without_advertised_context(app_db):
    """R1 distills have offerings but no vendor-advertised context: the page must not crash on NA."""
    from tests.conftest import run_page
    at = run_page("app_pages/context.py", {"model": "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B"})
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="ctx_model").value == "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B"


@pytest.mark.parametrize("mau", [0, 700_000_001, 10**12])
def test_the_licence_view_is_the_full_matrix_made_wide(snapshot_db, mau):
    from landscape import offer_queries
    from landscape.filters import Filters
    from landscape.licences import matrix_wide
    marks = {"yes": "yes ✓", "no": "no ✗"}
    view = offer_queries.licence_view(Filters(), mau, tuple(marks.items()), snapshot_db)
    full = offer_queries.licence_matrix(Filters(), mau, snapshot_db)
    wide, labels = matrix_wide(full, marks, mau)
    pd.testing.assert_frame_equal(view["wide"], wide)
    assert view["labels"] == labels and view["answers"] == len(full) > 0
    one = offer_queries.licence_matrix(Filters(), mau, snapshot_db, model_id=full["model_id"].iloc[0])
    # the same rows and values (a column all empty for one model may come back with another dtype)
    def plain(df):
        return df.astype(object).where(df.notna(), None).to_dict("records")
    assert plain(one) == plain(full[full["model_id"] == full["model_id"].iloc[0]])
