"""EvalPlus leaderboard (HumanEval+ / MBPP+): ``https://evalplus.github.io/results.json``.

JSON object: display name -> ``{link, open-data, pass@1: {humaneval, humaneval+, mbpp, mbpp+},
prompted, size}``; pass@1 in percent. Benchmarks ``evalplus_humaneval``, ``evalplus_humaneval_plus``,
``evalplus_mbpp``, ``evalplus_mbpp_plus``. The site has not been updated since December 2024
(the Data quality page badges it stale from its as-of date). A ``null`` score is unknown and is skipped.
"""
from __future__ import annotations


from etl.fetch import Fetched
from etl.sources.base import Context, ParseError, Source, load_json
from etl.sources.base import as_of_from_capture
from etl.sources.evalcommon import join_setting, score_row

URL = "https://evalplus.github.io/results.json"
BENCHMARKS = {"humaneval": "evalplus_humaneval", "humaneval+": "evalplus_humaneval_plus",
              "mbpp": "evalplus_mbpp", "mbpp+": "evalplus_mbpp_plus"}


def parse_results(text: str) -> list[dict]:
    data = load_json(text, dict, "a JSON object keyed by model name")
    out = []
    for name, entry in data.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("pass@1"), dict):
            raise ParseError(f"entry {str(name)[:40]!r} lacks a pass@1 object (format changed?)")
        out.append({"name": str(name), **entry})
    return out


class EvalPlusSource(Source):
    name = "evalplus"
    title = "EvalPlus (HumanEval+ / MBPP+), stale since Dec 2024"
    homepage = "https://evalplus.github.io/leaderboard.html"

    def urls(self, models) -> list[str]:
        return [URL]

    # upstream contract (etl/contracts.py): pass@1 per dataset, parameter count in billions
    expect = {"name": "str", "pass@1": "dict", "size": "number?"}

    def parse(self, fetched: Fetched) -> list[dict]:
        return parse_results(fetched.text())

    def normalise(self, records: list[dict], ctx: Context) -> dict[str, list[dict]]:
        rows = []
        for rec in records:
            m = ctx.match(rec["name"])
            if not m.model_id:
                continue
            setting = join_setting(m.setting, "prompted" if rec.get("prompted") else "")
            as_of = as_of_from_capture(rec["_fetched"])
            for key, bench in BENCHMARKS.items():
                v = rec["pass@1"].get(key)
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    rows.append(score_row(m.model_id, bench, float(v), "percent", rec["name"], rec["_url"],
                                          as_of, setting=setting))
        return {"scores": rows}


SOURCE = EvalPlusSource()
