"""Shareable links: a URL with query parameters restores the same view (AppTest), widget changes
write back to the URL, state survives page switches, hostile values give notices, and the
Compare table on screen equals what its downloads contain."""
from streamlit.testing.v1 import AppTest

from landscape import compare, export
from tests.conftest import ROOT
from tests.conftest import run_page

SCOUT = "meta-llama/Llama-4-Scout-17B-16E-Instruct"
MAVERICK = "meta-llama/Llama-4-Maverick-17B-128E-Instruct"


def qp(at, key):
    v = at.query_params[key]
    return v[-1] if isinstance(v, list) else v


def share_text(at) -> str:
    return " ".join(c.value for c in at.sidebar.code)


def test_landscape_url_restores_the_view(app_db):
    at = run_page("app_pages/overview.py", {"families": "Llama 4,Qwen3", "weights": "open",
                                         "y": "aider_polyglot:aider", "released_only": "0", "table": "1"})
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key="f_families").value == ["Llama 4", "Qwen3"]
    assert at.radio(key="f_weights").value == "open"
    assert at.checkbox(key="f_released").value is False
    assert at.selectbox(key="y_metric").value.startswith("Aider polyglot, pass@2")
    table = at.dataframe[0].value
    assert set(table["family"]) <= {"Llama 4", "Qwen3"} and set(table["source"]) == {"aider"}
    assert qp(at, "families") == "Llama 4,Qwen3" and qp(at, "y") == "aider_polyglot:aider"
    link = share_text(at)
    assert "families=Llama+4%2CQwen3" in link and "y=aider_polyglot%3Aaider" in link and "weights=open" in link


def test_widget_changes_are_written_to_the_url(app_db):
    at = run_page("app_pages/overview.py", {"table": "1"})  # the table open
    assert "families" not in at.query_params
    at.multiselect(key="f_families").set_value(["Gemma 3"]).run()
    at.radio(key="f_weights").set_value("open").run()
    assert qp(at, "families") == "Gemma 3" and qp(at, "weights") == "open"
    aider = next(o for o in at.selectbox(key="y_metric").options if o.startswith("Aider polyglot, pass@1"))
    at.selectbox(key="y_metric").set_value(aider).run()
    assert qp(at, "y") == "aider_polyglot_pass1:aider"
    at.radio(key="f_weights").set_value("all").run()
    assert "weights" not in at.query_params  # defaults keep the link short
    # a fresh session opened with this URL shows the same view
    again = run_page("app_pages/overview.py", {k: qp(at, k) for k in at.query_params})
    assert again.multiselect(key="f_families").value == ["Gemma 3"]
    assert again.selectbox(key="y_metric").value == aider
    assert again.dataframe[0].value.equals(at.dataframe[0].value)


def test_compare_url_restores_selected_models(app_db):
    at = run_page("app_pages/compare.py", {"models": f"llama-4-scout,{MAVERICK}", "diff": "1"})
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key="cmp_models").value == [SCOUT, MAVERICK]
    assert at.toggle(key="cmp_diff").value is True
    shown = at.dataframe[0].value
    assert list(shown.columns) == ["group", "attribute", "unit", "better", "Llama 4 Scout", "Llama 4 Maverick"]
    assert "family" not in set(shown["attribute"])  # same family: hidden when only differences are shown
    assert qp(at, "models") == f"{SCOUT},{MAVERICK}"
    assert "models=" in share_text(at)


def test_compare_presets_and_state_survive_page_switches(app_db):
    at = run_page("app_pages/compare.py")
    assert any("Pick at least two models" in i.value for i in at.info)
    at.button(key="preset_llama4-sizes").click().run()
    sel = at.multiselect(key="cmp_models").value
    assert len(sel) == 3 and sel[0] == SCOUT
    at.switch_page("app_pages/overview.py").run()
    at.multiselect(key="f_families").set_value(["Llama 4"]).run()
    assert "models" not in at.query_params  # page-specific state stays on its page's links
    at.switch_page("app_pages/data_quality.py").run()
    assert qp(at, "families") == "Llama 4"  # shared filters stay in the URL everywhere
    at.switch_page("app_pages/compare.py").run()
    assert at.multiselect(key="cmp_models").value == sel
    assert qp(at, "models") == ",".join(sel)
    at.switch_page("app_pages/overview.py").run()
    assert at.multiselect(key="f_families").value == ["Llama 4"]


def test_hostile_query_values_give_notices_not_errors(app_db):
    at = run_page("app_pages/compare.py", {"models": "<script>alert(1)</script>,=HYPERLINK(1),llama-4-scout,Llama 4 Maverick",
                                        "diff": "'; DROP TABLE models"})
    assert not at.exception
    notes = " ".join(w.value for w in at.warning)
    assert "no model named '<script>alert(1)</script>'" in notes and "ignored 'diff'" in notes
    assert at.multiselect(key="cmp_models").value == [SCOUT, MAVERICK]
    at = run_page("app_pages/compare.py", {"models": "x" * 5000})
    assert not at.exception and any("too long" in w.value for w in at.warning)
    at = run_page("app_pages/overview.py", {"y": "../../etc/passwd"})
    assert not at.exception and any("ignored 'y'" in w.value for w in at.warning)
    at = run_page("app_pages/data_quality.py", {"source": "<b>nope</b>"})
    assert not at.exception and any("ignored 'source'" in w.value for w in at.warning)
    assert at.selectbox(key="dq_source").value == "all"


def test_compare_on_screen_table_equals_its_exports(app_db):
    at = run_page("app_pages/compare.py", {"models": f"{SCOUT},{MAVERICK},meta-llama/Llama-4-Behemoth"})
    shown = at.dataframe[0].value
    table = compare.compare_table([SCOUT, MAVERICK, "meta-llama/Llama-4-Behemoth"], path=app_db)
    meta = export.ExportMeta(title="compare", snapshot_id="s")
    for fmt in export.FORMATS:
        back = export.read_back(export.export_bytes(table, fmt, meta), fmt)
        for col in shown.columns[4:]:
            rendered = [compare.format_value(None if (v != v or v is None) else v) for v in back[col]]
            if fmt in ("csv", "parquet"):  # text (Parquet: a column mixing types is stored as text)
                rendered = [compare.format_value(v) for v in table[col]]
                assert [None if v != v else str(v) for v in back[col]] == \
                       [None if v is None else str(v) for v in table[col]]
            assert rendered == shown[col].tolist(), (fmt, col)


def test_share_link_without_parameters(app_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert share_text(at) == "(this page, no filters)"  # defaults put nothing in the link
    at.multiselect(key="f_families").set_value(["Llama 4"]).run()
    assert "families=Llama+4" in share_text(at)
