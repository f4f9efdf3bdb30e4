"""``db.query_df`` reads a query's rows as Arrow and makes of them the frame DuckDB's ``.df()``
makes (``db.frame_of``): the same columns, dtypes and values on every table of the real mirror's
warehouse, on empty results, and on the awkward types queries produce (NULL-holding integers and
booleans, HUGEINT sums, decimals, lists, structs, repeated column names)."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from landscape import db


def _both(con, sql, params=None):
    want = con.execute(sql, params or []).df()
    got = db.frame_of(con.sql(sql, params=params or None).to_arrow_table())
    return want, got


def test_every_table_reads_as_df_reads_it(mirror_db):
    con = duckdb.connect(str(mirror_db), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
        assert {"models", "scores", "score_latest", "offerings", "licence_answers"} <= set(tables)
        for t in tables:
            for sql in (f'SELECT * FROM "{t}" ORDER BY ALL', f'SELECT * FROM "{t}" LIMIT 0'):
                want, got = _both(con, sql)
                pd.testing.assert_frame_equal(got, want, check_exact=True, obj=sql)
    finally:
        con.close()


@pytest.mark.parametrize("sql", [
    "SELECT sum(x) AS s, count(*) AS n, avg(x) AS a, 1 AS one, NULL AS nothing, NULL::INT AS ni,"
    " max(x) AS mx FROM range(5) t(x)",
    "SELECT CASE WHEN x % 2 = 0 THEN x END AS some_null, x::SMALLINT AS small, (x > 2) AS flag,"
    " CASE WHEN x > 2 THEN true END AS flag_null, x::UBIGINT AS big FROM range(5) t(x)",
    "SELECT 1.5::DECIMAL(10, 2) AS d, [1, 2] AS l, {'a': 1} AS st, DATE '2025-04-05' AS day,"
    " NULL::DATE AS no_day, TIMESTAMP '2025-04-05 10:11:12' AS ts, 'x' AS txt, NULL::VARCHAR AS no_txt",
    "SELECT 1 AS a, 2 AS a, 3 AS a, 4 AS a_1",
    "SELECT '<b>\"quoted\" & ünïcode ✓</b>' AS name, 0.1 + 0.2 AS f, 'NaN'::DOUBLE AS nan",
])
def test_awkward_results_read_as_df_reads_them(sql):
    con = duckdb.connect()
    try:
        want, got = _both(con, sql)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
    finally:
        con.close()


def test_query_df_binds_parameters(tmp_path):
    path = tmp_path / "p.duckdb"
    duckdb.connect(str(path)).close()
    assert db.query_df("SELECT ?::INT + 1 AS x", [1], path)["x"].tolist() == [2]
    assert db.query_df("SELECT $a::VARCHAR AS x", {"a": "'; DROP TABLE x; --"}, path)["x"].tolist() == [
        "'; DROP TABLE x; --"]
    assert db.query_df("SELECT 1 AS x WHERE false", None, path).empty
