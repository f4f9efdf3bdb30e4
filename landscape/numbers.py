"""Reading numbers that may be unknown (None, NaN, pandas NA/NaT, blank, text): one rule for the core."""
from __future__ import annotations

import math


def number(v) -> int | float | None:
    """A known finite number, else None; integral values come back as ``int`` (below 1e15)."""
    if v is None or isinstance(v, bool):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(f):
        return None
    return int(f) if f.is_integer() and abs(f) < 1e15 else f


def whole_number(v) -> int | None:
    """A known number as an int (truncated), else None."""
    n = number(v)
    return None if n is None else int(n)
