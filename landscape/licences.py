"""Licence use cases as the app reads them: the names shared with the ETL's rules
(``etl/licence_rules.py``, which computes ``licence_answers`` at publish time), the parser for a
user-typed N, and the wide matrix the Licences page shows. No streamlit.
"""
from __future__ import annotations

from etl.licence_rules import (ANSWERS, DEFAULT_MAU, NOT_ADVICE, SEVERITY, USE_CASES,
                               answer_for_n, mau_sql)

__all__ = ["ANSWERS", "DEFAULT_MAU", "NOT_ADVICE", "SEVERITY", "USE_CASES", "answer_for_n", "mau_sql",
           "parse_mau", "matrix_wide"]


def parse_mau(value) -> int | None:
    """A user-typed monthly-user count: ``"700M"``, ``"1.5b"``, ``"250000"``, ``"10k"``. None if invalid."""
    if value is None:
        return None
    s = str(value).strip().lower().replace(",", "").replace("_", "")
    if not s or len(s) > 20:
        return None
    mult = {"k": 10**3, "m": 10**6, "b": 10**9}.get(s[-1])
    if mult:
        s = s[:-1]
    try:
        v = float(s) * (mult or 1)
    except ValueError:
        return None
    if not (0 <= v < 10**13) or v != v:
        return None
    return int(v)


def matrix_wide(matrix, marks: dict[str, str] | None = None, n: int | None = None):
    """Long licence answers (one row per model x use case) -> the wide matrix the Licences page shows:
    one row per model, one column per use case in ``USE_CASES`` order; cells are ``marks[answer]``
    (or the bare answer). Returns (wide DataFrame, {use_case: column label with N filled in})."""
    marks = marks or {}
    cells = matrix["answer"].map(lambda a: marks.get(a, a))
    # pivot_table drops index rows holding NaN: an unreleased model with no licence would vanish
    wide = (matrix.assign(cell=cells, licence_id=matrix["licence_id"].fillna("unknown"))
            .pivot_table(index=["family", "name", "model_id", "licence_id"], columns="use_case", values="cell",
                         aggfunc="first").reset_index())
    order = [c for c in USE_CASES if c in wide.columns]
    labels = {uc: (USE_CASES[uc].replace("N", f"{int(n):,}") if uc == "mau" and n is not None else USE_CASES[uc])
              for uc in order}
    return wide[["family", "name", "licence_id", *order, "model_id"]], labels
