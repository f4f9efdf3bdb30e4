"""Command line for the core: ``python -m landscape <command>``.

Each command lives in its own module listed in ``COMMAND_MODULES`` and exposes
``register(subparsers)``, which adds its parser and sets ``func(args) -> int``.
"""
from __future__ import annotations

import argparse
import importlib
import sys

COMMAND_MODULES = [
    "landscape.cli_models",
    "landscape.cli_fit",
    "landscape.cli_compare",
    "landscape.cli_scorecard",
    "landscape.cli_precompute",
]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m landscape", description="Open-Model Landscape core CLI")
    p.add_argument("--db", help="database to read (default: $LANDSCAPE_DB or var/landscape.duckdb)")
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.db:
        import os
        os.environ["LANDSCAPE_DB"] = args.db
    from landscape.db import DatabaseMissing
    try:
        return args.func(args)
    except DatabaseMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `... | head`: the reader left, nothing more to say
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
