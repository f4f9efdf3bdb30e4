"""A warehouse N times the bundled one, for benchmarks and scale tests.

    python bench/scale.py --factor 100 --out /tmp/landscape-100x.duckdb

Builds the bundled snapshot, then adds N-1 copies of every model-keyed row (models, aliases,
architectures, scores, licence answers, offerings, hub metadata) under distinct ids
(``<id>~<k>``, name ``<name> ~<k>``). Copies keep their family, vendor, licence and benchmark mix
and get a deterministic spread: sizes x0.5-2 (active parameters scaled alike), release and as-of
dates up to 90 days earlier, scores +-5% (percent capped at 100, Elo +-40). A copy's base model is
the copy of its base, so licence chains stay inside one copy, and a vendor claim table of a copy
lists that copy's models (its setting carries ``~<k>``), so head-to-head pairs grow N times, not N^2. The result passes the loader's
validation and is published atomically like any database.

``--factor issue`` picks the smallest factor at which every table issue #15 sized is at least as
large as its "100x" (``ISSUE_100X``: 9,700 models, 297,100 scores, 48,500 licence answers, 36,500
offerings, i.e. 100 times the 97-model registry it was filed against). The registry has grown since
(316 models), so ``--factor 100`` is now about 3x the issue's size; ``issue`` follows the bundled
snapshot as it grows.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# a deterministic number in [0, 1) per (row key, copy)
U = "((hash({key} || '~' || k::VARCHAR) % 100000) / 100000.0)"
MODEL_KEYED = ("aliases", "architectures", "scores", "licence_answers", "offerings", "hub_metadata")
# the row counts issue #15 called 100x (its first table): the size its targets are stated for
ISSUE_100X = {"models": 9_700, "scores": 297_100, "licence_answers": 48_500, "offerings": 36_500}


def factor_for(targets: dict[str, int], base: dict[str, int]) -> int:
    """The smallest factor at which every table in ``targets`` has at least its target rows, given
    ``base`` (the bundled snapshot's row counts); a table the snapshot lacks is an error."""
    missing = [t for t in targets if not base.get(t)]
    if missing:
        raise ValueError(f"the bundled snapshot has no rows in {', '.join(missing)}: no factor reaches them")
    return max(1, *(math.ceil(n / base[t]) for t, n in targets.items()))


def snapshot_counts() -> dict[str, int]:
    """Row counts of the bundled snapshot's tables: ``scale`` at factor 1, in a temporary file."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        return scale(Path(tmp) / "snapshot.duckdb", 1)


def parse_factor(raw: str) -> int:
    """``--factor``: a whole number of copies, or ``issue`` (``ISSUE_100X`` at today's snapshot)."""
    if raw == "issue":
        return factor_for(ISSUE_100X, snapshot_counts())
    try:
        return int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--factor takes a whole number or 'issue', not {raw!r}") from None


def _copy_id(col: str = "model_id") -> str:
    return f"{col} || '~' || k::VARCHAR"


def scale(out: Path, factor: int) -> dict[str, int]:
    """Write the scaled warehouse to ``out``; returns row counts per table."""
    from etl import snapshot
    from etl.loader import materialise_views, validate_database
    from etl.schema import TABLES
    if factor < 1:
        raise ValueError("factor must be at least 1")
    out = Path(out)
    tmp = out.with_name(f".{out.name}.scale-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    snapshot.build(tmp)
    con = duckdb.connect(str(tmp))
    try:
        con.execute("BEGIN")
        con.execute(f"CREATE TEMP TABLE copies AS SELECT range AS k FROM range(1, {int(factor)})")
        size = f"(0.5 + 1.5 * {U.format(key='m.model_id')})"
        day_key = "m.model_id || 'd'"
        days = f"(90 * {U.format(key=day_key)})::INTEGER"
        con.execute(f"""
            INSERT INTO models SELECT m.* REPLACE (
                {_copy_id('m.model_id')} AS model_id, m.name || ' ~' || k::VARCHAR AS name,
                m.release_date - {days} AS release_date,
                m.total_params_b * {size} AS total_params_b, m.active_params_b * {size} AS active_params_b,
                CASE WHEN m.base_model IN (SELECT model_id FROM models) THEN {_copy_id('m.base_model')}
                     ELSE m.base_model END AS base_model)
            FROM models m, copies""")
        for table in MODEL_KEYED:
            cols = [c for c, _, _ in TABLES[table]]
            repl = [f"{_copy_id('t.model_id')} AS model_id"]
            if table == "aliases":
                repl.append("t.alias || ' ~' || k::VARCHAR AS alias")
            if table == "scores":
                u = U.format(key="t.model_id || t.benchmark || t.setting || t.as_of::VARCHAR")
                repl += [f"""CASE WHEN t.unit = 'elo' THEN t.value + 80 * ({u} - 0.5)
                                  WHEN t.unit = 'percent' THEN least(100, t.value * (0.95 + 0.1 * {u}))
                                  ELSE t.value * (0.95 + 0.1 * {u}) END AS value""",
                         "t.ci_low - t.value + (CASE WHEN t.unit = 'elo' THEN t.value + 80 * "
                         f"({u} - 0.5) ELSE t.value END) AS ci_low",
                         "t.ci_high - t.value + (CASE WHEN t.unit = 'elo' THEN t.value + 80 * "
                         f"({u} - 0.5) ELSE t.value END) AS ci_high",
                         f"t.as_of - (90 * {U.format(key='t.model_id')})::INTEGER AS as_of",
                         # a vendor's claim table of copy k lists copy k's models: one table per copy
                         # (not every copy in every table, which squares the head-to-head pairs)
                         "CASE WHEN t.vendor_claimed THEN (CASE WHEN contains(t.setting, ';') "
                         "THEN regexp_replace(t.setting, ';', ' ~' || k::VARCHAR || ';') "
                         "ELSE t.setting || ' ~' || k::VARCHAR END) ELSE t.setting END AS setting"]
            col_sql = ", ".join(f'"{c}"' for c in cols)
            con.execute(f'INSERT INTO "{table}" ({col_sql}) SELECT {col_sql} FROM '
                        f'(SELECT * REPLACE ({", ".join(repl)}) FROM "{table}" t, copies)')
        con.execute("COMMIT")
        validate_database(con)
        materialise_views(con)
        con.execute("CHECKPOINT")
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in TABLES}
    finally:
        con.close()
    os.replace(tmp, out)
    return counts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--factor", type=parse_factor, default=100,
                    help="copies of every model-keyed row, or 'issue': the size issue #15 set its targets at")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    counts = scale(args.out, args.factor)
    print(f"wrote {args.out} ({args.factor}x) in {time.perf_counter() - t0:.1f} s: "
          + ", ".join(f"{t} {n:,}" for t, n in counts.items() if n))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
