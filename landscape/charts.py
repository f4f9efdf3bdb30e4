"""Plotly figures. Pure functions of DataFrames: no database access, no streamlit."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from landscape.tiers import TIERS

PALETTE = {
    "Llama 4": "#1f77b4", "Llama 3.x": "#7fb2e5", "Qwen3": "#d62728", "Qwen3-2507": "#ff7f7f",
    "Qwen2.5": "#e377c2", "QwQ": "#9467bd", "DeepSeek V3": "#2ca02c", "DeepSeek R1": "#17becf",
    "DeepSeek R1 distill": "#98df8a", "Gemma 3": "#ff7f0e", "Gemma 3n": "#ffbb78", "Gemma 2": "#bcbd22",
    "Gemini": "#8c564b",
}
TIER_SHADES = ["rgba(120,120,120,0.10)", "rgba(255,255,255,0.0)"]


def family_color(family: str) -> str:
    if family in PALETTE:
        return PALETTE[family]
    # deterministic fallback colour for families added later
    h = sum(ord(c) for c in family) % 360
    return f"hsl({h},55%,45%)"


def is_true(v) -> bool:
    """A nullable flag from a query row: only a real True counts (NULL/NaN/NA are unknown, not True)."""
    try:
        return bool(pd.notna(v)) and bool(v)
    except (TypeError, ValueError):
        return False


def _symbol(row) -> str:
    base = "diamond" if is_true(row["is_moe"]) else "circle"
    if not row["released"]:
        base = "x"
    return base if row["open_weights"] else base + "-open"


def _size(active) -> float:
    if active is None or (isinstance(active, float) and math.isnan(active)):
        return 9.0
    return 6.0 + 2.6 * math.sqrt(float(active))


def _fmt_b(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "undisclosed"
    return f"{v:g}B"


def hover_text(row) -> str:
    ci = ""
    if pd.notna(row.get("ci_low")) and pd.notna(row.get("ci_high")):
        ci = f" (95% CI {row['ci_low']:g}-{row['ci_high']:g})"
    parts = [
        f"<b>{_esc(row['name'])}</b>",
        f"{_esc(row['family'])} · {'open weights' if row['open_weights'] else 'closed'}"
        f"{'' if row['released'] else ' · UNRELEASED'}"
        f"{' · discovered (catalogue facts, not curated)' if row.get('facts') == 'discovered' else ''}",
        f"params: {_fmt_b(row['total_params_b'])} total / {_fmt_b(row['active_params_b'])} active"
        f"{' (MoE)' if is_true(row['is_moe']) else ''}",
        f"licence: {_esc(row['licence_id']) if pd.notna(row['licence_id']) else 'unknown'}",
        f"score: {row['score']:g} {_esc(row['unit'])}{ci}",
        f"source: {_esc(row['source'])}, as of {_day(row['as_of'])}",
    ]
    if row.get("setting"):
        parts.append(f"setting: {_esc(str(row['setting'])[:80])}")
    if row.get("model_id"):
        parts.append(f"click for its Model page (model?id={_esc(row['model_id'])})")
    return "<br>".join(parts)


def _day(v) -> str:
    return pd.Timestamp(v).strftime("%Y-%m-%d") if pd.notna(v) else "unknown"


def _esc(s) -> str:
    """Plotly renders a subset of HTML in hover labels: escape upstream strings."""
    return (str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def landscape_scatter(df: pd.DataFrame, y_label: str, log_y: bool = False) -> go.Figure:
    """Score vs total parameters (log x), colour = family, size = active params, symbol = MoE/dense,
    hollow = closed weights, x = unreleased. Models of undisclosed size sit in a strip on the right."""
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, column_widths=[0.86, 0.14],
                        horizontal_spacing=0.02, subplot_titles=("", "size undisclosed"))
    if df.empty:
        fig.add_annotation(text="No model matches the filters with a score on this benchmark",
                           showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    known = df[df["total_params_b"].notna()] if not df.empty else df
    xs = known["total_params_b"].tolist() if not known.empty else [1, 1000]
    lo, hi = max(min(xs) / 1.6, 0.1), max(xs) * 1.6
    for i, (name, t_lo, t_hi) in enumerate(TIERS):
        a, b = max(t_lo, lo), min(t_hi, hi)
        if a >= b:
            continue
        fig.add_vrect(x0=a, x1=b, fillcolor=TIER_SHADES[i % 2], line_width=0,
                      layer="below", row=1, col=1, exclude_empty_subplots=False)
        # annotations on a log axis take log10 coordinates (shapes take data values)
        fig.add_annotation(x=math.log10(a * 1.05), y=1.0, xref="x", yref="y domain", text=name, showarrow=False,
                           xanchor="left", yanchor="top", font=dict(size=10, color="#666"))
    for family, grp in df.groupby("family", sort=True) if not df.empty else []:
        color = family_color(family)
        for col, part in ((1, grp[grp["total_params_b"].notna()]), (2, grp[grp["total_params_b"].isna()])):
            if part.empty:
                continue
            x = part["total_params_b"] if col == 1 else ["undisclosed"] * len(part)
            err = None
            if part["ci_low"].notna().any():
                err = dict(type="data", symmetric=False,
                           array=(part["ci_high"] - part["score"]).fillna(0).tolist(),
                           arrayminus=(part["score"] - part["ci_low"]).fillna(0).tolist(),
                           thickness=1, width=0, color=color)
            recs = part.to_dict("records")  # plain dicts: iterrows built a Series per point
            fig.add_trace(go.Scatter(
                x=x, y=part["score"], mode="markers", name=family, legendgroup=family,
                showlegend=bool(col == 1 or grp["total_params_b"].notna().sum() == 0),
                error_y=err,
                marker=dict(color=color, size=[_size(v) for v in part["active_params_b"]],
                            symbol=[_symbol(r) for r in recs],
                            line=dict(width=1.5, color=color), opacity=0.85),
                text=[hover_text(r) for r in recs], hoverinfo="text",
                customdata=part["model_id"],
            ), row=1, col=col)
    fig.update_xaxes(type="log", title_text="total parameters (billions, log scale)", range=[math.log10(lo), math.log10(hi)],
                     row=1, col=1)
    fig.update_xaxes(showticklabels=False, row=1, col=2)
    fig.update_yaxes(title_text=y_label, type="log" if log_y else "linear", row=1, col=1)
    fig.update_layout(height=560, margin=dict(l=10, r=10, t=40, b=10), legend_title_text="family",
                      hoverlabel=dict(align="left"))
    # appended, not re-assigned: re-validating every annotation cost ~0.1 s per chart
    fig.add_annotation(text="● dense  ◆ MoE  ○ hollow = closed weights  × unreleased · marker size = active params",
                       xref="paper", yref="paper", x=0, y=-0.13, showarrow=False, font=dict(size=11, color="#555"))
    return fig


MEMORY_PARTS = [("weights_gib", "Weights", "#4C78A8"), ("kv_cache_gib", "KV cache", "#F58518"),
                ("overhead_gib", "Runtime overhead", "#54A24B")]


def memory_breakdown(fit_rows: pd.DataFrame, usable_gib: float | None, limit: int = 40) -> go.Figure:
    """Stacked horizontal bars of the estimated memory per model (weights, KV cache, overhead), a
    whisker over each total for its p10-p90 range (``total_gib_low`` / ``total_gib_high``), and the
    usable memory as a dashed line. Unknown parts and ranges are not drawn (the hover says unknown)."""
    chart = fit_rows[fit_rows["weights_gib"].notna()].sort_values("total_gib").tail(limit)
    fig = go.Figure()
    for col, label, colour in MEMORY_PARTS:
        fig.add_bar(y=[_esc(n) for n in chart["name"]], x=chart[col].fillna(0), name=label, orientation="h",
                    marker_color=colour,
                    hovertext=[f"{_esc(n)}<br>{label}: {'unknown' if pd.isna(v) else f'{v:.2f} GiB'}"
                               for n, v in zip(chart["name"], chart[col])], hoverinfo="text")
    # the measured error range of the total (p10-p90 of measured / estimated on held-out rows):
    # a whisker from total_gib_low to total_gib_high at the end of each bar; none where it is unknown
    if {"total_gib_low", "total_gib_high"} <= set(chart.columns):
        rng = chart[chart["total_gib"].notna() & chart["total_gib_low"].notna() & chart["total_gib_high"].notna()]
        if len(rng):
            fig.add_scatter(
                y=[_esc(n) for n in rng["name"]], x=rng["total_gib"], mode="markers", name="total, p10-p90 range",
                marker=dict(color="#333", size=5, symbol="line-ns-open"),
                error_x=dict(type="data", symmetric=False, array=(rng["total_gib_high"] - rng["total_gib"]).tolist(),
                             arrayminus=(rng["total_gib"] - rng["total_gib_low"]).tolist(), thickness=1.5, width=4,
                             color="#333"),
                hovertext=[f"{_esc(n)}<br>total {t:.2f} GiB (p10-p90 {lo:.2f}-{hi:.2f} GiB)"
                           for n, t, lo, hi in zip(rng["name"], rng["total_gib"], rng["total_gib_low"], rng["total_gib_high"])],
                hoverinfo="text")
    if usable_gib is not None:
        fig.add_vline(x=usable_gib, line_dash="dash", line_color="red", annotation_text=f"usable {usable_gib:.1f} GiB")
    fig.update_layout(barmode="stack", height=max(320, 22 * len(chart) + 120), xaxis_title="GiB (estimate)",
                      legend_orientation="h", margin=dict(l=10, r=10, t=30, b=10),
                      title="Memory breakdown (estimate, whisker = p10-p90 measured error range; KV unknown = not drawn)")
    return fig


def spotlight(fig: go.Figure, df: pd.DataFrame, family: str | None) -> go.Figure:
    """Highlight one family on a ``landscape_scatter`` figure: other families' markers fade and the
    spotlight family's points get their names as labels (an extra text trace; hover unchanged)."""
    if not family or df.empty or family not in set(df["family"]):
        return fig
    for tr in fig.data:
        if getattr(tr, "legendgroup", None) and tr.legendgroup != family and tr.mode == "markers":
            tr.marker.opacity = 0.18
            if tr.error_y is not None and tr.error_y.array is not None:
                tr.error_y.color = "rgba(160,160,160,0.3)"
    part = df[df["family"] == family]
    for col, sub in ((1, part[part["total_params_b"].notna()]), (2, part[part["total_params_b"].isna()])):
        if len(sub):
            fig.add_trace(go.Scatter(
                x=sub["total_params_b"] if col == 1 else ["undisclosed"] * len(sub), y=sub["score"], mode="text",
                text=[_esc(n) for n in sub["name"]], textposition="top center", hoverinfo="skip", showlegend=False,
                # a click on a label selects that model, as a click on its marker does (Model page link)
                customdata=sub["model_id"].tolist() if "model_id" in sub else None,
                textfont=dict(size=11, color=family_color(family)), name=f"{family} labels"), row=1, col=col)
    return fig
