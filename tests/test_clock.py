"""Capture dates come from the capture, the clock is injected (issue: a fresh clone passes on any day).

A mirror replay dates what it read by ``../shared/mirror/INDEX.csv`` ``captured_at``; only the
columns defined as "when this ran" may follow the clock.
"""
from __future__ import annotations

import csv
import json
from datetime import date, datetime, timezone

import duckdb
import pytest

from etl import clock
from etl.fetch import Fetched, Fetcher
from etl.loader import refresh
from etl.schema import TABLES
from etl.sources.base import as_of_from_capture
from tests.conftest import MIRROR, need_mirror

# first_seen: the day this database first saw a model (the New view), a "when this ran" by definition
WHEN_THIS_RAN = {"fetched_at", "refreshed_at", "generated_at", "quarantined_at", "first_seen"}
DAY_A, DAY_B = date(2026, 12, 1), date(2027, 12, 1)  # a year apart


@pytest.fixture(scope="module")
def replays(tmp_path_factory):
    need_mirror()
    out = {}
    for day in (DAY_A, DAY_B):
        db = tmp_path_factory.mktemp(f"clock-{day}") / "landscape.duckdb"
        with clock.frozen(day):
            assert refresh(db, Fetcher(mirror=str(MIRROR))).published
        out[day] = db
    return out


def _index() -> dict[str, date | None]:
    with (MIRROR / "INDEX.csv").open(newline="", encoding="utf-8") as fh:
        return {r["url"]: (date.fromisoformat(r["captured_at"]) if r["captured_at"] else None)
                for r in csv.DictReader(fh)}


def test_replays_a_year_apart_are_identical_but_for_when_they_ran(replays):
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS a (READ_ONLY)", [str(replays[DAY_A])])
        con.execute("ATTACH ? AS b (READ_ONLY)", [str(replays[DAY_B])])
        compared = 0
        for table, columns in TABLES.items():
            cols = ", ".join(f'"{c}"' for c, _, _ in columns if c not in WHEN_THIS_RAN)
            for x, y in (("a", "b"), ("b", "a")):
                n = con.execute(f'SELECT count(*) FROM (SELECT {cols} FROM {x}."{table}" EXCEPT ALL '
                                f'SELECT {cols} FROM {y}."{table}")').fetchone()[0]
                assert n == 0, f"{table}: {n} rows of the {x} replay differ although only the clock moved"
            compared += con.execute(f'SELECT count(*) FROM a."{table}"').fetchone()[0]
        assert compared > 3000
        # the "when this ran" columns do follow the clock
        assert con.execute("SELECT min(refreshed_at)::DATE FROM a.sources").fetchone()[0] == DAY_A
        assert con.execute("SELECT min(refreshed_at)::DATE FROM b.sources").fetchone()[0] == DAY_B
    finally:
        con.close()


def test_no_as_of_is_the_day_the_replay_ran(replays):
    for day, db in replays.items():
        con = duckdb.connect(str(db), read_only=True)
        try:
            for table, columns in TABLES.items():
                for c, typ, _ in columns:
                    if typ == "DATE" and c not in WHEN_THIS_RAN:
                        n = con.execute(f'SELECT count(*) FROM "{table}" WHERE "{c}" = ?', [day]).fetchone()[0]
                        assert n == 0, f"{table}.{c}: {n} rows dated with the replay day {day}"
        finally:
            con.close()


def test_every_config_row_is_dated_by_its_capture(replays):
    index = _index()
    con = duckdb.connect(str(replays[DAY_A]), read_only=True)
    try:
        got = con.execute("SELECT source_url, as_of FROM architectures WHERE source IN ('hf_config', 'maxtext')"
                          ).fetchall()
    finally:
        con.close()
    assert len(got) > 50
    for url, as_of in got:
        assert url in index, f"{url} not in INDEX.csv"
        assert as_of == index[url], (url, as_of, index[url])
    assert any(a is None for _, a in got), "the captures with no known commit date stay unknown"


def test_as_of_of_a_file_with_no_date_inside():
    ran = datetime(2027, 3, 4, 5, 6, tzinfo=timezone.utc)
    lm = datetime(2026, 2, 3, tzinfo=timezone.utc)
    mirror = dict(url="https://x/y", content=b"", fetched_at=ran, origin="mirror:/m", from_mirror_dir=True)
    assert as_of_from_capture(Fetched(**mirror, captured_at=date(2025, 1, 2))) == date(2025, 1, 2)
    assert as_of_from_capture(Fetched(**mirror)) is None  # unknown, never the replay day
    assert as_of_from_capture(Fetched("https://x/y", b"", ran, "live", last_modified=lm)) == lm.date()
    assert as_of_from_capture(Fetched("https://x/y", b"", ran, "live")) == ran.date()


def test_directory_mirror_reads_captured_at_from_its_index(tmp_path):
    (tmp_path / "h.example").mkdir()
    (tmp_path / "h.example" / "a.json").write_text("{}")
    (tmp_path / "h.example" / "b.json").write_text("{}")
    (tmp_path / "INDEX.csv").write_text("url,mirror_path,captured_as,origin,note,captured_at\n"
                                        "https://h.example/a.json,h.example/a.json,a,o/r@1,n,2025-06-07\n"
                                        "https://h.example/b.json,h.example/b.json,b,o/r@2,,\n")
    f = Fetcher(mirror=str(tmp_path))
    a, b = f.get("https://h.example/a.json"), f.get("https://h.example/b.json")
    assert a.captured_at == date(2025, 6, 7) and a.capture_note == "o/r@1; n" and a.from_mirror_dir
    assert b.captured_at is None and as_of_from_capture(b) is None


def test_clock_is_injected_everywhere_a_run_is_dated(tmp_path, monkeypatch):
    with clock.frozen("2031-05-06T07:08:09"):
        assert clock.now() == datetime(2031, 5, 6, 7, 8, 9, tzinfo=timezone.utc)
        assert clock.today() == date(2031, 5, 6)
    monkeypatch.setenv(clock.ENV, "2030-01-02")
    assert clock.today() == date(2030, 1, 2)
    with clock.frozen(date(2029, 1, 1)):  # frozen wins over the environment
        assert clock.today() == date(2029, 1, 1)
    monkeypatch.setenv(clock.ENV, "next tuesday")
    with pytest.raises(ValueError, match="LANDSCAPE_NOW"):
        clock.now()


def test_snapshot_manifest_generated_at_follows_the_clock(tmp_path, snapshot_db):
    from etl import snapshot
    with clock.frozen("2030-02-03T04:05:06"):
        snapshot.export(snapshot_db, tmp_path / "snap")
    manifest = json.loads((tmp_path / "snap" / "manifest.json").read_text())
    assert manifest["generated_at"].startswith("2030-02-03T04:05:06")
