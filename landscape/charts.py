"""Plotly figures. Pure functions of DataFrames: no database access, no streamlit."""
from __future__ import annotations

import math
import re
import threading

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from _plotly_utils.utils import convert_to_base64  # what BaseFigure.to_dict applies
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


def _symbols(df: pd.DataFrame) -> list[str]:
    """``_symbol`` of every row."""
    return [_symbol({"is_moe": m, "released": r, "open_weights": o})
            for m, r, o in zip(df["is_moe"].tolist(), df["released"].tolist(), df["open_weights"].tolist())]


def _symbol(row) -> str:
    base = "diamond" if is_true(row["is_moe"]) else "circle"
    if not row["released"]:
        base = "x"
    return base if row["open_weights"] else base + "-open"


def _size(active) -> float:
    if active is None or (isinstance(active, float) and math.isnan(active)):
        return 9.0
    return 6.0 + 2.6 * math.sqrt(float(active))


def _sizes(active: pd.Series) -> np.ndarray:
    """``_size`` of a whole column at once."""
    a = pd.to_numeric(active, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        return np.where(np.isnan(a), 9.0, 6.0 + 2.6 * np.sqrt(a))


def _fmt_b(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "undisclosed"
    return f"{v:g}B"


# ------------------------------------------------------------------ trace columns
# Plotly validates a NumPy array in one step, and Streamlit's copy of the figure (``to_dict``) copies
# it in one; a list is checked, converted and deep-copied element by element. An array of marker
# symbols is checked element by element even as NumPy (a regex per name), so a style that is the
# same for every point of a trace is given once. At 100x (25,000 release markers) the timeline took
# 1.1 s to build with lists and per-point symbol names; see bench/README.md.

class FrozenFigure(go.Figure):
    """A figure drawn many times: ``to_dict`` (what ``st.plotly_chart`` serialises on every run;
    Plotly's deep-copies every trace, element by element for text) is built once, with its arrays
    already in the types orjson writes directly (lists of strings, dates as ISO strings, numbers as
    typed-array specs), and reused until the figure changes: every change Plotly makes to a figure
    passes through its ``_send_*`` message hooks, which drop the copy. The JSON is the plain
    figure's (tests/test_charts_fast.py). At 100x the timeline's 80 ms per draw became 16. Make one
    with ``frozen(fig)``."""

    def to_dict(self):
        spec = self.__dict__.get("_frozen_spec")
        if spec is None:
            # what BaseFigure.to_dict builds, with new containers instead of a deep copy (arrays are
            # shared until replaced: convert_to_base64 encodes copies, text becomes new lists)
            spec = {"data": _containers(self._data), "layout": _containers(self._layout)}
            frames = [_containers(f._props) for f in self._frame_objs]
            if frames:
                spec["frames"] = frames
            convert_to_base64(spec)
            spec = self._frozen_spec = _json_native(spec)
        return spec

    def _thaw(self, *args, **kwargs) -> None:
        self.__dict__.pop("_frozen_spec", None)

    _send_addTraces_msg = _send_moveTraces_msg = _send_deleteTraces_msg = _thaw
    _send_restyle_msg = _send_relayout_msg = _send_update_msg = _send_animate_msg = _thaw


# plotly.graph_objects resolves each attribute lazily, through an import, on every lookup (~7 us):
# the class once, for checks run on every value a memo stores
FIGURE = go.Figure


def frozen(fig: go.Figure) -> go.Figure:
    """``fig`` as a ``FrozenFigure`` (the same object, no copy); anything else as it is."""
    if type(fig) is FIGURE:
        fig.__class__ = FrozenFigure
    return fig


_BUILD_LOCK = threading.RLock()  # re-entrant: building reads attributes of the figure being built


class SpecFigure(FrozenFigure):
    """A figure given as its specification (``data``: trace dicts, ``layout``: a dict) and built as
    Plotly objects only when something uses it as one. What the pages do with a chart reads its
    ``to_dict`` only (``st.plotly_chart``, ``to_json`` for the image digest), which is made from the
    specification; Plotly's validation of every trace (~0.35 ms a trace plus its arrays: the larger
    part of a Frontiers render's charts) is skipped. Any other use -- ``fig.data``, ``fig.layout``,
    ``update_layout``, ``to_image`` -- first builds the figure as ``go.Figure(data, layout)`` would,
    validation included, and it is then a ``FrozenFigure``. The layout gets the Plotly template
    that was the default when the specification was given, as a built figure does.
    tests/test_spec_figure.py holds every chart made this way to the built figure's JSON."""

    def __init__(self, figure: dict | None = None, *, data=None, layout=None):
        if figure is not None:  # copy.copy / pickle (BaseFigure.__reduce__ passes the built dict)
            go.Figure.__init__(self, figure)
            return
        self.__dict__["_spec_src"] = (list(data or ()), dict(layout or {}), pio.templates.default)

    def spec(self) -> tuple[list, dict] | None:
        """(data, layout) as given, while the figure is not built; else None."""
        src = self.__dict__.get("_spec_src")
        return None if src is None else (src[0], src[1])

    def __getattr__(self, name):
        # reached only for an attribute the instance lacks: before it is built, every Plotly one. A
        # figure is shared by sessions: one thread builds it, another asking meanwhile waits for it
        with _BUILD_LOCK:
            src = self.__dict__.pop("_spec_src", None)
            if src is None:  # built (or being built by this thread): a normal lookup
                return object.__getattribute__(self, name)
            data, layout, template = src
            self.__dict__.pop("_frozen_spec", None)
            go.Figure.__init__(self, data=data, layout={"template": template, **layout} if template else layout)
        return getattr(self, name)

    def to_dict(self):
        spec = self.__dict__.get("_frozen_spec")
        src = self.__dict__.get("_spec_src")
        if spec is not None or src is None:
            return super().to_dict()
        data, layout, template = src
        layout = _given(layout)
        if template and "template" not in layout:
            layout["template"] = _containers(_template_dict(template))
        spec = {"data": [_given(t) for t in data], "layout": layout}
        convert_to_base64(spec)
        spec = self.__dict__["_frozen_spec"] = _json_native(spec)
        return spec


def _given(v):
    """``_containers`` of a specification as Plotly keeps it: a property set to None is not set
    (values inside arrays stay, None there is a gap)."""
    if type(v) is dict:
        return {k: _given(x) for k, x in v.items() if x is not None}
    if type(v) in (list, tuple):
        return type(v)(_given(x) for x in v)
    return v


_TEMPLATES: dict[str, dict] = {}


def _template_dict(name: str) -> dict:
    """The ``layout.template`` a figure built with Plotly's default template ``name`` carries."""
    if name not in _TEMPLATES:
        _TEMPLATES[name] = go.Figure(layout={"template": name}).to_dict()["layout"]["template"]
    return _TEMPLATES[name]


def spec_figure(data=(), **layout) -> SpecFigure:
    """``SpecFigure(data=data, layout=layout)``: traces as dicts (``scatter``, ``bar``), layout keywords
    in Plotly's nested form (``xaxis=dict(type="log", title=dict(text=...))``, not ``xaxis_type``)."""
    return SpecFigure(data=data, layout=layout)


def _containers(v):
    """``v`` with every dict, list and tuple copied, the values in them shared."""
    if type(v) is dict:
        return {k: _containers(x) for k, x in v.items()}
    if type(v) in (list, tuple):
        return type(v)(_containers(x) for x in v)
    return v


_PLAIN = (str, float, int, bool, type(None))


def _json_native(v):
    """A ``to_dict`` tree with NumPy text and date arrays as the lists Plotly's JSON encoder would
    make of them (it does that per element on every call when orjson cannot write the tree as is)."""
    if isinstance(v, dict):
        return {k: _json_native(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return v if all(type(x) in _PLAIN for x in v) else [_json_native(x) for x in v]
    if isinstance(v, np.ndarray):
        if v.dtype.kind in "biuf":
            return v
        if v.dtype.kind == "M":
            return np.datetime_as_string(v).tolist()
        return _json_native(v.tolist())
    if v is pd.NaT or v is pd.NA:
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()  # as Plotly's encoder writes one
    if isinstance(v, np.datetime64):
        return str(v)
    if isinstance(v, np.generic):
        return v.item()
    return v


def arr(values) -> np.ndarray:
    """A trace's data column as one NumPy array: numbers as float (missing = NaN, a gap), dates as
    datetime64, text as NumPy strings (``StringDType``: Plotly keeps it, and copies it in one step
    where it deep-copies an object array string by string: a tenth of a 100x Frontiers render),
    anything else (text with a gap, mixed values) as objects (missing = None)."""
    if isinstance(values, pd.Index):
        values = values.to_series()
    if isinstance(values, pd.Series):
        dt = values.dtype
        if pd.api.types.is_datetime64_any_dtype(dt):
            return values.to_numpy()
        if pd.api.types.is_numeric_dtype(dt) and not pd.api.types.is_bool_dtype(dt):
            return values.to_numpy(dtype=float, na_value=np.nan)
        values = [None if v is pd.NA else v for v in values.tolist()]
    else:
        values = list(values)
        if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            return np.array(values, dtype=float)
    if values and all(type(v) is str for v in values):
        return np.array(values, dtype=np.dtypes.StringDType())
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def per_point(values):
    """A marker style: one value when every point shares it, else one per point (NumPy)."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiu":
        if len(values) and (values == values[0]).all():
            return values[0].item()
        return values
    vals = values.tolist() if isinstance(values, pd.Series) else list(values)
    if vals and all(v == vals[0] for v in vals):
        return vals[0]
    return arr(vals)


# Plotly's numeric symbol codes (its reference: 0 = "circle", 2 = "diamond", 4 = "x"; +100 = "-open"):
# Plotly checks a code with one comparison, a name with a regex per point.
SYMBOL_CODES = {"circle": 0, "diamond": 2, "x": 4}


def symbols(names) -> object:
    """Marker symbols for a trace: the name when every point shares it, else Plotly's numeric codes."""
    vals = list(names)
    if vals and all(v == vals[0] for v in vals):
        return vals[0]
    codes = []
    for n in vals:
        base, open_ = (n[:-5], 100) if n.endswith("-open") else (n, 0)
        codes.append(SYMBOL_CODES[base] + open_)
    return np.array(codes, dtype=np.int64)


def scatter(**props) -> dict:
    """A scatter trace as a plain dict: ``fig.add_traces`` validates a dict once, while a
    ``go.Scatter`` is validated when built and again when added (0.6 vs 1.7 ms a trace)."""
    return dict(type="scatter", **props)


def bar(**props) -> dict:
    """A bar trace as a plain dict (see ``scatter``)."""
    return dict(type="bar", **props)


def days(values) -> list[str]:
    """``_day`` of a whole column: YYYY-MM-DD, or "unknown"."""
    if isinstance(values, (pd.Series, np.ndarray)) and values.dtype.kind == "M":  # naive datetimes: NumPy's days
        text = np.datetime_as_string(np.asarray(values).astype("datetime64[D]"))
        return np.where(text == "NaT", "unknown", text).tolist()
    d = pd.to_datetime(pd.Series(values).reset_index(drop=True), errors="coerce")
    return d.dt.strftime("%Y-%m-%d").astype(object).where(d.notna(), "unknown").tolist()


def escs(values) -> list[str]:
    """``_esc`` of every value of a column, translated as one string (a translate call per value
    cost 85 ms per Frontiers render at 100x; the joined text takes a few)."""
    strs = [v if type(v) is str else str(v) for v in (values.tolist() if hasattr(values, "tolist") else values)]
    if not strs:
        return []
    joined = "\x00".join(strs)
    if joined.count("\x00") != len(strs) - 1:  # a value holds the separator: one at a time
        return [s.translate(_ESC) for s in strs]
    if not any(c in joined for c in _ESC_CHARS):
        return strs
    return joined.translate(_ESC).split("\x00")


# ------------------------------------------------------------------ hover labels from a template
# A hover label built in Python repeats its fixed words for every point: at 100x the Landscape
# chart sent 3.6 MB, the release timeline 7.4 MB. plotly.js builds the label itself from one
# ``hovertemplate`` per trace and the point's ``customdata`` row: only the varying parts travel.

_TMPL = str.maketrans({"%": "&#37;", "{": "&#123;", "}": "&#125;"})


def tmpl_text(s) -> str:
    """A fixed text inside a hover template (a family, a unit): HTML-escaped like ``_esc``, and
    ``%``/braces as character references, so plotly.js never reads it as a placeholder."""
    return _esc(s).translate(_TMPL)


def templated(template: str, ids, **fields) -> dict:
    """``customdata`` and ``hovertemplate`` of a trace whose label is ``template`` with each
    ``{field}`` replaced by that point's value. ``ids`` (the model ids) are column 0, which chart
    clicks read (ui.chart_model_links); each field is a column of already escaped text (``escs``,
    ``days``...), one per point. Fixed text in ``template`` goes through ``tmpl_text``."""
    cols = [ids if isinstance(ids, list) else list(ids)]
    if "{id}" in template:  # the id as text: column 0 itself unless escaping changes it
        shown = escs(cols[0])
        if shown == cols[0] and not any("%{" in v for v in shown):
            template = template.replace("{id}", "%{customdata[0]}")
        else:
            fields = {"id": shown, **fields}
    for i, (name, values) in enumerate(fields.items(), start=1):
        template = template.replace("{" + name + "}", f"%{{customdata[{i}]}}")
        cols.append(values if isinstance(values, list) else list(values))
    n = len(cols[0])
    if any(len(c) != n for c in cols):
        raise ValueError("every hover field needs one value per point")
    data = np.empty((n, len(cols)), dtype=object)
    for j, c in enumerate(cols):
        data[:, j] = c
    return {"customdata": data, "hovertemplate": template + "<extra></extra>"}


_PLACEHOLDER = re.compile(r"%\{customdata\[(\d+)\]\}")


def hover_label(trace, i: int) -> str:
    """The hover label plotly.js shows for point ``i`` of a trace (its ``hovertext``/``text``, or
    its template with ``%{customdata[k]}`` filled in and the character references ``tmpl_text``
    adds read back), as HTML-escaped text: what tests compare with the per-row definition."""
    get = trace.get if isinstance(trace, dict) else lambda k: getattr(trace, k, None)
    tmpl = get("hovertemplate")
    if not tmpl:
        text = get("hovertext") if get("hovertext") is not None else get("text")
        return text if isinstance(text, str) else list(text)[i]
    row = list(get("customdata")[i])
    out = _PLACEHOLDER.sub(lambda m: str(row[int(m.group(1))]), tmpl.removesuffix("<extra></extra>"))
    return out.replace("&#37;", "%").replace("&#123;", "{").replace("&#125;", "}")


def _g(v) -> str:
    return "nan" if v is None else f"{v:g}"


def hover_texts(df: pd.DataFrame) -> list[str]:
    """The Landscape scatter's hover label of every row (built column by column)."""
    n = len(df)
    col = lambda c, default=None: df[c].tolist() if c in df else [default] * n  # noqa: E731
    fam, name = escs(df["family"]), escs(df["name"])
    lic = [("unknown" if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else str(v).translate(_ESC))
           for v in col("licence_id")]
    unit, src, as_of = escs(df["unit"]), escs(df["source"]), days(df["as_of"])
    out = []
    for i, (ow, rel, facts, tot, act, moe, score, lo, hi, setting, mid) in enumerate(zip(
            col("open_weights"), col("released"), col("facts"), col("total_params_b"), col("active_params_b"),
            col("is_moe"), col("score"), col("ci_low"), col("ci_high"), col("setting"), col("model_id"))):
        ci = (f" (95% CI {lo:g}-{hi:g})" if pd.notna(lo) and pd.notna(hi) else "")
        parts = [
            f"<b>{name[i]}</b>",
            f"{fam[i]} · {'open weights' if ow else 'closed'}"
            f"{'' if rel else ' · UNRELEASED'}"
            f"{' · discovered (catalogue facts, not curated)' if facts == 'discovered' else ''}",
            f"params: {_fmt_b(tot)} total / {_fmt_b(act)} active{' (MoE)' if is_true(moe) else ''}",
            f"licence: {lic[i]}",
            f"score: {score:g} {unit[i]}{ci}",
            f"source: {src[i]}, as of {as_of[i]}",
        ]
        if setting and not (isinstance(setting, float) and math.isnan(setting)) and setting is not pd.NA:
            parts.append(f"setting: {str(setting)[:80].translate(_ESC)}")
        if mid and mid is not pd.NA:
            parts.append(f"click for its Model page (model?id={str(mid).translate(_ESC)})")
        out.append("<br>".join(parts))
    return out


def _fixed_or_field(values: list[str], key: str, fields: dict) -> str:
    """A template's text for a column: the value itself when every point shares it, else a field."""
    if values and all(v == values[0] for v in values):
        return values[0].translate(_TMPL)
    fields[key] = values
    return "{" + key + "}"


def landscape_hover(df: pd.DataFrame) -> dict:
    """``hover_texts`` as a template (``templated``): the same label for every row, its fixed words
    sent once per trace."""
    n = len(df)
    col = lambda c, default=None: df[c].tolist() if c in df else [default] * n  # noqa: E731
    name = escs(df["name"])
    lic = [("unknown" if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else str(v).translate(_ESC))
           for v in col("licence_id")]
    status = [f"{'open weights' if ow else 'closed'}{'' if rel else ' · UNRELEASED'}"
              f"{' · discovered (catalogue facts, not curated)' if facts == 'discovered' else ''}"
              for ow, rel, facts in zip(col("open_weights"), col("released"), col("facts"))]
    params = [f"{_fmt_b(tot)} total / {_fmt_b(act)} active{' (MoE)' if is_true(moe) else ''}"
              for tot, act, moe in zip(col("total_params_b"), col("active_params_b"), col("is_moe"))]
    score = [f"{v:g}" for v in col("score")]
    ci = [(f" (95% CI {lo:g}-{hi:g})" if pd.notna(lo) and pd.notna(hi) else "")
          for lo, hi in zip(col("ci_low"), col("ci_high"))]
    setting = [(f"<br>setting: {str(v)[:80].translate(_ESC)}"
                if v is not pd.NA and v and not (isinstance(v, float) and math.isnan(v)) else "")
               for v in col("setting")]
    fields = {"name": name}
    fam = _fixed_or_field(escs(df["family"]), "family", fields)
    fields.update(status=status, params=params, licence=lic, score=score)
    unit = _fixed_or_field(escs(df["unit"]), "unit", fields)
    fields["ci"] = ci
    src = _fixed_or_field(escs(df["source"]), "source", fields)
    fields.update(as_of=days(df["as_of"]), setting=setting)
    return templated(f"<b>{{name}}</b><br>{fam} · {{status}}<br>params: {{params}}<br>licence: {{licence}}<br>"
                     f"score: {{score}} {unit}{{ci}}<br>source: {src}, as of {{as_of}}{{setting}}<br>"
                     "click for its Model page (model?id={id})", col("model_id"), **fields)


def hover_text(row) -> str:
    """One row's hover label (``hover_texts`` of a one-row frame)."""
    return hover_texts(pd.DataFrame([dict(row)]))[0]


def _day(v) -> str:
    return pd.Timestamp(v).strftime("%Y-%m-%d") if pd.notna(v) else "unknown"


_ESC = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})
_ESC_CHARS = "&<>\"'"


def _esc(s) -> str:
    """Plotly renders a subset of HTML in hover labels: escape upstream strings."""
    return str(s).translate(_ESC)


# Above this many points the Landscape chart draws no confidence-interval whiskers: thousands of
# overlapping bars are unreadable and cost the browser ~0.2 s at 100x (7,600 points); each point's
# CI stays in its hover label and in the table, and the chart says so.
CI_WHISKERS_MAX = 2000


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
    traces, cols = [], []
    whiskers = len(df) <= CI_WHISKERS_MAX
    for family, grp in df.groupby("family", sort=True) if not df.empty else []:
        color = family_color(family)
        for col, part in ((1, grp[grp["total_params_b"].notna()]), (2, grp[grp["total_params_b"].isna()])):
            if part.empty:
                continue
            x = arr(part["total_params_b"]) if col == 1 else np.full(len(part), "undisclosed", dtype=object)
            err = None
            if whiskers and part["ci_low"].notna().any():
                err = dict(type="data", symmetric=False,
                           array=arr((part["ci_high"] - part["score"]).fillna(0)),
                           arrayminus=arr((part["score"] - part["ci_low"]).fillna(0)),
                           thickness=1, width=0, color=color)
            cols.append(col)
            traces.append(scatter(
                x=x, y=arr(part["score"]), mode="markers", name=family, legendgroup=family,
                showlegend=bool(col == 1 or grp["total_params_b"].notna().sum() == 0),
                error_y=err,
                marker=dict(color=color, size=per_point(_sizes(part["active_params_b"])),
                            symbol=symbols(_symbols(part)),
                            line=dict(width=1.5, color=color), opacity=0.85),
                **landscape_hover(part),
            ))
    if traces:
        fig.add_traces(traces, rows=[1] * len(traces), cols=cols)
    fig.update_xaxes(type="log", title_text="total parameters (billions, log scale)", range=[math.log10(lo), math.log10(hi)],
                     row=1, col=1)
    fig.update_xaxes(showticklabels=False, row=1, col=2)
    fig.update_yaxes(title_text=y_label, type="log" if log_y else "linear", row=1, col=1)
    fig.update_layout(height=560, margin=dict(l=10, r=10, t=40, b=80), legend_title_text="family",
                      hoverlabel=dict(align="left"))
    # appended, not re-assigned: re-validating every annotation cost ~0.1 s per chart
    legend = "● dense  ◆ MoE  ○ hollow = closed weights  × unreleased · marker size = active params"
    if not whiskers and df["ci_low"].notna().any():
        legend += f" · 95% CI whiskers not drawn above {CI_WHISKERS_MAX:,} points (CIs in hover and table)"
    fig.add_annotation(text=legend,
                       xref="paper", yref="paper", x=0, y=0, yanchor="top", yshift=-56, showarrow=False,
                       font=dict(size=11, color="#555"))  # below the axis title (a fixed offset, any height)
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
