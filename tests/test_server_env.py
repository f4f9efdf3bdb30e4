"""The app server's allocator settings (tools/server_env.py) are the same wherever a server starts:
`make run`, `make serve`'s replicas and the benchmark; a value in the environment wins."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tools.server_env import SERVER_ENV, server_env

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_fill_in_and_the_environment_wins():
    env = server_env({"PATH": "/bin", "MALLOC_ARENA_MAX": "8"}, LANDSCAPE_DB="x.duckdb")
    assert env["MALLOC_ARENA_MAX"] == "8" and env["ARROW_DEFAULT_MEMORY_POOL"] == "system"
    assert env["PATH"] == "/bin" and env["LANDSCAPE_DB"] == "x.duckdb"
    assert server_env({})["MALLOC_ARENA_MAX"] == SERVER_ENV["MALLOC_ARENA_MAX"]


def test_make_run_sets_the_same_defaults():
    line = next(x for x in (ROOT / "Makefile").read_text().splitlines() if x.startswith("SERVER_ENV"))
    assert dict(re.findall(r"(\w+)=\$\$\{\1:-([^}]*)\}", line)) == SERVER_ENV
    run = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "$(SERVER_ENV) LANDSCAPE_DB=$(DB) exec $(BIN)/streamlit run app.py" in run


def test_arrow_reads_the_pool_setting_at_start():
    code = "import pyarrow as pa; print(pa.default_memory_pool().backend_name)"
    env = server_env({k: v for k, v in os.environ.items() if k not in SERVER_ENV})
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "system"


def test_the_readers_duckdb_returns_freed_memory(snapshot_db):
    """Every database version is read through an instance whose allocator hands freed memory back
    (landscape/db.py): the setting is visible to a query on it."""
    from landscape import db
    got = db.query_df("SELECT current_setting('allocator_background_threads') AS on_", None, snapshot_db)
    assert bool(got["on_"].iloc[0]) is True
