"""Long tables are shown a page at a time (ui.table): the page number picks the rows, in order,
with Model page links for those rows; the downloads still hold every row; a short table has no pager."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import ui
from tests.conftest import run_page

SCRIPT = '''
import pandas as pd
import ui
n = {n}
df = pd.DataFrame({{"name": [f"<b>m{{i}}</b> ✓" for i in range(n)], "model_id": [f"org/m{{i}}" for i in range(n)],
                   "value": list(range(n))}})
ui.table(df, key="t", links=True, page_rows=500)
'''


def _app(n):
    at = AppTest.from_string(SCRIPT.format(n=n), default_timeout=60)
    at.run()
    assert not at.exception
    return at


def test_a_long_table_shows_one_page_at_a_time():
    at = _app(1234)
    shown = at.dataframe[0].value
    assert len(shown) == 500 and shown["value"].tolist() == list(range(500))
    assert "page" in shown.columns and shown["page"].iloc[0].endswith("model?id=org%2Fm0")
    assert any("rows 1-500 of 1,234" in c.value for c in at.caption)
    at.number_input(key="t_page").set_value(3).run()
    shown = at.dataframe[0].value
    assert shown["value"].tolist() == list(range(1000, 1234))
    assert shown["name"].iloc[0] == "<b>m1000</b> ✓"  # shown as text, never as HTML
    assert any("rows 1,001-1,234 of 1,234" in c.value for c in at.caption)


def test_a_short_table_has_no_pager():
    at = _app(500)
    assert len(at.dataframe[0].value) == 500 and not at.number_input


@pytest.mark.usefixtures("app_db")
def test_the_evals_page_pages_its_leaderboard_and_downloads_every_row(monkeypatch):
    monkeypatch.setattr(ui, "PAGE_ROWS", 20)
    at = run_page("app_pages/evals.py", {"benchmarks": "lmarena_text"})
    assert not at.exception
    board = at.dataframe[0].value  # first table = the chosen leaderboard
    assert len(board) == 20
    total = next(int(c.value.split(" of ")[1].split(" ")[0].replace(",", "")) for c in at.caption
                 if c.value.startswith("rows 1-20 of"))
    assert total > 20
    assert any(c.value == f"Download ({total} rows):" for c in at.caption)  # the export holds every row
    at.number_input(key="ev_table_lmarena_text_page").set_value(2).run()
    page2 = at.dataframe[0].value
    assert len(page2) == min(20, total - 20) and page2["page"].tolist() != board["page"].tolist()


CHART_LINKS = '''
import pandas as pd
import ui
plotted = pd.DataFrame({{"model_id": [f"org/m{{i}}" for i in range({n})],
                        "name": [f"Model <{{i}}>" for i in range({n})]}})
ui.chart_model_links(None, plotted, key="k")
'''


def test_a_chart_with_thousands_of_points_offers_a_search_not_a_picker():
    at = AppTest.from_string(CHART_LINKS.format(n=ui.PICKER_MAX + 1), default_timeout=60)
    at.run()
    assert not at.selectbox and len(at.text_input) == 1
    at.text_input(key="model_find_k").input("model <42").run()
    assert any(c.value.startswith("11 matches") for c in at.caption)  # 42 and 420-429
    links = [m.value for m in at.markdown if "model?id=" in m.value]  # outside the app: Markdown links
    assert len(links) == 8 and all("model?id=org%2Fm42" in x for x in links)
    small = AppTest.from_string(CHART_LINKS.format(n=3), default_timeout=60)
    small.run()
    assert len(small.selectbox) == 1 and not small.text_input


@pytest.mark.usefixtures("app_db")
def test_the_claims_filter_becomes_a_name_search_above_the_picker_limit(monkeypatch):
    monkeypatch.setattr(ui, "PICKER_MAX", 3)
    at = run_page("app_pages/evals.py")
    assert not at.exception
    box = at.text_input(key="cl_models_find")
    everything = len(at.dataframe[-1].value)
    box.input("maverick").run()
    names = set(at.dataframe[-1].value["name"])
    assert names and all("maverick" in n.lower() for n in names) and len(at.dataframe[-1].value) < everything
    at.text_input(key="cl_models_find").input("no such <model>").run()
    assert at.dataframe[-1].value.empty and any(c.value == r"No model name contains 'no such \<model\>'"
                                                for c in at.caption)


PICKER = '''
import streamlit as st
import ui
labels = {{f"org/m{{i}}": f"Model <{{i}}> ✓" for i in range({n})}}
ui.bind_param("pk", "model", "org/m7", parse=ui.choice_parser(labels, "model"))
st.write("picked", ui.model_picker("Model", labels, key="pk"))
'''


def test_a_model_picker_above_the_limit_is_a_search_that_keeps_the_current_model(monkeypatch):
    small = AppTest.from_string(PICKER.format(n=5), default_timeout=60)
    small.run()
    assert small.selectbox(key="pk").options == [f"Model <{i}> ✓" for i in range(5)] and not small.text_input
    at = AppTest.from_string(PICKER.format(n=ui.PICKER_MAX + 1), default_timeout=60)
    at.query_params["model"] = "org/m42"
    at.run()
    assert at.selectbox(key="pk").options == ["Model <42> ✓"]  # the linked model only, not 501 options
    assert at.selectbox(key="pk").value == "org/m42"
    at.text_input(key="pk_find").input("MODEL <12").run()  # case-insensitive, name or id
    box = at.selectbox(key="pk")
    assert box.value == "org/m42" and box.options[0] == "Model <42> ✓"  # still the current one
    assert sorted(box.options[1:]) == sorted(f"Model <{i}> ✓" for i in [12, *range(120, 130)])
    assert any(c.value.startswith("11 matches") for c in at.caption)
    box.select("org/m125").run()
    assert at.selectbox(key="pk").value == "org/m125" and at.query_params["model"] == "org/m125"
    monkeypatch.setattr(ui, "PICKER_MAX", 5)  # many matches: the current model and the first PICKER_MAX
    at.text_input(key="pk_find").input("model").run()
    assert at.selectbox(key="pk").options == ["Model <125> ✓"] + [f"Model <{i}> ✓" for i in range(5)]
    assert any(c.value.startswith("501 matches, the first 5 listed") for c in at.caption)
    at.text_input(key="pk_find").input("<no such model>").run()
    assert at.selectbox(key="pk").options == ["Model <125> ✓"] and at.selectbox(key="pk").value == "org/m125"
    assert any(c.value.startswith("No model's name") for c in at.caption)


def test_model_matches_reads_labels_and_ids():
    labels = {"meta-llama/Llama-4-Scout": "Llama 4 Scout (Llama 4)", "qwen/Qwen3-8B": "Qwen3 8B (Qwen3)"}
    assert ui.model_matches(labels, " scout ") == ["meta-llama/Llama-4-Scout"]
    assert ui.model_matches(labels, "QWEN/") == ["qwen/Qwen3-8B"]
    assert ui.model_matches(labels, "") == [] and ui.model_matches(labels, "nothing") == []


@pytest.mark.usefixtures("app_db")
@pytest.mark.parametrize("page,key,param,pick", [
    ("app_pages/model.py", "mp_model", "id", "Qwen/Qwen3-235B-A22B"),
    ("app_pages/licences.py", "lic_model", "model", "Qwen/Qwen3-235B-A22B-Instruct-2507"),
    ("app_pages/context.py", "ctx_model", "model", "Qwen/Qwen3-235B-A22B"),
])
def test_the_pages_model_pickers_become_searches_above_the_limit(monkeypatch, page, key, param, pick):
    monkeypatch.setattr(ui, "PICKER_MAX", 3)
    at = run_page(page)
    assert not at.exception
    before = at.selectbox(key=key)
    assert len(before.options) == 1 and before.value  # the default model only
    at.text_input(key=f"{key}_find").input("QWEN/qwen3-235b").run()  # by repository id, any case
    box = at.selectbox(key=key)
    assert box.value == before.value and 2 <= len(box.options) <= 4  # the current one + at most 3 matches
    assert any(" match" in c.value and "listed" in c.value for c in at.caption)
    box.select(pick).run()
    assert not at.exception and at.selectbox(key=key).value == pick and at.query_params[param] == pick


@pytest.mark.usefixtures("app_db")
def test_the_compare_picker_keeps_linked_and_preset_models_above_the_limit(monkeypatch):
    monkeypatch.setattr(ui, "PICKER_MAX", 3)
    at = run_page("app_pages/compare.py", {"models": "llama-4-scout,Llama 4 Maverick"})
    assert not at.exception
    box = at.multiselect(key="cmp_models")
    linked = list(box.value)
    assert len(linked) == 2 and len(box.options) == 2  # the linked models, not the registry
    at.text_input(key="cmp_models_find").input("QWEN/qwen3-8b").run()
    box = at.multiselect(key="cmp_models")
    assert list(box.value) == linked and len(box.options) == 3  # linked + the one match
    box.select("Qwen/Qwen3-8B").run()
    assert list(at.multiselect(key="cmp_models").value) == linked + ["Qwen/Qwen3-8B"] and not at.exception
    assert at.query_params["models"].split(",") == linked + ["Qwen/Qwen3-8B"]
    at.button(key=next(b.key for b in at.button if b.key and b.key.startswith("preset_"))).click().run()
    assert not at.exception and len(at.multiselect(key="cmp_models").value) >= 2
