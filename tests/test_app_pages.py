"""AppTest smoke test over every page registered in app.py, on the bundled snapshot."""
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, registered_pages, run_page


@pytest.mark.parametrize("page", registered_pages())
def test_every_page_renders_without_exception(app_db, page):
    at = run_page(page)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, f"{page} shows no title"


@pytest.mark.parametrize("page", registered_pages())
def test_every_page_script_runs_alone(app_db, page):
    """No page script is named like a package it would shadow (app_pages/ is on sys.path when a
    script runs alone), and none depends on app.py's navigation."""
    at = AppTest.from_file(str(ROOT / page), default_timeout=90).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, f"{page} shows no title alone"


def test_no_page_script_shadows_a_module():
    import importlib.util
    for page in registered_pages():
        stem = page.rsplit("/", 1)[1].removesuffix(".py")
        assert importlib.util.find_spec(stem) is None, f"{page} shadows the importable module {stem!r}"


def test_landscape_chart_and_table(app_db):
    at = run_page("app_pages/overview.py", {"y": "lmarena_text:lmarena"})  # the default y is the newest field (#12)
    assert not at.exception
    labels = at.selectbox(key="y_metric").options
    assert any("LMArena" in o for o in labels) and any("Aider" in o for o in labels)
    table = at.dataframe[0].value
    assert "Llama 4 Maverick" in set(table["name"])
    assert "Llama 4 Maverick (03-26 experimental)" not in set(table["name"])  # released only by default


def test_landscape_filters_change_the_table(app_db):
    at = run_page("app_pages/overview.py", {"y": "lmarena_text:lmarena"})
    at.multiselect(key="f_families").set_value(["Llama 4"]).run()
    names = set(at.dataframe[0].value["name"])
    assert names and all(n.startswith("Llama 4") for n in names)
    at.checkbox(key="f_released").uncheck().run()
    names = set(at.dataframe[0].value["name"])
    assert "Llama 4 Maverick (03-26 experimental)" in names


def test_switching_y_axis_to_aider(app_db):
    at = run_page("app_pages/overview.py")
    aider = next(o for o in at.selectbox(key="y_metric").options if o.startswith("Aider polyglot, pass@2"))
    at.selectbox(key="y_metric").set_value(aider).run()
    t = at.dataframe[0].value
    assert float(t.loc[t["name"] == "Llama 4 Maverick", "score"].iloc[0]) == 15.6


def test_hostile_query_params_give_a_notice_not_an_error(app_db):
    at = run_page("app_pages/overview.py", {"families": "<script>alert(1)</script>,Llama 4", "weights": "'; DROP"})
    assert not at.exception
    warnings = " ".join(w.value for w in at.sidebar.warning)
    assert "ignored unknown families" in warnings and "ignored 'weights'" in warnings
    assert at.multiselect(key="f_families").value == ["Llama 4"]


def test_missing_database_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("LANDSCAPE_DB", str(tmp_path / "nope.duckdb"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert any("no database at" in e.value for e in at.error)
