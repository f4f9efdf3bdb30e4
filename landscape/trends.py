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
from landscape.charts import (_esc, arr, days, escs, family_color, per_point, scatter, spec_figure, symbols, templated,
                              tmpl_text)
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
    if front.empty:
        return spec_figure(annotations=[dict(text="No open-weight model with this score and a memory estimate",
                                             showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")])
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
        on_front, kv = g["on_frontier"].tolist(), g["kv_known"].tolist()
        hover = templated(
            f"<b>{{name}}</b> ({tmpl_text(fam)})<br>needs {{need}} GiB{{kv}}<br>score {{score}} {{unit}} · {{source}}, "
            "as of {day}<br>{front}<br>page: model?id={id}", g["model_id"].tolist(),
            name=escs(g["name"]), need=[f"{v:.1f}" for v in g["need_gib"].tolist()],
            kv=["" if k else " (weights + overhead; KV unknown)" for k in kv],
            score=[f"{v:g}" for v in g["score"].tolist()], unit=escs(g["unit"]), source=escs(g["source"]),
            day=days(g["as_of"]),
            front=["on the family frontier" if f else "beaten by a smaller model of its family" for f in on_front])
        traces.append(scatter(
            x=arr(g["need_gib"]), y=arr(g["score"]), mode="markers+text" if (spotlight and lit) else "markers",
            text=arr(escs(g["name"])) if (spotlight and lit) else None, textposition="top center",
            textfont=dict(size=10, color=color),
            marker=dict(color=color, size=per_point([10 if f else 6 for f in on_front]),
                        symbol=symbols(["circle" if k else "circle-open" for k in kv])),
            name=fam, legendgroup=fam, showlegend=False, **hover))
    # the shapes add_vline would add, given at once; the figure as its specification (charts.SpecFigure)
    return spec_figure(
        traces,
        shapes=[dict(type="line", x0=h.gib, x1=h.gib, xref="x", y0=0, y1=1, yref="y domain",
                     line=dict(color="#777", dash="dot", width=1)) for h in hw.itertuples()],
        annotations=[dict(x=math.log10(h.gib), y=1.0, xref="x", yref="paper", text=_esc(h.name), textangle=-90,
                          showarrow=False, xanchor="right", yanchor="top", font=dict(size=9, color="#555"))
                     for h in hw.itertuples()],
        xaxis=dict(type="log", title=dict(text="memory budget (GiB, log scale; estimate)")),
        yaxis=dict(title=dict(text=f"best {y_label} within the budget")),
        height=600, margin=dict(l=10, r=10, t=50, b=10), legend=dict(title=dict(text="family")),
        title=dict(text=subtitle, font=dict(size=13)), hoverlabel=dict(align="left"))


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


TIMELINE_NAMES = 4  # names a release-day marker lists before "and N more"


def release_days(tl: pd.DataFrame) -> pd.DataFrame:
    """One row per family, release day and weights (open or closed): the models released together,
    which one marker stands for (stacked markers hid each other, and at 100x the timeline sent
    25,000 of them). ``ids``/``names`` in the timeline's order; ``names`` HTML-escaped."""
    d = tl[["family", "release_date", "open_weights", "model_id", "name", "months_since_previous"]].copy()
    d["open_weights"] = d["open_weights"].astype(bool)
    d = d.sort_values(["family", "release_date", "open_weights"], kind="stable").reset_index(drop=True)
    # block starts where any key changes (a groupby building lists took 0.3 s at 100x; slices take ms)
    keys = [d[c].to_numpy() for c in ("family", "release_date", "open_weights")]
    n = len(d)
    start = np.zeros(n, dtype=bool)
    if n:
        start[0] = True
        for k in keys:
            start[1:] |= k[1:] != k[:-1]
    cut = np.flatnonzero(start).tolist() + [n]
    ids, names = d["model_id"].tolist(), escs(d["name"])
    out = d.loc[cut[:-1], ["family", "release_date", "open_weights", "months_since_previous"]].reset_index(drop=True)
    out = out.rename(columns={"months_since_previous": "gap"})
    out["ids"] = pd.Series([ids[a:b] for a, b in zip(cut, cut[1:])], dtype=object)
    out["names"] = pd.Series([names[a:b] for a, b in zip(cut, cut[1:])], dtype=object)
    return out[["family", "release_date", "open_weights", "ids", "names", "gap"]]


def _names_label(names: list[str]) -> str:
    shown = ", ".join(names[:TIMELINE_NAMES])
    more = len(names) - TIMELINE_NAMES
    return f"<b>{shown}</b>" + (f" and {more} more" if more > 0 else "")


def timeline_chart(tl: pd.DataFrame, spotlight: str | None = None) -> go.Figure:
    """Release dates per family: one row per family, one marker per release day (models released
    together share it; hollow = closed weights), labelled in the spotlight family. A marker's
    ``customdata[0]`` is the list of its models' ids (a click links to each)."""
    fams = sorted(tl["family"].unique())
    traces = []
    blocks = release_days(tl)
    for fam, g in blocks.groupby("family", sort=True):
        lit = spotlight is None or fam == spotlight
        color = family_color(fam) if lit else _fade(family_color(fam))
        names, ids, gaps = g["names"].tolist(), g["ids"].tolist(), g["gap"].tolist()
        label = [_names_label(n) for n in names]
        gap = [f"<br>{v:.1f} months after the family's previous release" if v == v and v is not None
               else "<br>first release of the family here" for v in gaps]
        page = [f"<br>page: model?id={_esc(i[0])}" if len(i) == 1
                else f"<br>{len(i)} models: click for their Model pages" for i in ids]
        hover = templated("{label}<br>released {day}{gap}{page}", [""] * len(g),
                          label=label, day=days(g["release_date"]), gap=gap, page=page)
        hover["customdata"][:, 0] = pd.Series(ids, dtype=object).to_numpy()
        spot = bool(spotlight and lit)
        traces.append(scatter(
            x=arr(g["release_date"]), y=np.full(len(g), fam, dtype=object),
            mode="lines+markers+text" if spot else "lines+markers",
            text=arr([", ".join(n) for n in names]) if spot else None, textposition="top center",
            textfont=dict(size=9), line=dict(color=color, width=1), name=fam, showlegend=False,
            marker=dict(color=color, size=9, symbol=symbols(["circle" if o else "circle-open"
                                                             for o in g["open_weights"].tolist()])),
            **hover))
    return spec_figure(traces, height=max(320, 40 * len(fams) + 120), margin=dict(l=10, r=10, t=30, b=10),
                       xaxis=dict(title=dict(text="release date (registry)")),
                       title=dict(text="Release cadence per family (one marker per release day; hollow = closed weights)"))


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
    if front.empty:
        return spec_figure(annotations=[dict(text="No dated model with this score", showarrow=False, x=0.5, y=0.5,
                                             xref="paper", yref="paper")])
    colors = {"open weights": "#2ca02c", "closed": "#8c564b"}
    traces = []
    for side, g in front.groupby("side"):
        c = colors.get(side, "#444")
        traces.append(scatter(
            x=arr(g["release_date"]), y=arr(g["score"]), mode="markers", name=f"{side} models",
            marker=dict(color=c, size=7, opacity=0.6, symbol="circle" if side == "open weights" else "circle-open"),
            **templated("<b>{name}</b> ({family})<br>released {released}<br>{score} {unit} · {source}, as of {day}"
                        "<br>page: model?id={id}", g["model_id"].tolist(), name=escs(g["name"]),
                        family=escs(g["family"]), released=days(g["release_date"]),
                        score=[f"{v:g}" for v in g["score"].tolist()], unit=escs(g["unit"]),
                        source=escs(g["source"]), day=days(g["as_of"]))))
        end = front["release_date"].max()
        traces.append(scatter(x=arr(pd.concat([g["release_date"], pd.Series([end])], ignore_index=True)),
                                 y=arr(pd.concat([g["frontier"], g["frontier"].iloc[-1:]], ignore_index=True)),
                                 mode="lines", line=dict(shape="hv", color=c, width=2.5), name=f"{side} frontier",
                                 hoverinfo="skip"))
    if lag is not None and lag["lag_months"].notna().any():
        # every closed record's wait as one dotted segment (closed release -> open match), all in one
        # trace split by gaps: a trace per segment cost the browser a trace each (hundreds at 100x)
        m = lag.dropna(subset=["lag_months"])
        n = len(m)
        xs = np.empty(3 * n, dtype=object)
        xs[0::3], xs[1::3], xs[2::3] = days(m["closed_release"]), days(m["open_release"]), None
        ys = np.full(3 * n, np.nan)
        ys[0::3] = ys[1::3] = m["score"].to_numpy(dtype=float)
        label = [f"{a} → {b}: {v:.1f} months" for a, b, v in zip(escs(m["closed_model"]), escs(m["open_model"]),
                                                                   m["lag_months"].tolist())]
        text = np.empty(3 * n, dtype=object)
        text[0::3] = text[1::3] = label
        text[2::3] = ""
        traces.append(scatter(x=xs, y=ys, mode="lines", line=dict(color="#999", dash="dot", width=1),
                              showlegend=False, name="lag", hovertext=text, hoverinfo="text", connectgaps=False))
    return spec_figure(traces, height=480, margin=dict(l=10, r=10, t=40, b=10),
                       xaxis=dict(title=dict(text="release date (registry)")), yaxis=dict(title=dict(text=y_label)),
                       title=dict(text="Open-weights vs closed frontier (running best by release date)"))


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
