"""The shared filter state every page uses, and its round-trip to URL query parameters.

``Filters`` is plain data. ``to_query_params``/``from_query_params`` make shared links: unknown
keys, unknown values, wrong types and oversized values are dropped and reported as notices,
never raised.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace

from landscape.tiers import TIER_NAMES

MAX_PARAM_LEN = 2000
MAX_LIST = 200


@dataclass(frozen=True)
class Filters:
    families: tuple[str, ...] = ()
    vendors: tuple[str, ...] = ()
    weights: str = "all"  # all | open | closed
    tiers: tuple[str, ...] = ()
    released_only: bool = True
    include_reference: bool = False
    use_case: str = ""  # "" = any; else a key of landscape.licences.USE_CASES
    mau: int = 1_000_000  # monthly active users, for use_case "mau"
    use_strict: bool = False  # True: only "yes" answers; False: "yes" or "conditional"

    def where(self, alias: str = "m") -> tuple[str, list]:
        """A bound SQL WHERE fragment over the models table (aliased ``alias``)."""
        from landscape.tiers import tier_case_sql
        clauses, params = ["TRUE"], []
        if self.families:
            clauses.append(f"{alias}.family IN ({', '.join('?' for _ in self.families)})")
            params += list(self.families)
        if self.vendors:
            clauses.append(f"{alias}.vendor IN ({', '.join('?' for _ in self.vendors)})")
            params += list(self.vendors)
        if self.weights == "open":
            clauses.append(f"{alias}.open_weights")
        elif self.weights == "closed":
            clauses.append(f"NOT {alias}.open_weights")
        if self.tiers:
            clauses.append(f"({tier_case_sql(alias + '.total_params_b')}) IN ({', '.join('?' for _ in self.tiers)})")
            params += list(self.tiers)
        if self.released_only:
            clauses.append(f"{alias}.released")
        if not self.include_reference:
            clauses.append(f"NOT {alias}.reference")
        if self.use_case:
            from landscape.licences import mau_sql
            ans = mau_sql("la") if self.use_case == "mau" else "la.answer"
            ok = "('yes')" if self.use_strict else "('yes', 'conditional')"
            clauses.append(f"EXISTS (SELECT 1 FROM licence_answers la WHERE la.model_id = {alias}.model_id "
                           f"AND la.use_case = ? AND {ans} IN {ok})")
            params += [self.use_case] + ([int(self.mau)] if self.use_case == "mau" else [])
        return " AND ".join(clauses), params


WEIGHTS = ("all", "open", "closed")
EVERY_MODEL = Filters(released_only=False, include_reference=True)  # no filter at all: every registry model


def to_query_params(f: Filters) -> dict[str, str]:
    out: dict[str, str] = {}
    default = Filters()
    for fl in fields(Filters):
        v = getattr(f, fl.name)
        if v == getattr(default, fl.name):
            continue
        if isinstance(v, tuple):
            out[fl.name] = ",".join(v)
        elif isinstance(v, bool):
            out[fl.name] = "1" if v else "0"
        else:
            out[fl.name] = str(v)
    return out


def from_query_params(params: dict, known_families=(), known_vendors=()) -> tuple[Filters, list[str]]:
    """Parse shared-link parameters; return (filters, notices about what was ignored)."""
    notices: list[str] = []
    kw: dict = {}
    get = (lambda k: params.get(k)) if hasattr(params, "get") else (lambda k: None)

    def as_list(key, allowed):
        raw = get(key)
        if raw is None:
            return
        if isinstance(raw, list):
            raw = ",".join(str(x) for x in raw)
        raw = str(raw)
        if len(raw) > MAX_PARAM_LEN:
            notices.append(f"ignored '{key}': value too long")
            return
        vals = [v.strip() for v in raw.split(",") if v.strip()][:MAX_LIST]
        good = tuple(v for v in vals if v in allowed)
        bad = [v for v in vals if v not in allowed]
        if bad:
            notices.append(f"ignored unknown {key}: {', '.join(b[:40] for b in bad[:5])}")
        if good:
            kw[key] = good

    def as_bool(key):
        raw = get(key)
        if raw is None:
            return
        if str(raw) in ("1", "true", "True"):
            kw[key] = True
        elif str(raw) in ("0", "false", "False"):
            kw[key] = False
        else:
            notices.append(f"ignored '{key}': expected 0 or 1")

    as_list("families", set(known_families))
    as_list("vendors", set(known_vendors))
    as_list("tiers", set(TIER_NAMES))
    w = get("weights")
    if w is not None:
        if str(w) in WEIGHTS:
            kw["weights"] = str(w)
        else:
            notices.append("ignored 'weights': expected all, open or closed")
    as_bool("released_only")
    as_bool("include_reference")
    _licence_params(get, kw, notices)
    return replace(Filters(), **kw), notices


def _licence_params(get, kw: dict, notices: list[str]) -> None:
    """use_case / mau / use_strict from a shared link (invalid values are ignored with a notice)."""
    from landscape.licences import USE_CASES, parse_mau
    uc = get("use_case")
    if uc is not None:
        if str(uc) in USE_CASES:
            kw["use_case"] = str(uc)
        elif str(uc):
            notices.append(f"ignored 'use_case': expected one of {', '.join(USE_CASES)}")
    n = get("mau")
    if n is not None:
        v = parse_mau(n)
        if v is None:
            notices.append("ignored 'mau': expected a number of monthly users such as 1000000 or 700M")
        else:
            kw["mau"] = v
    strict = get("use_strict")
    if strict is not None:
        if str(strict) in ("1", "true", "True", "0", "false", "False"):
            kw["use_strict"] = str(strict) in ("1", "true", "True")
        else:
            notices.append("ignored 'use_strict': expected 0 or 1")
