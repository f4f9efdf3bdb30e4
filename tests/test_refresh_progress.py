"""The live refresh display: a bar per source with fetched/planned counts, failures, outcome."""
from __future__ import annotations

import io
import re
import subprocess
import sys

import pytest
from rich.console import Console

from etl.fetch import Fetcher
from etl.loader import refresh
from etl.progress import source_bars
from etl.registry import load_registry
from etl.sources import all_sources
from tests.conftest import MIRROR, ROOT, need_mirror


@pytest.mark.timeout(120)
def test_bars_count_each_sources_urls_and_failures(tmp_path):
    need_mirror()
    models = load_registry()
    planned = {s.name: len(s.urls(models)) for s in all_sources() if s.name in ("aider", "hf_config")}
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=140, color_system=None)
    with source_bars(console) as bars:
        rep = refresh(tmp_path / "l.duckdb", Fetcher(mirror=str(MIRROR)), only=list(planned), models=models)
    assert out.getvalue()  # drawn live
    final = io.StringIO()  # the bars as they stand at the end
    Console(file=final, width=140, color_system=None).print(bars.progress.make_tasks_table(bars.progress.tasks))
    text = final.getvalue()
    status = {s.name: s for s in rep.sources}
    for name, n in planned.items():
        task = bars.progress.tasks[bars.tasks[name]]
        assert task.total == n and task.completed == n, (name, task.total, task.completed)
        line = next(ln for ln in text.splitlines() if ln.startswith(name))
        assert f"{n}/{n}" in line and status[name].status in line and f"{status[name].rows} rows" in line
    # hf_config: one URL per model; models without a config in the mirror count as failures, and the
    # bar's count is the loader's "N of M URLs failed"
    m = re.search(r"(\d+) of (\d+) URLs failed", status["hf_config"].error or "")
    assert m and int(m.group(2)) == planned["hf_config"]
    assert bars.failed["hf_config"] == int(m.group(1)) > 0
    assert f"{bars.failed['hf_config']} failed" in next(ln for ln in text.splitlines() if ln.startswith("hf_config"))
    assert bars.failed["aider"] == 0


def test_cli_keeps_plain_lines_for_logs_and_draws_bars_when_asked(tmp_path):
    need_mirror()
    base = [sys.executable, "-m", "etl", "refresh", "--mirror", str(MIRROR), "--source", "aider"]
    lines = subprocess.run(base + ["--db", str(tmp_path / "a.duckdb")], cwd=ROOT, capture_output=True, text=True,
                           timeout=120)  # stderr is a pipe: "auto" = plain lines
    assert lines.returncode == 0, lines.stderr[-1500:]
    assert "aider: ok" in lines.stderr and "━" not in lines.stderr
    assert "published:" in lines.stdout and "aider" in lines.stdout
    bars = subprocess.run(base + ["--db", str(tmp_path / "b.duckdb"), "--progress", "bars"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert bars.returncode == 0, bars.stderr[-1500:]
    assert "aider" in bars.stderr and "4/4" in bars.stderr and "ok" in bars.stderr
    assert "published:" in bars.stdout  # the plain summary stays
    quiet = subprocess.run(base + ["--db", str(tmp_path / "c.duckdb"), "--quiet", "--progress", "bars"], cwd=ROOT,
                           capture_output=True, text=True, timeout=120)
    assert quiet.stderr.strip() == "" and "published:" in quiet.stdout
