"""Atomic publishing and last-good data."""

import duckdb
import pytest

from etl.fetch import Fetcher
from etl.loader import clean_stale_temps, refresh
from etl.sources import all_sources
from tests.conftest import MIRROR, need_mirror


def count(db, sql, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchone()[0]
    finally:
        con.close()


def test_failed_source_keeps_last_good_rows(tmp_path):
    need_mirror()
    db = tmp_path / "l.duckdb"
    refresh(db, Fetcher(mirror=str(MIRROR)))
    before = count(db, "SELECT count(*) FROM scores WHERE source = 'aider'")
    as_of = count(db, "SELECT max(as_of) FROM scores WHERE source = 'aider'")
    empty = tmp_path / "empty-mirror"
    empty.mkdir()
    rep = refresh(db, Fetcher(mirror=str(empty)), only=["aider"])
    assert rep.published and rep.exit_code() == 1  # everything selected failed
    assert [s.status for s in rep.sources if s.name == "aider"] == ["failed"]
    assert count(db, "SELECT count(*) FROM scores WHERE source = 'aider'") == before
    assert count(db, "SELECT max(as_of) FROM scores WHERE source = 'aider'") == as_of
    assert "not in mirror" in count(db, "SELECT error FROM sources WHERE name = 'aider'")
    # sources not selected are carried over untouched
    assert count(db, "SELECT count(*) FROM scores WHERE source = 'lmarena'") > 0
    assert count(db, "SELECT status FROM sources WHERE name = 'lmarena'") == "ok"


def test_broken_parse_fails_one_source_only(tmp_path):
    need_mirror()
    import shutil
    mirror = tmp_path / "m"
    shutil.copytree(MIRROR / "raw.githubusercontent.com" / "fboulnois", mirror / "raw.githubusercontent.com" / "fboulnois")
    shutil.copytree(MIRROR / "raw.githubusercontent.com" / "Aider-AI", mirror / "raw.githubusercontent.com" / "Aider-AI")
    bad = mirror / "raw.githubusercontent.com/Aider-AI/aider/main/aider/website/_data/polyglot_leaderboard.yml"
    bad.chmod(0o644)
    bad.write_text("- {model: [unclosed\n")
    rep = refresh(tmp_path / "b.duckdb", Fetcher(mirror=str(mirror)))
    status = {s.name: s for s in rep.sources}
    assert status["aider"].status == "failed" and "invalid YAML" in status["aider"].error
    assert status["lmarena"].status == "ok"


def test_failure_during_build_leaves_published_db_untouched(tmp_path, monkeypatch):
    need_mirror()
    db = tmp_path / "p.duckdb"
    refresh(db, Fetcher(mirror=str(MIRROR)), only=None)
    stamp = db.stat().st_mtime_ns
    import etl.loader as loader
    monkeypatch.setattr(loader, "validate_database", lambda con: (_ for _ in ()).throw(loader.PublishError("boom")))
    with pytest.raises(loader.PublishError):
        refresh(db, Fetcher(mirror=str(MIRROR)))
    assert db.stat().st_mtime_ns == stamp
    assert not list(tmp_path.glob(".p.duckdb.tmp-*"))


def test_stale_temp_files_of_dead_processes_are_removed(tmp_path):
    db = tmp_path / "s.duckdb"
    stale = tmp_path / ".s.duckdb.tmp-999999-deadbeef"
    stale.write_bytes(b"partial")
    assert clean_stale_temps(db) == [stale]
    assert not stale.exists()


def test_every_source_is_registered_once():
    names = [s.name for s in all_sources()]
    assert len(names) == len(set(names)) and {"hf_config", "aider", "lmarena"} <= set(names)


def test_make_run_rebuilds_only_a_stale_snapshot_database(tmp_path):
    """`make run` uses `etl build --if-stale`: a new bundled snapshot replaces an old build, but a
    database published by a refresh (newer, live data) is never overwritten."""
    import json
    import shutil

    from etl import snapshot
    snap = tmp_path / "snap"
    shutil.copytree(snapshot.SNAPSHOT_DIR, snap)
    db = tmp_path / "app.duckdb"
    assert snapshot.staleness(db, snap) == "stale"
    snapshot.build(db, snap)
    assert snapshot.staleness(db, snap) == "current"
    man = json.loads((snap / "manifest.json").read_text())
    man["snapshot_id"] = "newer000000"
    (snap / "manifest.json").write_text(json.dumps(man))
    assert snapshot.staleness(db, snap) == "stale"
    need_mirror()
    refreshed = tmp_path / "refreshed.duckdb"
    refresh(refreshed, Fetcher(mirror=str(MIRROR)), only=["aider"])
    assert snapshot.staleness(refreshed, snap) == "refreshed"


def test_database_from_an_older_schema_is_stale(tmp_path):
    """A database refreshed by an older version (missing newer tables) is rebuilt, not served broken."""
    import duckdb

    from etl import snapshot
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE models (model_id VARCHAR)")
    con.close()
    assert snapshot.staleness(db) == "stale"
