"""tools/warm.py (run by `make run` beside the server): once the server is healthy, one session
opens every page, so a first visitor finds the imports done and the caches full; a server that
never becomes healthy is reported, not waited on forever."""
from __future__ import annotations

import json
import subprocess
import sys
from urllib.parse import urlsplit

from tests.conftest import ROOT, free_port, registered_pages, serve_app


def _warm(port: int, wait: float = 120) -> tuple[int, dict]:
    out = subprocess.run([sys.executable, "-m", "tools.warm", "--host", "0.0.0.0", "--port", str(port),
                          "--wait", str(wait)], cwd=ROOT, capture_output=True, text=True, timeout=wait + 120)
    return out.returncode, json.loads(out.stderr.strip().splitlines()[-1])["warm"]


def test_warm_opens_every_page_of_a_fresh_server(tmp_path, snapshot_db):
    from ui import PAGES
    with serve_app(snapshot_db, tmp_path / "streamlit.log") as server:
        code, out = _warm(urlsplit(server["url"]).port)
        assert code == 0 and out["state"] == "done" and out["error"] is None, out
        assert sorted(out["pages"]) == sorted(p.url_path for p in PAGES) and len(registered_pages()) == len(PAGES)


def test_warm_reports_a_server_that_never_answers():
    code, out = _warm(free_port(), wait=1)
    assert code == 1 and out == {"state": "failed", "error": "server not healthy"}


def test_make_run_starts_the_warm_up_beside_the_server():
    recipe = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "-m tools.warm --host $(HOST) --port $(PORT) &" in recipe and "streamlit run app.py" in recipe
