"""Every page, cold and warm, rendered with Streamlit's AppTest, against a bare page of the same size.

    python bench/pages.py                 # the bundled snapshot (1x)
    python bench/pages.py --factor 100    # a warehouse 100 times larger (bench/scale.py)
    python bench/pages.py --factor issue  # the size issue #15's targets were set at (bench/scale.py)
    python bench/pages.py --db FILE       # any database

*cold* = the first render right after a new database is published (every ``st.cache_data``
cleared and the file's version changed, as after a refresh); *warm* = the same session rerun
(what a visitor's next click costs). Each page runs through ``app.py`` (navigation included); the
runs go round by round (the bare page, then every page once, ``--repeat`` rounds), so a drift of
the machine's speed weighs on every page and the baseline alike.
The baseline, measured in the same process, is a bare Streamlit page drawing one Plotly scatter
and one table with as many rows as the database has models; ratios are page / baseline.
Prints a Markdown table (median of ``--repeat`` runs) and the process's peak resident memory.

Two figures say what the milliseconds are made of. *AppTest's component scan*: each new AppTest's
first run reads the metadata of every installed distribution for Streamlit components (a server
does it once, at start); it is in every cold figure, the bare page's included, and grows with the
packages installed (the test venv has pytest, Playwright, Hypothesis...). *Machine speed*: a
fixed pure-Python loop timed at the start and at the end of the run; this machine's speed drifts
(this loop took 62 to 126 ms within one afternoon), so compare figures of one run, or
runs whose loop times agree.

``--browser`` also starts real servers (``streamlit run``) and measures in Debian's Chromium
(``/usr/bin/chromium`` through Playwright) the time from navigation to the first drawn Plotly chart:
the bare page vs the Landscape page, on a freshly started server (the first browser visitor; the
app started as ``make run`` does: the server, then ``tools/warm.py`` once it is healthy), on a
bare ``streamlit run`` with no warm-up, and on a warm one (a new tab), then opens
``--sessions`` concurrent sessions (``tools/stclient.py``, every page each) and reports the app
server's resident memory (VmRSS) with them open.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE_PAGE = textwrap.dedent('''
    import duckdb
    import plotly.express as px
    import streamlit as st
    con = duckdb.connect(DB, read_only=True)
    df = con.execute("SELECT model_id, name, family, total_params_b, context_claimed FROM models").df()
    con.close()
    st.title("bare")
    st.plotly_chart(px.scatter(df, x="total_params_b", y="context_claimed", color="family", log_x=True))
    st.dataframe(df)
''')

# Compare needs models in its link to draw its table
QUERY = {"compare": {"models": "llama-4-scout,Llama 4 Maverick,Qwen3-235B-A22B,DeepSeek-V3"}}  # by URL path


def _new_version(db: Path, grid: bool = True) -> float:
    """What a publish does to readers: the file's version changes and every cache is cold; then,
    as ``make refresh`` / ``make serve`` do after a publish, the version's fit grid and derived tables are written
    (``grid=False``: not, as after a bare ``python -m etl refresh``). Returns the grid's seconds."""
    import streamlit as st
    import ui_data
    st.cache_data.clear()
    st.cache_resource.clear()
    ui_data.clear_all()
    ns = time.time_ns()
    os.utime(db, ns=(ns, ns))
    if not grid:
        return 0.0
    from landscape import derived
    from landscape.fit import grid as fit_grid
    t0 = time.perf_counter()
    fit_grid.precompute(db)
    derived.precompute(db)  # as `python -m landscape precompute` does
    return time.perf_counter() - t0


def _render(page: str | None, query: dict, timeout: float, at=None):
    from streamlit.testing.v1 import AppTest
    if at is None:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
        for k, v in query.items():
            at.query_params[k] = v
        if page:
            at.switch_page(page)
    t0 = time.perf_counter()
    at.run()
    ms = (time.perf_counter() - t0) * 1000
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].value[:300]}")
    return at, ms


def _bare(db: Path, script_dir: Path, timeout: float) -> tuple[float, float]:
    from streamlit.testing.v1 import AppTest
    script = script_dir / "bare_page.py"
    script.write_text(f"DB = {str(db)!r}\n" + BARE_PAGE)
    at = AppTest.from_file(str(script), default_timeout=timeout)
    t0 = time.perf_counter()
    at.run()
    cold = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    at.run()
    return cold, (time.perf_counter() - t0) * 1000


def measure(db: Path, repeat: int = 3, timeout: float = 300, grid: bool = True) -> list[dict]:
    from ui import PAGES
    os.environ["LANDSCAPE_DB"] = str(db)
    publish: list[float] = []
    # round by round (the bare page, then every page once), so a drift of the machine's speed during
    # the run weighs on every page and on the baseline alike
    times: dict[str, tuple[list, list]] = {"bare page (chart + table)": ([], [])}
    times.update({p.title: ([], []) for p in PAGES})
    with tempfile.TemporaryDirectory() as tmp:
        _bare(db, Path(tmp), timeout)  # imports (plotly, pandas), OS page cache
        _render(PAGES[0].path, {}, timeout)
        for _ in range(repeat):
            cold, warm = _bare(db, Path(tmp), timeout)
            times["bare page (chart + table)"][0].append(cold)
            times["bare page (chart + table)"][1].append(warm)
            for p in PAGES:
                publish.append(_new_version(db, grid))
                at, cold = _render(p.path if p is not PAGES[0] else None, QUERY.get(p.url_path, {}), timeout)
                _, warm = _render(None, {}, timeout, at=at)
                times[p.title][0].append(cold)
                times[p.title][1].append(warm)
    rows = [{"page": k, "cold": statistics.median(c), "warm": statistics.median(w)} for k, (c, w) in times.items()]
    bare_cold, bare_warm = rows[0]["cold"], rows[0]["warm"]
    for r in rows:
        r["cold_x"], r["warm_x"] = r["cold"] / bare_cold, r["warm"] / bare_warm
    if grid:
        rows.append({"page": "(publish time: fit grid written, median)", "cold": statistics.median(publish) * 1000,
                     "warm": float("nan"), "cold_x": float("nan"), "warm_x": float("nan")})
    return rows


def machine_speed_ms(repeat: int = 3) -> float:
    """Milliseconds a fixed pure-Python loop (3 million additions) takes here now, median of ``repeat``."""
    def once() -> float:
        t0 = time.perf_counter()
        total = 0
        for i in range(3_000_000):
            total += i
        return (time.perf_counter() - t0) * 1000
    return statistics.median(once() for _ in range(repeat))


def component_scan_ms(repeat: int = 3) -> float:
    """What each new AppTest's first run spends finding installed Streamlit components (every
    installed distribution's metadata read), median of ``repeat``."""
    from streamlit.components.v2.manifest_scanner import scan_component_manifests

    def once() -> float:
        t0 = time.perf_counter()
        scan_component_manifests()
        return (time.perf_counter() - t0) * 1000
    return statistics.median(once() for _ in range(repeat))


CHROMIUM = "/usr/bin/chromium"
SETTLE_S = 10  # seconds between the sessions' last page and the second RSS reading
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"]


def _serve(script: Path, db: Path, port: int):
    import subprocess
    from tools.server_env import server_env
    env = server_env(LANDSCAPE_DB=str(db))  # the allocator settings `make run` uses
    return subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true",
                             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(os.environ.get("BENCH_SERVER_LOG", os.devnull), "w"))


def _wait_health(port: int, seconds: float = 60) -> None:
    import requests
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server on {port} not healthy")


def _first_chart_ms(browser, url: str, timeout_ms: float = 120_000) -> float:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=timeout_ms)
    ms = (time.perf_counter() - t0) * 1000
    page.close()
    return ms


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class PeakRss:
    """The highest resident memory of process ``pid`` while the block runs, sampled every
    ``interval`` s in a thread (a reading taken only at the end misses what the busiest moment held)."""

    def __init__(self, pid: int, interval: float = 0.05):
        import threading
        self.pid, self.interval, self.peak_mb = pid, interval, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while True:
            self.peak_mb = max(self.peak_mb, _rss_mb(self.pid))
            if self._stop.wait(self.interval):
                return

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak_mb = max(self.peak_mb, _rss_mb(self.pid))


def browser_and_memory(db: Path, sessions: int = 10, repeat: int = 3) -> dict:
    """First-chart times in Chromium (bare vs Landscape; fresh server, warm server) and the app
    server's RSS with ``sessions`` concurrent sessions."""
    from concurrent.futures import ThreadPoolExecutor

    from playwright.sync_api import sync_playwright

    from tools.serve import free_port
    from tools.stclient import Session
    out: dict = {}
    from landscape import derived
    from landscape.fit import grid
    from tools.warm import warm
    grid.precompute(db)  # as `make run` / `make serve` do before the first visitor
    derived.precompute(db)
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare_page.py"
        bare.write_text(f"DB = {str(db)!r}\n" + BARE_PAGE)
        # app = started as `make run` does (the server, then tools/warm.py once it is healthy);
        # cold = the bare `streamlit run`, whose first visitor pays the imports and caches
        ports = {"bare": free_port(), "app": free_port(), "cold": free_port()}
        procs = {"bare": _serve(bare, db, ports["bare"]), "app": _serve(ROOT / "app.py", db, ports["app"]),
                 "cold": _serve(ROOT / "app.py", db, ports["cold"])}
        try:
            for k in procs:
                _wait_health(ports[k])
            out["warm_up"] = warm(f"http://127.0.0.1:{ports['app']}")
            with sync_playwright() as p:
                b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                out["cold_fresh"] = _first_chart_ms(b, f"http://127.0.0.1:{ports['cold']}/landscape")
                for k, path in (("bare", ""), ("app", "landscape")):
                    url = f"http://127.0.0.1:{ports[k]}/{path}"
                    out[f"{k}_fresh"] = _first_chart_ms(b, url)
                    out[f"{k}_warm"] = statistics.median(_first_chart_ms(b, url) for _ in range(repeat))
                b.close()
            procs.pop("cold").terminate()

            page_s: list[float] = []

            def visit(_):
                s = Session(f"http://127.0.0.1:{ports['app']}", timeout=300)
                s.open()
                for page in [q for q in s.pages if q not in ("", "home")]:
                    page_s.append(s.switch_page(page).seconds)
                return s
            out["rss_idle_mb"] = _rss_mb(procs["app"].pid)
            t0 = time.perf_counter()
            with PeakRss(procs["app"].pid) as peak, ThreadPoolExecutor(max_workers=sessions) as ex:
                open_sessions = list(ex.map(visit, range(sessions)))
                out["rss_sessions_mb"] = _rss_mb(procs["app"].pid)
            out["sessions_s"] = time.perf_counter() - t0
            out["session_page_ms"] = {"median": statistics.median(page_s) * 1000, "max": max(page_s) * 1000}
            out["rss_peak_mb"] = peak.peak_mb
            time.sleep(SETTLE_S)  # the sessions still open: what the allocators hand back meanwhile
            out["rss_settled_mb"] = _rss_mb(procs["app"].pid)
            out["sessions"] = sessions
            from ui import RENDER_SLOTS  # the server's: it has this process's environment
            out["render_slots"] = RENDER_SLOTS
            for s in open_sessions:
                s.close()
        finally:
            for pr in procs.values():
                pr.terminate()
                pr.wait(timeout=30)
    return out


def main(argv=None) -> int:
    from bench.scale import parse_factor
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--factor", type=parse_factor, default=1,
                    help="scale the bundled snapshot (bench/scale.py): a whole number, or 'issue'")
    ap.add_argument("--db", type=Path, help="benchmark this database instead")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--browser", action="store_true", help="also Chromium first-chart times and server RSS")
    ap.add_argument("--sessions", type=int, default=10, help="concurrent sessions for the RSS figure")
    ap.add_argument("--no-apptest", action="store_true", help="skip the AppTest table (with --browser)")
    ap.add_argument("--no-grid", action="store_true", help="cold renders without the fit grid written at publish "
                    "(the pages compute the fit themselves)")
    args = ap.parse_args(argv)
    speed_start = machine_speed_ms()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "bench.duckdb"
            if args.factor == 1:
                from etl import snapshot
                snapshot.build(db)
            else:
                from bench.scale import scale
                scale(db, args.factor)
        rows = [] if args.no_apptest else measure(db, args.repeat, grid=not args.no_grid)
        web = browser_and_memory(db, args.sessions, args.repeat) if args.browser else None
    label = f"{args.factor}x" if args.db is None else str(args.db)
    if rows:
        print(f"| page ({label}) | cold ms | x bare | warm ms | x bare |")
        print("| --- | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['page']} | {r['cold']:.0f} | {r['cold_x']:.2f} | {r['warm']:.0f} | {r['warm_x']:.2f} |")
    if rows:
        print(f"| (AppTest's component scan, in every cold figure above) | {component_scan_ms():.0f} | | | |")
    if web:
        print(f"\nChromium, navigation -> first Plotly chart drawn ({label}):")
        print("| page | fresh server ms | warm server ms | warm x bare |\n| --- | ---: | ---: | ---: |")
        print(f"| bare page | {web['bare_fresh']:.0f} | {web['bare_warm']:.0f} | 1.00 |")
        print(f"| Landscape | {web['app_fresh']:.0f} | {web['app_warm']:.0f} | {web['app_warm'] / web['bare_warm']:.2f} |")
        print(f"| Landscape, no warm-up (bare `streamlit run`) | {web['cold_fresh']:.0f} | | |")
        print(f"\nwarm-up at start (tools/warm.py, every page once): {web['warm_up']}")
        print(f"\napp server RSS: {web['rss_idle_mb']:.0f} MB idle, {web['rss_sessions_mb']:.0f} MB with "
              f"{web['sessions']} concurrent sessions (every page visited in each; at most {web['rss_peak_mb']:.0f} MB "
              f"while they ran), {web['rss_settled_mb']:.0f} MB {SETTLE_S} s later with them still open")
        print(f"the {web['sessions']} sessions took {web['sessions_s']:.1f} s; a page's rerun in them: median "
              f"{web['session_page_ms']['median']:.0f} ms, slowest {web['session_page_ms']['max']:.0f} ms "
              f"(at most {web['render_slots']} renders at once: LANDSCAPE_RENDERS)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak resident memory of this process: {peak:.0f} MB")
    print(f"machine speed (pure-Python loop of 3M additions): {speed_start:.0f} ms at the start, "
          f"{machine_speed_ms():.0f} ms at the end (lower is faster)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
