"""Serve a team: N Streamlit replicas on loopback ports behind nginx, one public port.

``python -m tools.serve`` (what ``make serve`` runs). Settings come from the environment:

==================  ==========================  ===============================================
variable            default                     meaning
==================  ==========================  ===============================================
REPLICAS            2                           Streamlit processes (each on a free 127.0.0.1 port)
PORT                8501                        nginx's public port
HOST                127.0.0.1                   nginx's listen address (0.0.0.0 to serve a LAN)
LANDSCAPE_DB        var/landscape.duckdb        database every replica reads
REFRESH_EVERY       (off)                       run ``python -m etl refresh --every`` (e.g. 6h)
REFRESH_MIRROR      (live)                      refresh from this mirror (dir or http base)
PUBLISH_SNAPSHOT    (off)                       the refresher also publishes the snapshot here
LANDSCAPE_SNAPSHOT_URL (off)                    build the database from this published snapshot
                                                (``python -m etl sync``) instead of refreshing
SYNC_EVERY          60s                         how often to poll that snapshot's manifest
RESTART_DELAY       5                           seconds before a dead replica is restarted (off: never)
WARM_UP             on                          after a replica starts, a background session opens every
                                                page once so the first visitor finds its caches filled
                                                (off: no warm-up); never delays /healthz
SERVE_DIR           var/serve                   nginx config, logs, pid files
NGINX               nginx on PATH               the nginx binary (else /usr/sbin/nginx)
==================  ==========================  ===============================================

Routing: a new browser is assigned a replica at random and gets a ``landscape_replica`` cookie;
every later request (the page, static files, the ``/_stcore/stream`` websocket, which nginx
upgrades) goes to that replica, so its Streamlit session stays on one process. When that
replica is down nginx sends the request to another one (a new session there); only the dead
replica's sessions are lost. ``GET /healthz`` (through nginx) reports every replica (up or down,
pid, port, active sessions, sessions lost when it died, restarts, last exit) and the database
version each one reads; HTTP 200 while at
least one replica is up ("ok" or "degraded"), 503 when none is. SIGTERM/SIGINT stop everything
cleanly (nginx first, then the replicas, then the refresher). Each replica starts with the
allocator settings of ``tools/server_env.py`` (as ``make run`` does).
"""
from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

from tools.server_env import server_env
from tools.stclient import Session
from tools.warm import walk

ROOT = Path(__file__).resolve().parent.parent
COOKIE = "landscape_replica"
NGINX = os.environ.get("NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"  # Debian's path when not on PATH


@dataclass
class Settings:
    replicas: int = 2
    port: int = 8501
    host: str = "127.0.0.1"
    db: Path = ROOT / "var" / "landscape.duckdb"
    refresh_every: str | None = None
    refresh_mirror: str | None = None
    publish_snapshot: Path | None = None
    snapshot_url: str | None = None
    sync_every: str = "60s"
    restart_delay: float | None = 5.0
    serve_dir: Path = ROOT / "var" / "serve"
    warm_up: bool = True

    @classmethod
    def from_env(cls, env: dict | None = None) -> "Settings":
        env = os.environ if env is None else env

        def get(name):
            v = env.get(name, "").strip()
            return v or None
        s = cls()
        if get("REPLICAS"):
            s.replicas = int(get("REPLICAS"))
        if get("PORT"):
            s.port = int(get("PORT"))
        s.host = get("HOST") or s.host
        if get("LANDSCAPE_DB"):
            s.db = Path(get("LANDSCAPE_DB")).resolve()
        s.refresh_every = get("REFRESH_EVERY")
        if s.refresh_every in ("0", "off", "none"):
            s.refresh_every = None
        s.refresh_mirror = get("REFRESH_MIRROR")
        if get("PUBLISH_SNAPSHOT"):
            s.publish_snapshot = Path(get("PUBLISH_SNAPSHOT")).resolve()
        s.snapshot_url = get("LANDSCAPE_SNAPSHOT_URL")
        s.sync_every = get("SYNC_EVERY") or s.sync_every
        rd = get("RESTART_DELAY")
        if rd is not None:
            s.restart_delay = None if rd in ("off", "never", "none") else float(rd)
        if get("SERVE_DIR"):
            s.serve_dir = Path(get("SERVE_DIR")).resolve()
        wu = (get("WARM_UP") or "on").lower()
        if wu not in ("on", "off", "1", "0", "true", "false"):
            raise ValueError(f"WARM_UP must be on or off, not {wu[:20]!r}")
        s.warm_up = wu in ("on", "1", "true")
        s.validate()
        return s

    def validate(self) -> None:
        if not 1 <= self.replicas <= 32:
            raise ValueError(f"REPLICAS must be 1-32, not {self.replicas}")
        if not 1 <= self.port <= 65535:
            raise ValueError(f"PORT must be a TCP port, not {self.port}")
        if self.snapshot_url and self.refresh_every:
            raise ValueError("set LANDSCAPE_SNAPSHOT_URL (follow another machine's refresh) or REFRESH_EVERY "
                             "(refresh here), not both")
        from etl.scheduled import parse_interval
        if self.refresh_every:
            parse_interval(self.refresh_every)
        parse_interval(self.sync_every)


def _die_with_parent() -> None:
    """preexec_fn: the child gets SIGTERM if the supervisor dies (even by SIGKILL): no orphans."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_conf(public_host: str, public_port: int, replica_ports: list[int], health_port: int, run_dir: Path) -> str:
    """The nginx configuration: one upstream per replica (the others as its backups), a cookie
    that pins a browser to one replica, websocket upgrade, /healthz to the supervisor."""
    names = [f"r{i}" for i in range(len(replica_ports))]
    ups = []
    for i, (name, port) in enumerate(zip(names, replica_ports)):
        backups = [p for j, p in enumerate(replica_ports) if j != i]
        ups.append(f"    upstream {name} {{\n        server 127.0.0.1:{port} max_fails=1 fail_timeout=3s;\n"
                   + "".join(f"        server 127.0.0.1:{b} backup;\n" for b in backups) + "    }")
    n = len(names)
    split = "".join(f"        {int(10000 / n) / 100:.2f}% {name};\n" for name in names[:-1]) + f"        * {names[-1]};\n"
    pinned = "".join(f"        {name} {name};\n" for name in names)
    r = str(run_dir)
    return f"""# generated by tools/serve.py: do not edit
worker_processes 1;
pid {r}/nginx.pid;
error_log {r}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {r}/nginx-access.log;
    client_body_temp_path {r}/tmp/body;
    proxy_temp_path {r}/tmp/proxy;
    fastcgi_temp_path {r}/tmp/fastcgi;
    uwsgi_temp_path {r}/tmp/uwsgi;
    scgi_temp_path {r}/tmp/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    # a new browser gets a random replica; afterwards its cookie pins it (values other than
    # known replica names are ignored)
    split_clients "${{request_id}}" $landscape_new {{
{split}    }}
    map $cookie_{COOKIE} $landscape_replica {{
{pinned}        default $landscape_new;
    }}
{chr(10).join(ups)}
    upstream landscape_health {{ server 127.0.0.1:{health_port}; }}
    server {{
        listen {public_host}:{public_port};
        client_max_body_size 200m;
        location = /healthz {{
            proxy_pass http://landscape_health;
            add_header Cache-Control "no-store" always;
        }}
        location / {{
            proxy_pass http://$landscape_replica;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 1d;
            proxy_send_timeout 1d;
            proxy_buffering off;
            proxy_next_upstream error timeout http_502;
            proxy_connect_timeout 2s;
            add_header Set-Cookie "{COOKIE}=$landscape_replica; Path=/; HttpOnly; SameSite=Lax" always;
        }}
    }}
}}
"""


@dataclass
class Replica:
    name: str
    port: int
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    restarts: int = 0
    last_exit: int | None = None
    down_since: float | None = None
    log: Path | None = None
    sessions: int | None = None  # active Streamlit sessions, last seen (Streamlit's /_stcore/metrics)
    sessions_lost: int | None = None  # sessions it had when it died
    warm: dict = field(default_factory=dict)  # warm-up of the current process: state, seconds, pages, error


@dataclass
class Supervisor:
    settings: Settings
    replicas: list[Replica] = field(default_factory=list)
    nginx: subprocess.Popen | None = None
    worker: subprocess.Popen | None = None  # refresher or snapshot syncer
    health_server: ThreadingHTTPServer | None = None
    stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    cookie_secret: str = field(default_factory=lambda: secrets.token_hex(16))
    _warmed_token: str | None = None  # database version the replicas were last warmed for
    grid_ready: threading.Event = field(default_factory=threading.Event)  # this version's fit grid is written (or failed)
    grid: dict = field(default_factory=lambda: {"state": "pending"})

    # --- start ---------------------------------------------------------------------------------
    def start(self) -> None:
        s = self.settings
        if not Path(NGINX).exists():
            raise SystemExit(f"nginx not found at {NGINX}: install Debian's nginx package "
                             "(`make serve` does this when run as root)")
        s.serve_dir.mkdir(parents=True, exist_ok=True)
        (s.serve_dir / "tmp").mkdir(exist_ok=True)
        self._prepare_database()
        with contextlib.suppress(Exception):
            from landscape.db import db_token
            self._warmed_token = db_token(s.db)
        self._start_precompute()
        self.replicas = [Replica(f"r{i}", free_port(), log=s.serve_dir / f"replica-r{i}.log") for i in range(s.replicas)]
        for r in self.replicas:
            self._spawn(r)
        self._start_health()
        self._wait_healthy(90)
        conf = s.serve_dir / "nginx.conf"
        conf.write_text(nginx_conf(s.host, s.port, [r.port for r in self.replicas],
                                   self.health_server.server_address[1], s.serve_dir))
        self.nginx = subprocess.Popen([NGINX, "-p", str(s.serve_dir), "-e", str(s.serve_dir / "nginx-error.log"),
                                       "-c", str(conf), "-g", "daemon off;"],
                                      stdout=subprocess.DEVNULL, stderr=open(s.serve_dir / "nginx.out", "w"),
                                      start_new_session=True, preexec_fn=_die_with_parent)
        self._wait_public(20)
        self._start_worker()
        _log(f"serving http://{s.host}:{s.port} ({len(self.replicas)} replica(s): "
             + ", ".join(f"{r.name}=127.0.0.1:{r.port}" for r in self.replicas)
             + f"; health: http://{s.host}:{s.port}/healthz; db {s.db})")

    def _prepare_database(self) -> None:
        s = self.settings
        if s.snapshot_url:
            from etl import sync
            st = sync.sync_status_round(s.snapshot_url, s.db)
            if st["status"] != "ok" and not s.db.exists():
                raise SystemExit(f"cannot build the database from {s.snapshot_url}: {st['error']}")
            if st["status"] != "ok":
                _log(f"snapshot sync failed, serving the current database: {st['error']}")
            return
        from etl import snapshot
        if snapshot.staleness(s.db) == "stale":
            man = snapshot.build(s.db)
            _log(f"built {s.db} from bundled snapshot {man['snapshot_id']}")

    def _spawn(self, r: Replica) -> None:
        env = server_env(LANDSCAPE_DB=str(self.settings.db), PYTHONUNBUFFERED="1",
                         STREAMLIT_SERVER_COOKIE_SECRET=self.cookie_secret)  # + allocator settings
        log = open(r.log, "a")
        r.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
             "--server.address", "127.0.0.1", "--server.port", str(r.port), "--server.headless", "true",
             "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", "--server.runOnSave", "false"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=_die_with_parent)
        log.close()
        r.started_at = time.time()
        r.down_since = None
        r.warm = {"state": "pending" if self.settings.warm_up else "off"}
        if self.settings.warm_up:
            threading.Thread(target=self._warm, args=(r, r.proc), daemon=True, name=f"warm-{r.name}").start()

    def _start_precompute(self) -> None:
        self.grid_ready.clear()
        self.grid = {"state": "running"}
        threading.Thread(target=self._precompute, daemon=True, name="precompute").start()

    def _precompute(self, timeout: float = 900.0) -> None:
        """Write the fit grid of the current database version (``python -m landscape precompute``:
        the pages' default fit setups, read by every first visitor; landscape/fit/grid.py). A
        subprocess, so the supervisor never holds the fit's memory; a failure only leaves the pages
        computing the fit themselves. Warm-ups wait for it (bounded) so they fill caches from it."""
        t0 = time.monotonic()
        try:
            out = subprocess.run([sys.executable, "-m", "landscape", "--db", str(self.settings.db), "precompute"],
                                 cwd=ROOT, capture_output=True, text=True, timeout=timeout)
            ok = out.returncode == 0
            err = None if ok else (out.stderr or out.stdout).strip()[-300:]
        except (OSError, subprocess.SubprocessError) as exc:
            ok, err = False, f"{type(exc).__name__}: {str(exc)[:200]}"
        self.grid = {"state": "done" if ok else "failed", "seconds": round(time.monotonic() - t0, 2), "error": err}
        _log(f"fit grid {self.grid['state']} in {self.grid['seconds']} s" + (f": {err}" if err else ""))
        self.grid_ready.set()

    def _warm(self, r: Replica, proc: subprocess.Popen, wait: float = 120.0) -> None:
        """Fill a freshly started replica's caches: once it answers its health check, one session
        opens every page (default settings), as a first visitor would. Runs in its own thread, so
        start-up and /healthz never wait for it; the outcome is reported in /healthz (``warm``)."""
        deadline = time.monotonic() + wait
        while probe(r.port) != "ok":
            if proc.poll() is not None or self.stopping.is_set() or time.monotonic() > deadline:
                r.warm = {"state": "failed", "error": "replica not healthy"}
                return
            time.sleep(0.3)
        self.grid_ready.wait(max(0.0, deadline - time.monotonic()))  # fill the caches from the grid
        reason = r.warm.get("reason", "start")
        r.warm = {"state": "running", "reason": reason}
        t0, done = time.monotonic(), []
        sess = Session(f"http://127.0.0.1:{r.port}", timeout=wait)
        try:
            done, errors = walk(sess, lambda: proc.poll() is None and not self.stopping.is_set())
            r.warm = {"state": "done" if not errors else "failed", "reason": reason,
                      "seconds": round(time.monotonic() - t0, 2), "db_token": db_version(self.settings.db).get("token"),
                      "pages": done, "error": "; ".join(e[:200] for e in errors[:3]) or None}
        except Exception as exc:  # a warm-up that fails leaves a cold but working replica
            r.warm = {"state": "failed", "reason": reason, "seconds": round(time.monotonic() - t0, 2), "pages": done,
                      "error": f"{type(exc).__name__}: {str(exc)[:200]}"}
        finally:
            sess.close()
        if proc is r.proc:
            _log(f"replica {r.name} warm-up {r.warm['state']} in {r.warm.get('seconds')} s"
                 + (f": {r.warm['error']}" if r.warm.get("error") else ""))

    def _start_worker(self) -> None:
        s = self.settings
        cmd = None
        if s.snapshot_url:
            cmd = [sys.executable, "-m", "etl", "sync", "--url", s.snapshot_url, "--db", str(s.db),
                   "--every", s.sync_every]
        elif s.refresh_every:
            cmd = [sys.executable, "-m", "etl", "refresh", "--db", str(s.db), "--every", s.refresh_every, "--quiet"]
            if s.refresh_mirror:
                cmd += ["--mirror", s.refresh_mirror]
            if s.publish_snapshot:
                cmd += ["--publish-snapshot", str(s.publish_snapshot)]
        if cmd:
            out = open(s.serve_dir / "worker.log", "a")
            self.worker = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                           start_new_session=True, preexec_fn=_die_with_parent)
            out.close()

    def _wait_healthy(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.stopping.is_set():
                raise SystemExit("stopped while starting")
            if all(probe(r.port) == "ok" for r in self.replicas):
                return
            for r in self.replicas:
                if r.proc.poll() is not None:
                    raise SystemExit(f"replica {r.name} exited with {r.proc.returncode}; see {r.log}")
            time.sleep(0.3)
        raise SystemExit(f"replicas not healthy after {seconds:.0f}s; see {self.settings.serve_dir}")

    def _wait_public(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        url = f"http://{_connect_host(self.settings.host)}:{self.settings.port}/healthz"
        while time.monotonic() < deadline:
            if self.nginx.poll() is not None:
                raise SystemExit("nginx exited: " + (self.settings.serve_dir / "nginx.out").read_text()[-800:]
                                 + _tail(self.settings.serve_dir / "nginx-error.log"))
            try:
                if requests.get(url, timeout=2).status_code in (200, 503):
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise SystemExit(f"nginx did not answer on port {self.settings.port}")

    # --- health ----------------------------------------------------------------------------------
    def _start_health(self) -> None:
        sup = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                if self.path.split("?")[0] not in ("/healthz", "/"):
                    self.send_error(404)
                    return
                body = sup.health()
                data = json.dumps(body, indent=2, default=str).encode()
                self.send_response(200 if body["status"] != "down" else 503)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *a):
                pass

        self.health_server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.health_server.daemon_threads = True
        threading.Thread(target=self.health_server.serve_forever, daemon=True, name="healthz").start()

    def health(self) -> dict:
        with self.lock:
            reps = list(self.replicas)
        with ThreadPoolExecutor(max_workers=max(1, len(reps))) as ex:
            probes = list(ex.map(lambda r: probe(r.port), reps))
        version = db_version(self.settings.db)
        out = []
        for r, pr in zip(reps, probes):
            code = r.proc.poll() if r.proc is not None else None
            alive = r.proc is not None and code is None
            state = "up" if alive and pr == "ok" else ("starting" if alive else "down")
            if state == "up":
                r.sessions = active_sessions(r.port)
            out.append({"name": r.name, "port": r.port, "pid": r.proc.pid if r.proc else None, "state": state,
                        "probe": pr, "sessions": r.sessions if state == "up" else 0, "restarts": r.restarts, "last_exit": code if r.proc and not alive else r.last_exit,
                        "down_since": _iso(r.down_since or (time.time() if not alive else None)), "started_at": _iso(r.started_at),
                        "sessions_lost": r.sessions_lost if (alive or r.down_since) else r.sessions,
                        "warm": dict(r.warm), "db": str(self.settings.db), "db_version": version})
        up = sum(o["state"] == "up" for o in out)
        from etl.scheduled import read_status
        worker = None
        if self.worker is not None:
            worker = {"pid": self.worker.pid, "running": self.worker.poll() is None,
                      "kind": "snapshot sync" if self.settings.snapshot_url else "scheduled refresh",
                      "last_round": read_status(self.settings.db)}
        return {"status": "ok" if up == len(out) else ("degraded" if up else "down"),
                "replicas_up": up, "replicas": out, "refresher": worker, "fit_grid": dict(self.grid),
                "checked_at": _iso(time.time())}

    # --- run / stop --------------------------------------------------------------------------------
    def _rewarm_on_new_database(self) -> None:
        """A newly published database empties every replica's caches (they are keyed on the file's
        version): write its fit grid, and warm each running replica again, in the background, as at
        start-up (the warm-ups wait for the grid)."""
        from landscape.db import DatabaseMissing, db_token
        try:
            token = db_token(self.settings.db)
        except DatabaseMissing:
            return
        if self._warmed_token is None:
            self._warmed_token = token
        if token == self._warmed_token:
            return
        self._warmed_token = token
        self._start_precompute()
        for r in self.replicas if self.settings.warm_up else ():
            if r.proc is not None and r.proc.poll() is None and r.warm.get("state") not in ("pending", "running"):
                r.warm = {"state": "pending", "reason": "new database"}
                threading.Thread(target=self._warm, args=(r, r.proc), daemon=True, name=f"rewarm-{r.name}").start()

    def monitor(self) -> None:
        tick = 0
        while not self.stopping.wait(0.5):
            tick += 1
            if tick % 4 == 0:
                self._rewarm_on_new_database()
            for r in self.replicas:
                if r.proc.poll() is None and tick % 4 == 0:  # every 2 s: how many sessions it holds
                    n = active_sessions(r.port, timeout=1.0)
                    if n is not None:
                        r.sessions = n
                if r.proc.poll() is not None:
                    if r.down_since is None:
                        r.last_exit, r.down_since = r.proc.returncode, time.time()
                        r.sessions_lost, r.sessions = r.sessions, 0
                        _log(f"replica {r.name} (pid {r.proc.pid}) exited with {r.last_exit}; its "
                             f"{r.sessions_lost if r.sessions_lost is not None else 'unknown number of'} session(s) "
                             "are lost, nginx routes its browsers to the other replicas")
                    delay = self.settings.restart_delay
                    if delay is not None and time.time() - r.down_since >= delay:
                        with self.lock:
                            r.restarts += 1
                            self._spawn(r)
                        _log(f"replica {r.name} restarted (pid {r.proc.pid}, restart {r.restarts})")
            if self.worker is not None and self.worker.poll() is not None:
                code = self.worker.returncode
                _log(f"{'snapshot sync' if self.settings.snapshot_url else 'refresher'} exited with {code}; "
                     "restarting it (see worker.log)")
                self.worker = None
                if not self.stopping.wait(self.settings.restart_delay or 5.0):
                    self._start_worker()
            if self.nginx.poll() is not None and not self.stopping.is_set():
                _log(f"nginx exited with {self.nginx.returncode}; stopping" + _tail(self.settings.serve_dir / "nginx-error.log"))
                break

    def stop(self) -> None:
        self.stopping.set()
        if self.nginx and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)  # graceful: finish open requests
        procs = [r.proc for r in self.replicas if r.proc] + ([self.worker] if self.worker else [])
        for p in procs:
            if p.poll() is None:
                p.terminate()
        for p in procs + ([self.nginx] if self.nginx else []):
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)
        if self.health_server:
            self.health_server.shutdown()
        _log("stopped")


def active_sessions(port: int, timeout: float = 2.0) -> int | None:
    """Streamlit's own gauge of connected sessions (``/_stcore/metrics``), None when unreadable."""
    try:
        text = requests.get(f"http://127.0.0.1:{port}/_stcore/metrics", params={"families": "active_sessions"},
                            timeout=timeout).text
    except requests.RequestException:
        return None
    for line in text.splitlines():
        if line.startswith("active_sessions "):
            try:
                return int(float(line.split()[1]))
            except ValueError:
                return None
    return None


def probe(port: int, timeout: float = 2.0) -> str:
    """A replica's own health endpoint: "ok", or why not."""
    try:
        resp = requests.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=timeout)
    except requests.RequestException as exc:
        return f"unreachable ({type(exc).__name__})"
    return resp.text.strip() if resp.status_code == 200 else f"HTTP {resp.status_code}"


_version_cache: dict = {}


def db_version(db: Path) -> dict:
    """Which data a replica reading ``db`` serves on its next rerun: the file's identity and the
    data snapshot id (bundled/synced snapshot id, or the id derived from the sources' refresh)."""
    from landscape.db import DatabaseMissing, db_token
    try:
        token = db_token(db)
    except DatabaseMissing:
        return {"token": None, "error": "no database"}
    if token not in _version_cache:
        from landscape.queries import data_snapshot
        try:
            snap = data_snapshot(db)
            _version_cache.clear()
            _version_cache[token] = {"snapshot_id": snap["snapshot_id"], "kind": snap["kind"],
                                     "refreshed_at": snap["refreshed_at"], "token": token}
        except Exception as exc:  # a half-written file cannot happen (atomic publish); say what failed
            return {"token": token, "error": f"{type(exc).__name__}: {exc}"[:200]}
    return _version_cache[token]


def _iso(t: float | None) -> str | None:
    return datetime.fromtimestamp(t, timezone.utc).isoformat(timespec="seconds") if t else None


def _tail(path: Path, n: int = 800) -> str:
    try:
        return "\n" + path.read_text()[-n:]
    except OSError:
        return ""


def _connect_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "", "*") else host


def _log(msg: str) -> None:
    print(f"[serve {datetime.now(timezone.utc):%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def launched(env: dict, log_path: Path, timeout: float = 120):
    """Run ``python -m tools.serve`` as a subprocess with ``env`` (REPLICAS, PORT, ... on top of
    os.environ) until its /healthz reports every replica up; yield (base url, process); stop it
    with SIGTERM on exit. For tests and ``bench/load.py``."""
    full = {**os.environ, **{k: str(v) for k, v in env.items()}}
    port = int(full.get("PORT") or 8501)
    base = f"http://127.0.0.1:{port}"
    n = int(full.get("REPLICAS") or 2)
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "tools.serve"], cwd=ROOT, env=full, stdout=log,
                                stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"tools.serve exited with {proc.returncode}: {_tail(log_path, 1500)}")
                try:
                    h = requests.get(base + "/healthz", timeout=3)
                    if h.status_code == 200 and h.json()["replicas_up"] == n:
                        break
                except (requests.RequestException, ValueError):
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"tools.serve not healthy in {timeout:.0f}s: {_tail(log_path, 1500)}")
                time.sleep(0.5)
            yield base, proc
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(5)


def main() -> int:
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sup = Supervisor(settings)
    stop_requested = threading.Event()

    def on_signal(*_):
        stop_requested.set()
        sup.stopping.set()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        sup.start()
        if not stop_requested.is_set():
            sup.monitor()
    finally:
        sup.stop()
    return 0


if __name__ == "__main__":
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    sys.exit(main())
