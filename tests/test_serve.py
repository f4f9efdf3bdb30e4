"""`make serve`: replicas behind nginx, sticky sessions, websocket, /healthz, failover, clean stop.

The end-to-end tests are marked ``serve`` (``pytest -m serve``). They need Debian's nginx, which
`make test` installs when run as root; without it they fail with that message, unless
LANDSCAPE_ALLOW_NO_NGINX=1 is set (then they are skipped). Bounded: every wait has a deadline.
"""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
import requests

from etl.snapshot import read_manifest
from tests.conftest import MIRROR, free_port, need_mirror
from tools import serve
from tools.stclient import Session


def need_nginx():
    if Path(serve.NGINX).exists():
        return
    if os.environ.get("LANDSCAPE_ALLOW_NO_NGINX") == "1":
        pytest.skip("nginx not installed and LANDSCAPE_ALLOW_NO_NGINX=1")
    pytest.fail(f"nginx is not installed ({serve.NGINX}): `make test` installs Debian's nginx when run as root; "
                "set LANDSCAPE_ALLOW_NO_NGINX=1 to skip the serving tests")


def test_nginx_conf_pins_a_browser_to_one_replica_and_upgrades_websockets(tmp_path):
    conf = serve.nginx_conf("127.0.0.1", 9000, [9101, 9102, 9103], 9200, tmp_path)
    assert "listen 127.0.0.1:9000;" in conf
    # one upstream per replica, the other replicas as its backups (failover on connection errors)
    assert "upstream r0 {\n        server 127.0.0.1:9101 max_fails=1 fail_timeout=3s;\n" \
           "        server 127.0.0.1:9102 backup;\n        server 127.0.0.1:9103 backup;\n    }" in conf
    # the cookie names the replica; anything else (a forged value) falls back to a random one
    assert f"map $cookie_{serve.COOKIE} $landscape_replica" in conf and "default $landscape_new;" in conf
    assert "33.33% r0;" in conf and "* r2;" in conf
    assert "proxy_set_header Upgrade $http_upgrade;" in conf and "proxy_set_header Connection $connection_upgrade;" in conf
    assert "location = /healthz" in conf and "server 127.0.0.1:9200;" in conf
    assert str(tmp_path / "nginx.pid") in conf


def test_settings_from_env_defaults_and_errors(tmp_path):
    s = serve.Settings.from_env({})
    assert (s.replicas, s.port, s.host, s.refresh_every, s.snapshot_url) == (2, 8501, "127.0.0.1", None, None)
    s = serve.Settings.from_env({"REPLICAS": "3", "PORT": "9000", "LANDSCAPE_DB": str(tmp_path / "x.duckdb"),
                                 "REFRESH_EVERY": "6h", "RESTART_DELAY": "off"})
    assert (s.replicas, s.port, s.db, s.refresh_every, s.restart_delay) == (3, 9000, tmp_path / "x.duckdb", "6h", None)
    assert s.warm_up is True and serve.Settings.from_env({"WARM_UP": "off"}).warm_up is False
    for bad in ({"REPLICAS": "0"}, {"PORT": "70000"}, {"REFRESH_EVERY": "soon"}, {"WARM_UP": "later"},
                {"REFRESH_EVERY": "6h", "LANDSCAPE_SNAPSHOT_URL": "http://127.0.0.1:1/"}):
        with pytest.raises(ValueError):
            serve.Settings.from_env(bad)


def serve_env(tmp_path, db, replicas=2, **extra) -> dict:
    # warm-up off unless a test asks for it: its session would be counted in the session assertions
    return {"REPLICAS": replicas, "PORT": free_port(), "LANDSCAPE_DB": db, "SERVE_DIR": tmp_path / "serve",
            "WARM_UP": "off", **extra}


@pytest.fixture
def served_db(tmp_path, snapshot_db) -> Path:
    """A copy of the snapshot database for one serve test (nginx must be there)."""
    need_nginx()
    import shutil
    db = tmp_path / "landscape.duckdb"
    shutil.copy(snapshot_db, db)
    return db


def _health(base):
    r = requests.get(base + "/healthz", timeout=10)
    return r.status_code, r.json()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purpose
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


@pytest.mark.serve
@pytest.mark.timeout(240)
def test_two_replicas_sticky_sessions_failover_and_clean_shutdown(tmp_path, served_db):
    db = served_db
    with serve.launched(serve_env(tmp_path, db, RESTART_DELAY=4), tmp_path / "serve.log") as (base, proc):
        code, h = _health(base)
        assert code == 200 and h["status"] == "ok" and [r["name"] for r in h["replicas"]] == ["r0", "r1"]
        pids = {r["name"]: r["pid"] for r in h["replicas"]}
        for r in h["replicas"]:  # every replica says which data it serves
            assert r["state"] == "up" and r["db"] == str(db)
            assert r["db_version"]["snapshot_id"] == read_manifest()["snapshot_id"]
        # a new browser gets a replica cookie; it keeps it (sticky) and the websocket works through nginx
        fresh = Session(base)
        run = fresh.open()
        assert fresh.cookies[serve.COOKIE] in pids and not run.exceptions and run.elements > 10
        again = requests.get(base + "/", cookies=fresh.cookies, timeout=10)
        assert again.cookies.get(serve.COOKIE) == fresh.cookies[serve.COOKIE]
        fresh.close()
        # cookie-less requests spread over both replicas
        seen = {requests.get(base + "/_stcore/health", timeout=10).cookies.get(serve.COOKIE) for _ in range(30)}
        assert seen == {"r0", "r1"}
        on0 = Session(base, cookies={serve.COOKIE: "r0"})
        on1 = Session(base, cookies={serve.COOKIE: "r1"})
        on0.open()
        on1.open()
        assert not on1.switch_page("data_quality").exceptions
        deadline = time.monotonic() + 10  # each replica counts its own sessions (Streamlit's gauge)
        while not all(r["sessions"] >= 1 for r in _health(base)[1]["replicas"]):
            assert time.monotonic() < deadline, _health(base)[1]
            time.sleep(0.3)
        held = _health(base)[1]["replicas"][0]["sessions"]
        # kill replica r0: only its sessions are lost, the health endpoint says so
        os.kill(pids["r0"], signal.SIGKILL)
        deadline = time.monotonic() + 10
        while _health(base)[1]["replicas"][0]["state"] != "down":
            assert time.monotonic() < deadline, "health never reported r0 down"
            time.sleep(0.2)
        code, h = _health(base)
        assert code == 200 and h["status"] == "degraded" and h["replicas_up"] == 1
        assert h["replicas"][0]["last_exit"] == -signal.SIGKILL and h["replicas"][0]["sessions"] == 0
        assert 1 <= h["replicas"][0]["sessions_lost"] <= held  # what it held when it died (a closed one may
        # still have been counted when `held` was read)
        assert h["replicas"][1]["state"] == "up"
        assert not on1.rerun().exceptions  # r1's session lives on
        with pytest.raises(Exception):
            on0.rerun()  # r0's session died with it
        moved = Session(base, cookies={serve.COOKIE: "r0"})  # its browsers are served by r1 meanwhile
        assert not moved.open().exceptions
        moved.close()
        # the supervisor restarts r0 (RESTART_DELAY=4)
        deadline = time.monotonic() + 90
        while True:
            code, h = _health(base)
            if h["status"] == "ok":
                break
            assert time.monotonic() < deadline, h
            time.sleep(0.5)
        assert h["replicas"][0]["restarts"] == 1 and h["replicas"][0]["pid"] != pids["r0"]
        on1.close()
        children = [r["pid"] for r in h["replicas"]]
        nginx_pid = int((tmp_path / "serve" / "nginx.pid").read_text())
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in children + [nginx_pid]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [p for p in children + [nginx_pid] if _alive(p)], "a child outlived the supervisor"
    with pytest.raises(requests.ConnectionError):
        requests.get(base + "/healthz", timeout=3)


@pytest.mark.serve
@pytest.mark.timeout(240)
def test_serve_runs_the_scheduled_refresher_and_replicas_pick_up_its_database(tmp_path, served_db):
    need_mirror()
    db = served_db
    pub = tmp_path / "published"
    env = serve_env(tmp_path, db, replicas=1, REFRESH_EVERY="1h", REFRESH_MIRROR=MIRROR, PUBLISH_SNAPSHOT=pub)
    with serve.launched(env, tmp_path / "serve.log") as (base, _proc):
        reader = Session(base)
        assert not reader.open().exceptions  # a session open while the first round runs
        deadline = time.monotonic() + 120
        while True:
            h = _health(base)[1]
            last = (h["refresher"] or {}).get("last_round") or {}
            if last.get("status") in ("ok", "partial") and last.get("snapshot"):
                break
            assert time.monotonic() < deadline, h
            time.sleep(0.5)
        assert h["refresher"]["kind"] == "scheduled refresh" and h["refresher"]["running"]
        version = h["replicas"][0]["db_version"]
        assert version["kind"] == "refresh" and version["snapshot_id"] != read_manifest()["snapshot_id"]
        assert read_manifest(pub)["snapshot_id"] == last["snapshot"]["snapshot_id"]
        run = reader.switch_page("data_quality")  # the same session, next rerun: the refreshed data
        assert not run.exceptions
        said = "Last scheduled refresh:" if last["status"] == "ok" else "The last scheduled refresh ("
        assert any(t.startswith(said) and last["last_attempt"] in t for t in run.texts), run.texts[:5]
        reader.close()


@pytest.mark.serve
@pytest.mark.timeout(180)
def test_make_serve_answers_on_one_port_and_stops_on_sigterm(tmp_path, served_db):
    """The README's command. ``-o venv -o nginx``: the test command already installed both (and a
    test must not reinstall the virtualenv)."""
    import subprocess
    from tests.conftest import ROOT
    db = served_db
    port = free_port()
    env = {**os.environ, "SERVE_DIR": str(tmp_path / "serve"), "LANDSCAPE_DB": str(db), "PORT": str(port)}
    with open(tmp_path / "make.log", "w") as log:
        proc = subprocess.Popen(["make", "--no-print-directory", "-o", "venv", "-o", "nginx", "serve", "REPLICAS=2"],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                code, h = _health(base)
                if code == 200 and h["replicas_up"] == 2:
                    break
            except (requests.RequestException, ValueError):
                pass
            assert proc.poll() is None, (tmp_path / "make.log").read_text()[-2000:]
            assert time.monotonic() < deadline, (tmp_path / "make.log").read_text()[-2000:]
            time.sleep(0.5)
        assert requests.get(base + "/", timeout=10).status_code == 200
        with Session(base) as s:
            assert s.open().elements > 10
        pids = [r["pid"] for r in h["replicas"]]
        os.killpg(proc.pid, signal.SIGTERM)  # Ctrl-C / a service manager stopping the unit
        proc.wait(40)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    log = tmp_path / "make.log"  # make returns at once; the supervisor (same process group) stops in order
    deadline = time.monotonic() + 30
    while (any(_alive(p) for p in pids) or "stopped" not in log.read_text()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [p for p in pids if _alive(p)]
    assert "stopped" in log.read_text()


@pytest.mark.serve
@pytest.mark.timeout(240)
def test_a_started_replica_warms_every_page_in_the_background_while_healthz_answers(tmp_path, served_db):
    from ui import PAGES
    db = served_db
    with serve.launched(serve_env(tmp_path, db, replicas=1, WARM_UP="on"), tmp_path / "serve.log") as (base, _proc):
        seen, deadline = [], time.monotonic() + 180
        while time.monotonic() < deadline:
            code, h = _health(base)
            assert code == 200 and h["replicas"][0]["state"] == "up"  # the health check never waits for it
            seen.append(h["replicas"][0]["warm"]["state"])
            if seen[-1] in ("done", "failed"):
                break
            time.sleep(0.2)
        warm = h["replicas"][0]["warm"]
        assert warm["state"] == "done" and warm["error"] is None, warm
        assert warm["pages"] == [p.url_path for p in PAGES] and warm["seconds"] > 0
        assert "running" in seen or "pending" in seen, seen  # /healthz answered while it was still warming
        # the supervisor wrote this version's fit grid before the warm-up read it
        from landscape.fit import grid
        assert h["fit_grid"]["state"] == "done", h["fit_grid"]
        assert {grid._file_token(grid.grid_dir(db) / f"{s.name}.parquet") for s in grid.SETUPS} == {grid.file_version(db)}
        # the warm-up session is closed: a visitor then opens the first page without an error
        visitor = Session(base)
        run = visitor.open()
        assert not run.exceptions and run.elements > 10
        visitor.close()
        # a newly published database (new file version) is warmed again, in the background
        ns = time.time_ns()
        os.utime(db, ns=(ns, ns))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            code, h = _health(base)
            assert code == 200
            warm = h["replicas"][0]["warm"]
            if warm.get("reason") == "new database" and warm["state"] in ("done", "failed"):
                break
            time.sleep(0.3)
        assert warm.get("reason") == "new database" and warm["state"] == "done", warm
        assert warm["db_token"] == h["replicas"][0]["db_version"]["token"]
        assert h["fit_grid"]["state"] == "done"  # and the new version's grid was written first
        assert {grid._file_token(grid.grid_dir(db) / f"{s.name}.parquet") for s in grid.SETUPS} == {grid.file_version(db)}
