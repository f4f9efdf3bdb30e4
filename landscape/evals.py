"""Third-party evals: benchmark labels, leaderboards, vendor claims vs independent results,
unreleased-variant notes, the Pareto frontier and per-source badges. Pure (no streamlit).

Every query uses bound parameters and a short-lived read-only connection (``landscape.db``).
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from landscape import legible
from landscape.charts import _day, _esc, bar, spec_figure
from landscape.db import isin, query_df
from landscape.filters import EVERY_MODEL, Filters

# ---------------------------------------------------------------------------------------------
# labels

FIXED_LABELS = {
    "lmarena_text": "LMArena text (Elo)",
    "lmarena_vision": "LMArena vision (Elo)",
    "aider_polyglot": "Aider polyglot, pass@2 (%)",
    "aider_polyglot_pass1": "Aider polyglot, pass@1 (%)",
    "aider_code_editing": "Aider code editing (old 133-exercise), pass@2 (%)",
    "aider_code_editing_pass1": "Aider code editing (old 133-exercise), pass@1 (%)",
    "open_llm_v2": "Open LLM Leaderboard v2, average (normalised)",
    "epoch_capabilities_index": "Epoch Capabilities Index (ECI)",
    "evalplus_humaneval": "EvalPlus HumanEval pass@1 (%)",
    "evalplus_humaneval_plus": "EvalPlus HumanEval+ pass@1 (%)",
    "evalplus_mbpp": "EvalPlus MBPP pass@1 (%)",
    "evalplus_mbpp_plus": "EvalPlus MBPP+ pass@1 (%)",
    "gpqa_diamond": "GPQA diamond (%)",
    "math_level_5": "MATH level 5 (%)",
    "otis_mock_aime_2024_2025": "OTIS Mock AIME 2024-2025 (%)",
    "swe_bench_verified": "SWE-bench Verified (%)",
    "metr_time_horizon": "METR 50% time horizon (minutes)",
    "mcbench": "MC-Bench (Elo)",
    "lech_mazur_writing": "Lech Mazur writing (0-10)",
}
UNIT_SUFFIX = {"percent": "%", "elo": "Elo", "index": "index", "minutes": "minutes", "rating": "rating"}
_LIVEBENCH = re.compile(r"^livebench_(\d{4})_(\d\d)_(\d\d)(?::(.+))?$")
_OPEN_LLM = re.compile(r"^open_llm_v2:(.+)$")
OPEN_LLM_TASKS = {"ifeval": "IFEval", "bbh": "BBH", "math": "MATH lvl 5", "gpqa": "GPQA", "musr": "MuSR",
                  "mmlu_pro": "MMLU-Pro"}


def benchmark_label(benchmark: str) -> str:
    """A readable label for any benchmark key (release and category spelled out)."""
    if benchmark in FIXED_LABELS:
        return FIXED_LABELS[benchmark]
    m = _LIVEBENCH.match(benchmark)
    if m:
        cat = (m.group(4) or "global average").replace("_", " ")
        return f"LiveBench {m.group(1)}-{m.group(2)}-{m.group(3)} release, {cat} (%)"
    m = _OPEN_LLM.match(benchmark)
    if m:
        return f"Open LLM Leaderboard v2, {OPEN_LLM_TASKS.get(m.group(1), m.group(1))} (normalised)"
    words = benchmark.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


# ---------------------------------------------------------------------------------------------
# queries

def eval_options(include_claims: bool = True, path: Path | None = None) -> pd.DataFrame:
    """One row per (benchmark, source): unit, model count, latest as-of, whether vendor-claimed."""
    df = query_df("""
        SELECT benchmark, source,
               CASE WHEN ? THEN unit ELSE independent_unit END AS unit,
               CASE WHEN ? THEN vendor_claimed ELSE false END AS vendor_claimed,
               CASE WHEN ? THEN models ELSE independent_models END AS models,
               CASE WHEN ? THEN rows ELSE independent_rows END AS rows,
               CASE WHEN ? THEN latest ELSE independent_latest END AS latest
        FROM score_sources WHERE (? OR independent_models > 0)
        ORDER BY models DESC, benchmark, source""", [include_claims] * 6, path)
    df["label"] = [benchmark_label(b) for b in df["benchmark"]]
    return df


def leaderboard(benchmark: str, sources: tuple[str, ...] = (), filters: Filters | None = None,
                history: bool = False, path: Path | None = None) -> pd.DataFrame:
    """Scores on one benchmark, best first. Without ``history`` only the latest dated result per
    (model, source, setting) is kept. Vendor claims are included only when their source is chosen."""
    where, params = (filters or Filters()).where("m")
    src = list(sources) or None
    sql = f"""
        SELECT m.name, m.family, m.vendor, m.released, m.reference, m.open_weights, m.total_params_b,
               m.release_date, s.model_id, s.source, s.setting, s.value, s.unit, s.ci_low, s.ci_high, s.votes,
               s.vendor_claimed, s.reported_by, s.raw_name, s.as_of, s.source_url
        FROM score_latest s JOIN models m USING (model_id)
        WHERE s.benchmark = ? AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], s.source))
          AND (? OR s.latest_in_setting) AND {where}
        ORDER BY s.value DESC, m.name"""
    return query_df(sql, [benchmark, src, src, history, *params], path)


# a vendor benchmark key -> independent benchmark keys that are the same test, or the closest named one
SAME = {"humaneval": ("evalplus_humaneval",), "mbpp": ("evalplus_mbpp",)}
CLOSEST = {
    "math": ("math_level_5",), "math_500": ("math_level_5",),
    "aime_2024": ("otis_mock_aime_2024_2025",), "aime_2025": ("otis_mock_aime_2024_2025",),
    "gpqa": ("gpqa_diamond", "open_llm_v2:gpqa"), "mmlu_pro": ("open_llm_v2:mmlu_pro",),
    "ifeval": ("open_llm_v2:ifeval",), "bbh": ("open_llm_v2:bbh",), "evalplus": ("evalplus_humaneval_plus",),
    "livecodebench": ("livebench_2024_11_25:coding",), "livecodebench_v5": ("livebench_2025_04_25:coding",),
}


_CLAIMANT = re.compile(r"claimed by ([^;]+)|original source: ([^;(]+?)\s*(?:\(|;|$)")


def claimant(setting: str) -> str:
    """Who published a claim, from its setting: ``claimed by Qwen`` / ``original source: <report>``."""
    m = _CLAIMANT.search(str(setting or ""))
    return (m.group(1) or m.group(2)).strip() if m else ""


# the Evals page's "Reported by" choice -> reported_by values it keeps (None = all)
REPORTED_BY_CHOICES = {"all": None, "the model's developer": ("developer",), "another vendor": ("other vendor",)}


def claims_by_reporter(claims: pd.DataFrame, choice: str) -> pd.DataFrame:
    """Claims of one kind of reporter (``REPORTED_BY_CHOICES``); an unknown choice keeps all."""
    keep = REPORTED_BY_CHOICES.get(choice)
    return claims if keep is None else claims[claims["reported_by"].isin(keep)]


CLAIM_COLUMNS = ["name", "family", "model_id", "benchmark", "claimed", "unit", "reported_by", "claimant",
                 "claim_setting", "claimed_as_of",
                 "claim_url", "match", "independent", "independent_source", "independent_setting",
                 "independent_as_of", "independent_url", "gap", "verified"]


def claim_candidates(benchmarks) -> tuple[list[str], list[str], list[str], list[int]]:
    """For each claimed benchmark key, the independent benchmarks that can check it, in order:
    itself and ``SAME`` (match ``same``), then ``CLOSEST`` (``closest: <label>``). As four
    parallel lists (claim benchmark, candidate, match, priority) for one bound SQL parameter each."""
    cols: tuple[list, list, list, list] = ([], [], [], [])
    for b in dict.fromkeys(benchmarks):
        cands = [(c, "same") for c in (b, *SAME.get(b, ()))] + \
                [(c, f"closest: {benchmark_label(c)}") for c in CLOSEST.get(b, ())]
        for prio, (c, how) in enumerate(cands):
            for col, v in zip(cols, (b, c, how, prio)):
                col.append(v)
    return cols


def claims_vs_independent(filters: Filters | None = None, path: Path | None = None,
                          model_id: str | None = None) -> pd.DataFrame:
    """``compute_claims_vs_independent``, answered from every model's claims derived at publish time
    (``landscape/derived.py``) when that file is this version's: a claim's row depends on its own
    model's scores alone, and the rows are in one global order, so the filtered models' rows of
    the whole table are exactly what the query would return for them."""
    from landscape import derived, queries
    whole = derived.read("claims-vs-independent", path)
    if whole is None:
        return compute_claims_vs_independent(filters, path, model_id)
    filters = filters or Filters()
    # the table holds every model's claims (EVERY_MODEL): that filter needs no list of ids
    keep = np.ones(len(whole), dtype=bool) if filters == EVERY_MODEL else isin(
        whole["model_id"], queries.model_ids(filters, path))
    if model_id is not None:  # one model's claims (the Model page): 35 -> ~8 ms at 1x over its own query
        keep = keep & (whole["model_id"] == model_id).to_numpy(dtype=bool)
    elif keep.all():  # every model (the default filters): the file's frame, not a second copy of it
        return whole.copy(deep=False)  # pandas' copy-on-write: a caller's change never reaches it
    part = whole[keep].reset_index(drop=True)
    for c in _CLAIM_TEXT:  # the categories these rows use, as the query for these models gives them
        part[c] = part[c].cat.remove_unused_categories()
    return part


def compute_claims_vs_independent(filters: Filters | None = None, path: Path | None = None,
                                  model_id: str | None = None) -> pd.DataFrame:
    """Each vendor claim beside the independent results for the same model on the same benchmark
    (``match = same``), else on the closest named benchmark (``match = closest: <benchmark>``),
    else flagged ``unverified``; the independent number is the best value on that benchmark.
    ``gap`` (claim minus best independent) only for the same benchmark in the same unit; a
    closest-benchmark number is context, not a check. One query (no per-claim Python). ``model_id``
    restricts it to one model (the Model page)."""
    where, params = (filters or Filters()).where("m")
    if model_id is not None:
        where, params = f"({where}) AND m.model_id = ?", [*params, model_id]
    claimed = query_df("SELECT DISTINCT benchmark FROM scores WHERE vendor_claimed ORDER BY 1", None, path)["benchmark"]
    cand = claim_candidates(claimed.tolist())
    df = query_df(f"""
        WITH claims AS (
            SELECT row_number() OVER (ORDER BY m.family, m.name, s.benchmark, s.as_of, s.value, s.setting) AS cid,
                   m.name, m.family, s.model_id, s.benchmark, s.setting, s.value AS claimed, s.unit,
                   s.as_of AS claimed_as_of, s.source_url AS claim_url, s.reported_by
            FROM scores s JOIN models m USING (model_id)
            WHERE s.vendor_claimed AND {where}
        ), cand AS (
            SELECT unnest(?::VARCHAR[]) AS claim_benchmark, unnest(?::VARCHAR[]) AS benchmark,
                   unnest(?::VARCHAR[]) AS how, unnest(?::INTEGER[]) AS prio
        ), best AS (  -- the best value; a tie goes to the newest, then by source, setting, URL (never arbitrary)
            SELECT model_id, benchmark,
                   max_by({{'value': value, 'unit': unit, 'source': source, 'setting': setting,
                            'as_of': as_of, 'source_url': source_url}},
                          {{'v': value, 'd': coalesce(as_of, DATE '0001-01-01'), 's': source,
                            't': coalesce(setting, ''), 'u': coalesce(source_url, '')}}) AS b
            FROM scores
            WHERE NOT vendor_claimed AND model_id IN (SELECT model_id FROM claims)
              AND benchmark IN (SELECT benchmark FROM cand)
            GROUP BY model_id, benchmark
        ), hit AS (
            SELECT c.cid, k.how, b.b
            FROM claims c JOIN cand k ON k.claim_benchmark = c.benchmark
                 JOIN best b ON b.model_id = c.model_id AND b.benchmark = k.benchmark
            QUALIFY row_number() OVER (PARTITION BY c.cid ORDER BY k.prio) = 1
        )
        SELECT c.name, c.family, c.model_id, c.benchmark, c.claimed, c.unit,
               coalesce(c.reported_by, 'unknown') AS reported_by, c.setting AS claim_setting,
               c.claimed_as_of, c.claim_url, coalesce(h.how, 'unverified') AS match,
               h.b.value AS independent, h.b.source AS independent_source,
               h.b.setting AS independent_setting, h.b.as_of AS independent_as_of,
               h.b.source_url AS independent_url,
               CASE WHEN h.how = 'same' AND h.b.unit = c.unit THEN round(c.claimed - h.b.value, 2) END AS gap,
               h.cid IS NOT NULL AS verified
        FROM claims c LEFT JOIN hit h USING (cid)
        ORDER BY c.cid""", [*params, *cand], path)
    df["benchmark"] = df["benchmark"].map({b: benchmark_label(b) for b in df["benchmark"].unique()})
    df["claimant"] = df["claim_setting"].map(claimant)
    # one text dtype whatever the rows (DuckDB hands all-NULL struct fields as objects), each column
    # dictionary-encoded: every claim repeats its model's name, its source's URL, its match (at 100x
    # 111,100 claims of 6,400 models and 17 URLs: 48 -> 10 MB, held by every server for the Evals page)
    for c in _CLAIM_TEXT:
        df[c] = df[c].astype("str").astype("category")
    return df[CLAIM_COLUMNS]


_CLAIM_TEXT = ["name", "family", "model_id", "benchmark", "unit", "reported_by", "claimant", "claim_setting",
               "claim_url", "match", "independent_source", "independent_setting", "independent_url"]


def unreleased_headlines(path: Path | None = None) -> pd.DataFrame:
    """``compute_unreleased_headlines``, read from the table derived at publish time when it is this version's."""
    from landscape import derived
    return derived.table("unreleased-headlines", path)


def compute_unreleased_headlines(path: Path | None = None) -> pd.DataFrame:
    """Scores that belong to an unreleased variant, beside the released model it is named after
    (the released model whose display name prefixes the variant's), on the same benchmark and source."""
    return query_df("""
        WITH u AS (
            SELECT m.model_id, m.name, s.benchmark, s.source, max(s.value) AS value,
                   arg_max(s.as_of, s.value) AS as_of
            FROM models m JOIN scores s USING (model_id)
            WHERE NOT m.released AND NOT s.vendor_claimed
            GROUP BY ALL
        ), r AS (
            SELECT m.model_id, m.name, s.benchmark, s.source, arg_max(s.value, s.as_of) AS value,
                   max(s.as_of) AS as_of
            FROM models m JOIN scores s USING (model_id)
            WHERE m.released AND NOT s.vendor_claimed AND s.setting = ''
            GROUP BY ALL
        )
        SELECT u.name AS unreleased, u.benchmark, u.source, u.value AS unreleased_best, u.as_of AS unreleased_as_of,
               r.name AS released, r.value AS released_latest, r.as_of AS released_as_of
        FROM u LEFT JOIN r ON r.benchmark = u.benchmark AND r.source = u.source
             AND starts_with(lower(u.name), lower(r.name) || ' ')
        ORDER BY u.name, u.benchmark""", None, path)


def unreleased_warnings(headlines: pd.DataFrame) -> list[str]:
    """One Markdown warning per (unreleased variant, benchmark, source) of ``unreleased_headlines``
    (upstream names shown as bold text; the page renders them without HTML)."""
    out = []
    for r in headlines.drop_duplicates(["unreleased", "benchmark", "source"]).itertuples():
        released = (f"; the released **{r.released}** scores {r.released_latest:g} (as of {r.released_as_of:%Y-%m-%d})"
                    if isinstance(r.released, str) and pd.notna(r.released_latest) else "")
        out.append(f"Headline score of an unreleased variant: **{r.unreleased}** reached {r.unreleased_best:g} on "
                   f"{benchmark_label(r.benchmark)} ({r.source}, {r.unreleased_as_of:%Y-%m-%d}){released}. "
                   "The unreleased variant's number says nothing about the weights you can download.")
    return out


def removed_rows(path: Path | None = None) -> pd.DataFrame:
    """``compute_removed_rows``, read from the table derived at publish time when it is this version's."""
    from landscape import derived
    return derived.table("removed-rows", path)


def compute_removed_rows(path: Path | None = None) -> pd.DataFrame:
    """Rows kept from an older captured version of a table that the current version no longer lists."""
    return query_df("""
        SELECT m.name, s.benchmark, s.source, s.value, s.raw_name, s.as_of, s.source_url
        FROM scores s JOIN models m USING (model_id)
        WHERE s.setting LIKE '%removed from later version%'
        ORDER BY s.benchmark, m.name""", None, path)


# ---------------------------------------------------------------------------------------------
# charts

def _reporter(r) -> str:
    who = getattr(r, "reported_by", None)
    return {"developer": "by its developer", "other vendor": "by another vendor"}.get(who, "reporter unknown")


def leaderboard_view(benchmark: str, sources: tuple[str, ...] = (), filters: Filters | None = None,
                     history: bool = False, window: str = "any", top: int = 40, colour_by: str = "auto",
                     highlight: str | None = None, path: Path | None = None) -> dict:
    """The Evals page's section for one benchmark: its ``board`` (``leaderboard`` in the release
    ``window``, relative to the data's reference day) and its ``figure`` (None for no row). One call
    per input, so the page's cache keys on these arguments rather than on the board's content."""
    from landscape.new_models import reference_day
    board = legible.in_release_window(leaderboard(benchmark, sources, filters, history, path), window,
                                      reference_day(path))
    fig = leaderboard_chart(board, benchmark_label(benchmark), top, colour_by, highlight) if len(board) else None
    return {"board": board, "figure": fig}


def leaderboard_chart(df: pd.DataFrame, label: str, top: int = 40, colour_by: str = "auto",
                      highlight: str | None = None) -> go.Figure:
    """Horizontal bars, best on top; our families in their colours (or by vendor: automatic above
    ``legible.AUTO_VENDOR_ABOVE`` families; or one highlighted family against grey, its bars drawn even
    below the top ``top``), reference models
    grey; a legend of the colours used; 95% CI as error bars where the source gives one; vendor claims
    hatched. Kept as its specification (``charts.SpecFigure``): Plotly validates the bars and each
    legend entry only if something uses the figure as a Plotly object."""
    if df.empty:
        return spec_figure(annotations=[dict(text="No scores for this selection", showarrow=False, x=0.5, y=0.5,
                                             xref="paper", yref="paper")])
    shown = df.head(top)
    if highlight:  # the highlighted family's bars are drawn even below the top N (in rank order)
        shown = df[df.index.isin(shown.index) | (df["family"] == highlight)]
    d = shown.iloc[::-1].copy()
    ylabels = [f"{n} · {s}" + (f" · {st[:30]}" if st else "") for n, s, st in zip(d["name"], d["source"], d["setting"])]
    colors, legend, legend_title = legible.bar_colours(d.iloc[::-1], colour_by, highlight)
    colors = colors[::-1]  # computed best-first so the legend lists the leaders' colours first
    err = None
    if d["ci_low"].notna().any():
        err = dict(type="data", symmetric=False, array=(d["ci_high"] - d["value"]).fillna(0).tolist(),
                   arrayminus=(d["value"] - d["ci_low"]).fillna(0).tolist(), thickness=1.2, color="#333")
    hover = []
    for r in d.itertuples(index=False):
        ci = f" (95% CI {r.ci_low:g}-{r.ci_high:g})" if pd.notna(r.ci_low) and pd.notna(r.ci_high) else ""
        hover.append("<br>".join([
            f"<b>{_esc(r.name)}</b> ({_esc(r.family)})",
            f"{r.value:g} {_esc(r.unit)}{ci}" + (f" · VENDOR CLAIM ({_esc(_reporter(r))})" if r.vendor_claimed else ""),
            f"source: {_esc(r.source)}, as of {_day(r.as_of)}",
            f"upstream name: {_esc(r.raw_name)}",
        ] + ([f"setting: {_esc(str(r.setting)[:80])}"] if r.setting else [])
          + ([f"votes: {int(r.votes):,}"] if pd.notna(r.votes) else [])))
    traces = [bar(x=d["value"].to_numpy(dtype=float), y=list(range(len(d))), orientation="h",
                  marker=dict(color=colors, pattern=dict(shape=["/" if v else "" for v in d["vendor_claimed"]])),
                  error_x=err, text=hover, hoverinfo="text", textposition="none", showlegend=False,
                  customdata=list(d["model_id"]))]  # model id: a clicked bar links to its Model page
    traces += [bar(x=[None], y=[None], orientation="h", marker=dict(color=colour), name=_esc(key), showlegend=True,
                   hoverinfo="skip") for key, colour in legend]  # legend-only entries: the bars are one trace
    lo = float(d["value"].min())
    return spec_figure(traces, legend=dict(title=dict(text=legend_title)), showlegend=True,
                       yaxis=dict(tickvals=list(range(len(d))), ticktext=[_esc(t) for t in ylabels]),
                       xaxis=dict(title=dict(text=label),
                                  range=[lo * 0.95 if lo > 200 else 0,
                                         float(d[["value", "ci_high"]].max().max()) * 1.02]),
                       height=max(320, 22 * len(d) + 80), margin=dict(l=10, r=10, t=30, b=10))


def pareto_frontier(points: pd.DataFrame, x: str = "total_params_b", y: str = "score") -> pd.DataFrame:
    """Best score per size: the models no smaller-or-equal model beats (sorted by size).
    Models of undisclosed size cannot be placed and are left out."""
    if points.empty:
        return points.iloc[0:0]
    d = points[points[x].notna() & points[y].notna()].sort_values([x, y], ascending=[True, False])
    keep, best = [], float("-inf")
    for idx, row in d.iterrows():
        if row[y] > best:
            keep.append(idx)
            best = row[y]
    return d.loc[keep]


def landscape_figure(df: pd.DataFrame, y_label: str, colour_by: str = "auto", highlight: str | None = None,
                     frontier: bool = False, spotlight: str | None = None) -> go.Figure:
    """The Landscape page's chart: ``charts.landscape_scatter`` recoloured (``legible.recolour``), with
    the Pareto frontier when asked and one family in the spotlight. A new figure per call (the
    pages cache it per input and never change it)."""
    from landscape import charts
    fig = charts.landscape_scatter(df, y_label)
    legible.recolour(fig, df, colour_by, highlight)
    if frontier:
        add_frontier(fig, df)
    return charts.spotlight(fig, df, spotlight)


def add_frontier(fig: go.Figure, points: pd.DataFrame) -> go.Figure:
    front = pareto_frontier(points)
    if len(front):
        fig.add_trace(go.Scatter(x=front["total_params_b"], y=front["score"], mode="lines",
                                 line=dict(shape="hv", dash="dot", color="#444", width=1.5),
                                 name="Pareto frontier (best score per size)", hoverinfo="skip"), row=1, col=1)
    return fig


# ---------------------------------------------------------------------------------------------
# data quality

STALE_AFTER_DAYS = 180


def source_badges(status: pd.DataFrame, today: date | None = None) -> pd.DataFrame:
    """Adds ``badge`` (frozen / stale / failed / partial / ok) to the ``sources`` table (whose
    ``frozen`` column the loader writes from the source's declaration). Stale = the newest number
    is older than ``STALE_AFTER_DAYS`` at fetch time."""
    out = status.copy()
    out["frozen"] = out["frozen"].fillna(False).astype(bool)
    badges = []
    for r in out.itertuples(index=False):
        ref = pd.Timestamp(r.fetched_at).date() if pd.notna(r.fetched_at) else (today or date.today())
        parts = []
        if r.frozen:
            parts.append("frozen (archived upstream)")
        if pd.notna(r.as_of) and (ref - pd.Timestamp(r.as_of).date()).days > STALE_AFTER_DAYS:
            parts.append(f"stale: newest data {pd.Timestamp(r.as_of):%Y-%m}")
        if r.status != "ok":
            parts.append(r.status)
        badges.append(", ".join(parts) or "ok")
    out["badge"] = badges
    return out


def sources_with_badges(path: Path | None = None) -> pd.DataFrame:
    """The ``sources`` table with ``badge`` and ``frozen`` first, for the Data quality page."""
    status = query_df("SELECT * FROM sources ORDER BY name", None, path)
    out = source_badges(status)
    first = ["name", "badge", "status", "rows", "matched", "unmatched", "as_of", "fetched_at"]
    return out[[c for c in first if c in out] + [c for c in out.columns if c not in first]]


def benchmarks_for_sources(options: pd.DataFrame, sources: list[str]) -> pd.DataFrame:
    """The benchmarks the chosen sources report, most-covered first (from ``eval_options``)."""
    pool = options[options["source"].isin(sources)] if sources else options.iloc[0:0]
    return (pool.groupby("benchmark", as_index=False)
            .agg(models=("models", "max"), label=("label", "first"), unit=("unit", "first"))
            .sort_values(["models", "benchmark"], ascending=[False, True]))
