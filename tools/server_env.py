"""Allocator settings for an app server process (``make run``, ``make serve``'s replicas, the
benchmark's servers): the same memory for every session with less of it kept after use.

A Streamlit server renders each session's script on its own thread. glibc gives busy threads
their own malloc arenas (up to 8 per core) and keeps what they freed; pandas' string columns live
in Apache Arrow's own allocator (mimalloc in the wheels), which keeps freed pages too. With ten
sessions on the 100x database that is ~600 MB resident that no object holds
(bench/README.md, "Memory"). Two environment variables, read when the process starts:

- ``MALLOC_ARENA_MAX=2``: at most two glibc arenas, so freed memory is reused across threads;
- ``ARROW_DEFAULT_MEMORY_POOL=system``: Arrow allocates with malloc, into those same arenas.

A value already in the environment wins (set either to its default to undo it).
"""
from __future__ import annotations

import os
from typing import Mapping

SERVER_ENV: dict[str, str] = {"MALLOC_ARENA_MAX": "2", "ARROW_DEFAULT_MEMORY_POOL": "system"}


def server_env(base: Mapping[str, str] | None = None, **extra: str) -> dict[str, str]:
    """``base`` (default: this process's environment) with ``SERVER_ENV`` where ``base`` sets
    nothing, then ``extra``."""
    env = dict(os.environ if base is None else base)
    for k, v in SERVER_ENV.items():
        env.setdefault(k, v)
    env.update(extra)
    return env
