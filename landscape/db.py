"""Connection policy: short-lived read-only DuckDB connections, one per query.

The ETL replaces the database file atomically (``os.replace``); a connection opened before
the swap keeps reading the old file, the next one sees the new. ``db_token`` changes when
the file does, so caches keyed on it notice a new database. No connection at import time,
no connection shared across threads.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

import duckdb
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "var" / "landscape.duckdb"


class DatabaseMissing(FileNotFoundError):
    pass


def db_path() -> Path:
    return Path(os.environ.get("LANDSCAPE_DB") or DEFAULT_DB)


def db_token(path: Path | None = None) -> str:
    """Identity of the database file's current version (inode, size, mtime)."""
    p = path or db_path()
    try:
        st = p.stat()
    except FileNotFoundError as exc:
        raise DatabaseMissing(f"no database at {p}: run `make run` or `python -m etl build`") from exc
    return f"{p}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"


@contextmanager
def connect(path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    p = path or db_path()
    if not p.exists():
        raise DatabaseMissing(f"no database at {p}: run `make run` or `python -m etl build`")
    con = duckdb.connect(str(p), read_only=True)
    try:
        yield con
    finally:
        con.close()


def query_df(sql: str, params: Sequence | dict | None = None, path: Path | None = None) -> pd.DataFrame:
    """Run one bound-parameter query on a fresh read-only connection."""
    with connect(path) as con:
        return con.execute(sql, params or []).df()


def has_table(name: str, path: Path | None = None) -> bool:
    with connect(path) as con:
        return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [name]).fetchone()[0])


def records(df: pd.DataFrame) -> list[dict]:
    """``df.to_dict("records")`` (the same values: Python scalars, NaN for a missing float, None for
    a missing nullable int), built column by column: pandas' row-wise conversion boxes every cell
    and was a fifth of a 100x fit table."""
    cols = list(df.columns)
    data = []
    for c in cols:
        vals = df[c].tolist()
        if isinstance(df[c].dtype, pd.api.extensions.ExtensionDtype) and any(v is pd.NA for v in vals):
            vals = [None if v is pd.NA else v for v in vals]
        data.append(vals)
    return [dict(zip(cols, row)) for row in zip(*data)]
