"""Queries of the registry, the Landscape page and the sources (each feature has its own query module:
``evals``, ``compare``, ``offer_queries``, ``fit``). Bound parameters only; results as pandas DataFrames."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from landscape.db import isin, query_df
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


def model_ids(filters: Filters | None = None, path: Path | None = None) -> list[str]:
    """The ids ``models(filters)`` returns, in its order, without the rest of each row."""
    where, params = (filters or Filters()).where("m")
    sql = f"""
        SELECT m.model_id FROM models m WHERE {where}
        ORDER BY m.family, m.total_params_b NULLS LAST, m.name"""
    return query_df(sql, params, path)["model_id"].tolist()


def facet_values(path: Path | None = None) -> dict[str, list[str]]:
    df = query_df("SELECT DISTINCT family, vendor FROM models WHERE NOT reference ORDER BY 1, 2", None, path)
    return {"families": sorted(df["family"].unique().tolist()), "vendors": sorted(df["vendor"].unique().tolist())}


def score_options(independent_only: bool = True, path: Path | None = None) -> pd.DataFrame:
    """Benchmarks available to chart: one row per (benchmark, source) with counts and units. The first
    (the Landscape default) covers the most models released within 180 days of the newest release, so the
    default view shows the current field; then most models; headline scores before their categories.
    The independent ones are written at publish time (``landscape/derived.py``: a scan of every score)."""
    if independent_only:
        from landscape import derived
        return derived.table("score-options", path)
    return compute_score_options(False, path)


def compute_score_options(independent_only: bool = True, path: Path | None = None) -> pd.DataFrame:
    """``score_options`` computed from the database."""
    sql = """
        WITH newest AS (SELECT max(release_date) AS d FROM models WHERE released)
        SELECT s.benchmark, s.source, any_value(s.unit) AS unit, count(DISTINCT s.model_id) AS models,
               max(s.as_of) AS latest,
               count(DISTINCT CASE WHEN m.release_date >= newest.d - INTERVAL 180 DAY THEN s.model_id END)
                   AS recent_models
        FROM scores s JOIN models m USING (model_id), newest WHERE (NOT ? OR NOT s.vendor_claimed)
        GROUP BY s.benchmark, s.source
        ORDER BY recent_models DESC, models DESC, contains(s.benchmark, ':'), s.benchmark, s.source"""
    return query_df(sql, [independent_only], path)


def score_choices(options: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """Picker label -> (benchmark, source) for the rows of ``score_options`` (most-covered first)."""
    return {f"{benchmark_label(r.benchmark)} — {r.source} ({r.models} models)": (r.benchmark, r.source)
            for r in options.itertuples()}


SCORE_PARAM_SEP = ":"  # a score in a link: "<benchmark>:<source>" (sources never contain ':')


def score_param(benchmark: str, source: str) -> str:
    return f"{benchmark}{SCORE_PARAM_SEP}{source}"


def parse_score_param(value: str, choices: dict[str, tuple[str, str]]) -> str:
    """The picker label a link's ``<benchmark>:<source>`` names (``|`` accepted from older links);
    ValueError for a score that is not loaded."""
    by_param = {score_param(b, s): label for label, (b, s) in choices.items()}
    key = value if value in by_param else SCORE_PARAM_SEP.join(value.rsplit("|", 1))
    if key not in by_param:
        raise ValueError(f"unknown score '{value[:40]}'")
    return by_param[key]


# "fits my hardware" on the Landscape page: a hardware preset (its own device count) at this setup
FITS_SETUP = {"quant": "Q4_K_M", "context": "32K", "kv_dtype": "bf16", "runtime": "llama.cpp"}
FITS_SETUP_LABEL = "GGUF Q4_K_M, 32K context, llama.cpp"
FITTING_STATUSES = ("fits", "tight")


def fitting_model_ids(filters: Filters, hardware: str, gpus: int | None = None, quant: str = FITS_SETUP["quant"],
                      context: str = FITS_SETUP["context"], kv_dtype: str = FITS_SETUP["kv_dtype"],
                      runtime: str = FITS_SETUP["runtime"], path: Path | None = None) -> list[str]:
    """Filtered models whose estimated memory fits (or fits tightly) on ``hardware`` (the
    deployment-fit estimate, ``landscape.fit.fit_table``), in the fit table's order."""
    from landscape import fit  # fit imports this module lazily; keep the import one-way at load time
    table = fit.fit_table(filters, hardware=hardware, gpus=gpus, quant=quant, context=context,
                          kv_dtype=kv_dtype, runtime=runtime, path=path)
    return table.loc[table["status"].isin(FITTING_STATUSES), "model_id"].tolist()


def landscape_points(filters: Filters, benchmark: str, source: str | None = None,
                     path: Path | None = None, fits_hardware: str | None = None) -> pd.DataFrame:
    """Each filtered model with its latest independent score on ``benchmark`` (from ``source``, else
    from any source; the warehouse view ``score_latest`` holds the rule), plus provenance. With
    ``fits_hardware`` only models whose estimate fits that preset at ``FITS_SETUP``. Models with no score on it are left out (unknown is not zero)."""
    where, params = filters.where("m")
    sql = f"""
        SELECT m.model_id, m.name, m.family, m.vendor, m.open_weights, m.released, m.is_moe,
               m.total_params_b, m.active_params_b, m.licence_id, m.release_date,
               CASE WHEN coalesce(m.discovered, false) THEN 'discovered' ELSE 'curated' END AS facts,
               {tier_case_sql('m.total_params_b')} AS tier,
               r.value AS score, r.unit, r.ci_low, r.ci_high, r.votes, r.setting, r.source,
               r.as_of, r.source_url, r.raw_name
        FROM score_latest r JOIN models m USING (model_id)
        WHERE r.benchmark = ? AND NOT r.vendor_claimed
          AND (CASE WHEN ?::VARCHAR IS NULL THEN r.latest ELSE r.source = ? AND r.latest_in_source END)
          AND {where}
        ORDER BY r.value DESC"""
    points = query_df(sql, [benchmark, source, source, *params], path)
    if fits_hardware is not None:
        points = points[isin(points["model_id"], fitting_model_ids(filters, fits_hardware, path=path))]
        points = points.reset_index(drop=True)
    return points


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
