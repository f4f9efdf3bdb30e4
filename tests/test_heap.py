"""landscape.heap: freed heap memory handed back after cold computations, once per burst."""
import time

import pytest

from landscape import heap

needs_trim = pytest.mark.skipif(not heap.available(), reason="this C library has no malloc_trim")


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@needs_trim
def test_a_trim_returns_freed_pages_that_free_alone_keeps():
    blocks = [bytes(4000) + i.to_bytes(4, "little") for i in range(40_000)]  # ~160 MB in malloc'd chunks
    keep = blocks[::500]  # a few live blocks all along the heap, so nothing is at its top
    del blocks
    before = _rss_mb()
    assert heap.release_now()
    assert before - _rss_mb() > 60, "freed chunks between live ones stayed resident"
    assert len(keep) == 80


@needs_trim
def test_a_burst_of_requests_costs_one_trim_after_it_ends():
    heap.release_now()
    n = heap.trims()
    for _ in range(20):
        heap.release_soon()
        time.sleep(heap.DELAY_S / 10)
    assert heap.trims() == n  # pushed back while the requests keep coming
    deadline = time.monotonic() + 10 * heap.DELAY_S
    while heap.trims() == n and time.monotonic() < deadline:
        time.sleep(0.05)
    assert heap.trims() == n + 1
    time.sleep(2 * heap.DELAY_S)
    assert heap.trims() == n + 1
    heap.release_soon()  # a later burst starts a new worker
    deadline = time.monotonic() + 10 * heap.DELAY_S
    while heap.trims() == n + 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert heap.trims() == n + 2


def test_turned_off_by_the_environment(monkeypatch):
    monkeypatch.setenv("LANDSCAPE_MALLOC_TRIM", "0")
    assert heap._load_trim() is None
    monkeypatch.setattr(heap, "_TRIM", None)
    n = heap.trims()
    heap.release_soon()
    assert heap.release_now() is False and heap.trims() == n
