"""Plotly figures for the Context page. Pure functions of DataFrames; upstream strings escaped."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from landscape.charts import _esc, arr, family_color, scatter, spec_figure


def fmt_tokens(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)) or pd.isna(v):
        return "unknown"
    v = int(v)
    if v >= 1024 * 1024 and v % (1024 * 1024) == 0:
        return f"{v // (1024 * 1024)}M ({v:,})"
    if v >= 8192 and v % 8192 == 0:
        return f"{v // 1024}K ({v:,})"
    return f"{v:,}"


def served_vs_advertised(offers: pd.DataFrame, advertised: int | None, model_name: str,
                         hardware_max: int | None = None, hardware_label: str = "") -> go.Figure:
    """Horizontal bars: context window each provider serves (log x), with the vendor's advertised
    context (and, when given, the longest context that fits the chosen hardware) as lines.
    Offerings whose context is not listed are named in the y labels as "(not listed)"."""
    fig = go.Figure()
    df = offers.copy()
    df["label"] = [
        f"{_esc(p)}{' via ' + _esc(v) if isinstance(v, str) and v else ''}"
        f"{' [' + _esc(q) + ']' if isinstance(q, str) and q else ''}"
        f"{' (' + _esc(var) + ')' if isinstance(var, str) and var else ''} · {_esc(s)}"
        for p, v, q, var, s in zip(df["provider"], df["via"], df["quantisation"], df["variant"], df["source"])]
    known = df[df["context_window"].notna()].sort_values("context_window")
    unknown = df[df["context_window"].isna()]
    if not known.empty:
        fig.add_trace(go.Bar(
            y=known["label"], x=known["context_window"].astype(float), orientation="h", name="served",
            marker_color=[family_color(f) for f in known["family"]],
            text=[fmt_tokens(v) for v in known["context_window"]], textposition="outside",
            hovertext=[f"<b>{lab}</b><br>context: {fmt_tokens(c)}<br>max output: {fmt_tokens(mo)}"
                       f"<br>as of {pd.Timestamp(a).strftime('%Y-%m-%d') if pd.notna(a) else 'unknown'}"
                       f"<br>listed as: {_esc(r)}"
                       for lab, c, mo, a, r in zip(known["label"], known["context_window"], known["max_output"],
                                                    known["as_of"], known["raw_name"])],
            hoverinfo="text"))
    if not unknown.empty:
        fig.add_trace(go.Bar(y=[f"{lab} (not listed)" for lab in unknown["label"]], x=[None] * len(unknown),
                             orientation="h", name="context not listed", marker_color="#bbb"))
    # on a log axis shapes take data values but annotations take log10 of them
    if advertised:
        fig.add_vline(x=float(advertised), line_dash="dash", line_color="#d62728")
        fig.add_annotation(x=math.log10(float(advertised)), xref="x", y=1.0, yref="paper", yanchor="bottom",
                           text=f"advertised {fmt_tokens(advertised)}", showarrow=False,
                           font=dict(color="#d62728"))
    if hardware_max:
        fig.add_vline(x=float(hardware_max), line_dash="dot", line_color="#2ca02c")
        fig.add_annotation(x=math.log10(float(hardware_max)), xref="x", y=0.0, yref="paper", yanchor="top",
                           text=f"fits {_esc(hardware_label)}: {fmt_tokens(hardware_max)} (estimate)",
                           showarrow=False, font=dict(color="#2ca02c"))
    if known.empty and unknown.empty:
        fig.add_annotation(text="No provider offering recorded for this model", showarrow=False,
                           x=0.5, y=0.5, xref="paper", yref="paper")
    xs = [float(v) for v in list(known["context_window"]) + [advertised, hardware_max] if v]
    rng = [math.log10(min(xs)) - 0.15, math.log10(max(xs)) + 0.45] if xs else None
    fig.update_xaxes(type="log", title_text="context window (tokens, log scale)", range=rng)
    fig.update_layout(title_text=f"{_esc(model_name)}: advertised vs served context",
                      height=max(300, 28 * (len(known) + len(unknown)) + 140), showlegend=False,
                      margin=dict(l=10, r=40, t=60, b=10), hoverlabel=dict(align="left"))
    return fig


def price_score_scatter(df: pd.DataFrame, y_label: str) -> go.Figure:
    """Cheapest blended price (log x) against an independent score, colour = family (a
    ``charts.SpecFigure``: built as Plotly objects only if used as one)."""
    layout = dict(xaxis=dict(type="log", title=dict(
                      text="cheapest listed price, USD per 1M tokens (3:1 input:output blend, log)")),
                  yaxis=dict(title=dict(text=y_label)), height=480, margin=dict(l=10, r=10, t=30, b=10),
                  legend=dict(title=dict(text="family")), hoverlabel=dict(align="left"))
    if df.empty:
        return spec_figure(annotations=[dict(text="No model has both a listed price and a score on this benchmark",
                                             showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")], **layout)
    traces = []
    for family, grp in df.groupby("family", sort=True):
        traces.append(scatter(
            x=arr(grp["cheapest_blended"]), y=arr(grp["score"]), mode="markers", name=_esc(family),
            marker=dict(color=family_color(family), size=11, opacity=0.85),
            text=[f"<b>{_esc(n)}</b><br>cheapest: {_esc(p)} {b:.3g} USD / 1M tokens blended "
                  f"({i:.3g} in / {o:.3g} out)<br>score: {s:g} {_esc(u)} ({_esc(src)}, "
                  f"{pd.Timestamp(a).strftime('%Y-%m-%d') if pd.notna(a) else 'undated'})"
                  for n, p, b, i, o, s, u, src, a in zip(*(grp[c].tolist() for c in (
                      "name", "cheapest_provider", "cheapest_blended", "cheapest_input", "cheapest_output", "score",
                      "unit", "score_source", "score_as_of")))],
            hoverinfo="text", customdata=arr(grp["model_id"])))
    return spec_figure(traces, **layout)
