"""The fit's speed-ups lose nothing: on the real mirror, the grouped KV-cache sum equals the
per-layer sum, the per-database deployment class equals the direct computation (and the ladder
climbed with a full fit on every rung), the interpolating longest-context search equals a plain
bisection, equal architectures share one object and hash, ``db.records`` equals pandas' records,
and a fit table is the same row for row as the straightforward per-model fit."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from landscape import fit, queries
from landscape.db import query_df, records
from landscape.filters import Filters
from landscape.fit import frame, memory
from landscape.fit.verdict import (DEFAULT_CLASS_SETTINGS, DEPLOYMENT_LADDER, deployment_class, fit_one,
                                    longest_context)


def per_layer_kv(arch, context, kv_dtype="bf16", seqs=1, mla_compressed=True):
    """The straightforward sum: one term per layer (kv_cache_bytes before grouping)."""
    b = memory.KV_DTYPES[kv_dtype]
    window = arch.sliding_window or context
    chunk = arch.attention_chunk_size or context
    per_seq = 0.0
    for i, kind in enumerate(memory._layer_kinds(arch)):
        if kind == "shared":
            continue
        if kind == "linear":
            per_seq += arch.linear_state_bytes_per_layer or 0
            continue
        el = memory.kv_elements_per_token_per_layer(arch, mla_compressed, kind)
        if arch.compress_ratios is not None:
            r = arch.compress_ratios[i]
            entries = min(context, window) + (math.ceil(context / r) if r else 0)
            idx = math.ceil(context / r) * (arch.index_head_dim or 0) if r == 4 else 0
            per_seq += (entries * el + idx) * b
            continue
        tokens = context if kind == "full" else min(context, window) if kind == "sliding" else min(context, chunk)
        per_seq += el * b * tokens
    return per_seq * seqs


def test_grouped_kv_cache_equals_per_layer_sum(mirror_db):
    archs = [a for a in fit.load_architectures(mirror_db).values() if a is not None and a.kv_known]
    assert len(archs) > 30
    kinds = {k for a in archs for k in (a.layer_types or ("full",))}
    assert {"full", "sliding"} <= kinds  # mixed-attention models are among them
    for a in archs:
        for ctx in (1, 4096, 32768, 131072, 1_000_003):
            for dtype, seqs, mla in (("bf16", 1, True), ("fp8", 3, False)):
                assert memory.kv_cache_bytes(a, ctx, dtype, seqs, mla) == pytest.approx(
                    per_layer_kv(a, ctx, dtype, seqs, mla), rel=1e-12), (a.sources, ctx)


def test_cached_deployment_class_equals_direct_and_follows_new_database(mirror_db):
    models = queries.models(Filters(), mirror_db)
    archs = fit.load_architectures(mirror_db)
    fit.fit_table(path=mirror_db)
    cached = frame._deployment_classes(mirror_db)
    assert len(cached) == len(models)
    for m in models.to_dict("records"):
        assert cached[m["model_id"]] == deployment_class(m, archs.get(m["model_id"]))
    import os
    import time
    ns = time.time_ns()
    os.utime(mirror_db, ns=(ns, ns))  # a new version: a fresh, empty mapping
    assert frame._deployment_classes(mirror_db) == {}


@pytest.mark.parametrize("hw,quant,context", [("rtx4090", "Q4_K_M", "32K"), ("h100", "Q4_K_M", "max"),
                                               ("8xh100", "BF16", "128K")])
def test_fit_table_equals_per_model_fit(mirror_db, hw, quant, context):
    table = fit.fit_table(hardware=hw, quant=quant, context=context, path=mirror_db)
    archs = fit.load_architectures(mirror_db)
    preset = fit.hardware_presets()[hw]
    fmt = fit.quant_formats()[quant]
    models = queries.models(Filters(), mirror_db).to_dict("records")
    assert len(table) == len(models)
    for m, row in zip(models, table.to_dict("records")):
        arch = archs.get(m["model_id"])
        want = fit_one(m, arch, preset, preset.devices, fmt, fit.parse_context(context, m), "bf16", "llama.cpp")
        for k, v in want.as_dict().items():
            got = row[k]
            if isinstance(v, float):
                assert got == pytest.approx(v, rel=1e-9, nan_ok=True), (m["model_id"], k)
            elif v is None:
                assert got is None or got != got, (m["model_id"], k)
            else:
                assert got == v, (m["model_id"], k)
        assert row["deployment_class"] == deployment_class(m, arch)


def bisect_longest(total_at, budget, limit):
    """The plain bisection the interpolating search replaced."""
    if total_at(1) > budget:
        return None
    if total_at(limit) <= budget:
        return limit
    lo, hi = 1, limit
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if total_at(mid) <= budget:
            lo = mid
        else:
            hi = mid
    return lo


# non-decreasing memory curves: a fixed part, linear layers, windowed layers (kinks), ceil-compressed
# entries (steps) and flat stretches (a fixed prefill budget)
curves = st.tuples(st.floats(0, 1e11), st.floats(0, 1e6), st.floats(0, 1e6), st.integers(1, 1 << 20),
                   st.integers(0, 128), st.integers(1, 1 << 16))


@settings(max_examples=400, deadline=None)
@given(curves, st.floats(0, 2e11), st.integers(1, 1 << 24))
def test_longest_context_search_equals_bisection(curve, budget, limit):
    fixed, per_tok, windowed, window, per_step, step = curve

    def total_at(c):
        return fixed + per_tok * c + windowed * min(c, window) + per_step * math.ceil(c / step) * 1e3

    calls = []
    assert longest_context(lambda c: calls.append(c) or total_at(c), budget, limit) == bisect_longest(
        total_at, budget, limit)
    assert len(calls) <= 2 * (limit.bit_length() + 2)  # never much worse than halving


def test_longest_context_search_on_real_fits_equals_bisection(mirror_db):
    """Every model of the mirror on three setups: the same longest context as a bisection, in
    fewer evaluations overall."""
    from landscape.fit import verdict
    archs = fit.load_architectures(mirror_db)
    calls = {"search": 0, "bisect": 0}
    real = verdict.longest_context

    def counted(key, fn):
        def f(c):
            calls[key] += 1
            return fn(c)
        return f

    def both(total_at, budget, limit):
        got = real(counted("search", total_at), budget, limit)
        assert got == bisect_longest(counted("bisect", total_at), budget, limit)
        return got

    verdict.longest_context = both
    try:
        for hw, quant, ctx in (("h100", "Q4_K_M", "max"), ("rtx4090", "Q8_0", "32K"), ("8xh100", "BF16", "128K")):
            preset = fit.hardware_presets()[hw]
            for m in queries.models(Filters(), mirror_db).to_dict("records"):
                fit_one(m, archs.get(m["model_id"]), preset, preset.devices, fit.quant_formats()[quant],
                        fit.parse_context(ctx, m), "bf16", "vLLM" if preset.devices > 1 else "llama.cpp")
    finally:
        verdict.longest_context = real
    assert calls["bisect"] > 1000
    assert calls["search"] < 0.8 * calls["bisect"]  # both pay the two end points of every search


def full_ladder_class(m, arch):
    """The deployment class with a full fit on every rung (no weights-only shortcut)."""
    if not m.get("released", True):
        return "unreleased"
    if not m.get("open_weights", True):
        return "API only"
    if m.get("total_params_b") is None or m["total_params_b"] != m["total_params_b"]:
        return "unknown"
    fmt = fit.quant_formats()[DEFAULT_CLASS_SETTINGS["quant"]]
    for cls, hw_id, gpus in DEPLOYMENT_LADDER:
        hw = fit.custom_hardware(hw_id) if isinstance(hw_id, float) else fit.hardware_presets()[hw_id]
        r = fit_one(m, arch, hw, gpus, fmt, DEFAULT_CLASS_SETTINGS["context"], DEFAULT_CLASS_SETTINGS["kv_dtype"],
                    DEFAULT_CLASS_SETTINGS["runtime"])
        if r.status in ("fits", "tight") or (r.status == "unknown" and (r.spare_gib or -1) > 0):
            return cls
    return "multi-node"


def test_deployment_class_shortcut_equals_the_full_ladder(mirror_db):
    archs = fit.load_architectures(mirror_db)
    seen = set()
    for m in queries.models(Filters(), mirror_db).to_dict("records"):
        arch = archs.get(m["model_id"])
        want = full_ladder_class(m, arch)
        assert deployment_class(m, arch) == want, m["model_id"]
        seen.add(want)
    assert {"phone", "laptop", "24 GB GPU", "single H100", "8-GPU node", "multi-node"} <= seen


def test_equal_architectures_share_one_object_and_a_cached_hash(mirror_db):
    from dataclasses import asdict, replace
    archs = [a for a in fit.load_architectures(mirror_db).values() if a is not None]
    by_value: dict = {}
    for a in archs:
        assert by_value.setdefault(a, a) is a  # an equal architecture is the same object
    a = archs[0]
    twin = replace(a)
    assert twin == a and hash(twin) == hash(a) and twin is not a
    assert "_hash" not in asdict(a)
    other = replace(a, num_layers=(a.num_layers or 0) + 1)
    assert other != a and hash(other) != hash(a)


@pytest.mark.parametrize("table", ["models", "architectures", "scores", "offerings", "licence_answers"])
def test_records_equal_pandas_records(mirror_db, table):
    df = query_df(f'SELECT * FROM "{table}"', None, mirror_db)
    assert len(df)
    want, got = df.to_dict("records"), records(df)
    assert len(got) == len(want)
    for w, g in zip(want, got):
        assert list(g) == list(w)
        for k in w:
            v = w[k]
            assert type(g[k]) is type(v), (table, k)
            assert g[k] == v or (v != v and g[k] != g[k]), (table, k)


def test_architecture_of_one_model_equals_the_whole_table(mirror_db):
    """Compare and the Model page read one model's rows; the answer is the whole table's."""
    import os
    import time
    ns = time.time_ns() + 10**9
    os.utime(mirror_db, ns=(ns, ns))  # a version whose table is not loaded yet
    ids = queries.model_ids(Filters(released_only=False, include_reference=True), mirror_db)
    one = {mid: fit.architecture_of(mid, mirror_db) for mid in ids}
    whole = fit.load_architectures(mirror_db)
    assert sum(a is not None for a in one.values()) > 50
    for mid in ids:
        assert one[mid] == whole.get(mid), mid
    assert fit.architecture_of("no/such-model", mirror_db) is None
