"""A replica on another machine: build the database from a snapshot another machine published.

``python -m etl sync --url https://host/snap/ --db var/landscape.duckdb [--every 60s]`` reads
``<url>/manifest.json`` (written by ``etl.snapshot.publish``, e.g. from ``python -m etl refresh
--every 6h --publish-snapshot DIR`` with DIR served over HTTP(S)); when its ``snapshot_id``
differs from the one the local database was built from, it downloads that version's Parquet
files through the ETL's one HTTP seam (``etl.fetch.Fetcher``: timeouts, retries, size cap),
checks each file's SHA-256 and size against the manifest, and builds the database with
``etl.snapshot.build`` (validated, published atomically). A failed download or a bad file keeps
the current database; the error is printed and written to ``<db>.refresh.json`` like a failed
refresh, so the Data quality page shows it. ``--url`` may also be a local folder.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import duckdb

from etl import snapshot
from etl import clock
from etl.fetch import Fetcher


class SyncError(RuntimeError):
    pass


@dataclass
class SyncResult:
    changed: bool
    snapshot_id: str
    manifest: dict
    note: str = ""


def _base(url: str) -> str:
    url = str(url)
    if url.endswith("manifest.json"):
        return url[: -len("manifest.json")]
    return url if url.endswith("/") else url + "/"


def _is_http(url: str) -> bool:
    return str(url).startswith(("http://", "https://"))


def _get(url: str, fetcher: Fetcher) -> bytes:
    if _is_http(url):
        return fetcher.get(url).content
    try:
        return Path(url).read_bytes()
    except OSError as exc:
        raise SyncError(f"cannot read {url}: {exc.strerror or exc}") from exc


def built_from(db_path: Path | str) -> str | None:
    """The snapshot id the database was built from (None: missing, unreadable or a refresh's)."""
    db_path = Path(db_path)
    if not db_path.exists():
        return None
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error:
        return None
    try:
        has = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'snapshot_info'").fetchone()[0]
        return con.execute("SELECT snapshot_id FROM snapshot_info").fetchone()[0] if has else None
    finally:
        con.close()


def read_remote_manifest(url: str, fetcher: Fetcher | None = None) -> dict:
    fetcher = fetcher or Fetcher()
    raw = _get(urljoin(_base(url), "manifest.json") if _is_http(url) else str(Path(url) / "manifest.json"), fetcher)
    try:
        man = json.loads(raw)
    except ValueError as exc:
        raise SyncError(f"manifest is not JSON: {exc}") from exc
    for key in ("snapshot_id", "tables", "files", "base"):
        if key not in man:
            raise SyncError(f"manifest has no {key!r} (not written by etl.snapshot.publish?)")
    if not all(c.isalnum() for c in str(man["snapshot_id"])) or ".." in str(man["base"]) or str(man["base"]).startswith("/"):
        raise SyncError("manifest names an unsafe snapshot id or base")
    return man


def sync(url: str, db_path: Path | str, fetcher: Fetcher | None = None, force: bool = False) -> SyncResult:
    """Rebuild ``db_path`` from the snapshot at ``url`` when its manifest names another version."""
    fetcher = fetcher or Fetcher()
    db_path = Path(db_path)
    man = read_remote_manifest(url, fetcher)
    sid = str(man["snapshot_id"])
    if not force and built_from(db_path) == sid:
        return SyncResult(False, sid, man, "already current")
    note = ""
    if man.get("registry_sha256") and man["registry_sha256"] != snapshot.registry_digest():
        note = ("the publisher's data/models.yaml differs from this replica's: models/aliases come from the "
                "local registry (run the same version on both)")
    tmp = Path(tempfile.mkdtemp(prefix="landscape-sync-"))
    try:
        for table in man["tables"]:
            name = f"{table}.parquet"
            want = man["files"].get(name)
            if not want:
                raise SyncError(f"manifest lists table {table} but no file {name}")
            src = (urljoin(_base(url), man["base"] + name) if _is_http(url)
                   else str(Path(url) / man["base"] / name))
            body = _get(src, fetcher)
            if len(body) != want["bytes"] or hashlib.sha256(body).hexdigest() != want["sha256"]:
                raise SyncError(f"{name}: {len(body)} bytes, checksum does not match the manifest "
                                "(changed or truncated in transit)")
            (tmp / name).write_bytes(body)
        (tmp / "manifest.json").write_text(json.dumps(man))
        snapshot.build(db_path, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return SyncResult(True, sid, man, note)


def sync_status_round(url: str, db_path: Path, fetcher: Fetcher | None = None, every: float | None = None) -> dict:
    """One sync, recorded in ``<db>.refresh.json`` the way a scheduled refresh is."""
    from etl.scheduled import read_status, write_status, _iso
    from datetime import timedelta
    prev = read_status(db_path) or {}
    started = clock.now()
    st = {"mode": "snapshot sync", "url": url, "last_attempt": _iso(started), "last_success": prev.get("last_success"),
          "every_seconds": every, "status": "failed", "error": None, "published": False,
          "snapshot": prev.get("snapshot"), "failed_sources": []}
    try:
        res = sync(url, db_path, fetcher)
        st.update(status="ok", published=res.changed, last_success=_iso(clock.now()),
                  error=res.note or None,
                  snapshot={"url": url, "snapshot_id": res.snapshot_id,
                            "generated_at": res.manifest.get("generated_at")})
    except Exception as exc:  # keep serving the current database; say why
        st["error"] = f"{type(exc).__name__}: {exc}".replace("\n", " ")[:300]
    st["finished"] = _iso(clock.now())
    if every:
        st["next_run"] = _iso(started + timedelta(seconds=every))
    write_status(db_path, st)
    return st
