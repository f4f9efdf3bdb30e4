"""Readers during repeated publishes, and a refresh killed with SIGKILL mid-way.

Bounded: the publish loop runs for PUBLISH_SECONDS, every subprocess has a timeout.
"""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import MIRROR, ROOT, need_mirror, serve_app, wait_for_app

PUBLISH_SECONDS = 12

PUBLISHER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from etl.fetch import Fetcher
    from etl.loader import refresh
    from etl.registry import load_registry
    models = load_registry()
    end = time.monotonic() + {seconds}
    n = 0
    while time.monotonic() < end:
        rep = refresh({db!r}, Fetcher(mirror={mirror!r}), only=["aider", "lmarena"], models=models)
        assert rep.published
        n += 1
    print("published", n, flush=True)
""")


def _expected(db: Path) -> tuple[int, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return (con.execute("SELECT count(*) FROM models").fetchone()[0],
                con.execute("SELECT count(*) FROM sources").fetchone()[0])
    finally:
        con.close()


@pytest.mark.browser
@pytest.mark.timeout(150)
def test_readers_see_only_complete_databases_while_refresh_publishes(tmp_path, page):
    need_mirror()
    from etl.fetch import Fetcher
    from etl.loader import refresh
    db = tmp_path / "live.duckdb"
    refresh(db, Fetcher(mirror=str(MIRROR)))
    n_models, n_sources = _expected(db)
    with serve_app(db, tmp_path / "streamlit.log") as server:
        published, reads, pages, inodes = _read_while_publishing(db, server["url"], page, n_models, n_sources)
    assert published >= 2 and len(inodes) >= 2, (published, len(inodes))  # the file really was swapped
    assert reads >= 5 and pages >= 2
    assert not list(tmp_path.glob(".live.duckdb.tmp-*"))


def _read_while_publishing(db: Path, base: str, page, n_models: int, n_sources: int):
    """Query the database (core functions) and the served app (browser) while a subprocess keeps
    republishing it; return (publishes, core reads, pages loaded, inodes seen)."""
    import requests

    from landscape import queries
    from landscape.filters import Filters
    pub = subprocess.Popen([sys.executable, "-c", PUBLISHER.format(root=str(ROOT), seconds=PUBLISH_SECONDS, db=str(db),
                                                                    mirror=str(MIRROR))],
                           cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    reads = pages = 0
    inodes = set()
    try:
        # read for as long as the publisher runs (its start-up and last publish may be slow on a
        # loaded machine), bounded: every publish happens while readers are reading
        end = time.monotonic() + PUBLISH_SECONDS + 60
        next_page = 0.0
        while pub.poll() is None and time.monotonic() < end:
            inodes.add(db.stat().st_ino)
            assert len(queries.models(Filters(released_only=False, include_reference=True), path=db)) == n_models
            st = queries.sources_status(path=db)
            assert len(st) == n_sources and set(st["status"]) <= {"ok", "partial", "failed"}
            assert queries.facet_values(path=db)["families"]
            opts = queries.score_options(path=db)
            assert len(opts)
            reads += 1
            if time.monotonic() >= next_page:  # the real app over HTTP, in a real browser
                assert requests.get(base + "/_stcore/health", timeout=5).text.strip() == "ok"
                page.goto(base + "/data_quality" if pages % 2 else base + "/landscape")
                wait_for_app(page)
                assert page.locator("[data-testid='stException']").count() == 0
                assert page.locator("[data-testid='stAlertContentError']").count() == 0
                pages += 1
                next_page = time.monotonic() + 1.5
        out, err = pub.communicate(timeout=60)
        assert pub.returncode == 0, err[-2000:]
    finally:
        if pub.poll() is None:
            pub.kill()
    return int(out.split()[1]), reads, pages, inodes


KILLED = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from etl.fetch import Fetcher
    from etl.loader import refresh
    def progress(line):
        print(line, flush=True)
        time.sleep(0.4)  # slow enough to be killed between sources
    refresh({db!r}, Fetcher(mirror={mirror!r}), progress=progress)
    print("DONE", flush=True)
""")


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.mark.timeout(120)
def test_sigkill_mid_refresh_keeps_previous_database_and_next_run_cleans_up(tmp_path):
    need_mirror()
    from etl.fetch import Fetcher
    from etl.loader import refresh
    db = tmp_path / "l.duckdb"
    refresh(db, Fetcher(mirror=str(MIRROR)))
    before = _sha(db)
    proc = subprocess.Popen([sys.executable, "-c", KILLED.format(root=str(ROOT), db=str(db), mirror=str(MIRROR))],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        seen = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            seen.append(line)
            if ": ok" in line or ": partial" in line or ": failed" in line:  # one source done, mid-refresh
                break
        temps = list(tmp_path.glob(f".{db.name}.tmp-{proc.pid}-*"))
        assert temps, f"no temp file while refreshing: {seen}"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert "DONE" not in "".join(seen)
    assert _sha(db) == before  # the published database is untouched
    con = duckdb.connect(str(db), read_only=True)  # and still opens and reads
    assert con.execute("SELECT count(*) FROM scores").fetchone()[0] > 0
    con.close()
    assert list(tmp_path.glob(f".{db.name}.tmp-{proc.pid}-*"))  # the dead run's litter is there...
    rep = refresh(db, Fetcher(mirror=str(MIRROR)), only=["aider"])
    assert rep.published
    assert not list(tmp_path.glob(f".{db.name}.tmp-*"))  # ...and the next run removed it
