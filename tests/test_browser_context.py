"""Real browser: the Context page shows Llama 4 Scout's advertised vs served context."""
import pytest

from tests.conftest import OUTPUT, wait_for_app

pytestmark = pytest.mark.browser


def test_context_page_shows_scout_bars(streamlit_server, page):
    page.goto(streamlit_server["url"] + "/context")
    wait_for_app(page)
    page.wait_for_selector("text=Advertised vs served, per model", timeout=30000)
    page.wait_for_selector(".js-plotly-plot .barlayer .point", timeout=30000)
    bars = page.locator(".js-plotly-plot .barlayer .point").count()
    assert bars >= 10  # one bar per provider offering of Llama 4 Scout with a listed context
    chart_text = page.locator(".js-plotly-plot").first.inner_text()
    assert "Groq" in chart_text and "DeepInfra" in chart_text and "128K (131,072)" in chart_text
    assert page.locator("text=advertised 10M (10,485,760)").count() >= 1
    from tests.test_browser import sidebar_menu
    assert {"Context & providers", "Licences"} <= set(sidebar_menu(page))
    assert page.locator("[data-testid='stException']").count() == 0
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "context.png"), full_page=True)


def test_licences_page_opens(streamlit_server, page):
    page.goto(streamlit_server["url"] + "/licences")
    wait_for_app(page)
    page.wait_for_selector("text=not legal advice", timeout=30000)
    page.wait_for_selector("text=Models × use cases", timeout=30000)
    page.screenshot(path=str(OUTPUT / "licences.png"), full_page=True)
