"""app.py runs every page inside ui.render_slot(): at most ui.RENDER_SLOTS renders at once, the
others wait their turn, and a slot is given back however the run ends."""
import threading

import pytest

import ui
from tests.conftest import run_page


def _take_every_slot() -> int:
    n = 0
    while ui._RENDERS.acquire(blocking=False):
        n += 1
    return n


def _give_back(n: int) -> None:
    for _ in range(n):
        ui._RENDERS.release()


def test_a_render_waits_while_every_slot_is_taken(app_db):
    held = _take_every_slot()  # as RENDER_SLOTS sessions rendering at this moment would
    assert held == ui.RENDER_SLOTS
    done, out = threading.Event(), {}

    def render():
        out["at"] = run_page("app_pages/new.py")
        done.set()
    threading.Thread(target=render, daemon=True).start()
    try:
        assert not done.wait(1.5), "a page rendered while every render slot was taken"
    finally:
        _give_back(held)
    assert done.wait(60), "the render did not start once a slot was free"
    assert not out["at"].exception and out["at"].title


def test_slots_are_given_back_however_a_run_ends(app_db, tmp_path, monkeypatch):
    run_page("app_pages/evals.py")  # a page switch from "/" ends the first run with a rerun
    monkeypatch.setenv("LANDSCAPE_DB", str(tmp_path / "missing.duckdb"))
    at = run_page("app_pages/compare.py")  # no database: the page stops early (st.stop)
    assert any("no database" in e.value for e in at.error)
    held = _take_every_slot()
    _give_back(held)
    assert held == ui.RENDER_SLOTS, f"{ui.RENDER_SLOTS - held} slot(s) kept after the runs ended"


@pytest.mark.parametrize("raw, expected", [("3", 3), ("1", 1), ("", None)])
def test_render_slots_setting(monkeypatch, raw, expected):
    monkeypatch.setenv("LANDSCAPE_RENDERS", raw)
    assert ui._render_slots() == (expected or max(2, len(ui.os.sched_getaffinity(0))))


@pytest.mark.parametrize("raw", ["two", "0", "-1", "1.5"])
def test_a_bad_render_slots_setting_is_a_clear_error(monkeypatch, raw):
    monkeypatch.setenv("LANDSCAPE_RENDERS", raw)
    with pytest.raises(ValueError, match="LANDSCAPE_RENDERS"):
        ui._render_slots()
