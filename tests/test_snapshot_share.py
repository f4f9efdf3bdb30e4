"""One refresh shared by replicas on other machines: publish the snapshot, sync it over HTTP.

The HTTP server is a local one on 127.0.0.1 serving the published folder.
"""
from __future__ import annotations

import contextlib
import functools
import json
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest
import requests

from etl import snapshot, sync
from etl.fetch import Fetcher
from etl.loader import refresh
from etl.schema import TABLES
from landscape import queries
from landscape.filters import Filters
from tests.conftest import free_port, rows
from tests.test_serve import need_nginx, serve_env


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


@contextlib.contextmanager
def http_dir(folder: Path):
    """Serve ``folder`` on 127.0.0.1 (a stand-in for any static file host)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/snap/"
    finally:
        server.shutdown()
        server.server_close()


def _table(db, table):
    cols = [c for c, _, _ in TABLES[table]]
    return rows(db, f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{table}" ORDER BY ALL')


def _eq(x: pd.DataFrame, y: pd.DataFrame):
    """Same rows (the queries' ORDER BY leaves ties in storage order, which a rebuild may change)."""
    key = list(x.columns)
    pd.testing.assert_frame_equal(x.sort_values(key, kind="stable").reset_index(drop=True),
                                  y.sort_values(key, kind="stable").reset_index(drop=True))


def _same_numbers(a: Path, b: Path):
    """Every warehouse table equal row for row, and the app's queries return the same frames."""
    for table in TABLES:
        assert _table(a, table) == _table(b, table), table
    f = Filters(released_only=False, include_reference=True)
    _eq(queries.models(f, path=a), queries.models(f, path=b))
    opts = queries.score_options(path=a)
    _eq(opts, queries.score_options(path=b))
    for bench in opts["benchmark"].head(5):
        _eq(queries.landscape_points(f, bench, path=a), queries.landscape_points(f, bench, path=b))
    _eq(queries.sources_status(path=a), queries.sources_status(path=b))


@pytest.fixture
def refresher_db(mirror_db, tmp_path) -> Path:
    db = tmp_path / "refresher" / "landscape.duckdb"
    db.parent.mkdir()
    shutil.copy(mirror_db, db)
    return db


@pytest.mark.timeout(240)
def test_replica_built_from_snapshot_url_serves_the_refreshers_numbers(refresher_db, tmp_path):
    pub = tmp_path / "www" / "snap"
    man = snapshot.publish(refresher_db, pub)
    assert (pub / "manifest.json").is_file() and (pub / man["snapshot_id"] / "scores.parquet").is_file()
    assert man["base"] == man["snapshot_id"] + "/" and set(man["files"]) == {f"{t}.parquet" for t in man["tables"]}
    replica = tmp_path / "replica" / "landscape.duckdb"
    with http_dir(tmp_path / "www") as url:
        res = sync.sync(url, replica)
        assert res.changed and res.snapshot_id == man["snapshot_id"] and not res.note
        _same_numbers(refresher_db, replica)
        assert sync.built_from(replica) == man["snapshot_id"]
        # the manifest did not change: nothing is rebuilt
        inode = replica.stat().st_ino
        assert not sync.sync(url, replica).changed and replica.stat().st_ino == inode
        # the refresher runs again (aider's upstream is gone this time): a new version is published
        rep = refresh(refresher_db, Fetcher(mirror=str(tmp_path / "gone")), only=["aider"])
        assert rep.published
        man2 = snapshot.publish(refresher_db, pub)
        assert man2["snapshot_id"] != man["snapshot_id"]
        assert (pub / man["snapshot_id"]).is_dir()  # the old version stays for replicas mid-download
        res = sync.sync(url + "manifest.json", replica)  # the manifest's own URL works too
        assert res.changed and replica.stat().st_ino != inode
        _same_numbers(refresher_db, replica)
        assert rows(replica, "SELECT status FROM sources WHERE name = 'aider'") == [("failed",)]


def test_a_corrupt_or_unsafe_snapshot_keeps_the_replicas_database(refresher_db, tmp_path):
    pub = tmp_path / "www" / "snap"
    man = snapshot.publish(refresher_db, pub)
    replica = tmp_path / "replica.duckdb"
    with http_dir(tmp_path / "www") as url:
        sync.sync(url, replica)
        before = replica.read_bytes()
        rep = refresh(refresher_db, Fetcher(mirror=str(tmp_path / "gone")), only=["aider"])
        man2 = snapshot.publish(refresher_db, pub)
        scores = pub / man2["base"] / "scores.parquet"
        scores.write_bytes(scores.read_bytes()[:-100])  # truncated in transit / on the host
        with pytest.raises(sync.SyncError, match="checksum"):
            sync.sync(url, replica)
        assert replica.read_bytes() == before
        st = sync.sync_status_round(url, replica)  # what `etl sync --every` records
        assert st["status"] == "failed" and "checksum" in st["error"]
        bad = json.loads((pub / "manifest.json").read_text())
        bad["base"] = "../../etc/"
        (pub / "manifest.json").write_text(json.dumps(bad))
        with pytest.raises(sync.SyncError, match="unsafe"):
            sync.sync(url, replica)
    with pytest.raises(Exception):
        sync.sync(f"http://127.0.0.1:{free_port()}/snap/", replica, Fetcher(attempts=1))
    assert replica.read_bytes() == before
    assert rep.published and man["snapshot_id"] != man2["snapshot_id"]


@pytest.mark.serve
@pytest.mark.timeout(240)
def test_make_serve_with_snapshot_url_follows_the_published_snapshot(refresher_db, tmp_path):
    need_nginx()
    from tools import serve
    pub = tmp_path / "www" / "snap"
    man = snapshot.publish(refresher_db, pub)
    replica = tmp_path / "replica" / "landscape.duckdb"
    with http_dir(tmp_path / "www") as url:
        env = serve_env(tmp_path, replica, replicas=1, LANDSCAPE_SNAPSHOT_URL=url, SYNC_EVERY="1s")
        with serve.launched(env, tmp_path / "serve.log") as (base, _proc):
            import time
            deadline = time.monotonic() + 60  # the sync process reports itself after its first round
            while (h := requests.get(base + "/healthz", timeout=10).json()).get("refresher") is None:
                assert time.monotonic() < deadline, f"/healthz never listed the snapshot sync: {h}"
                time.sleep(0.5)
            assert h["replicas"][0]["db_version"]["snapshot_id"] == man["snapshot_id"]
            assert h["refresher"]["kind"] == "snapshot sync"
            refresh(refresher_db, Fetcher(mirror=str(tmp_path / "gone")), only=["aider"])
            man2 = snapshot.publish(refresher_db, pub)
            deadline = time.monotonic() + 60
            while requests.get(base + "/healthz", timeout=10).json()["replicas"][0]["db_version"]["snapshot_id"] \
                    != man2["snapshot_id"]:
                assert time.monotonic() < deadline, "the replica never rebuilt from the new manifest"
                time.sleep(0.5)
        _same_numbers(refresher_db, replica)
