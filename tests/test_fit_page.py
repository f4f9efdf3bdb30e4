"""Deployment fit page: AppTest on its controls, and a real browser opening it."""
import pytest

from tests.conftest import OUTPUT, wait_for_app
from tests.conftest import run_page


def test_fit_page_controls_change_the_table(app_db):
    at = run_page("app_pages/deployment_fit.py")
    assert not at.exception, [e.value for e in at.exception]
    names = set(at.dataframe[0].value["name"])
    assert "Llama 3.1 8B" in names and "Llama 4 Maverick" not in names  # RTX 4090, Q4_K_M, 32K
    at.selectbox(key="fit_hw").set_value("8xh100").run()
    assert not at.exception
    t = at.dataframe[0].value
    assert "Llama 4 Maverick" in set(t["name"])
    assert any(m.value == "8x 8xh100" for m in at.metric)
    at.selectbox(key="fit_quant").set_value("BF16").run()
    at.selectbox(key="fit_context").set_value("128K").run()
    t2 = at.dataframe[0].value
    assert "DeepSeek V3" not in set(t2["name"])  # 1.3 TB of BF16 weights do not fit 640 GiB
    at.radio(key="fit_show").set_value("all models").run()
    allm = at.dataframe[0].value
    assert "API only (closed weights)" in set(allm["verdict"])
    at.selectbox(key="fit_hw").set_value("custom").run()
    at.number_input(key="fit_custom_gib").set_value(6.0).run()
    at.radio(key="fit_show").set_value("fits or tight").run()
    small = at.dataframe[0].value
    assert len(small) and (small["total_gib"] <= 6.0).all()
    texts = " ".join(str(m.value) for m in at.markdown)
    assert "Claims audit" in " ".join(h.value for h in at.subheader)
    assert "Llama 4 Scout fits on a single NVIDIA H100" in texts


def test_landscape_fits_my_hardware_filter(app_db):
    at = run_page("app_pages/overview.py", {"table": "1"})
    before = set(at.dataframe[0].value["name"])
    at.selectbox(key="fits_hw").set_value("rtx4090").run()
    assert not at.exception
    after = set(at.dataframe[0].value["name"])
    assert after < before and "Llama 4 Maverick" not in after


@pytest.mark.browser
def test_fit_page_in_browser(streamlit_server, page):
    page.goto(streamlit_server["url"] + "/deployment_fit")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .barlayer .point", timeout=30000)
    assert page.locator(".js-plotly-plot .barlayer .point").count() >= 3
    # the chart can be drawn before the script reaches the texts below it: wait for each (Playwright
    # raises when one does not come), then look
    for text in ("Claims audit", "Models that fit"):
        page.get_by_text(text).first.wait_for(timeout=30000)
        assert page.get_by_text(text).count() >= 1
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "deployment_fit.png"), full_page=True)
