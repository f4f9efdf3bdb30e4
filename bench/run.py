"""Reproducible benchmarks. Every figure is a ratio against a baseline measured in the same process.

    python bench/run.py            # all benchmarks, median of N repeats each
    python bench/run.py --repeat 9

Baselines: `SELECT 1` on a fresh read-only connection (the fixed cost of our connection policy: a
new connection to the database version's instance, landscape/db.py) for queries, compared with
opening the file for every query (the policy before); building the database from the bundled snapshot for a full mirror refresh.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MIRROR = Path(os.environ.get("LANDSCAPE_MIRROR", ROOT.parent / "shared" / "mirror"))


def median_seconds(fn, repeat: int) -> float:
    fn()  # warm-up (imports, OS page cache)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    from etl import snapshot
    from etl.fetch import Fetcher
    from etl.loader import refresh
    from landscape import queries
    from landscape.db import query_df
    from landscape.filters import Filters

    tmp = Path(tempfile.mkdtemp())
    db = tmp / "bench.duckdb"
    snapshot.build(db)

    rows = []
    base_q = median_seconds(lambda: query_df("SELECT 1", None, db), args.repeat)
    rows.append(("baseline: SELECT 1 on a fresh read-only connection", base_q, 1.0))

    def file_connection():  # the policy before: open the file itself for every query
        import duckdb
        con = duckdb.connect(str(db), read_only=True)
        con.execute("SELECT 1").fetchall()
        con.close()
    t = median_seconds(file_connection, args.repeat)
    rows.append(("SELECT 1 opening the database file for the query", t, t / base_q))
    for label, fn in [
        ("models(all filters off)", lambda: queries.models(Filters(released_only=False), path=db)),
        ("score_options()", lambda: queries.score_options(path=db)),
        ("landscape_points(lmarena_text)", lambda: queries.landscape_points(Filters(), "lmarena_text", None, path=db)),
        ("sources_status()", lambda: queries.sources_status(path=db)),
    ]:
        t = median_seconds(fn, args.repeat)
        rows.append((label, t, t / base_q))

    base_b = median_seconds(lambda: snapshot.build(tmp / "b.duckdb"), max(1, args.repeat // 2))
    rows.append(("baseline: build database from bundled snapshot", base_b, 1.0))
    if MIRROR.is_dir():
        t = median_seconds(lambda: refresh(tmp / "r.duckdb", Fetcher(mirror=str(MIRROR))), max(1, args.repeat // 2))
        rows.append(("full refresh replaying ../shared/mirror", t, t / base_b))

    extra = sorted(p for p in (ROOT / "bench").glob("bench_*.py"))
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark':<{width}}  {'median ms':>10}  {'x baseline':>10}")
    for label, t, ratio in rows:
        print(f"{label:<{width}}  {t * 1000:>10.2f}  {ratio:>10.2f}")
    for p in extra:
        print(f"\n# {p.name}")
        sys.stdout.flush()
        subprocess.run([sys.executable, str(p)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
