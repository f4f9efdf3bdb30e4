"""Connection policy: a fresh read-only DuckDB connection for every query, never one shared
across threads, none opened at import.

Opening a DuckDB file costs ~20-30 ms (it reads the catalog), and a page runs 10-30 queries, so
that was most of a page's cold time. Each database *version* (``db_token``: inode, size, mtime)
is therefore attached once, read-only, to its own in-memory DuckDB instance; every query gets a
new connection to that instance (``cursor()``: ~1 ms), used by the calling thread only and closed
after the query. The ETL replaces the database file atomically (``os.replace``): the next query
sees a new ``db_token`` and attaches the new file to a new instance, while queries in flight
finish on the version they started on. ``db_token`` changes when the file does, so caches keyed
on it notice a new database. The file is never written in place while readers hold it: a writer
in the same process would conflict with the attached version (DuckDB allows one handle per file
when one is read-write), so databases are published by writing beside and ``os.replace``.
"""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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


_VERSIONS: dict[str, duckdb.DuckDBPyConnection] = {}  # db_token -> an in-memory instance with that file attached
_VERSIONS_LOCK = threading.Lock()
_KEEP_VERSIONS = 4  # older versions are closed (a query still running on one that old would fail)
ALIAS = "landscape"


def _instance(p: Path) -> duckdb.DuckDBPyConnection:
    """The instance holding the current version of ``p`` attached read-only (created on first use)."""
    for _ in range(3):
        token = db_token(p)
        with _VERSIONS_LOCK:
            if token in _VERSIONS:
                return _VERSIONS[token]
        base = duckdb.connect(":memory:")
        try:
            # DuckDB's allocator keeps what a query freed unless its background threads return it:
            # a process that ran the 100x claims query fell from ~400 to ~245 MB within seconds
            # with them (the app server reads that table precomputed, so it gains less)
            base.execute("SET allocator_background_threads = true")
            base.execute(f"ATTACH '{_sql_string(str(p))}' AS {ALIAS} (READ_ONLY)")
        except BaseException:
            base.close()
            raise
        if db_token(p) != token:  # published while we attached: which file we got is not known
            base.close()
            continue
        with _VERSIONS_LOCK:
            if token in _VERSIONS:  # another thread attached it meanwhile
                base.close()
                return _VERSIONS[token]
            _VERSIONS[token] = base
            while len(_VERSIONS) > _KEEP_VERSIONS:
                _VERSIONS.pop(next(iter(_VERSIONS))).close()
            return base
    raise RuntimeError(f"{p} kept changing while it was being opened")


def _sql_string(s: str) -> str:
    return s.replace("'", "''")


@contextmanager
def connect(path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A new read-only connection to the current version of the database, for this thread only."""
    p = path or db_path()
    if not p.exists():
        raise DatabaseMissing(f"no database at {p}: run `make run` or `python -m etl build`")
    base = _instance(p)
    with _VERSIONS_LOCK:
        con = base.cursor()
    try:
        con.execute(f"USE {ALIAS}")
        yield con
    finally:
        con.close()


def query_df(sql: str, params: Sequence | dict | None = None, path: Path | None = None) -> pd.DataFrame:
    """Run one bound-parameter query on a fresh read-only connection; the rows come as Arrow and
    become the frame DuckDB's own ``.df()`` makes (``frame_of``), 2-20x faster at 100x."""
    with connect(path) as con:
        rel = con.sql(sql, params=params or None)
        if rel is None:  # a statement with no result
            return pd.DataFrame()
        return frame_of(rel.to_arrow_table())


_NULLABLE = {"int8": pd.Int8Dtype(), "int16": pd.Int16Dtype(), "int32": pd.Int32Dtype(), "int64": pd.Int64Dtype(),
             "uint8": pd.UInt8Dtype(), "uint16": pd.UInt16Dtype(), "uint32": pd.UInt32Dtype(),
             "uint64": pd.UInt64Dtype(), "bool": pd.BooleanDtype()}


def frame_of(table) -> pd.DataFrame:
    """A query's Arrow result as the DataFrame DuckDB's ``.df()`` gives (tests/test_query_frames.py
    holds the two equal on every table and the pages' queries): DATE as datetime64[us]; an integer
    or boolean column with a NULL as pandas' nullable type (without one, NumPy's); HUGEINT and
    DECIMAL as float64; a text column with no value (no rows, or every one NULL) as objects.
    ``.df()`` builds the frame value by value (2.3 s for 700,000 scores at 100x); Arrow's
    conversion works column by column (0.12 s)."""
    names, used, last = [], set(), {}
    for n in table.column_names:  # a repeated name gets a suffix, as .df() gives it: a, a_1, a_2
        if n in used:
            k = last.get(n, 0) + 1
            while f"{n}_{k}" in used:
                k += 1
            last[n], n = k, f"{n}_{k}"
        used.add(n)
        names.append(n)
    if names != table.column_names:
        table = table.rename_columns(names)
    for i, field in enumerate(table.schema):
        t = field.type
        if pa.types.is_date(t):
            table = table.set_column(i, field.name, table.column(i).cast(pa.timestamp("us")))
        elif pa.types.is_decimal(t):  # each value rounded once, as .df() does (Arrow's cast can differ in the last bit)
            vals = [None if v is None else float(v) for v in table.column(i).to_pylist()]
            table = table.set_column(i, field.name, pa.array(vals, pa.float64()))
    df = table.to_pandas()
    for i, field in enumerate(table.schema):
        col, t = table.column(i), field.type
        if col.null_count and str(t) in _NULLABLE:
            df.isetitem(i, col.to_pandas(types_mapper={t: _NULLABLE[str(t)]}.get))
        elif (pa.types.is_string(t) or pa.types.is_large_string(t)) and col.null_count == len(col):
            df.isetitem(i, pd.Series(col.to_pylist(), dtype=object))
    return df


def has_table(name: str, path: Path | None = None) -> bool:
    """Whether the database has a table or view ``name``: a query on it is bound (no rows read),
    which is 1 ms where listing ``duckdb_tables()`` on a new version's instance is 7-8."""
    ident = '"' + name.replace('"', '""') + '"'
    with connect(path) as con:
        try:
            con.execute(f"SELECT 1 FROM {ident} LIMIT 0")
        except duckdb.CatalogException:
            return False
        return True


def isin(col: pd.Series, values) -> np.ndarray:
    """``col.isin(values).to_numpy()``, the same mask. pandas matches an Arrow-backed text column by
    making an Arrow scalar of every value first (~5 us each: a fifth of a Context render at 10,000
    models, whose filter is a list of every model id); here Arrow matches the whole list at once."""
    if not isinstance(col.array, pd.arrays.ArrowStringArray):
        return col.isin(values).to_numpy(dtype=bool)
    arrow = pa.array(col.array)
    wanted = []
    for v in (values.tolist() if hasattr(values, "tolist") else values):
        if isinstance(v, str):
            wanted.append(v)
        elif v is None or v is pd.NA or (isinstance(v, float) and v != v):  # a gap matches a gap
            wanted.append(None)
    if not wanted:
        return np.zeros(len(col), dtype=bool)
    mask = pc.is_in(arrow, value_set=pa.array(wanted, type=arrow.type))
    return mask.fill_null(False).to_numpy(zero_copy_only=False)


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
