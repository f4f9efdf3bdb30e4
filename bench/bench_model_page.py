"""Model page, scorecard and story charts: median time per call as a ratio of `SELECT 1` on a fresh
read-only connection (the fixed cost of one query under our connection policy), same process.

    python bench/bench_model_page.py [--repeat N]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from run import median_seconds  # noqa: E402

MAVERICK = "meta-llama/Llama-4-Maverick-17B-128E-Instruct"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    from etl import snapshot
    from landscape import headtohead, model_page, queries, scorecard, trends
    from landscape.db import query_df
    from landscape.filters import Filters

    db = Path(tempfile.mkdtemp()) / "bench.duckdb"
    snapshot.build(db)
    base = median_seconds(lambda: query_df("SELECT 1", None, db), args.repeat)
    rows = [("baseline: SELECT 1 on a fresh read-only connection", base)]
    for label, fn in [
        ("model_page.report(Maverick)", lambda: model_page.report(MAVERICK, db)),
        ("scorecard.render(Maverick, md)", lambda: scorecard.render(MAVERICK, None, "md", db)),
        ("scorecard.render(Maverick, html)", lambda: scorecard.render(MAVERICK, None, "html", db)),
        ("trends.memory_need(Q4_K_M, 8K, llama.cpp)", lambda: trends.memory_need(Filters(), "Q4_K_M", "8K", "llama.cpp", db)),
        ("headtohead.head_to_head()", lambda: headtohead.head_to_head(db)),
        ("landscape_points(lmarena_text)", lambda: queries.landscape_points(Filters(), "lmarena_text", "lmarena", db)),
    ]:
        rows.append((label, median_seconds(fn, args.repeat)))
    print(f"{'benchmark':48} {'median ms':>10} {'x baseline':>11}")
    for label, t in rows:
        print(f"{label:48} {t * 1000:10.1f} {t / base:11.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
