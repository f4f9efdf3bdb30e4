"""The bundled snapshot: the normalised tables of the last refresh, as Parquet, plus a manifest.

``export`` writes ``data/snapshot/<table>.parquet`` + ``manifest.json`` from a database;
``build`` makes a database from them (registry tables come fresh from ``data/models.yaml``),
publishing atomically like a refresh. No network, a few seconds. ``models.parquet`` carries what
only a refresh knows about the registry: each model's ``first_seen`` and the discovered models
the catalogues listed (``etl.loader.with_first_seen``); a model the snapshot predates has an
unknown ``first_seen``.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb

from etl import clock
from etl.loader import PublishError, building, with_first_seen
from etl.registry import load_registry
from etl.schema import TABLES, VIEWS

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT_DIR = ROOT / "data" / "snapshot"
REGISTRY_TABLES = ("models", "aliases")
NOT_EXPORTED = ("aliases",)  # models.parquet is exported for first_seen and discovered models


def export(db_path: Path | str, out_dir: Path | str = SNAPSHOT_DIR) -> dict:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path), read_only=True)
    digest = hashlib.sha256()
    tables = {}
    try:
        for table in TABLES:
            if table in NOT_EXPORTED:
                continue
            exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [table]).fetchone()[0]
            if not exists:
                continue
            cols = [c for c, _, _ in TABLES[table]]
            order = ", ".join(f'"{c}"' for c in cols if c not in ("config_json",)) or "1"
            target = out_dir / f"{table}.parquet"
            con.execute(f"COPY (SELECT * FROM \"{table}\" ORDER BY {order}) TO '{_sql_path(target)}' "
                        "(FORMAT parquet, COMPRESSION zstd)")
            n = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            rows_digest = hashlib.sha256(repr(con.execute(f'SELECT * FROM "{table}" ORDER BY {order}').fetchall()).encode())
            digest.update(table.encode() + rows_digest.digest())
            tables[table] = n
        refreshed = con.execute("SELECT max(refreshed_at) FROM sources").fetchone()[0]
    finally:
        con.close()
    manifest = {
        "snapshot_id": digest.hexdigest()[:12],
        "generated_at": clock.now().isoformat(timespec="seconds"),
        "refreshed_at": refreshed.isoformat() + "Z" if refreshed else None,
        "tables": tables,
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def _sql_path(p: Path) -> str:
    return str(p).replace("'", "''")


def read_manifest(snapshot_dir: Path | str = SNAPSHOT_DIR) -> dict:
    return json.loads((Path(snapshot_dir) / "manifest.json").read_text())


def staleness(db_path: Path | str, snapshot_dir: Path | str = SNAPSHOT_DIR) -> str:
    """'stale' when ``db_path`` is missing, unreadable, lacks a table of the current schema (made by an
    older version) or was built from another snapshot than the bundled one; 'current' when built from
    it; 'refreshed' when a refresh of this version published it (never overwritten)."""
    db_path = Path(db_path)
    if not db_path.exists():
        return "stale"
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error:
        return "stale"
    try:
        present = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if not set(TABLES) | set(VIEWS) <= present:  # views are published as tables (materialise_views)
            return "stale"
        if "snapshot_info" not in present:
            return "refreshed"
        built_from = con.execute("SELECT snapshot_id FROM snapshot_info").fetchone()[0]
    finally:
        con.close()
    return "current" if built_from == read_manifest(snapshot_dir)["snapshot_id"] else "stale"


def build(db_path: Path | str, snapshot_dir: Path | str = SNAPSHOT_DIR) -> dict:
    db_path, snapshot_dir = Path(db_path), Path(snapshot_dir)
    manifest = read_manifest(snapshot_dir)
    with building(db_path, snapshot_models(snapshot_dir, manifest)) as con:
        for table, expected in manifest["tables"].items():
            if table not in TABLES or table in REGISTRY_TABLES:
                continue
            src = snapshot_dir / f"{table}.parquet"
            have = {r[0] for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(src)]).fetchall()}
            missing = [c for c, _, nullable in TABLES[table] if c not in have and not nullable]
            if missing:
                raise PublishError(f"snapshot {table}: required column(s) {missing} missing")
            # a nullable column added after the snapshot was made (scores.reported_by) stays NULL = unknown
            cols = [c for c, _, _ in TABLES[table] if c in have]
            select = ", ".join(f'"{c}"' for c in cols)
            col_sql = ", ".join(f'"{c}"' for c in cols)
            con.execute(f'INSERT INTO "{table}" ({col_sql}) SELECT {select} FROM read_parquet(?)', [str(src)])
            n = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            if n != expected:
                raise PublishError(f"snapshot {table}: {n} rows, manifest says {expected}")
        con.execute("CREATE TABLE snapshot_info AS SELECT ? AS snapshot_id, ?::TIMESTAMP AS generated_at",
                    [manifest["snapshot_id"], manifest["generated_at"]])
    return manifest


def snapshot_models(snapshot_dir: Path, manifest: dict) -> list:
    """The registry from ``data/models.yaml`` with the snapshot's ``first_seen`` dates and discovered
    models (an older snapshot without ``models.parquet``: unknown first_seen, no discovered models)."""
    src = Path(snapshot_dir) / "models.parquet"
    prev: dict[str, dict] = {}
    if "models" in manifest.get("tables", {}) and src.is_file():
        con = duckdb.connect()
        try:
            cur = con.execute("SELECT * FROM read_parquet(?)", [str(src)])
            names = [d[0] for d in cur.description]
            prev = {r[0]: dict(zip(names, r)) for r in cur.fetchall()}
        finally:
            con.close()
    return with_first_seen(load_registry(), prev, None)


# --- sharing one refresh between machines -------------------------------------------------------
# ``publish`` lays a snapshot out for replicas elsewhere (serve the folder over HTTP(S)):
#   DIR/manifest.json            the current version: the usual manifest plus "base" and "files"
#   DIR/<snapshot_id>/*.parquet  that version's tables (older versions are kept for a while, so a
#                                replica halfway through a download never sees files change under it)
# ``etl.sync`` reads it. The manifest is replaced last and atomically.

KEEP_VERSIONS = 3


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def registry_digest() -> str:
    from etl.registry import REGISTRY_PATH
    return hashlib.sha256(Path(REGISTRY_PATH).read_bytes()).hexdigest()[:12]


def publish(db_path: Path | str, out_dir: Path | str, keep: int = KEEP_VERSIONS) -> dict:
    """Export ``db_path`` into ``out_dir/<snapshot_id>/`` and point ``out_dir/manifest.json`` at it."""
    import os
    import shutil
    import uuid
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = out_dir / f".tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        man = export(db_path, tmp)
        man["files"] = {f"{t}.parquet": {"sha256": _sha256(tmp / f"{t}.parquet"),
                                         "bytes": (tmp / f"{t}.parquet").stat().st_size} for t in man["tables"]}
        man["registry_sha256"] = registry_digest()
        man["base"] = f"{man['snapshot_id']}/"
        (tmp / "manifest.json").write_text(json.dumps(man, indent=2) + "\n")
        version = out_dir / man["snapshot_id"]
        if version.is_dir():  # same content published before: keep the files replicas may be reading
            shutil.rmtree(tmp)
            man["files"] = json.loads((version / "manifest.json").read_text())["files"]
        else:
            os.replace(tmp, version)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    top = out_dir / f".manifest.json.tmp-{os.getpid()}"
    top.write_text(json.dumps(man, indent=2) + "\n")
    os.replace(top, out_dir / "manifest.json")
    os.utime(version)  # newest first when pruning
    versions = sorted((d for d in out_dir.iterdir() if d.is_dir() and not d.name.startswith(".")),
                      key=lambda d: d.stat().st_mtime, reverse=True)
    for old in versions[keep:]:
        if old.name != man["snapshot_id"]:
            shutil.rmtree(old, ignore_errors=True)
    return man
