"""Helpers shared by the third-party eval sources (LiveBench, Epoch, Open LLM LB, EvalPlus, vendor claims).

Not a source itself (no ``SOURCE``): row construction and number parsing. Capture dates come
from the mirror's ``INDEX.csv`` (``etl.sources.base.as_of_from_capture``), never from product code.
"""
from __future__ import annotations

import re
from datetime import date

from etl.parsing import integer
from etl.schema import TABLES
_NUM = re.compile(r"^\s*(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*(%?)\s*$")


def number(text) -> tuple[float | None, bool]:
    """``"27.7%"`` -> (27.7, True); ``"0.518"`` -> (0.518, False); blank/other -> (None, False)."""
    if text is None or isinstance(text, bool):
        return None, False
    if isinstance(text, (int, float)):
        return float(text), False
    m = _NUM.match(str(text).replace(",", ""))
    if not m:
        return None, False
    return float(m.group(1)), bool(m.group(2))


def score_row(model_id: str, benchmark: str, value: float, unit: str, raw_name: str, source_url: str,
              as_of: date | None, setting: str = "", ci_low: float | None = None, ci_high: float | None = None,
              votes: int | None = None, vendor_claimed: bool = False, reported_by: str | None = None) -> dict:
    """``reported_by``: who measured (``REPORTED_BY``); a non-claim defaults to ``independent``, a
    claim whose publisher could not be identified stays unknown (None)."""
    if reported_by is None and not vendor_claimed:
        reported_by = "independent"
    if reported_by is not None and reported_by not in REPORTED_BY:
        raise ValueError(f"reported_by {reported_by!r} not in {REPORTED_BY}")
    return {"model_id": model_id, "benchmark": benchmark, "setting": setting or "", "value": float(value),
            "unit": unit, "ci_low": ci_low, "ci_high": ci_high, "votes": votes,
            "vendor_claimed": vendor_claimed, "raw_name": raw_name, "as_of": as_of, "source_url": source_url,
            "reported_by": reported_by}


# who measured a score: the model's own developer, another model vendor (a competitor's number inside
# its report: "Qwen says Maverick scores X"), or an independent evaluator (leaderboards, benchmark authors)
REPORTED_BY = ("developer", "other vendor", "independent")
# publisher of a report or claim, from its title or the claimant's name (first match wins)
PUBLISHERS: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(p, re.I), v) for p, v in (
    (r"\bqwen|\bqwq|alibaba", "Alibaba Qwen"), (r"deepseek", "DeepSeek"),
    (r"\bllama|\bmeta\b", "Meta"),
    (r"\bgemma|\bgemini|\bpalm\b|\bglam\b|switch transformers|text-to-text|gopher|compute-optimal|google|deepmind", "Google"),
    (r"\bphi-\d|textbooks are all you need|microsoft|megatron-turing", "Microsoft"),
    (r"\bgpt-\d|few-shot learners|openai", "OpenAI"), (r"claude|anthropic", "Anthropic"),
    (r"^yi\b|01\.ai", "01.AI"), (r"falcon", "TII"), (r"nemotron|nvidia", "NVIDIA"),
    (r"mixtral|mistral", "Mistral"), (r"xgen|salesforce", "Salesforce"), (r"baichuan", "Baichuan"),
    (r"internlm", "Shanghai AI Lab"), (r"inflection", "Inflection"), (r"visionllm", "OpenGVLab"),
))


def publisher_of(text: str) -> str | None:
    for pattern, vendor in PUBLISHERS:
        if pattern.search(str(text or "")):
            return vendor
    return None


def reported_by_vendor(model_vendor: str, publisher_text: str) -> str | None:
    """``developer`` when the publisher of a vendor report is the model's own vendor, ``other vendor``
    when it is another identified vendor, None (unknown) when the publisher cannot be identified."""
    pub = publisher_of(publisher_text)
    if pub is None:
        return None
    return "developer" if pub == (publisher_of(model_vendor) or model_vendor) else "other vendor"


def slug(text: str) -> str:
    """``"Data Analysis"`` -> ``"data_analysis"``: benchmark-name fragments."""
    return re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_")


def join_setting(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def architecture_row(**columns) -> dict:
    """The architecture columns of one config (``architectures`` minus its provenance columns),
    every one present: a column the config does not give is unknown (None), never defaulted.
    A keyword that is not such a column is an error. Sources add model_id, source, config_repo,
    config_json, as_of and source_url."""
    unknown = set(columns) - set(ARCHITECTURE_COLUMNS)
    if unknown:
        raise ValueError(f"not architecture columns: {sorted(unknown)}")
    return {c: columns.get(c) for c in ARCHITECTURE_COLUMNS}


# columns that Hugging Face config.json and MaxText YAML both spell exactly as we do (MLA shape, vocab, context)
SAME_NAMED_COLUMNS = ("vocab_size", "max_position_embeddings", "kv_lora_rank", "q_lora_rank", "qk_rope_head_dim",
                      "qk_nope_head_dim", "v_head_dim")


def same_named(cfg: dict, columns: tuple[str, ...] = SAME_NAMED_COLUMNS) -> dict:
    """The architecture columns a config names as we do, as exact whole numbers (None otherwise)."""
    return {c: integer(cfg.get(c)) for c in columns}


ARCHITECTURE_COLUMNS = tuple(c for c, _, _ in TABLES["architectures"]
                             if c not in ("model_id", "source", "config_repo", "config_json", "as_of", "source_url"))
