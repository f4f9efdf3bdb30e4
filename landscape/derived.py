"""Tables derived from the whole database, computed once per published version, read by every visitor.

Some pages open on a table that depends on the database alone, not on any widget: every vendor
head-to-head claim with its independent verdict (Frontiers), every model with its name variants and
picker label (Compare), every vendor claim beside its independent evidence (Evals: the filtered
models' rows are taken from it), the benchmarks a chart can plot (Landscape, Frontiers, Context),
every model's served context and cheapest offering (Context: the filtered models' rows), every
model's latest results ranked in their size tier (the Model page joins its own).
At 10,000 models they cost seconds per cold database version. ``precompute``
builds each table in ``TABLES`` and writes it as Parquet beside the database
(``<db>.derived/<name>.parquet``), stamped with the database file's version (as the fit grid is,
``grid.file_version``'s first part) and a digest of the code that builds it. ``table(name, path)``
answers from the file when its stamp is this version's, else builds the table itself: a missing,
stale, damaged or foreign file only costs the computation, never a wrong answer.

Who runs it: ``python -m landscape precompute`` (with the fit grid: ``make run``/``db``/``refresh``
after the ETL, and ``make serve``'s supervisor after each publish).
"""
from __future__ import annotations

import functools
import hashlib
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from landscape import stamped

if TYPE_CHECKING:
    import pandas as pd

STAMP = b"landscape.derived_version"


@dataclass(frozen=True)
class Derived:
    """One derived table: how to build it from a database, and the modules its rows depend on.
    ``row_group`` > 0: a table read a few rows at a time (``rows``), sorted by its key and written in
    row groups of that many rows, so a filtered read decodes only the groups holding its rows."""
    name: str
    build: Callable[[Path | None], "pd.DataFrame"]
    modules: tuple[str, ...]
    row_group: int = 0


def _head_to_head(path):
    from landscape import headtohead
    return headtohead.compute_head_to_head(path)


def _claims(path):
    from landscape import evals
    from landscape.filters import EVERY_MODEL
    return evals.compute_claims_vs_independent(EVERY_MODEL, path)


def _unreleased(path):
    from landscape import evals
    return evals.compute_unreleased_headlines(path)


def _removed(path):
    from landscape import evals
    return evals.compute_removed_rows(path)


def _model_choices(path):
    from landscape import compare
    return compare.compute_model_choices(path)


def _context_summary(path):
    from landscape import offer_queries
    from landscape.filters import Filters
    return offer_queries.compute_context_summary(Filters(released_only=False, include_reference=True), path)


def _score_options(path):
    from landscape import queries
    return queries.compute_score_options(True, path)


def _model_evals(path):
    from landscape import model_page
    return model_page.compute_model_evals(path)


TABLES: tuple[Derived, ...] = (
    Derived("head-to-head", _head_to_head, ("landscape.headtohead", "landscape.evals", "landscape.db")),
    Derived("model-choices", _model_choices, ("landscape.compare", "landscape.db")),
    Derived("claims-vs-independent", _claims, ("landscape.evals", "landscape.filters", "landscape.db")),
    Derived("unreleased-headlines", _unreleased, ("landscape.evals", "landscape.db")),
    Derived("removed-rows", _removed, ("landscape.evals", "landscape.db")),
    Derived("score-options", _score_options, ("landscape.queries", "landscape.tiers", "landscape.db")),
    Derived("context-summary", _context_summary, ("landscape.offer_queries", "landscape.filters", "landscape.db")),
    Derived("model-evals", _model_evals, ("landscape.model_page", "landscape.tiers", "landscape.evals", "landscape.db"),
            row_group=4096),
)
BY_NAME = {t.name: t for t in TABLES}


@functools.lru_cache(maxsize=None)
def code_version(name: str) -> str:
    """A digest of the sources of the modules table ``name`` is built by."""
    import importlib.util
    h = hashlib.sha256(name.encode())
    for mod in BY_NAME[name].modules:
        spec = importlib.util.find_spec(mod)
        h.update(mod.encode())
        h.update(Path(spec.origin).read_bytes() if spec and spec.origin else b"")
    return h.hexdigest()[:16]


def version(name: str, path: Path | None = None) -> str:
    """What a file of table ``name`` answers for: this database file's version and the code's."""
    from landscape.db import db_token
    return ":".join(db_token(path).rsplit(":", 3)[1:]) + "|" + code_version(name)


def derived_dir(path: Path | None = None) -> Path:
    from landscape.db import db_path
    p = path or db_path()
    return p.with_name(p.name + ".derived")


def precompute(path: Path | None = None, force: bool = False) -> dict:
    """Write every table of the database's current version; files already of it are kept unless
    ``force``. Returns {name: seconds or "current"}."""
    out_dir = derived_dir(path)
    out_dir.mkdir(parents=True, exist_ok=True)
    done: dict = {}
    for t in TABLES:
        token = version(t.name, path)
        target = out_dir / f"{t.name}.parquet"
        if not force and _stamp(target) == token:
            done[t.name] = "current"
            continue
        t0 = time.perf_counter()
        stamped.write(t.build(path), target, {STAMP: token.encode()}, row_group_size=t.row_group or None)
        done[t.name] = round(time.perf_counter() - t0, 3)
    stamped.prune(out_dir, BY_NAME)  # tables no longer listed, files of a killed precompute
    return done


def _stamp(target: Path) -> str | None:
    return stamped.stamp(target, STAMP)


_CACHE: dict[tuple[str, str, str], "pd.DataFrame"] = {}
_LOCK = threading.Lock()


def read(name: str, path: Path | None = None) -> "pd.DataFrame | None":
    """The precomputed table ``name`` of the database's current version, or None (no file, another
    version's, unreadable). A found table is memoised per version (a miss is not: the file may be
    written a moment later); the frame is shared, so callers copy what they change."""
    token = version(name, path)
    target = derived_dir(path) / f"{name}.parquet"
    key = (str(target.resolve()), token, name)
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
    tbl = stamped.read(target, STAMP, token)
    if tbl is None:
        return None
    df = tbl.to_pandas()
    with _LOCK:
        while len(_CACHE) >= 2 * len(TABLES):  # this version's tables and the next one's
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = df
    return df


def rows(name: str, filters: list[tuple], path: Path | None = None) -> "pd.DataFrame | None":
    """The rows of precomputed table ``name`` matching ``filters`` (pyarrow's form, e.g.
    ``[("model_id", "==", mid)]``) when its file is the current version's, else None. Read from the
    file each time, not memoised: a page asking for one model's rows of a large table decodes only
    the row groups holding them and keeps nothing. Typed as a query of those rows is
    (``db.frame_of``, by their own values: an integer column with no gap among them is NumPy's,
    a text column with no value is objects), not as the whole table's frame."""
    from landscape.db import frame_of
    tbl = stamped.read(derived_dir(path) / f"{name}.parquet", STAMP, version(name, path), filters=filters)
    return None if tbl is None else frame_of(tbl.replace_schema_metadata(None))


def table(name: str, path: Path | None = None) -> "pd.DataFrame":
    """Table ``name`` of the current database version: the precomputed file, else built here."""
    df = read(name, path)
    # pandas' copy-on-write: a shallow copy shares the memory and a caller's change never reaches it
    return df.copy(deep=False) if df is not None else BY_NAME[name].build(path)
