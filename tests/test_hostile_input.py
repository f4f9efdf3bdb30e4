"""Hostile names from upstream flow through ETL, SQL, pages and exports as inert text.

A fake upstream (served by the fault server in place of Aider's polyglot YAML and LMArena's text
CSV) names models with HTML/script payloads, SQL, quotes, formulas, right-to-left and zero-width
characters and very long strings; the fixture registry holds a model whose id, name, family and
vendor are hostile too. Then: the database holds the strings literally (SQL stayed bound), a real
browser on every page runs no script (``window.__xss`` stays undefined, no dialog opens) and
renders the text literally, exports neutralise formulas, and hostile query parameters on every
page are ignored with a notice.
"""
from __future__ import annotations

import csv
import io

import duckdb
import pytest
import yaml

from tests.conftest import FIXTURES, MIRROR, need_mirror, wait_for_app
from tests.fault_server import FaultServer

EVIL_ALIAS = "+cmd|' /C calc'!A0"  # registry alias of the hostile fixture model
EVIL_FAMILY = "'; DROP TABLE models; --"
HOSTILE_NAMES = [
    "<script>window.__xss = 1</script>",
    '<img src=x onerror="window.__xss = 2; alert(2)">',
    "\"quoted\" 'single' `back`",
    "'; DROP TABLE models; --",
    '=HYPERLINK("http://evil.example","click")',
    "\u202eRTL override\u200b zero\u200dwidth",
    "[link](javascript:window.__xss=3)",
    "L" * 5000,
]
AIDER = "raw.githubusercontent.com/Aider-AI/aider/main/aider/website/_data/polyglot_leaderboard.yml"
LMARENA = "raw.githubusercontent.com/fboulnois/llm-leaderboard-csv/main/csv/lmarena_text.csv"


def _aider_body() -> bytes:
    runs = [{"model": n, "pass_rate_2": 10.0 + i, "pass_rate_1": 5.0, "edit_format": "whole",
             "date": "2025-05-01"} for i, n in enumerate(HOSTILE_NAMES + [EVIL_ALIAS, "Llama 4 Maverick"])]
    return yaml.safe_dump(runs).encode()


def _lmarena_body() -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["rank", "rank_stylectrl", "model", "arena_score", "95_pct_ci", "votes", "organization", "license",
                "knowledge_cutoff", "url"])
    for i, n in enumerate(HOSTILE_NAMES + [EVIL_ALIAS, "Llama 4 Maverick"]):
        w.writerow([i + 1, i + 1, n, 1300 - i, "+5/-5", "1,234", "<b>org</b>", "=1+1", "", "javascript:alert(1)"])
    return out.getvalue().encode()


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    need_mirror()
    from etl.fetch import Fetcher
    from etl.loader import refresh
    from etl.registry import load_registry
    db = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    with FaultServer(MIRROR) as srv:
        srv.body(AIDER, _aider_body())
        srv.body(LMARENA, _lmarena_body())
        rep = refresh(db, Fetcher(mirror=srv.url, attempts=1, timeout=(2, 10)),
                      models=load_registry(FIXTURES / "models.yaml"))
    assert rep.published
    assert {s.name: s.status for s in rep.sources}["aider"] in ("ok", "partial")
    return db


def test_hostile_strings_are_stored_literally_and_sql_stays_bound(hostile_db):
    con = duckdb.connect(str(hostile_db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM models").fetchone()[0] >= 5  # no DROP happened
        raw = {r[0] for r in con.execute("SELECT raw_name FROM scores WHERE model_id LIKE 'evil/%'").fetchall()}
        assert EVIL_ALIAS in raw
        unmatched = {r[0] for r in con.execute("SELECT raw_name FROM unmatched").fetchall()}
        for name in HOSTILE_NAMES:
            assert name in unmatched, name[:40]
    finally:
        con.close()
    from landscape import queries
    from landscape.filters import Filters
    got = queries.models(Filters(families=(EVIL_FAMILY,)), path=hostile_db)
    assert list(got["family"]) == [EVIL_FAMILY]


def test_exports_neutralise_hostile_upstream_names(hostile_db):
    export = pytest.importorskip("landscape.export")
    from landscape import queries
    from landscape.filters import Filters
    opts = queries.score_options(path=hostile_db)
    lm = opts[opts["source"] == "lmarena"].iloc[0]
    pts = queries.landscape_points(Filters(), lm["benchmark"], "lmarena", path=hostile_db)
    assert EVIL_ALIAS in set(pts["raw_name"])
    text = export.to_csv_bytes(pts, export.ExportMeta(title="t")).decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(("=", "+", "@")) or cell.lstrip("+-").replace(".", "", 1).isdigit(), cell


@pytest.fixture(scope="module")
def hostile_server(hostile_db, tmp_path_factory):
    from tests.conftest import serve_app
    with serve_app(hostile_db, tmp_path_factory.mktemp("hlog") / "streamlit.log") as server:
        yield server["url"]


def _pages():
    from ui import PAGES
    return [p.url_path for p in PAGES]


@pytest.mark.browser
@pytest.mark.timeout(120)
@pytest.mark.parametrize("path", _pages())
def test_no_script_runs_on_any_page(hostile_server, page, path):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{hostile_server}/{path}?families={EVIL_FAMILY}&y=%3Cscript%3Ewindow.__xss%3D9%3C/script%3E")
    wait_for_app(page, timeout=60000)
    page.wait_for_timeout(800)  # let charts and images settle (an onerror would fire by now)
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    assert not dialogs
    assert page.locator("[data-testid='stException']").count() == 0
    if path == "landscape":
        # the hostile family is drawn as text in the chart legend, literally
        page.wait_for_selector(".js-plotly-plot", timeout=30000)
        legend = " ".join(page.locator(".js-plotly-plot .legend text").all_text_contents())
        assert EVIL_FAMILY in legend, legend[:300]
        assert page.locator("script:has-text('window.__xss')").count() == 0


HOSTILE_PARAMS = {
    "families": "<script>alert(1)</script>," + EVIL_FAMILY, "vendors": "x" * 5000, "weights": "'; DROP",
    "tiers": "999", "released_only": "maybe", "include_reference": "[]", "y": "nope:nope",
    "models": "evil/<script>,,," + "m" * 3000, "model": "../../etc/passwd", "benchmark": "'; DROP TABLE scores; --",
    "hw": "-1", "quant": "<img src=x>", "ctx": "1e309", "use": "%00", "sort": "{{7*7}}", "zz_unknown": "1",
}


@pytest.mark.parametrize("page_path", [p for p in __import__("tests.conftest", fromlist=["x"]).registered_pages()])
def test_every_page_ignores_hostile_query_params_with_a_notice(app_db, page_path):
    from tests.conftest import run_page
    at = run_page(page_path, HOSTILE_PARAMS)
    assert not at.exception, [e.value for e in at.exception][:1]
    notices = [w.value for w in at.warning] + [w.value for w in at.sidebar.warning] + \
              [i.value for i in at.info] + [c.value for c in at.caption]
    if page_path == "app_pages/compare.py":  # no sidebar filters; its own 'models' parameter is validated
        assert any("no model named 'evil/<script>'" in n for n in notices), notices[:5]
        return
    try:
        at.multiselect(key="f_families")
    except KeyError:
        return  # this page reads no filters from the URL: nothing to ignore, nothing to announce
    assert any("ignored" in n.lower() for n in notices), notices[:5]
    assert at.multiselect(key="f_families").value == [EVIL_FAMILY] or at.multiselect(key="f_families").value == []


SCOUT = "meta-llama/Llama-4-Scout-17B-16E-Instruct"
MAVERICK = "meta-llama/Llama-4-Maverick-17B-128E-Instruct"
# what a page needs in its link before it binds every parameter (Compare binds its deployment
# settings only once two models are picked; Frontiers binds each tab's own when that tab is open)
PAGE_BASE = {"app_pages/compare.py": {"models": f"{SCOUT},{MAVERICK}"}}
PAGE_BASES = {**{p: [b] for p, b in PAGE_BASE.items()},
              "app_pages/trends.py": [{}, {"section": "timeline"}, {"section": "lag"}, {"section": "claims"}]}
BAD_VALUE = "<script>alert(1)</script>"


def bound_params(at) -> list[str]:
    """The link parameters the page on screen registered with ui.bind_param."""
    page = at.session_state["_qp_page"]
    return sorted(p for p, owner in at.session_state["_qp_owner"].items() if owner == page)


def _open_link(page_path: str, query: dict):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT
    at = AppTest.from_file(str(ROOT / page_path), default_timeout=90)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


@pytest.mark.parametrize("page_path", __import__("tests.conftest", fromlist=["x"]).registered_pages())
def test_every_bound_parameter_rejects_a_hostile_value_with_one_notice(app_db, page_path):
    """Generated from the pages' own registrations: each parameter a page binds gets a hostile
    value (alone, beside a valid base link); the page keeps working and shows exactly one notice
    naming that parameter, and the value is dropped from the link."""
    from tests.conftest import run_page
    checked: set[str] = set()
    for base in PAGE_BASES.get(page_path, [{}]):
        params = [p for p in bound_params(run_page(page_path, base)) if p not in checked]
        assert params, f"{page_path} binds no new link parameter with {base}"
        _check_hostile_values(page_path, base, params)
        checked |= set(params)


def _check_hostile_values(page_path: str, base: dict, params: list[str]) -> None:
    for param in params:
        # the link opens its own page directly (as in a browser), so a parameter the first page binds
        # too (Landscape's 'spotlight', 'y') is judged by this page, not dropped by the first one
        at = _open_link(page_path, {**base, param: BAD_VALUE})
        assert not at.exception, (param, [e.value for e in at.exception][:1])
        notices = [w.value for w in at.warning] + [w.value for w in at.sidebar.warning]
        naming = [n for n in notices if f"'{param}'" in n]
        assert len(naming) == 1, (page_path, param, notices)
        kept = at.query_params.get(param)
        assert BAD_VALUE not in (kept if isinstance(kept, list) else [kept]), (param, kept)


def test_bound_parameters_cover_the_documented_ones(app_db):
    """The issue's list of page parameters is what the pages bind (a renamed one fails here)."""
    from tests.conftest import registered_pages, run_page
    seen = set()
    for page in registered_pages():
        for base in PAGE_BASES.get(page, [{}]):
            seen |= set(bound_params(run_page(page, base)))
    assert {"format", "context", "kv", "seqs", "show", "runtime", "gib", "score", "sources", "benchmarks",
            "history", "top", "fits", "pareto", "source", "diff", "models", "hw", "y", "model", "section", "lag_y", "claimant",
            "verdict", "dates"} <= seen


def test_matcher_never_matches_hostile_names_by_accident():
    """Org prefixes are peeled only when they look like orgs: "</script>" is no org path."""
    from etl.matcher import Matcher
    from etl.registry import load_registry
    m = Matcher(load_registry(FIXTURES / "models.yaml"))
    for name in HOSTILE_NAMES + ["x/</script>", "<b>/<script>alert(1)</script>"]:
        assert m.match(name).model_id is None, name[:40]
    assert m.match(EVIL_ALIAS).model_id == "evil/<script>alert(1)</script>"  # its literal alias still matches
    assert m.match("openrouter/meta-llama/llama-4-maverick").model_id == "meta-llama/Llama-4-Maverick-17B-128E-Instruct"


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_model_page_of_a_hostile_model_runs_no_script(hostile_server, page):
    from urllib.parse import quote
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{hostile_server}/model?id=" + quote("evil/<script>alert(1)</script>", safe=""))
    wait_for_app(page, timeout=60000)
    page.wait_for_selector("text=Identity and lineage", timeout=30000)
    page.wait_for_timeout(800)
    assert page.evaluate("() => typeof window.__xss") == "undefined" and not dialogs
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("h3", has_text="<img src=x onerror=alert(1)>").count() == 1  # the name, as text
