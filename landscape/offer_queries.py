"""Queries for the Licences and Context pages (and the CLI): licence answers, provider offerings,
advertised vs served context, cheapest provider, price vs score. Bound parameters only.

Prices: USD per million tokens as listed. "Blended" = (3 x input + 1 x output) / 4, i.e. a
workload of three input tokens per output token -- an assumption, stated wherever it is shown.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from landscape.queries import landscape_points
from landscape.db import isin, query_df
from landscape.filters import Filters
from landscape.licences import USE_CASES, mau_sql

BLEND_INPUT_SHARE = 0.75
BLEND_NOTE = "blended price = (3 x input + output) / 4 USD per 1M tokens (assumes 3 input tokens per output token)"


def licence_matrix(filters: Filters | None = None, mau: int | None = None, path: Path | None = None,
                   model_id: str | None = None, clauses: bool = True) -> pd.DataFrame:
    """One row per (filtered model, use case): answer, clause, source URL, the licences applied
    (of one model: ``model_id``; without clause, source URL, terms and threshold: ``clauses=False``,
    what the wide matrix needs, a third of the time at 100x). The "mau" row is evaluated at
    ``mau`` users (default: the filter's)."""
    f = filters or Filters()
    where, params = f.where("m")
    if model_id is not None:
        where, params = f"({where}) AND m.model_id = ?", [*params, model_id]
    n = int(mau if mau is not None else f.mau)
    sql = f"""
        SELECT m.model_id, m.name, m.family, m.vendor, m.licence_id, m.base_model, m.total_params_b,
               la.use_case, {mau_sql('la')} AS answer{", la.clause, la.source_url, la.terms, la.threshold" if clauses else ""}
        FROM models m JOIN licence_answers la ON la.model_id = m.model_id
        WHERE {where}
        ORDER BY m.family, m.total_params_b NULLS LAST, m.name, la.use_case"""
    df = query_df(sql, [n, *params], path)
    df["use_case_label"] = df["use_case"].map(USE_CASES).fillna(df["use_case"])
    return df


def licence_view(filters: Filters | None = None, mau: int | None = None, marks: tuple = (),
                 path: Path | None = None) -> dict:
    """The Licences page's matrix for one input, built once: the ``wide`` table (one row per model,
    cells marked with ``marks``, (answer, label) pairs), its column ``labels`` and ``answers``, the
    number of long rows. The long table (clause text per model x use case: 60 MB at 100x) is not
    kept: one model's rows are ``licence_matrix(..., model_id=...)``."""
    from landscape.licences import matrix_wide
    matrix = licence_matrix(filters, mau, path, clauses=False)
    n = int(mau if mau is not None else (filters or Filters()).mau)
    wide, labels = matrix_wide(matrix, dict(marks), n) if len(matrix) else (matrix.iloc[0:0], {})
    return {"wide": wide, "labels": labels, "answers": len(matrix)}


def licences(path: Path | None = None) -> pd.DataFrame:
    return query_df("SELECT * EXCLUDE (source) FROM licences ORDER BY licence_id", None, path)


def offerings(filters: Filters | None = None, path: Path | None = None, model_id: str | None = None) -> pd.DataFrame:
    """Every provider offering of the filtered models (of one of them: ``model_id``), with the
    vendor's advertised context."""
    where, params = (filters or Filters()).where("m")
    if model_id is not None:
        where, params = f"({where}) AND m.model_id = ?", [*params, model_id]
    sql = f"""
        SELECT m.model_id, m.name, m.family, m.context_claimed, m.source_url AS claim_source_url,
               o.provider, o.via, o.variant, o.context_window, o.max_output,
               o.input_usd_per_mtok, o.output_usd_per_mtok,
               CASE WHEN o.input_usd_per_mtok IS NOT NULL AND o.output_usd_per_mtok IS NOT NULL
                    THEN ? * o.input_usd_per_mtok + (1 - ?) * o.output_usd_per_mtok END AS blended_usd_per_mtok,
               o.context_window / m.context_claimed::DOUBLE AS served_share,
               o.quantisation, o.note, o.source, o.as_of, o.source_url, o.raw_name
        FROM offerings o JOIN models m USING (model_id)
        WHERE {where}
        ORDER BY m.family, m.total_params_b NULLS LAST, m.name, o.context_window DESC NULLS LAST, o.provider"""
    return query_df(sql, [BLEND_INPUT_SHARE, BLEND_INPUT_SHARE, *params], path)


def context_summary(filters: Filters | None = None, path: Path | None = None) -> pd.DataFrame:
    """``compute_context_summary``, answered from every model's rows derived at publish time
    (``landscape/derived.py``) when that file is this version's: a model's row depends on its own
    offerings alone and the rows are in the registry's order, so the filtered models' rows of the
    whole table are what the query returns for them."""
    from landscape import derived, queries
    whole = derived.read("context-summary", path)
    if whole is None:
        return compute_context_summary(filters, path)
    keep = isin(whole["model_id"], queries.model_ids(filters or Filters(), path))
    if keep.all():
        return whole.copy(deep=False)  # pandas' copy-on-write: a caller's change never reaches it
    if not keep.any():  # no model: the query's own empty frame (its column types are those of no rows)
        return compute_context_summary(filters, path)
    return whole[keep].reset_index(drop=True)


def compute_context_summary(filters: Filters | None = None, path: Path | None = None) -> pd.DataFrame:
    """Per filtered model: advertised context vs the smallest/largest served window, provider counts,
    and the cheapest offering (lowest blended price; ties -> larger context, then provider name)."""
    where, params = (filters or Filters()).where("m")
    sql = f"""
        WITH o AS (
            SELECT o.*, ? * o.input_usd_per_mtok + (1 - ?) * o.output_usd_per_mtok AS blended
            FROM offerings o
        ), cheap AS (
            SELECT model_id, provider, via, blended, input_usd_per_mtok, output_usd_per_mtok, context_window,
                   source, as_of, source_url,
                   row_number() OVER (PARTITION BY model_id
                                      ORDER BY blended, context_window DESC NULLS LAST, provider) AS rk
            FROM o WHERE blended IS NOT NULL AND blended > 0
        ), agg AS (
            SELECT model_id, count(*) AS offerings, count(DISTINCT provider) AS providers,
                   min(context_window) AS served_min, max(context_window) AS served_max,
                   max(as_of) AS latest_as_of
            FROM o GROUP BY model_id
        )
        SELECT m.model_id, m.name, m.family, m.vendor, m.open_weights, m.total_params_b, m.context_claimed,
               a.offerings, a.providers, a.served_min, a.served_max, a.latest_as_of,
               c.provider AS cheapest_provider, c.via AS cheapest_via, c.blended AS cheapest_blended,
               c.input_usd_per_mtok AS cheapest_input, c.output_usd_per_mtok AS cheapest_output,
               c.context_window AS cheapest_context, c.source AS cheapest_source, c.as_of AS cheapest_as_of,
               c.source_url AS cheapest_source_url
        FROM models m
        LEFT JOIN agg a USING (model_id)
        LEFT JOIN cheap c ON c.model_id = m.model_id AND c.rk = 1
        WHERE {where} AND (a.offerings IS NOT NULL OR m.context_claimed IS NOT NULL)
        ORDER BY m.family, m.total_params_b NULLS LAST, m.name, m.model_id"""
    return query_df(sql, [BLEND_INPUT_SHARE, BLEND_INPUT_SHARE, *params], path)


def price_vs_score(filters: Filters, benchmark: str, source: str | None = None,
                   path: Path | None = None) -> pd.DataFrame:
    """Cheapest blended price per model against its latest independent score on ``benchmark``
    (vendor-claimed scores excluded). Models lacking either are left out, not zero-filled."""
    summary = context_summary(filters, path)
    summary = summary[summary["cheapest_blended"].notna()]
    # the same score the Landscape page plots for each model
    scores = (landscape_points(filters, benchmark, source, path)
              [["model_id", "score", "unit", "source", "as_of", "source_url", "setting"]]
              .rename(columns={"source": "score_source", "as_of": "score_as_of", "source_url": "score_source_url"}))
    return summary.merge(scores, on="model_id", how="inner")
