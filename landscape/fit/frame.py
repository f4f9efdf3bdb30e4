"""The database side of the fit: architectures per model from the warehouse (hf_config > maxtext >
curated), hardware/context parsing, ``fit_table`` (one row per filtered model), ``fit_model`` and
the vendor-claims audit."""
from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from landscape.fit.arch import Arch, arch_from_row, merge_arch
from landscape.fit.runtimes import get_runtime
from landscape.fit.tables import (Hardware, curated_architectures, custom_hardware, deployment_claims,
                                  hardware_presets, quant_formats)
from landscape.fit.verdict import FitResult, _i, deployment_class, fit_one

if TYPE_CHECKING:  # only for annotations: pandas is imported lazily by fit_table()
    import pandas as pd

CONTEXT_CHOICES = {"8K": 8192, "32K": 32768, "128K": 131072}
MAX_CONTEXT = 1 << 40
_CTX = re.compile(r"^(\d+(?:\.\d+)?)\s*([KM])?\s*(?:tokens?)?$", re.I)


def load_architectures(path: Path | None = None) -> dict[str, Arch]:
    """Architecture per model: hf_config row, gaps filled from maxtext, then our curated table.

    Memoised per database file version (``db_token``): Compare and the claims audit call fit_model
    once per model, and re-reading the table (and re-parsing every MaxText config) each time cost
    ~0.15 s a call. A newly published database has a new token, so it is read afresh. The returned
    mapping is read-only (``MappingProxyType``) because it is shared."""
    from landscape.db import db_token
    token = db_token(path)
    if token not in _ARCH_CACHE:
        if len(_ARCH_CACHE) >= 4:
            _ARCH_CACHE.pop(next(iter(_ARCH_CACHE)))
        _ARCH_CACHE[token] = MappingProxyType(_read_architectures(path))
    return _ARCH_CACHE[token]


_ARCH_CACHE: dict[str, MappingProxyType] = {}
_ONE_ARCH_CACHE: dict[tuple[str, str], Arch | None] = {}  # (version, model) -> architecture_of's answer
_CLASS_CACHE: dict[str, dict[str, str]] = {}


def _deployment_classes(path: Path | None) -> dict[str, str]:
    """``model_id -> deployment_class`` filled as fit_table meets models, per database version.

    The class depends only on the model row and its architecture (a fixed ladder of five fits), not
    on the hardware, format or context a page asks for, yet it was three quarters of every fit
    table's time (five extra fits per model). A new database version starts an empty mapping."""
    from landscape.db import db_token
    token = db_token(path)
    if token not in _CLASS_CACHE:
        if len(_CLASS_CACHE) >= 4:
            _CLASS_CACHE.pop(next(iter(_CLASS_CACHE)))
        _CLASS_CACHE[token] = {}
    return _CLASS_CACHE[token]


def architecture_of(model_id: str, path: Path | None = None) -> Arch | None:
    """``load_architectures(path).get(model_id)`` without reading every model's rows when the
    version's table is not loaded yet (Compare and the Model page ask for a handful of models)."""
    from landscape.db import db_token, query_df, records
    token = db_token(path)
    if token in _ARCH_CACHE:
        return _ARCH_CACHE[token].get(model_id)
    key = (token, model_id)
    if key not in _ONE_ARCH_CACHE:  # the Model page asks ~40 fits of one model
        if len(_ONE_ARCH_CACHE) >= 256:
            _ONE_ARCH_CACHE.pop(next(iter(_ONE_ARCH_CACHE)))
        df = query_df(f"SELECT * FROM architectures WHERE model_id = ? ORDER BY {_SOURCE_ORDER}", [model_id], path)
        _ONE_ARCH_CACHE[key] = _merged(model_id, [arch_from_row(r) for r in records(df)], curated_architectures())
    return _ONE_ARCH_CACHE[key]


_SOURCE_ORDER = "CASE source WHEN 'hf_config' THEN 0 WHEN 'maxtext' THEN 1 ELSE 2 END"  # hf_config > maxtext > curated


def _merged(model_id: str, rows: list[Arch], curated: dict) -> Arch | None:
    """One model's architecture: its warehouse rows in source order, then our curated row."""
    chain = rows + ([arch_from_row(curated[model_id])] if model_id in curated else [])
    return merge_arch(*chain) if chain else None


def _read_architectures(path: Path | None) -> dict[str, Arch]:
    from landscape.db import query_df, records
    df = query_df(f"SELECT * FROM architectures ORDER BY model_id, {_SOURCE_ORDER}", None, path)
    by: dict[str, list[Arch]] = {}
    for row in records(df):
        by.setdefault(row["model_id"], []).append(arch_from_row(row))
    cur = curated_architectures()
    out: dict[str, Arch] = {}
    shared: dict[Arch, Arch] = {}  # equal architectures (checkpoints of one config) share one object
    for mid in set(by) | set(cur):
        a = _merged(mid, by.get(mid, []), cur)
        out[mid] = a if a is None else shared.setdefault(a, a)
    return out


def resolve_hardware(hardware: str | Hardware, custom_gib: float | None = None, custom_bandwidth_gbs: float | None = None,
                     custom_tflops: float | None = None) -> Hardware:
    """A preset id, ``custom`` (memory GiB per device, optional bandwidth GB/s and dense BF16 TFLOPs),
    or a Hardware as is."""
    if isinstance(hardware, Hardware):
        return hardware
    if hardware == "custom":
        return custom_hardware(custom_gib or 0, custom_bandwidth_gbs, 1, custom_tflops)
    presets = hardware_presets()
    if hardware not in presets:
        raise ValueError(f"unknown hardware {hardware!r}; choose one of {', '.join(presets)} or custom")
    return presets[hardware]


def parse_context(context: int | str, model: dict | None = None) -> int:
    """8K/32K/128K, an integer, '1M', '1,048,576', or 'max' (the model's advertised context: an
    explicit choice). A bad value raises ValueError."""
    if isinstance(context, bool):
        raise ValueError(f"context: not a token count: {context!r}")
    if isinstance(context, str):
        c = context.strip()
        if c.upper() in CONTEXT_CHOICES:
            return CONTEXT_CHOICES[c.upper()]
        if c.lower() == "max":
            v = _i((model or {}).get("context_claimed"))
            return v or 8192
        if re.fullmatch(r"\d{1,3}(,\d{3})+", c):
            c = c.replace(",", "")
        m = _CTX.match(c)
        if not m:
            raise ValueError(f"context: not a token count like '128K': {c[:30]!r}")
        x = float(m.group(1)) * {"K": 1024, "M": 1024 * 1024, "": 1}[(m.group(2) or "").upper()]
        if not x.is_integer():
            raise ValueError(f"context: not a whole number of tokens: {c[:30]!r}")
        n = int(x)
    else:
        n = int(context)
    if n <= 0 or n > MAX_CONTEXT:
        raise ValueError(f"context: implausible token count {str(n)[:20]}")
    return n


FIT_COLUMNS = ["model_id", "name", "family", "vendor", "licence_id", "open_weights", "is_moe", "total_params_b",
               "active_params_b", "status", "verdict", "fits", "weights_gib", "kv_cache_gib", "overhead_gib",
               "total_gib", "total_gib_low", "total_gib_high", "usable_gib", "spare_gib", "context", "max_context",
               "max_context_low", "max_context_high",
               "decode_tokens_per_s", "decode_tokens_per_s_low", "decode_tokens_per_s_high", "prompt_tokens",
               "answer_tokens", "request_seconds", "request_seconds_low", "request_seconds_high", "kv_bytes_per_token",
               "attention", "estimate_basis", "deployment_class", "assumptions"]


def fit_table(filters=None, hardware: str | Hardware = "h100", gpus: int | None = None, quant: str = "Q4_K_M",
              context: int | str = 32768, kv_dtype: str = "bf16", runtime: str = "llama.cpp",
              path: Path | None = None, seqs: int = 1, custom_gib: float | None = None, *,
              custom_bandwidth_gbs: float | None = None, custom_tflops: float | None = None,
              prompt_tokens: int | None = None, answer_tokens: int | None = None,
              precomputed: bool = True, columns: tuple[str, ...] | None = None) -> "pd.DataFrame":
    """One row per filtered model: the fit on ``hardware`` x ``gpus`` at ``quant``/``context``.

    ``gpus`` defaults to the preset's device count (8 for node presets). ``context`` may be an int,
    '8K'/'32K'/'128K', or 'max' (each model's advertised context). Columns: ``FIT_COLUMNS``;
    ``assumptions`` is a list of strings per row. A setup of ``grid.SETUPS`` is read from the
    database version's precomputed grid when there is one (``precomputed=False`` computes).
    ``columns`` (which must include ``model_id``): only those, in that order (a precomputed setup
    then reads only them from its file).
    """
    import pandas as pd

    from landscape import queries
    from landscape.db import records
    from landscape.filters import Filters
    from landscape.fit import grid
    hw = resolve_hardware(hardware, custom_gib, custom_bandwidth_gbs, custom_tflops)
    g = int(gpus or hw.devices)
    if g < 1:
        raise ValueError("gpus must be >= 1")
    get_runtime(runtime)
    fmt = _format(quant)
    if precomputed:
        name = grid.setup_key(hardware, g, quant, context, kv_dtype, runtime, seqs, custom_gib,
                              custom_bandwidth_gbs, custom_tflops, prompt_tokens, answer_tokens)
        if columns is not None and "model_id" not in columns:
            raise ValueError("columns must include model_id")
        table = grid.read(name, path, columns) if name else None
        if table is not None:
            import numpy as np
            pos = pd.Index(table["model_id"]).get_indexer(queries.model_ids(filters or Filters(), path))
            if (pos >= 0).all():  # every model of this version is in its grid
                if len(pos) == len(table) and (pos == np.arange(len(pos))).all():  # all, in order: share
                    return table.reset_index(drop=True).infer_objects()  # the grid's memory (copy-on-write)
                return table.take(pos).reset_index(drop=True).infer_objects()
    models = queries.models(filters or Filters(), path)
    archs = load_architectures(path)
    classes = _deployment_classes(path)
    if not classes and precomputed:
        classes.update(grid.deployment_classes(path))
    rows = []
    for m in records(models):
        arch = archs.get(m["model_id"])
        ctx = parse_context(context, m)
        r = fit_one(m, arch, hw, g, fmt, ctx, kv_dtype, runtime, seqs, prompt_tokens, answer_tokens)
        d = r.as_dict()
        d.update({k: m.get(k) for k in ("family", "vendor", "licence_id", "open_weights", "is_moe",
                                        "total_params_b", "active_params_b")})
        if m["model_id"] not in classes:
            classes[m["model_id"]] = deployment_class(m, arch)
        d["deployment_class"] = classes[m["model_id"]]
        rows.append(d)
    df = pd.DataFrame(rows, columns=FIT_COLUMNS)
    return df if columns is None else df[list(columns)]


def fit_model(model_id: str, hardware: str | Hardware = "h100", gpus: int | None = None, quant: str = "Q4_K_M",
              context: int | str = 32768, kv_dtype: str = "bf16", runtime: str = "llama.cpp",
              path: Path | None = None, seqs: int = 1, custom_gib: float | None = None, *,
              custom_bandwidth_gbs: float | None = None, custom_tflops: float | None = None,
              prompt_tokens: int | None = None, answer_tokens: int | None = None) -> FitResult:
    """The fit of one registry model (any release state). Raises KeyError for an unknown id."""
    from landscape.db import query_df, records
    df = query_df("SELECT * FROM models WHERE model_id = ?", [model_id], path)
    if df.empty:
        raise KeyError(model_id)
    m = records(df)[0]
    hw = resolve_hardware(hardware, custom_gib, custom_bandwidth_gbs, custom_tflops)
    fmt = _format(quant)
    arch = architecture_of(model_id, path)
    return fit_one(m, arch, hw, int(gpus or hw.devices), fmt, parse_context(context, m), kv_dtype, runtime, seqs,
                   prompt_tokens, answer_tokens)


def _format(quant: str):
    fmt = quant_formats().get(quant)
    if fmt is None:
        raise ValueError(f"unknown format {quant!r}; choose one of {', '.join(quant_formats())}")
    return fmt


AUDIT_FALLBACK_HARDWARE = {"8xh100": "8xh200", "h100": "h200"}


def audit_claims(path: Path | None = None, runtime: str = "vLLM") -> list[dict]:
    """Recompute each vendor deployment claim (data/deployment_claims.csv): whether it holds at
    8K context, the longest context for which it holds (BF16 and FP8 KV cache), the same model in
    BF16, and, when the claim fails, the next larger hardware."""
    out = []
    for c in deployment_claims():
        try:
            r = fit_model(c["model_id"], c["hardware_id"], c["gpus"], c["format"], 8192, "bf16", runtime, path)
        except KeyError:
            continue
        r8 = fit_model(c["model_id"], c["hardware_id"], c["gpus"], c["format"], 8192, "fp8", runtime, path)
        bf16 = fit_model(c["model_id"], c["hardware_id"], c["gpus"], "BF16", 8192, "bf16", runtime, path)
        alt = None
        if not r.max_context and c["hardware_id"] in AUDIT_FALLBACK_HARDWARE:
            hw2 = AUDIT_FALLBACK_HARDWARE[c["hardware_id"]]
            a = fit_model(c["model_id"], hw2, c["gpus"], c["format"], 8192, "bf16", runtime, path)
            alt = {"hardware_id": hw2, "hardware": hardware_presets()[hw2].name, "verdict_8k": a.verdict,
                   "max_context": a.max_context}
        out.append({**c, "runtime": runtime, "holds": bool(r.max_context and r.max_context >= 8192),
                    "max_context": r.max_context, "max_context_fp8_kv": r8.max_context,
                    "weights_gib": r.weights_gib, "usable_gib": r.usable_gib, "total_gib_8k": r.total_gib,
                    "kv_bytes_per_token": r.kv_bytes_per_token, "verdict_8k": r.verdict,
                    "bf16_verdict_8k": bf16.verdict, "alternative": alt, "assumptions": r.assumptions})
    return out
