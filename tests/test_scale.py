"""bench/scale.py: a valid warehouse N times the bundled one, readable by the core and the pages."""
import pytest

from bench.scale import MODEL_KEYED, scale
from etl.schema import TABLES
from tests.conftest import rows


@pytest.fixture(scope="module")
def scaled(tmp_path_factory, snapshot_db):
    db = tmp_path_factory.mktemp("scaled") / "x3.duckdb"
    return db, scale(db, 3)


def test_model_keyed_tables_grow_by_the_factor_and_the_rest_does_not(scaled, snapshot_db):
    db, counts = scaled
    for table in TABLES:
        (base,), = rows(snapshot_db, f'SELECT count(*) FROM "{table}"')
        assert counts[table] == (3 * base if table in ("models", *MODEL_KEYED) else base), table
    assert rows(db, "SELECT count(DISTINCT model_id) = count(*), count(DISTINCT name) = count(*) FROM models") \
        == [(True, True)]
    assert rows(db, "SELECT count(*) FROM scores WHERE model_id NOT IN (SELECT model_id FROM models)") == [(0,)]
    # a copy keeps its family and licence, and a copy's base model is the copy of its base
    assert rows(db, "SELECT count(*) FROM models c JOIN models m ON c.model_id = m.model_id || '~2' "
                    "WHERE c.family <> m.family OR c.licence_id IS DISTINCT FROM m.licence_id "
                    "OR (m.base_model IN (SELECT model_id FROM models) AND c.base_model <> m.base_model || '~2')") \
        == [(0,)]
    # percent scores stay percentages; the precomputed latest-score table covers every copy
    assert rows(db, "SELECT max(value) <= 100 FROM scores WHERE unit = 'percent'") == [(True,)]
    (n_latest,), = rows(db, "SELECT count(*) FROM score_latest")
    assert n_latest == counts["scores"]


def test_the_core_reads_a_scaled_warehouse(scaled):
    from landscape import queries
    from landscape.filters import Filters
    db, _ = scaled
    one = queries.landscape_points(Filters(), "lmarena_text", "lmarena", path=db)
    names = set(one["name"])
    assert "Llama 4 Maverick" in names and "Llama 4 Maverick ~1" in names and "Llama 4 Maverick ~2" in names
    assert one["model_id"].is_unique


def test_the_issue_factor_is_the_smallest_that_reaches_every_sized_table():
    import argparse

    from bench.scale import factor_for, parse_factor
    assert factor_for({"models": 10, "scores": 7}, {"models": 3, "scores": 1, "other": 5}) == 7
    assert factor_for({"models": 3}, {"models": 300}) == 1  # a snapshot already larger needs no copies
    with pytest.raises(ValueError, match="offerings"):
        factor_for({"offerings": 5}, {"offerings": 0})
    assert parse_factor("12") == 12
    with pytest.raises(argparse.ArgumentTypeError, match="'issue'"):
        parse_factor("a hundred")


def test_the_issue_factor_of_the_bundled_snapshot_reaches_the_issue_s_100x(snapshot_db):
    from bench.scale import ISSUE_100X, factor_for
    counts = {t: rows(snapshot_db, f'SELECT count(*) FROM "{t}"')[0][0] for t in ISSUE_100X}
    f = factor_for(ISSUE_100X, counts)
    assert all(counts[t] * f >= n for t, n in ISSUE_100X.items())
    assert any(counts[t] * (f - 1) < n for t, n in ISSUE_100X.items())  # and no copy more than that


def test_peak_rss_sees_a_burst_that_is_gone_by_the_end():
    """bench/pages.py reports the server's highest RSS while the sessions run, not only the last
    reading: a 200 MB buffer held for a moment and freed shows in the peak, not in the end value."""
    import os
    import time

    from bench.pages import PeakRss, _rss_mb
    base = _rss_mb(os.getpid())
    with PeakRss(os.getpid(), interval=0.01) as peak:
        buf = bytearray(200 * 2**20)
        buf[::4096] = b"x" * len(buf[::4096])  # touch every page: resident, not only reserved
        time.sleep(0.2)
        del buf
    assert peak.peak_mb >= base + 150
    assert _rss_mb(os.getpid()) < peak.peak_mb - 100


def test_the_bench_times_the_app_test_scan_and_the_machine_it_ran_on(monkeypatch):
    """bench/pages.py reports how long AppTest's component scan takes (the function each new
    AppTest's first run calls) and how fast the machine was. The scan is stood in for by one that
    takes a known 50 ms, so nothing here depends on this machine's speed."""
    import time

    from bench import pages
    from streamlit.components.v2 import manifest_scanner
    calls = []
    monkeypatch.setattr(manifest_scanner, "scan_component_manifests",
                        lambda: calls.append(1) or time.sleep(0.05) or [])
    assert pages.component_scan_ms(repeat=3) >= 50 and len(calls) == 3
    assert 0 < pages.machine_speed_ms(repeat=1) < 60_000
