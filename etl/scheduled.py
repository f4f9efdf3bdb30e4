"""Scheduled refresh: ``python -m etl refresh --every 6h`` runs a refresh, then sleeps, forever.

Each round publishes atomically (the loader's ``os.replace``) while the app keeps serving; a
replica sees the new file on its next rerun (its caches are keyed on the file's inode/size/mtime).
A round that fails (every source failed, or nothing could be published) keeps the last good
database and says so in a status file beside it (``<db>.refresh.json``), which the Data quality
page shows. With ``--publish-snapshot DIR`` each published database is also exported as a
normalised snapshot (Parquet + manifest, see ``etl.snapshot.publish``) for replicas elsewhere.
"""
from __future__ import annotations

import json
import os
import re
import threading
import time
import traceback
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable

from etl import clock
from etl.status_file import read as _read_status_file
from etl.status_file import status_path

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """``"90s"``, ``"15m"``, ``"6h"``, ``"1d"``, ``"1h30m"`` or plain seconds -> seconds (> 0)."""
    t = str(text).strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", t):
        seconds = float(t)
    else:
        parts = re.findall(r"(\d+(?:\.\d+)?)([smhd])", t)
        if not parts or "".join(n + u for n, u in parts) != t:
            raise ValueError(f"not an interval: {text!r} (use e.g. 90s, 15m, 6h, 1d)")
        seconds = sum(float(n) * _UNITS[u] for n, u in parts)
    if seconds <= 0:
        raise ValueError(f"interval must be positive: {text!r}")
    return seconds


def write_status(db_path: Path | str, status: dict) -> Path:
    """Write the status file atomically (readers never see half a JSON document)."""
    target = status_path(db_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    tmp.write_text(json.dumps(status, indent=2, default=str) + "\n")
    os.replace(tmp, target)
    return target


def read_status(db_path: Path | str) -> dict | None:
    st = _read_status_file(db_path)
    return None if st is None or st.get("status") == "unreadable" else st


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat(timespec="seconds") if dt else None


def run_once(db_path: Path, refresh_fn: Callable[[], object], publish_dir: Path | None = None,
             every: float | None = None, now: Callable[[], datetime] = clock.now) -> dict:
    """One scheduled round: refresh, publish the snapshot when asked, record the outcome.

    ``refresh_fn`` returns a ``RefreshReport``. Returns (and writes) the status dict."""
    previous = read_status(db_path) or {}
    started = now()
    status = {"last_attempt": _iso(started), "last_success": previous.get("last_success"),
              "every_seconds": every, "status": "failed", "error": None, "failed_sources": [],
              "published": False, "snapshot": previous.get("snapshot"), "pid": os.getpid()}
    try:
        report = refresh_fn()
        ran = [s for s in report.sources if s.status != "kept"]
        bad = [s for s in ran if s.status in ("failed", "partial")]
        status["failed_sources"] = [{"name": s.name, "status": s.status, "error": s.error} for s in bad]
        status["published"] = report.published
        if not report.published:
            status["error"] = "nothing was published"
        elif ran and all(s.status == "failed" for s in ran):
            status["error"] = f"every source failed ({len(ran)}); the last good data is kept"
        else:
            status["status"] = "partial" if bad else "ok"
            status["last_success"] = _iso(now())
        if report.published and publish_dir is not None:
            from etl import snapshot
            man = snapshot.publish(db_path, publish_dir)
            status["snapshot"] = {"dir": str(publish_dir), "snapshot_id": man["snapshot_id"],
                                  "generated_at": man["generated_at"]}
    except Exception as exc:  # a scheduled refresh never dies on one bad round
        status["error"] = f"{type(exc).__name__}: {exc}".replace("\n", " ")[:300]
        status["trace"] = traceback.format_exc(limit=3)[-1500:]
    status["finished"] = _iso(now())
    if every:
        status["next_run"] = _iso(started + timedelta(seconds=every))
    write_status(db_path, status)
    return status


def run_forever(db_path: Path, refresh_fn: Callable[[], object], every: float, publish_dir: Path | None = None,
                stop: threading.Event | None = None, on_round: Callable[[dict], None] | None = None,
                rounds: int | None = None) -> int:
    """Run ``run_once`` every ``every`` seconds (measured start to start) until ``stop`` is set
    (or ``rounds`` rounds ran). Returns the number of rounds."""
    stop = stop or threading.Event()
    n = 0
    while not stop.is_set():
        t0 = time.monotonic()
        st = run_once(db_path, refresh_fn, publish_dir, every)
        n += 1
        if on_round:
            on_round(st)
        if rounds is not None and n >= rounds:
            break
        stop.wait(max(0.0, every - (time.monotonic() - t0)))
    return n
