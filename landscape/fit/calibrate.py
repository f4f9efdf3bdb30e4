"""Calibration of the speed and memory constants on measured rows, and the held-out splits that
say how wrong they are (used by bench/fit_validation.py and tests; pure numpy).

A decode row is (features, measured seconds per token); the model is linear in its coefficients
(see ``speed.decode_features``), fitted by non-negative least squares on relative error. A
coefficient whose feature is zero on every training row is left out, so prediction falls back
(``speed.coefficient``): unseen kernel class -> the runtime's BF16 coefficient; unseen runtime ->
the pooled ``default.*`` fit over every runtime. Memory rows fit the transformers activation
factor and the allocator's fixed bytes the same way.
"""
from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field

import numpy as np

from landscape.fit.speed import SHARED_SCOPES


def nnls(a: np.ndarray, b: np.ndarray, max_iter: int = 500) -> np.ndarray:
    """Lawson-Hanson non-negative least squares: argmin ||a x - b|| with x >= 0."""
    m, n = a.shape
    x = np.zeros(n)
    passive = np.zeros(n, dtype=bool)
    w = a.T @ (b - a @ x)
    for _ in range(max_iter):
        if passive.all() or w[~passive].max(initial=-np.inf) <= 1e-12:
            break
        j = int(np.argmax(np.where(passive, -np.inf, w)))
        passive[j] = True
        while True:
            z = np.zeros(n)
            z[passive] = np.linalg.lstsq(a[:, passive], b, rcond=None)[0]
            if (z[passive] > 0).all():
                x = z
                break
            neg = passive & (z <= 0)
            alpha = np.min(x[neg] / (x[neg] - z[neg]))
            x = x + alpha * (z - x)
            passive &= x > 1e-15
        w = a.T @ (b - a @ x)
    return x


@dataclass
class DecodeRow:
    key: str  # model identity for leave-one-model-out
    family: str
    runtime: str
    features: dict[str, float]
    seconds: float  # measured seconds per decoded token
    eager: bool = False  # time = max(host part, device part) (speed.combine)
    meta: dict = field(default_factory=dict)


def _pooled(features: dict[str, float]) -> dict[str, float]:
    out: dict[str, float] = {}
    for k, v in features.items():
        rt, _, name = k.rpartition(".")
        key = k if rt in SHARED_SCOPES else f"default.{name}"
        out[key] = out.get(key, 0.0) + v
    return out


KV_KEY = "attn.kv"


def bounded_below_by_one(key: str) -> bool:
    """Bytes / bandwidth coefficients are 1 / achieved efficiency: never below 1 (no runtime reads
    faster than the memory's peak bandwidth)."""
    name = key.rpartition(".")[2]
    return name.startswith("k_") or name == "kv"


def kv_slope(rows: list["DecodeRow"]) -> float | None:
    """The KV-read coefficient from how the same setup (model, runtime, format, devices) slows down as
    its context grows: per group, the least-squares slope of seconds on KV bytes / bandwidth; the
    median over groups, at least 1. Eager rows (host-bound) say nothing about it. None without groups."""
    groups: dict = {}
    for r in rows:
        x = r.features.get(KV_KEY)
        if x and not r.eager and r.meta.get("group") is not None:
            groups.setdefault(r.meta["group"], []).append((x, r.seconds))
    slopes = []
    for pts in groups.values():
        if len({round(x, 12) for x, _ in pts}) < 2:
            continue
        xs = np.array([x for x, _ in pts])
        ys = np.array([y for _, y in pts])
        slopes.append(float(np.polyfit(xs, ys, 1)[0]))
    return max(1.0, statistics.median(slopes)) if slopes else None


def kv_from_requests(groups: list[list[tuple[float, float, float]]]) -> float | None:
    """The KV-read coefficient from request rows where decode rows cannot give it: per setup measured
    at 3+ prompt lengths, least squares of request seconds = c0 + c_kv x (answer x KV bytes read per
    token at the mean context / bandwidth) + c_pf x (prefill FLOPs / peak); c0 carries the weight reads
    and floors, which do not change with the prompt. Median c_kv over setups, at least 1; None without any."""
    out = []
    for pts in groups:
        if len({round(k, 12) for k, _, _ in pts}) < 3:
            continue
        a = np.array([[1.0, k, p] for k, p, _ in pts])
        y = np.array([t for _, _, t in pts])
        out.append(float(np.linalg.lstsq(a, y, rcond=None)[0][1]))
    return max(1.0, statistics.median(out)) if out else None


def _fit(rows: list[tuple[dict[str, float], float]], fixed: dict[str, float] | None = None) -> dict[str, float]:
    """NNLS on relative error; k_* coefficients fitted as 1 + c with c >= 0; ``fixed`` coefficients
    are taken as given (their terms moved to the measured side)."""
    fixed = fixed or {}
    rows = [({k: v for k, v in f.items() if k not in fixed}, t - sum(fixed[k] * v for k, v in f.items() if k in fixed))
            for f, t in rows]
    rows = [(f, t) for f, t in rows if t > 0]
    keys = sorted({k for f, _ in rows for k, v in f.items() if v})
    if not keys:
        return {}
    one = np.array([1.0 if bounded_below_by_one(k) else 0.0 for k in keys])
    a = np.array([[f.get(k, 0.0) / t for k in keys] for f, t in rows])
    b = np.ones(len(rows)) - a @ one
    scale = a.max(axis=0)
    scale[scale == 0] = 1
    x = nnls(a / scale, b) / scale + one
    return {**{k: float(v) for k, v in zip(keys, x)}, **fixed}


def _fit_eager(rows: list[DecodeRow], features, fixed: dict[str, float]) -> dict[str, float]:
    """Fit with max(host, device) rows: alternate between assigning each eager row to the part that
    dominates under the current coefficients and refitting (a row then trains only that part)."""
    from landscape.fit.speed import is_host
    regime = {i: None for i, r in enumerate(rows) if r.eager}
    cal: dict[str, float] = {}
    for _ in range(12):
        data = []
        for i, r in enumerate(rows):
            f = features(r)
            if r.eager and regime[i] is not None:
                f = {k: v for k, v in f.items() if is_host(k) == (regime[i] == "host")}
            data.append((f, r.seconds))
        cal = _fit(data, fixed)
        new = {}
        for i in regime:
            f = features(rows[i])
            host = sum(cal.get(k, 0.0) * v for k, v in f.items() if is_host(k))
            dev = sum(cal.get(k, 0.0) * v for k, v in f.items() if not is_host(k))
            new[i] = "host" if host >= dev else "device"
        if new == regime:
            break
        regime = new
    return cal


MIN_MODELS, MIN_ROWS = 2, 3  # a per-runtime coefficient needs measurements of 2+ models in 3+ rows


def _supported(rows: list[DecodeRow]) -> set[str]:
    models: dict[str, set] = {}
    count: dict[str, int] = {}
    for r in rows:
        for k, v in r.features.items():
            if v:
                models.setdefault(k, set()).add(r.key)
                count[k] = count.get(k, 0) + 1
    return {k for k in models if len(models[k]) >= MIN_MODELS and count[k] >= MIN_ROWS}


def _thin_to_default(features: dict[str, float], supported: set[str]) -> dict[str, float]:
    """A coefficient seen on too few models would be fitted to one point: its term is priced by the
    pooled ``default.*`` coefficient instead (and the runtime falls back to it when predicting)."""
    out: dict[str, float] = {}
    for k, v in features.items():
        rt, _, name = k.rpartition(".")
        key = k if (k in supported or rt in SHARED_SCOPES) else f"default.{name}"
        out[key] = out.get(key, 0.0) + v
    return out


def fit_decode(rows: list[DecodeRow], kv_fallback: float | None = None) -> dict[str, float]:
    """Per-runtime coefficients plus the pooled ``default.*`` ones (for a runtime never measured),
    pooled over the CUDA serving runtimes (graphs, no Python loop): neither an eager Python loop nor
    Metal's launch costs is a guide to an unmeasured CUDA server."""
    # the KV coefficient is identifiable only where one setup was measured at several contexts:
    # then it is fitted with the rest; otherwise ``kv_fallback`` (from request rows, kv_from_requests)
    # or the bandwidth bound (1.0)
    fixed = {} if kv_slope(rows) is not None else {KV_KEY: kv_fallback or 1.0}
    supported = _supported(rows)
    cal = _fit_eager(rows, lambda r: _thin_to_default(r.features, supported), fixed)
    cal = {k: v for k, v in cal.items() if not k.startswith("default.")}
    pooled = _fit_eager([r for r in rows if not r.eager and not r.runtime.endswith("-metal")],
                        lambda r: _pooled(r.features), fixed)
    cal.update({k: v for k, v in pooled.items() if k.startswith("default.")})
    return cal


def fit_ratio(xs: list[float], ys: list[float], base: list[float]) -> float | None:
    """argmin_c sum((base + c x) / y - 1)^2 (closed form; c >= 0)."""
    num = sum(x / y * (1 - b / y) for x, y, b in zip(xs, ys, base))
    den = sum((x / y) ** 2 for x, y in zip(xs, ys))
    return max(num / den, 0.0) if den else None


def summary(errors: list[float]) -> dict[str, float]:
    """median / p90 / worst of |error| in percent, and the signed median."""
    if not errors:
        return {"n": 0, "median": math.nan, "p90": math.nan, "worst": math.nan, "bias": math.nan}
    a = sorted(abs(e) for e in errors)
    p90 = a[min(len(a) - 1, math.ceil(0.9 * len(a)) - 1)]
    return {"n": len(a), "median": 100 * statistics.median(a), "p90": 100 * p90, "worst": 100 * a[-1],
            "bias": 100 * statistics.median(errors)}


def quantiles(ratios: list[float], lo: float = 0.1, hi: float = 0.9) -> tuple[float, float]:
    s = sorted(ratios)
    q = np.quantile(np.array(s), [lo, hi])
    return float(q[0]), float(q[1])
