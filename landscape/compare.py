"""Side-by-side comparison of 2-12 models: queries, the tidy (long) table with provenance per
value, its wide pivot (one column per model), best-per-row marks, and presets derived from data.

No streamlit here. The long table is the source of truth (one row per model x attribute with
``source``, ``as_of``, ``source_url``, ``vendor_claimed``, ``estimated``); the wide table is what
the page shows and is a pure pivot of it, so the app, the CLI and the exports agree.
Unknown values stay ``None`` (shown as "unknown"), never 0.
"""
from __future__ import annotations

import functools
import math
import re
from datetime import date, datetime, time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from landscape import fit, licences, queries
from landscape.db import has_table, query_df, records
from landscape.numbers import number as _num
from landscape.tiers import tier_for

MIN_MODELS, MAX_MODELS = 2, 12
LONG_COLUMNS = ["model_id", "model", "group", "attribute", "value", "unit", "better", "source", "as_of",
                "source_url", "vendor_claimed", "estimated", "note"]
GROUPS = ("identity", "size", "context", "offerings", "evals", "deployment fit", "licence use cases")
HIGHER_IS_BETTER_UNITS = {"percent", "elo", "score", "points", "accuracy", "pass@1", "pass@2"}
LOWER_IS_BETTER_UNITS = {"rank", "usd", "usd/mtok", "seconds", "ms"}
WIDE_META = ("group", "attribute", "unit", "better")


@dataclass(frozen=True)
class CompareOptions:
    """The deployment settings a comparison is made under (used by the fit rows)."""
    fmt: str = "Q4_K_M"             # weight format (a key of landscape.fit.quant_formats())
    context: str = "32K"            # 8K / 32K / 128K / max (each model's advertised context)
    hardware: str = "rtx4090"       # a key of landscape.fit.hardware_presets()
    mau: int = 1_000_000            # monthly active users for the licence "mau" use case


# ---------------------------------------------------------------- model choice

def model_choices(path: Path | None = None) -> pd.DataFrame:
    """Every model with all its name variants (name, id, aliases) for searching: written at publish
    time (``landscape/derived.py``), computed here when that file is not this version's."""
    from landscape import derived
    return derived.table("model-choices", path)


def compute_model_choices(path: Path | None = None) -> pd.DataFrame:
    """``model_choices`` computed from the database, with each row's picker ``label`` and its name
    variants normalised for ``resolve`` (``norms``: the normalised id, name and aliases, joined
    by ``NORM_SEP``)."""
    sql = """
        SELECT m.model_id, m.name, m.family, m.vendor, m.released, m.open_weights,
               coalesce(string_agg(DISTINCT a.alias, ' · ' ORDER BY a.alias), '') AS aliases
        FROM models m LEFT JOIN aliases a USING (model_id)
        GROUP BY ALL
        ORDER BY m.family, m.name"""
    df = query_df(sql, None, path)
    ids, names, aliases = df["model_id"].tolist(), df["name"].tolist(), df["aliases"].tolist()
    df["label"] = [choice_label(n, m, a) for n, m, a in zip(names, ids, aliases)]
    df["norms"] = [NORM_SEP.join(_norm(v) for v in [m, n, *(a.split(" · ") if a else [])] if v)
                   for m, n, a in zip(ids, names, aliases)]
    return df


def choice_label(name: str, model_id: str, aliases: str) -> str:
    """What the picker shows and searches: name, id, and every alias that adds something."""
    extra = [a for a in (aliases.split(" · ") if aliases else []) if a and a not in (name, model_id)]
    label = f"{name} — {model_id}"
    if extra:
        label += " (aka " + ", ".join(extra[:6]) + ")"
    return label


NORM_SEP = " "  # joins a model's normalised variants (a normalised variant has no space)
_NOT_ALNUM = re.compile(r"[\W_]+")  # \w is str.isalnum() plus "_" (Unicode-aware)


def _norm(s: str) -> str:
    """Lower case, letters and digits only (Unicode): "Llama-4 Scout" -> "llama4scout"."""
    return _NOT_ALNUM.sub("", str(s).lower())


def _variant_index(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """normalised variant -> model ids (sorted, distinct), for the current database version (built
    once per version)."""
    from landscape.db import db_token
    return _variant_index_of(db_token(path), path)


@functools.lru_cache(maxsize=2)
def _variant_index_of(token: str, path: Path | None) -> dict[str, tuple[str, ...]]:
    # kept as tuples, not sets: a one-id tuple is a quarter of a set's memory; at 100x the index
    # (~70,000 variants, held for the server's life) took 23.2 MB with sets, 12.0 with tuples
    index: dict[str, set[str]] = {}
    choices = model_choices(path)
    for mid, norms in zip(choices["model_id"].tolist(), choices["norms"].tolist()):
        for key in norms.split(NORM_SEP):
            index.setdefault(key, set()).add(mid)
    return {k: tuple(sorted(v)) for k, v in index.items()}


def resolve(names: list[str], path: Path | None = None) -> tuple[list[str], list[str]]:
    """Map user-typed names (id, display name or any alias; case, spaces, dashes ignored) to
    model ids. Returns (ids in order, without duplicates; problems). Never guesses between two."""
    index = _variant_index(path)
    ids, problems = [], []
    for raw in names:
        key = _norm(raw)
        hit = index.get(key)
        if not hit and key:
            # unique substring match over variants (e.g. "scout"), never a guess between several
            cands = {mid for k, mids in index.items() if key in k for mid in mids}
            hit = cands if len(cands) == 1 else None
            if len(cands) > 1:
                problems.append(f"'{raw[:60]}' is ambiguous: {', '.join(sorted(cands)[:6])}")
                continue
        if not hit:
            problems.append(f"no model named '{raw[:60]}'")
            continue
        if len(hit) > 1:
            problems.append(f"'{raw[:60]}' names several models: {', '.join(sorted(hit))}")
            continue
        mid = next(iter(hit))
        if mid not in ids:
            ids.append(mid)
    return ids, problems


MAX_LINK_NAMES = 50


def models_from_link(raw: list[str], path: Path | None = None) -> tuple[list[str], list[str]]:
    """A shared link's ``models`` values (comma-separated, repeated allowed) -> (ids, problems):
    names resolved as ``resolve`` does, at most ``MAX_MODELS`` kept; each name that could not be
    used, and a cut to ``MAX_MODELS``, is one problem. ValueError for more than ``MAX_LINK_NAMES`` names."""
    names = [v for r in raw for v in r.split(",") if v.strip()]
    if len(names) > MAX_LINK_NAMES:
        raise ValueError("too many models")
    ids, problems = resolve(names, path)
    if len(ids) > MAX_MODELS:
        problems.append(f"kept the first {MAX_MODELS} of {len(ids)}")
    return ids[:MAX_MODELS], problems


def differing_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a wide table whose cells, as shown (``format_value``: unknown reads "unknown"),
    are not all the same: a row where one model is unknown and another known differs."""
    cols = model_columns(table)
    shown = table[cols].map(format_value) if cols else table[cols]
    return table[shown.nunique(axis=1) > 1].reset_index(drop=True)


def model_columns(table: pd.DataFrame) -> list[str]:
    """The per-model columns of a wide table."""
    return [c for c in table.columns if c not in WIDE_META]


# ---------------------------------------------------------------- the long table

def _row(m: dict, group: str, attribute: str, value, *, unit: str = "", better: str = "", source="registry",
         as_of=None, source_url=None, vendor_claimed=False, estimated=False, note: str = "") -> dict:
    if isinstance(value, float) and math.isnan(value):
        value = None
    if value is pd.NA or value is pd.NaT:
        value = None
    return {"model_id": m["model_id"], "model": m["name"], "group": group, "attribute": attribute,
            "value": value, "unit": unit, "better": better, "source": source if value is not None else None,
            "as_of": as_of if value is not None else None,
            "source_url": (source_url or m.get("source_url")) if value is not None else None,
            "vendor_claimed": bool(vendor_claimed) if value is not None else None,
            "estimated": bool(estimated) if value is not None else None, "note": note}


def _models(ids: list[str], path) -> pd.DataFrame:
    ph = ", ".join("?" for _ in ids)
    df = query_df(f"SELECT * FROM models WHERE model_id IN ({ph})", ids, path)
    order = {mid: i for i, mid in enumerate(ids)}
    return df.sort_values("model_id", key=lambda s: s.map(order)).reset_index(drop=True)


def _registry_rows(m: dict) -> list[dict]:
    released = bool(m["released"])
    rows = [
        _row(m, "identity", "model id", m["model_id"]),
        _row(m, "identity", "family", m["family"]),
        _row(m, "identity", "vendor", m["vendor"]),
        _row(m, "identity", "release date", m["release_date"].date() if isinstance(m["release_date"], pd.Timestamp)
             else m["release_date"]),
        _row(m, "identity", "weights", "open" if m["open_weights"] else "closed"),
        _row(m, "identity", "status", "released" if released else "unreleased"),
        _row(m, "identity", "licence", m["licence_id"] if isinstance(m["licence_id"], str) else None),
        _row(m, "size", "total params", _num(m["total_params_b"]), unit="B"),
        _row(m, "size", "active params", _num(m["active_params_b"]), unit="B"),
        _row(m, "size", "experts (total)", _num(m["experts_total"]) if _num(m["experts_total"]) is not None
             else ("dense" if pd.notna(m["is_moe"]) and not bool(m["is_moe"]) else None)),  # NULL = unknown
        _row(m, "size", "experts active per token", _num(m["experts_active"])),
        _row(m, "size", "size tier", tier_for(_num(m["total_params_b"])) if _num(m["total_params_b"]) is not None else None),
        _row(m, "context", "advertised context", _num(m["context_claimed"]), unit="tokens", better="higher",
             vendor_claimed=True, note="vendor claim from the model card"),
    ]
    return rows


def _better_for_unit(unit: str) -> str:
    u = (unit or "").lower()
    if u in HIGHER_IS_BETTER_UNITS:
        return "higher"
    if u in LOWER_IS_BETTER_UNITS:
        return "lower"
    return ""


def _eval_rows(models: pd.DataFrame, path) -> list[dict]:
    ids = models["model_id"].tolist()
    ph = ", ".join("?" for _ in ids)
    # same choice as the Landscape page (the warehouse view score_latest), over every source
    sql = f"""
        SELECT model_id, benchmark, source, setting, value, unit, ci_low, ci_high, vendor_claimed, as_of, source_url
        FROM score_latest WHERE latest AND model_id IN ({ph}) ORDER BY model_id, benchmark, source"""
    sc = query_df(sql, ids, path)
    if sc.empty:
        return []
    from landscape.queries import benchmark_label
    counts = sc[~sc["vendor_claimed"]].groupby("benchmark")["model_id"].nunique()
    benches = sorted(sc["benchmark"].unique(), key=lambda b: (-int(counts.get(b, 0)), benchmark_label(b)))
    # one pass over plain records (pandas row access per cell cost ~1 ms each)
    by: dict[tuple[str, str], dict] = {}
    for r in records(sc):
        g = by.setdefault((r["model_id"], r["benchmark"]), {"first": r})
        g["claim" if r["vendor_claimed"] else "ind"] = r
    claimed = {b for (_, b), g in by.items() if "claim" in g}
    model_rows = records(models)
    rows = []
    for b in benches:
        label = benchmark_label(b)
        has_claims = b in claimed
        for m in model_rows:
            g = by.get((m["model_id"], b), {})
            r, c = g.get("ind"), g.get("claim")
            if r is not None:
                note = f"setting: {r['setting']}" if r["setting"] else ""
                if pd.notna(r["ci_low"]) and pd.notna(r["ci_high"]):
                    note = (note + "; " if note else "") + f"95% CI {r['ci_low']:g}-{r['ci_high']:g}"
                as_of = r["as_of"].date() if isinstance(r["as_of"], pd.Timestamp) else r["as_of"]
                rows.append(_row(m, "evals", label, _num(r["value"]), unit=r["unit"], better=_better_for_unit(r["unit"]),
                                 source=r["source"], as_of=as_of, source_url=r["source_url"], note=note))
                rows.append(_row(m, "evals", f"{label} · source, as of",
                                 f"{r['source']}, {as_of:%Y-%m-%d}" if as_of is not None and not pd.isna(as_of)
                                 else f"{r['source']}, date unknown",
                                 source=r["source"], as_of=as_of, source_url=r["source_url"]))
            else:
                unit = g["first"]["unit"] if g else ""
                rows.append(_row(m, "evals", label, None, unit=unit, better=_better_for_unit(unit) if g else ""))
                rows.append(_row(m, "evals", f"{label} · source, as of", None))
            if has_claims:
                if c is not None:
                    as_of = c["as_of"].date() if isinstance(c["as_of"], pd.Timestamp) else c["as_of"]
                    rows.append(_row(m, "evals", f"{label} · vendor claim", _num(c["value"]), unit=c["unit"],
                                     source=c["source"], as_of=as_of, source_url=c["source_url"], vendor_claimed=True,
                                     note="vendor-claimed, not independently measured"))
                else:
                    rows.append(_row(m, "evals", f"{label} · vendor claim", None))
    return rows


# ---- optional rows from the other features' modules: used when they exist, skipped otherwise

@dataclass
class Extension:
    name: str
    rows: Callable[[pd.DataFrame, CompareOptions, Path | None], list[dict]]
    notes: list[str] = field(default_factory=list)


def extension_rows(models: pd.DataFrame, opts: CompareOptions, path) -> tuple[list[dict], list[str]]:
    """Rows from deployment fit, licences and offerings (a section that fails becomes a note)."""
    rows, notes = [], []
    for ext in EXTENSIONS:
        try:
            rows += ext.rows(models, opts, path)
        except Exception as exc:  # another feature's bug must not take the comparison down
            notes.append(f"{ext.name} rows unavailable: {type(exc).__name__}: {str(exc)[:120]}")
    return rows, notes


def _fit_rows(models: pd.DataFrame, opts: CompareOptions, path) -> list[dict]:
    hw = fit.hardware_presets().get(opts.hardware)
    hw_name = hw.name if hw else opts.hardware
    rows = []
    for m in records(models):
        r = fit.fit_model(m["model_id"], opts.hardware, None, opts.fmt, opts.context, path=path)
        kw = dict(source="estimate (landscape.fit)", estimated=True,
                  note="; ".join(str(a) for a in (r.assumptions or []))[:600])
        rows += [
            _row(m, "deployment fit", f"verdict on {hw_name}", r.verdict if r.status != "unknown" else None, **kw),
            _row(m, "deployment fit", f"memory needed ({opts.fmt}, {opts.context} context)", _round(r.total_gib),
                 unit="GiB", better="lower", **kw),
            _row(m, "deployment fit", "memory needed, low end (p10)", _round(r.total_gib_low), unit="GiB", **kw),
            _row(m, "deployment fit", "memory needed, high end (p90)", _round(r.total_gib_high), unit="GiB", **kw),
            _row(m, "deployment fit", "weights", _round(r.weights_gib), unit="GiB", **kw),
            _row(m, "deployment fit", "KV cache", _round(r.kv_cache_gib), unit="GiB", **kw),
            _row(m, "deployment fit", f"spare memory on {hw_name}", _round(r.spare_gib), unit="GiB",
                 better="higher", **kw),
            _row(m, "deployment fit", "longest context that fits", _num(r.max_context), unit="tokens",
                 better="higher", **kw),
            _row(m, "deployment fit", "longest context that fits, if memory is at the high end (p90)",
                 _num(r.max_context_low), unit="tokens", **kw),
            _row(m, "deployment fit", "decode speed", _round(r.decode_tokens_per_s, 1), unit="tokens/s",
                 better="higher", **kw),
            _row(m, "deployment fit", "decode speed, low end (p10)", _round(r.decode_tokens_per_s_low, 1),
                 unit="tokens/s", **kw),
            _row(m, "deployment fit", "decode speed, high end (p90)", _round(r.decode_tokens_per_s_high, 1),
                 unit="tokens/s", **kw),
        ]
    return rows


def _round(v, nd: int = 2):
    v = _num(v)
    return None if v is None else round(float(v), nd)


def _licence_rows(models: pd.DataFrame, opts: CompareOptions, path) -> list[dict]:
    if not has_table("licence_answers", path):
        return []
    labels = licences.USE_CASES
    ids = models["model_id"].tolist()
    la = query_df(f"""SELECT la.model_id, la.use_case, {licences.mau_sql("la")} AS answer, la.clause, la.source_url
                      FROM licence_answers la WHERE la.model_id IN ({', '.join('?' for _ in ids)})""",
                  [int(opts.mau)] + ids, path)
    answer: dict[tuple, dict] = {}
    for a in records(la):  # one lookup per cell, not a mask over every answer (the first row of a pair)
        answer.setdefault((a["model_id"], a["use_case"]), a)
    rows, ms = [], records(models)
    for uc in list(dict.fromkeys([*labels, *sorted(la["use_case"].unique())])):
        label = labels.get(uc, uc)
        if uc == "mau":
            label = label.replace("N", f"{int(opts.mau):,}")
        for m in ms:
            h = answer.get((m["model_id"], uc))
            if h is not None:
                rows.append(_row(m, "licence use cases", label, h["answer"], source="licences",
                                 source_url=h["source_url"], note=str(h["clause"] or "")[:400]))
            else:
                rows.append(_row(m, "licence use cases", label, None))
    return rows


def _offering_rows(models: pd.DataFrame, opts: CompareOptions, path) -> list[dict]:
    if not has_table("offerings", path):
        return []
    ids = models["model_id"].tolist()
    o = query_df(f"""
        SELECT model_id, count(DISTINCT provider) AS providers, min(context_window) AS served_min,
               max(context_window) AS served_max, min(input_usd_per_mtok) AS min_in,
               min(output_usd_per_mtok) AS min_out, max(as_of) AS as_of,
               string_agg(DISTINCT source, ', ' ORDER BY source) AS source, min(source_url) AS source_url
        FROM offerings WHERE model_id IN ({', '.join('?' for _ in ids)}) GROUP BY model_id""", ids, path)
    rows = []
    for m in records(models):
        hit = o[o["model_id"] == m["model_id"]]
        h = hit.iloc[0] if len(hit) else None
        as_of = h["as_of"].date() if h is not None and isinstance(h["as_of"], pd.Timestamp) else None
        kw = dict(source=h["source"], as_of=as_of, source_url=h["source_url"]) if h is not None else {}
        lo = _num(h["served_min"]) if h is not None else None
        hi = _num(h["served_max"]) if h is not None else None
        rows += [
            _row(m, "context", "served context (min-max over providers)",
                 (f"{lo:,}-{hi:,}" if lo != hi else f"{lo:,}") if lo is not None and hi is not None else None,
                 unit="tokens", **kw),
            _row(m, "context", "largest served context", hi, unit="tokens", better="higher", **kw),
            _row(m, "offerings", "providers", _num(h["providers"]) if h is not None else None, better="higher", **kw),
            _row(m, "offerings", "lowest input price", _num(h["min_in"]) if h is not None else None,
                 unit="USD/Mtok", better="lower", **kw),
            _row(m, "offerings", "lowest output price", _num(h["min_out"]) if h is not None else None,
                 unit="USD/Mtok", better="lower", **kw),
        ]
    return rows


EXTENSIONS: list[Extension] = [
    Extension("offerings", _offering_rows),
    Extension("deployment fit", _fit_rows, ["Deployment fit rows are estimates from landscape.fit (architecture, "
                                            "format bits per weight, runtime overheads); see the Deployment fit page."]),
    Extension("licence", _licence_rows, ["Licence answers summarise licence terms; not legal advice."]),
]


def compare_result(model_ids: list[str], opts: CompareOptions | None = None,
                   path: Path | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The long table (one row per (model, attribute) with provenance; model order as given) and
    the notes for the page and the export's "sources & notes" sheet, from one pass."""
    opts = opts or CompareOptions()
    ids = list(dict.fromkeys(model_ids))[:MAX_MODELS]
    notes = ["Evals: each benchmark's latest independent result (best setting on that date), as on the "
             "Landscape page; vendor claims are separate rows, never mixed in.",
             "Advertised context is the vendor's claim from the model card."]
    rows = []
    if ids:
        models = _models(ids, path)
        for m in records(models):
            rows += _registry_rows(m)
        rows += _eval_rows(models, path)
        ext, ext_notes = extension_rows(models, opts, path)
        rows += ext
        notes += ext_notes
    notes += [n for ext in EXTENSIONS for n in ext.notes]
    return pd.DataFrame(rows, columns=LONG_COLUMNS), notes


def compare_long(model_ids: list[str], opts: CompareOptions | None = None, path: Path | None = None) -> pd.DataFrame:
    """One row per (model, attribute) with provenance; model order as given."""
    return compare_result(model_ids, opts, path)[0]


def wide(long: pd.DataFrame) -> pd.DataFrame:
    """Pivot: columns ``group``, ``attribute``, ``unit``, ``better`` then one column per model
    (display name; disambiguated by id if two share a name). Row order = first appearance."""
    if long.empty:
        return pd.DataFrame(columns=["group", "attribute", "unit", "better"])
    names = column_names(long)
    keys = list(dict.fromkeys(zip(long["group"], long["attribute"])))
    rank = {g: i for i, g in enumerate(GROUPS)}
    keys.sort(key=lambda k: rank.get(k[0], len(GROUPS)))  # stable: attribute order kept within a group
    first = long.drop_duplicates(["group", "attribute"])
    better = dict(zip(zip(first["group"].tolist(), first["attribute"].tolist()), first["better"].tolist()))
    data = dict(zip(zip(long["group"].tolist(), long["attribute"].tolist(), long["model_id"].tolist()),
                    long["value"].tolist()))
    units: dict = {}
    for g, a, u in zip(long["group"].tolist(), long["attribute"].tolist(), long["unit"].tolist()):
        if u and not units.get((g, a)):  # the first unit given for the attribute
            units[(g, a)] = u
    out = []
    for g, a in keys:
        row = {"group": g, "attribute": a, "unit": units.get((g, a), ""), "better": better[(g, a)]}
        for mid, col in names.items():
            row[col] = data.get((g, a, mid))
        out.append(row)
    return pd.DataFrame(out, columns=["group", "attribute", "unit", "better", *names.values()])


def column_names(long: pd.DataFrame) -> dict[str, str]:
    pairs = list(dict.fromkeys(zip(long["model_id"], long["model"])))
    counts = pd.Series([n for _, n in pairs]).value_counts()
    return {mid: (name if counts[name] == 1 else f"{name} [{mid}]") for mid, name in pairs}


def format_value(v) -> str:
    """How a compare cell is shown: unknown as "unknown", numbers with separators."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT:
        return "unknown"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, datetime):  # dates read back from spreadsheets come as midnight datetimes
        return v.date().isoformat() if v.time() == time(0) else v.isoformat(sep=" ", timespec="minutes")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float):
        return f"{v:,.0f}" if v.is_integer() else f"{v:,.2f}".rstrip("0").rstrip(".")
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def best_mask(w: pd.DataFrame) -> pd.DataFrame:
    """True where a cell holds the row's best value (only rows with a direction and >=2 known numbers)."""
    model_cols = model_columns(w)
    cells = {c: [False] * len(w) for c in w.columns}
    columns = {c: w[c].tolist() for c in model_cols}
    for i, direction in enumerate(w["better"].tolist()):
        if direction not in ("higher", "lower"):
            continue
        vals = {c: col[i] for c, col in columns.items() if isinstance(col[i], (int, float))
                and not isinstance(col[i], bool) and not (isinstance(col[i], float) and math.isnan(col[i]))}
        if len(vals) < 2 or len(set(vals.values())) < 2:
            continue
        target = max(vals.values()) if direction == "higher" else min(vals.values())
        for c, v in vals.items():
            if v == target:
                cells[c][i] = True
    return pd.DataFrame(cells, index=w.index, columns=w.columns)


def page_view(model_ids: list[str], opts: CompareOptions | None = None, only_diff: bool = False,
              path: Path | None = None) -> dict:
    """What the Compare page draws, built once per input: the long table and notes
    (``compare_result``), the wide ``table`` (only the rows where models differ with ``only_diff``),
    its ``best`` mask, the cells as shown (``shown``: ``format_value``), the model columns, and the
    provenance rows (known values, formatted)."""
    long, notes = compare_result(model_ids, opts, path)
    table = wide(long)
    if only_diff:
        table = differing_rows(table)
    model_cols = model_columns(table)
    shown = table.copy()
    for c in model_cols:
        shown[c] = shown[c].map(format_value)
    prov = long[long["value"].notna()].copy()
    prov["value"] = prov["value"].map(format_value)
    return {"long": long, "notes": notes, "table": table, "best": best_mask(table), "shown": shown,
            "model_cols": model_cols, "provenance": prov}


def compare_table(model_ids: list[str], opts: CompareOptions | None = None, path: Path | None = None) -> pd.DataFrame:
    """The wide table (what the page shows and the CLI prints)."""
    return wide(compare_long(model_ids, opts, path))


# ---------------------------------------------------------------- presets (rules over the data)

@dataclass(frozen=True)
class Preset:
    key: str
    title: str
    rule: str
    ids: Callable[[Path | None], list[str]]


# pre-trained (base) checkpoints are registered as "<name> base"; presets compare the chat releases
NOT_BASE = "lower(name) NOT LIKE '% base'"


def _ids(sql: str, params=None, path=None) -> list[str]:
    return query_df(sql, params, path)["model_id"].tolist()[:MAX_MODELS]


def _latest_lmarena_cte() -> str:
    return """
        lm AS (SELECT model_id, value FROM score_latest
               WHERE benchmark = 'lmarena_text' AND NOT vendor_claimed AND latest)"""


def preset_llama4_peers(path=None, active_b: float = 17.0, ratio: float = 1.5) -> list[str]:
    """Released Llama 4 models with ~17B active params, then every other released model whose
    active parameters are within x1.5 of 17B, closest first."""
    return _ids(f"""
        SELECT model_id FROM models
        WHERE released AND NOT reference AND active_params_b BETWEEN ? AND ? AND {NOT_BASE}
        ORDER BY family = 'Llama 4' DESC, abs(ln(active_params_b / ?)), total_params_b, name""",
                [active_b / ratio, active_b * ratio, active_b], path)


GPU_24GB = "rtx4090"


def preset_one_24gb_gpu(path=None) -> list[str]:
    """Released open-weight models that the Deployment fit model says run on one RTX 4090 (24 GB)
    at GGUF Q4_K_M with an 8K context, ranked by their latest LMArena score (unknown last), then size."""
    from landscape.filters import Filters
    ok = queries.fitting_model_ids(Filters(weights="open"), GPU_24GB, gpus=1, quant="Q4_K_M", context="8K", path=path)
    if not ok:
        return []
    return _ids(f"""
        WITH {_latest_lmarena_cte()}
        SELECT m.model_id FROM models m LEFT JOIN lm USING (model_id)
        WHERE m.model_id IN ({', '.join('?' for _ in ok)}) AND {NOT_BASE.replace("name", "m.name")}
        ORDER BY lm.value DESC NULLS LAST, m.total_params_b DESC, m.name""", ok, path)


def preset_open_above_lmarena(path=None, threshold: float = 1350.0) -> list[str]:
    """Released open-weight models whose latest independent LMArena text score is above 1350."""
    return _ids(f"""
        WITH {_latest_lmarena_cte()}
        SELECT m.model_id FROM models m JOIN lm USING (model_id)
        WHERE m.open_weights AND m.released AND NOT m.reference AND lm.value > ? AND {NOT_BASE.replace("name", "m.name")}
        ORDER BY lm.value DESC, m.name""", [threshold], path)


def preset_llama4_sizes(path=None) -> list[str]:
    """One Llama 4 model per disclosed size (Scout, Maverick, Behemoth): the chat release, not the
    base checkpoint; variants of undisclosed size (the LMArena experimental) are left out."""
    return _ids(f"""
        SELECT model_id FROM models
        WHERE family = 'Llama 4' AND total_params_b IS NOT NULL AND NOT reference
        QUALIFY row_number() OVER (PARTITION BY total_params_b ORDER BY {NOT_BASE} DESC, released DESC, name) = 1
        ORDER BY total_params_b""", None, path)


PRESETS: dict[str, Preset] = {p.key: p for p in [
    Preset("llama4-peers", "Llama 4 vs peers at ~17B active",
           "released models with 11-26B active parameters (17B x/÷ 1.5), Llama 4 first, closest first",
           preset_llama4_peers),
    Preset("one-24gb-gpu", "What runs on one 24 GB GPU",
           "released open-weight models the Deployment fit estimate says fit (or fit tightly) on one "
           "RTX 4090 24 GB at Q4_K_M with 8K context, best LMArena score first", preset_one_24gb_gpu),
    Preset("open-lmarena-1350", "Open models above LMArena 1350",
           "released open-weight models whose latest independent LMArena text score is above 1350",
           preset_open_above_lmarena),
    Preset("llama4-sizes", "Llama 4 Scout vs Maverick vs Behemoth",
           "one Llama 4 chat model per disclosed size (base checkpoints left out), smallest first", preset_llama4_sizes),
]}


def preset_ids(key: str, path: Path | None = None) -> list[str]:
    return PRESETS[key].ids(path)
