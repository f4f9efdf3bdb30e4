"""Hand freed heap memory back to the operating system after a cold computation.

A page's first render at 100x builds frames and figures of tens of megabytes and frees most of
what it built along the way (Arrow buffers, intermediate frames, JSON). glibc keeps freed pages in
its arenas, so the server's resident memory stays at the high-water mark of every cold render it
has done (bench/README.md, "seventh pass": ~125 MB of a 100x server's 550 MB was neither live
Python nor Arrow objects). ``malloc_trim(0)`` returns those free pages (``madvise``), live data
untouched.

``release_soon()`` asks for one trim ``DELAY_S`` after the last request, on a daemon thread, so a
burst of cold computations (one page's several memos, ten sessions arriving together) costs one
trim after it, never one inside a render. Where the C library has no ``malloc_trim`` (macOS, musl)
both calls do nothing. ``LANDSCAPE_MALLOC_TRIM=0`` turns it off.
"""
from __future__ import annotations

import atexit

import ctypes
import ctypes.util
import os
import threading

from landscape.quiet import AfterQuiet

DELAY_S = 0.5  # quiet time after the last cold computation before the trim


def _load_trim():
    if os.environ.get("LANDSCAPE_MALLOC_TRIM", "1") == "0":
        return None
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    trim = getattr(libc, "malloc_trim", None)
    if trim is not None:
        trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


_TRIM = _load_trim()
_LOCK = threading.Lock()
_STATE = {"trims": 0}


def available() -> bool:
    """Whether this process can hand freed heap memory back (glibc's ``malloc_trim``)."""
    return _TRIM is not None


def release_now() -> bool:
    """Trim now; True when memory was returned to the system."""
    if _TRIM is None:
        return False
    with _LOCK:
        _STATE["trims"] += 1
    return bool(_TRIM(0))


def trims() -> int:
    """How many trims this process has run (for tests and the benchmark)."""
    return _STATE["trims"]


def release_soon() -> None:
    """One trim ``DELAY_S`` after the last call (later calls push it back); returns at once."""
    if _TRIM is not None:
        _SOON.poke()


_SOON = AfterQuiet(DELAY_S, release_now, "landscape-heap-trim")
atexit.register(_SOON.stop)  # no trim left running while the interpreter finalizes
