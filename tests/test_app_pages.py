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
    assert len(at.get("plotly_chart")) == 1 and len(at.dataframe) == 0  # the tables run only when opened
    assert [e.label for e in at.expander][0].startswith("Table of the ")
    at.session_state["landscape_table_open"] = True  # as a click on the expander does (it reruns)
    at.run()
    assert at.query_params["table"] == "1"  # the shared link opens it too
    table = at.dataframe[0].value
    assert "Llama 4 Maverick" in set(table["name"])
    assert "Llama 4 Maverick (03-26 experimental)" not in set(table["name"])  # released only by default


def test_landscape_filters_change_the_table(app_db):
    at = run_page("app_pages/overview.py", {"y": "lmarena_text:lmarena", "table": "1"})
    at.multiselect(key="f_families").set_value(["Llama 4"]).run()
    names = set(at.dataframe[0].value["name"])
    assert names and all(n.startswith("Llama 4") for n in names)
    at.checkbox(key="f_released").uncheck().run()
    names = set(at.dataframe[0].value["name"])
    assert "Llama 4 Maverick (03-26 experimental)" in names


def test_switching_y_axis_to_aider(app_db):
    at = run_page("app_pages/overview.py", {"table": "1"})
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


LAZY_TABLES = [  # (page, link parameter that opens it, the expander's label, what else the link needs)
    ("app_pages/overview.py", "table", "Table of the plotted models", {}),
    ("app_pages/overview.py", "unscored", "Models without a score", {}),
    ("app_pages/compare.py", "provenance", "Where each number comes from", {"models": "llama-4-scout,llama-4-maverick"}),
    ("app_pages/trends.py", "dates", "Release dates and gaps", {"section": "timeline"}),
    ("app_pages/evals.py", "removed", "Rows removed upstream", {}),
]


def _expander(at, label: str):
    found = [e for e in at.expander if e.label.startswith(label)]
    assert len(found) == 1, [e.label for e in at.expander]
    return found[0]


@pytest.mark.parametrize("page,param,label,query", LAZY_TABLES)
def test_a_closed_expander_sends_no_table_and_its_link_opens_it(app_db, page, param, label, query):
    """The secondary tables sit in expanders that run only when opened (ui.lazy_expander): the
    first paint carries no table for them; opening one (a click, or its link parameter) shows it."""
    at = run_page(page, query)
    assert not at.exception, [e.value for e in at.exception]
    assert len(_expander(at, label).dataframe) == 0
    opened = run_page(page, {**query, param: "1"})
    assert not opened.exception, [e.value for e in opened.exception]
    assert len(_expander(opened, label).dataframe) == 1
    assert len(opened.dataframe) == len(at.dataframe) + 1
    assert opened.query_params[param] == "1"  # still in the link the page writes back
