"""Command line: ``python -m etl refresh|match|snapshot|build|sources``."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from etl.registry import load_registry

DEFAULT_DB = Path(__file__).resolve().parent.parent / "var" / "landscape.duckdb"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("refresh", help="fetch every source (live, or --mirror DIR) and publish the database")
    r.add_argument("--mirror", help="read each URL from DIR/<host>/<path> (or an http://host:port base) instead of the network")
    r.add_argument("--db", default=str(DEFAULT_DB), help="database to publish (default: %(default)s)")
    r.add_argument("--source", action="append", dest="only", help="refresh only this source (repeatable); others keep their data")
    r.add_argument("--strict", action="store_true", help="exit non-zero if any source failed or was partial")
    r.add_argument("--allow-shrink", action="store_true",
                   help="accept a source losing more than half of its rows (otherwise it keeps its last good data)")
    r.add_argument("--json", action="store_true", help="print the summary as JSON")
    r.add_argument("--quiet", action="store_true", help="no progress lines")
    r.add_argument("--progress", choices=("auto", "bars", "lines"), default="auto",
                   help="live bars per source (auto: when stderr is a terminal) or plain lines for logs")
    r.add_argument("--every", metavar="INTERVAL",
                   help="keep running: refresh now, then every INTERVAL (90s, 15m, 6h, 1d); outcome in <db>.refresh.json")
    r.add_argument("--status", action="store_true",
                   help="record this run's outcome in <db>.refresh.json (shown on Data quality; for cron/systemd timers)")
    r.add_argument("--publish-snapshot", metavar="DIR",
                   help="after each published refresh, write the normalised snapshot to DIR for `etl sync` replicas")
    y = sub.add_parser("sync", help="build the database from a snapshot published elsewhere (URL or folder)")
    y.add_argument("--url", required=True, help="base URL (or folder) holding manifest.json from --publish-snapshot")
    y.add_argument("--db", default=str(DEFAULT_DB))
    y.add_argument("--every", metavar="INTERVAL", help="keep polling the manifest every INTERVAL; rebuild when it changes")
    r.add_argument("--no-discover", action="store_true",
                   help="do not read the catalogues first (no discovered models or derivatives)")
    m = sub.add_parser("match", help="print how names map to canonical model ids (one JSON object per line)")
    m.add_argument("names", nargs="+")
    m.add_argument("--as-of", default=None, help="YYYY-MM-DD: the date the names describe (places re-pointed "
                                                 "API names such as deepseek-chat, data/api_aliases.yaml)")
    m.add_argument("--hub-repo", action="store_true", help="the names are Hugging Face repo ids (owner/name)")
    s = sub.add_parser("snapshot", help="refresh from a mirror (or use --db) and write data/snapshot/")
    s.add_argument("--mirror", default=str(Path(__file__).resolve().parent.parent.parent / "shared" / "mirror"))
    s.add_argument("--db", help="export this database instead of refreshing")
    s.add_argument("--out", default=None)
    b = sub.add_parser("build", help="build the database from the bundled snapshot (no network)")
    b.add_argument("--db", default=str(DEFAULT_DB))
    b.add_argument("--if-missing", action="store_true", help="do nothing when the database already exists")
    b.add_argument("--if-stale", action="store_true",
                   help="build when the database is missing or was built from another snapshot; "
                        "a database published by a refresh is left alone")
    sub.add_parser("sources", help="list the sources and their URLs")
    d = sub.add_parser("discover", help="cluster unmatched names, resolve them through the catalogues, print proposals")
    d.add_argument("--mirror", help="read catalogues from DIR (or an http://host:port base) instead of the network")
    d.add_argument("--db", default=str(DEFAULT_DB), help="database whose unmatched table is clustered")
    d.add_argument("--limit", type=int, default=60, help="clusters to print (default: %(default)s)")
    d.add_argument("--json", action="store_true", help="one JSON object per proposal")
    args = p.parse_args(argv)

    if args.cmd == "match":
        from datetime import date

        from etl.matcher import Matcher
        try:
            as_of = date.fromisoformat(args.as_of) if args.as_of else None
        except ValueError:
            print(f"--as-of: not a YYYY-MM-DD date: {args.as_of!r}", file=sys.stderr)
            return 2
        matcher = Matcher(load_registry())
        for name in args.names:
            res = matcher.match(name, hub_repo=args.hub_repo, as_of=as_of)
            print(json.dumps({"name": name, "model_id": res.model_id, "setting": res.setting or None,
                              "reason": res.reason or None}))
        return 0

    if args.cmd == "discover":
        return _discover(args)

    if args.cmd == "sources":
        from etl.sources import all_sources
        models = load_registry()
        for src in all_sources():
            urls = src.urls(models)
            print(f"{src.name}: {src.title} ({len(urls)} URL(s)){' [frozen]' if src.frozen else ''}")
            for u in urls[:5]:
                print(f"    {u}")
            if len(urls) > 5:
                print(f"    ... {len(urls) - 5} more")
        return 0

    if args.cmd == "build":
        from etl import snapshot
        if args.if_missing and Path(args.db).exists():
            print(f"{args.db} exists; not rebuilt", file=sys.stderr)
            return 0
        if args.if_stale:
            state = snapshot.staleness(args.db)
            if state != "stale":
                print(f"{args.db}: {state}; not rebuilt", file=sys.stderr)
                return 0
        man = snapshot.build(args.db)
        print(f"built {args.db} from snapshot {man['snapshot_id']} ({sum(man['tables'].values())} rows)", file=sys.stderr)
        return 0

    from etl.fetch import Fetcher
    from etl.loader import refresh, summary_table, to_json

    if args.cmd == "snapshot":
        from etl import snapshot
        import tempfile
        db = args.db
        if not db:
            db = str(Path(tempfile.mkdtemp()) / "snapshot.duckdb")
            rep = refresh(db, Fetcher(mirror=args.mirror), progress=lambda s: print(s, file=sys.stderr))
            print(summary_table(rep), file=sys.stderr)
        man = snapshot.export(db, args.out or snapshot.SNAPSHOT_DIR)
        print(json.dumps(man, indent=2))
        return 0

    if args.cmd == "sync":
        return _sync(args)
    if args.every or args.publish_snapshot or args.status:
        return _scheduled(args)

    fetcher = Fetcher(mirror=args.mirror)
    bars = not (args.quiet or args.json) and (args.progress == "bars" or (args.progress == "auto" and sys.stderr.isatty()))
    progress = None if (args.quiet or args.json or bars) else (lambda s: print(s, file=sys.stderr, flush=True))
    try:
        if bars:  # a terminal: one live bar per source (the plain summary still follows)
            from etl.progress import source_bars
            with source_bars():
                report = refresh(args.db, fetcher, only=args.only, allow_shrink=args.allow_shrink,
                                 discover=not args.no_discover)
        else:
            report = refresh(args.db, fetcher, only=args.only, progress=progress, allow_shrink=args.allow_shrink,
                             discover=not args.no_discover)
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 2
    print(to_json(report) if args.json else summary_table(report))
    return report.exit_code(strict=args.strict)


def _stop_on_sigterm():
    import signal
    import threading
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    return stop


def _scheduled(args) -> int:
    """``refresh --every``: one refresh per interval until SIGTERM/SIGINT (clean stop between rounds)."""
    from etl import scheduled
    from etl.fetch import Fetcher
    from etl.loader import refresh, summary_table
    from etl.registry import load_registry
    try:
        every = scheduled.parse_interval(args.every) if args.every else None
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.only:
        from etl.sources import all_sources
        unknown = set(args.only) - {s.name for s in all_sources()}
        if unknown:
            print(f"error: unknown source(s): {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
    publish_dir = Path(args.publish_snapshot) if args.publish_snapshot else None
    progress = None if (args.quiet or args.json) else (lambda s: print(s, file=sys.stderr, flush=True))
    last = {}

    def one():
        report = refresh(args.db, Fetcher(mirror=args.mirror), only=args.only, models=load_registry(),
                         progress=progress, allow_shrink=args.allow_shrink, discover=not args.no_discover)
        last["report"] = report
        print(summary_table(report), flush=True)
        return report

    def said(st):
        print(f"scheduled refresh: {st['status']}" + (f" - {st['error']}" if st.get("error") else "")
              + (f"; next at {st['next_run']}" if st.get("next_run") else ""), file=sys.stderr, flush=True)

    if every is None:  # --status / --publish-snapshot without --every: one recorded round
        st = scheduled.run_once(Path(args.db), one, publish_dir)
        said(st)
        rep = last.get("report")
        return rep.exit_code(strict=args.strict) if rep else 2
    scheduled.run_forever(Path(args.db), one, every, publish_dir, stop=_stop_on_sigterm(), on_round=said)
    return 0


def _sync(args) -> int:
    from etl import scheduled, sync
    db = Path(args.db)
    try:
        every = scheduled.parse_interval(args.every) if args.every else None
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    stop = _stop_on_sigterm()
    last_id = None
    while True:
        st = sync.sync_status_round(args.url, db, every=every)
        sid = (st.get("snapshot") or {}).get("snapshot_id")
        if st["status"] != "ok":
            print(f"sync failed, keeping the current database: {st['error']}", file=sys.stderr, flush=True)
        elif st["published"] or sid != last_id:
            print(f"{db}: snapshot {sid} ({'rebuilt' if st['published'] else 'already current'})"
                  + (f"; note: {st['error']}" if st.get("error") else ""), file=sys.stderr, flush=True)
        last_id = sid
        if every is None:
            return 0 if st["status"] == "ok" else 1
        if stop.wait(every):
            return 0



def _discover(args) -> int:
    """Print what the catalogues say: discovered models, derivatives per base, then one proposal per
    cluster of unmatched names (reason, sources, rows, catalogue evidence)."""
    import duckdb
    from etl.discovery import discover, openrouter_index, proposals_for_unmatched
    from etl.fetch import Fetcher
    models = load_registry()
    fetcher = Fetcher(mirror=args.mirror)
    found = discover(fetcher, models)
    rows = []
    if Path(args.db).exists():
        con = duckdb.connect(str(args.db), read_only=True)
        try:
            rows = con.execute("SELECT source, raw_name, rows FROM unmatched").fetchall()
        finally:
            con.close()
    props = proposals_for_unmatched(rows, found.models, found, openrouter_index(fetcher))
    if args.json:
        for m in found.discovered:
            print(json.dumps({"kind": "discovered", "model_id": m.model_id, "family": m.family,
                              "total_params_b": m.total_params_b, "release_date": str(m.release_date or ""),
                              "evidence": m.source_url}))
        for p in found.proposals:
            print(json.dumps({"kind": "proposal", **p}))
        for p in props[: args.limit]:
            print(json.dumps({"kind": "unmatched", **p}))
        return 0
    print(f"catalogues read: {len(found.read)}; not read: {len(found.failed)}")
    for url, why in sorted(found.failed.items()):
        print(f"  not read: {url} - {why}")
    print(f"discovered models (registered automatically on refresh): {len(found.discovered)}")
    for m in found.discovered:
        print(f"  + {m.model_id} [{m.family}] {m.total_params_b or '?'}B, created {m.release_date or '?'} ({m.source_url})")
    print(f"derivatives (quantised copies of registered models): {len(found.derivatives)}")
    print(f"official repos no family rule places (proposals): {len(found.proposals)}")
    for p in found.proposals[: args.limit]:
        print(f"  ? {p['name']}: {p['why']} ({p['evidence']})")
    print(f"unmatched clusters: {len(props)} from {len(rows)} names in {args.db}")
    for p in props[: args.limit]:
        extra = "".join(f"\n      evidence: {e}" for e in p["evidence"])
        print(f"  [{p['reason']}] {p['cluster']} x{p['rows']} in {','.join(p['sources'])}: "
              f"{'; '.join(p['names'][:3])}{' ...' if len(p['names']) > 3 else ''} - {p['detail']}{extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
