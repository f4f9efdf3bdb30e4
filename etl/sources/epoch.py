"""Epoch AI Benchmarking Hub data, via the epoch-research/benchmark-stitching repository.

Three kinds of table, all stored under source ``epoch``:

- ``benchmarks_runs.csv``: Epoch's own runs. Scores are fractions 0-1; stored as percent
  (Scout GPQA diamond 0.518 -> 51.8). Benchmark = task name slug (``gpqa_diamond``,
  ``math_level_5``, ``otis_mock_aime_2024_2025``...), setting ``Epoch AI run``; only
  ``Status == Success`` rows; ``as_of`` = the run's start date.
- ``epoch_capabilities_index.csv``: the Epoch Capabilities Index (ECI), unit ``index`` (IRT scale,
  Claude 3.5 Sonnet = 130, GPT-5 = 150), benchmark ``epoch_capabilities_index``.
- ``external_benchmark_<name>.csv``: third-party leaderboards re-keyed to Epoch's model ids. One
  headline column per file (``EXTERNAL`` below); the original source is named in ``setting``
  (``original source: <Source>``), so a re-keyed copy is never mistaken for Epoch's own run.
  Rows whose original source is a model developer's own report (technical report, model card,
  paper) are stored with ``vendor_claimed = true``: they are claims, not independent results.
  The model is taken from every column that names it (``Model version``, ``Name``, ``Notes``,
  ``Matcher.match_described``): a "Base"/"pre-trained" label or a stated size overrides or vetoes
  Epoch's key.
"""
from __future__ import annotations

import re
from datetime import datetime

from etl.fetch import Fetched
from etl.sources.base import Context, ParseError, Source, load_csv
from etl.sources.base import as_of_from_capture
from etl.sources.evalcommon import join_setting, number, reported_by_vendor, score_row, slug

RAW = "https://raw.githubusercontent.com/epoch-research/benchmark-stitching/"
RUNS_URL = RAW + "main/data/benchmarks_runs.csv"
ECI_URL = RAW + "07356c2106015f283c23a1f2478ea9e654a9f24f/data/website/epoch_capabilities_index.csv"
EXT_BASE = RAW + "main/data/external_benchmark_"

# file stem -> (our benchmark name, headline column, unit, extra setting columns)
EXTERNAL: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "aider_polyglot": ("aider_polyglot", "Percent correct", "percent", ("Edit format",)),
    "anli": ("anli", "Score", "percent", ("Shots",)),
    "arc_agi": ("arc_agi", "Score", "percent", ()),
    "arc_ai2": ("arc_challenge", "Challenge score", "percent", ("Shots",)),
    "balrog": ("balrog", "Average progress", "percent", ()),
    "bbh": ("bbh", "Average", "percent", ("Shots",)),
    "boolq": ("boolq", "Score", "percent", ("Shots",)),
    "cadeval": ("cadeval", "Overall pass (%)", "percent", ("Prompt",)),
    "csqa2": ("csqa2", "Score", "percent", ("Shots",)),
    "cybench": ("cybench", "Unguided % Solved", "percent", ()),
    "deepresearch": ("deepresearch_bench", "Average score", "percent", ("Agent",)),
    "factorio_learning_environment": ("factorio_lab_success", "Lab Success %", "percent", ("Tools",)),
    "fictionlivebench": ("fictionlivebench_120k", "120k token score", "percent", ()),
    "geobench": ("geobench_acw_country", "ACW Country %", "percent", ("Tools",)),
    "gsm8k": ("gsm8k", "EM", "percent", ("Shots",)),
    "gso_bench": ("gso_bench", "Score OPT@1", "percent", ("Scaffold",)),
    "hellaswag": ("hellaswag", "Overall accuracy", "percent", ("Shots",)),
    "lambada": ("lambada", "Score", "percent", ("Shots",)),
    "lech_mazur_writing": ("lech_mazur_writing", "Mean score", "score (0-10)", ()),
    "livebench": ("livebench_{version}", "Global average", "percent", ()),
    "mcbench": ("mcbench", "ELO", "elo", ()),
    "metr": ("metr_time_horizon", "Time horizon", "minutes", ()),
    "mmlu": ("mmlu", "EM", "percent", ("Shots",)),
    "openbookqa": ("openbookqa", "Accuracy", "percent", ("Shots",)),
    "os_world": ("os_world", "Score", "percent", ("Agent",)),
    "osuniverse": ("osuniverse", "Weighted Score", "percent", ("Agent",)),
    "piqa": ("piqa", "Score", "percent", ("Shots",)),
    "scienceqa": ("scienceqa", "Score", "percent", ("Shots",)),
    "simple_bench": ("simple_bench", "Score (AVG@5)", "percent", ()),
    "superglue": ("superglue", "Score", "percent", ()),
    "terminal_bench": ("terminal_bench", "Accuracy mean", "percent", ("Agent",)),
    "the_agent_company": ("the_agent_company", "% Resolved", "percent", ("Model",)),
    "triviaqa": ("triviaqa", "EM", "percent", ("Shots",)),
    "videomme": ("videomme", "Overall (no subtitles)", "percent", ()),
    "vpct": ("vpct", "Correct", "percent", ()),
    "weirdml": ("weirdml", "Accuracy", "percent", ()),
    "winogrande": ("winogrande", "Accuracy", "percent", ("Shots",)),
}
# Third-party measurements (leaderboards, benchmark authors). Any other original source is a model
# developer's own report (technical reports, model cards, papers): not independent, so those rows are
# stored with vendor_claimed = true even when a developer reports a competitor's number.
INDEPENDENT_SOURCE = re.compile(
    r"leaderboard|dashboard|helm|crfm|livebench|metr\b|os world|osuniverse|lechmazur|theagentcompany|"
    r"paperswithcode|fle v\d|adversarial nli|commonsenseqa 2\.0", re.I)
RUN_COLUMNS = ("task", "model", "Best score (across scorers)", "Status")
ECI_COLUMNS = ("Model version", "ECI Score")


def run_date(text: str):
    """``"8 April 2025 4:34am"`` -> date(2025, 4, 8); unparsable -> None."""
    try:
        return datetime.strptime(" ".join(str(text).split()[:3]), "%d %B %Y").date()
    except ValueError:
        return None


def external_stem(url: str) -> str | None:
    if url.startswith(EXT_BASE) and url.endswith(".csv"):
        return url[len(EXT_BASE):-4]
    return None


class EpochSource(Source):
    name = "epoch"
    title = "Epoch AI Benchmarking Hub (own runs, ECI, re-keyed third-party tables)"
    homepage = "https://epoch.ai/benchmarks"

    def urls(self, models) -> list[str]:
        return [RUNS_URL, ECI_URL] + [f"{EXT_BASE}{stem}.csv" for stem in EXTERNAL]

    def expect_for(self, fetched: Fetched) -> dict[str, str]:
        """Upstream contract per file (etl/contracts.py): the score column must hold plain numbers."""
        if fetched.url == RUNS_URL:
            return {"model": "str?", "Best score (across scorers)": "number?"}
        if fetched.url == ECI_URL:
            return {"Model version": "str?", "ECI Score": "number?"}
        stem = external_stem(fetched.url)
        return {"Model version": "str?", EXTERNAL[stem][1]: "percent?"} if stem in EXTERNAL else {}

    def parse(self, fetched: Fetched) -> list[dict]:
        text = fetched.text()
        if fetched.url == RUNS_URL:
            return [{**r, "_kind": "run"} for r in load_csv(text, RUN_COLUMNS)]
        if fetched.url == ECI_URL:
            return [{**r, "_kind": "eci"} for r in load_csv(text, ECI_COLUMNS)]
        stem = external_stem(fetched.url)
        if stem not in EXTERNAL:
            raise ParseError("not a known Epoch file")
        _, column, _, _ = EXTERNAL[stem]
        return [{**r, "_kind": "ext", "_stem": stem} for r in load_csv(text, ("Model version", column, "Source"))]

    def normalise(self, records: list[dict], ctx: Context) -> dict[str, list[dict]]:
        rows = []
        for rec in records:
            kind = rec["_kind"]
            if kind == "run":
                row = self._run(rec, ctx)
            elif kind == "eci":
                row = self._eci(rec, ctx)
            else:
                row = self._external(rec, ctx)
            if row:
                rows.append(row)
        return {"scores": rows}

    def _run(self, rec, ctx):
        if (rec.get("Status") or "").strip() != "Success":
            return None
        value, _ = number(rec.get("Best score (across scorers)"))
        name = (rec.get("model") or "").strip()
        if value is None or not name:
            return None
        m = ctx.match(name, as_of=run_date(rec.get("started_at")))
        if not m.model_id:
            return None
        return score_row(m.model_id, slug(rec["task"]), round(value * 100, 4), "percent", name, rec["_url"],
                         run_date(rec.get("started_at")) or as_of_from_capture(rec["_fetched"]),
                         setting=join_setting(m.setting, "Epoch AI run"))

    def _eci(self, rec, ctx):
        value, _ = number(rec.get("ECI Score"))
        name = (rec.get("Model version") or "").strip()
        if value is None or not name:
            return None
        m = ctx.match(name)
        if not m.model_id:
            return None
        return score_row(m.model_id, "epoch_capabilities_index", round(value, 4), "index", name, rec["_url"],
                         as_of_from_capture(rec["_fetched"]), setting=join_setting(m.setting, "Epoch Capabilities Index"))

    def _external(self, rec, ctx):
        bench, column, unit, extra = EXTERNAL[rec["_stem"]]
        value, _ = number(rec.get(column))
        key, label = (rec.get("Model version") or "").strip(), (rec.get("Name") or "").strip()
        name = key or label
        if value is None or not name:
            return None
        if "{version}" in bench:
            version = (rec.get("LiveBench Version") or "").strip()
            if not version:
                return None
            bench = bench.format(version=slug(version.removeprefix("LiveBench-")))
        # every column that names the model: "DeepSeek-V3 Base" keyed to DeepSeek-V3 is the base model
        m = ctx.match_described(key, label, rec.get("Notes") or "")
        if not m.model_id:
            return None
        src = (rec.get("Source") or "").strip() or "unnamed"
        independent = bool(INDEPENDENT_SOURCE.search(src))
        details = [f"{c}: {rec[c].strip()}" for c in extra if (rec.get(c) or "").strip()]
        ci_low = ci_high = None
        if rec["_stem"] == "metr":
            ci_low, _ = number(rec.get("CI_low"))
            ci_high, _ = number(rec.get("CI_high"))
        if key and label and m.model_id != ctx.matcher.match(key).model_id:
            name = label  # the label decided the checkpoint ("DeepSeek-V3 Base"): keep it as the raw name
        return score_row(m.model_id, bench, value, unit, name, rec["_url"], as_of_from_capture(rec["_fetched"]),
                         setting=join_setting(m.setting, *details, f"original source: {src} (" + (
                             "re-keyed by Epoch AI)" if independent else "model developer's report, re-keyed by Epoch AI)")),
                         ci_low=ci_low, ci_high=ci_high, vendor_claimed=not independent,
                         reported_by="independent" if independent else reported_by_vendor(
                             ctx.by_id[m.model_id].vendor if m.model_id in ctx.by_id else "", src))


SOURCE = EpochSource()
