"""The fit grid: fit tables computed once per published database, read by every visitor.

Each page opens on a default setup (the Deployment fit page on an RTX 4090 at Q4_K_M and 32K, the
Context page's longest context on one H100, Frontiers' memory need), and every fit table carries
each model's deployment class (five fits per model). On a cold database version those cost
seconds at 10,000 models. ``precompute`` runs the fit for ``SETUPS`` over every registry model
(released or not, reference models included) and writes one Parquet file per setup beside the
database (``<db>.fit/<setup>.parquet``), each stamped with the database version it was computed
from (``file_version``: inode, size, mtime). ``fit_table`` answers a call on one of those setups from the
file, for any filters; any other setup is computed as before, with the deployment classes taken
from the files. A file of another database version is ignored (a new publish is never answered
from the last one's grid), and a missing or unreadable file only means computing.

Who runs it: ``python -m landscape precompute`` (the Makefile's ``run``, ``db`` and ``refresh``
targets run it right after the ETL publishes), and ``make serve``'s warm-up after every publish.
The ETL never imports ``landscape`` (the import contract), so it cannot run this itself.
"""
from __future__ import annotations

import functools
import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from landscape import stamped

if TYPE_CHECKING:
    import pandas as pd

STAMP = b"landscape.db_version"
SEP = "\x1f"  # joins a row's assumptions in the file (a unit separator never appears in a note)
UNBOUNDED_GIB = 1.0e6  # Frontiers' memory need: a device large enough to hold anything
STALE_TEMP_SECONDS = 3600  # a temporary grid file this old belongs to no running precompute


@dataclass(frozen=True)
class Setup:
    """One fit setup, as ``fit_table`` takes it."""
    name: str
    hardware: str
    quant: str
    context: int | str
    runtime: str
    gpus: int | None = None
    kv_dtype: str = "bf16"
    seqs: int = 1
    custom_gib: float | None = None

    def kwargs(self) -> dict:
        return {"hardware": self.hardware, "gpus": self.gpus, "quant": self.quant, "context": self.context,
                "kv_dtype": self.kv_dtype, "runtime": self.runtime, "seqs": self.seqs, "custom_gib": self.custom_gib}


# the pages' defaults (tests/test_fit_grid.py checks each page still opens on its setup)
SETUPS: tuple[Setup, ...] = (
    Setup("fit-page", "rtx4090", "Q4_K_M", "32K", "llama.cpp"),
    Setup("context-page", "h100", "Q4_K_M", "max", "llama.cpp"),
    Setup("frontiers-memory", "custom", "Q4_K_M", "8K", "llama.cpp", gpus=1, custom_gib=UNBOUNDED_GIB),
)


def setup_key(hardware, gpus, quant, context, kv_dtype, runtime, seqs, custom_gib, custom_bandwidth_gbs,
              custom_tflops, prompt_tokens, answer_tokens) -> str | None:
    """The name of the precomputed setup these ``fit_table`` arguments ask for, or None."""
    from landscape.fit.frame import parse_context, resolve_hardware
    from landscape.fit.tables import Hardware
    if isinstance(hardware, Hardware) or custom_bandwidth_gbs or custom_tflops or prompt_tokens is not None \
            or answer_tokens is not None:
        return None
    try:
        ctx = context if context == "max" else parse_context(context)
        devices = int(gpus or resolve_hardware(hardware, custom_gib).devices)
    except (ValueError, TypeError):
        return None
    for s in SETUPS:
        s_ctx = s.context if s.context == "max" else parse_context(s.context)
        s_devices = int(s.gpus or resolve_hardware(s.hardware, s.custom_gib).devices)
        if (hardware, devices, quant, ctx, kv_dtype, runtime, int(seqs)) == (
                s.hardware, s_devices, s.quant, s_ctx, s.kv_dtype, s.runtime, s.seqs) \
                and (hardware != "custom" or custom_gib == s.custom_gib):
            return s.name
    return None


def file_version(path: Path | None = None) -> str:
    """What a grid file answers for: the database file's version (inode, size, mtime: ``db_token``
    without the path as spelled, so a grid written for ``var/landscape.duckdb`` is read by a process
    given its absolute path) and the fit's own version (``fit_version``: new code or a new
    calibration on the same database must not be answered from the old grid)."""
    from landscape.db import db_token
    return ":".join(db_token(path).rsplit(":", 3)[1:]) + "|" + fit_version()


@functools.lru_cache(maxsize=1)
def fit_version() -> str:
    """A digest of what the fit's numbers depend on besides the database: the ``landscape/fit``
    sources, the curated tables it reads (formats, hardware, architectures, claims, calibration)
    and ``SETUPS``."""
    from landscape.fit.tables import DATA
    h = hashlib.sha256(repr(SETUPS).encode())
    files = sorted(Path(__file__).parent.glob("*.py")) + [DATA / n for n in (
        "quant_formats.csv", "hardware.csv", "architectures_curated.csv", "deployment_claims.csv",
        "fit_calibration.csv")]
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes() if f.exists() else b"")
    return h.hexdigest()[:16]


def grid_dir(path: Path | None = None) -> Path:
    from landscape.db import db_path
    p = path or db_path()
    return p.with_name(p.name + ".fit")


def precompute(path: Path | None = None, force: bool = False) -> dict:
    """Write the grid of the database's current version; files already of this version are kept
    unless ``force``. Returns {setup: seconds or "current"} and the database version."""
    from landscape.filters import Filters
    from landscape.fit.frame import fit_table
    token = file_version(path)
    out_dir = grid_dir(path)
    out_dir.mkdir(parents=True, exist_ok=True)
    done: dict = {"db_version": token, "setups": {}}
    everything = Filters(released_only=False, include_reference=True)
    for s in SETUPS:
        target = out_dir / f"{s.name}.parquet"
        if not force and _file_token(target) == token:
            done["setups"][s.name] = "current"
            continue
        t0 = time.perf_counter()
        df = fit_table(everything, path=path, precomputed=False, **s.kwargs())
        df = df.assign(assumptions=[SEP.join(a) for a in df["assumptions"]])
        stamped.write(df, target, {STAMP: token.encode(), b"landscape.setup": json.dumps(s.kwargs()).encode()})
        done["setups"][s.name] = round(time.perf_counter() - t0, 3)
    # setups no longer listed, and files left by a precompute killed mid-write (a write takes seconds)
    stamped.prune(out_dir, [s.name for s in SETUPS], STALE_TEMP_SECONDS)
    return done


def _file_token(target: Path) -> str | None:
    return stamped.stamp(target, STAMP)


_READ_CACHE: dict[tuple[str, str, str], "pd.DataFrame"] = {}


def read(name: str, path: Path | None = None, columns: tuple[str, ...] | None = None) -> "pd.DataFrame | None":
    """The precomputed fit table of setup ``name`` for the database's current version (only
    ``columns``, in that order, when given: a page that needs a few reads a few), or None (no file,
    another version's, or unreadable). A found table is memoised per version (a miss is not: the
    grid may be written a moment later); the frame is shared, so callers copy what they change."""
    token = file_version(path)
    key = (str(grid_dir(path).resolve()), token, name, columns)
    if key not in _READ_CACHE:
        df = _read(grid_dir(path) / f"{name}.parquet", token, columns)
        if df is None:
            return None
        if len(_READ_CACHE) >= 2 * (len(SETUPS) + 1):  # one version's setups (+1 while a new one arrives), whole or in part
            _READ_CACHE.pop(next(iter(_READ_CACHE)))
        _READ_CACHE[key] = df
    return _READ_CACHE[key]


def _read(target: Path, token: str, columns: tuple[str, ...] | None = None) -> "pd.DataFrame | None":
    from landscape.fit.frame import FIT_COLUMNS
    want = list(columns) if columns else FIT_COLUMNS
    if not set(want) <= set(FIT_COLUMNS):
        raise ValueError(f"not fit-table columns: {sorted(set(want) - set(FIT_COLUMNS))}")
    table = stamped.read(target, STAMP, token, None if columns is None else want)
    if table is None or table.column_names != (want if columns else FIT_COLUMNS):
        return None
    df = table.to_pandas()
    if "assumptions" in df:
        # most rows of a setup share a few assumption lists: one list per distinct text (~80 MB less
        # at 100x), and each distinct sentence once across the lists (the runtime, format and hardware
        # lines recur in every list: at 100x 29.7 -> 5 MB); no caller changes a list in place
        lists: dict[str, list[str]] = {}
        parts: dict[str, str] = {}

        def split(a: str) -> list[str]:
            return [parts.setdefault(p, p) for p in a.split(SEP)] if a else []
        df["assumptions"] = [lists[a] if a in lists else lists.setdefault(a, split(a))
                             for a in df["assumptions"].tolist()]
    return df


def deployment_classes(path: Path | None = None) -> dict[str, str]:
    """model_id -> deployment class from any precomputed setup of this version (every setup
    carries every model's class), else {}."""
    for s in SETUPS:
        df = read(s.name, path)
        if df is not None:
            return dict(zip(df["model_id"].tolist(), df["deployment_class"].tolist()))
    return {}
