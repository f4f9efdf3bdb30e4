"""Helpers shared by the third-party eval sources (LiveBench, Epoch, Open LLM LB, EvalPlus, vendor claims).

Not a source itself (no ``SOURCE``): row construction and number parsing. Capture dates come
from the mirror's ``INDEX.csv`` (``etl.sources.base.as_of_from_capture``), never from product code.
"""
from __future__ import annotations

import re
from datetime import date

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
              votes: int | None = None, vendor_claimed: bool = False) -> dict:
    return {"model_id": model_id, "benchmark": benchmark, "setting": setting or "", "value": float(value),
            "unit": unit, "ci_low": ci_low, "ci_high": ci_high, "votes": votes,
            "vendor_claimed": vendor_claimed, "raw_name": raw_name, "as_of": as_of, "source_url": source_url}


def slug(text: str) -> str:
    """``"Data Analysis"`` -> ``"data_analysis"``: benchmark-name fragments."""
    return re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_")


def join_setting(*parts: str) -> str:
    return "; ".join(p for p in parts if p)
