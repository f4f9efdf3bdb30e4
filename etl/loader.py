"""Build the warehouse in a temporary file beside the target, validate it, publish with os.replace.

A source that fails keeps its last good rows (copied from the published database with their
original dates); the other sources load as usual. A process killed mid-refresh leaves only a
``.<name>.tmp-<pid>-*`` file, which the next refresh removes once that pid is gone.
"""
from __future__ import annotations

import json
from collections import Counter
from contextlib import contextmanager
import os
import re
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable

import duckdb

from etl import clock
from etl.contracts import summarise
from etl.fetch import FETCH_EVENTS, Fetcher
from etl.matcher import Matcher
from etl.registry import Model, load_registry
from etl.schema import SOURCE_OWNED, TABLES, VIEW_ORDER, VIEWS, SchemaError, ddl, validate_row, view_ddl
from etl.sources import all_sources
from etl.sources.base import Source
from etl.unmatched_reasons import classify_all, with_refusal


class PublishError(RuntimeError):
    pass


class ShrinkError(ValueError):
    """A refresh would drop most of a source's rows: kept the last good data instead."""


# a source whose refresh would keep fewer than this share of its previous rows (of at least
# SHRINK_MIN_ROWS) fails loudly; --allow-shrink accepts a genuine upstream removal
SHRINK_KEEP_FRACTION = 0.5
SHRINK_MIN_ROWS = 10


@dataclass
class SourceReport:
    name: str
    status: str  # ok | partial | failed | kept (not selected this run)
    rows: int = 0
    matched: int = 0
    unmatched: int = 0
    error: str | None = None
    seconds: float = 0.0
    kept_rows: int = 0


@dataclass
class RefreshReport:
    db_path: Path
    sources: list[SourceReport] = field(default_factory=list)
    published: bool = False

    def exit_code(self, strict: bool = False) -> int:
        ran = [s for s in self.sources if s.status != "kept"]
        if not self.published:
            return 2
        if ran and all(s.status == "failed" for s in ran):
            return 1
        if strict and any(s.status in ("failed", "partial") for s in ran):
            return 1
        return 0


def model_row(m: Model) -> dict:
    return {
        "model_id": m.model_id, "name": m.name, "family": m.family, "vendor": m.vendor,
        "release_date": m.release_date, "open_weights": m.open_weights, "released": m.released,
        "total_params_b": _f(m.total_params_b), "active_params_b": _f(m.active_params_b),
        "experts_total": m.experts_total, "experts_active": m.experts_active, "is_moe": m.is_moe,
        "context_claimed": m.context_claimed, "licence_id": m.licence_id, "base_model": m.base_model,
        "modalities": ",".join(m.modalities), "reference": m.reference, "note": m.note,
        "discovered": m.discovered, "first_seen": m.first_seen,
        "source_url": m.source_url,
    }


def _f(v):
    return None if v is None else float(v)


def temp_path_for(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")


def clean_stale_temps(db_path: Path) -> list[Path]:
    """Remove temp files (and their .wal) left by refreshes whose process is gone."""
    removed = []
    pattern = re.compile(rf"^\.{re.escape(db_path.name)}\.tmp-(\d+)-[0-9a-f]+(\.wal)?$")
    for p in db_path.parent.glob(f".{db_path.name}.tmp-*"):
        m = pattern.match(p.name)
        if m and not _pid_alive(int(m.group(1))):
            p.unlink(missing_ok=True)
            removed.append(p)
    return removed


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    for table in TABLES:
        con.execute(ddl(table))
    for view in VIEWS:
        con.execute(view_ddl(view))


def materialise_views(con: duckdb.DuckDBPyConnection) -> None:
    """Publish time: every view of ``VIEWS`` becomes a table with the same name and rows, so each
    visitor reads the answer instead of recomputing it (the data does not change until the next
    publish). Call again after changing the source tables of a built database."""
    for view in VIEWS:
        kind = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [view]).fetchone()[0]
        con.execute(f'DROP {"TABLE" if kind else "VIEW"} IF EXISTS "{view}"')
        order = f" ORDER BY {VIEW_ORDER[view]}" if view in VIEW_ORDER else ""
        con.execute(f'CREATE TABLE "{view}" AS SELECT * FROM ({VIEWS[view]}){order}')


_ARROW_TYPES = {"VARCHAR": "string", "DATE": "date32", "BOOLEAN": "bool_", "DOUBLE": "float64",
                "INTEGER": "int32", "BIGINT": "int64", "TIMESTAMP": "timestamp"}
_BULK_ROWS = 50  # above this, insert through one typed Arrow table (executemany is row by row)


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[dict]) -> int:
    tuples = [validate_row(table, r) for r in rows]
    if not tuples:
        return 0
    cols = ", ".join(f'"{c}"' for c, _, _ in TABLES[table])
    if len(tuples) > _BULK_ROWS:
        import pyarrow as pa
        fields = []
        for c, t, _ in TABLES[table]:
            typ = pa.timestamp("us") if t == "TIMESTAMP" else getattr(pa, _ARROW_TYPES[t])()
            fields.append(pa.field(c, typ))
        _bulk_rows = pa.Table.from_arrays(  # noqa: F841  read by DuckDB's replacement scan below
            [pa.array([row[i] for row in tuples], type=f.type) for i, f in enumerate(fields)], schema=pa.schema(fields))
        con.execute(f'INSERT INTO "{table}" ({cols}) SELECT {cols} FROM _bulk_rows').fetchall()
    else:
        marks = ", ".join("?" for _ in TABLES[table])
        con.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', tuples)
    return len(tuples)


def load_registry_tables(con, models: list[Model]) -> None:
    insert_rows(con, "models", (model_row(m) for m in models))
    insert_rows(con, "aliases", ({"model_id": m.model_id, "alias": a} for m in models for a in m.aliases))


def previous_models(db_path: Path) -> dict[str, dict]:
    """The previous database's model rows (for first-seen dates and discovered models to keep)."""
    if not Path(db_path).exists():
        return {}
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error:
        return {}
    try:
        cols = {r[0] for r in con.execute("DESCRIBE models").fetchall()}
        if "first_seen" not in cols:
            return {}
        cur = con.execute("SELECT * FROM models")
        names = [d[0] for d in cur.description]
        return {r[0]: dict(zip(names, r)) for r in cur.fetchall()}
    except duckdb.Error:
        return {}
    finally:
        con.close()


def with_first_seen(models: list[Model], prev: dict[str, dict], today) -> list[Model]:
    """Every model gets the day it was first seen (kept from the previous database, else today);
    a discovered model the catalogues did not list this time is kept -- the registry only grows,
    and its carried-over scores and architecture stay valid."""
    from dataclasses import replace
    ids = {m.model_id for m in models}
    kept = []
    for mid, r in prev.items():
        if r.get("discovered") and mid not in ids:
            kept.append(Model(
                model_id=mid, name=r["name"], family=r["family"], vendor=r["vendor"], open_weights=bool(r["open_weights"]),
                released=bool(r["released"]), source_url=r["source_url"], release_date=r.get("release_date"),
                total_params_b=r.get("total_params_b"), active_params_b=r.get("active_params_b"),
                experts_total=r.get("experts_total"), experts_active=r.get("experts_active"),
                context_claimed=r.get("context_claimed"), licence_id=r.get("licence_id"), base_model=r.get("base_model"),
                modalities=tuple((r.get("modalities") or "text").split(",")), note=r.get("note"),
                reference=bool(r.get("reference")), discovered=True, first_seen=r.get("first_seen")))
    return [replace(m, first_seen=(prev.get(m.model_id) or {}).get("first_seen") or m.first_seen or today)
            for m in list(models) + kept]


def _attach_previous(con, db_path: Path) -> bool:
    if not db_path.exists():
        return False
    try:
        con.execute("ATTACH ? AS prev (READ_ONLY)", [str(db_path)])
        return True
    except duckdb.Error:
        return False


def _prev_has(con, table: str) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'prev' AND table_name = ?", [table]
    ).fetchone()[0])


def _common_columns(con, table: str) -> list[str]:
    prev_cols = {r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = 'prev' AND table_name = ?", [table]
    ).fetchall()}
    return [c for c, _, _ in TABLES[table] if c in prev_cols]


def copy_previous(con, table: str, source_name: str, exclude_keys: tuple[str, ...] = (),
                  new_keys: set | None = None) -> int:
    """Copy this source's rows of ``table`` from the previous database (optionally only keys not refreshed)."""
    if not _prev_has(con, table):
        return 0
    cols = _common_columns(con, table)
    col_sql = ", ".join(f'"{c}"' for c in cols)
    owner = SOURCE_OWNED[table]
    before = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    if exclude_keys and new_keys:
        con.execute("CREATE OR REPLACE TEMP TABLE _new_keys AS SELECT * FROM (VALUES " +
                    ", ".join("(" + ", ".join("?" for _ in exclude_keys) + ")" for _ in new_keys) + ") t(" +
                    ", ".join(f'"{k}"' for k in exclude_keys) + ")", [v for key in new_keys for v in key])
        join = " AND ".join(f'p."{k}" = n."{k}"' for k in exclude_keys)
        con.execute(f'INSERT INTO "{table}" ({col_sql}) SELECT {", ".join("p." + chr(34) + c + chr(34) for c in cols)} '
                    f'FROM prev."{table}" p WHERE p."{owner}" = ? AND NOT EXISTS (SELECT 1 FROM _new_keys n WHERE {join})',
                    [source_name])
    else:
        con.execute(f'INSERT INTO "{table}" ({col_sql}) SELECT {col_sql} FROM prev."{table}" WHERE "{owner}" = ?',
                    [source_name])
    return con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] - before


def copy_previous_for_urls(con, table: str, source_name: str, urls: list[str]) -> int:
    """Copy this source's previous rows of ``table`` that came from one of ``urls``."""
    if not urls or not _prev_has(con, table):
        return 0
    cols = _common_columns(con, table)
    if "source_url" not in cols:
        return 0
    col_sql = ", ".join(f'"{c}"' for c in cols)
    before = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    con.execute(f'INSERT INTO "{table}" ({col_sql}) SELECT {col_sql} FROM prev."{table}" '
                f'WHERE "{SOURCE_OWNED[table]}" = ? AND list_contains(?, source_url)', [source_name, urls])
    return con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] - before


def _prev_source_row(con, name: str) -> dict | None:
    if not _prev_has(con, "sources"):
        return None
    cur = con.execute('SELECT * FROM prev."sources" WHERE name = ?', [name])
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cur.description], row))


def _one_line(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ")
    return text[:300]


def _check_shrink(con, src: Source, tables: dict[str, list[dict]], failed_urls=()) -> None:
    """Refuse a refresh that would lose most of a source's rows or numbers.

    Counted per source URL where the table has one (so one file of many going empty is caught),
    else over the whole source; rows of URLs that failed this time are kept, so they count as
    kept. For each numeric column the same check runs on non-null values: a renamed field or
    "27.7%" strings a parser cannot read would otherwise turn numbers into unknowns silently.
    Merge-loaded tables are compared only over the keys this refresh delivered.
    """
    for table in src.tables:
        if table not in SOURCE_OWNED or not _prev_has(con, table):
            continue
        rows = tables.get(table, [])
        common = _common_columns(con, table)
        rule, keys = src.load_rules.get(table, ("replace", ()))
        where, params = f'"{SOURCE_OWNED[table]}" = ?', [src.name]
        if rule == "merge":
            if not keys or keys[0] not in common:
                continue
            where += f' AND list_contains(?, "{keys[0]}")'
            params.append(sorted({str(r.get(keys[0])) for r in rows}))
        by_url = "source_url" in common and rule != "merge"  # merge sources: one URL per key, count overall
        group = "source_url" if by_url else "'all'"
        numeric = [c for c, t, _ in TABLES[table] if t in ("DOUBLE", "INTEGER", "BIGINT") and c in common]
        counts = ", ".join(["count(*)"] + [f'count("{c}")' for c in numeric])
        prev = {r[0]: r[1:] for r in con.execute(
            f'SELECT {group}, {counts} FROM prev."{table}" WHERE {where} GROUP BY 1', params).fetchall()}
        new: dict = {}
        for r in rows:
            k = r.get("source_url") if by_url else "all"
            c = new.setdefault(k, [0] * (1 + len(numeric)))
            c[0] += 1
            for i, col in enumerate(numeric, 1):
                c[i] += r.get(col) is not None
        for k, before in prev.items():
            if k in failed_urls:
                continue  # this URL failed: its rows are carried over, nothing is lost
            after = new.get(k, [0] * (1 + len(numeric)))
            where_txt = f" from {k}" if by_url else ""
            for i, name in enumerate(["rows"] + numeric):
                if before[i] >= SHRINK_MIN_ROWS and after[i] < SHRINK_KEEP_FRACTION * before[i]:
                    what = "rows" if i == 0 else f"{name} values"
                    raise ShrinkError(f"{table}: {what}{where_txt[:120]} would drop from {before[i]} to {after[i]} "
                                      "(upstream dropped data or changed format; --allow-shrink accepts it)")


def run_source(con, src: Source, fetcher: Fetcher, models, matcher, have_prev: bool, now: datetime,
               allow_shrink: bool = False) -> SourceReport:
    t0 = time.monotonic()
    rep = SourceReport(src.name, "failed")
    url = src.homepage
    try:
        out = src.run(fetcher, models, matcher)
        unknown = set(out.tables) - set(src.tables)
        if unknown:
            raise SchemaError(f"normalise produced undeclared table(s) {sorted(unknown)}")
        if have_prev and not allow_shrink:
            _check_shrink(con, src, out.tables, out.failed_urls)
        con.execute("BEGIN")
        try:
            for table in src.tables:
                rows = out.tables.get(table, [])
                for r in rows:
                    if SOURCE_OWNED.get(table) and r.setdefault(SOURCE_OWNED[table], src.name) != src.name:
                        raise SchemaError(f"{table}: row claims another source {r[SOURCE_OWNED[table]]!r}")
                insert_rows(con, table, rows)
                rule, keys = src.load_rules.get(table, ("replace", ()))
                if rule == "merge" and have_prev and out.failed_urls:
                    new_keys = {tuple(r[k] for k in keys) for r in rows}
                    rep.kept_rows += copy_previous(con, table, src.name, keys, new_keys)
                elif rule == "replace" and have_prev and out.failed_urls and table in SOURCE_OWNED:
                    # a URL that failed this time keeps its last good rows (e.g. one of LMArena's CSVs)
                    rep.kept_rows += copy_previous_for_urls(con, table, src.name, list(out.failed_urls))
            why = classify_all(out.unmatched, matcher, models)
            insert_rows(con, "unmatched", ({"source": src.name, "raw_name": n, "rows": c,
                                            **dict(zip(("reason", "reason_detail"), with_refusal(why[n], out.reasons.get(n))))}
                                           for n, c in sorted(out.unmatched.items())))
            insert_rows(con, "quarantine", ({**q, "quarantined_at": now} for q in out.quarantined))
            # the summary and the sources row commit together with the data: a failure here rolls
            # everything back, so the failure path below never copies last-good rows on top of new ones
            rep.status = out.status
            rep.rows = sum(len(out.tables.get(t, [])) for t in src.tables)
            rep.matched, rep.unmatched = out.matched, sum(out.unmatched.values())
            problems = []
            if out.failed_urls:
                reasons = Counter(out.failed_urls.values())
                problems.append(f"{len(out.failed_urls)} of {len(out.failed_urls) + len(out.fetched)} URLs failed ("
                                + ", ".join(f"{r} x{n}" for r, n in reasons.items()) + ")"
                                + (f" (kept {rep.kept_rows} last-good rows)" if rep.kept_rows else ""))
            if out.quarantined:
                problems.append(summarise(out.quarantined))
            rep.error = "; ".join(problems) or None
            origin = out.fetched[0].origin
            if out.fetched[0].capture_note:
                origin += f" [{out.fetched[0].capture_note}]"
            url = out.fetched[0].url if len(out.fetched) == 1 else (src.homepage or out.fetched[0].url)
            insert_rows(con, "sources", [{
                "name": src.name, "url": url, "fetched_at": min(f.fetched_at for f in out.fetched),
                "status": rep.status, "rows": rep.rows, "matched": rep.matched, "unmatched": rep.unmatched,
                "error": rep.error, "origin": origin[:500], "as_of": out.as_of, "refreshed_at": now,
                "frozen": src.frozen,
            }])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    except Exception as exc:  # one source's failure never breaks the others
        rep.status, rep.error = "failed", _one_line(exc)
        prev = _prev_source_row(con, src.name) if have_prev else None
        rep.kept_rows = _carry_over(con, src) if have_prev else 0
        if rep.kept_rows:
            rep.error += f" (kept {rep.kept_rows} last-good rows)"
        insert_rows(con, "sources", [{
            "name": src.name, "url": (prev or {}).get("url") or url or src.name,
            "fetched_at": (prev or {}).get("fetched_at"), "status": "failed", "rows": rep.kept_rows,
            "matched": (prev or {}).get("matched") or 0, "unmatched": (prev or {}).get("unmatched") or 0,
            "error": rep.error,
            "origin": (prev or {}).get("origin"), "as_of": (prev or {}).get("as_of"), "refreshed_at": now,
            "frozen": src.frozen,
        }])
    rep.seconds = time.monotonic() - t0
    return rep


def _carry_over(con, src: Source) -> int:
    """Copy all of ``src``'s rows (its tables, unmatched names, quarantine) from the previous
    database unchanged; return how many data rows were kept."""
    kept = sum(copy_previous(con, table, src.name) for table in src.tables if table in SOURCE_OWNED)
    for table in ("unmatched", "quarantine"):
        copy_previous(con, table, src.name)
    return kept


def keep_source(con, src: Source, have_prev: bool) -> SourceReport:
    """A source not selected for this run: carry its rows and status over unchanged."""
    rep = SourceReport(src.name, "kept")
    if not have_prev:
        return rep
    rep.kept_rows = _carry_over(con, src)
    prev = _prev_source_row(con, src.name)
    if prev:
        insert_rows(con, "sources", [{**{k: v for k, v in prev.items() if k in {c for c, _, _ in TABLES["sources"]}},
                                      "frozen": src.frozen}])
    return rep


def validate_database(con) -> None:
    n = con.execute("SELECT count(*) FROM models").fetchone()[0]
    if n == 0:
        raise PublishError("validation: models table is empty")
    for table in ("scores", "architectures"):
        orphans = con.execute(f'SELECT count(*) FROM "{table}" t WHERE NOT EXISTS '
                              f'(SELECT 1 FROM models m WHERE m.model_id = t.model_id)').fetchone()[0]
        if orphans:
            raise PublishError(f"validation: {orphans} {table} rows name no registry model")


def publish(tmp: Path, db_path: Path) -> None:
    os.replace(tmp, db_path)
    wal = Path(str(tmp) + ".wal")
    wal.unlink(missing_ok=True)


@contextmanager
def building(db_path: Path, models: list[Model]):
    """Build a new database beside ``db_path`` and publish it atomically: yields a connection to a
    temporary file holding the schema and the registry; on a clean exit the build is validated,
    checkpointed and moved over ``db_path``; on any error the temporary files are removed and the
    published database is untouched."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_temps(db_path)
    tmp = temp_path_for(db_path)
    con = duckdb.connect(str(tmp))
    try:
        create_schema(con)
        load_registry_tables(con, models)
        yield con
        validate_database(con)
        materialise_views(con)
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        raise
    con.close()
    publish(tmp, db_path)


def refresh(db_path: Path | str, fetcher: Fetcher, only: list[str] | None = None,
            sources: list[Source] | None = None, models: list[Model] | None = None,
            progress: Callable[[str], None] | None = None, allow_shrink: bool = False,
            discover: bool = False) -> RefreshReport:
    """``discover``: first read the catalogues (etl/discovery.py) and register official repos they
    list as discovered models, and quantised copies as derivatives, before any source runs."""
    db_path = Path(db_path)
    models = models if models is not None else load_registry()
    found = None
    if discover:
        from etl.discovery import discover as run_discovery
        found = run_discovery(fetcher, models)
        models = found.models
        if progress:
            progress(f"[discover] {len(found.read)} catalogue(s) read, {len(found.failed)} not read; "
                     f"{len(found.discovered)} discovered model(s), {len(found.derivatives)} derivative(s)")
    models = with_first_seen(models, previous_models(db_path), clock.today())
    matcher = Matcher(models)
    sources = sources if sources is not None else all_sources()
    if only:
        unknown = set(only) - {s.name for s in sources}
        if unknown:
            raise KeyError(f"unknown source(s): {', '.join(sorted(unknown))}")
    report = RefreshReport(db_path)
    now = clock.now()
    with building(db_path, models) as con:
        have_prev = _attach_previous(con, db_path)
        if found is not None:
            insert_rows(con, "derivatives", found.derivatives)
        for i, src in enumerate(sources, 1):
            if only and src.name not in only:
                report.sources.append(keep_source(con, src, have_prev))
                continue
            if progress:
                progress(f"[{i}/{len(sources)}] {src.name} ...")
            event = FETCH_EVENTS.get()  # live progress bars (etl/progress.py), when someone watches
            if event:
                event("source_start", source=src.name, index=i, total=len(sources))
            rep = run_source(con, src, fetcher, models, matcher, have_prev, now, allow_shrink)
            report.sources.append(rep)
            if event:
                event("source_done", source=src.name, report=rep)
            if progress:
                progress(f"[{i}/{len(sources)}] {src.name}: {rep.status}, {rep.rows} rows "
                         f"({rep.matched} matched, {rep.unmatched} unmatched) in {rep.seconds:.1f}s"
                         + (f" - {rep.error}" if rep.error else ""))
        if have_prev:
            con.execute("DETACH prev")
    report.published = True
    return report


def summary_table(report: RefreshReport) -> str:
    head = f"{'source':<22} {'status':<8} {'rows':>7} {'matched':>8} {'unmatched':>9}  error"
    lines = [head, "-" * len(head)]
    for s in report.sources:
        lines.append(f"{s.name:<22} {s.status:<8} {s.rows:>7} {s.matched:>8} {s.unmatched:>9}  {s.error or ''}")
    lines.append(f"published: {report.db_path}" if report.published else "NOT published")
    return "\n".join(lines)


def to_json(report: RefreshReport) -> str:
    return json.dumps({"db": str(report.db_path), "published": report.published,
                       "sources": [s.__dict__ for s in report.sources]}, default=str)
