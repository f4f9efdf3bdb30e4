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

Each version counts the connections open on it. One no connection has used for ``IDLE_S``
(``LANDSCAPE_DB_IDLE_S``, default 10 s) is closed: DuckDB keeps every block it has read until its
memory limit (80% of RAM), and the pages read a version once and then answer from their memos
(``ui_data``), so a server kept ~25 MB of blocks nobody read again (bench/README.md, "tenth
pass"). The next query attaches it again. A new instance costs ~12-15 ms, so one empty instance is
always made ahead on a thread (DuckDB releases the GIL meanwhile): attaching a version, new or
closed for idleness, costs its ATTACH only (~1.5 ms). Beyond ``_KEEP_VERSIONS`` the oldest idle
versions are closed at once; one still in use is never closed.
"""
from __future__ import annotations

import atexit
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from landscape import heap
from landscape.quiet import AfterQuiet

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


class _Version:
    """One database version attached to its own in-memory instance, and who is using it."""
    __slots__ = ("base", "active", "idle_since")

    def __init__(self, base: duckdb.DuckDBPyConnection):
        self.base = base
        self.active = 0  # connections open on it now
        self.idle_since = time.monotonic()  # when the last one closed


_VERSIONS: dict[str, _Version] = {}  # db_token -> its instance
_VERSIONS_LOCK = threading.Lock()
_KEEP_VERSIONS = 4  # at most this many versions stay attached (idle old ones are closed first)
ALIAS = "landscape"


def _idle_seconds() -> float:
    """``LANDSCAPE_DB_IDLE_S``: seconds a version's instance may sit unused before it is closed."""
    raw = os.environ.get("LANDSCAPE_DB_IDLE_S", "10")
    try:
        return max(float(raw), 0.0)
    except ValueError:
        raise ValueError(f"LANDSCAPE_DB_IDLE_S must be a number of seconds, not {raw!r}") from None


IDLE_S = _idle_seconds()
_SPARE: list[duckdb.DuckDBPyConnection] = []  # an empty in-memory instance made ahead (at most one)
_SPARE_STATE: dict = {"making": False, "thread": None}


def _new_base() -> duckdb.DuckDBPyConnection:
    base = duckdb.connect(":memory:")
    # DuckDB's allocator keeps what a query freed unless its background threads return it:
    # a process that ran the 100x claims query fell from ~400 to ~245 MB within seconds
    # with them (the app server reads that table precomputed, so it gains less)
    base.execute("SET allocator_background_threads = true")
    return base


def _make_spare() -> None:
    try:
        base = _new_base()
    except Exception:  # the next version makes its own (and reports the error there)
        base = None
    with _VERSIONS_LOCK:
        _SPARE_STATE["making"] = False
        if base is not None and not _SPARE:
            _SPARE.append(base)
            return
    if base is not None:
        base.close()


def _take_base() -> duckdb.DuckDBPyConnection:
    """An empty instance: the one made ahead, else a new one; either way the next is made ahead on
    a thread. A new instance costs ~12-15 ms (DuckDB releases the GIL meanwhile), an ATTACH to it
    ~1.5 ms: each newly published version (every page's first render after it) pays the ATTACH only."""
    with _VERSIONS_LOCK:
        base = _SPARE.pop() if _SPARE else None
        start = not _SPARE_STATE["making"]
        _SPARE_STATE["making"] = True
    if start:
        t = _SPARE_STATE["thread"] = threading.Thread(target=_make_spare, name="landscape-db-spare", daemon=True)
        t.start()
    return base if base is not None else _new_base()


def _close_idle() -> None:
    """Close every version no connection has used for ``IDLE_S``: DuckDB keeps each block it has
    read in its buffer pool until its memory limit (80% of RAM), and the pages read a version once,
    then answer from their memos; the next query re-attaches it (~2 ms). Then hand the memory back."""
    now, closed = time.monotonic(), []
    with _VERSIONS_LOCK:
        for token, v in list(_VERSIONS.items()):
            if v.active == 0 and now - v.idle_since >= IDLE_S:
                closed.append(_VERSIONS.pop(token).base)
        if any(v.active == 0 for v in _VERSIONS.values()):
            _REAPER.poke()  # one still to come due
    for base in closed:
        base.close()
    if closed:
        heap.release_soon()


_REAPER = AfterQuiet(IDLE_S, _close_idle, "landscape-db-idle")


@atexit.register
def _close_all() -> None:
    """Close the instances at exit (DuckDB's bindings report the ones still open as leaks), the
    one being made ahead too, after the idle closer has stopped (a thread left inside DuckDB's
    close while the interpreter finalizes aborts the process)."""
    _REAPER.stop()
    maker = _SPARE_STATE["thread"]
    if maker is not None:
        maker.join(timeout=2)
    with _VERSIONS_LOCK:
        bases = [v.base for v in _VERSIONS.values()] + _SPARE
        _VERSIONS.clear()
        _SPARE.clear()
    for base in bases:
        base.close()


def _use(p: Path) -> _Version:
    """The current version of ``p`` attached read-only (on first use), counted as in use."""
    for _ in range(3):
        token = db_token(p)
        with _VERSIONS_LOCK:
            v = _VERSIONS.get(token)
            if v is not None:
                v.active += 1
                return v
        base = _take_base()
        try:
            base.execute(f"ATTACH '{_sql_string(str(p))}' AS {ALIAS} (READ_ONLY)")
        except BaseException:
            base.close()
            raise
        if db_token(p) != token:  # published while we attached: which file we got is not known
            base.close()
            continue
        with _VERSIONS_LOCK:
            v = _VERSIONS.get(token)
            if v is not None:  # another thread attached it meanwhile
                v.active += 1
                closing = [base]
            else:
                v = _VERSIONS[token] = _Version(base)
                v.active += 1
                closing = []
                for old in [t for t, o in _VERSIONS.items() if o.active == 0 and t != token]:
                    if len(_VERSIONS) <= _KEEP_VERSIONS:
                        break
                    closing.append(_VERSIONS.pop(old).base)  # oldest idle first
        for b in closing:
            b.close()
        return v
    raise RuntimeError(f"{p} kept changing while it was being opened")


def _release(v: _Version) -> None:
    with _VERSIONS_LOCK:
        v.active -= 1
        if v.active == 0:
            v.idle_since = time.monotonic()
    _REAPER.poke()


def _sql_string(s: str) -> str:
    return s.replace("'", "''")


@contextmanager
def connect(path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A new read-only connection to the current version of the database, for this thread only."""
    p = path or db_path()
    if not p.exists():
        raise DatabaseMissing(f"no database at {p}: run `make run` or `python -m etl build`")
    v = _use(p)
    try:
        with _VERSIONS_LOCK:
            con = v.base.cursor()
        try:
            con.execute(f"USE {ALIAS}")
            yield con
        finally:
            con.close()
    finally:
        _release(v)


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
