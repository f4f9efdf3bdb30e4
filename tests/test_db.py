"""landscape.db helpers."""


def test_has_table_names_tables_and_views_and_nothing_else(snapshot_db):
    from landscape.db import has_table
    assert has_table("models", snapshot_db) and has_table("score_latest", snapshot_db)
    assert not has_table("no_such_table", snapshot_db)
    assert not has_table('models" WHERE 1=0; --', snapshot_db)  # a name, never SQL
    assert not has_table("Models ", snapshot_db)
