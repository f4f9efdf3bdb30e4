"""Discovery: the registry grows from authoritative catalogues, by rule, never by guess.

Catalogues read (fetch -> pure parse -> pure rules):

- the Hugging Face Hub listing of each tracked official organisation,
  ``/api/models?author=<org>&sort=createdAt&direction=-1`` with ``expand[]`` of safetensors, config,
  cardData, downloads, likes, createdAt, pipeline_tag (live, or through the HTTP seam; a directory
  mirror has no capture, so these URLs report "not available offline");
- the llmfit HF catalogue (``hf_models.json``, SOURCES.md section 7). Its documented errors are
  handled: its context and expert fields are never read; ``parameters_raw`` (safetensors total) is
  not used for quantised repos, where packed integer/FP8 tensors understate it; ``release_date``
  is the repo's createdAt, so it is only a lower bound of "seen".

Rules:

- an **official** repo (author in ``TRACKED_ORGS``) that is a language model (``pipeline_tag`` or
  config architectures), not a quantised copy, not already registered, and whose name places it in a
  family (``FAMILY_RULES``) becomes a **discovered** model: facts from the catalogue with its URL and
  date, the repo id as its id (so its spellings match by the matcher's own normalisation); its
  ``config.json`` is fetched by ``hf_config`` like any registry model, so the fit works at once.
  Curated ``data/models.yaml`` entries override discovered facts field by field.
- a **quantised or re-packaged** copy (GGUF, AWQ, GPTQ, MLX, FP8, NVFP4, bnb; official or by a
  quantiser) whose ``base_model`` card field -- or, failing that, its name without the format suffix
  -- names a registered model is a **derivative** of it (table ``derivatives``), never a model.
- third-party repos are never registered; what cannot be placed is a **proposal** printed by
  ``python -m etl discover`` with its evidence.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from etl.fetch import Fetched, FetchError, Fetcher
from etl.matcher import Matcher, normalise
from etl.registry import Model
from etl.sources.base import ParseError, as_of_from_capture, load_json

EXPAND = ("safetensors", "config", "cardData", "downloads", "likes", "createdAt", "pipeline_tag")
LISTING = ("https://huggingface.co/api/models?author={org}&sort=createdAt&direction=-1&limit=100&"
           + "&".join(f"expand[]={e}" for e in EXPAND))
CATALOGUE = "https://raw.githubusercontent.com/AlexsJones/llmfit/main/llmfit-core/data/hf_models.json"

TRACKED_ORGS = {  # Hub author -> vendor
    "meta-llama": "Meta", "Qwen": "Alibaba Qwen", "deepseek-ai": "DeepSeek", "google": "Google",
    "openai": "OpenAI", "moonshotai": "Moonshot AI", "zai-org": "Z.ai", "MiniMaxAI": "MiniMax",
    "mistralai": "Mistral AI",
}
LM_TAGS = {"text-generation", "image-text-to-text", "any-to-any", "image-text-to-text-generation"}
LM_ARCH = re.compile(r"(ForCausalLM|ForConditionalGeneration)$")
NOT_LM_NAME = re.compile(r"guard|embedding|reranker|ocr|tts|-vae|safeguard", re.I)
QUANT = re.compile(r"[-_.](gguf|awq|gptq(?:-int[48])?|mlx(?:-\d+bit)?|fp8(?:-dynamic)?|nvfp4|mxfp4|"
                   r"bnb(?:-4bit)?|int[48]|\d+bit|exl2)(?=$|[-_.])", re.I)
FORMAT_NAMES = {"gguf": "GGUF", "awq": "AWQ", "gptq": "GPTQ", "mlx": "MLX", "fp8": "FP8", "nvfp4": "NVFP4",
                "mxfp4": "MXFP4", "bnb": "bitsandbytes", "int4": "INT4", "int8": "INT8", "exl2": "EXL2"}
# family by rule from the repo name (first match wins); a name no rule places is only proposed
FAMILY_RULES = [
    (re.compile(r"^(?:meta-)?llama-(\d+)(?:\.\d+)?-", re.I), lambda m: "Llama 4" if m.group(1) == "4" else
     (f"Llama {m.group(1)}" if int(m.group(1)) > 4 else "Llama 3.x" if m.group(1) == "3" else None)),
    (re.compile(r"^qwen(\d+(?:\.\d+)?)-", re.I), lambda m: f"Qwen{m.group(1)}" if float(m.group(1)) >= 2 else None),
    (re.compile(r"^qwq-", re.I), lambda m: "QwQ"),
    (re.compile(r"^deepseek-v(\d+)", re.I), lambda m: f"DeepSeek V{m.group(1)}" if int(m.group(1)) >= 3 else None),
    (re.compile(r"^deepseek-r(\d+)", re.I), lambda m: f"DeepSeek R{m.group(1)}"),
    (re.compile(r"^gemma-(\d+)(n?)-", re.I), lambda m: f"Gemma {m.group(1)}{m.group(2)}" if int(m.group(1)) >= 2 else None),
    (re.compile(r"^gpt-oss-", re.I), lambda m: "gpt-oss"),
    (re.compile(r"^kimi-k(\d)", re.I), lambda m: f"Kimi K{m.group(1)}"),
    (re.compile(r"^glm-(\d+)", re.I), lambda m: "GLM" if int(m.group(1)) >= 4 else None),
    (re.compile(r"^minimax-m", re.I), lambda m: "MiniMax"),
    (re.compile(r"^(mistral|mixtral|magistral|devstral|ministral)-", re.I), lambda m: "Mistral"),
]
BASE_NAME = re.compile(r"-(base|pt)$|-\d+b$", re.I)


@dataclass(frozen=True)
class CatalogueEntry:
    repo: str
    created: date | None
    params_total: int | None
    downloads: int | None
    likes: int | None
    pipeline_tag: str | None
    architectures: tuple[str, ...]
    base_model: tuple[str, ...]
    catalogue: str  # the URL the entry came from
    as_of: date
    licence: str | None = None  # the card's ``license`` tag, as written


@dataclass
class Discovery:
    models: list[Model]                                   # curated + discovered, curated first
    discovered: list[Model] = field(default_factory=list)
    derivatives: list[dict] = field(default_factory=list)
    proposals: list[dict] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    read: list[str] = field(default_factory=list)
    entries: list[CatalogueEntry] = field(default_factory=list)  # everything the catalogues listed (evidence)


def _int(v) -> int | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return v if isinstance(v, int) and v >= 0 else None


def _day(v) -> date | None:
    if not isinstance(v, str) or len(v) < 10:
        return None
    try:
        return date.fromisoformat(v[:10])
    except ValueError:
        return None


def _bases(card) -> tuple[str, ...]:
    b = card.get("base_model") if isinstance(card, dict) else None
    if isinstance(b, str):
        return (b,)
    if isinstance(b, list):
        return tuple(str(x) for x in b if isinstance(x, str))
    return ()


def _licence(card) -> str | None:
    lic = card.get("license") if isinstance(card, dict) else None
    return lic if isinstance(lic, str) and lic else None


def known_licences() -> set[str]:
    """Licence ids of our curated licence table (data/licences.yaml)."""
    import yaml
    from etl.registry import ROOT
    with open(ROOT / "data" / "licences.yaml", encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or []
    rows = data.get("licences", data) if isinstance(data, dict) else data
    return {str(r["licence_id"]) for r in rows if isinstance(r, dict) and r.get("licence_id")}


def parse_listing(text: str, url: str, as_of: date) -> list[CatalogueEntry]:
    """A Hub ``/api/models`` listing (JSON list of model objects) -> entries (pure)."""
    data = load_json(text, list, "a JSON list of models")
    author = re.search(r"[?&]author=([^&]+)", url)
    out = []
    for m in data:
        if not isinstance(m, dict) or not isinstance(m.get("id") or m.get("modelId"), str):
            continue
        if author and str(m.get("id") or m.get("modelId")).split("/")[0] != author.group(1):
            continue  # a listing speaks only for its own author
        st = m.get("safetensors") if isinstance(m.get("safetensors"), dict) else {}
        cfg = m.get("config") if isinstance(m.get("config"), dict) else {}
        arch = cfg.get("architectures") if isinstance(cfg.get("architectures"), list) else []
        out.append(CatalogueEntry(
            repo=str(m.get("id") or m.get("modelId")), created=_day(m.get("createdAt")),
            params_total=_int(st.get("total")), downloads=_int(m.get("downloads")), likes=_int(m.get("likes")),
            pipeline_tag=m.get("pipeline_tag") if isinstance(m.get("pipeline_tag"), str) else None,
            architectures=tuple(str(a) for a in arch), base_model=_bases(m.get("cardData")),
            catalogue=url, as_of=as_of, licence=_licence(m.get("cardData"))))
    return out


def parse_llmfit(text: str, url: str, as_of: date) -> list[CatalogueEntry]:
    """llmfit's ``hf_models.json`` (SOURCES.md section 7) -> entries (pure). Its context/expert fields
    are known to be wrong and are not read; ``release_date`` is the repo's createdAt."""
    data = load_json(text, list, "a JSON list of catalogue entries")
    if data and not any(isinstance(x, dict) and "parameters_raw" in x for x in data):
        raise ParseError("no entry has 'parameters_raw' (format changed?)")
    out, seen = [], set()
    for x in data:
        if not isinstance(x, dict) or not isinstance(x.get("name"), str) or "/" not in x["name"] or x["name"] in seen:
            continue
        seen.add(x["name"])
        tag = x.get("pipeline_tag") if x.get("pipeline_tag") not in (None, "unknown") else None
        arch = x.get("architecture")
        out.append(CatalogueEntry(
            repo=x["name"], created=_day(x.get("release_date")), params_total=_int(x.get("parameters_raw")),
            downloads=_int(x.get("hf_downloads")), likes=_int(x.get("hf_likes")), pipeline_tag=tag,
            architectures=(str(arch),) if isinstance(arch, str) and arch != "unknown" else (),
            base_model=(), catalogue=url, as_of=as_of))
    return out


def quant_format(repo: str) -> str | None:
    """GGUF/AWQ/GPTQ/MLX/FP8/... when the repo name marks a quantised or re-packaged copy."""
    m = QUANT.search(repo.split("/")[-1])
    if not m:
        return None
    if repo.lower().startswith("mlx-community/"):
        return "MLX"
    key = re.sub(r"[^a-z0-9]", "", m.group(1).lower())
    bits = re.fullmatch(r"(\d+)bit", key)
    if bits:
        return f"{bits.group(1)}-bit"
    for k, v in FORMAT_NAMES.items():
        if key.startswith(k):
            return v
    return m.group(1).upper()


def family_for(repo: str) -> str | None:
    name = repo.split("/")[-1]
    for pattern, fam in FAMILY_RULES:
        m = pattern.match(name)
        if m:
            return fam(m)
    return None


def is_language_model(e: CatalogueEntry) -> bool:
    if NOT_LM_NAME.search(e.repo):
        return False
    if e.pipeline_tag:
        return e.pipeline_tag in LM_TAGS
    return any(LM_ARCH.search(a) for a in e.architectures)


def base_of(e: CatalogueEntry, matcher: Matcher) -> str | None:
    """The registered model a quantised copy derives from: card ``base_model``, else its name without
    the format suffix (``Qwen3-8B-AWQ`` -> ``Qwen3-8B``). Never a prefix or similarity match."""
    for b in e.base_model:
        found = matcher.lookup(b)
        if found:
            return found
    name = e.repo.split("/")[-1]
    stripped = QUANT.sub("", name)
    stripped = re.sub(r"[-_.](q\d(_k)?(_[a-z0-9]+)?|i?q\d_[a-z0-9_]+)$", "", stripped, flags=re.I)
    for cand in (stripped, stripped.rstrip("-_.")):
        found = matcher.lookup(cand)
        if found:
            return found
    return None


def to_model(e: CatalogueEntry, family: str) -> Model:
    org, name = e.repo.split("/", 1)
    total = round(e.params_total / 1e9, 2) if e.params_total and e.params_total > 1e6 else None
    moe = re.search(r"-A(\d+(?:\.\d+)?)B", name)
    active = float(moe.group(1)) if moe else None
    sources = {"catalogue": e.catalogue}
    if total is not None:
        sources["total_params_b"] = e.catalogue
    if e.created:
        sources["release_date"] = e.catalogue
    licence = e.licence if e.licence and e.licence in known_licences() else None  # "other" etc. stay unknown
    if licence:
        sources["licence_id"] = e.catalogue
    return Model(
        model_id=e.repo, name=name, family=family, vendor=TRACKED_ORGS[org], open_weights=True, released=True,
        source_url=e.catalogue, release_date=e.created, total_params_b=total, licence_id=licence,
        active_params_b=active if active is not None else (total if not moe else None),
        modalities=("text", "image") if e.pipeline_tag in ("image-text-to-text", "any-to-any") else ("text",),
        note=(f"discovered in {e.catalogue} (as of {e.as_of.isoformat()}); facts are the catalogue's, not curated"
              + ("; release date = repo createdAt" if e.created else "")),
        sources=sources, discovered=True)  # first_seen: the refresh that first saw it (loader)


def override(curated: Model, found: Model) -> Model:
    """Curated facts win field by field; a curated gap is filled from the catalogue (and says so)."""
    fill = {}
    for f in ("release_date", "total_params_b", "active_params_b"):
        if getattr(curated, f) is None and getattr(found, f) is not None:
            fill[f] = getattr(found, f)
    if not fill:
        return curated
    return replace(curated, **fill, sources={**{f: found.source_url for f in fill}, **curated.sources})


def catalogue_urls() -> list[str]:
    return [LISTING.format(org=org) for org in TRACKED_ORGS] + [CATALOGUE]


def _fetch(fetcher: Fetcher, url: str) -> tuple[Fetched | None, str | None]:
    if "/api/models?" in url and fetcher.reads_directory:
        return None, "not available offline (Hub listing is live-only)"
    try:
        return fetcher.get(url), None
    except FetchError as e:
        return None, str(e)


def entries(fetcher: Fetcher, urls: list[str] | None = None) -> tuple[list[CatalogueEntry], dict[str, str], list[str]]:
    out, failed, read = [], {}, []
    for url in urls or catalogue_urls():
        f, err = _fetch(fetcher, url)
        if err:
            failed[url] = err
            continue
        try:
            as_of = as_of_from_capture(f)
            parse = parse_llmfit if url == CATALOGUE else parse_listing
            out.extend(parse(f.text(), url, as_of))
            read.append(url)
        except (ParseError, UnicodeDecodeError, json.JSONDecodeError) as e:
            failed[url] = f"{type(e).__name__}: {e}"
    return out, failed, read


def discover(fetcher: Fetcher, models: list[Model], urls: list[str] | None = None) -> Discovery:
    """Read the catalogues and apply the rules. Never raises on a bad catalogue: it is reported in ``failed``."""
    found, failed, read = entries(fetcher, urls)
    matcher = Matcher(models)
    by_id = {m.model_id: m for m in models}
    # listings first (newer, richer), then the catalogue: one entry per repo
    best: dict[str, CatalogueEntry] = {}
    for e in found:
        best.setdefault(e.repo, e)
    new, derivatives, proposals, copies = [], [], [], []
    for e in sorted(best.values(), key=lambda e: e.repo):
        org = e.repo.split("/", 1)[0]
        if quant_format(e.repo):
            copies.append(e)
            continue
        if org not in TRACKED_ORGS or not is_language_model(e):
            continue
        known = by_id.get(e.repo) or matcher.lookup(e.repo)
        if known:
            if e.repo in by_id:
                by_id[e.repo] = override(by_id[e.repo], to_model(e, by_id[e.repo].family))
            continue
        fam = family_for(e.repo)
        if fam is None:
            proposals.append({"name": e.repo, "why": "official repo; no family rule places it", "evidence": _evidence(e)})
            continue
        m = to_model(e, fam)
        new.append(m)
        by_id[m.model_id] = m
    # quantised copies last, so a copy of a model discovered in this same pass finds its base
    matcher = Matcher(list(models) + new) if new else matcher
    for e in copies:
        base = base_of(e, matcher)
        if base:
            org = e.repo.split("/", 1)[0]
            derivatives.append({"model_id": base, "repo": e.repo, "org": org, "format": quant_format(e.repo),
                                "official": org in TRACKED_ORGS, "downloads": e.downloads,
                                "created": e.created, "as_of": e.as_of, "source_url": e.catalogue})
    curated = [by_id[m.model_id] for m in models]
    return Discovery(models=curated + new, discovered=new, derivatives=derivatives, proposals=proposals,
                     failed=failed, read=read, entries=list(best.values()))


def _evidence(e: CatalogueEntry) -> str:
    bits = [e.catalogue]
    if e.params_total:
        bits.append(f"{e.params_total / 1e9:.1f}B params")
    if e.created:
        bits.append(f"created {e.created.isoformat()}")
    if e.downloads is not None:
        bits.append(f"{e.downloads:,} downloads")
    return "; ".join(bits)


def cluster_unmatched(rows: list[tuple[str, str, int]]) -> dict[str, list[tuple[str, str, int]]]:
    """Group unmatched (source, name, rows) by the normalised name without settings, so one proposal
    covers every spelling of one model across sources."""
    groups: dict[str, list] = {}
    for source, name, n in rows:
        key = re.sub(r"[-_:](high|low|medium|minimal|thinking|free|fp8|bf16|\d+k)$", "", normalise(name), flags=re.I)
        groups.setdefault(key, []).append((source, name, n))
    return groups


def openrouter_index(fetcher: Fetcher) -> dict[str, dict]:
    """OpenRouter slug (normalised, ``:variant`` dropped) -> its ``hugging_face_id`` and ``created`` day,
    from the model lists the openrouter source reads (evidence for proposals only)."""
    from etl.sources.openrouter import API, DAILY_DUMP, parse_models
    out: dict[str, dict] = {}
    for url in (API, DAILY_DUMP):
        f, err = _fetch(fetcher, url)
        if err:
            continue
        try:
            models = parse_models(f.text())
        except (ParseError, UnicodeDecodeError):
            continue
        for m in models:
            slug = str(m.get("id") or "").split(":", 1)[0]
            created = m.get("created")
            day = datetime.utcfromtimestamp(created).date() if isinstance(created, (int, float)) else None
            if slug:
                out.setdefault(normalise(slug), {"slug": slug, "hugging_face_id": m.get("hugging_face_id") or None,
                                                 "created": day, "url": url})
    return out


def proposals_for_unmatched(rows, models: list[Model], discovery: Discovery,
                            openrouter: dict[str, dict] | None = None) -> list[dict]:
    """One proposal per cluster of unmatched names: its reason, and what the catalogues say about it
    (an HF catalogue repo of the same name; OpenRouter's ``hugging_face_id`` and ``created``)."""
    from etl.unmatched_reasons import classify, registry_keys
    matcher = Matcher(models)
    keys = registry_keys(models)
    repos = {normalise(e.repo): e for e in discovery.entries}
    openrouter = openrouter or {}
    out = []
    first = {"unknown": 0, "provider spelling": 1, "ambiguous": 2}
    for key, members in sorted(cluster_unmatched(rows).items(), key=lambda kv: -sum(r[2] for r in kv[1])):
        reason, detail = classify(members[0][1], matcher, keys)
        evidence = []
        e = repos.get(key)
        if e:
            evidence.append(f"HF catalogue: {e.repo} ({_evidence(e)})")
        for _, n, _ in members:
            o = openrouter.get(normalise(str(n).split(":", 1)[0]))
            if o:
                hf = o["hugging_face_id"]
                evidence.append(f"OpenRouter {o['slug']}: hugging_face_id {hf or 'none'}, created "
                                f"{o['created'] or '?'}" + (" (in the registry)" if hf and matcher.lookup(hf) else ""))
                break
        out.append({"cluster": key, "names": sorted({n for _, n, _ in members}),
                    "sources": sorted({s for s, _, _ in members}), "rows": sum(r[2] for r in members),
                    "reason": reason, "detail": detail, "catalogue": e.repo if e else None, "evidence": evidence})
    return sorted(out, key=lambda p: first.get(p["reason"], 3))  # stable: rows order within a reason
