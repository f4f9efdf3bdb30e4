"""List every distinct model name of our families in the mirror's eval sources, with the current match.

Used to (re)build the literal expected mapping in tests/test_identity.py:
``python tools/scan_eval_names.py ../shared/mirror``. Open LLM Leaderboard rows are limited to the
vendors' own organisations (community fine-tunes that merely contain "qwen" are not our models).
"""
from __future__ import annotations

import re
import sys
from collections import defaultdict

from etl.fetch import Fetcher
from etl.matcher import Matcher
from etl.registry import load_registry
from etl.sources import get_source, sources_of_kind

FAMILY = re.compile(r"llama|qwen|qwq|deepseek|gemma|gemini", re.I)
OFFICIAL_ORGS = ("meta-llama/", "qwen/", "deepseek-ai/", "google/")
EVAL_SOURCES = tuple(s.name for s in sources_of_kind("evals"))  # every registered source of scores


def names_of(source_name: str, mirror: str) -> set[str]:
    from etl.sources import aider
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
                if n.lower().startswith(OFFICIAL_ORGS):
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


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/mirror")
