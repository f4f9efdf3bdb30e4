"""The warehouse schema: frozen table contracts that sources must fit.

Every source-owned table has a ``source`` column; the load rule is *replace by source*:
a successful refresh of source S deletes S's rows and inserts the new ones; a failed
refresh of S copies S's rows unchanged from the last published database.
A normaliser that emits an undeclared column, or a value of the wrong type, fails its
source loudly (``SchemaError``) instead of silently widening the table.
"""
from __future__ import annotations

import math
from datetime import date, datetime, timezone

# table -> ordered (column, duckdb type, nullable)
TABLES: dict[str, list[tuple[str, str, bool]]] = {
    "models": [
        ("model_id", "VARCHAR", False), ("name", "VARCHAR", False), ("family", "VARCHAR", False),
        ("vendor", "VARCHAR", False), ("release_date", "DATE", True), ("open_weights", "BOOLEAN", False),
        ("released", "BOOLEAN", False), ("total_params_b", "DOUBLE", True), ("active_params_b", "DOUBLE", True),
        ("experts_total", "INTEGER", True), ("experts_active", "INTEGER", True), ("is_moe", "BOOLEAN", True),
        ("context_claimed", "BIGINT", True), ("licence_id", "VARCHAR", True), ("base_model", "VARCHAR", True),
        ("modalities", "VARCHAR", False), ("reference", "BOOLEAN", False), ("note", "VARCHAR", True),
        ("discovered", "BOOLEAN", True), ("first_seen", "DATE", True),
        ("source_url", "VARCHAR", False),
    ],
    "aliases": [
        ("model_id", "VARCHAR", False), ("alias", "VARCHAR", False),
    ],
    "architectures": [
        ("model_id", "VARCHAR", False), ("source", "VARCHAR", False), ("config_repo", "VARCHAR", False),
        ("model_type", "VARCHAR", True), ("num_layers", "INTEGER", True), ("hidden_size", "INTEGER", True),
        ("num_attention_heads", "INTEGER", True), ("num_kv_heads", "INTEGER", True), ("head_dim", "INTEGER", True),
        ("intermediate_size", "INTEGER", True), ("vocab_size", "INTEGER", True),
        ("max_position_embeddings", "BIGINT", True), ("rope_scaling", "VARCHAR", True),
        ("sliding_window", "INTEGER", True), ("layer_types", "VARCHAR", True),
        ("attention_chunk_size", "INTEGER", True), ("kv_lora_rank", "INTEGER", True),
        ("q_lora_rank", "INTEGER", True), ("qk_rope_head_dim", "INTEGER", True),
        ("qk_nope_head_dim", "INTEGER", True), ("v_head_dim", "INTEGER", True),
        ("num_experts", "INTEGER", True), ("num_experts_per_tok", "INTEGER", True),
        ("num_shared_experts", "INTEGER", True), ("moe_intermediate_size", "INTEGER", True),
        ("first_k_dense", "INTEGER", True), ("moe_layer_step", "INTEGER", True),
        ("torch_dtype", "VARCHAR", True), ("quantization", "VARCHAR", True),
        ("config_json", "VARCHAR", False), ("as_of", "DATE", True), ("source_url", "VARCHAR", False),
    ],
    "scores": [
        ("model_id", "VARCHAR", False), ("source", "VARCHAR", False), ("benchmark", "VARCHAR", False),
        ("setting", "VARCHAR", False), ("value", "DOUBLE", False), ("unit", "VARCHAR", False),
        ("ci_low", "DOUBLE", True), ("ci_high", "DOUBLE", True), ("votes", "BIGINT", True),
        ("vendor_claimed", "BOOLEAN", False), ("raw_name", "VARCHAR", False), ("as_of", "DATE", True),
        ("source_url", "VARCHAR", False),
        # who measured: developer / other vendor / independent (etl/sources/evalcommon.REPORTED_BY); NULL = unknown
        ("reported_by", "VARCHAR", True),
    ],
    "unmatched": [
        ("source", "VARCHAR", False), ("raw_name", "VARCHAR", False), ("rows", "INTEGER", False),
        # why it could not be placed (etl/unmatched_reasons.py category; detail: the matcher's refusal when it
        # refused one, else the classifier's evidence); NULL only on rows carried from an older database
        ("reason", "VARCHAR", True), ("reason_detail", "VARCHAR", True),
    ],
    # quantised / re-packaged copies of a registered model (etl/discovery.py): never models themselves
    "derivatives": [
        ("model_id", "VARCHAR", False), ("repo", "VARCHAR", False), ("org", "VARCHAR", False),
        ("format", "VARCHAR", False), ("official", "BOOLEAN", False), ("downloads", "BIGINT", True),
        ("created", "DATE", True), ("as_of", "DATE", True), ("source_url", "VARCHAR", False),
    ],
    # provider offerings of a model (etl/sources/litellm.py, openrouter.py): what hosts serve
    "offerings": [
        ("model_id", "VARCHAR", False), ("source", "VARCHAR", False), ("provider", "VARCHAR", False),
        ("via", "VARCHAR", True), ("variant", "VARCHAR", True), ("context_window", "BIGINT", True),
        ("max_output", "BIGINT", True), ("input_usd_per_mtok", "DOUBLE", True),
        ("output_usd_per_mtok", "DOUBLE", True), ("quantisation", "VARCHAR", True), ("note", "VARCHAR", True),
        ("raw_name", "VARCHAR", False), ("as_of", "DATE", True), ("source_url", "VARCHAR", False),
    ],
    # curated licence facts (data/licences.yaml via etl/sources/licences.py)
    "licences": [
        ("licence_id", "VARCHAR", False), ("source", "VARCHAR", False), ("name", "VARCHAR", False),
        ("source_url", "VARCHAR", False), ("primary_text_read", "VARCHAR", False), ("read_note", "VARCHAR", True),
        ("osi_approved", "BOOLEAN", False), ("weights_available", "BOOLEAN", False),
        ("commercial", "VARCHAR", False), ("commercial_clause", "VARCHAR", True),
        ("mau_threshold", "BIGINT", True), ("mau_clause", "VARCHAR", True), ("attribution", "VARCHAR", True),
        ("branding_required", "BOOLEAN", False), ("derivative_naming", "VARCHAR", True),
        ("naming_clause", "VARCHAR", True), ("eu_restriction", "VARCHAR", False),
        ("eu_multimodal_only", "BOOLEAN", False), ("eu_clause", "VARCHAR", True),
        ("use_policy_passdown", "VARCHAR", False), ("use_policy_url", "VARCHAR", True),
        ("outputs_training", "VARCHAR", False), ("outputs_clause", "VARCHAR", True),
    ],
    # per (model, use case): yes / no / conditional / unknown (etl/licence_rules.py)
    "licence_answers": [
        ("model_id", "VARCHAR", False), ("source", "VARCHAR", False), ("use_case", "VARCHAR", False),
        ("answer", "VARCHAR", False), ("clause", "VARCHAR", False), ("source_url", "VARCHAR", False),
        ("terms", "VARCHAR", False), ("threshold", "BIGINT", True), ("answer_within", "VARCHAR", True),
    ],
    # Hugging Face Hub model metadata (etl/sources/hf_hub.py, live only)
    "hub_metadata": [
        ("model_id", "VARCHAR", False), ("source", "VARCHAR", False), ("repo", "VARCHAR", False),
        ("params_total", "BIGINT", True), ("params_by_dtype", "VARCHAR", True), ("licence_tag", "VARCHAR", True),
        ("licence_name", "VARCHAR", True), ("gated", "VARCHAR", True), ("downloads", "BIGINT", True),
        ("likes", "BIGINT", True), ("created_at", "TIMESTAMP", True), ("last_modified", "TIMESTAMP", True),
        ("as_of", "DATE", True), ("source_url", "VARCHAR", False),
    ],
    "sources": [
        ("name", "VARCHAR", False), ("url", "VARCHAR", False), ("fetched_at", "TIMESTAMP", True),
        ("status", "VARCHAR", False), ("rows", "INTEGER", False), ("matched", "INTEGER", False),
        ("unmatched", "INTEGER", False), ("error", "VARCHAR", True), ("origin", "VARCHAR", True),
        ("as_of", "DATE", True), ("refreshed_at", "TIMESTAMP", False),
        ("frozen", "BOOLEAN", False),  # archived upstream: no new data will come (Source.frozen)
    ],
    # rows a source delivered that broke its contract or failed validation (etl/contracts.py)
    "quarantine": [
        ("source", "VARCHAR", False), ("target_table", "VARCHAR", False), ("stage", "VARCHAR", False),
        ("reason", "VARCHAR", False), ("raw", "VARCHAR", False), ("source_url", "VARCHAR", True),
        ("quarantined_at", "TIMESTAMP", False),
    ],
}

# Views: rules every reader shares, defined once here: created as views with the tables, and
# materialised as tables of the same name when a database is published (etl.loader.materialise_views).
# score_latest = every score with three "latest" flags, each the newest dated result (undated last),
# the best value among settings on that date (ties: source, setting, raw name), claimed and
# independent results never ranked together:
#   latest_in_setting  per (model, benchmark, source, setting)   -- leaderboards without history
#   latest_in_source   per (model, benchmark, source)            -- "latest independent score" from a source
#   latest             per (model, benchmark) over every source  -- compare, presets
_LATEST_ORDER = "ORDER BY as_of DESC NULLS LAST, value DESC, source, setting, raw_name"
VIEWS: dict[str, str] = {
    "score_latest": f"""
        SELECT s.*,
               row_number() OVER (PARTITION BY model_id, benchmark, vendor_claimed, source, setting
                                  {_LATEST_ORDER}) = 1 AS latest_in_setting,
               row_number() OVER (PARTITION BY model_id, benchmark, vendor_claimed, source
                                  {_LATEST_ORDER}) = 1 AS latest_in_source,
               row_number() OVER (PARTITION BY model_id, benchmark, vendor_claimed
                                  {_LATEST_ORDER}) = 1 AS latest
        FROM scores s""",
    # one row per (benchmark, source): what the benchmark pickers list, for all rows and for
    # independent rows only (the counts every page's picker shows)
    "score_sources": """
        SELECT benchmark, source, any_value(unit) AS unit, bool_or(vendor_claimed) AS vendor_claimed,
               count(DISTINCT model_id) AS models, count(*) AS rows, max(as_of) AS latest,
               any_value(unit) FILTER (WHERE NOT vendor_claimed) AS independent_unit,
               count(DISTINCT model_id) FILTER (WHERE NOT vendor_claimed) AS independent_models,
               count(*) FILTER (WHERE NOT vendor_claimed) AS independent_rows,
               max(as_of) FILTER (WHERE NOT vendor_claimed) AS independent_latest
        FROM scores GROUP BY benchmark, source""",
}

# the row order a materialised view is stored in: readers filter score_latest by benchmark (every
# chart and leaderboard), and rows stored by benchmark let DuckDB skip the row groups of the others
# (a Landscape query at 100x: 18 -> 7 ms). Readers never rely on it: their queries say ORDER BY.
VIEW_ORDER: dict[str, str] = {"score_latest": "benchmark, source, model_id"}

# tables whose rows belong to one source (load rule: replace by source)
SOURCE_OWNED = {t: "source" for t in ("architectures", "scores", "unmatched", "quarantine", "offerings",
                                       "licences", "licence_answers", "hub_metadata")}
PY_TYPES = {
    "VARCHAR": (str,), "DATE": (date,), "BOOLEAN": (bool,), "DOUBLE": (int, float),
    "INTEGER": (int,), "BIGINT": (int,), "TIMESTAMP": (datetime,),
}


class SchemaError(ValueError):
    pass


def ddl(table: str) -> str:
    cols = ", ".join(f'"{c}" {t}{"" if null else " NOT NULL"}' for c, t, null in TABLES[table])
    return f'CREATE TABLE "{table}" ({cols})'


def view_ddl(view: str) -> str:
    return f'CREATE VIEW "{view}" AS {VIEWS[view]}'


def validate_row(table: str, row: dict) -> tuple:
    """Check a row against the contract; return it as a tuple in column order."""
    if table not in TABLES:
        raise SchemaError(f"unknown table {table!r}")
    cols = TABLES[table]
    extra = set(row) - {c for c, _, _ in cols}
    if extra:
        raise SchemaError(f"{table}: undeclared column(s) {sorted(extra)}")
    out = []
    for col, typ, nullable in cols:
        v = row.get(col)
        if isinstance(v, float) and math.isnan(v):
            v = None
        if v is None:
            if not nullable:
                raise SchemaError(f"{table}.{col}: missing value")
            out.append(None)
            continue
        ok = PY_TYPES[typ]
        if typ == "DATE" and isinstance(v, datetime):
            v = v.date()
        if typ == "TIMESTAMP" and isinstance(v, datetime) and v.tzinfo is not None:
            v = v.astimezone(timezone.utc).replace(tzinfo=None)  # timestamps are stored as naive UTC
        if (typ in ("INTEGER", "BIGINT", "DOUBLE") and isinstance(v, bool)) or not isinstance(v, ok):
            raise SchemaError(f"{table}.{col}: expected {typ}, got {type(v).__name__} {str(v)[:40]!r}")
        if typ == "DOUBLE" and not math.isfinite(float(v)):
            raise SchemaError(f"{table}.{col}: not a finite number")
        out.append(v)
    return tuple(out)
