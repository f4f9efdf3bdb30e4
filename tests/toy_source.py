"""A toy eval source for tests/test_adding_a_source.py: everything a new source is, in one module.

It is registered only inside that test (``etl.sources.SOURCE_MODULES``); nothing else in the repo
names it. Its upstream is a two-column CSV (``model,score``) at one URL.
"""
from __future__ import annotations

from etl.fetch import Fetched
from etl.sources.base import Context, Source, as_of_from_capture, load_csv
from etl.sources.evalcommon import number, score_row

URL = "https://toy.example/leaderboard.csv"


class ToySource(Source):
    name = "toy"
    title = "Toy leaderboard (test only)"
    homepage = "https://toy.example/"
    expect = {"model": "str", "score": "number?"}

    def urls(self, models) -> list[str]:
        return [URL]

    def parse(self, fetched: Fetched) -> list[dict]:
        return load_csv(fetched.text(), required=("model", "score"))

    def normalise(self, records: list[dict], ctx: Context) -> dict[str, list[dict]]:
        rows = []
        for rec in records:
            value, _ = number(rec.get("score"))
            m = ctx.match(rec["model"].strip())
            if value is None or not m.model_id:
                continue
            rows.append(score_row(m.model_id, "toy_score", value, "percent", rec["model"], rec["_url"],
                                  as_of_from_capture(rec["_fetched"]), setting=m.setting))
        return {"scores": rows}


SOURCE = ToySource()
