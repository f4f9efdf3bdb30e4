"""The data-quality page lists quarantined rows (raw row shown as delivered, inert)."""
from datetime import datetime

import duckdb

from etl.contracts import quarantine_row
from etl.loader import insert_rows


def test_data_quality_page_shows_quarantined_rows(fixture_db, monkeypatch):
    db = fixture_db()
    con = duckdb.connect(str(db))
    row = quarantine_row("aider", "scores", "validation", "value 150 outside percent range 0-100",
                         {"model": "<script>alert(1)</script>", "pass_rate_2": 150}, "https://example.org/x.yml")
    insert_rows(con, "quarantine", [{**row, "quarantined_at": datetime(2026, 1, 1)}])
    con.close()
    monkeypatch.setenv("LANDSCAPE_DB", str(db))
    from tests.conftest import run_page
    at = run_page("app_pages/data_quality.py")
    assert not at.exception, [e.value for e in at.exception]
    assert "Quarantined rows" in [s.value for s in at.subheader]
    table = next(d.value for d in at.dataframe if "raw" in d.value.columns)
    assert "<script>alert(1)</script>" in table["raw"].iloc[0] and table["stage"].iloc[0] == "validation"


def test_source_errors_render_literally(tmp_path, monkeypatch):
    """Error text quotes upstream content: Markdown in it must show as typed, not as formatting."""
    from tests.factory import make_db
    from tests.conftest import run_page
    db = make_db(tmp_path / "f.duckdb")  # fixture sources.csv: aider failed with '<b>HTTP 503</b> ...'
    monkeypatch.setenv("LANDSCAPE_DB", str(db))
    at = run_page("app_pages/data_quality.py")
    assert not at.exception
    warning = next(w.value for w in at.warning if w.value.startswith("aider"))
    assert "`<b>HTTP 503</b> after 4 attempt(s)`" in warning
