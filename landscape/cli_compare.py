"""``python -m landscape compare ID ID ...``: the Compare page's table (same query as the app)."""
from __future__ import annotations

import sys

from landscape import compare
from landscape.cli_output import add_output_args, write_table


def register(sub) -> None:
    p = sub.add_parser("compare", help="compare 2-12 models side by side (ids, names or aliases)")
    p.add_argument("models", nargs="*", help="model ids, display names or aliases ('llama-4-scout')")
    p.add_argument("--preset", choices=sorted(compare.PRESETS), help="start from a preset's models")
    p.add_argument("--long", action="store_true",
                   help="one row per model and attribute with provenance (source, as_of, source_url, ...)")
    add_output_args(p)
    p.set_defaults(func=run)


def run(args) -> int:
    ids = compare.preset_ids(args.preset) if args.preset else []
    found, problems = compare.resolve(args.models) if args.models else ([], [])
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    if problems:
        return 2
    ids = list(dict.fromkeys(ids + found))
    if not compare.MIN_MODELS <= len(ids) <= compare.MAX_MODELS:
        print(f"error: compare needs {compare.MIN_MODELS}-{compare.MAX_MODELS} models, got {len(ids)}",
              file=sys.stderr)
        return 2
    opts = compare.CompareOptions()
    long, notes = compare.compare_result(ids, opts)
    table = long if args.long else compare.wide(long)
    return write_table(table, args, "compare-long" if args.long else "compare", notes=notes,
                       view={"models": ",".join(ids)})
