"""Reasoning attribute per model: ``no`` (no thinking mode), ``always`` (thinks before every answer),
``hybrid`` (one checkpoint with a thinking and a non-thinking mode), else ``unknown``.

Curated in ``data/reasoning.csv`` (one row per model with the source URL saying so); a model
without a row is ``unknown``, never guessed from its name. Pure; no database, no streamlit.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import pandas as pd

PATH = Path(__file__).resolve().parent.parent / "data" / "reasoning.csv"
VALUES = ("no", "always", "hybrid")
UNKNOWN = "unknown"
CHOICES = VALUES + (UNKNOWN,)


class ReasoningDataError(ValueError):
    pass


@lru_cache(maxsize=4)
def _load(path: str) -> dict[str, dict]:
    out: dict[str, dict] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for n, r in enumerate(csv.DictReader(fh), start=2):
            mid, val, url = (r.get("model_id") or "").strip(), (r.get("reasoning") or "").strip(), (r.get("source_url") or "").strip()
            if val not in VALUES:
                raise ReasoningDataError(f"{path}:{n}: reasoning must be one of {', '.join(VALUES)}, got {val!r}")
            if not url.startswith("https://"):
                raise ReasoningDataError(f"{path}:{n}: {mid} needs an https source_url")
            if mid in out:
                raise ReasoningDataError(f"{path}:{n}: {mid} listed twice")
            out[mid] = {"reasoning": val, "reasoning_source_url": url, "reasoning_note": r.get("note") or ""}
    return out


def table(path: Path | str = PATH) -> dict[str, dict]:
    return _load(str(path))


def attach(df: pd.DataFrame, id_col: str = "model_id", path: Path | str = PATH) -> pd.DataFrame:
    """``df`` with ``reasoning`` (unknown when not curated) and ``reasoning_source_url``."""
    t = table(path)
    out = df.copy()
    ids = out[id_col].tolist()  # one conversion: iterating an Arrow-backed column boxes each value
    out["reasoning"] = [t.get(m, {}).get("reasoning", UNKNOWN) for m in ids]
    out["reasoning_source_url"] = [t.get(m, {}).get("reasoning_source_url") for m in ids]
    return out


def keep(df: pd.DataFrame, choices) -> pd.DataFrame:
    """Rows whose ``reasoning`` is one of ``choices`` (all rows when none chosen)."""
    return df[df["reasoning"].isin(list(choices))] if choices else df
