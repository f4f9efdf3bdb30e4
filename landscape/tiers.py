"""Size tiers by total parameters (what you must hold in memory), in billions."""
from __future__ import annotations

import math

# (name, lower bound inclusive, upper bound exclusive) in billions of total parameters
TIERS: list[tuple[str, float, float]] = [
    ("Tiny (<3B)", 0.0, 3.0),
    ("Small (3-15B)", 3.0, 15.0),
    ("Medium (15-40B)", 15.0, 40.0),
    ("Large (40-150B)", 40.0, 150.0),
    ("Frontier (150B+)", 150.0, math.inf),
]
UNDISCLOSED = "Undisclosed"
TIER_NAMES = [t[0] for t in TIERS] + [UNDISCLOSED]


def tier_for(total_params_b: float | None) -> str:
    if total_params_b is None or (isinstance(total_params_b, float) and math.isnan(total_params_b)):
        return UNDISCLOSED
    for name, lo, hi in TIERS:
        if lo <= total_params_b < hi:
            return name
    return UNDISCLOSED


def tier_case_sql(col: str = "total_params_b") -> str:
    """The same tiering as a SQL CASE expression (constants only, no user input)."""
    parts = [f"WHEN {col} >= {lo} AND {col} < {hi if math.isfinite(hi) else 1e18} THEN '{name}'" for name, lo, hi in TIERS]
    return f"CASE {' '.join(parts)} ELSE '{UNDISCLOSED}' END"
