"""landscape.db helpers."""
import numpy as np
import pandas as pd
import pytest


def test_has_table_names_tables_and_views_and_nothing_else(snapshot_db):
    from landscape.db import has_table
    assert has_table("models", snapshot_db) and has_table("score_latest", snapshot_db)
    assert not has_table("no_such_table", snapshot_db)
    assert not has_table('models" WHERE 1=0; --', snapshot_db)  # a name, never SQL
    assert not has_table("Models ", snapshot_db)


@pytest.mark.parametrize("col", [
    pd.Series(["a", None, "b", "<b>&", "ünï", "a"]),  # pandas 3's Arrow-backed text
    pd.Series(["a", None, "b", "<b>&", "ünï", "a"], dtype=object),
    pd.Series(["a", None, "b"], dtype="category"),
    pd.Series([], dtype="str"),
])
@pytest.mark.parametrize("values", [
    [], ["a"], ["a", "a", "zz"], [None], [np.nan], [pd.NA], ["<b>&", 1, 2.5, b"a"], ("ünï",),
    pd.Series(["b", None]), np.array(["a", "b"], dtype=object), {"b"},
])
def test_isin_is_pandas_isin(col, values):
    from landscape.db import isin
    want = col.isin(list(values) if isinstance(values, set) else values).to_numpy(dtype=bool)
    got = isin(col, values)
    assert got.dtype == bool and got.tolist() == want.tolist()
