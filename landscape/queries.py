"""Every SQL query the app runs. Bound parameters only; results as pandas DataFrames."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from landscape.db import query_df
from landscape.filters import Filters
from landscape.evals import benchmark_label  # noqa: F401  (re-exported: pages use queries.benchmark_label)
from landscape.tiers import tier_case_sql

def models(filters: Filters | None = None, path: Path | None = None) -> pd.DataFrame:
    where, params = (filters or Filters()).where("m")
    sql = f"""
        SELECT m.*, {tier_case_sql('m.total_params_b')} AS tier
        FROM models m WHERE {where}
        ORDER BY m.family, m.total_params_b NULLS LAST, m.name"""
    return query_df(sql, params, path)


def facet_values(path: Path | None = None) -> dict[str, list[str]]:
    df = query_df("SELECT DISTINCT family, vendor FROM models WHERE NOT reference ORDER BY 1, 2", None, path)
    return {"families": sorted(df["family"].unique().tolist()), "vendors": sorted(df["vendor"].unique().tolist())}


def score_options(independent_only: bool = True, path: Path | None = None) -> pd.DataFrame:
    """Benchmarks available to chart: one row per (benchmark, source) with counts and units. The first
    (the Landscape default) covers the most models released within 180 days of the newest release, so the
    default view shows the current field; then most models; headline scores before their categories."""
    sql = """
        WITH newest AS (SELECT max(release_date) AS d FROM models WHERE released)
        SELECT s.benchmark, s.source, any_value(s.unit) AS unit, count(DISTINCT s.model_id) AS models,
               max(s.as_of) AS latest,
               count(DISTINCT CASE WHEN m.release_date >= newest.d - INTERVAL 180 DAY THEN s.model_id END)
                   AS recent_models
        FROM scores s JOIN models m USING (model_id), newest WHERE (NOT ? OR NOT s.vendor_claimed)
        GROUP BY s.benchmark, s.source
        ORDER BY recent_models DESC, models DESC, contains(s.benchmark, ':'), s.benchmark"""
    return query_df(sql, [independent_only], path)


def landscape_points(filters: Filters, benchmark: str, source: str | None = None,
                     path: Path | None = None) -> pd.DataFrame:
    """Each filtered model with its best independent score on ``benchmark`` from its latest dated
    result, plus provenance. Models with no score on it are left out (unknown is not zero)."""
    where, params = filters.where("m")
    sql = f"""
        WITH ranked AS (
            SELECT s.*, row_number() OVER (
                PARTITION BY s.model_id ORDER BY s.as_of DESC NULLS LAST, s.value DESC) AS rk
            FROM scores s
            WHERE s.benchmark = ? AND (? IS NULL OR s.source = ?) AND NOT s.vendor_claimed
        )
        SELECT m.model_id, m.name, m.family, m.vendor, m.open_weights, m.released, m.is_moe,
               m.total_params_b, m.active_params_b, m.licence_id, m.release_date,
               CASE WHEN coalesce(m.discovered, false) THEN 'discovered' ELSE 'curated' END AS facts,
               {tier_case_sql('m.total_params_b')} AS tier,
               r.value AS score, r.unit, r.ci_low, r.ci_high, r.votes, r.setting, r.source,
               r.as_of, r.source_url, r.raw_name
        FROM ranked r JOIN models m USING (model_id)
        WHERE r.rk = 1 AND {where}
        ORDER BY r.value DESC"""
    return query_df(sql, [benchmark, source, source, *params], path)


def sources_status(path: Path | None = None) -> pd.DataFrame:
    return query_df("SELECT * FROM sources ORDER BY name", None, path)


def unmatched(source: str | None = None, path: Path | None = None) -> pd.DataFrame:
    """Names no source could place, each with its reason (etl/unmatched_reasons.py); rows carried over
    from a database built before reasons existed read 'unknown'."""
    return query_df("SELECT source, raw_name, rows, coalesce(reason, 'unknown') AS reason, reason_detail "
                    "FROM unmatched WHERE (? IS NULL OR source = ?) "
                    "ORDER BY source, rows DESC, raw_name", [source, source], path)


def unmatched_by_reason(source: str | None = None, path: Path | None = None) -> pd.DataFrame:
    """How many unmatched names (and rows) each reason explains, most first."""
    return query_df("SELECT coalesce(reason, 'unknown') AS reason, count(*) AS names, sum(rows) AS rows "
                    "FROM unmatched WHERE (? IS NULL OR source = ?) GROUP BY 1 ORDER BY names DESC, reason",
                    [source, source], path)


def quarantine(source: str | None = None, path: Path | None = None) -> pd.DataFrame:
    """Rows sources delivered that broke their contract or failed validation (etl/contracts.py)."""
    from landscape.db import has_table
    cols = ["source", "target_table", "stage", "reason", "raw", "source_url", "quarantined_at"]
    if not has_table("quarantine", path):  # a database built before the table existed
        return pd.DataFrame(columns=cols)
    return query_df(f"SELECT {', '.join(cols)} FROM quarantine WHERE (? IS NULL OR source = ?) "
                    "ORDER BY source, stage, reason", [source, source], path)


def data_snapshot(path: Path | None = None) -> dict:
    """Which data the app is showing: ``snapshot_info`` when built from the bundled snapshot,
    else an id derived from every source's name, status and ``refreshed_at`` (stable per refresh)."""
    import hashlib
    from landscape.db import has_table
    refreshed = query_df("SELECT name, status, rows, refreshed_at FROM sources ORDER BY name", None, path)
    latest = refreshed["refreshed_at"].max() if len(refreshed) else None
    latest = None if latest is None or pd.isna(latest) else pd.Timestamp(latest).to_pydatetime()
    if has_table("snapshot_info", path):
        info = query_df("SELECT snapshot_id, generated_at FROM snapshot_info LIMIT 1", None, path)
        if len(info):
            return {"snapshot_id": str(info["snapshot_id"].iloc[0]), "kind": "bundled snapshot",
                    "generated_at": pd.Timestamp(info["generated_at"].iloc[0]).to_pydatetime(),
                    "refreshed_at": latest}
    digest = hashlib.sha256(repr([tuple(map(str, r)) for r in refreshed.itertuples(index=False)]).encode())
    return {"snapshot_id": "r" + digest.hexdigest()[:11], "kind": "refresh", "generated_at": latest,
            "refreshed_at": latest}
