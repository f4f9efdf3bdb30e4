"""Real browser: the Compare page restored from a shared link, and its CSV download."""
import csv
import io
from urllib.parse import quote

import pytest

from tests.conftest import OUTPUT, share_link_text, wait_for_app

pytestmark = pytest.mark.browser
SCOUT = "meta-llama/Llama-4-Scout-17B-16E-Instruct"
MAVERICK = "meta-llama/Llama-4-Maverick-17B-128E-Instruct"


def test_compare_csv_download_from_a_shared_link(streamlit_server, page):
    page.goto(streamlit_server["url"] + "/compare?models=" + quote(f"llama-4-scout,{MAVERICK}"))
    wait_for_app(page)
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=30000)
    # the link is normalised to canonical ids and shown in the sidebar's share box (a popover, drawn when opened)
    page.wait_for_function("() => location.search.includes('Llama-4-Scout-17B-16E-Instruct')", timeout=15000)
    assert page.locator("[data-testid='stCode']").count() == 0  # not drawn until opened
    share = share_link_text(page)
    assert "/compare?models=" in share and "Llama-4-Maverick-17B-128E-Instruct" in share
    with page.expect_download(timeout=30000) as info:
        page.locator(".st-key-dl_compare_wide_csv button").click()
    dl = info.value
    assert dl.suggested_filename.startswith("compare-") and dl.suggested_filename.endswith(".csv")
    text = open(dl.path(), encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[:6] == ["group", "attribute", "unit", "better", "Llama 4 Scout", "Llama 4 Maverick"]
    by_attr = {r["attribute"]: r for r in rows}
    assert by_attr["total params"]["Llama 4 Scout"] == "109" and by_attr["total params"]["Llama 4 Maverick"] == "400"
    assert by_attr["model id"]["Llama 4 Maverick"] == MAVERICK
    assert rows[0]["data_snapshot"] and rows[0]["exported_at"].endswith("Z")
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "compare.png"), full_page=True)
    # reload keeps the view
    page.reload()
    wait_for_app(page)
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=30000)
    assert "Llama 4 Maverick" in page.locator("[data-testid='stMultiSelect']").first.inner_text()
