"""The curated model registry (``data/models.yaml``): loading and validation."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
REGISTRY_PATH = ROOT / "data" / "models.yaml"
API_ALIASES_PATH = ROOT / "data" / "api_aliases.yaml"

REQUIRED = ("model_id", "name", "family", "vendor", "open_weights", "released", "source_url")
NUMERIC = ("total_params_b", "active_params_b", "experts_total", "experts_active", "context_claimed")
KNOWN_FIELDS = set(REQUIRED) | set(NUMERIC) | {
    "release_date", "licence_id", "base_model", "modalities", "note", "aliases", "sources",
    "config_repo", "reference", "moe",
}


class RegistryError(ValueError):
    pass


@dataclass(frozen=True)
class Model:
    model_id: str
    name: str
    family: str
    vendor: str
    open_weights: bool
    released: bool
    source_url: str
    release_date: date | None = None
    total_params_b: float | None = None
    active_params_b: float | None = None
    experts_total: int | None = None
    experts_active: int | None = None
    context_claimed: int | None = None
    licence_id: str | None = None
    base_model: str | None = None
    modalities: tuple[str, ...] = ("text",)
    note: str | None = None
    aliases: tuple[str, ...] = ()
    sources: dict = field(default_factory=dict)
    config_repo: str | None = None  # repo whose config.json describes this checkpoint's architecture
    reference: bool = False  # outside our families: kept as a reference point only
    discovered: bool = False  # registered by etl/discovery.py from a catalogue, not curated
    first_seen: date | None = None  # as-of date of the catalogue that first showed a discovered model
    moe: bool | None = None  # stated by a source (``sources.moe``) when expert counts are not recorded

    @property
    def is_base(self) -> bool:
        """A pre-trained (base) checkpoint: the registry says so in its note (every base entry's
        note starts "pre-trained (base) checkpoint") or its id ends in -Base / -pt."""
        tail = self.model_id.rsplit("/", 1)[-1].lower()
        return (self.note or "").lower().startswith("pre-trained") or tail.endswith(("-base", "-pt"))

    @property
    def is_moe(self) -> bool | None:
        """True with more than one expert; False when the structure is known to be dense (one expert,
        or open weights of a known size without experts); None (unknown) otherwise, e.g. closed
        models whose architecture is not disclosed."""
        if self.experts_total is not None:
            return self.experts_total > 1
        if self.moe is not None:  # the vendor says so (GLM-5: 744B total / 40B active, experts unpublished)
            return self.moe
        if self.open_weights and self.total_params_b is not None:
            return False
        return None


def load_registry(path: Path | str = REGISTRY_PATH) -> list[Model]:
    with open(path, encoding="utf-8") as fh:
        raw = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml when present
    if not isinstance(raw, list):
        raise RegistryError(f"{path}: expected a list of models")
    models, seen = [], set()
    for i, entry in enumerate(raw):
        where = f"{path}: entry {i} ({entry.get('model_id', '?') if isinstance(entry, dict) else '?'})"
        if not isinstance(entry, dict):
            raise RegistryError(f"{where}: not a mapping")
        unknown = set(entry) - KNOWN_FIELDS
        if unknown:
            raise RegistryError(f"{where}: unknown fields {sorted(unknown)}")
        missing = [f for f in REQUIRED if entry.get(f) in (None, "")]
        if missing:
            raise RegistryError(f"{where}: missing {missing}")
        if entry["model_id"] in seen:
            raise RegistryError(f"{where}: duplicate model_id")
        seen.add(entry["model_id"])
        for f in NUMERIC:
            v = entry.get(f)
            if v is not None and (not isinstance(v, (int, float)) or v <= 0):
                raise RegistryError(f"{where}: {f} must be a positive number, got {v!r}")
        if entry.get("moe") is not None and not isinstance(entry["moe"], bool):
            raise RegistryError(f"{where}: moe must be true or false, got {entry['moe']!r}")
        if entry.get("moe") is not None and "moe" not in (entry.get("sources") or {}):
            raise RegistryError(f"{where}: moe needs its source (sources: {{moe: <url>}})")
        rd = entry.get("release_date")
        if isinstance(rd, str):
            rd = date.fromisoformat(rd)
        models.append(Model(
            model_id=entry["model_id"], name=entry["name"], family=entry["family"],
            vendor=entry["vendor"], open_weights=bool(entry["open_weights"]),
            released=bool(entry["released"]), source_url=entry["source_url"], release_date=rd,
            total_params_b=entry.get("total_params_b"), active_params_b=entry.get("active_params_b"),
            experts_total=entry.get("experts_total"), experts_active=entry.get("experts_active"),
            context_claimed=entry.get("context_claimed"), licence_id=entry.get("licence_id"),
            base_model=entry.get("base_model"), modalities=tuple(entry.get("modalities") or ("text",)),
            note=entry.get("note"), aliases=tuple(entry.get("aliases") or ()),
            sources=dict(entry.get("sources") or {}), config_repo=entry.get("config_repo"),
            reference=bool(entry.get("reference", False)), moe=entry.get("moe"),
        ))
    return models


@dataclass(frozen=True)
class AliasWindow:
    """A re-pointed API name (``deepseek-chat``) naming ``model_id`` from ``start`` (inclusive) to
    ``end`` (exclusive; None = still current)."""
    alias: str
    model_id: str
    start: date
    end: date | None
    setting: str
    source_url: str
    providers: tuple[str, ...] = ()  # provider routes under which the name has this meaning (none = bare name only)


def load_api_aliases(path: Path | str = API_ALIASES_PATH) -> list[AliasWindow]:
    """``data/api_aliases.yaml``: validity windows of vendor API names; overlapping or unordered
    windows are a registry error."""
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh) or []
    if not isinstance(raw, list):
        raise RegistryError(f"{path}: expected a list of aliases")
    out: list[AliasWindow] = []
    for entry in raw:
        alias, url = (entry or {}).get("alias"), (entry or {}).get("source_url")
        if not alias or not url or not isinstance(entry.get("windows"), list):
            raise RegistryError(f"{path}: {entry!r}: needs alias, source_url and windows")
        prev_end = None
        for i, w in enumerate(entry["windows"]):
            try:
                start = date.fromisoformat(str(w["from"]))
                end = date.fromisoformat(str(w["to"])) if w.get("to") else None
            except (KeyError, ValueError, TypeError) as exc:
                raise RegistryError(f"{path}: {alias} window {i}: bad dates ({exc})") from exc
            if (end and end <= start) or (prev_end and start < prev_end) or (i and prev_end is None):
                raise RegistryError(f"{path}: {alias} window {i}: windows must be ordered and not overlap")
            prev_end = end
            out.append(AliasWindow(str(alias), str(w["model_id"]), start, end, str(w.get("setting") or ""), str(url),
                                   tuple(str(p).lower() for p in entry.get("providers") or ())))
    return out
