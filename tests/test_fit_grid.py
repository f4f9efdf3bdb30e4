"""The precomputed fit grid (landscape/fit/grid.py) loses nothing: on the real mirror, every
precomputed setup answers exactly what the straightforward fit computes, for any filters; a grid
of another database version, a damaged file or a missing one is never read; the pages open on the
setups the grid holds; the CLI writes it."""
from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from landscape import fit
from landscape.filters import Filters
from landscape.fit import frame, grid

ROOT = Path(__file__).resolve().parent.parent
FILTERS = [Filters(), Filters(weights="open", families=("Qwen3", "Llama 4")),
           Filters(released_only=False, include_reference=True)]


@pytest.fixture
def grid_db(tmp_path, mirror_db) -> Path:
    db = tmp_path / "landscape.duckdb"
    shutil.copy(mirror_db, db)
    grid.precompute(db)
    return db


def _same_tables(a, b, columns=None):
    assert list(a.columns) == list(b.columns) == list(columns or fit.FIT_COLUMNS)
    assert len(a) == len(b)
    for x, y in zip(a.to_dict("records"), b.to_dict("records")):
        for k, u in x.items():
            v = y[k]
            if isinstance(u, float) and math.isnan(u):
                assert isinstance(v, float) and math.isnan(v), (x["model_id"], k)
            else:
                assert type(u) is type(v) and u == v, (x["model_id"], k, u, v)


@pytest.mark.parametrize("setup", grid.SETUPS, ids=lambda s: s.name)
def test_every_precomputed_setup_equals_the_computed_fit_for_any_filters(grid_db, setup):
    for f in FILTERS:
        got = fit.fit_table(f, path=grid_db, **setup.kwargs())
        want = fit.fit_table(f, path=grid_db, precomputed=False, **setup.kwargs())
        assert len(want) > 20
        _same_tables(got, want)


def test_a_read_setup_holds_each_assumption_sentence_once(grid_db):
    """The runtime, format and hardware sentences recur in every row's list: a read setup keeps one
    string of each (29.7 -> 5 MB at 100x), with the lists' contents unchanged."""
    df = grid.read(grid.SETUPS[0].name, grid_db)
    lists = [a for a in df["assumptions"] if a]
    sentences = [p for a in lists for p in a]
    assert len(sentences) > 2 * len(set(sentences))  # they do recur
    assert len({id(p) for p in sentences}) == len(set(sentences))
    want = fit.fit_table(Filters(released_only=False, include_reference=True), path=grid_db, precomputed=False,
                         **grid.SETUPS[0].kwargs())
    got = df.set_index("model_id")["assumptions"]
    assert all(got[m] == a for m, a in zip(want["model_id"], want["assumptions"]))


@pytest.mark.parametrize("setup", grid.SETUPS, ids=lambda s: s.name)
def test_some_columns_of_a_setup_are_those_of_the_whole_table(grid_db, setup):
    from landscape import trends
    for cols in [trends.NEED_COLUMNS, ("model_id", "assumptions", "fits"), ("total_gib", "model_id")]:
        for f in FILTERS:
            got = fit.fit_table(f, path=grid_db, columns=cols, **setup.kwargs())
            assert list(got.columns) == list(cols)
            _same_tables(got, fit.fit_table(f, path=grid_db, precomputed=False, **setup.kwargs())[list(cols)], cols)
    assert grid.read(setup.name, grid_db, ("model_id", "total_gib")) is not None  # read from the file
    with pytest.raises(ValueError, match="model_id"):
        fit.fit_table(Filters(), path=grid_db, columns=("total_gib",), **setup.kwargs())
    with pytest.raises(ValueError, match="not fit-table columns"):
        grid.read(setup.name, grid_db, ("model_id", "no_such_column"))


def test_a_grid_setup_is_read_not_computed(grid_db, monkeypatch):
    calls = []
    monkeypatch.setattr(frame, "fit_one", lambda *a, **k: calls.append(1))
    table = fit.fit_table(Filters(), path=grid_db, **grid.SETUPS[0].kwargs())
    assert len(table) > 20 and calls == []
    # the same setup spelled another way (context as a token count, the preset's device count)
    s = grid.SETUPS[0]
    assert grid.setup_key(s.hardware, 1, s.quant, 32768, "bf16", s.runtime, 1, None, None, None, None, None) == s.name
    # anything else is not a grid setup
    assert grid.setup_key(s.hardware, 2, s.quant, 32768, "bf16", s.runtime, 1, None, None, None, None, None) is None
    assert grid.setup_key(s.hardware, 1, s.quant, 32768, "fp8", s.runtime, 1, None, None, None, None, None) is None
    assert grid.setup_key(s.hardware, 1, s.quant, "32K", "bf16", s.runtime, 1, None, None, None, 100, 10) is None


def test_other_setups_take_the_deployment_classes_from_the_grid(grid_db, monkeypatch):
    from landscape.fit import verdict
    want = fit.fit_table(Filters(), hardware="h100", quant="BF16", context="128K", path=grid_db)
    frame._CLASS_CACHE.clear()
    calls = []
    real = verdict.deployment_class
    monkeypatch.setattr(frame, "deployment_class", lambda *a: calls.append(1) or real(*a))
    got = fit.fit_table(Filters(), hardware="h100", quant="BF16", context="128K", path=grid_db)
    assert calls == []
    _same_tables(got, want)


def test_a_new_database_version_never_reads_the_last_grid(grid_db, monkeypatch):
    s = grid.SETUPS[0]
    assert grid.read(s.name, grid_db) is not None
    ns = time.time_ns() + 10**9
    os.utime(grid_db, ns=(ns, ns))  # what a publish does to readers: a new version
    assert grid.read(s.name, grid_db) is None
    assert grid.deployment_classes(grid_db) == {}
    calls = []
    real = frame.fit_one
    monkeypatch.setattr(frame, "fit_one", lambda *a, **k: calls.append(1) or real(*a, **k))
    fit.fit_table(Filters(), path=grid_db, **s.kwargs())
    assert calls  # computed, not read
    done = grid.precompute(grid_db)
    assert done["db_version"] == grid.file_version(grid_db) and all(isinstance(v, float) for v in done["setups"].values())
    assert grid.read(s.name, grid_db) is not None
    assert set(grid.precompute(grid_db)["setups"].values()) == {"current"}  # nothing to redo


def test_a_damaged_or_foreign_grid_file_is_ignored(grid_db):
    s = grid.SETUPS[1]
    target = grid.grid_dir(grid_db) / f"{s.name}.parquet"
    want = fit.fit_table(Filters(), path=grid_db, precomputed=False, **s.kwargs())
    target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])  # truncated
    grid._READ_CACHE.clear()
    assert grid.read(s.name, grid_db) is None
    _same_tables(fit.fit_table(Filters(), path=grid_db, **s.kwargs()), want)
    assert grid.precompute(grid_db)["setups"][s.name] != "current"  # rewritten, not trusted
    grid._READ_CACHE.clear()
    _same_tables(fit.fit_table(Filters(), path=grid_db, **s.kwargs()), want)


@pytest.mark.parametrize("page,setup", [("app_pages/deployment_fit.py", "fit-page"),
                                        ("app_pages/context.py", "context-page"),
                                        ("app_pages/trends.py", "frontiers-memory")])
def test_each_page_opens_on_its_precomputed_setup(grid_db, monkeypatch, page, setup):
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("LANDSCAPE_DB", str(grid_db))
    asked = []
    real = grid.read

    def spy(name, path=None, columns=None):
        out = real(name, path, columns)
        asked.append((name, out is not None))
        return out
    monkeypatch.setattr(grid, "read", spy)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page(page)
    at.run()
    assert not at.exception
    assert (setup, True) in asked, asked


def test_cli_precompute_writes_the_grid(tmp_path, mirror_db):
    db = tmp_path / "landscape.duckdb"
    shutil.copy(mirror_db, db)
    out = subprocess.run([sys.executable, "-m", "landscape", "--db", str(db), "precompute"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout)
    assert res["db_version"] == grid.file_version(db) and set(res["setups"]) == {s.name for s in grid.SETUPS}
    assert sorted(p.stem for p in (tmp_path / "landscape.duckdb.fit").glob("*.parquet")) == sorted(
        s.name for s in grid.SETUPS)


def test_a_killed_precompute_leaves_nothing_read_and_its_temp_file_is_cleaned(grid_db):
    d = grid.grid_dir(grid_db)
    dead = d / ".fit-page.parquet.999999999.tmp"  # a precompute killed an hour ago
    live = d / f".fit-page.parquet.{os.getpid()}.tmp"  # one being written now
    dead.write_bytes(b"half a file")
    live.write_bytes(b"being written")
    old = time.time() - grid.STALE_TEMP_SECONDS - 60
    os.utime(dead, (old, old))
    grid.precompute(grid_db)
    assert not dead.exists() and live.exists()
    assert grid.read("fit-page", grid_db) is not None


def test_a_grid_written_for_a_relative_path_is_read_through_the_absolute_one(grid_db, monkeypatch):
    """`make run` writes it for var/landscape.duckdb; a server may be given the absolute path."""
    monkeypatch.chdir(grid_db.parent)
    grid._READ_CACHE.clear()
    rel = Path(grid_db.name)
    grid.precompute(rel, force=True)
    assert grid.read(grid.SETUPS[0].name, grid_db.resolve()) is not None


def test_a_new_fit_version_never_reads_the_last_grid(grid_db, monkeypatch):
    """Same database, new fit code or calibration (an upgrade): the old grid is not used, and a
    precompute rewrites it."""
    s = grid.SETUPS[0]
    assert grid.read(s.name, grid_db) is not None
    grid._READ_CACHE.clear()
    monkeypatch.setattr(grid, "fit_version", lambda: "another-fit")
    assert grid.read(s.name, grid_db) is None
    assert all(v != "current" for v in grid.precompute(grid_db)["setups"].values())
    assert grid.read(s.name, grid_db) is not None
