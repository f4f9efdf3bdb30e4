"""The bundled snapshot: the normalised tables of the last refresh, as Parquet, plus a manifest.

``export`` writes ``data/snapshot/<table>.parquet`` + ``manifest.json`` from a database;
``build`` makes a database from them (registry tables come fresh from ``data/models.yaml``),
publishing atomically like a refresh. No network, a few seconds.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from etl.loader import PublishError, building
from etl.registry import load_registry
from etl.schema import TABLES

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT_DIR = ROOT / "data" / "snapshot"
REGISTRY_TABLES = ("models", "aliases")


def export(db_path: Path | str, out_dir: Path | str = SNAPSHOT_DIR) -> dict:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path), read_only=True)
    digest = hashlib.sha256()
    tables = {}
    try:
        for table in TABLES:
            if table in REGISTRY_TABLES:
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
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
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
        if not set(TABLES) <= present:
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
    with building(db_path, load_registry()) as con:
        for table, expected in manifest["tables"].items():
            if table not in TABLES:
                continue
            src = snapshot_dir / f"{table}.parquet"
            cols = [c for c, _, _ in TABLES[table]]
            have = {r[0] for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(src)]).fetchall()}
            # a snapshot written before a nullable column existed (e.g. unmatched.reason) reads it as NULL
            select = ", ".join(f'"{c}"' if c in have or not null else f'NULL AS "{c}"' for c, _, null in TABLES[table])
            col_sql = ", ".join(f'"{c}"' for c in cols)
            con.execute(f'INSERT INTO "{table}" ({col_sql}) SELECT {select} FROM read_parquet(?)', [str(src)])
            n = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            if n != expected:
                raise PublishError(f"snapshot {table}: {n} rows, manifest says {expected}")
        con.execute("CREATE TABLE snapshot_info AS SELECT ? AS snapshot_id, ?::TIMESTAMP AS generated_at",
                    [manifest["snapshot_id"], manifest["generated_at"]])
    return manifest
