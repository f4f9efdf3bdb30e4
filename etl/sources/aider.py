"""Aider LLM leaderboards (YAML lists of benchmark runs).

``edit_leaderboard.yml`` and ``qwq.yml`` are the older 133-exercise Python code-editing benchmark,
stored as benchmark ``aider_code_editing`` (never compared with ``aider_polyglot``).

``polyglot_leaderboard.yml`` and ``qwen3_leaderboard.yml``: 225-exercise polyglot benchmark,
``pass_rate_2`` = % solved within two tries (headline), ``pass_rate_1`` = first try.
The model label is free text; the edit format and thinking budget are settings of the score.
"""
from __future__ import annotations

from datetime import date

import yaml

from etl.fetch import Fetched
from etl.sources.base import Context, ParseError, Source

BASE = "https://raw.githubusercontent.com/Aider-AI/aider/main/aider/website/_data/"
FILES = {
    "polyglot_leaderboard.yml": "aider_polyglot",
    "qwen3_leaderboard.yml": "aider_polyglot",
    # the OLD 133-exercise Python code-editing benchmark: a different benchmark, never compared with polyglot
    "edit_leaderboard.yml": "aider_code_editing",
    "qwq.yml": "aider_code_editing",
}
# Names that only make sense inside one file: qwq.yml (2024-12-04) predates QwQ-32B (2025-03-06),
# so its bare "QwQ" is the preview checkpoint. The rewritten name still goes through the matcher.
FILE_NAMES = {"qwq.yml": {"QwQ": "QwQ-32B-Preview"}}
REQUIRED_KEYS = ("model", "pass_rate_2", "edit_format")


def parse_yaml_runs(text: str) -> list[dict]:
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: ~10x faster
    except yaml.YAMLError as exc:
        raise ParseError(f"invalid YAML: {str(exc).splitlines()[0]}") from exc
    if not isinstance(data, list):
        raise ParseError("expected a YAML list of runs")
    runs = []
    for i, run in enumerate(data):
        if not isinstance(run, dict):
            raise ParseError(f"run {i} is not a mapping")
        missing = [k for k in REQUIRED_KEYS if k not in run]
        if missing:
            raise ParseError(f"run {i} lacks {missing} (format changed?)")
        runs.append(run)
    return runs


def _date(v) -> date | None:
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v)[:10])
    except ValueError:
        return None


def _pct(v) -> float | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return float(v)
    raise ParseError(f"pass rate {str(v)[:20]!r} is not a number")


def run_setting(run: dict) -> str:
    parts = [f"edit format: {run.get('edit_format')}"]
    if run.get("reasoning_effort"):
        parts.append(f"reasoning effort: {run['reasoning_effort']}")
    if run.get("thinking_tokens"):
        parts.append(f"thinking tokens: {run['thinking_tokens']}")
    if run.get("editor_model"):
        parts.append(f"editor model: {run['editor_model']}")
    return "; ".join(parts)


class AiderSource(Source):
    name = "aider"
    title = "Aider leaderboards (polyglot; older code-editing)"
    homepage = "https://aider.chat/docs/leaderboards/"
    # upstream contract (etl/contracts.py): one benchmark run per record
    expect = {"model": "str", "pass_rate_2": "number", "pass_rate_1": "number?", "edit_format": "str",
              "date": "date?"}

    def urls(self, models) -> list[str]:
        return [BASE + f for f in FILES]

    def requires(self, url: str) -> list[str]:
        """A file is deduplicated against the earlier files of its benchmark (a run listed in two files
        loads once, from the first): without them its duplicates could not be recognised, so it counts
        as failed too and keeps its last good rows (qwen3_leaderboard.yml needs polyglot_leaderboard.yml)."""
        name = url.rsplit("/", 1)[-1]
        if name not in FILES:
            return []
        earlier = list(FILES)[:list(FILES).index(name)]
        return [BASE + f for f in earlier if FILES[f] == FILES[name]]

    def parse(self, fetched: Fetched) -> list[dict]:
        return parse_yaml_runs(fetched.text())

    def normalise(self, records: list[dict], ctx: Context) -> dict[str, list[dict]]:
        rows, seen = [], set()
        for run in records:
            fname = run["_url"].rsplit("/", 1)[1]
            bench = FILES[fname]
            # one run (its dirname) is listed in several files (polyglot + qwen3 leaderboards, edit +
            # qwq): it loads once, from the first file in URL order
            run_id = (bench, str(run.get("dirname") or "").strip())
            if run_id[1] and run_id in seen:
                continue
            seen.add(run_id)
            name = str(run["model"])
            m = ctx.match(FILE_NAMES.get(fname, {}).get(name, name), as_of=_date(run.get("date")))
            if not m.model_id:
                continue
            setting = "; ".join(x for x in (m.setting, run_setting(run)) if x)
            for benchmark, key in ((bench, "pass_rate_2"), (bench + "_pass1", "pass_rate_1")):
                value = _pct(run.get(key))
                if value is None:
                    continue
                rows.append({"model_id": m.model_id, "benchmark": benchmark, "setting": setting,
                             "value": value, "unit": "percent", "ci_low": None, "ci_high": None, "votes": None,
                             "vendor_claimed": False, "reported_by": "independent", "raw_name": str(run["model"]),
                             "as_of": _date(run.get("date")),
                             "source_url": run["_url"]})
        return {"scores": rows}


SOURCE = AiderSource()
