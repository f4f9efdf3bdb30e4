"""Warm a freshly started app server: one browser-like session opens every page once.

A new Streamlit process imports pandas, Plotly and DuckDB, attaches the database and fills its
caches on its first page render: seconds that its first visitor would wait. ``make run`` starts
this beside ``streamlit run`` (``python -m tools.warm --port PORT``): it waits for the server's
health check, then opens each page with default settings (the same walk ``make serve``'s
supervisor does for each replica), prints a one-line JSON summary and exits. The server answers
its health check and visitors throughout; a failed warm-up leaves a cold but working server.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Callable

import requests

from tools.stclient import Session


def healthy(base: str, timeout: float = 2.0) -> bool:
    try:
        r = requests.get(f"{base}/_stcore/health", timeout=timeout)
    except requests.RequestException:
        return False
    return r.status_code == 200 and r.text.strip() == "ok"


def walk(sess: Session, keep_going: Callable[[], bool] = lambda: True) -> tuple[list[str], list[str]]:
    """Open the app (its first page) and then every page in navigation order; (pages, errors)."""
    errors = list(sess.open().exceptions)  # "/" opens the first page
    done = []
    for page in [p for p in sess.pages if p not in ("", "home")]:  # "" and "home" = the hidden home page
        if not keep_going():
            break
        errors += sess.switch_page(page).exceptions
        done.append(page)
    return done, errors


def warm(base: str, wait: float = 120.0) -> dict:
    """Wait (at most ``wait`` s) until ``base`` is healthy, then walk every page once."""
    deadline = time.monotonic() + wait
    while not healthy(base):
        if time.monotonic() > deadline:
            return {"state": "failed", "error": "server not healthy"}
        time.sleep(0.3)
    t0 = time.monotonic()
    sess = Session(base, timeout=wait)
    try:
        done, errors = walk(sess)
    except Exception as exc:  # noqa: BLE001 - a failed warm-up is reported, never raised
        return {"state": "failed", "seconds": round(time.monotonic() - t0, 2), "error": f"{type(exc).__name__}: {exc}"[:300]}
    finally:
        sess.close()
    return {"state": "done" if not errors else "failed", "seconds": round(time.monotonic() - t0, 2), "pages": done,
            "error": "; ".join(e[:200] for e in errors[:3]) or None}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=8501)
    ap.add_argument("--host", default="127.0.0.1", help="where the server listens (0.0.0.0 = this machine)")
    ap.add_argument("--wait", type=float, default=120.0, help="seconds to wait for the health check")
    args = ap.parse_args(argv)
    host = "127.0.0.1" if args.host in ("0.0.0.0", "", "::") else args.host
    host = f"[{host}]" if ":" in host else host  # an IPv6 address in a URL
    out = warm(f"http://{host}:{args.port}", args.wait)
    print(json.dumps({"warm": out}), file=sys.stderr)
    return 0 if out["state"] == "done" else 1


if __name__ == "__main__":
    sys.exit(main())
