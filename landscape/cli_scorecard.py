"""``python -m landscape scorecard ID [--peers ...] --format md|html --output FILE``: the launch scorecard."""
from __future__ import annotations

import sys

from landscape import compare, scorecard
from landscape.cli_output import emit


def register(sub) -> None:
    p = sub.add_parser("scorecard", help="launch scorecard of one model against its peers (Markdown or HTML)")
    p.add_argument("model", help="model id, display name or alias ('llama-4-maverick')")
    p.add_argument("--peers", nargs="*", default=None,
                   help="peer models (ids, names or aliases); default: same size tier, released within ~6 months")
    p.add_argument("--format", choices=scorecard.FORMATS, default="md", help="md (default) or html")
    p.add_argument("--output", "-o", help="write to FILE (default: stdout)")
    p.set_defaults(func=run)


def run(args) -> int:
    found, problems = compare.resolve([args.model])
    peers = None
    if args.peers is not None:
        peers, more = compare.resolve(args.peers)
        problems += more
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    if problems or not found:
        return 2
    data = scorecard.render(found[0], peers, args.format)
    return emit(data, args.output, f"the {found[0]} scorecard to {{out}} ({args.format})")
