"""The connection policy (landscape/db.py): a new connection per query, to the current version of
the file; an atomic publish is seen by the next query while a query in flight keeps its version;
threads never share a connection; old versions are let go."""
from __future__ import annotations

import os
import shutil
import threading
import time

import duckdb
import pytest

from landscape import db


def _publish(src, dst, keep_rows: int):
    tmp = dst.with_name(".tmp-" + dst.name)
    shutil.copy(src, tmp)
    con = duckdb.connect(str(tmp))
    con.execute("DELETE FROM models WHERE model_id NOT IN (SELECT model_id FROM models ORDER BY model_id LIMIT ?)",
                [keep_rows])
    con.close()
    os.replace(tmp, dst)  # what etl.loader.publish does


def _count(path):
    return int(db.query_df("SELECT count(*) AS n FROM models", None, path)["n"][0])


def test_a_publish_is_seen_by_the_next_query_and_not_by_one_in_flight(tmp_path, snapshot_db):
    path = tmp_path / "landscape.duckdb"
    shutil.copy(snapshot_db, path)
    full = _count(path)
    with db.connect(path) as old:  # a query in flight on this version
        _publish(snapshot_db, path, 10)
        assert _count(path) == 10  # the next query reads the new file
        assert old.execute("SELECT count(*) FROM models").fetchone()[0] == full  # the old one keeps its version
    _publish(snapshot_db, path, 7)
    assert _count(path) == 7


def test_each_query_gets_its_own_connection_in_every_thread(tmp_path, snapshot_db):
    path = tmp_path / "landscape.duckdb"
    shutil.copy(snapshot_db, path)
    seen, errors = [], []

    def reader():
        try:
            for _ in range(20):
                with db.connect(path) as con:
                    seen.append(id(con))
                    assert con.execute("SELECT count(*) FROM models").fetchone()[0] > 0
        except Exception as exc:  # reported below
            errors.append(exc)
    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(seen) == 80
    with db.connect(path) as a, db.connect(path) as b:
        assert a is not b  # two queries at once: two connections


def test_old_versions_are_released(tmp_path, snapshot_db):
    path = tmp_path / "landscape.duckdb"
    shutil.copy(snapshot_db, path)
    tokens = set()
    for n in range(3, 3 + db._KEEP_VERSIONS + 3):
        _publish(snapshot_db, path, n)
        assert _count(path) == n
        tokens.add(db.db_token(path))
    held = tokens & set(db._VERSIONS)
    assert len(held) <= db._KEEP_VERSIONS
    assert db.db_token(path) in held


def test_a_path_with_a_quote_opens(tmp_path, snapshot_db):
    path = tmp_path / "it's here.duckdb"
    shutil.copy(snapshot_db, path)
    assert _count(path) > 10


def _wait_for(cond, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not cond() and time.monotonic() < deadline:
        time.sleep(0.02)
    return cond()


def test_an_idle_version_is_closed_and_reattached_by_the_next_query(tmp_path, snapshot_db, monkeypatch):
    monkeypatch.setattr(db, "IDLE_S", 0.2)
    monkeypatch.setattr(db._REAPER, "delay", 0.2)
    path = tmp_path / "landscape.duckdb"
    shutil.copy(snapshot_db, path)
    n = _count(path)
    token = db.db_token(path)
    assert token in db._VERSIONS
    assert _wait_for(lambda: token not in db._VERSIONS), "an idle version's instance stayed open"
    assert _count(path) == n  # attached again on demand
    assert token in db._VERSIONS


def test_a_version_in_use_is_never_closed_for_idleness(tmp_path, snapshot_db, monkeypatch):
    monkeypatch.setattr(db, "IDLE_S", 0.1)
    monkeypatch.setattr(db._REAPER, "delay", 0.1)
    path = tmp_path / "landscape.duckdb"
    shutil.copy(snapshot_db, path)
    with db.connect(path) as held:
        _count(path)  # another query comes and goes: the reaper is due
        time.sleep(0.6)
        assert held.execute("SELECT count(*) FROM models").fetchone()[0] > 0
        assert db.db_token(path) in db._VERSIONS
    assert _wait_for(lambda: db.db_token(path) not in db._VERSIONS)


def test_a_new_version_attaches_to_an_instance_made_ahead(tmp_path, snapshot_db, monkeypatch):
    path = tmp_path / "landscape.duckdb"
    shutil.copy(snapshot_db, path)
    _count(path)
    assert _wait_for(lambda: len(db._SPARE) == 1), "no instance was made ahead"
    made_by = []
    real = db._new_base
    monkeypatch.setattr(db, "_new_base", lambda: made_by.append(threading.current_thread().name) or real())
    _publish(snapshot_db, path, 5)
    assert _count(path) == 5
    assert "MainThread" not in made_by  # the query's thread only attached (~1.5 ms, not ~15)
    assert _wait_for(lambda: len(db._SPARE) == 1)  # and the next one is made ahead again
    assert made_by == ["landscape-db-spare"]


def test_idle_seconds_setting_is_checked(monkeypatch):
    monkeypatch.setenv("LANDSCAPE_DB_IDLE_S", "soon")
    with pytest.raises(ValueError, match="LANDSCAPE_DB_IDLE_S"):
        db._idle_seconds()
    monkeypatch.setenv("LANDSCAPE_DB_IDLE_S", "2.5")
    assert db._idle_seconds() == 2.5


def test_a_stopped_after_quiet_waits_for_its_call_and_makes_no_more():
    """At exit the idle closer is stopped first: a call under way finishes, none is made after."""
    import threading
    import time

    from landscape.quiet import AfterQuiet
    started, calls = threading.Event(), []

    def slow():
        started.set()
        time.sleep(0.3)
        calls.append(time.monotonic())
    q = AfterQuiet(0.01, slow, "test-quiet")
    q.poke()
    assert started.wait(5)
    t0 = time.monotonic()
    q.stop()
    assert len(calls) == 1 and calls[0] <= time.monotonic() and time.monotonic() - t0 >= 0.1  # it waited
    q.poke()
    time.sleep(0.1)
    assert len(calls) == 1  # no call after stop
