"""Shared ``--format``/``--output`` handling for CLI commands that print a table."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from landscape import export


def add_output_args(p) -> None:
    p.add_argument("--format", choices=export.FORMATS, default="csv",
                   help="csv (default), xlsx, parquet or json; same files as the app's download buttons")
    p.add_argument("--output", "-o", help="write to FILE (default: stdout; binary formats go to stdout's bytes)")


def write_table(df: pd.DataFrame, args, title: str, notes=(), view: dict | None = None) -> int:
    from landscape import queries
    meta = export.meta_from_snapshot(title, queries.data_snapshot(), notes, view)
    data = export.export_bytes(df, args.format, meta, bom=bool(args.output))
    if not args.output and args.format in export.BINARY and sys.stdout.isatty():
        print(f"error: {args.format} is binary; use --output FILE or redirect stdout", file=sys.stderr)
        return 2
    return emit(data, args.output, f"{len(df)} rows to {{out}} ({args.format}, snapshot {meta.snapshot_id})")


def emit(data: bytes, output: str | None, said: str) -> int:
    """Write ``data`` to ``output`` atomically (temp file beside it, then rename) and say ``said``
    (``{out}`` = the path) on stderr; without ``output``, to stdout's bytes."""
    if output:
        out = Path(output)
        tmp = out.with_name(f".{out.name}.tmp")
        tmp.write_bytes(data)
        tmp.replace(out)
        print("wrote " + said.format(out=out), file=sys.stderr)
        return 0
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return 0
