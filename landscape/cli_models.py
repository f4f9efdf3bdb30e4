"""``python -m landscape models``: the filtered model table (same query as the app)."""
from __future__ import annotations

from landscape import queries
from landscape.cli_output import add_output_args, write_table
from landscape.filters import Filters, to_query_params
from landscape.licences import DEFAULT_MAU, USE_CASES, parse_mau
from landscape.tiers import TIER_NAMES


def register(sub) -> None:
    p = sub.add_parser("models", help="list models after the shared filters")
    p.add_argument("--family", action="append", default=[], help="repeatable")
    p.add_argument("--vendor", action="append", default=[], help="repeatable")
    p.add_argument("--weights", choices=["all", "open", "closed"], default="all")
    p.add_argument("--tier", action="append", default=[], choices=TIER_NAMES)
    p.add_argument("--include-unreleased", action="store_true")
    p.add_argument("--use", choices=list(USE_CASES), help="keep models whose licence answers yes or conditional "
                   "for this use case (" + "; ".join(f"{k}: {v}" for k, v in USE_CASES.items()) + "); not legal advice")
    p.add_argument("--mau", type=_mau, default=DEFAULT_MAU, help="monthly active users for --use mau, e.g. 800M")
    p.add_argument("--use-strict", action="store_true", help="with --use: only clear 'yes' answers")
    add_output_args(p)
    p.set_defaults(func=run)


def filters_from_args(args) -> Filters:
    return Filters(families=tuple(args.family), vendors=tuple(args.vendor), weights=args.weights,
                   tiers=tuple(args.tier), released_only=not args.include_unreleased,
                   use_case=getattr(args, "use", None) or "", mau=getattr(args, "mau", DEFAULT_MAU),
                   use_strict=getattr(args, "use_strict", False))


def _mau(value: str) -> int:
    import argparse
    n = parse_mau(value)
    if n is None:
        raise argparse.ArgumentTypeError(f"not a number of monthly users: {value!r} (e.g. 1000000 or 700M)")
    return n


def run(args) -> int:
    f = filters_from_args(args)
    df = queries.models(f)
    if f.use_case:  # the answer behind the filter, per row
        from landscape.offer_queries import licence_matrix
        ans = licence_matrix(f)
        ans = ans[ans["use_case"] == f.use_case][["model_id", "answer", "clause", "source_url", "terms"]]
        df = df.merge(ans.rename(columns={"answer": "licence_answer", "clause": "licence_clause",
                                          "source_url": "licence_source_url", "terms": "licence_terms"}),
                      on="model_id", how="left")
    return write_table(df, args, "models", view=to_query_params(f))
