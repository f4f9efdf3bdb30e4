"""Every source x every fault, through the fault-injection server (tests/fault_server.py).

A baseline database is built from the whole mirror served over HTTP; each case copies it,
injects one fault on every URL of one source and refreshes only that source. Whatever the
fault, the published rows of that source must equal the baseline (last good data with its
original as_of, or an identical refresh for harmless changes); the source's status and one-line
reason must say what happened; retries must be bounded.
"""
from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from etl.fetch import Fetcher, mirror_relpath
from etl.loader import refresh, summary_table
from etl.registry import load_registry
from etl.schema import SOURCE_OWNED, TABLES
from etl.sources import all_sources
from tests.conftest import MIRROR, ROOT, SERVED_ROOTS, need_mirror, served_file
from tests.fault_server import (BODY_FAULTS, FETCH_FAULTS, SCHEMA_FAULTS, FaultServer, NotTransformable,
                                detect_format, transform)

ATTEMPTS = 2
READ_TIMEOUT = 0.4
RETRYABLE = {"status500", "status503", "retry_after", "timeout", "reset", "truncated"}
REASON = {
    "status404": r"HTTP 404", "status500": r"HTTP 500", "status503": r"HTTP 503", "retry_after": r"HTTP 429",
    "timeout": r"timed out", "reset": r"connection", "truncated": r"truncated|connection broken",
    "huge": r"too large",
}
MUST_FAIL = set(FETCH_FAULTS) | set(BODY_FAULTS) | {"rename"}  # "missing": only if a used field went
HARMLESS = {"newcol", "duplicate"}  # the data is the same: the refresh must give identical rows
RAW_COLUMNS = {"config_json"}  # raw upstream text, legitimately different under a harmless change
SOURCE_NAMES = [s.name for s in all_sources()]


@functools.lru_cache(maxsize=1)
def models():
    return load_registry()


def run(db, fetcher, **kw):
    return refresh(db, fetcher, models=models(), **kw)


class Sleeps(list):
    def __call__(self, seconds):
        self.append(seconds)


def make_fetcher(url: str, max_bytes: int = 256 * 1024 * 1024, sleeps: Sleeps | None = None,
                 read_timeout: float = 10.0) -> Fetcher:
    # a short read timeout only where a timeout is the fault: a loaded CI machine stays green
    return Fetcher(mirror=url, attempts=ATTEMPTS, timeout=(2.0, read_timeout), backoff=0.01,
                   max_total_seconds=10, max_bytes=max_bytes, sleep=sleeps if sleeps is not None else (lambda s: None))


@pytest.fixture(scope="module")
def server():
    need_mirror()
    with FaultServer(*SERVED_ROOTS) as srv:
        yield srv


@pytest.fixture(scope="module")
def baseline(server, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("faults") / "baseline.duckdb"
    rep = run(db, make_fetcher(server.url))
    assert rep.published
    return db


def source_obj(name: str):
    return next(s for s in all_sources() if s.name == name)


def source_paths(name: str) -> list[str]:
    src = next(s for s in all_sources() if s.name == name)
    return [mirror_relpath(u) for u in src.urls(models()) if u.startswith(("http://", "https://"))]


KEY_TEXT = {"model_id", "benchmark", "unit", "provider", "source"}


def rows_of(db: Path, source: str, drop_raw: bool = False, numbers_only: bool = False) -> dict[str, list[tuple]]:
    """The source's rows per table; ``numbers_only`` keeps the values and their keys, not free text."""
    src = next(s for s in all_sources() if s.name == source)
    out = {}
    con = duckdb.connect(str(db), read_only=True)
    try:
        for table in src.tables:
            if table not in SOURCE_OWNED or table in ("unmatched", "quarantine"):
                continue
            cols = [c for c, t, _ in TABLES[table] if not (drop_raw and c in RAW_COLUMNS)
                    and not (numbers_only and t == "VARCHAR" and c not in KEY_TEXT)]
            sql = f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{table}" WHERE "{SOURCE_OWNED[table]}" = ?'
            out[table] = sorted(con.execute(sql, [source]).fetchall(), key=repr)
    finally:
        con.close()
    return out


def source_row(db: Path, name: str) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute("SELECT * FROM sources WHERE name = ?", [name])
        return dict(zip([d[0] for d in cur.description], cur.fetchone()))
    finally:
        con.close()


def _transformable(paths: list[str], fault: str) -> bool:
    for p in paths:
        f = served_file(p)
        if f is None:
            continue
        body = f.read_bytes()
        try:
            if transform(p, body, fault) != body:
                return True
        except NotTransformable:
            continue
    return False


@pytest.mark.timeout(60)
@pytest.mark.parametrize("fault", FETCH_FAULTS + BODY_FAULTS + SCHEMA_FAULTS)
@pytest.mark.parametrize("source", SOURCE_NAMES)
def test_fault_matrix(server, baseline, tmp_path, source, fault):
    paths = source_paths(source)
    served = [p for p in paths if served_file(p)]
    if not served:
        pytest.skip(f"{source}: reads local curated files, no URL to inject faults into")
    if fault in SCHEMA_FAULTS and not _transformable(served, fault):
        pytest.skip(f"{source}: its upstream format has no '{fault}' variant "
                    f"({', '.join(sorted({detect_format(p, served_file(p).read_bytes()) for p in served}))})")
    db = tmp_path / "l.duckdb"
    shutil.copy(baseline, db)
    before, before_src = rows_of(baseline, source), source_row(baseline, source)
    sizes = [served_file(p).stat().st_size for p in served]
    cap = 10 * max(sizes)
    server.reset()
    faulted = paths
    if fault == "huge":  # a body 100x its usual size is refused where that crosses the cap
        faulted = [p for p in served if 100 * served_file(p).stat().st_size > cap]
    for p in faulted:
        server.fault(p, fault, retry_after=7, hang_seconds=3.0)
    sleeps = Sleeps()
    t0 = time.monotonic()
    # only this source in the run (the others' isolation is test_failing_sources_leave_the_others_loading)
    rep = run(db, make_fetcher(server.url, max_bytes=cap, sleeps=sleeps,
                               read_timeout=READ_TIMEOUT if fault == "timeout" else 10.0), sources=[source_obj(source)])
    elapsed = time.monotonic() - t0
    assert rep.published
    status = {s.name: s for s in rep.sources}[source]
    after_src = source_row(db, source)

    # 1. never less or different data: the source's rows are the baseline's
    if fault in HARMLESS:
        assert rows_of(db, source, drop_raw=True) == rows_of(baseline, source, drop_raw=True), \
            f"{fault} changed {source}'s data"
    elif fault in ("types", "nulls", "missing") and status.status != "failed":
        # accepted only if no number moved (e.g. a parser that reads "27.7%" as 27.7 is right)
        assert rows_of(db, source, numbers_only=True) == rows_of(baseline, source, numbers_only=True), \
            f"{fault} silently changed {source}'s numbers"
    else:
        assert rows_of(db, source) == before, f"{fault} changed {source}'s published rows"

    # 2. the status and its one-line reason. A URL that needs a failed one (Source.requires: a LiveBench
    # table its categories file, Aider's qwen3 leaderboard the polyglot one it is deduplicated against)
    # fails with it
    src_o = source_obj(source)
    by_rel = {mirror_relpath(u): u for u in src_o.urls(models())}
    failing = set(faulted) | {p for p in served if any(mirror_relpath(r) in faulted for r in src_o.requires(by_rel[p]))}
    if fault in MUST_FAIL and failing >= set(served):
        assert status.status == "failed", (status.status, status.error)
    elif fault in MUST_FAIL:  # some URLs failed, the rest refreshed; the failed ones kept their rows
        assert status.status == "partial" and re.search(REASON[fault], status.error), status
    if status.status == "failed":
        assert after_src["status"] == "failed"
        assert after_src["as_of"] == before_src["as_of"] and after_src["fetched_at"] == before_src["fetched_at"]
        reason = after_src["error"]
        assert reason and "\n" not in reason and len(reason) < 400
        if fault in REASON:
            assert re.search(REASON[fault], reason), reason
        line = next(ln for ln in summary_table(rep).splitlines() if ln.startswith(source + " "))
        assert "failed" in line and reason.split(" (kept")[0][:60] in line
        assert rep.exit_code() == 1 and rep.exit_code(strict=True) == 1
    elif fault in HARMLESS:
        assert status.status == before_src["status"], (status.status, status.error)
        assert rep.exit_code() == 0
    else:  # types/nulls: refused (failed) above, or quarantined rows with the same published data
        assert status.status in ("partial", "ok"), status

    # 3. retries: only where retrying is right, bounded in attempts and time
    per_url = [server.hits.get(p, 0) for p in paths]
    assert max(per_url) <= ATTEMPTS
    if fault in RETRYABLE:
        assert per_url[paths.index(served[0])] == ATTEMPTS, f"{fault} should be retried"
        assert sum(per_url) <= ATTEMPTS * len(paths)
    else:
        assert max(per_url) == 1, f"{fault} must not be retried"
    if fault == "retry_after":
        assert 7 in sleeps, f"Retry-After not honoured: slept {sleeps}"
    assert elapsed < 45, f"{source}/{fault} took {elapsed:.1f}s"


@pytest.mark.parametrize("source", SOURCE_NAMES)
def test_transient_fault_is_retried_and_recovers(server, baseline, tmp_path, source):
    paths = [p for p in source_paths(source) if served_file(p)]
    if not paths:
        pytest.skip(f"{source}: reads local curated files, no URL to inject faults into")
    db = tmp_path / "l.duckdb"
    shutil.copy(baseline, db)
    server.reset()
    server.fault(paths[0], "retry_after", times=1, retry_after=3)
    sleeps = Sleeps()
    rep = run(db, make_fetcher(server.url, sleeps=sleeps), only=[source])
    assert {s.name: s.status for s in rep.sources}[source] == source_row(baseline, source)["status"]
    assert server.hits[paths[0]] == 2 and 3 in sleeps
    assert rows_of(db, source, drop_raw=True) == rows_of(baseline, source, drop_raw=True)


def test_failing_sources_leave_the_others_loading(server, baseline, tmp_path):
    """A full refresh with every other source failing differently: the rest load as usual."""
    db = tmp_path / "l.duckdb"
    shutil.copy(baseline, db)
    server.reset()
    fetchable = [n for n in SOURCE_NAMES if any(served_file(p) for p in source_paths(n))]
    broken = dict(zip(fetchable[::2], ("status503", "status404", "invalid", "empty", "html", "reset")))
    for source, fault in broken.items():
        for p in source_paths(source):
            server.fault(p, fault)
    rep = run(db, make_fetcher(server.url))
    got = {s.name: s.status for s in rep.sources}
    for source in SOURCE_NAMES:
        if source in broken:
            assert got[source] == "failed", (source, broken[source])
            assert rows_of(db, source) == rows_of(baseline, source)
        else:
            assert got[source] == source_row(baseline, source)["status"], (source, got[source])
            assert rows_of(db, source, drop_raw=True) == rows_of(baseline, source, drop_raw=True)
    assert rep.exit_code() == 0 and rep.exit_code(strict=True) == 1


def test_host_circuit_breaker_bounds_a_down_host(server, baseline, tmp_path):
    """hf_config has one URL per model: a host that keeps timing out is given up on after 3."""
    paths = [p for p in source_paths("hf_config") if served_file(p)]
    db = tmp_path / "l.duckdb"
    shutil.copy(baseline, db)
    server.reset()
    server.fault("huggingface.co/*", "timeout", hang_seconds=2.0)
    t0 = time.monotonic()
    run(db, make_fetcher(server.url, read_timeout=READ_TIMEOUT), only=["hf_config"])
    assert time.monotonic() - t0 < 3 * ATTEMPTS * READ_TIMEOUT + 5
    assert server.hits_matching("huggingface.co/*") == 3 * ATTEMPTS < ATTEMPTS * len(paths)
    assert "skipped" in source_row(db, "hf_config")["error"]


def _cli(args, timeout=60):
    return subprocess.run([sys.executable, "-m", "etl", "refresh", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


def test_cli_summary_and_exit_status(server, baseline, tmp_path):
    db = tmp_path / "l.duckdb"
    shutil.copy(baseline, db)
    server.reset()
    for p in source_paths("aider"):
        server.fault(p, "status404")
    base = ["--mirror", server.url, "--db", str(db), "--quiet"]
    only_aider = _cli(base + ["--source", "aider"])
    assert only_aider.returncode == 1, only_aider.stdout + only_aider.stderr  # nothing could be refreshed
    line = next(ln for ln in only_aider.stdout.splitlines() if ln.startswith("aider "))
    assert "failed" in line and "HTTP 404" in line and "kept" in line
    both = _cli(base + ["--source", "aider", "--source", "lmarena"])
    assert both.returncode == 0, both.stdout
    strict = _cli(base + ["--source", "aider", "--source", "lmarena", "--strict"])
    assert strict.returncode == 1
    assert rows_of(db, "aider") == rows_of(baseline, "aider")


def test_shrink_guard_keeps_last_good_unless_allowed(server, baseline, tmp_path):
    """An upstream that suddenly lists a fraction of its rows is refused, loudly."""
    import yaml
    paths = source_paths("aider")
    db = tmp_path / "l.duckdb"
    shutil.copy(baseline, db)
    server.reset()
    for p in paths:
        runs = yaml.safe_load((MIRROR / p).read_text())
        server.body(p, yaml.safe_dump(runs[:1]).encode())
    rep = run(db, make_fetcher(server.url), only=["aider"])
    assert {s.name: s for s in rep.sources}["aider"].status == "failed"
    assert "would drop from" in source_row(db, "aider")["error"]
    assert rows_of(db, "aider") == rows_of(baseline, "aider")
    rep = run(db, make_fetcher(server.url), only=["aider"], allow_shrink=True)
    assert {s.name: s for s in rep.sources}["aider"].status == "ok"
    assert 0 < sum(len(v) for v in rows_of(db, "aider").values()) < sum(len(v) for v in rows_of(baseline, "aider").values())


def test_implausible_rows_are_quarantined_with_a_count(server, baseline, tmp_path):
    """One out-of-range score is quarantined (with its raw row), the rest loads."""
    import yaml
    p = mirror_relpath("https://raw.githubusercontent.com/Aider-AI/aider/main/aider/website/_data/polyglot_leaderboard.yml")
    runs = yaml.safe_load((MIRROR / p).read_text())
    victim = next(r for r in runs if "maverick" in str(r["model"]).lower())
    victim["pass_rate_2"] = 150.0  # a percent above 100
    db = tmp_path / "l.duckdb"
    shutil.copy(baseline, db)
    server.reset()
    server.body(p, yaml.safe_dump(runs, sort_keys=False).encode())
    rep = run(db, make_fetcher(server.url), only=["aider"])
    assert {s.name: s for s in rep.sources}["aider"].status == "partial"
    con = duckdb.connect(str(db), read_only=True)
    try:
        q = con.execute("SELECT stage, reason, raw FROM quarantine WHERE source = 'aider'").fetchall()
        assert any("outside percent range" in r for _, r, _ in q) and any("150" in raw for _, _, raw in q)
        assert con.execute("SELECT count(*) FROM scores WHERE source='aider' AND value > 100").fetchone()[0] == 0
    finally:
        con.close()
    assert "quarantined" in source_row(db, "aider")["error"]
