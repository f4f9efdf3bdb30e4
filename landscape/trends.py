"""Two charts the launch story needs: the deployment-fit frontier ("best model for my memory
budget") and the release timeline with the open-weights vs closed frontier and its lag.

Pure data functions (DataFrames in, DataFrames out; the database only through ``landscape.queries``
and ``landscape.fit``'s public functions) and Plotly figures. No streamlit.

Deployment-fit frontier: for every released open-weight model with an independent score on the
chosen benchmark, the memory it needs at the chosen format, context and runtime on one device
(``fit.fit_table`` on an unbounded custom budget: weights + KV cache + runtime overhead), divided by
the runtime's memory-utilisation fraction (vLLM uses 0.9 of a device), is the budget it needs. Per
family, the frontier is the best score reachable within each budget: a step line through the
models that beat every smaller-budget model of their family.

Open vs closed frontier: x = release date (registry), y = the model's latest independent score on
the benchmark. Each side's frontier is the running best by release date. Lag: for every new closed
record (a closed model that beat every earlier closed model), the months until the first open-weights
model released on or after it reached that score (months = days / 30.44); records the open side
has not reached are counted as not yet matched. The lag is over *our registry's* models only.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from landscape import fit
from landscape.fit import grid
from landscape.charts import _esc, arr, days, escs, family_color, per_point, scatter, symbols
from landscape.filters import Filters

DAYS_PER_MONTH = 30.44
UNBOUNDED_GIB = grid.UNBOUNDED_GIB  # a custom single device large enough to hold anything: the estimate is the need
FRONTIER_HARDWARE = ["rtx4090", "rtx5090", "mac-64", "h100", "mac-128", "h200", "8xh100", "8xh200"]
SPOTLIGHT_DEFAULT = "Llama 4"


# ---------------------------------------------------------------- deployment-fit frontier

NEED_COLUMNS = ("model_id", "name", "family", "total_params_b", "status", "weights_gib", "kv_cache_gib", "total_gib",
                "estimate_basis")


def memory_need(filters: Filters | None, quant: str, context: str | int, runtime: str,
                path: Path | None = None, kv_dtype: str = "bf16") -> pd.DataFrame:
    """Per released open-weight model: the single-device memory budget (GiB) it needs at
    ``quant``/``context``/``runtime`` = estimated total / the runtime's memory utilisation."""
    f = filters or Filters()
    ft = fit.fit_table(f, "custom", 1, quant, context, kv_dtype, runtime, path, custom_gib=UNBOUNDED_GIB,
                       columns=NEED_COLUMNS)
    rt = fit.RUNTIMES[runtime]
    ft = ft[ft["total_gib"].notna() & ~ft["status"].isin(["api_only", "unreleased"])].copy()
    ft["need_gib"] = ft["total_gib"] / rt.memory_utilization
    ft["kv_known"] = ft["estimate_basis"] == "architecture"
    return ft[["model_id", "name", "family", "total_params_b", "need_gib", "weights_gib", "kv_cache_gib",
               "kv_known", "estimate_basis"]].reset_index(drop=True)


def fit_frontier(points: pd.DataFrame, need: pd.DataFrame) -> pd.DataFrame:
    """Join scores (``queries.landscape_points``) with memory needs and mark, per family, the models
    on its frontier (each beats every model of the family needing less or equal memory).
    ``family_best`` = the best score of the family within that model's budget."""
    d = points[["model_id", "score", "unit", "source", "as_of", "setting", "source_url"]].merge(
        need, on="model_id", how="inner")
    d = d.sort_values(["family", "need_gib", "score"], ascending=[True, True, False]).reset_index(drop=True)
    # the running best of the family in that order (a missing score never raises it), and whether
    # each model beats the best before it
    best = d["score"].astype(float).fillna(-math.inf).groupby(d["family"], sort=False).cummax()
    before = best.groupby(d["family"], sort=False).shift().fillna(-math.inf)
    d["on_frontier"] = (d["score"].astype(float) > before).to_numpy(dtype=bool)
    d["family_best"] = best.to_numpy(dtype=float)
    return d


def hardware_lines(ids: list[str] | None = None, runtime: str = "llama.cpp") -> pd.DataFrame:
    """Hardware presets as budgets: all devices' memory (what a model may need in total on that
    box, before the runtime's utilisation fraction, which ``need_gib`` already includes)."""
    presets = fit.hardware_presets()
    rows = []
    for hid in ids or FRONTIER_HARDWARE:
        if hid in presets:
            h = presets[hid]
            rows.append({"hardware_id": hid, "name": h.name, "gib": h.usable_gib_per_device * h.devices})
    return pd.DataFrame(rows)


def budget_table(front: pd.DataFrame, hw: pd.DataFrame) -> pd.DataFrame:
    """Per family and hardware budget: the best score reachable and the model that reaches it
    (unknown when no model of the family fits)."""
    rows = []
    budgets = list(zip(hw["name"].tolist(), hw["gib"].tolist())) if len(hw) else []
    d = front.sort_values(["family", "need_gib"], kind="stable") if len(front) else front
    for fam, g in d.groupby("family", sort=True):
        need, score = g["need_gib"].to_numpy(dtype=float), g["score"].to_numpy(dtype=float)
        names, ids = g["name"].tolist(), g["model_id"].tolist()
        for name, gib in budgets:
            n = int(np.searchsorted(need, gib, side="right"))  # the models needing at most the budget
            if n:
                i = int(np.argmax(score[:n]))  # the best; the first in the table's order on a tie
                rows.append({"family": fam, "hardware": name, "budget_gib": gib, "best_score": score[i].item(),
                             "model": names[i], "model_id": ids[i]})
            else:
                rows.append({"family": fam, "hardware": name, "budget_gib": gib, "best_score": None,
                             "model": None, "model_id": None})
    return pd.DataFrame(rows, columns=["family", "hardware", "budget_gib", "best_score", "model", "model_id"])


def _fade(color: str) -> str:
    return "rgba(150,150,150,0.35)" if color else color


def fit_frontier_chart(front: pd.DataFrame, hw: pd.DataFrame, y_label: str, spotlight: str | None = None,
                       subtitle: str = "") -> go.Figure:
    """x = memory budget (GiB, log), y = best independent score reachable within it; one step line per
    family (its frontier), every model as a marker, hardware presets as labelled vertical lines.
    ``spotlight`` highlights one family with point labels; the others fade."""
    fig = go.Figure()
    if front.empty:
        fig.add_annotation(text="No open-weight model with this score and a memory estimate", showarrow=False,
                           x=0.5, y=0.5, xref="paper", yref="paper")
        return fig
    x_max = float(front["need_gib"].max()) * 1.5
    traces = []
    for fam, g in front.groupby("family", sort=True):
        lit = spotlight is None or fam == spotlight
        color = family_color(fam) if lit else _fade(family_color(fam))
        fr = g[g["on_frontier"]]
        xs = fr["need_gib"].tolist() + [x_max]
        ys = fr["score"].tolist() + [fr["score"].iloc[-1]]
        traces.append(scatter(x=xs, y=ys, mode="lines", line=dict(shape="hv", color=color, width=3 if lit else 1.5),
                                 name=fam, legendgroup=fam, hoverinfo="skip"))
        fam_esc, on_front, kv = _esc(fam), g["on_frontier"].tolist(), g["kv_known"].tolist()
        hover = [f"<b>{n}</b> ({fam_esc})<br>needs {need:.1f} GiB"
                 f"{'' if k else ' (weights + overhead; KV unknown)'}<br>"
                 f"score {sc:g} {u} · {src}, as of {day}<br>"
                 f"{'on the family frontier' if f else 'beaten by a smaller model of its family'}<br>"
                 f"page: model?id={mid}"
                 for n, need, k, sc, u, src, day, f, mid in zip(
                     escs(g["name"]), g["need_gib"].tolist(), kv, g["score"].tolist(), escs(g["unit"]),
                     escs(g["source"]), days(g["as_of"]), on_front, escs(g["model_id"]))]
        traces.append(scatter(
            x=arr(g["need_gib"]), y=arr(g["score"]), mode="markers+text" if (spotlight and lit) else "markers",
            text=arr(escs(g["name"])) if (spotlight and lit) else None, textposition="top center",
            textfont=dict(size=10, color=color),
            marker=dict(color=color, size=per_point([10 if f else 6 for f in on_front]),
                        symbol=symbols(["circle" if k else "circle-open" for k in kv])),
            name=fam, legendgroup=fam, showlegend=False, hovertext=arr(hover), hoverinfo="text",
            customdata=arr(g["model_id"])))
    fig.add_traces(traces)
    # the shapes add_vline would add, set at once (add_vline re-walks the subplots on every call)
    fig.update_layout(
        shapes=[dict(type="line", x0=h.gib, x1=h.gib, xref="x", y0=0, y1=1, yref="y domain",
                     line=dict(color="#777", dash="dot", width=1)) for h in hw.itertuples()],
        annotations=[dict(x=math.log10(h.gib), y=1.0, xref="x", yref="paper", text=_esc(h.name), textangle=-90,
                          showarrow=False, xanchor="right", yanchor="top", font=dict(size=9, color="#555"))
                     for h in hw.itertuples()])
    fig.update_xaxes(type="log", title_text="memory budget (GiB, log scale; estimate)")
    fig.update_yaxes(title_text=f"best {y_label} within the budget")
    fig.update_layout(height=600, margin=dict(l=10, r=10, t=50, b=10), legend_title_text="family",
                      title=dict(text=subtitle, font=dict(size=13)), hoverlabel=dict(align="left"))
    return fig


# ---------------------------------------------------------------- timeline

def release_timeline(models: pd.DataFrame) -> pd.DataFrame:
    """Released models with a release date (base checkpoints left out: they ship with their chat
    model), with the gap in months since the family's previous release."""
    d = models[models["release_date"].notna() & models["released"].astype(bool)
               & ~models["name"].str.lower().str.endswith(" base")].copy()
    d["release_date"] = pd.to_datetime(d["release_date"])
    d = d.sort_values(["family", "release_date", "name"]).reset_index(drop=True)
    # per row, the family's latest release day before this one: the day before each (family, day)
    # block's first row, shared by the block; none for the family's first day
    fam, day = d["family"], d["release_date"]
    new_fam = fam.ne(fam.shift())
    new_day = new_fam | day.ne(day.shift())
    prev = day.shift().where(new_day & ~new_fam).groupby(new_day.cumsum()).transform("first")
    d["months_since_previous"] = ((day - prev).dt.days / DAYS_PER_MONTH).astype(float)
    return d[["model_id", "name", "family", "vendor", "open_weights", "release_date", "total_params_b",
              "months_since_previous"]]


def timeline_chart(tl: pd.DataFrame, spotlight: str | None = None) -> go.Figure:
    """Release dates per family (one row per family, markers labelled in the spotlight family)."""
    fig = go.Figure()
    fams = sorted(tl["family"].unique())
    traces = []
    for fam, g in tl.groupby("family", sort=True):
        lit = spotlight is None or fam == spotlight
        color = family_color(fam) if lit else _fade(family_color(fam))
        labels = None
        if spotlight and lit:  # one label per release day (models released together share it)
            names_by_day = g.groupby("release_date")["name"].apply(lambda s: ", ".join(s))
            first = ~g["release_date"].duplicated()
            labels = arr([_esc(names_by_day[d]) if f else "" for d, f in zip(g["release_date"], first)])
        hover = [f"<b>{n}</b><br>released {day}"
                 + (f"<br>{gap:.1f} months after the family's previous release"
                    if gap is not None and gap == gap else "<br>first release of the family here")
                 + f"<br>page: model?id={mid}"
                 for n, day, gap, mid in zip(escs(g["name"]), days(g["release_date"]),
                                             g["months_since_previous"].tolist(), escs(g["model_id"]))]
        traces.append(scatter(
            x=arr(g["release_date"]), y=np.full(len(g), fam, dtype=object),
            mode="lines+markers+text" if (spotlight and lit) else "lines+markers",
            text=labels, textposition="top center",
            textfont=dict(size=9), line=dict(color=color, width=1), name=fam, showlegend=False,
            marker=dict(color=color, size=9, symbol=symbols(["circle" if o else "circle-open"
                                                             for o in g["open_weights"].tolist()])),
            hovertext=arr(hover), hoverinfo="text", customdata=arr(g["model_id"])))
    if traces:
        fig.add_traces(traces)
    fig.update_layout(height=max(320, 40 * len(fams) + 120), margin=dict(l=10, r=10, t=30, b=10),
                      xaxis_title="release date (registry)", title="Release cadence per family (hollow = closed weights)")
    return fig


def open_closed_frontier(points: pd.DataFrame) -> pd.DataFrame:
    """Scored models by release date with each side's running best (``frontier``) and whether the
    model set a new record for its side."""
    d = points[points["release_date"].notna() & points["score"].notna()].copy()
    d["release_date"] = pd.to_datetime(d["release_date"])
    d["side"] = d["open_weights"].map({True: "open weights", False: "closed"})
    d = d.sort_values(["release_date", "score"], ascending=[True, False]).reset_index(drop=True)
    d["frontier"] = d.groupby("side")["score"].cummax()
    d["record"] = d["score"] >= d["frontier"]
    d["record"] &= ~d.duplicated(["side", "frontier"])
    return d


def frontier_lag(front: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Per closed record: the first open-weights model released on or after it with a score at least
    as high (on a shared release day, the higher score), and the lag in months. Summary: median/mean lag over matched records and the count not
    yet matched (with how long they have waited until the newest as-of date in the data)."""
    closed = front[(front["side"] == "closed") & front["record"]]
    opened = front[front["side"] == "open weights"]
    # how long an unmatched record has waited: until the newest result in the data (its as-of date)
    latest = pd.to_datetime(front["as_of"]).max() if len(front) and "as_of" in front else None
    rows = []
    # opened is in release order (then score, best first): the first match is the earliest release
    o_day, o_score = opened["release_date"].to_numpy(), opened["score"].to_numpy(dtype=float)
    o_name = opened["name"].tolist()
    for r in closed.itertuples():
        hit = np.flatnonzero((o_day >= np.datetime64(r.release_date)) & (o_score >= r.score))
        if len(hit):
            i = int(hit[0])
            o_release = pd.Timestamp(o_day[i])
            rows.append({"closed_model": r.name, "closed_release": r.release_date, "score": r.score,
                         "open_model": o_name[i], "open_release": o_release, "open_score": float(o_score[i]),
                         "lag_months": (o_release - r.release_date).days / DAYS_PER_MONTH})
        else:
            rows.append({"closed_model": r.name, "closed_release": r.release_date, "score": r.score,
                         "open_model": None, "open_release": None, "open_score": None,
                         "lag_months": None,
                         "waiting_months": (latest - r.release_date).days / DAYS_PER_MONTH if latest is not None else None})
    lag = pd.DataFrame(rows, columns=["closed_model", "closed_release", "score", "open_model", "open_release",
                                      "open_score", "lag_months", "waiting_months"])
    matched = lag["lag_months"].dropna()
    summary = {"closed_records": len(lag), "matched": int(len(matched)), "unmatched": int(len(lag) - len(matched)),
               "median_lag_months": float(matched.median()) if len(matched) else None,
               "mean_lag_months": float(matched.mean()) if len(matched) else None,
               "open_models": int(len(opened)), "closed_models": int((front["side"] == "closed").sum())}
    return lag, summary


LAG_METHOD = ("Lag = for each closed record (a closed model beating every earlier closed model on this "
              "benchmark), the months (days / 30.44) until the first open-weights model, released on or "
              "after it, scored at least as much; x = registry release date, y = each model's latest "
              "independent score. Computed over the models in our registry only (closed = Gemini, "
              "Qwen2.5-Max...), not the whole field: Epoch's ~3-4 months on ECI covers far more models.")


def open_closed_chart(front: pd.DataFrame, y_label: str, lag: pd.DataFrame | None = None) -> go.Figure:
    fig = go.Figure()
    if front.empty:
        fig.add_annotation(text="No dated model with this score", showarrow=False, x=0.5, y=0.5,
                           xref="paper", yref="paper")
        return fig
    colors = {"open weights": "#2ca02c", "closed": "#8c564b"}
    traces = []
    for side, g in front.groupby("side"):
        c = colors.get(side, "#444")
        traces.append(scatter(
            x=arr(g["release_date"]), y=arr(g["score"]), mode="markers", name=f"{side} models",
            marker=dict(color=c, size=7, opacity=0.6, symbol="circle" if side == "open weights" else "circle-open"),
            hovertext=arr([f"<b>{n}</b> ({fa})<br>released {rel}<br>"
                           f"{sc:g} {u} · {src}, as of {day}<br>page: model?id={mid}"
                           for n, fa, rel, sc, u, src, day, mid in zip(
                               escs(g["name"]), escs(g["family"]), days(g["release_date"]), g["score"].tolist(),
                               escs(g["unit"]), escs(g["source"]), days(g["as_of"]), escs(g["model_id"]))]),
            hoverinfo="text", customdata=arr(g["model_id"])))
        end = front["release_date"].max()
        traces.append(scatter(x=arr(pd.concat([g["release_date"], pd.Series([end])], ignore_index=True)),
                                 y=arr(pd.concat([g["frontier"], g["frontier"].iloc[-1:]], ignore_index=True)),
                                 mode="lines", line=dict(shape="hv", color=c, width=2.5), name=f"{side} frontier",
                                 hoverinfo="skip"))
    if lag is not None:
        for r in lag.dropna(subset=["lag_months"]).itertuples():
            traces.append(scatter(x=[r.closed_release, r.open_release], y=[r.score, r.score], mode="lines",
                                     line=dict(color="#999", dash="dot", width=1), showlegend=False,
                                     hovertext=f"{_esc(r.closed_model)} → {_esc(r.open_model)}: {r.lag_months:.1f} months",
                                     hoverinfo="text"))
    fig.add_traces(traces)
    fig.update_layout(height=480, margin=dict(l=10, r=10, t=40, b=10), xaxis_title="release date (registry)",
                      yaxis_title=y_label, title="Open-weights vs closed frontier (running best by release date)")
    return fig


# --- the page's three views, each built once per input (cached per database version by ui_data) ---
def frontier_view(filters: Filters | None, benchmark: str, source: str, quant: str, context: str, runtime: str,
                  spotlight: str | None = None, path: Path | None = None) -> dict:
    """The fit frontier chart, its points and the best-score-per-budget table for one setting."""
    from landscape import queries
    front = fit_frontier(queries.landscape_points(filters or Filters(), benchmark, source, path=path),
                         memory_need(filters, quant, context, runtime, path=path))
    hw = hardware_lines()
    fig = fit_frontier_chart(front, hw, queries.benchmark_label(benchmark), spotlight,
                             subtitle=f"{quant}, {context} context, {runtime}, BF16 KV cache")
    return {"front": front, "hardware": hw, "figure": fig, "budget": budget_table(front, hw)}


def timeline_view(filters: Filters | None, spotlight: str | None = None, path: Path | None = None) -> dict:
    from landscape import queries
    tl = release_timeline(queries.models(filters or Filters(), path))
    return {"timeline": tl, "figure": timeline_chart(tl, spotlight)}


def open_closed_view(filters: Filters | None, benchmark: str, source: str, path: Path | None = None) -> dict:
    from landscape import queries
    oc = open_closed_frontier(queries.landscape_points(filters or Filters(), benchmark, source, path=path))
    lag, summ = frontier_lag(oc)
    return {"frontier": oc, "lag": lag, "summary": summ,
            "figure": open_closed_chart(oc, queries.benchmark_label(benchmark), lag)}
