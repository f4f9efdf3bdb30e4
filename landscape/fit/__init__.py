"""Deployment fit: will a model run on given hardware, how much memory, how fast (estimates with
their measured error).

Package layout (each module one concern; no streamlit, and never the ETL):
``tables`` curated CSVs (formats, hardware, claims, calibration), ``arch`` architecture derivation
from configs / warehouse rows, ``runtimes`` runtime profiles as keyword flags, ``memory`` weights /
KV cache / activations, ``speed`` decode / prefill / request time, ``verdict`` one model on one setup
(ranges, verdict text, longest context, class), ``calibrate`` the least-squares fit and its
held-out splits, ``frame`` the database side (``fit_table``, ``fit_model``, ``audit_claims``), ``grid``
the fit tables precomputed once per published database for the pages' default setups.

Units: bytes inside, GiB (2**30 bytes) in every output column named ``*_gib``; bandwidth in GB/s
(1e9 bytes/s) as vendors state it. ``assumptions`` lists what each result rests on.
"""
from landscape.fit.arch import (ARCH_COLUMNS, Arch, arch_from_config, arch_from_row, derive_layer_types,
                                layer_counts, merge_arch, param_breakdown, row_from_config)
from landscape.fit.frame import (AUDIT_FALLBACK_HARDWARE, CONTEXT_CHOICES, FIT_COLUMNS, architecture_of, audit_claims,
                                 fit_model, fit_table, load_architectures, parse_context, resolve_hardware)
from landscape.fit.memory import (ACT_FFN_FACTOR, KV_DTYPES, activation_bytes, config_params_b,
                                  transformers_allocator_gib,
                                  embedding_params, ffn_width, kv_bytes_per_token, kv_cache_bytes,
                                  kv_elements_per_token_per_layer, tp_check, weights_bytes)
from landscape.fit.runtimes import RUNTIMES, Runtime, get_runtime
from landscape.fit.speed import (SpeedInputs, calibration_key, decode_features, decode_seconds,
                                 is_metal, prefill_seconds, read_bytes, request_seconds)
from landscape.fit.tables import (GIB, Hardware, QuantFormat, calibration, curated_architectures,
                                  custom_hardware, deployment_claims, hardware_presets, quant_formats)
from landscape.fit.verdict import (DEFAULT_CLASS_SETTINGS, DEPLOYMENT_CLASS_NOTE, DEPLOYMENT_LADDER,
                                   TIGHT_FRACTION, TIGHT_MIN_GIB, FitResult, context_limit, deployment_class,
                                   error_range, fit_one, longest_context)

from landscape.fit import calibrate, grid, speed  # noqa: E402  (submodules used as fit.speed / fit.calibrate / fit.grid)

__all__ = [
    "ACT_FFN_FACTOR", "ARCH_COLUMNS", "architecture_of", "AUDIT_FALLBACK_HARDWARE", "Arch", "CONTEXT_CHOICES",
    "DEFAULT_CLASS_SETTINGS", "DEPLOYMENT_CLASS_NOTE", "DEPLOYMENT_LADDER", "FIT_COLUMNS", "FitResult", "GIB",
    "Hardware", "KV_DTYPES", "QuantFormat", "RUNTIMES", "Runtime", "SpeedInputs", "TIGHT_FRACTION",
    "TIGHT_MIN_GIB", "activation_bytes", "arch_from_config", "arch_from_row", "audit_claims", "calibration",
    "calibration_key", "config_params_b", "context_limit", "curated_architectures", "custom_hardware",
    "decode_features", "decode_seconds", "deployment_claims", "deployment_class", "derive_layer_types",
    "embedding_params", "error_range", "ffn_width", "fit_model", "fit_one", "fit_table", "get_runtime",
    "hardware_presets", "is_metal", "kv_bytes_per_token", "kv_cache_bytes", "kv_elements_per_token_per_layer",
    "layer_counts", "load_architectures", "longest_context", "merge_arch", "param_breakdown", "parse_context",
    "prefill_seconds", "quant_formats", "read_bytes", "request_seconds", "resolve_hardware",
    "row_from_config", "tp_check", "transformers_allocator_gib", "weights_bytes", "calibrate", "grid", "speed"
]
