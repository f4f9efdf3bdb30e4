"""Charts that stay legible with 30+ families: colour by vendor (family group), highlight one family,
and a release-window filter. Pure functions of DataFrames and figures: no database, no streamlit.

``recolour`` post-processes a figure whose traces are named by family (``charts.landscape_scatter``,
``evals`` bar charts): colour by vendor merges the legend to one entry per vendor; a highlighted family
keeps its colour while every other trace turns light grey under one "other families" legend entry.
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from landscape.charts import family_color

VENDOR_COLOURS = {
    "Meta": "#1f77b4", "Alibaba Qwen": "#d62728", "DeepSeek": "#2ca02c", "Google": "#ff7f0e",
    "OpenAI": "#7f7f7f", "Anthropic": "#8c564b", "Moonshot AI": "#9467bd", "Z.ai": "#17becf",
    "MiniMax": "#e377c2", "Mistral AI": "#bcbd22", "xAI": "#393b79",
}
OTHER = "#c7c7c7"
COLOUR_BY = ("auto", "family", "vendor")
AUTO_VENDOR_ABOVE = 12  # families in view above which "auto" colours by vendor

RELEASE_WINDOWS = ("any", "last 6 months", "last 12 months", "2026", "2025", "2024", "before 2024", "unknown")


def vendor_colour(vendor: str) -> str:
    if vendor in VENDOR_COLOURS:
        return VENDOR_COLOURS[vendor]
    return family_color(str(vendor))


def resolve_colour_by(colour_by: str, df: pd.DataFrame) -> str:
    if colour_by in ("family", "vendor"):
        return colour_by
    n = df["family"].nunique() if not df.empty and "family" in df else 0
    return "vendor" if n > AUTO_VENDOR_ABOVE else "family"


def recolour(fig: go.Figure, df: pd.DataFrame, colour_by: str = "auto", highlight: str | None = None) -> go.Figure:
    """Re-colour the family-named traces of ``fig`` in place (and return it)."""
    mode = resolve_colour_by(colour_by, df)
    vendor_of = dict(zip(df["family"], df["vendor"])) if not df.empty else {}
    shown: set[str] = set()
    for tr in fig.data:
        family = tr.name
        if family not in vendor_of:
            continue  # frontier lines, annotations
        if highlight:  # the chosen family in its own colour, everything else grey
            key, colour, opacity = ((family, family_color(family), 0.95) if family == highlight
                                    else ("other families", OTHER, 0.35))
        elif mode == "vendor":
            key, colour, opacity = vendor_of[family], vendor_colour(vendor_of[family]), 0.85
        else:
            key, colour, opacity = family, family_color(family), 0.85
        tr.marker.color = colour
        if getattr(tr.marker, "line", None) is not None:
            tr.marker.line.color = colour
        if tr.error_y is not None and tr.error_y.array is not None:
            tr.error_y.color = colour
        tr.opacity = opacity
        tr.legendgroup = key
        tr.name = key
        tr.showlegend = key not in shown
        shown.add(key)
    title = "vendor" if mode == "vendor" and not highlight else "family"
    fig.update_layout(legend_title_text=title)
    return fig


def bar_colours(df: pd.DataFrame, colour_by: str = "auto", highlight: str | None = None,
                reference_colour: str = "#b0b0b0") -> tuple[list[str], list[tuple[str, str]], str]:
    """Per-row colours for a one-trace bar chart (a leaderboard), the legend entries (label, colour) in
    order of first appearance, and the legend title. Same rules as ``recolour``: by family, by vendor
    (automatic above AUTO_VENDOR_ABOVE families), or one highlighted family against grey. In family mode
    reference (closed, outside our families) models stay grey, as they always were."""
    mode = resolve_colour_by(colour_by, df)
    colours, legend = [], {}
    refs = df["reference"] if "reference" in df else pd.Series(False, index=df.index)
    for family, vendor, ref in zip(df["family"], df["vendor"], refs):
        if highlight:
            key, colour = (family, family_color(family)) if family == highlight else ("other families", OTHER)
        elif mode == "vendor":
            key, colour = str(vendor), vendor_colour(str(vendor))
        elif bool(ref):
            key, colour = "reference models", reference_colour
        else:
            key, colour = family, family_color(family)
        colours.append(colour)
        legend.setdefault(key, colour)
    title = "vendor" if mode == "vendor" and not highlight else "family"
    return colours, list(legend.items()), title


def in_release_window(df: pd.DataFrame, window: str, today: date) -> pd.DataFrame:
    """Rows whose ``release_date`` falls in ``window`` (RELEASE_WINDOWS); 'unknown' = no date recorded."""
    if window == "any" or df.empty:
        return df
    d = pd.to_datetime(df["release_date"], errors="coerce")
    t = pd.Timestamp(today)
    masks = {
        "last 6 months": d >= t - pd.DateOffset(months=6),
        "last 12 months": d >= t - pd.DateOffset(months=12),
        "2026": d.dt.year == 2026, "2025": d.dt.year == 2025, "2024": d.dt.year == 2024,
        "before 2024": d.dt.year < 2024, "unknown": d.isna(),
    }
    if window not in masks:
        raise ValueError(f"unknown release window {window!r}; one of {', '.join(RELEASE_WINDOWS)}")
    return df[masks[window].fillna(False).astype(bool)]
