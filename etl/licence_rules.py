"""Licence use cases: pure rules from curated licence facts (``data/licences.yaml``) to answers.

Each answer is ``yes`` / ``no`` / ``conditional`` / ``unknown`` with a short clause summary and
the URL of the text it rests on. This is a reading aid, never legal advice. Rules:

- A model's terms are its own licence plus, for derivatives (``base_model``), the base
  checkpoint's licence (recursively). The answer is the most restrictive over all terms
  (no > unknown > conditional > yes); a base whose licence we do not know makes it unknown.
- ``yes`` = allowed with at most notice/licence-copy duties; ``conditional`` = allowed subject to
  further terms (user cap, branding, naming, use-policy pass-down, non-commercial only).
- ``mau`` depends on the user's N: rows carry the threshold, ``answer`` (above it) and
  ``answer_within`` (at or below it); ``mau_sql`` evaluates that with a bound parameter.

No streamlit, no database: the ETL (``etl/sources/licences.py``) turns these into tables; the app
reads the tables (``landscape/licences.py`` re-exports the names it shares, e.g. ``USE_CASES``, ``mau_sql``).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import yaml

ROOT = Path(__file__).resolve().parent.parent
LICENCES_PATH = ROOT / "data" / "licences.yaml"

ANSWERS = ("yes", "conditional", "unknown", "no")
SEVERITY = {a: i for i, a in enumerate(ANSWERS)}
USE_CASES = {
    "commercial": "Commercial product",
    "eu_image": "Company based in the EU using image input",
    "mau": "More than N monthly active users",
    "train_outputs": "Train another model on its outputs",
    "own_name": "Ship a fine-tune under my own name",
}
DEFAULT_MAU = 1_000_000
NOT_ADVICE = ("Summaries of licence terms to help you find the right clause; not legal advice. "
              "Read the linked text and ask a lawyer before you rely on it.")


class LicenceDataError(ValueError):
    pass


def _tri(v) -> str:
    """YAML 1.1 reads yes/no as booleans: fold them back to words."""
    if v is True:
        return "yes"
    if v is False:
        return "no"
    return str(v) if v is not None else "unknown"


@dataclass(frozen=True)
class Licence:
    licence_id: str
    name: str
    source_url: str
    primary_text_read: str
    read_note: str
    osi_approved: bool
    weights_available: bool
    commercial: str
    commercial_clause: str
    mau_threshold: int | None
    mau_known: bool
    mau_clause: str
    attribution: str
    branding_required: bool
    naming_prefix: str | None
    naming_clause: str
    eu_applies: str  # yes | no | unknown
    eu_multimodal_only: bool
    eu_clause: str
    eu_url: str
    use_policy_passdown: str  # yes | no | unknown
    use_policy_url: str | None
    use_policy_clause: str
    outputs_rule: str  # allowed | conditional | prohibited | unknown
    outputs_clause: str
    vendor: str | None = None  # closed-weights terms: whose API terms these are


# a model whose licence_id is this generic id gets its own vendor's closed-weights terms
GENERIC_CLOSED = "proprietary"


def resolve_licence_id(licence_id: str | None, vendor: str | None, licences: dict) -> str | None:
    """``proprietary`` means "the vendor's own API terms": it resolves to the closed-weights licence
    whose ``vendor`` is the model's (Gemini -> Google's, Qwen2.5-Max -> Alibaba Cloud's), never to
    another vendor's; with no such entry it is unknown (None). Other ids are returned as they are."""
    if licence_id != GENERIC_CLOSED:
        return licence_id
    return next((lid for lid, lic in licences.items()
                 if lic.vendor and lic.vendor == vendor and not lic.weights_available), None)


@dataclass(frozen=True)
class BaseCheckpoint:
    repo: str
    licence_id: str
    source_url: str
    note: str


@dataclass(frozen=True)
class Answer:
    use_case: str
    answer: str
    clause: str
    source_url: str
    terms: str  # licence ids applied, e.g. "mit + llama3.3 (base meta-llama/Llama-3.3-70B-Instruct)"
    threshold: int | None = None  # mau only
    answer_within: str | None = None  # mau only: the answer for N <= threshold


def load_licences(path: Path | str = LICENCES_PATH) -> tuple[dict[str, Licence], dict[str, BaseCheckpoint]]:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or not isinstance(raw.get("licences"), list):
        raise LicenceDataError(f"{path}: expected a mapping with a 'licences' list")
    out: dict[str, Licence] = {}
    for i, e in enumerate(raw["licences"]):
        try:
            lid = e["licence_id"]
            mau = e.get("mau_threshold")
            eu, up, com, outs = e["eu_restriction"], e["use_policy"], e["commercial"], e["outputs_training"]
            lic = Licence(
                licence_id=lid, name=e["name"], source_url=e["source_url"],
                primary_text_read=_tri(e["primary_text_read"]), read_note=e.get("read_note") or "",
                osi_approved=bool(e["osi_approved"]), weights_available=bool(e["weights_available"]),
                commercial=_tri(com["allowed"]), commercial_clause=com["clause"],
                mau_threshold=mau if isinstance(mau, int) and not isinstance(mau, bool) else None,
                mau_known=mau != "unknown", mau_clause=e.get("mau_clause") or "",
                attribution=e.get("attribution") or "", branding_required=bool(e.get("branding_required")),
                naming_prefix=(e.get("derivative_naming") or {}).get("prefix"),
                naming_clause=(e.get("derivative_naming") or {}).get("clause") or "",
                eu_applies=_tri(eu["applies"]), eu_multimodal_only=bool(eu.get("multimodal_only")),
                eu_clause=eu["clause"], eu_url=eu.get("source_url") or e["source_url"],
                use_policy_passdown=_tri(up["passdown"]), use_policy_url=up.get("url"),
                use_policy_clause=up.get("clause") or "",
                outputs_rule=str(outs["rule"]), outputs_clause=outs["clause"],
                vendor=e.get("vendor"),
            )
        except (KeyError, TypeError) as exc:
            raise LicenceDataError(f"{path}: licence entry {i}: missing or malformed {exc}") from exc
        if lic.commercial not in ("yes", "no", "unknown") or lic.outputs_rule not in (
                "allowed", "conditional", "prohibited", "unknown") or lic.eu_applies not in ("yes", "no", "unknown"):
            raise LicenceDataError(f"{path}: licence {lid}: value outside the allowed vocabulary")
        if lid in out:
            raise LicenceDataError(f"{path}: duplicate licence {lid}")
        out[lid] = lic
    bases = {}
    for e in raw.get("base_checkpoints") or []:
        b = BaseCheckpoint(e["repo"], e["licence_id"], e["source_url"], e.get("note") or "")
        if b.licence_id not in out:
            raise LicenceDataError(f"{path}: base {b.repo} names unknown licence {b.licence_id}")
        bases[b.repo] = b
    return out, bases


# --------------------------------------------------------------------------- single-licence rules

def _secondary(lic: Licence) -> str:
    return "" if lic.primary_text_read == "yes" else f" [primary text {'partly read' if lic.primary_text_read == 'partial' else 'not read'}]"


def commercial(lic: Licence) -> tuple[str, str, str]:
    if lic.commercial != "yes":
        return lic.commercial, lic.commercial_clause, lic.source_url
    conditions = []
    if not lic.weights_available:
        conditions.append("API access only")
    if lic.mau_threshold:
        conditions.append(f"user cap {lic.mau_threshold:,} MAU")
    if lic.branding_required:
        conditions.append("branding/attribution display")
    if lic.use_policy_passdown == "yes":
        conditions.append("use policy applies")
    if lic.use_policy_passdown == "unknown" or not lic.mau_known:
        return "conditional", lic.commercial_clause + "; other conditions unknown", lic.source_url
    if conditions:
        return "conditional", f"{lic.commercial_clause} (conditions: {', '.join(conditions)})", lic.source_url
    return "yes", lic.commercial_clause, lic.source_url


def eu_image(lic: Licence, modalities: Iterable[str]) -> tuple[str, str, str]:
    if "image" not in set(modalities):
        return "no", "Text-only model: it takes no image input (registry modalities)", lic.source_url
    if lic.eu_applies == "yes":
        return "no", lic.eu_clause, lic.eu_url
    if lic.eu_applies == "unknown":
        return "unknown", lic.eu_clause, lic.eu_url
    ans, clause, url = commercial(lic)
    return ans, f"{lic.eu_clause}; commercial terms: {clause}", url


def mau(lic: Licence, n: int | None) -> tuple[str, str, str]:
    """Answer for a product with ``n`` monthly active users (``None`` = above any threshold)."""
    if lic.commercial == "no":
        return "no", lic.commercial_clause, lic.source_url
    if lic.commercial == "unknown" or not lic.mau_known:
        return "unknown", lic.mau_clause or "user-count terms unknown", lic.source_url
    if lic.mau_threshold is None:
        return "yes", lic.mau_clause or "No user-count threshold", lic.source_url
    if n is not None and n <= lic.mau_threshold:
        return "yes", f"At or below {lic.mau_threshold:,} MAU: no extra licence needed ({lic.mau_clause})", lic.source_url
    return "no", lic.mau_clause, lic.source_url


def train_outputs(lic: Licence) -> tuple[str, str, str]:
    mapping = {"allowed": "yes", "conditional": "conditional", "prohibited": "no", "unknown": "unknown"}
    return mapping[lic.outputs_rule], lic.outputs_clause, lic.source_url


def own_name(lic: Licence) -> tuple[str, str, str]:
    if not lic.weights_available:
        return "no", "No weights: nothing to fine-tune and ship", lic.source_url
    if lic.naming_prefix:
        return "conditional", f"Name must begin with \"{lic.naming_prefix}\": {lic.naming_clause}", lic.source_url
    if lic.commercial == "no":
        return "conditional", f"Derivatives stay under non-commercial terms: {lic.commercial_clause}", lic.source_url
    if lic.use_policy_passdown == "yes":
        return "conditional", f"Own name allowed; {lic.use_policy_clause}", lic.use_policy_url or lic.source_url
    if lic.use_policy_passdown == "unknown":
        return "unknown", f"{lic.naming_clause}; pass-down terms unknown", lic.source_url
    return "yes", f"{lic.naming_clause}; keep the licence notices ({lic.attribution})", lic.source_url


def single(lic: Licence, use_case: str, modalities: Iterable[str] = ("text",), n: int | None = None):
    if use_case == "commercial":
        return commercial(lic)
    if use_case == "eu_image":
        return eu_image(lic, modalities)
    if use_case == "mau":
        return mau(lic, n)
    if use_case == "train_outputs":
        return train_outputs(lic)
    if use_case == "own_name":
        return own_name(lic)
    raise KeyError(f"unknown use case {use_case!r}")


# --------------------------------------------------------------------------- per model

@dataclass(frozen=True)
class Terms:
    """The licences that govern one checkpoint: its own plus its bases'."""
    parts: tuple[tuple[str, Licence | None, str], ...]  # (label, licence or None if unknown, url)

    @property
    def label(self) -> str:
        return " + ".join(p[0] for p in self.parts) or "unknown"


def terms_for(model, models_by_id: dict, licences: dict[str, Licence],
              bases: dict[str, BaseCheckpoint]) -> Terms:
    parts = []
    seen = set()
    cur, first = model, True
    while cur is not None:
        lid = resolve_licence_id(getattr(cur, "licence_id", None), getattr(cur, "vendor", None), licences)
        label = lid or "unknown"
        if not first:
            label = f"{label} (base {cur.model_id})"
        parts.append((label, licences.get(lid) if lid else None, getattr(cur, "source_url", "")))
        seen.add(cur.model_id)
        base = getattr(cur, "base_model", None)
        first = False
        if not base or base in seen:
            break
        if base in models_by_id:
            cur = models_by_id[base]
            continue
        b = bases.get(base)
        if b is None:
            parts.append((f"unknown (base {base})", None, ""))
        else:
            parts.append((f"{b.licence_id} (base {base})", licences[b.licence_id], b.source_url))
        break
    return Terms(tuple(parts))


def answer(terms: Terms, use_case: str, modalities: Iterable[str] = ("text",), n: int | None = None) -> Answer:
    """The most restrictive answer over every licence in ``terms`` (pure)."""
    modalities = tuple(modalities)
    if use_case == "eu_image" and "image" not in modalities:
        url = next((p[1].source_url for p in terms.parts if p[1] is not None), "") or ""
        return Answer(use_case, "no", "Text-only model: it takes no image input (registry modalities)", url, terms.label)
    worst, clauses, url = None, [], ""
    for label, lic, part_url in terms.parts:
        if lic is None:
            ans, clause, src = "unknown", f"{label}: licence not recorded", part_url
        else:
            ans, clause, src = single(lic, use_case, modalities, n)
            clause = f"{label}: {clause}{_secondary(lic)}"
        clauses.append(clause)
        if worst is None or SEVERITY[ans] > SEVERITY[worst]:
            worst, url = ans, src
    return Answer(use_case, worst or "unknown", " | ".join(clauses), url or "", terms.label)


def mau_row(terms: Terms, modalities: Iterable[str] = ("text",)) -> Answer:
    """The ``mau`` answer as a step function of N: lowest threshold, answer above and within it."""
    thresholds = [lic.mau_threshold for _, lic, _ in terms.parts if lic is not None and lic.mau_threshold]
    threshold = min(thresholds) if thresholds else None
    above = answer(terms, "mau", modalities, None)
    if threshold is None:
        return Answer("mau", above.answer, above.clause, above.source_url, above.terms, None, None)
    within = answer(terms, "mau", modalities, threshold)
    return Answer("mau", above.answer, above.clause, above.source_url, above.terms, threshold, within.answer)


def answer_for_n(row: Answer, n: int) -> str:
    """What ``mau_sql`` computes, in Python (kept identical by a test)."""
    if row.threshold is not None and n <= row.threshold:
        return row.answer_within or row.answer
    return row.answer


def mau_sql(alias: str = "la") -> str:
    """SQL for the N-dependent answer; takes one bound parameter (N)."""
    return (f"CASE WHEN {alias}.threshold IS NOT NULL AND ? <= {alias}.threshold "
            f"THEN coalesce({alias}.answer_within, {alias}.answer) ELSE {alias}.answer END")


def model_answers(models: list, licences: dict[str, Licence] | None = None,
                  bases: dict[str, BaseCheckpoint] | None = None) -> list[tuple[object, Answer]]:
    """Every (model, use case) answer for a registry."""
    if licences is None or bases is None:
        licences, bases = load_licences()
    by_id = {m.model_id: m for m in models}
    out = []
    for m in models:
        t = terms_for(m, by_id, licences, bases)
        mods = tuple(m.modalities)
        for uc in USE_CASES:
            out.append((m, mau_row(t, mods) if uc == "mau" else answer(t, uc, mods)))
    return out
