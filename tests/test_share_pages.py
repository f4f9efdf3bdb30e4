"""Shared links restore every page's own widgets, not only the sidebar filters."""
from tests.conftest import run_page


def test_fit_page_link_restores_hardware_format_context(app_db):
    at = run_page("app_pages/deployment_fit.py", {"hw": "h100", "format": "FP8", "context": "128K", "kv": "fp8", "seqs": "4"})
    assert not at.exception
    assert at.selectbox(key="fit_hw").value == "h100"
    assert at.selectbox(key="fit_quant").value == "FP8"
    assert at.selectbox(key="fit_context").value == "128K"
    assert at.number_input(key="fit_seqs").value == 4
    at.selectbox(key="fit_context").set_value("8K").run()
    assert at.query_params["context"] in ("8K", ["8K"])


def test_fit_page_hostile_link_values_are_ignored_with_a_notice(app_db):
    at = run_page("app_pages/deployment_fit.py", {"hw": "<script>alert(1)</script>", "seqs": "99999", "gib": "nan"})
    assert not at.exception
    assert at.selectbox(key="fit_hw").value == "rtx4090"  # the default
    assert at.number_input(key="fit_seqs").value == 1 and "hw" not in at.query_params
    text = " ".join(w.value for w in at.warning) + " ".join(w.value for w in at.sidebar.warning)
    assert "ignored 'hw'" in text and "ignored 'seqs'" in text


def test_evals_link_carries_benchmark_ids(app_db):
    at = run_page("app_pages/evals.py", {"benchmarks": "aider_polyglot", "top": "20"})
    assert not at.exception
    picked = at.multiselect(key="ev_benchmarks").value
    assert len(picked) == 1 and "[aider_polyglot]" in picked[0]
    assert at.slider(key="ev_top").value == 20


def test_evals_link_colours_by_vendor_and_highlights_a_family(app_db):
    import json
    at = run_page("app_pages/evals.py", {"benchmarks": "aider_polyglot", "bar_colour": "vendor", "bar_highlight": "Llama 4",
                                         "bar_released": "2025"})
    assert not at.exception
    assert at.selectbox(key="ev_colour").value == "vendor" and at.selectbox(key="ev_highlight").value == "Llama 4"
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    legend = {t.get("name") for t in fig["data"][1:]}
    assert legend == {"Llama 4", "other families"} or legend == {"other families"}, legend
    assert at.selectbox(key="ev_released").value == "2025"
    at.selectbox(key="ev_highlight").set_value("none").run()
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert fig["layout"]["legend"]["title"]["text"] == "vendor"
    assert {t.get("name") for t in fig["data"][1:]} <= set(at.sidebar.multiselect(key="f_vendors").options)


def test_landscape_pareto_and_fits_in_link(app_db):
    at = run_page("app_pages/overview.py", {"pareto": "1", "fits": "h100"})
    assert not at.exception
    assert at.toggle(key="pareto").value is True
    assert at.selectbox(key="fits_hw").value == "h100"
