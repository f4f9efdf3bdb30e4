"""List every distinct model name of our families in the mirror's eval sources, with the current match.

Used to (re)build the literal expected mapping in tests/test_identity.py:
``python -m tools.scan_eval_names ../shared/mirror``. Open LLM Leaderboard rows are limited to the
vendors' own organisations plus every repo whose name *without* its owner would be placed on one of
our models (``braindao/Qwen2.5-14B``, ``unsloth/Llama-3.2-1B-Instruct``: the names an owner-blind
matcher would merge onto an official checkpoint); community fine-tunes that merely contain "qwen"
are not our models.
"""
from __future__ import annotations

import re
import sys
from collections import defaultdict

from etl.fetch import Fetcher
from etl.matcher import Matcher, route
from etl.registry import load_registry
from etl.sources import get_source, sources_of_kind

FAMILY = re.compile(r"llama|qwen|qwq|deepseek|gemma|gemini", re.I)
OFFICIAL_ORGS = ("meta-llama/", "qwen/", "deepseek-ai/", "google/")
EVAL_SOURCES = tuple(s.name for s in sources_of_kind("evals"))  # every registered source of scores


def names_of(source_name: str, mirror: str) -> set[str]:
    from etl.sources import aider
    matcher = Matcher(load_registry())
    src = get_source(source_name)
    fetcher = Fetcher(mirror=mirror)
    fetched, _ = src.fetch(fetcher, src.urls(load_registry()))
    out = set()
    for f in fetched:
        for rec in src.parse(f):
            if source_name == "aider":
                fname = f.url.rsplit("/", 1)[1]
                n = str(rec["model"])
                out.add(aider.FILE_NAMES.get(fname, {}).get(n, n))
            elif source_name == "lmarena":
                out.add(rec.get("model", ""))
            elif source_name == "livebench":
                if rec.get("_kind") == "row":
                    out.add(rec.get("model", ""))
            elif source_name == "epoch":
                if rec["_kind"] == "run":
                    out.add(rec.get("model", ""))
                elif rec["_kind"] == "eci":
                    out.add(rec.get("Model version", ""))
                else:
                    out.add((rec.get("Model version") or "").strip() or (rec.get("Name") or "").strip())
            elif source_name == "open_llm_leaderboard":
                n = rec.get("model_name", "")
                if n.lower().startswith(OFFICIAL_ORGS) or matcher.match(route(n).tail).model_id:
                    out.add(n)
            elif source_name == "evalplus":
                out.add(rec["name"])
            elif source_name == "vendor_claims":
                out.add(rec["model_id"])
            else:  # a new eval source: say how its records name models (README, "Adding a source")
                raise KeyError(f"no raw-name rule for eval source {source_name!r} in tools/scan_eval_names.py")
    return {n.strip() for n in out if n and FAMILY.search(n)}


def main(mirror: str) -> None:
    matcher = Matcher(load_registry())
    where = defaultdict(set)
    for s in EVAL_SOURCES:
        for n in names_of(s, mirror):
            where[n].add(s)
    for n in sorted(where, key=str.lower):
        m = matcher.match(n)
        print(f"{n!r}: {m.model_id!r},  # {','.join(sorted(where[n]))} | setting={m.setting!r}")





OFFERING_SOURCES = ("litellm", "openrouter")


def offering_names(mirror: str) -> dict[str, str | None]:
    """Every in-family provider name in the mirror's offering catalogues -> the model the source put
    it on (None = left unmatched), exactly as the source's own normalise decides (routes, spelling
    rules, re-pointed names by capture date, base-or-instruct check)."""
    from etl.sources.base import Context
    models = load_registry()
    out: dict[str, str | None] = {}
    for name in OFFERING_SOURCES:
        src = get_source(name)
        fetched, _ = src.fetch(Fetcher(mirror=mirror), src.urls(models))
        recs = []
        for f in fetched:
            for r in src.parse(f):
                r.setdefault("_url", f.url)
                r.setdefault("_fetched", f)
                recs.append(r)
        ctx = Context(models, Matcher(models))
        for row in src.normalise(recs, ctx)["offerings"]:
            out[f"{name}: {row['raw_name']}"] = row["model_id"]
        for raw in ctx.unmatched:
            out.setdefault(f"{name}: {raw}", None)
    return out


def main_offerings(mirror: str) -> None:
    for k, v in sorted(offering_names(mirror).items(), key=lambda kv: kv[0].lower()):
        print(f"    {k!r}: {v!r},")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--offerings"]
    (main_offerings if "--offerings" in sys.argv else main)(args[0] if args else "../shared/mirror")
