"""Load test: K concurrent Streamlit sessions against `make serve`, with a refresh published mid-run.

    python bench/load.py --sessions 10 --seconds 60                 # launches 1, then 2 replicas
    python bench/load.py --url http://127.0.0.1:8501 --sessions 10 --seconds 60   # a running serve

Each session is a browser-like client speaking Streamlit's websocket protocol
(``tools/stclient.py``; no Chromium, so 10+ sessions fit on 2 cores): it opens the app through
nginx (getting its replica cookie), then loops over random interactions until the time is up:
switch page, change a sidebar filter (family, weights, released-only), rerun. Every 15
interactions it closes and opens a new session (a new reader). Halfway through, a refresh is
published into the served database (a full ETL replay of ../shared/mirror, or $LANDSCAPE_MIRROR,
when present, else a rebuild from the bundled snapshot): atomically, while the sessions keep going.

Prints, per replica count: p50/p95/max time per interaction (from sending the rerun until the
server reports the script finished), interactions, errors (an exception rendered by the app, a
protocol error or a timeout), and resident memory (VmRSS) per replica, peak and at the end.
Loopback only; bounded: at most 50 sessions, 600 s, and every rerun has a 60 s timeout.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools.stclient import Session  # noqa: E402

MIRROR = Path(os.environ.get("LANDSCAPE_MIRROR", ROOT.parent / "shared" / "mirror"))  # as the suite and bench/run.py
MAX_SESSIONS, MAX_SECONDS = 50, 600
NEW_SESSION_EVERY = 15


def _rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = max(0, min(len(xs) - 1, round(q * (len(xs) - 1))))
    return xs[k]


class Worker(threading.Thread):
    def __init__(self, base: str, deadline: float, seed: int, out: dict, lock: threading.Lock):
        super().__init__(daemon=True)
        self.base, self.deadline, self.rng = base, deadline, random.Random(seed)
        self.out, self.lock = out, lock

    def record(self, kind: str, seconds: float | None, error: str | None = None):
        with self.lock:
            if error:
                self.out["errors"].append(f"{kind}: {error}"[:300])
            else:
                self.out["times"][kind].append(seconds)

    def run(self):
        while time.monotonic() < self.deadline:
            s = Session(self.base, timeout=60)
            try:
                self.timed("open", s.open)
                for _ in range(NEW_SESSION_EVERY):
                    if time.monotonic() >= self.deadline:
                        break
                    self.step(s)
            except Exception as exc:  # counted in timed(); start a new session
                if not isinstance(exc, _Counted):
                    self.record("session", None, f"{type(exc).__name__}: {exc}")
            finally:
                s.close()

    def timed(self, kind, fn, *args):
        t0 = time.monotonic()
        try:
            run = fn(*args)
        except Exception as exc:
            self.record(kind, None, f"{type(exc).__name__}: {exc}")
            raise _Counted() from exc
        if run.exceptions:
            self.record(kind, None, "app exception: " + run.exceptions[0])
        else:
            self.record(kind, time.monotonic() - t0)
        return run

    def step(self, s: Session):
        r = self.rng.random()
        if r < 0.4:
            page = self.rng.choice([p for p in s.pages if s.pages[p] != s.page_hash] or list(s.pages))
            self.timed("switch_page", s.switch_page, page)
        elif r < 0.85 and s.widgets:
            fam = s.widgets.get("Family")
            choice = self.rng.random()
            if fam and choice < 0.5:
                self.timed("filter", s.set_widget, "Family", self.rng.sample(fam.options, self.rng.randint(0, 2)))
            elif "Weights" in s.widgets and choice < 0.8:
                self.timed("filter", s.set_widget, "Weights", self.rng.choice(["all", "open", "closed"]))
            elif "Released models only" in s.widgets:
                self.timed("filter", s.set_widget, "Released models only", self.rng.random() < 0.5)
            else:
                self.timed("rerun", s.rerun)
        else:
            self.timed("rerun", s.rerun)


class _Counted(Exception):
    pass


def publish_refresh(db: Path) -> dict:
    """Publish a new database version into ``db`` (what a scheduled refresh does), in a subprocess."""
    if MIRROR.is_dir():
        cmd = [sys.executable, "-m", "etl", "refresh", "--mirror", str(MIRROR), "--db", str(db), "--quiet"]
        what = f"full refresh replaying {MIRROR}"
    else:
        cmd = [sys.executable, "-m", "etl", "build", "--db", str(db)]
        what = "rebuild from the bundled snapshot"
    inode = db.stat().st_ino
    t0 = time.monotonic()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    return {"what": what, "seconds": round(time.monotonic() - t0, 1), "exit": proc.returncode,
            "published": db.stat().st_ino != inode, "stderr": proc.stderr[-500:] if proc.returncode > 1 else ""}


def drive(base: str, sessions: int, seconds: float, refresh_db: Path | None = None, seed: int = 1) -> dict:
    """Run the sessions against ``base``; publish a refresh into ``refresh_db`` halfway."""
    import os
    load_before = os.getloadavg()[0]
    health = requests.get(base + "/healthz", timeout=10).json()
    pids = {r["name"]: r["pid"] for r in health["replicas"]}
    db = Path(refresh_db or health["replicas"][0]["db"])
    out = {"times": defaultdict(list), "errors": []}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    workers = [Worker(base, deadline, seed * 1000 + i, out, lock) for i in range(sessions)]
    peak = {n: 0 for n in pids}
    for w in workers:
        w.start()
        time.sleep(0.05)
    refresh = {}

    def refresher():
        time.sleep(seconds / 2)
        refresh.update(publish_refresh(db))
    rt = threading.Thread(target=refresher, daemon=True)
    rt.start()
    while time.monotonic() < deadline:
        for n, pid in pids.items():
            peak[n] = max(peak[n], _rss_kib(pid) or 0)
        time.sleep(1)
    for w in workers:
        w.join(90)
    rt.join(300)
    health_after = requests.get(base + "/healthz", timeout=10).json()
    versions = sorted({r["db_version"].get("snapshot_id") for r in health_after["replicas"]})
    return {
        "replicas": len(pids), "sessions": sessions, "seconds": seconds,
        "interactions": {k: {"n": len(v), "p50_ms": round(1000 * _pct(v, 0.5)), "p95_ms": round(1000 * _pct(v, 0.95)),
                             "max_ms": round(1000 * max(v))} for k, v in sorted(out["times"].items()) if v},
        "errors": len(out["errors"]), "error_samples": out["errors"][:5],
        "rss_mib": {n: {"peak": round(peak[n] / 1024), "end": round((_rss_kib(pid) or 0) / 1024)}
                    for n, pid in pids.items()},
        "refresh": refresh, "db_versions_after": versions, "status_after": health_after["status"],
        "loadavg_1min": [round(load_before, 1), round(os.getloadavg()[0], 1)], "cpus": os.cpu_count(),
    }


def launch_and_drive(replicas: int, sessions: int, seconds: float, workdir: Path) -> dict:
    from etl import snapshot
    from tools import serve
    db = workdir / f"r{replicas}" / "landscape.duckdb"
    db.parent.mkdir(parents=True)
    snapshot.build(db)
    env = {"REPLICAS": replicas, "PORT": serve.free_port(), "LANDSCAPE_DB": db, "SERVE_DIR": db.parent / "serve",
           "RESTART_DELAY": "off"}
    with serve.launched(env, db.parent / "serve.log") as (base, _proc):
        return drive(base, sessions, seconds, db)


def render(res: dict) -> str:
    lines = [f"replicas={res['replicas']} sessions={res['sessions']} seconds={res['seconds']}: "
             f"{res['errors']} errors; after: {res['status_after']}, db versions {res['db_versions_after']}; "
             f"machine load average {res['loadavg_1min'][0]} -> {res['loadavg_1min'][1]} on {res['cpus']} CPUs"]
    lines.append(f"  {'interaction':<12} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for k, v in res["interactions"].items():
        lines.append(f"  {k:<12} {v['n']:>6} {v['p50_ms']:>8} {v['p95_ms']:>8} {v['max_ms']:>8}")
    lines.append("  RSS per replica (MiB, peak/end): " + ", ".join(
        f"{n} {v['peak']}/{v['end']}" for n, v in res["rss_mib"].items()))
    r = res["refresh"]
    if r:
        lines.append(f"  mid-run refresh: {r['what']}, {r['seconds']} s, exit {r['exit']}, "
                     f"published={r['published']}")
    for e in res["error_samples"]:
        lines.append(f"  error: {e}")
    return "\n".join(lines)


def compare(results: list[dict]) -> str:
    """p50 per interaction of each run as a ratio of the first run's (the baseline, same process)."""
    base = results[0]
    lines = [f"p50 ratio vs replicas={base['replicas']} (same process; < 1 = faster)"]
    for res in results[1:]:
        parts = []
        for k, v in res["interactions"].items():
            b = base["interactions"].get(k)
            if b and b["p50_ms"]:
                parts.append(f"{k} {v['p50_ms'] / b['p50_ms']:.2f}")
        n0 = sum(v["n"] for v in base["interactions"].values())
        n1 = sum(v["n"] for v in res["interactions"].values())
        lines.append(f"  replicas={res['replicas']}: " + ", ".join(parts) + f"; interactions {n1 / max(n0, 1):.2f}x")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", help="a running `make serve` on this machine (loopback); default: launch one per --replicas")
    p.add_argument("--sessions", type=int, default=10)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--replicas", default="1,2", help="replica counts to launch and compare (without --url)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    if not 1 <= args.sessions <= MAX_SESSIONS or not 1 <= args.seconds <= MAX_SECONDS:
        p.error(f"--sessions 1-{MAX_SESSIONS}, --seconds 1-{MAX_SECONDS}")
    results = []
    if args.url:
        host = urlsplit(args.url).hostname
        if host not in ("127.0.0.1", "localhost", "::1"):
            p.error("loopback only: --url must be http://127.0.0.1:PORT")
        results.append(drive(args.url.rstrip("/"), args.sessions, args.seconds))
    else:
        work = Path(tempfile.mkdtemp(prefix="landscape-load-"))
        try:
            for n in [int(x) for x in args.replicas.split(",")]:
                res = launch_and_drive(n, args.sessions, args.seconds, work)
                results.append(res)
                if not args.json:
                    print(render(res), flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(results, indent=2))
    elif args.url:
        print(render(results[0]))
    elif len(results) > 1:
        print(compare(results))
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
