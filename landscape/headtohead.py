"""Head-to-head claims: "A beats B on X" as a vendor's own table says it, beside independent evidence.

Vendor tables (``data/vendor_claims.csv``, source ``vendor_claims``) list the vendor's models and
competitors' models on the same benchmark under the same setting. A *table* is the claim's setting
without its trailing ``vendor label`` (same vendor, same document, same metric and shots). In one
table, on one benchmark, every pair (own model A, competitor B) with A's number above B's is a
claim "A beats B on X". A model is the vendor's own when the claimant's name is part of the model's
vendor (``Qwen`` / ``Alibaba Qwen``) or the other way round.

Independent evidence: the same benchmark, else the benchmarks ``landscape.evals`` names as the same
test or the closest one (SAME, CLOSEST), the first on which *both* A and B have an independent result
from the same source (each model's latest result, best setting on that date; a primary source
before Epoch's re-keyed copies). Verdict: ``holds``
(A above B), ``does not hold`` (A at or below B), ``no independent evidence``. A verdict on a closest
benchmark says so in ``evidence``: it is a related test, not the same one. Pure functions; no streamlit.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from landscape.charts import arr, escs, scatter, spec_figure
from landscape.db import query_df, records
from landscape.evals import CLOSEST, SAME, benchmark_label

VERDICTS = ("holds", "does not hold", "no independent evidence")
VERDICT_COLORS = {"holds": "#2ca02c", "does not hold": "#d62728", "no independent evidence": "#aaaaaa"}
_LABEL = re.compile(r";\s*vendor label:.*$")
_CLAIMANT = re.compile(r"^claimed by ([^;]+)")


def table_key(setting: str) -> str:
    return _LABEL.sub("", setting or "").strip()


def is_own(claimant: str | None, vendor: str | None) -> bool:
    a, b = (claimant or "").strip().lower(), (vendor or "").strip().lower()
    return bool(a and b) and (a in b or b in a)


PAIR_COLUMNS = ["claimant", "table", "benchmark", "label", "a_id", "a", "a_claimed", "b_id", "b", "b_claimed", "unit",
                "claimed_margin", "claimed_as_of", "claim_url"]


def claim_pairs(claims: pd.DataFrame) -> pd.DataFrame:
    """Pairs (own A, competitor B) from vendor-claim rows (columns model_id, name, vendor, benchmark,
    setting, value, unit, as_of, source_url) where A's number is above B's in the same table.

    Tables in (table, benchmark) order, each model's first row in a table, own claims x competitors
    in row order; plain records, not a pandas group and two itertuples per table (2.6 s of 2.7 for
    the snapshot's 478 pairs; tests/test_headtohead_fast.py checks the rows equal that version's)."""
    groups: dict[tuple, list[dict]] = {}
    for r in records(claims):
        bench = r["benchmark"]
        if bench is None or bench != bench:  # pandas' groupby drops a missing key
            continue
        r["claimant"] = (_CLAIMANT.match(r["setting"] or "") or [None, None])[1]
        r["table"] = table_key(r["setting"])
        groups.setdefault((r["table"], bench), []).append(r)
    rows = []
    for table, bench in sorted(groups):
        seen: set = set()
        g = [r for r in groups[(table, bench)] if not (r["model_id"] in seen or seen.add(r["model_id"]))]
        own = [r for r in g if is_own(r["claimant"], r["vendor"])]
        comp = [r for r in g if not is_own(r["claimant"], r["vendor"])]
        label = benchmark_label(bench)
        for a in own:
            for b in comp:
                if a["value"] > b["value"] and a["unit"] == b["unit"]:
                    rows.append({"claimant": a["claimant"], "table": table, "benchmark": bench, "label": label,
                                 "a_id": a["model_id"], "a": a["name"], "a_claimed": a["value"],
                                 "b_id": b["model_id"], "b": b["name"], "b_claimed": b["value"], "unit": a["unit"],
                                 "claimed_margin": round(float(a["value"]) - float(b["value"]), 3),
                                 "claimed_as_of": a["as_of"], "claim_url": a["source_url"]})
    return pd.DataFrame(rows, columns=PAIR_COLUMNS)


def latest_independent(indep: pd.DataFrame) -> dict:
    """{(model_id, benchmark): {source: row}} with each model's latest result per source."""
    d = indep.sort_values(["as_of", "value"], ascending=[False, False], kind="stable")
    d = d.drop_duplicates(["model_id", "benchmark", "source"])
    out: dict = {}
    for r in records(d):
        out.setdefault((r["model_id"], r["benchmark"]), {})[r["source"]] = r
    return out


def judge(pairs: pd.DataFrame, indep: pd.DataFrame) -> pd.DataFrame:
    """Add the independent evidence and verdict to each claim pair (see the module doc)."""
    lookup = latest_independent(indep)
    out = []
    for p in records(pairs):
        cands = [(b, "same benchmark") for b in (p["benchmark"], *SAME.get(p["benchmark"], ()))] + \
                [(b, f"closest benchmark: {benchmark_label(b)}") for b in CLOSEST.get(p["benchmark"], ())]
        found = None
        for bench, how in cands:
            a, b = lookup.get((p["a_id"], bench), {}), lookup.get((p["b_id"], bench), {})
            # a primary source first: Epoch's re-keyed external tables can quote vendor reports
            common = sorted(set(a) & set(b), key=lambda s: (s == "epoch", s))
            if common:
                src = common[0]
                found = (bench, how, src, a[src], b[src])
                break
        if found is None:
            out.append({**p, "verdict": "no independent evidence", "evidence": None, "independent_source": None,
                        "a_independent": None, "b_independent": None, "independent_margin": None,
                        "a_as_of": None, "b_as_of": None, "independent_url": None})
            continue
        bench, how, src, ra, rb = found
        margin = float(ra["value"]) - float(rb["value"])
        out.append({**p, "verdict": "holds" if margin > 0 else "does not hold",
                    "evidence": f"{how} ({benchmark_label(bench)})" if how == "same benchmark" else how,
                    "independent_source": src, "a_independent": float(ra["value"]), "b_independent": float(rb["value"]),
                    "independent_margin": round(margin, 3), "a_as_of": ra["as_of"], "b_as_of": rb["as_of"],
                    "independent_url": ra["source_url"]})
    cols = list(pairs.columns) + ["verdict", "evidence", "independent_source", "a_independent", "b_independent",
                                  "independent_margin", "a_as_of", "b_as_of", "independent_url"]
    return pd.DataFrame(out, columns=cols)


def head_to_head(path: Path | None = None) -> pd.DataFrame:
    """Every vendor head-to-head claim in the database with its independent verdict: written at
    publish time (``landscape/derived.py``), computed here when that file is not this version's."""
    from landscape import derived
    return derived.table("head-to-head", path)


def compute_head_to_head(path: Path | None = None) -> pd.DataFrame:
    """``head_to_head`` computed from the database."""
    claims = query_df("""
        SELECT s.model_id, m.name, m.vendor, s.benchmark, s.setting, s.value, s.unit, s.as_of, s.source_url
        FROM scores s JOIN models m USING (model_id)
        WHERE s.vendor_claimed AND s.source = 'vendor_claims'
        ORDER BY s.rowid""", None, path)  # the tables' row order (a join does not keep it)
    pairs = claim_pairs(claims)
    if pairs.empty:
        return judge(pairs, pd.DataFrame(columns=["model_id", "benchmark", "source", "value", "as_of", "source_url"]))
    ids = sorted(set(pairs["a_id"]) | set(pairs["b_id"]))
    indep = query_df(f"""
        SELECT model_id, benchmark, source, value, unit, as_of, source_url FROM scores
        WHERE NOT vendor_claimed AND model_id IN ({', '.join('?' for _ in ids)})
        ORDER BY rowid""", ids, path)
    return judge(pairs, indep)


def claims_view(claimants: tuple[str, ...] = (), path: Path | None = None) -> dict:
    """The Frontiers page's head-to-head section for the claims of ``claimants`` (every claim when
    empty): the rows (``claims``), their verdict counts (``summary``) and margins chart (``figure``),
    and every claimant in the database (``claimants``, the picker's choices)."""
    h2h = head_to_head(path)
    view = h2h[h2h["claimant"].isin(claimants)].reset_index(drop=True) if claimants else h2h
    return {"claims": view, "summary": summary(view), "figure": margins_chart(view),
            "claimants": sorted(h2h["claimant"].dropna().unique().tolist())}


def summary(h2h: pd.DataFrame) -> pd.DataFrame:
    """Verdict counts per claimant."""
    if h2h.empty:
        return pd.DataFrame(columns=["claimant", *VERDICTS, "claims"])
    t = pd.crosstab(h2h["claimant"], h2h["verdict"]).reindex(columns=list(VERDICTS), fill_value=0)
    t["claims"] = t.sum(axis=1)
    return t.reset_index()


def margins_chart(h2h: pd.DataFrame) -> go.Figure:
    """Claimed margin (A minus B in the vendor's table) against the independent margin on the
    evidence benchmark, for the claims that have evidence; above zero = the claim holds."""
    d = h2h[h2h["independent_margin"].notna()]
    if d.empty:
        return spec_figure(annotations=[dict(text="No head-to-head claim has independent results for both models",
                                             showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")])
    traces = []
    for verdict, g in d.groupby("verdict"):
        traces.append(scatter(
            x=arr(g["claimed_margin"]), y=arr(g["independent_margin"]), mode="markers", name=verdict,
            marker=dict(color=VERDICT_COLORS.get(verdict, "#444"), size=9, opacity=0.8),
            hovertext=arr([f"<b>{a}</b> beats <b>{b}</b> on {lab}<br>"
                           f"claimed by {who}: {ac:g} vs {bc:g}<br>"
                           f"independent ({src}, {ev}): {ai:g} vs {bi:g}<br>verdict: {ver}"
                           for a, b, lab, who, ac, bc, src, ev, ai, bi, ver in zip(
                               escs(g["a"]), escs(g["b"]), escs(g["label"]), escs(g["claimant"]),
                               g["a_claimed"].tolist(), g["b_claimed"].tolist(), escs(g["independent_source"]),
                               escs(g["evidence"]), g["a_independent"].tolist(), g["b_independent"].tolist(),
                               escs(g["verdict"]))]), hoverinfo="text",
            customdata=arr(g["a_id"])))
    # the line add_hline(y=0) draws, and the figure as its specification (charts.SpecFigure)
    return spec_figure(traces, shapes=[dict(type="line", x0=0, x1=1, xref="x domain", y0=0, y1=0, yref="y",
                                            line=dict(color="#555", width=1))],
                       height=480, margin=dict(l=10, r=10, t=40, b=10),
                       xaxis=dict(title=dict(text="claimed margin (A - B, vendor table)")),
                       yaxis=dict(title=dict(text="independent margin (A - B)")),
                       title=dict(text="Does 'A beats B' survive independent evaluation?"))
