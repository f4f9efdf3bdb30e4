"""Data contracts: what a source expects from upstream, and what a stored row may hold.

Two checks, both generic (``etl.sources.base.Source.run`` applies them to every source):

1. **Upstream contract** -- ``Source.expect`` maps a field of a parsed record to a kind::

       expect = {"model": "str", "arena_score": "number?", "date": "date?"}

   Kinds: ``str`` (non-blank text), ``number`` (int/float, or a plain numeric string -- never
   ``"27.7%"``), ``percent`` (a number, ``"27.7%"`` allowed), ``int``, ``count`` (non-negative integer, ``"26,604"`` allowed), ``date``
   (ISO date or date object), ``bool``, ``list``, ``dict``, ``any`` (present). A trailing ``?``
   allows null/blank (blank includes ``N/A``, ``-`` and ``null`` as upstream tables write it). A field is a dotted path into nested records (``config.hidden_size``);
   ``a|b`` takes the first alternative that is present; ``"*"`` applies a kind to every other top-level
   field (e.g. a leaderboard CSV whose score columns change with each release). A required field missing from *every*
   record means the upstream schema changed: the source fails loudly (``ContractError``). A record
   that breaks the contract is quarantined; when more than half of them do, the source fails.

2. **Row validation** -- normalised rows are checked for plausibility before they are stored:
   scores inside their unit's range (percent 0-100, Elo 100-4000, ...), CI bounds around the
   value, counts and sizes non-negative, parameter counts positive, as-of dates between 2000
   and tomorrow; exact duplicate rows are dropped. Bad rows go to the ``quarantine`` table
   with a reason and the row as JSON, never into the data.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from etl import clock

KINDS = ("str", "number", "percent", "int", "count", "date", "bool", "list", "dict", "any")
MAX_BAD_FRACTION = 0.5
_MISSING = object()
_NUMBER = re.compile(r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$")
_COUNT = re.compile(r"^\s*\d{1,3}(,\d{3})+\s*$|^\s*\d+\s*$")

# unit -> inclusive plausible range of scores.value; units not listed only need a finite value
UNIT_RANGES: dict[str, tuple[float, float]] = {
    "percent": (0.0, 100.0),
    "elo": (100.0, 4000.0),
    "fraction": (0.0, 1.0),
    "ratio": (0.0, 1.0),
    "score (0-10)": (0.0, 10.0),
    "chrF": (0.0, 100.0),
}
# benchmarks judged on a 0-10 scale: stored as "percent" they are a unit slip (quarantined)
SCALE_0_10_BENCHMARKS = re.compile(r"^(?:alignbench|writingbench|mt_?bench|lech_mazur_writing)(?:_|$)", re.I)
POSITIVE_COLUMNS = {"total_params_b", "active_params_b", "num_layers", "hidden_size", "vocab_size",
                    "num_attention_heads", "params_b", "context_tokens", "context_length"}


class ContractError(ValueError):
    """Upstream no longer matches the source's declared contract (one short line)."""


def _get(rec: Any, path: str):
    for alt in path.split("|"):
        cur = rec
        for part in alt.split("."):
            if isinstance(cur, dict) and part in cur:
                cur = cur[part]
            else:
                cur = _MISSING
                break
        if cur is not _MISSING:
            return cur
    return _MISSING


NULL_MARKERS = {"", "n/a", "na", "-", "\u2014", "null", "none"}  # how upstream tables spell "no value"


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and v.strip().lower() in NULL_MARKERS) or \
        (isinstance(v, float) and math.isnan(v))


def kind_ok(kind: str, v) -> bool:
    """Does a (non-blank) value fit ``kind``?"""
    if kind == "any":
        return True
    if kind == "str":
        return isinstance(v, str) and bool(v.strip())
    if kind == "bool":
        return isinstance(v, bool)
    if kind == "list":
        return isinstance(v, list)
    if kind == "dict":
        return isinstance(v, dict)
    if kind == "number":
        if isinstance(v, bool):
            return False
        if isinstance(v, (int, float)):
            return math.isfinite(float(v))
        return isinstance(v, str) and bool(_NUMBER.match(v)) and math.isfinite(float(v))
    if kind == "percent":
        return kind_ok("number", v) or (isinstance(v, str) and v.strip().endswith("%")
                                        and kind_ok("number", v.strip()[:-1]))
    if kind == "int":
        if isinstance(v, bool):
            return False
        if isinstance(v, int):
            return True
        if isinstance(v, float):
            return v.is_integer()
        return isinstance(v, str) and v.strip().lstrip("+-").isdigit()
    if kind == "count":
        if isinstance(v, bool):
            return False
        if isinstance(v, int):
            return v >= 0
        if isinstance(v, float):
            return v.is_integer() and v >= 0
        return isinstance(v, str) and bool(_COUNT.match(v))
    if kind == "date":
        if isinstance(v, (date, datetime)):
            return True
        try:
            date.fromisoformat(str(v).strip()[:10])
            return True
        except ValueError:
            return False
    raise ValueError(f"unknown contract kind {kind!r} (known: {', '.join(KINDS)})")


def record_problems(rec: dict, expect: dict[str, str]) -> list[str]:
    """Problems of one parsed record against ``expect`` (empty list: it fits)."""
    problems = []
    if "*" in expect and isinstance(rec, dict):
        named = {p.split(".")[0] for alt in expect for p in alt.split("|")}
        expect = {**{k: expect["*"] for k in rec if k not in named and not str(k).startswith("_")},
                  **{k: v for k, v in expect.items() if k != "*"}}
    for path, spec in expect.items():
        kind, optional = spec.rstrip("?"), spec.endswith("?")
        v = _get(rec, path)
        if v is _MISSING or _blank(v):
            if not optional:
                problems.append(f"{path} missing" if v is _MISSING else f"{path} is blank")
            continue
        if not kind_ok(kind, v):
            problems.append(f"{path} not {kind}: {str(v)[:30]!r}")
    return problems


def raw_json(rec: Any, limit: int = 4000) -> str:
    """The record as JSON for the quarantine table (private ``_`` keys dropped, bounded size)."""
    if isinstance(rec, dict):
        rec = {k: v for k, v in rec.items() if not str(k).startswith("_")}
    text = json.dumps(rec, default=str, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= limit else text[:limit] + "...(truncated)"


def check_records(records: list[dict], expect: dict[str, str], source: str, url: str = "") -> tuple[list[dict], list[dict]]:
    """Split parsed records into (good, quarantine rows); raise ContractError on a schema change."""
    if not expect or not records:
        return records, []
    for path, spec in expect.items():
        if path != "*" and not spec.endswith("?") and all(_get(r, path) is _MISSING for r in records):
            raise ContractError(f"schema changed: field {path!r} missing from all {len(records)} records")
    good, bad, reasons = [], [], Counter()
    for r in records:
        problems = record_problems(r, expect)
        if problems:
            reason = "; ".join(problems)
            reasons[problems[0].split(":")[0]] += 1
            bad.append(quarantine_row(source, "(upstream)", "contract", reason, r, url or r.get("_url", "")))
        else:
            good.append(r)
    if bad and len(bad) > MAX_BAD_FRACTION * len(records):
        top = ", ".join(f"{k} x{n}" for k, n in reasons.most_common(3))
        raise ContractError(f"schema changed: {len(bad)} of {len(records)} records break the contract ({top})")
    return good, bad


def quarantine_row(source: str, table: str, stage: str, reason: str, raw: Any, url: str = "") -> dict:
    return {"source": source, "target_table": table, "stage": stage, "reason": reason[:500],
            "raw": raw_json(raw), "source_url": str(url or "")[:1000]}


def row_problems(table: str, row: dict, today: date | None = None) -> list[str]:
    """Plausibility problems of one normalised row (empty list: plausible)."""
    today = today or clock.today()
    problems = []
    for col, v in row.items():
        if v is None or isinstance(v, bool):
            continue
        if isinstance(v, (int, float)):
            if isinstance(v, float) and not math.isfinite(v):
                problems.append(f"{col} not finite")
            elif col in POSITIVE_COLUMNS and v <= 0:
                problems.append(f"{col} must be positive, got {v}")
            elif v < 0 and col not in ("value", "ci_low", "ci_high"):
                problems.append(f"{col} negative ({v})")
        if isinstance(v, date) and col in ("as_of", "release_date", "date"):
            d = v.date() if isinstance(v, datetime) else v
            if not (date(2000, 1, 1) <= d <= today + timedelta(days=1)):
                problems.append(f"{col} implausible ({d})")
    if table == "scores" and isinstance(row.get("value"), (int, float)):
        value, unit = float(row["value"]), row.get("unit")
        lo_hi = UNIT_RANGES.get(str(unit))
        if lo_hi and not (lo_hi[0] <= value <= lo_hi[1]):
            problems.append(f"value {value:g} outside {unit} range {lo_hi[0]:g}-{lo_hi[1]:g}")
        lo, hi = row.get("ci_low"), row.get("ci_high")
        if isinstance(lo, (int, float)) and isinstance(hi, (int, float)) and not (lo <= value <= hi):
            problems.append(f"CI [{lo:g}, {hi:g}] does not contain value {value:g}")
    return problems


def _key(row: dict):
    return tuple(sorted((k, repr(v)) for k, v in row.items()))


def scale_problems(table: str, r: dict) -> list[str]:
    """A 0-10 judged benchmark labelled ``percent`` (its scale taken from the label only)."""
    if table != "scores" or r.get("unit") != "percent":
        return []
    if SCALE_0_10_BENCHMARKS.match(str(r.get("benchmark") or "")):
        return [f"unit percent for a 0-10 scale benchmark ({r.get('benchmark')}): unit slip"]
    return []


def validate_rows(source: str, tables: dict[str, list[dict]], today: date | None = None
                  ) -> tuple[dict[str, list[dict]], list[dict]]:
    """Drop implausible and exactly duplicated rows; return (kept tables, quarantine rows).

    Raises ContractError when more than half of a table's rows are implausible: values that
    wrong mean the upstream format changed, and the last good data is better than a fraction."""
    kept, quarantined = {}, []
    for table, rows in tables.items():
        good, seen, bad_n, reasons = [], set(), 0, Counter()
        for r in rows:
            problems = row_problems(table, r, today) + scale_problems(table, r)
            if problems:
                bad_n += 1
                reasons[problems[0].split(" ")[0]] += 1
                quarantined.append(quarantine_row(source, table, "validation", "; ".join(problems), r,
                                                  r.get("source_url", "")))
                continue
            k = _key(r)
            if k in seen:
                quarantined.append(quarantine_row(source, table, "duplicate", "exact duplicate of an earlier row",
                                                  r, r.get("source_url", "")))
                continue
            seen.add(k)
            good.append(r)
        if bad_n and bad_n > MAX_BAD_FRACTION * len(rows):
            top = ", ".join(f"{k} x{n}" for k, n in reasons.most_common(3))
            raise ContractError(f"{table}: {bad_n} of {len(rows)} rows implausible ({top})")
        kept[table] = good
    return kept, quarantined


def summarise(quarantined: list[dict]) -> str:
    """``"quarantined 3 rows (duplicate x2, contract x1)"`` or ``""``."""
    if not quarantined:
        return ""
    c = Counter(q["stage"] for q in quarantined)
    return f"quarantined {len(quarantined)} rows (" + ", ".join(f"{k} x{n}" for k, n in c.most_common()) + ")"
