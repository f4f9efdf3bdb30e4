"""Parquet files stamped with what they were computed from (the fit grid, the derived tables).

A file is written to a temporary name and moved into place (a reader sees the old file or the new
one, never half of one); its stamp sits in the Parquet footer, so a reader checks it without
reading the rows; files no longer listed and temporary files left by a killed writer are pruned.
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

STALE_TEMP_SECONDS = 3600  # a temporary file this old belongs to no running writer


def write(df: "pd.DataFrame", target: Path, meta: dict[bytes, bytes], row_group_size: int | None = None) -> None:
    """``df`` as Parquet at ``target`` with ``meta`` in its schema metadata, moved into place;
    ``row_group_size`` rows per row group (smaller groups let a filtered read skip more)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    table = pa.Table.from_pandas(df, preserve_index=False)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    pq.write_table(table.replace_schema_metadata({**(table.schema.metadata or {}), **meta}), tmp,
                   row_group_size=row_group_size)
    os.replace(tmp, target)


def stamp(target: Path, key: bytes) -> str | None:
    """The value of ``key`` in ``target``'s footer, or None (no file, unreadable, no such key)."""
    import pyarrow.parquet as pq
    try:
        meta = pq.read_schema(target).metadata or {}
    except (OSError, ValueError):
        return None
    v = meta.get(key)
    return v.decode() if v else None


def read(target: Path, key: bytes, token: str, columns: list[str] | None = None,
         filters: list[tuple] | None = None) -> "pa.Table | None":
    """``target``'s table (only ``columns``, only the rows matching ``filters`` in pyarrow's form, when
    given) when its stamp ``key`` is ``token``, else None: the footer is checked first (another
    version's file is never read whole) and again on the table read (replaced between)."""
    import pyarrow.parquet as pq
    if stamp(target, key) != token:
        return None
    try:
        table = pq.read_table(target, columns=columns, filters=filters)
    except (OSError, ValueError):
        return None
    return table if (table.schema.metadata or {}).get(key, b"").decode() == token else None


def prune(out_dir: Path, keep: Iterable[str], stale_seconds: float = STALE_TEMP_SECONDS) -> None:
    """Remove the Parquet files of ``out_dir`` whose stem is not in ``keep``, and old temporary files."""
    keep = set(keep)
    for f in out_dir.glob("*.parquet"):
        if f.stem not in keep:
            f.unlink(missing_ok=True)
    for tmp in out_dir.glob(".*.tmp"):
        try:
            if time.time() - tmp.stat().st_mtime > stale_seconds:
                tmp.unlink(missing_ok=True)
        except FileNotFoundError:
            pass
