"""The launch scorecard: one file answering the four questions for a model against its peers.

1. How good is it really? Independent results (latest per benchmark and source) beside the peers',
   related unreleased variants kept apart (Llama 4 Maverick's 1417 LMArena score belongs to the
   03-26 experimental checkpoint), and the vendor's claims beside the independent numbers.
2. Which size fits? The smallest hardware per weight format and the memory on an 8x H100 node at
   FP8 vs BF16 (estimates from ``landscape.fit``).
3. What may I do? Licence answers with their clauses and the licence's notable terms.
4. What do hosts serve? Advertised context vs each provider's served window and price.

``render(model_id, peers, fmt)`` returns Markdown or a self-contained HTML page (inline SVG bar
charts, no scripts). Every upstream string is escaped: ``html.escape`` in HTML, and in Markdown
``|``, backticks, brackets and ``<``/``>``/``&`` are neutralised so a hostile name cannot inject
markup or break a table. Pure functions of the database; no streamlit.
"""
from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from landscape import model_page
from landscape.db import query_df
from landscape.evals import benchmark_label

FORMATS = ("md", "html")
MIME = {"md": "text/markdown", "html": "text/html"}
MAX_BENCHMARKS = 8
NODE_HARDWARE = "8xh100"
NODE_FORMATS = ("FP8", "BF16")


def file_name(model_id: str, fmt: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", model_id.split("/")[-1]).strip("-") or "model"
    return f"scorecard-{stem}.{fmt}"


# ---------------------------------------------------------------- data

@dataclass
class Scorecard:
    report: model_page.ModelReport
    peers: pd.DataFrame  # model_id, name, family
    results: pd.DataFrame  # label, benchmark, source, unit + one column per model (values); as_of per model
    node: pd.DataFrame  # format, verdict, memory, weights, usable on 8x H100
    generated: str


def _peer_rows(ids: list[str], path) -> pd.DataFrame:
    if not ids:
        return pd.DataFrame(columns=["model_id", "name", "family"])
    ph = ", ".join("?" for _ in ids)
    df = query_df(f"SELECT model_id, name, family FROM models WHERE model_id IN ({ph})", ids, path)
    order = {m: i for i, m in enumerate(ids)}
    return df.sort_values("model_id", key=lambda s: s.map(order)).reset_index(drop=True)


# headline benchmarks first (the ones people quote), then the most widely covered; LiveBench and
# Open LLM categories only after every headline benchmark
PREFERRED = ("lmarena_text", "epoch_capabilities_index", "gpqa_diamond", "aider_polyglot", "livebench",
             "swe_bench_verified", "otis_mock_aime_2024_2025", "math_level_5")


def _bench_rank(benchmark: str) -> tuple:
    """Sort key: overall scores before categories, PREFERRED order ("livebench" = any release's
    global average, newest release first), then the rest."""
    head = benchmark.split(":")[0]
    live = head.startswith("livebench_") and head[10:].replace("_", "").isdigit()
    key = "livebench" if live else benchmark
    pref = PREFERRED.index(key) if key in PREFERRED else len(PREFERRED)
    return (":" in benchmark, pref, -int(head[10:].replace("_", "")) if live else 0)


def results_table(model_id: str, peer_ids: list[str], path: Path | None = None,
                  limit: int = MAX_BENCHMARKS) -> pd.DataFrame:
    """Latest independent result per (benchmark, source) for the model and each peer, on up to
    ``limit`` benchmarks the model has: headline benchmarks first (``PREFERRED``), then overall
    averages before categories, newer LiveBench releases first, then the most peers covered.
    Long form: one row per (benchmark, source, model)."""
    ids = [model_id] + [p for p in peer_ids if p != model_id]
    ph = ", ".join("?" for _ in ids)
    df = query_df(f"""
        WITH latest AS (  -- the warehouse's one "latest result" rule (score_latest.latest_in_source)
            SELECT s.* FROM score_latest s
            WHERE NOT s.vendor_claimed AND s.latest_in_source AND s.model_id IN ({ph})
        )
        SELECT l.model_id, l.benchmark, l.source, l.value, l.unit, l.ci_low, l.ci_high, l.as_of, l.setting,
               l.source_url
        FROM latest l
        WHERE (l.benchmark, l.source) IN (SELECT benchmark, source FROM latest WHERE model_id = ?)""",
                  ids + [model_id], path)
    if df.empty:
        df["label"] = []
        return df
    cover = df.groupby(["benchmark", "source"])["model_id"].nunique()
    keys = sorted(cover.index, key=lambda k: (*_bench_rank(k[0]), -int(cover[k]), k[0], k[1]))[:limit]
    order = {k: i for i, k in enumerate(keys)}
    df = df[[(b, s) in order for b, s in zip(df["benchmark"], df["source"])]].copy()
    df["_order"] = [order[(b, s)] for b, s in zip(df["benchmark"], df["source"])]
    df = df.sort_values("_order").drop(columns="_order").reset_index(drop=True)
    df["label"] = [benchmark_label(b) for b in df["benchmark"]]
    return df


def build(model_id: str, peers: list[str] | None = None, path: Path | None = None) -> Scorecard:
    rep = model_page.report(model_id, path)
    peer_ids = list(dict.fromkeys(p for p in (peers if peers is not None else rep.peers["model_id"].tolist())
                                  if p != model_id))
    res = results_table(model_id, peer_ids, path)
    node = []
    for fmt in NODE_FORMATS:
        r = model_page.fit_at(rep.model, NODE_HARDWARE, fmt, "vLLM", model_page.DEPLOY_CONTEXT, path)
        node.append({"format": fmt, "verdict": r.verdict, "memory_gib": r.total_gib, "weights_gib": r.weights_gib,
                     "usable_gib": r.usable_gib, "longest_context": model_page.context_cell(r)})
    return Scorecard(rep, _peer_rows(peer_ids, path), res, pd.DataFrame(node),
                     datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))


# ---------------------------------------------------------------- formatting helpers

def _v(v) -> str:
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return "unknown"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (int,)) or (isinstance(v, float) and v.is_integer() and abs(v) < 1e15):
        return f"{int(v):,}" if abs(v) >= 10000 else f"{int(v)}"
    if isinstance(v, float):
        return f"{v:.1f}" if abs(v) >= 100 else f"{v:.2f}".rstrip("0").rstrip(".")
    if isinstance(v, (pd.Timestamp, datetime)):
        return v.strftime("%Y-%m-%d")
    return str(v)


_MD_ESCAPE = str.maketrans({"|": "\\|", "`": "'", "[": "\\[", "]": "\\]", "<": "&lt;", ">": "&gt;",
                            "&": "&amp;", "*": "\\*", "_": "\\_", "\n": " ", "\r": " ", "#": "\\#"})


def md_text(v) -> str:
    """Untrusted text inside Markdown: no markup, no HTML, no table breaks."""
    return _v(v).translate(_MD_ESCAPE)


def _md_link(url) -> str:
    u = _v(url)
    if not re.match(r"^https?://[^\s<>()\[\]]+$", u):
        return md_text(u)
    return f"<{u}>"


def _md_table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(md_text(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    for r in rows:
        lines.append("| " + " | ".join(c if isinstance(c, _Raw) else md_text(c) for c in r) + " |")
    return "\n".join(lines)


class _Raw(str):
    """A cell already made safe (a link)."""


def _h(v) -> str:
    return html.escape(_v(v), quote=True)


def _h_link(url, text=None) -> str:
    """An http(s) URL as a link (text: the given text, else host and the file name); anything else as text."""
    u = _v(url)
    if not re.match(r"^https?://[^\s\"'<>]+$", u):
        return _h(text if text is not None else u)
    if text is None:
        parts = urlsplit(u)
        tail = parts.path.rstrip("/").rsplit("/", 1)[-1]
        text = parts.netloc + (f" … {tail}" if tail else "")
    return f'<a href="{html.escape(u, quote=True)}">{_h(text)}</a>'


def _html_table(headers: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{_h(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c if isinstance(c, _Raw) else _h(c)}</td>" for c in r) + "</tr>"
                   for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def svg_bars(items: list[tuple[str, float | None, bool]], unit: str = "", width: int = 640,
             ref: tuple[str, float] | None = None) -> str:
    """A horizontal bar chart as inline SVG: (label, value, highlight) per bar; unknown values are
    drawn as 'unknown' text, not a zero bar; ``ref`` draws a labelled dashed reference line."""
    bar_h, gap, left, right = 18, 6, 250, 130
    known = [v for _, v, _ in items if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if ref:
        known.append(ref[1])
    hi = max(known) if known else 1.0
    lo = 0.0
    if known and min(known) > 0 and hi / max(min(known), 1e-9) < 1.6 and hi > 200:  # Elo-like: zoom in
        lo = min(known) * 0.95
    span = (hi - lo) or 1.0
    h = len(items) * (bar_h + gap) + 30
    plot_w = width - left - right
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" role="img" '
             f'font-family="sans-serif" font-size="12">']
    for i, (label, v, hl) in enumerate(items):
        y = 10 + i * (bar_h + gap)
        parts.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{html.escape(str(label)[:40])}</text>')
        if v is None or (isinstance(v, float) and math.isnan(v)):
            parts.append(f'<text x="{left + 4}" y="{y + 13}" fill="#888">unknown</text>')
            continue
        w = max(1.0, (float(v) - lo) / span * plot_w)
        parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                     f'fill="{"#1f77b4" if hl else "#9ab"}"/>')
        parts.append(f'<text x="{left + w + 4:.1f}" y="{y + 13}">{html.escape(_v(float(v)))} {html.escape(unit)}</text>')
    if ref:
        x = left + (ref[1] - lo) / span * plot_w
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="4" y2="{h - 16}" stroke="red" stroke-dasharray="4 3"/>')
        parts.append(f'<text x="{x:.1f}" y="{h - 4}" fill="red" text-anchor="middle">{html.escape(ref[0])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def text_bars(items: list[tuple[str, float | None, bool]], unit: str = "", width: int = 30) -> str:
    """The same bar chart in plain text (for Markdown, inside a code block)."""
    known = [v for _, v, _ in items if v is not None and not (isinstance(v, float) and math.isnan(v))]
    hi = max(known) if known else 1.0
    lines = []
    for label, v, hl in items:
        name = str(label)[:32].replace("`", "'").ljust(32)
        if v is None or (isinstance(v, float) and math.isnan(v)):
            lines.append(f"{name}  unknown")
        else:
            n = max(1, round(float(v) / (hi or 1) * width))
            lines.append(f"{name} {'█' * n}{' ' * (width - n)} {_v(float(v))} {unit}{'  ◀' if hl else ''}")
    return "\n".join(lines)


# ---------------------------------------------------------------- sections (format-neutral)

def _sections(sc: Scorecard, link) -> list[tuple[str, list]]:
    """Each section as a list of blocks: ("p", text) / ("table", headers, rows) / ("chart", items, unit, ref,
    caption) / ("link", url). ``link(url)`` makes a safe link cell for the output format."""
    rep, m = sc.report, sc.report.model
    names = {rep.model_id: m["name"], **dict(zip(sc.peers["model_id"], sc.peers["name"]))}
    ids = [rep.model_id] + sc.peers["model_id"].tolist()
    out = []

    # 1. how good
    blocks: list = [("p", f"Independent results only (latest per benchmark and source, best setting on that date). "
                          f"Peers: {', '.join(names[i] for i in ids[1:]) or 'none'}.")]
    res = sc.results
    rows = []
    chart = None
    for (bench, source), g in res.groupby(["benchmark", "source"], sort=False):
        by = {r.model_id: r for r in g.itertuples()}
        mine = by.get(rep.model_id)
        rows.append([benchmark_label(bench), source, *[by[i].value if i in by else None for i in ids],
                     _v(mine.as_of) if mine else None, (mine.setting or "")[:80] if mine else None,
                     _Raw(link(mine.source_url)) if mine else None])
        if chart is None and len(by) >= 2:
            chart = ("chart", [(names[i], by[i].value if i in by else None, i == rep.model_id) for i in ids],
                     g["unit"].iloc[0], None, f"{benchmark_label(bench)} ({source})")
    if rows:
        blocks.append(("table", ["benchmark", "source", *[names[i] for i in ids], "as of",
                                 f"setting ({names[ids[0]]})", "source URL"], rows))
    else:
        blocks.append(("p", "No independent result recorded: unknown."))
    if chart:
        blocks.append(chart)
    vs = rep.variant_scores
    if len(vs):
        released = rep.evals[rep.evals["headline"]]
        blocks.append(("p", "Related unreleased variants, kept apart (a different checkpoint, not these weights):"))
        vrows = []
        for r in vs.itertuples():
            same = released[(released["benchmark"] == r.benchmark) & (released["source"] == r.source)]
            vrows.append([r.name, r.label, r.source, r.value, _v(r.as_of),
                          same["value"].iloc[0] if len(same) else None,
                          _v(same["as_of"].iloc[0]) if len(same) else None])
        blocks.append(("table", ["variant", "benchmark", "source", "variant score", "as of",
                                 f"{m['name']} (released) latest", "as of"], vrows))
    cl = rep.claims
    if len(cl):
        blocks.append(("p", "Vendor-reported numbers beside independent results (gap = claim minus independent, "
                            "same benchmark and unit only; 'closest' rows are context, not a check):"))
        blocks.append(("table", ["benchmark", "claimed", "reported by", "claim as of", "independent", "independent source",
                                 "match", "gap"],
                       [[r.benchmark, r.claimed, f"{r.claimant or 'unknown'} ({r.reported_by})", _v(r.claimed_as_of), r.independent,
                         r.independent_source, r.match, r.gap] for r in cl.itertuples()]))
    else:
        blocks.append(("p", "Vendor claims: none recorded."))
    out.append(("1. How good is it really?", blocks))

    # 2. which size fits
    blocks = [("p", model_page.DEPLOY_NOTE)]
    dep = rep.deployment
    blocks.append(("table", ["format", "runtime", "smallest hardware", "memory (GiB)", "decode tok/s", "verdict"],
                   [[r["format"], r["runtime"], r["smallest hardware"], r["memory_gib"], r["decode_tokens_per_s"],
                     r["verdict"]] for _, r in dep.iterrows()]))
    node_name = model_page.fit.hardware_presets()[NODE_HARDWARE].name
    blocks.append(("p", f"On one {node_name} with vLLM, {model_page.DEPLOY_CONTEXT // 1024}K context:"))
    blocks.append(("table", ["format", "memory needed (GiB)", "weights (GiB)", "usable (GiB)", "verdict",
                             "longest context"],
                   [[r.format, r.memory_gib, r.weights_gib, r.usable_gib, r.verdict, r.longest_context]
                    for r in sc.node.itertuples()]))
    usable = sc.node["usable_gib"].dropna()
    blocks.append(("chart", [(f"{r.format} on {NODE_HARDWARE}", r.memory_gib, True) for r in sc.node.itertuples()],
                   "GiB", (f"usable {usable.iloc[0]:.0f} GiB", float(usable.iloc[0])) if len(usable) else None,
                   f"memory on {node_name} (estimate)"))
    ch = rep.context_hw
    if len(ch):
        cols = [c for c in ch.columns if c not in ("hardware", "hardware_id")]
        blocks.append(("p", "Longest context that fits (estimate, up to the advertised context):"))
        blocks.append(("table", ["hardware", *cols], [[r["hardware"], *[r[c] for c in cols]] for _, r in ch.iterrows()]))
    out.append(("2. Which size fits?", blocks))

    # 3. licence
    blocks = [("p", "Summaries of licence terms to help you find the right clause; not legal advice.")]
    lic = rep.licence
    if len(lic):
        blocks.append(("table", ["question", "answer", "clause", "source URL"],
                       [[r.question, r.answer, r.clause, _Raw(link(r.source_url))] for r in lic.itertuples()]))
    else:
        blocks.append(("p", "Licence answers: unknown (no licence recorded)."))
    f = rep.licence_facts
    if f:
        facts = [("licence", f.get("name")), ("primary text read", f.get("primary_text_read")),
                 ("monthly active users threshold", f.get("mau_threshold")), ("MAU clause", f.get("mau_clause")),
                 ("attribution / branding", f.get("attribution")), ("derivative naming", f.get("derivative_naming")),
                 ("naming clause", f.get("naming_clause")), ("EU restriction", f.get("eu_restriction")),
                 ("EU: multimodal models only", f.get("eu_multimodal_only")), ("EU clause", f.get("eu_clause")),
                 ("training on outputs", f.get("outputs_clause"))]
        blocks.append(("table", ["term", "value"], [[k, v] for k, v in facts]))
        blocks.append(("link", f.get("source_url")))
    out.append(("3. What may I do with it?", blocks))

    # 4. hosts
    blocks = []
    ctx = rep.context
    blocks.append(("table", ["kind", "what", "tokens", "source", "as of"],
                   [[r.kind, r.what, r.tokens, r.source, r.as_of] for r in ctx.itertuples()]))
    prov = rep.providers
    if len(prov):
        blocks.append(("table", ["provider", "served context", "input $/1M", "output $/1M", "quantisation", "source",
                                 "as of"],
                       [[r.provider, r.context_window, r.input_usd_per_mtok, r.output_usd_per_mtok, r.quantisation,
                         r.source, _v(r.as_of)] for r in prov.itertuples()]))
        adv = m.get("context_claimed")
        items = [(f"{r.provider} ({r.source})", None if pd.isna(r.context_window) else float(r.context_window), False)
                 for r in prov.drop_duplicates(["provider", "source", "context_window"]).itertuples()]
        blocks.append(("chart", items, "tokens", ("advertised", float(adv)) if adv else None,
                       "served context per provider"))
    else:
        blocks.append(("p", "Providers: none recorded (unknown, not zero)."))
    out.append(("4. What do hosts actually serve?", blocks))

    # sources
    src = rep.sources
    out.append(("Sources and as-of", [("table", ["section", "source", "as of", "rows", "source URL"],
                                       [[r.section, r.source, r.as_of, r.rows, _Raw(link(r.source_url))]
                                        for r in src.itertuples()])]))
    return out


# ---------------------------------------------------------------- renderers

def to_markdown(sc: Scorecard) -> str:
    sections = _sections(sc, _md_link)
    m = sc.report.model
    lines = [f"# Launch scorecard: {md_text(m['name'])}", "",
             f"model id {md_text(m['model_id'])} · {md_text(m.get('family'))} · {md_text(m.get('vendor'))} · "
             f"released {md_text(str(m.get('release_date'))[:10] if m.get('release_date') is not None else None)} · "
             f"generated {sc.generated}", ""]
    for title, blocks in sections:
        lines += [f"## {title}", ""]
        for b in blocks:
            if b[0] == "p":
                lines += [md_text(b[1]), ""]
            elif b[0] == "table":
                lines += [_md_table(b[1], b[2]), ""]
            elif b[0] == "chart":
                lines += [f"*{md_text(b[4])}*", "", "```", text_bars(b[1], b[2]), "```", ""]
            elif b[0] == "link":
                lines += [f"Licence text: {_md_link(b[1])}", ""]
    return "\n".join(lines)


CSS = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
       "table{border-collapse:collapse;margin:.5em 0 1.2em;font-size:13px}td,th{border:1px solid #ccc;"
       "padding:3px 6px;vertical-align:top;text-align:left}th{background:#f2f2f2}.meta{color:#666}")


def to_html(sc: Scorecard) -> str:
    sections = _sections(sc, _h_link)
    m = sc.report.model
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             f"<title>Launch scorecard: {_h(m['name'])}</title>",
             '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:">',
             f"<style>{CSS}</style></head><body>",
             f"<h1>Launch scorecard: {_h(m['name'])}</h1>",
             f'<p class="meta"><code>{_h(m["model_id"])}</code> · {_h(m.get("family"))} · {_h(m.get("vendor"))} · '
             f'released {_h(str(m.get("release_date"))[:10] if m.get("release_date") is not None else None)} · '
             f"generated {_h(sc.generated)}</p>"]
    for title, blocks in sections:
        parts.append(f"<h2>{_h(title)}</h2>")
        for b in blocks:
            if b[0] == "p":
                parts.append(f"<p>{_h(b[1])}</p>")
            elif b[0] == "table":
                parts.append(_html_table(b[1], b[2]))
            elif b[0] == "chart":
                parts.append(f"<figure>{svg_bars(b[1], b[2], ref=b[3])}<figcaption>{_h(b[4])}</figcaption></figure>")
            elif b[0] == "link":
                parts.append(f"<p>Licence text: {_h_link(b[1])}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def render(model_id: str, peers: list[str] | None = None, fmt: str = "md", path: Path | None = None) -> bytes:
    """The scorecard file's bytes (UTF-8)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown scorecard format {fmt!r}; choose md or html")
    sc = build(model_id, peers, path)
    return (to_markdown(sc) if fmt == "md" else to_html(sc)).encode("utf-8")
