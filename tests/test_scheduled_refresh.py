"""Scheduled refresh (`python -m etl refresh --every`): rounds, atomic publish, failure visibility."""
from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from etl import scheduled
from landscape import refresh_status
from tests.conftest import MIRROR, ROOT, need_mirror, rows, run_page


@pytest.mark.parametrize("text,seconds", [("90s", 90), ("15m", 900), ("6h", 21600), ("1d", 86400),
                                          ("1h30m", 5400), ("2.5", 2.5), (" 6H ", 21600)])
def test_parse_interval(text, seconds):
    assert scheduled.parse_interval(text) == seconds


@pytest.mark.parametrize("bad", ["", "0", "soon", "6x", "h6", "-5m", "6h junk"])
def test_parse_interval_rejects(bad):
    with pytest.raises(ValueError):
        scheduled.parse_interval(bad)


def test_a_round_that_raises_keeps_the_database_and_records_why(tmp_path, snapshot_db):
    db = tmp_path / "l.duckdb"
    shutil.copy(snapshot_db, db)
    before = db.read_bytes()

    def broken():
        raise OSError("disk full")
    st = scheduled.run_once(db, broken, every=3600)
    assert db.read_bytes() == before
    assert st["status"] == "failed" and "disk full" in st["error"] and st["next_run"]
    assert refresh_status.read(db)["status"] == "failed"
    n = refresh_status.notice(refresh_status.read(db))
    assert n.level == "error" and "last good data" in n.text and "disk full" in n.error


def _wait_status(db: Path, pred, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        st = refresh_status.read(db)
        if st and pred(st):
            return st
        time.sleep(0.2)
    raise AssertionError(f"status never matched: {refresh_status.read(db)}")


@pytest.mark.timeout(180)
def test_refresh_every_publishes_rounds_then_a_failed_round_keeps_last_good_data(tmp_path):
    need_mirror()
    db = tmp_path / "l.duckdb"
    cmd = [sys.executable, "-m", "etl", "refresh", "--db", str(db), "--source", "aider", "--quiet", "--every", "1s"]
    proc = subprocess.Popen(cmd + ["--mirror", str(MIRROR)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        first = _wait_status(db, lambda s: s["status"] in ("ok", "partial"))
        inode = db.stat().st_ino
        second = _wait_status(db, lambda s: s["last_attempt"] != first["last_attempt"] and s.get("finished"))
        assert second["status"] in ("ok", "partial") and db.stat().st_ino != inode  # republished (os.replace)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err[-1500:]
    assert "scheduled refresh: ok" in err or "scheduled refresh: partial" in err
    last_good = refresh_status.read(db)  # the round that ran last (a third may follow the second)
    good = rows(db, "SELECT count(*) FROM scores WHERE source = 'aider'")[0][0]
    assert good > 0
    # the upstream goes away: the round fails, the data stay, and the status file says so
    gone = subprocess.Popen(cmd[:-2] + ["--every", "1h", "--mirror", str(tmp_path / "gone")], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        st = _wait_status(db, lambda s: s["status"] == "failed")
        gone.send_signal(signal.SIGTERM)
        gone.communicate(timeout=60)
    finally:
        if gone.poll() is None:
            gone.kill()
    assert "every source failed" in st["error"] and st["last_success"] == last_good["last_success"]
    assert st["failed_sources"][0]["name"] == "aider"
    assert rows(db, "SELECT count(*) FROM scores WHERE source = 'aider'")[0][0] == good
    assert rows(db, "SELECT status FROM sources WHERE name = 'aider'")[0][0] == "failed"


def _data_quality_page() -> str:
    from ui import PAGES  # by title: the page files may move
    return next(p.path for p in PAGES if p.title == "Data quality")


def test_data_quality_page_shows_a_failed_scheduled_refresh(tmp_path, snapshot_db, monkeypatch):
    db = tmp_path / "l.duckdb"
    shutil.copy(snapshot_db, db)
    monkeypatch.setenv("LANDSCAPE_DB", str(db))
    scheduled.write_status(db, {"status": "failed", "last_attempt": "2026-12-01T06:00:00+00:00",
                                "last_success": "2026-11-30T18:00:00+00:00", "next_run": "2026-12-01T12:00:00+00:00",
                                "error": "FetchError: **every** source failed"})
    at = run_page(_data_quality_page())
    errors = [e.value for e in at.error]
    assert any("last scheduled refresh (2026-12-01T06:00:00+00:00) failed" in e and "2026-11-30T18:00:00" in e
               and "`FetchError: **every** source failed`" in e for e in errors), errors
    scheduled.write_status(db, {"status": "ok", "last_attempt": "2026-12-01T12:00:00+00:00"})
    at = run_page(_data_quality_page())
    assert not at.error and any("Last scheduled refresh: 2026-12-01T12:00:00+00:00, ok" in i.value for i in at.info)


def test_one_recorded_round_for_cron(tmp_path):
    need_mirror()
    db = tmp_path / "l.duckdb"
    proc = subprocess.run([sys.executable, "-m", "etl", "refresh", "--db", str(db), "--source", "aider", "--quiet",
                           "--status", "--mirror", str(MIRROR)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-1500:]
    st = refresh_status.read(db)
    assert st["status"] == "ok" and st["published"] and "next_run" not in st and "published:" in proc.stdout
