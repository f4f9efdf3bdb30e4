"""Real browser: Debian Chromium driven by Playwright against `streamlit run` on 127.0.0.1."""
import pytest

from tests.conftest import OUTPUT, wait_for_app

pytestmark = pytest.mark.browser


def sidebar_menu(page) -> list[str]:
    """The page titles in st.navigation's sidebar menu (each link's text ends with its title)."""
    links = page.locator("[data-testid='stSidebarNav'] [data-testid='stSidebarNavLink']").all_inner_texts()
    return [t.strip().splitlines()[-1] for t in links]


def test_landscape_chart_renders(streamlit_server, page):
    page.goto(streamlit_server["url"] + "/landscape")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=30000)
    n = page.locator(".js-plotly-plot .scatterlayer .point").count()
    assert n > 10
    assert page.get_by_text("Open-model landscape").count() >= 1
    from ui import PAGES
    assert sidebar_menu(page) == [p.title for p in PAGES]  # st.navigation's menu only
    assert page.locator("[data-testid='stException']").count() == 0
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "landscape.png"), full_page=True)


def test_data_quality_page(streamlit_server, page):
    page.goto(streamlit_server["url"] + "/data_quality")
    wait_for_app(page)
    page.wait_for_selector("text=Unmatched names", timeout=30000)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("open_llm_leaderboard: frozen").count() >= 1
    page.screenshot(path=str(OUTPUT / "data_quality.png"), full_page=True)
