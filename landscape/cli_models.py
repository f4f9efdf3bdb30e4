"""``python -m landscape models``: the filtered model table (same query as the app)."""
from __future__ import annotations

import sys

from landscape import queries
from landscape.filters import Filters
from landscape.tiers import TIER_NAMES


def register(sub) -> None:
    p = sub.add_parser("models", help="list models after the shared filters")
    p.add_argument("--family", action="append", default=[], help="repeatable")
    p.add_argument("--vendor", action="append", default=[], help="repeatable")
    p.add_argument("--weights", choices=["all", "open", "closed"], default="all")
    p.add_argument("--tier", action="append", default=[], choices=TIER_NAMES)
    p.add_argument("--include-unreleased", action="store_true")
    p.set_defaults(func=run)


def filters_from_args(args) -> Filters:
    return Filters(families=tuple(args.family), vendors=tuple(args.vendor), weights=args.weights,
                   tiers=tuple(args.tier), released_only=not args.include_unreleased)


def run(args) -> int:
    df = queries.models(filters_from_args(args))
    df.to_csv(sys.stdout, index=False)
    return 0
