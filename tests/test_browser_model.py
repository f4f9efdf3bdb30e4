"""Real browser: the Model page opened from a shared link, and the three story charts."""
from urllib.parse import quote

import pytest

from tests.conftest import OUTPUT, share_link_text, wait_for_app

pytestmark = pytest.mark.browser
MAVERICK = "meta-llama/Llama-4-Maverick-17B-128E-Instruct"


def test_model_page_from_a_shared_link(streamlit_server, page):
    page.goto(streamlit_server["url"] + "/model?id=" + quote(MAVERICK, safe=""))
    wait_for_app(page)
    page.wait_for_selector("text=Identity and lineage", timeout=30000)
    page.wait_for_selector("text=Sources and as-of", timeout=30000)
    assert page.locator("h3", has_text="Llama 4 Maverick").count() >= 1
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=30000)
    page.wait_for_function("() => document.querySelectorAll('[data-testid=\"stDataFrame\"]').length >= 8",
                           timeout=30000)
    assert page.get_by_text("listed apart").count() >= 1  # the unreleased variant's scores
    href = page.locator("a", has_text="Compare with peers").first.get_attribute("href")
    assert "compare?models=" in href and quote(MAVERICK, safe="") in href
    page.wait_for_function("() => location.search.includes('Llama-4-Maverick')", timeout=15000)
    assert "/model?id=meta-llama" in share_link_text(page)
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "model_page.png"), full_page=True)
    with page.expect_download(timeout=60000) as info:
        page.locator(".st-key-mp_scorecard button").click()
    text = open(info.value.path(), encoding="utf-8").read()
    assert info.value.suggested_filename == "scorecard-Llama-4-Maverick-17B-128E-Instruct.md"
    assert "1417" in text and "Built with Llama" in text
    page.reload()
    wait_for_app(page)
    page.wait_for_selector("text=Identity and lineage", timeout=30000)
    assert page.locator("h3", has_text="Llama 4 Maverick").count() >= 1 and "Maverick" in page.url


def test_the_four_charts_one_tab_each(streamlit_server, page):
    """Frontiers draws the selected tab's chart only; a click on a tab draws its chart and puts the
    tab in the link."""
    page.goto(streamlit_server["url"] + "/trends")
    wait_for_app(page, timeout=60000)
    OUTPUT.mkdir(exist_ok=True)

    def chart_of(tab: str | None):
        if tab:
            page.get_by_role("tab", name=tab).click()
        panel = page.locator("[role='tabpanel']:not([hidden])")
        panel.locator(".js-plotly-plot").first.wait_for(timeout=60000)
        # the other tabs' charts are not drawn (a left tab's is gone once the rerun ends)
        page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length === 1", timeout=60000)
        return panel.locator(".js-plotly-plot").first

    fit_chart = chart_of(None)
    assert fit_chart.locator(".scatterlayer .trace").count() >= 10
    legend = " ".join(fit_chart.locator(".legend text").all_text_contents())
    assert "Llama 4" in legend and "Qwen3" in legend
    assert "Llama 4 Scout" in fit_chart.inner_text()  # the spotlight family is labelled
    fit_chart.screenshot(path=str(OUTPUT / "chart_fit_frontier.png"))
    timeline = chart_of("Release timeline")
    page.wait_for_function("() => document.querySelector('.js-plotly-plot').innerText.includes('Release cadence')",
                           timeout=60000)
    assert "section=timeline" in page.url
    timeline.screenshot(path=str(OUTPUT / "chart_timeline.png"))
    chart_of("Open weights vs closed")
    page.wait_for_function("() => document.querySelector('.js-plotly-plot').innerText.includes('frontier')",
                           timeout=60000)
    page.locator(".js-plotly-plot").first.screenshot(path=str(OUTPUT / "chart_open_closed.png"))
    chart_of("Head-to-head claims")
    page.wait_for_function("() => document.querySelector('.js-plotly-plot').innerText.includes('holds')",
                           timeout=60000)
    h2h = page.locator(".js-plotly-plot").first
    assert h2h.locator(".scatterlayer .point").count() >= 5 and "section=claims" in page.url
    h2h.screenshot(path=str(OUTPUT / "chart_head_to_head.png"))
    page.screenshot(path=str(OUTPUT / "trends.png"), full_page=True)


def test_clicking_a_chart_point_links_to_its_model_page(streamlit_server, page):
    """Failed (strict xfail) until the page stopped recolouring and labelling a freshly unpickled figure on
    every rerun; now the figure is built once per input and drawn unchanged. Likely cause: the rebuilt
    figure did not match the one clicked, so its selection was dropped (not proven)."""
    page.goto(streamlit_server["url"] + "/landscape?families=Llama%204&y=lmarena_text:lmarena")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=30000)
    page.locator(".js-plotly-plot .scatterlayer .point").first.click(force=True)
    link = page.locator("[data-testid='stPageLink'] a", has_text="Model page:")
    link.first.wait_for(timeout=30000)
    link.first.click()
    page.wait_for_url(lambda u: "/model?" in u and "id=" in u, timeout=30000)
    wait_for_app(page)
    page.wait_for_selector("text=Identity and lineage", timeout=30000)
    assert "meta-llama" in page.url


def test_a_second_link_into_the_model_page_in_the_same_session_opens_that_model(streamlit_server, page):
    """Links carry ?id= into a page whose widget state already exists: the link wins."""
    page.goto(streamlit_server["url"] + "/landscape?families=Llama%204&y=lmarena_text:lmarena")
    wait_for_app(page)
    seen = []
    for i in range(2):
        page.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=30000)
        box = page.get_by_role("combobox", name="Model page of a plotted model").first
        box.focus()  # the keyboard way: type the name, Enter (as a keyboard user would)
        page.keyboard.type(["Llama 4 Maverick", "Llama 4 Scout"][i])
        page.keyboard.press("Enter")
        wait_for_app(page)
        link = page.locator("[data-testid='stPageLink'] a", has_text="Model page:").first
        link.wait_for(timeout=30000)
        name = link.inner_text().split("Model page:", 1)[1].strip().strip("`'")
        link.click()
        page.wait_for_url(lambda u: "/model?" in u and "id=" in u, timeout=30000)
        wait_for_app(page)
        page.wait_for_selector("text=Identity and lineage", timeout=30000)
        page.locator("h3", has_text=name).first.wait_for(timeout=30000)
        seen.append(name)
        page.locator("[data-testid='stSidebarNav'] a", has_text="Landscape").click()
        wait_for_app(page)
    assert len(set(seen)) == 2, seen


def test_compare_with_peers_opens_compare_with_the_model_and_its_peers(streamlit_server, page):
    page.goto(streamlit_server["url"] + "/model?id=" + quote(MAVERICK, safe=""))
    wait_for_app(page)
    page.locator("a", has_text="Compare with peers").first.click()
    page.wait_for_url(lambda u: "/compare?" in u, timeout=30000)
    wait_for_app(page)
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=30000)
    chosen = page.locator("[data-testid='stMultiSelect']").first.inner_text()
    assert "Llama 4 Maverick" in chosen and "DeepSeek V3-0324" in chosen and "Llama 4 Scout" not in chosen
