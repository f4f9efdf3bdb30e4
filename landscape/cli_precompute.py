"""``python -m landscape precompute``: write the fit grid of the published database (the pages'
default fit setups and every model's deployment class, ``landscape/fit/grid.py``) and its derived
tables (head-to-head verdicts, the model picker's names: ``landscape/derived.py``) beside it, so the
first visitor after a publish reads them instead of computing them."""
from __future__ import annotations

import json


def register(sub) -> None:
    p = sub.add_parser("precompute", help="precompute the fit grid and derived tables of the current database version")
    p.add_argument("--force", action="store_true", help="recompute even if the files are of this version")
    p.set_defaults(func=run)


def run(args) -> int:
    from landscape import derived
    from landscape.fit import grid
    done = grid.precompute(force=args.force)
    tables = derived.precompute(force=args.force)
    print(json.dumps({"grid": str(grid.grid_dir()), **done, "derived": str(derived.derived_dir()), "tables": tables}))
    return 0
