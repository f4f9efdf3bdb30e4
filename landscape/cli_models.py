"""``python -m landscape models``: the filtered model table (same query as the app)."""
from __future__ import annotations

from landscape import queries
from landscape.cli_output import add_output_args, write_table
from landscape.filters import Filters, to_query_params
from landscape.tiers import TIER_NAMES


def register(sub) -> None:
    p = sub.add_parser("models", help="list models after the shared filters")
    p.add_argument("--family", action="append", default=[], help="repeatable")
    p.add_argument("--vendor", action="append", default=[], help="repeatable")
    p.add_argument("--weights", choices=["all", "open", "closed"], default="all")
    p.add_argument("--tier", action="append", default=[], choices=TIER_NAMES)
    p.add_argument("--include-unreleased", action="store_true")
    add_output_args(p)
    p.set_defaults(func=run)


def filters_from_args(args) -> Filters:
    return Filters(families=tuple(args.family), vendors=tuple(args.vendor), weights=args.weights,
                   tiers=tuple(args.tier), released_only=not args.include_unreleased)


def run(args) -> int:
    f = filters_from_args(args)
    df = queries.models(f)
    return write_table(df, args, "models", view=to_query_params(f))
