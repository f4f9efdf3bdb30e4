"""Open LLM Leaderboard v2: its final contents (the leaderboard was retired in March 2025: frozen).

Captured by fboulnois/llm-leaderboard-csv (``huggingface_v2.csv``, last commit before deletion,
2025-03-21). One row per evaluated (repo, precision, sha). Benchmarks:

- ``open_llm_v2``                 ``model_average_score``: mean of the six normalised scores (0-100)
- ``open_llm_v2:<task>``          ``evaluations_<task>_normalized_score`` (ifeval, bbh, math, gpqa, musr, mmlu_pro)

Scores are normalised against the random baseline (so GPQA 37.5% raw = 16.7 normalised): they are
only comparable within this leaderboard. The evaluated precision (``bfloat16``, ``float16``...)
is the score's setting; ``as_of`` is the submission date.
"""
from __future__ import annotations

from datetime import date

from etl.fetch import Fetched
from etl.sources.base import Context, Source, load_csv
from etl.sources.base import as_of_from_capture
from etl.sources.evalcommon import join_setting, number, score_row

URL = ("https://raw.githubusercontent.com/fboulnois/llm-leaderboard-csv/"
       "0f4e5c69c6fb6515afa31ae61f4d699649bc9503/csv/huggingface_v2.csv")
TASKS = ("ifeval", "bbh", "math", "gpqa", "musr", "mmlu_pro")
REQUIRED = ("model_name", "model_precision", "model_average_score") + tuple(
    f"evaluations_{t}_normalized_score" for t in TASKS)


def parse_csv(text: str) -> list[dict]:
    return load_csv(text, REQUIRED)


def _day(text) -> date | None:
    try:
        return date.fromisoformat(str(text or "")[:10])
    except ValueError:
        return None


class OpenLLMLeaderboardSource(Source):
    name = "open_llm_leaderboard"
    title = "Open LLM Leaderboard v2 (final, archived March 2025)"
    homepage = "https://huggingface.co/spaces/open-llm-leaderboard/open_llm_leaderboard"
    frozen = True

    def urls(self, models) -> list[str]:
        return [URL]

    # upstream contract (etl/contracts.py)
    expect = {"model_name": "str", "model_average_score": "number?"}

    def parse(self, fetched: Fetched) -> list[dict]:
        return parse_csv(fetched.text())

    def normalise(self, records: list[dict], ctx: Context) -> dict[str, list[dict]]:
        rows = []
        for rec in records:
            name = (rec.get("model_name") or "").strip()
            if not name:
                continue
            m = ctx.match(name, hub_repo=True)  # a Hub repo id: its owner is part of the identity
            if not m.model_id:
                continue
            setting = join_setting(m.setting, f"precision: {rec.get('model_precision') or 'unknown'}")
            as_of = _day(rec.get("metadata_submission_date")) or as_of_from_capture(rec["_fetched"])
            avg, _ = number(rec.get("model_average_score"))
            if avg is not None:
                rows.append(score_row(m.model_id, "open_llm_v2", round(avg, 4), "percent", name, rec["_url"],
                                      as_of, setting=setting))
            for t in TASKS:
                v, _ = number(rec.get(f"evaluations_{t}_normalized_score"))
                if v is not None:
                    rows.append(score_row(m.model_id, f"open_llm_v2:{t}", round(v, 4), "percent", name,
                                          rec["_url"], as_of, setting=setting))
        return {"scores": rows}


SOURCE = OpenLLMLeaderboardSource()
