"""Everything about one model, for the Model page (``/model?id=<model_id>``) and the launch scorecard.

Pure data: ``report(model_id)`` returns a ``ModelReport`` of plain values and DataFrames, one per
section (identity, size, evals, vendor claims, related variants, deployment, context per hardware,
licence, providers, peers, sources). No streamlit here; the page only renders. A section that has
nothing is an empty DataFrame (the page says "unknown"), never zeros.

Ranks: "rank within tier" is the model's place among every registry model of the same size tier
with a result on the same benchmark from the same source, each model's latest independent result
(best setting on that date, as on the Landscape page); higher is better except for rank-like units.
Deployment numbers are estimates from ``landscape.fit`` (its public functions only).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_plus

import pandas as pd

from landscape import fit, reasoning
from landscape.db import query_df
from landscape.evals import benchmark_label, claims_vs_independent
from landscape.filters import EVERY_MODEL
from landscape.tiers import tier_case_sql, tier_for

PAGE_PATH = "model"  # the page's url_path (pages/model.py)
LOWER_IS_BETTER_UNITS = {"rank", "usd", "usd/mtok", "seconds", "ms"}
PEER_WINDOW_DAYS = 183  # "same release window": released within about six months
MAX_PEERS = 4

# Formats the deployment section tries, with the runtime used for each (GGUF -> llama.cpp,
# Hugging Face formats -> vLLM), and the hardware ladder (smallest first).
DEPLOY_FORMATS: list[tuple[str, str]] = [("BF16", "vLLM"), ("FP8", "vLLM"), ("Q8_0", "llama.cpp"),
                                         ("Q4_K_M", "llama.cpp")]
DEPLOY_CONTEXT = 8192
LADDER_EXTRA: list[tuple[str, str, int]] = [("8x H200 node", "8xh200", 8)]
CONTEXT_HARDWARE = ["rtx4090", "h100", "h200", "mac-128", "8xh100", "8xh200"]
CONTEXT_SETTINGS: list[tuple[str, str]] = [("Q4_K_M", "llama.cpp"), ("FP8", "vLLM")]
DEPLOY_NOTE = (f"Estimates from landscape.fit at {DEPLOY_CONTEXT // 1024}K context, BF16 KV cache, one sequence; "
               "GGUF formats with llama.cpp, BF16/FP8 with vLLM (0.9 memory utilisation). Ranges and every "
               "assumption are on the Deployment fit page.")


_PLAIN_ID = re.compile(r"[A-Za-z0-9_.~/-]*")


def page_url(model_id: str) -> str:
    """Relative link to a model's page (works from any page of the app)."""
    # = urlencode({'id': model_id}); ids of letters, digits, '_.-~' and '/' (nearly all) only need '/' escaped
    q = model_id.replace("/", "%2F") if _PLAIN_ID.fullmatch(model_id) else quote_plus(model_id)
    return f"{PAGE_PATH}?id={q}"


def text_table(df: pd.DataFrame, unknown: str = "unknown") -> pd.DataFrame:
    """Text columns show 'unknown' where a value is missing (numbers stay numbers). Only the
    columns with a gap are rebuilt (a Model page draws a dozen small tables a render)."""
    out = df.copy(deep=False)  # pandas' copy-on-write: the caller's frame never changes
    for c in out.columns:
        col = out[c]
        if (col.dtype == object or pd.api.types.is_string_dtype(col.dtype)) and col.hasnans:
            out[c] = col.astype(object).where(col.notna(), unknown)
    return out


def with_page_links(df: pd.DataFrame, id_col: str = "model_id", col: str = "page") -> pd.DataFrame:
    """``df`` with a ``page`` column of model-page links (for st.column_config.LinkColumn)."""
    out = df.copy()
    urls: dict[str, str] = {}  # one link per model: an eval table repeats each model on many rows
    out[col] = [(urls.get(m) or urls.setdefault(m, page_url(m))) if isinstance(m, str) else None
                for m in out[id_col]]
    return out


def _val(v):
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def _text(v) -> str | None:
    """A table cell as text (mixed numbers and words in one column); None stays unknown."""
    v = _val(v)
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10000 else str(v)


def _day(v) -> str | None:
    v = _val(v)
    return None if v is None else pd.Timestamp(v).strftime("%Y-%m-%d")


@dataclass
class ModelReport:
    model_id: str
    model: dict  # the registry row plus tier
    identity: pd.DataFrame  # attribute, value, source, source_url
    size: pd.DataFrame  # attribute, value, unit, source, source_url
    evals: pd.DataFrame
    claims: pd.DataFrame
    variants: pd.DataFrame  # related checkpoints (same name stem) and their status
    variant_scores: pd.DataFrame  # independent scores of related unreleased variants (kept apart)
    deployment: pd.DataFrame  # smallest hardware per format
    context_hw: pd.DataFrame  # longest context per hardware
    licence: pd.DataFrame
    licence_facts: dict
    providers: pd.DataFrame
    context: pd.DataFrame  # advertised vs served vs feasible
    peers: pd.DataFrame
    sources: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    derivatives: pd.DataFrame = field(default_factory=pd.DataFrame)  # quantised copies (discovery)

    @property
    def compare_ids(self) -> list[str]:
        return [self.model_id] + self.peers["model_id"].tolist()


class UnknownModel(KeyError):
    pass


# ---------------------------------------------------------------- choices

def model_options(path: Path | None = None) -> pd.DataFrame:
    """Every registry model (id, name, family) for the page's picker, by family then name."""
    return query_df("SELECT model_id, name, family, released FROM models ORDER BY family, name", None, path)


def option_labels(path: Path | None = None) -> dict[str, str]:
    """model_id -> the page picker's label, "name (family)" (", unreleased" when it is), in
    ``model_options`` order; built once per database version, not per rerun."""
    df = model_options(path)
    return {m: f"{n} ({f}{'' if r else ', unreleased'})"
            for m, n, f, r in zip(df["model_id"].tolist(), df["name"].tolist(), df["family"].tolist(),
                                  df["released"].tolist())}


def _model(model_id: str, path) -> dict:
    df = query_df(f"SELECT m.*, {tier_case_sql('m.total_params_b')} AS tier FROM models m WHERE model_id = ?",
                  [model_id], path)
    if df.empty:
        raise UnknownModel(model_id)
    return {k: _val(v) for k, v in df.to_dict("records")[0].items()}


# ---------------------------------------------------------------- identity and size

def _identity(m: dict, path) -> tuple[pd.DataFrame, pd.DataFrame]:
    url = m.get("source_url")
    reg = "registry (data/models.yaml)"
    derived = query_df("SELECT model_id, name FROM models WHERE base_model = ? ORDER BY name", [m["model_id"]], path)
    base = m.get("base_model")
    base_name = None
    if base:
        b = query_df("SELECT name FROM models WHERE model_id = ?", [base], path)
        base_name = f"{b['name'].iloc[0]} ({base})" if len(b) else f"{base} (not a registry model)"
    curated = "discovered" if m.get("discovered") else "curated"
    rows = [
        ("model id", m["model_id"]), ("name", m.get("name")), ("family", m.get("family")),
        ("vendor", m.get("vendor")), ("release date", _day(m.get("release_date"))),
        ("weights", None if m.get("open_weights") is None else ("open" if m["open_weights"] else "closed")),
        ("status", "released" if m.get("released") else "unreleased"),
        ("base model", base_name or ("none recorded" if m.get("released") is not None else None)),
        ("models derived from it", ", ".join(derived["name"]) if len(derived) else "none recorded"),
        ("modalities", m.get("modalities")), ("licence", m.get("licence_id")),
        ("registry entry", curated), ("note", m.get("note")),
    ]
    ident = pd.DataFrame([{"attribute": a, "value": _text(v), "source": reg, "source_url": url} for a, v in rows])
    hub = query_df("SELECT repo, downloads, likes, gated, licence_tag, as_of, source_url FROM hub_metadata "
                   "WHERE model_id = ? ORDER BY as_of DESC NULLS LAST LIMIT 1", [m["model_id"]], path)
    h = {k: _val(v) for k, v in hub.to_dict("records")[0].items()} if len(hub) else {}
    hub_src = f"hf_hub, as of {_day(h.get('as_of')) or 'unknown'}" if h else "hf_hub (live refresh only; none recorded)"
    ident = pd.concat([ident, pd.DataFrame([
        {"attribute": f"Hugging Face {k}", "value": _text(h.get(c)) if h else None, "source": hub_src,
         "source_url": h.get("source_url")}
        for k, c in (("downloads", "downloads"), ("likes", "likes"), ("gated", "gated"), ("licence tag", "licence_tag"))
        if m.get("open_weights")])], ignore_index=True)
    r = reasoning.table().get(m["model_id"])
    ident = pd.concat([ident, pd.DataFrame([{
        "attribute": "reasoning (no / always / hybrid)", "value": r["reasoning"] if r else reasoning.UNKNOWN,
        "source": "data/reasoning.csv" + (f": {r['reasoning_note']}" if r and r["reasoning_note"] else ""),
        "source_url": r["reasoning_source_url"] if r else None}])], ignore_index=True)
    ident = ident[(ident["attribute"] != "note") | ident["value"].notna()].reset_index(drop=True)

    arch = fit.architecture_of(m["model_id"], path)
    size = [("total parameters", m.get("total_params_b"), "B", reg, url),
            ("active parameters", m.get("active_params_b"), "B", reg, url),
            ("experts (total / active per token)",
             f"{int(m['experts_total'])} / {int(m['experts_active']) if m.get('experts_active') else '?'}"
             if m.get("experts_total") else ("dense" if m.get("is_moe") is False and m.get("total_params_b") else None),
             "", reg, url),
            ("size tier", m.get("tier"), "", "landscape.tiers", None)]
    asrc = ", ".join(arch.sources) if arch is not None and arch.sources else "architectures"
    if arch is not None and arch.num_layers:
        counts = fit.layer_counts(arch)
        kinds = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
        att = "MLA (multi-head latent)" if arch.is_mla else (
            "GQA" if arch.num_kv_heads and arch.num_attention_heads and arch.num_kv_heads < arch.num_attention_heads
            else "multi-head" if arch.num_kv_heads else None)
        size += [("layers", f"{arch.num_layers} ({kinds})", "", asrc, None),
                 ("attention", att and (f"{att}: {arch.num_attention_heads} query / {arch.num_kv_heads} KV heads"
                                        if not arch.is_mla else f"{att}: kv_lora_rank {arch.kv_lora_rank}"), "", asrc, None),
                 ("KV cache per token (BF16, full-attention layers)",
                  round(fit.kv_bytes_per_token(arch, "bf16")) if arch.kv_known else None, "bytes", asrc, None),
                 ("window / chunk", arch.sliding_window or arch.attention_chunk_size, "tokens", asrc, None),
                 ("max position embeddings", arch.max_position_embeddings, "tokens", asrc, None)]
    else:
        size += [("architecture", None, "", "architectures", None)]
    sz = pd.DataFrame([{"attribute": a, "value": _text(v), "unit": u, "source": s, "source_url": su}
                       for a, v, u, s, su in size])
    return ident, sz


# ---------------------------------------------------------------- evals

_LOWER_FIRST = ", ".join("'" + u + "'" for u in sorted(LOWER_IS_BETTER_UNITS))


def tier_ranks_sql() -> str:
    """Every model's latest independent result per (benchmark, source) with its rank among the
    models of its size tier on it (1 = best; lower-is-better units ranked ascending)."""
    return f"""
        WITH latest AS (
            -- the warehouse's one "latest result" rule (score_latest.latest_in_source)
            SELECT s.model_id, s.benchmark, s.source, s.value, s.unit, s.setting, s.as_of
            FROM score_latest s WHERE NOT s.vendor_claimed AND s.latest_in_source
        ), tiered AS (
            SELECT l.*, {tier_case_sql('m.total_params_b')} AS tier FROM latest l JOIN models m USING (model_id)
        )
        SELECT model_id, benchmark, source, value, setting, as_of,
               rank() OVER (PARTITION BY benchmark, source, tier
                            ORDER BY CASE WHEN lower(unit) IN ({_LOWER_FIRST}) THEN value ELSE -value END) AS tier_rank,
               count(*) OVER (PARTITION BY benchmark, source, tier) AS tier_models, tier
        FROM tiered"""


# the scores with the headline (each model's latest result per benchmark and source) ranked in its
# tier; the order is the page's, with every other column as a tie-break (no two orders of one table)
_EVALS_COLUMNS = """s.benchmark, s.source, s.setting, s.value, s.unit, s.ci_low, s.ci_high, s.votes, s.as_of,
               s.raw_name, s.source_url,
               (r.model_id IS NOT NULL) AS headline, r.tier_rank, r.tier_models, r.tier"""
_EVALS_FROM = """
        FROM scores s
        LEFT JOIN ranked r ON r.model_id = s.model_id AND r.benchmark = s.benchmark AND r.source = s.source
             AND r.value = s.value AND r.as_of IS NOT DISTINCT FROM s.as_of AND r.setting = s.setting
        WHERE NOT s.vendor_claimed"""
_EVALS_ORDER = ("s.benchmark, s.source, s.as_of DESC NULLS LAST, s.value DESC, s.setting, s.raw_name, "
                "s.source_url NULLS LAST, s.unit, s.ci_low NULLS LAST, s.ci_high NULLS LAST, s.votes NULLS LAST")


def _labelled(df: pd.DataFrame) -> pd.DataFrame:
    """The page's two text columns: the benchmark's label, and "rank of models (tier)"."""
    df.insert(0 if "model_id" not in df else 1, "label", _strings([benchmark_label(b) for b in df["benchmark"]]))
    df["rank_in_tier"] = _strings([f"{int(r)} of {int(n)} ({t})" if pd.notna(r) else None
                                   for r, n, t in zip(df["tier_rank"], df["tier_models"], df["tier"])])
    return df


def _strings(values: list):
    """A text column typed as a query's (``db.frame_of``): text, or objects when it has no value."""
    return pd.array(values, dtype="str") if any(v is not None for v in values) else pd.array(values, dtype=object)


def compute_evals_for(model_id: str, path: Path | None = None) -> pd.DataFrame:
    """``evals_for`` in one query: the model's scores, every model of its benchmarks ranked there."""
    sql = f"""
        WITH ranked AS ({tier_ranks_sql()}
            WHERE (benchmark, source) IN (SELECT benchmark, source FROM scores WHERE model_id = ? AND NOT vendor_claimed)
        ) SELECT {_EVALS_COLUMNS}{_EVALS_FROM} AND s.model_id = ?
        ORDER BY {_EVALS_ORDER}"""
    return _labelled(query_df(sql, [model_id, model_id], path))


def compute_model_evals(path: Path | None = None) -> pd.DataFrame:
    """``evals_for`` of every model at once, by model (precomputed per database version: the
    ``model-evals`` table of landscape/derived.py, read a model at a time)."""
    sql = f"""
        WITH ranked AS ({tier_ranks_sql()})
        SELECT s.model_id, {_EVALS_COLUMNS}{_EVALS_FROM}
        ORDER BY s.model_id, {_EVALS_ORDER}"""
    return _labelled(query_df(sql, None, path))


def evals_for(model_id: str, path: Path | None = None) -> pd.DataFrame:
    """Every independent score of the model with provenance; ``headline`` marks its latest result
    per (benchmark, source) and carries the rank among models of its size tier. The model's rows of
    the version's precomputed ``model-evals`` table when there is one (one filtered Parquet read),
    else ``compute_evals_for`` ranks them here: the same rows, order and types."""
    from landscape import derived
    df = derived.rows("model-evals", [("model_id", "==", model_id)], path)
    if df is None:
        return compute_evals_for(model_id, path)
    return df.drop(columns="model_id")


def claims_for(model_id: str, path: Path | None = None) -> pd.DataFrame:
    """Vendor-claimed numbers for the model beside the independent result (same benchmark with the
    gap, else the closest named benchmark as context), with who reported each number. Whatever the
    model's status: an unreleased or reference model's page shows the claims made about it (e.g.
    GPT-4o's numbers in Meta's Llama 4 table)."""
    # reported_by (developer / other vendor / independent) and claimant (who) come with each claim
    return claims_vs_independent(EVERY_MODEL, path, model_id=model_id).reset_index(drop=True)


def related_variants(m: dict, path: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Checkpoints named after this one or it after them (same family; e.g. 'Llama 4 Maverick
    (03-26 experimental)', 'Llama 4 Maverick base'), and the independent scores of the unreleased
    ones, which must never be read as this model's."""
    rel = query_df("""
        SELECT model_id, name, released, open_weights, release_date FROM models
        WHERE family = ? AND model_id <> ?
          AND (starts_with(lower(name), lower(?) || ' ') OR starts_with(lower(?), lower(name) || ' '))
        ORDER BY name""", [m.get("family"), m["model_id"], m.get("name") or "", m.get("name") or ""], path)
    unrel = rel.loc[~rel["released"].astype(bool), "model_id"].tolist()
    if not unrel:
        return rel, pd.DataFrame(columns=["name", "model_id", "benchmark", "label", "source", "value", "unit",
                                          "ci_low", "ci_high", "as_of", "source_url"])
    ph = ", ".join("?" for _ in unrel)
    sc = query_df(f"""
        SELECT m.name, s.model_id, s.benchmark, s.source, s.value, s.unit, s.ci_low, s.ci_high, s.as_of, s.source_url
        FROM scores s JOIN models m USING (model_id)
        WHERE s.model_id IN ({ph}) AND NOT s.vendor_claimed
        ORDER BY s.benchmark, s.as_of""", unrel, path)
    sc.insert(3, "label", [benchmark_label(b) for b in sc["benchmark"]])
    return rel, sc


def derivatives_for(model_id: str, path: Path | None = None) -> pd.DataFrame:
    """Quantised or re-packaged copies of this model found by discovery (``derivatives``: format,
    who published it, downloads); they are never models themselves and carry no scores."""
    return query_df("""
        SELECT repo, org, format, official, downloads, created, as_of, source_url FROM derivatives
        WHERE model_id = ? ORDER BY downloads DESC NULLS LAST, repo""", [model_id], path)


# ---------------------------------------------------------------- deployment

def _ladder() -> list[tuple[str, str | float, int]]:
    return list(fit.DEPLOYMENT_LADDER) + LADDER_EXTRA


def _hardware(hw_id: str | float):
    return fit.custom_hardware(hw_id) if isinstance(hw_id, float) else fit.hardware_presets()[hw_id]


def _fit(m: dict, hw, gpus: int | None, fmt: str, context, runtime: str, path) -> fit.FitResult:
    """One estimate through fit's public formula (the model row and architectures are read once per
    report instead of once per call as ``fit.fit_model`` does: ~40 calls per page)."""
    hw = fit.resolve_hardware(hw)
    arch = fit.architecture_of(m["model_id"], path)
    return fit.fit_one(m, arch, hw, int(gpus or hw.devices), fit.quant_formats()[fmt],
                       fit.parse_context(context, m), "bf16", runtime)


def deployment(m: dict, path: Path | None = None) -> pd.DataFrame:
    """Per weight format: the smallest hardware on the ladder that holds the model (fits or tight),
    with memory, spare, decode speed and longest context there. Unknown when it cannot be estimated."""
    rows = []
    formats = fit.quant_formats()
    for fmt, runtime in DEPLOY_FORMATS:
        if fmt not in formats:
            continue
        found = None
        last = None
        for cls, hw_id, gpus in _ladder():
            r = _fit(m, _hardware(hw_id), gpus, fmt, DEPLOY_CONTEXT, runtime, path)
            last = r
            if r.status in ("fits", "tight"):
                found = (cls, hw_id, gpus, r)
                break
            if r.status in ("api_only", "unreleased") or r.total_gib is None:
                break
        r = found[3] if found else last
        rows.append({
            "format": fmt, "runtime": runtime,
            "smallest hardware": found[0] if found else ({"api_only": "API only (closed weights)",
                                                          "unreleased": "not available (unreleased)"}.get(
                r.status if r else "", "unknown" if r is None or r.total_gib is None else "larger than an 8x H200 node")),
            "verdict": r.verdict if r else "unknown",
            "memory_gib": r.total_gib if r else None,
            # p10-p90 of the fit's measured error (landscape/fit calibration), never a false precision
            "memory_gib_low": r.total_gib_low if r else None, "memory_gib_high": r.total_gib_high if r else None,
            "weights_gib": r.weights_gib if r else None,
            "kv_cache_gib": r.kv_cache_gib if r else None, "usable_gib": r.usable_gib if found else None,
            "decode_tokens_per_s": r.decode_tokens_per_s if found else None,
            "decode_tokens_per_s_low": r.decode_tokens_per_s_low if found else None,
            "decode_tokens_per_s_high": r.decode_tokens_per_s_high if found else None,
            "max_context": r.max_context if found else None,
            "estimate_basis": r.estimate_basis if r else "none",
        })
    return pd.DataFrame(rows)


def fit_at(m: dict, hardware: str, fmt: str, runtime: str = "vLLM", context: int = DEPLOY_CONTEXT,
           path: Path | None = None) -> fit.FitResult:
    """One fit (an estimate) at the preset's device count: e.g. Maverick on 8x H100 at FP8 vs BF16."""
    return _fit(m, hardware, None, fmt, context, runtime, path)


def context_cell(r: fit.FitResult) -> str:
    """Longest context as text: tokens, 'does not fit' (not even one token), or why it is unknown."""
    if r.status in ("api_only", "unreleased"):
        return r.verdict
    if r.estimate_basis != "architecture":
        return "unknown (architecture not known)"
    if r.max_context is None or r.max_context <= 0:
        # the fit gives no longest context when not even one token fits (never 0)
        return "does not fit" if r.status == "no" else "unknown"
    return f"{r.max_context:,}"


def context_per_hardware(m: dict, path: Path | None = None) -> pd.DataFrame:
    """Longest context that fits each hardware preset (up to the advertised context), per setting,
    as text (see ``context_cell``)."""
    presets = fit.hardware_presets()
    rows = []
    for hw_id in CONTEXT_HARDWARE:
        if hw_id not in presets:
            continue
        row = {"hardware": presets[hw_id].name, "hardware_id": hw_id}
        for fmt, runtime in CONTEXT_SETTINGS:
            r = _fit(m, hw_id, None, fmt, "max", runtime, path)
            row[f"{fmt} ({runtime})"] = context_cell(r)
        rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- licence, providers, context

def licence_for(model_id: str, path: Path | None = None) -> tuple[pd.DataFrame, dict]:
    from landscape.licences import USE_CASES
    la = query_df("SELECT use_case, answer, clause, terms, threshold, source_url FROM licence_answers "
                  "WHERE model_id = ? ORDER BY use_case", [model_id], path)
    la.insert(1, "question", la["use_case"].map(USE_CASES).fillna(la["use_case"]))
    facts = {}
    lic = query_df("SELECT l.* FROM licences l JOIN models m ON m.licence_id = l.licence_id WHERE m.model_id = ?",
                   [model_id], path)
    if len(lic):
        facts = {k: _val(v) for k, v in lic.to_dict("records")[0].items()}
    return la, facts


def providers_for(model_id: str, path: Path | None = None) -> pd.DataFrame:
    return query_df("""
        SELECT provider, via, variant, context_window, max_output, input_usd_per_mtok, output_usd_per_mtok,
               quantisation, note, source, as_of, source_url, raw_name
        FROM offerings WHERE model_id = ?
        ORDER BY context_window DESC NULLS LAST, provider, source""", [model_id], path)


def context_story(m: dict, providers: pd.DataFrame, context_hw: pd.DataFrame) -> pd.DataFrame:
    """Advertised (vendor claim) vs served (providers) vs feasible (estimated on hardware)."""
    rows = [{"kind": "advertised", "what": "vendor claim (model card)", "tokens": m.get("context_claimed"),
             "source": "registry", "as_of": None, "source_url": m.get("source_url")}]
    served = providers[providers["context_window"].notna()] if len(providers) else providers
    if len(served):
        for label, fn in (("smallest served", "idxmin"), ("largest served", "idxmax")):
            r = served.loc[getattr(served["context_window"].astype(float), fn)()]
            rows.append({"kind": "served", "what": f"{label}: {r['provider']} ({r['source']})",
                         "tokens": int(r["context_window"]), "source": r["source"], "as_of": _day(r["as_of"]),
                         "source_url": r["source_url"]})
        rows.append({"kind": "served", "what": f"providers listing a context: {served['provider'].nunique()}",
                     "tokens": None, "source": "offerings", "as_of": _day(served["as_of"].max()), "source_url": None})
    else:
        rows.append({"kind": "served", "what": "no provider lists a context", "tokens": None, "source": "offerings",
                     "as_of": None, "source_url": None})
    for r in context_hw.to_dict("records"):
        for col in [c for c in r if "(" in c]:
            cell = str(r[col])
            tokens = int(cell.replace(",", "")) if cell.replace(",", "").isdigit() else None
            rows.append({"kind": "feasible (estimate)",
                         "what": f"{r['hardware']}, {col}" + ("" if tokens is not None else f": {cell}"),
                         "tokens": tokens, "source": "estimate (landscape.fit)", "as_of": None, "source_url": None})
    df = pd.DataFrame(rows)
    df["tokens"] = df["tokens"].astype("Int64")
    return df


# ---------------------------------------------------------------- peers and sources

def peers_for(m: dict, path: Path | None = None, n: int = MAX_PEERS) -> pd.DataFrame:
    """Nearest peers: released, non-base models of the same size tier from other families first,
    released within ~6 months, closest in release date then in total parameters."""
    if m.get("release_date") is None:
        return pd.DataFrame(columns=["model_id", "name", "family", "release_date", "total_params_b", "days_apart"])
    return query_df(f"""
        SELECT model_id, name, family, release_date, total_params_b,
               abs(date_diff('day', release_date::DATE, ?::DATE)) AS days_apart
        FROM models
        WHERE model_id <> ? AND released AND NOT reference AND lower(name) NOT LIKE '% base'
          AND {tier_case_sql('total_params_b')} = ?
          AND release_date IS NOT NULL AND abs(date_diff('day', release_date::DATE, ?::DATE)) <= ?
          AND family <> ?
        ORDER BY days_apart,
                 abs(ln(coalesce(total_params_b, 1) / coalesce(?, coalesce(total_params_b, 1)))), name
        LIMIT ?""", [m["release_date"], m["model_id"], m.get("tier") or tier_for(None), m["release_date"],
                     PEER_WINDOW_DAYS, m.get("family"), m.get("total_params_b"), n], path)


_DEPLOY_SOURCE = "estimate (landscape.fit, data/hardware.csv, data/quant_formats.csv)"


def _first_last(key: tuple) -> tuple:
    """Sort key of a group: each part in order, a missing part after every present one (as
    pandas' groupby sorts a missing key)."""
    return tuple((v is None, "" if v is None else v) for v in key)


# section of the Sources table -> (the report's part, its source, as-of and URL columns)
SOURCE_COLUMNS: list[tuple[str, str, str, str | None, str]] = [
    ("identity", "identity", "source", None, "source_url"),
    ("size", "size", "source", None, "source_url"),
    ("evals", "evals", "source", "as_of", "source_url"),
    ("vendor claims", "claims", "claimant", "claimed_as_of", "claim_url"),
    ("related variants", "variant_scores", "source", "as_of", "source_url"),
    ("licence", "licence", "terms", None, "source_url"),
    ("providers", "providers", "source", "as_of", "source_url"),
    ("derivatives", "derivatives", "org", "as_of", "source_url"),
]


def _sources(rep: dict) -> pd.DataFrame:
    """One row per (section, source, source URL) of the report: its newest as-of day and how many
    rows it gave, by section, source and URL. Plain Python over each section's few rows (a pandas
    groupby with a per-group max cost ~12 ms a Model page)."""
    groups: dict[tuple, list] = {}
    for section, part, src, asof, url in SOURCE_COLUMNS:
        df = rep.get(part)
        if df is None or not len(df) or src not in df:
            continue
        n = len(df)
        sources = [None if _val(v) is None else str(v) for v in df[src].tolist()]
        days = [_day(v) for v in df[asof].tolist()] if asof and asof in df else [None] * n
        urls = [_val(v) for v in df[url].tolist()] if url in df else [None] * n
        for s, d, u in zip(sources, days, urls):
            g = groups.setdefault((section, s, u), [None, 0])
            if d is not None and (g[0] is None or d > g[0]):
                g[0] = d
            g[1] += 1
    groups.setdefault(("deployment", _DEPLOY_SOURCE, None), [None, 0])[1] += 1
    keys = sorted(groups, key=_first_last)
    return pd.DataFrame({"section": [k[0] for k in keys],
                         "source": pd.array([k[1] for k in keys], dtype="string"),
                         "as_of": pd.Series([groups[k][0] for k in keys], dtype=object),
                         "rows": pd.array([groups[k][1] for k in keys], dtype="int64"),
                         "source_url": pd.Series([k[2] for k in keys], dtype=object)})


def report(model_id: str, path: Path | None = None) -> ModelReport:
    """Every section of the Model page for ``model_id`` (raises ``UnknownModel``)."""
    m = _model(model_id, path)
    ident, size = _identity(m, path)
    ev = evals_for(model_id, path)
    cl = claims_for(model_id, path)
    rel, rel_scores = related_variants(m, path)
    dep = deployment(m, path)
    ctx_hw = context_per_hardware(m, path)
    lic, facts = licence_for(model_id, path)
    prov = providers_for(model_id, path)
    ctx = context_story(m, prov, ctx_hw)
    peers = peers_for(m, path)
    der = derivatives_for(model_id, path)
    parts = dict(identity=ident, size=size, evals=ev, claims=cl, variant_scores=rel_scores, licence=lic,
                 providers=prov, derivatives=der)
    notes = [DEPLOY_NOTE]
    if len(rel_scores):
        notes.append("Scores of related unreleased variants are listed apart: they describe a different "
                     "checkpoint, not the weights of this model.")
    return ModelReport(model_id, m, ident, size, ev, cl, rel, rel_scores, dep, ctx_hw, lic, facts, prov, ctx,
                       peers, _sources(parts), notes, derivatives=der)
