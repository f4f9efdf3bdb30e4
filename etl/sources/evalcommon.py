"""Helpers shared by the third-party eval sources (LiveBench, Epoch, Open LLM LB, EvalPlus, vendor claims).

Not a source itself (no ``SOURCE``): row construction, number parsing and capture dates.
"""
from __future__ import annotations

import re
from datetime import date

from etl.fetch import Fetched
from etl.schema import TABLES
from etl.sources.base import as_of_from_capture

# Commit dates of the pinned upstream captures (from the repositories' history, see ../shared/SOURCES.md).
# A mirror replay names the commit in its capture note; a live fetch has none and falls back to
# Last-Modified / the fetch day (``as_of_from_capture``).
COMMIT_DATES = {
    "4bf96c8d9dc9b06c17d82dc76a54429975c2b2c2": date(2026, 7, 1),    # LiveBench site HEAD
    "6d7587be7c5450f8f5366227f6b87214dc89b8c0": date(2025, 9, 17),   # LiveBench table_2025_05_30 with Maverick
    "f87d3cc8e8a8f8471be475ebce58fb9a73b4e756": date(2025, 11, 17),  # Epoch data last uploaded
    "07356c2106015f283c23a1f2478ea9e654a9f24f": date(2025, 11, 7),   # Epoch Capabilities Index file
    "0f4e5c69c6fb6515afa31ae61f4d699649bc9503": date(2025, 3, 21),   # final Open LLM Leaderboard v2
    "87418456d3a8c2bc6265f24ff91d2dd0e7993f4b": date(2024, 12, 26),  # EvalPlus site HEAD (stale)
    "3f7847a1403ed67a2f93d8ad24dd9f9215fb21ce": date(2025, 4, 6),    # LMArena lmsys.csv release 2025.04.06
    "f1d824adc74778cafccb813103f4af49b3d04ffb": date(2025, 7, 18),   # LMArena lmsys.csv release 2025.07.18
}
_COMMIT = re.compile(r"\b([0-9a-f]{40})\b")


def capture_as_of(fetched: Fetched) -> date:
    """The commit date of a pinned capture (named in the URL or the mirror note), else the
    capture date / Last-Modified / fetch day."""
    for text in (fetched.url, fetched.capture_note or ""):
        for sha in _COMMIT.findall(text):
            if sha in COMMIT_DATES:
                return COMMIT_DATES[sha]
    return as_of_from_capture(fetched)


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


def architecture_row(**columns) -> dict:
    """The architecture columns of one config (``architectures`` minus its provenance columns),
    every one present: a column the config does not give is unknown (None), never defaulted.
    A keyword that is not such a column is an error. Sources add model_id, source, config_repo,
    config_json, as_of and source_url."""
    unknown = set(columns) - set(ARCHITECTURE_COLUMNS)
    if unknown:
        raise ValueError(f"not architecture columns: {sorted(unknown)}")
    return {c: columns.get(c) for c in ARCHITECTURE_COLUMNS}


ARCHITECTURE_COLUMNS = tuple(c for c, _, _ in TABLES["architectures"]
                             if c not in ("model_id", "source", "config_repo", "config_json", "as_of", "source_url"))
