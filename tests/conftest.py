"""Shared fixtures: paths, the mirror replay database, the snapshot database, a fixture factory."""
from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MIRROR = Path(os.environ.get("LANDSCAPE_MIRROR", ROOT.parent / "shared" / "mirror"))
REFERENCE = MIRROR.parent / "reference"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The project's own Hugging Face Hub API responses, laid out like a mirror (host/path): the hf_hub
# source is live-only, so no capture of it exists in ../shared/mirror.
HUB_API = FIXTURES / "hub_api"
SERVED_ROOTS = (MIRROR, HUB_API)
OUTPUT = ROOT / "test-output"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


ALLOW_NO_MIRROR = "LANDSCAPE_ALLOW_NO_MIRROR"
ALLOW_NO_BROWSER = "LANDSCAPE_ALLOW_NO_BROWSER"


def _opted_out(var: str) -> bool:
    return os.environ.get(var, "") == "1"


def pytest_configure(config):
    """The suite's ground must be there: without ../shared/mirror most of it would only skip."""
    if not MIRROR.is_dir() and not _opted_out(ALLOW_NO_MIRROR):
        pytest.exit(f"no mirror at {MIRROR}: the ETL replay, fault and identity tests need ../shared beside "
                    f"the checkout (or LANDSCAPE_MIRROR=DIR). To run without it on purpose, set "
                    f"{ALLOW_NO_MIRROR}=1 (those tests are then skipped; CI never sets it).", returncode=4)


def pytest_collection_modifyitems(config, items):
    def uses_browser(item) -> bool:
        return bool(item.get_closest_marker("browser") or {"browser", "page"} & set(getattr(item, "fixturenames", ())))
    if any(uses_browser(i) for i in items) and not Path(CHROMIUM).exists() \
            and not _opted_out(ALLOW_NO_BROWSER):
        pytest.exit(f"no Chromium at {CHROMIUM}: the browser tests need Debian's 'chromium' package "
                    f"(`make test` installs it as root; else `apt-get install chromium`). To run without it "
                    f"on purpose, set {ALLOW_NO_BROWSER}=1 or deselect with -m 'not browser' (CI never does).",
                    returncode=4)


# The only legitimate reasons for a skip on a full run (docs/RELIABILITY.md, "Expected skips").
# Any other skip fails the session: a test that quietly stops running is a hole, not a pass.
EXPECTED_SKIPS = (
    re.compile(r"^\w+: reads local curated files"),  # vendor_claims, licences: no upstream URL or parser
    re.compile(r"^\w+: its upstream format has no '\w+' variant"),  # a fault a file format cannot express
)
_unexpected_skips: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and isinstance(report.longrepr, tuple):
        reason = str(report.longrepr[2]).removeprefix("Skipped: ")
        opted_out = any(f"LANDSCAPE_ALLOW_NO_{what}=1" in reason for what in ("MIRROR", "BROWSER", "NGINX"))
        if not opted_out and not any(p.search(reason) for p in EXPECTED_SKIPS):
            _unexpected_skips.append(f"{report.nodeid}: {reason}")


def pytest_sessionfinish(session, exitstatus):
    if _unexpected_skips and exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _unexpected_skips:
        terminalreporter.section("unexpected skips (not in docs/RELIABILITY.md 'Expected skips')", red=True)
        for line in _unexpected_skips:
            terminalreporter.line(line)


def registered_pages() -> list[str]:
    """Every page in ui.PAGES, checked against the files in app_pages/ (none forgotten)."""
    from ui import PAGES
    on_disk = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "app_pages").glob("*.py"))
    assert sorted(p.path for p in PAGES) == on_disk, "every file in app_pages/ must be registered in ui.PAGES"
    return [p.path for p in PAGES]


def run_page(page: str, query: dict | None = None, timeout: float = 90):
    """AppTest of app.py opened on ``page`` with URL ``query`` parameters (as a shared link would)."""
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    if page != registered_pages()[0]:
        at.switch_page(page)
        at.run()
    return at


def served_file(rel: str) -> Path | None:
    """The file a mirror-relative path is served from (the mirror first, then our own API fixtures)."""
    for root in SERVED_ROOTS:
        f = root / rel
        if f.is_file():
            return f
    return None


def need_mirror():
    if not MIRROR.is_dir():
        pytest.skip(f"no mirror at {MIRROR} and {ALLOW_NO_MIRROR}=1")


@pytest.fixture(scope="session")
def mirror_db(tmp_path_factory) -> Path:
    """The whole ETL replayed on ../shared/mirror into a temporary database."""
    need_mirror()
    from etl.fetch import Fetcher
    from etl.loader import refresh
    db = tmp_path_factory.mktemp("mirror") / "landscape.duckdb"
    report = refresh(db, Fetcher(mirror=str(MIRROR)))
    assert report.published
    return db


@pytest.fixture(scope="session")
def snapshot_db(tmp_path_factory) -> Path:
    """The database `make run` builds from the bundled snapshot."""
    from etl import snapshot
    db = tmp_path_factory.mktemp("snapshot") / "landscape.duckdb"
    snapshot.build(db)
    return db


@pytest.fixture
def app_db(snapshot_db, monkeypatch) -> Path:
    monkeypatch.setenv("LANDSCAPE_DB", str(snapshot_db))
    return snapshot_db


@pytest.fixture
def fixture_db(tmp_path):
    """Factory: build a small database from tests/fixtures (see tests/factory.py)."""
    from tests.factory import make_db

    def build(**kwargs) -> Path:
        return make_db(tmp_path / "fixture.duckdb", **kwargs)
    return build


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rows(db, sql, params=None) -> list[tuple]:
    """Run one query on a read-only connection to ``db`` (for assertions on published tables)."""
    import duckdb
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@contextlib.contextmanager
def serve_app(db: Path, log_path: Path):
    """`streamlit run app.py` on 127.0.0.1 against ``db``; waits for /_stcore/health (60 s bound)."""
    import requests
    port = free_port()
    env = {**os.environ, "LANDSCAPE_DB": str(db)}
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                                 "--server.address", "127.0.0.1", "--server.port", str(port),
                                 "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    if requests.get(base + "/_stcore/health", timeout=2).text.strip() == "ok":
                        break
                except requests.RequestException:
                    pass
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit exited early (log: {log_path})")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not become healthy in 60 s (log: {log_path})")
                time.sleep(0.3)
            yield {"url": base, "db": db, "proc": proc}
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="session")
def streamlit_server(tmp_path_factory):
    """The app served on the snapshot database."""
    from etl import snapshot
    db = tmp_path_factory.mktemp("served") / "landscape.duckdb"
    snapshot.build(db)
    with serve_app(db, tmp_path_factory.mktemp("log") / "streamlit.log") as server:
        yield server


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian chromium not installed and {ALLOW_NO_BROWSER}=1")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = ctx.new_page()
    yield pg
    ctx.close()


def share_link_text(page, timeout=15000) -> str:
    """The sidebar's share link as a visitor copies it: open the "Share this view" popover (its
    code block is drawn only then), read it, close it again."""
    page.locator("[data-testid='stSidebar']").get_by_role("button", name="Share this view").click()
    text = page.locator("[data-testid='stPopoverBody'] [data-testid='stCode']").inner_text(timeout=timeout)
    page.keyboard.press("Escape")
    return text


def wait_for_app(page, timeout=30000):
    """Streamlit's own e2e pattern: wait until the script has finished running. The app root's
    ``data-test-script-state`` is "initial" until a first run starts (a status widget is not there
    yet either, so waiting on it alone could return before anything ran), then "running", then
    "notRunning"."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]') || "
        "!document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')",
        timeout=timeout)
