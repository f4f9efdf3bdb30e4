"""Reading numbers that may be unknown (None, NaN, pandas NA/NaT, blank, text) in the core:
``etl.parsing.finite_number``'s rule, with integral values as ``int``."""
from __future__ import annotations

from etl.parsing import finite_number


def number(v) -> int | float | None:
    """A known finite number, else None; integral values come back as ``int`` (below 1e15)."""
    f = finite_number(v)
    if f is None:
        return None
    return int(f) if f.is_integer() and abs(f) < 1e15 else f


def whole_number(v) -> int | None:
    """A known number as an int (truncated), else None."""
    n = number(v)
    return None if n is None else int(n)
