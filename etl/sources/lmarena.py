"""LMArena (Chatbot Arena) leaderboards via the fboulnois/llm-leaderboard-csv daily CSVs.

Benchmarks: ``lmarena_text`` (text arena, with dated snapshots) and ``lmarena_vision`` (vision
arena); both keep the 95% CI and the vote count. Ratings are Elo-scaled and only comparable within
one arena.

Columns: rank, rank_stylectrl, model, arena_score, 95_pct_ci ("+4/-4"), votes, organization,
license, knowledge_cutoff, url. Dated ``lmsys.csv`` snapshots (fetched at their commit) keep the
history, e.g. the unreleased ``Llama-4-Maverick-03-26-Experimental`` at 1417 on 2025-04-06.
"""
from __future__ import annotations

import re

from etl.fetch import Fetched
from etl.parsing import ValidationError, parse_ci
from etl.sources.base import Context, Source, load_csv
from etl.sources.base import as_of_from_capture


RAW = "https://raw.githubusercontent.com/fboulnois/llm-leaderboard-csv/"
URLS = {
    RAW + "main/csv/lmarena_text.csv": "lmarena_text",
    RAW + "main/csv/lmarena_vision.csv": "lmarena_vision",
    RAW + "3f7847a1403ed67a2f93d8ad24dd9f9215fb21ce/csv/lmsys.csv": "lmarena_text",  # 2025-04-06
    RAW + "f1d824adc74778cafccb813103f4af49b3d04ffb/csv/lmsys.csv": "lmarena_text",  # 2025-07-18
}
COLUMNS = ("model", "arena_score", "95_pct_ci", "votes")
_INT = re.compile(r"[\d,]+")


CIParseError = ValidationError  # ``parse_ci`` ("+13/-12" -> (13.0, 12.0)) lives in etl/parsing.py


def parse_votes(text) -> int | None:
    """``"2520 votes"``, ``"26,604"`` or ``26604`` -> 26604; blank -> None."""
    m = _INT.search(str(text or ""))
    if not m:
        return None
    digits = m.group(0).replace(",", "")
    return int(digits) if digits else None


def parse_csv(text: str) -> list[dict]:
    return load_csv(text, COLUMNS)


class LMArenaSource(Source):
    name = "lmarena"
    title = "LMArena text and vision leaderboards"
    homepage = "https://lmarena.ai/leaderboard"
    # upstream contract (etl/contracts.py); rows without a score are skipped, so it may be blank
    expect = {"model": "str", "arena_score": "number?", "95_pct_ci": "str?", "votes": "count?"}

    def urls(self, models) -> list[str]:
        return list(URLS)

    def parse(self, fetched: Fetched) -> list[dict]:
        return parse_csv(fetched.text())

    def normalise(self, records: list[dict], ctx: Context) -> dict[str, list[dict]]:
        rows = []
        for rec in records:
            name = (rec.get("model") or "").strip()
            try:
                score = float(rec["arena_score"])
            except (TypeError, ValueError):
                continue  # a row without a score carries nothing to chart
            as_of = as_of_from_capture(rec["_fetched"])
            m = ctx.match(name, as_of=as_of)  # the date places a re-pointed API name
            if not m.model_id:
                continue
            try:
                plus, minus = parse_ci(rec.get("95_pct_ci"))
                lo, hi = score - minus, score + plus
            except CIParseError:
                lo = hi = None
            rows.append({"model_id": m.model_id, "benchmark": URLS.get(rec["_url"], "lmarena_text"),
                         "setting": m.setting, "value": score, "unit": "elo", "ci_low": lo, "ci_high": hi,
                         "votes": parse_votes(rec.get("votes")), "vendor_claimed": False,
                         "reported_by": "independent", "raw_name": name,
                         "as_of": as_of, "source_url": rec["_url"]})
        return {"scores": rows}


SOURCE = LMArenaSource()
