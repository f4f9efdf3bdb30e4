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


def test_the_landscape_table_opens_on_a_click_and_stays_open(streamlit_server, page):
    """The table of plotted models is not drawn with the chart (ui.lazy_expander); a click on its
    expander reruns the page and draws it; it stays open when a filter changes; the share link
    carries it."""
    page.goto(streamlit_server["url"] + "/landscape")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=30000)
    assert page.locator("[data-testid='stDataFrame']").count() == 0
    page.get_by_text("Table of the plotted models").click()
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=30000)
    wait_for_app(page)
    assert "table=1" in page.url
    page.locator("[data-testid='stSidebar']").get_by_text("Released models only").click()
    wait_for_app(page)
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=30000)
    assert "table=1" in page.url
    assert page.locator("[data-testid='stException']").count() == 0


def test_data_quality_page(streamlit_server, page):
    page.goto(streamlit_server["url"] + "/data_quality")
    wait_for_app(page)
    page.wait_for_selector("text=Unmatched names", timeout=30000)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("open_llm_leaderboard: frozen").count() >= 1
    page.screenshot(path=str(OUTPUT / "data_quality.png"), full_page=True)


def test_a_hostile_link_value_is_ignored_with_a_visible_notice(streamlit_server, page):
    """A script tag in a shared link's score parameter is not run and not used: the page says so in a
    notice (as text), drops it from the URL and draws its default chart."""
    fired = []
    page.on("dialog", lambda d: (fired.append(d.message), d.dismiss()))
    page.goto(streamlit_server["url"] + "/landscape?y=%3Cscript%3Ealert(1)%3C/script%3E")
    wait_for_app(page)
    notice = page.locator("[data-testid='stAlert']", has_text="ignored 'y' in the link")
    notice.first.wait_for(timeout=30000)
    assert "<script>alert(1)</script>" in notice.first.inner_text()  # shown as text, never as markup
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=30000)
    assert fired == [] and "y=" not in page.url
    assert page.locator("[data-testid='stException']").count() == 0


def test_a_point_hover_label_is_built_from_its_template(streamlit_server, page):
    """plotly.js fills the hover template from the point's customdata: the label names the model
    and its score, with no placeholder or character reference left in it."""
    page.goto(streamlit_server["url"] + "/landscape?families=Llama%204&y=lmarena_text:lmarena")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=30000)
    page.locator(".js-plotly-plot .scatterlayer .point").first.hover(force=True)
    label = page.locator(".js-plotly-plot .hoverlayer .hovertext").first
    label.wait_for(timeout=30000)
    text = label.text_content()  # an SVG group
    assert "Llama 4" in text and "score:" in text and "click for its Model page (model?id=meta-llama/" in text
    assert "%{" not in text and "customdata" not in text and "&#" not in text
