"""List every distinct model name of our families in the mirror's eval sources, with the current match.

Used to (re)build the literal expected mapping in tests/test_identity.py:
``python -m tools.scan_eval_names ../shared/mirror``. Names come from each source's run context
(``SourceOutput.names``, every raw name it tried to place), so a new eval source needs no rule here.
Hub repo ids (names a source matched as repos, e.g. the Open LLM Leaderboard's) are limited to the
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
    """The in-family raw names one eval source reports on the mirror, read from its run's context
    (``SourceOutput.names``): the same for every source, no per-source rule. Hub repo ids from other
    owners are kept only when the name without its owner would be placed on one of our models."""
    models = load_registry()
    matcher = Matcher(models)
    out = get_source(source_name).run(Fetcher(mirror=mirror), models, matcher)
    return {n.strip() for n in out.names if n and n.strip() and FAMILY.search(n)
            and (n not in out.hub_repos or n.lower().startswith(OFFICIAL_ORGS) or matcher.match(route(n).tail).model_id)}


def main(mirror: str) -> None:
    matcher = Matcher(load_registry())
    where = defaultdict(set)
    for src in sources_of_kind("evals"):  # read at call time: a source registered since import counts
        for n in names_of(src.name, mirror):
            where[n].add(src.name)
    for n in sorted(where, key=str.lower):
        m = matcher.match(n)
        print(f"{n!r}: {m.model_id!r},  # {','.join(sorted(where[n]))} | setting={m.setting!r}")


def offering_names(mirror: str) -> dict[str, str | None]:
    """Every in-family provider name in the mirror's offering catalogues -> the model the source put
    it on (None = left unmatched), exactly as the source's own normalise decides (routes, spelling
    rules, re-pointed names by capture date, base-or-instruct check): its run's ``SourceOutput.names``."""
    models = load_registry()
    out: dict[str, str | None] = {}
    for src in sources_of_kind("offerings"):
        run = src.run(Fetcher(mirror=mirror), models, Matcher(models))  # the loader's own path
        out.update({f"{src.name}: {name}": model_id for name, model_id in run.names.items()})
    return out


def main_offerings(mirror: str) -> None:
    for k, v in sorted(offering_names(mirror).items(), key=lambda kv: kv[0].lower()):
        print(f"    {k!r}: {v!r},")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--offerings"]
    (main_offerings if "--offerings" in sys.argv else main)(args[0] if args else "../shared/mirror")
