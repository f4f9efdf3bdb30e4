"""The fit's speed-ups lose nothing: on the real mirror, the grouped KV-cache sum equals the
per-layer sum, the per-database deployment class equals the direct computation, and a fit table
is the same row for row as the straightforward per-model fit."""
from __future__ import annotations

import math

import pytest

from landscape import fit, queries
from landscape.filters import Filters
from landscape.fit import frame, memory
from landscape.fit.verdict import deployment_class, fit_one


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
