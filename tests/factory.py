"""One factory for fixture databases: checked-in CSV/YAML under tests/fixtures -> DuckDB.

Fixture rows deliberately carry awkward names (HTML, quotes, SQL, unicode, formulas) so every
test that renders or exports them also proves escaping.
"""
from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import duckdb

from etl.loader import create_schema, insert_rows, load_registry_tables
from etl.registry import load_registry
from etl.schema import TABLES

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _coerce(table: str, row: dict) -> dict:
    types = {c: t for c, t, _ in TABLES[table]}
    nullable = {c: n for c, _, n in TABLES[table]}
    out = {}
    for k, v in row.items():
        if v in ("", None):
            out[k] = "" if types[k] == "VARCHAR" and not nullable[k] else None
            continue
        t = types[k]
        if t in ("INTEGER", "BIGINT"):
            out[k] = int(v)
        elif t == "DOUBLE":
            out[k] = float(v)
        elif t == "BOOLEAN":
            out[k] = v.lower() in ("1", "true", "yes")
        elif t == "DATE":
            out[k] = date.fromisoformat(v)
        elif t == "TIMESTAMP":
            out[k] = datetime.fromisoformat(v)
        else:
            out[k] = v
    return out


def read_fixture_csv(name: str, table: str) -> list[dict]:
    with open(FIXTURES / name, newline="", encoding="utf-8") as fh:
        return [_coerce(table, r) for r in csv.DictReader(fh)]


def make_db(path: Path, registry: Path | None = FIXTURES / "models.yaml",
            tables: dict[str, str] | None = None) -> Path:
    """Build ``path`` from a fixture registry and fixture CSVs ({table: csv file name})."""
    tables = tables if tables is not None else {"scores": "scores.csv", "sources": "sources.csv"}
    con = duckdb.connect(str(path))
    try:
        create_schema(con)
        load_registry_tables(con, load_registry(registry))
        for table, fname in tables.items():
            insert_rows(con, table, read_fixture_csv(fname, table))
    finally:
        con.close()
    return path
