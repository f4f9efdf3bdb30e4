"""Vendor-claimed benchmark scores from our curated ``data/vendor_claims.csv``.

The table is ours (compiled by hand from model cards, READMEs and technical reports; one row per
(model, benchmark) with the vendor document's URL and publication date). Columns:
``model_id, benchmark_label, score, metric, claimed_by, published, source_url``. Every row is
stored with ``vendor_claimed = true``; the claimant and the vendor's metric notes (shots, mode,
"Qwen eval" for competitor numbers inside another vendor's table) form the setting.

This source reads a local file, so ``fetch`` is overridden: live refreshes and mirror replays
read the same committed CSV (there is no upstream URL to poll). Edit the CSV and run
``python -m etl refresh --source vendor_claims``.

``benchmark`` is the vendor label reduced to a comparable key: the parenthesised metric note is
moved to the setting, then the rest is slugged (``GPQA-Diamond (Pass@1)`` -> ``gpqa_diamond``,
``LiveBench 2024-11-25`` -> ``livebench_2024_11_25``, ``Aider-Polyglot (Acc.)`` -> ``aider_polyglot``),
so a claim lines up with an independent result of the same name when one exists.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path

from etl import clock
from etl.fetch import Fetched
from etl.sources.base import Context, ParseError, Source, load_csv
from etl.sources.evalcommon import join_setting, number, reported_by_vendor, score_row, slug

PATH = Path(__file__).resolve().parents[2] / "data" / "vendor_claims.csv"
COLUMNS = ("model_id", "benchmark_label", "score", "metric", "claimed_by", "published", "source_url")
_PAREN = re.compile(r"\s*\(([^()]*)\)\s*$")
# vendor spellings of the same benchmark -> one key
SYNONYMS = {"mmlu_pro_cot": "mmlu_pro", "big_bench_hard": "bbh", "if_eval": "ifeval",
            "ifeval_strict_prompt": "ifeval", "aime_24": "aime_2024", "aime_25": "aime_2025",
            "arc_c": "arc_challenge", "arc_e": "arc_easy", "swe_verified": "swe_bench_verified",
            "codeforces_rating": "codeforces", "arenahard": "arena_hard", "alpacaeval2_0": "alpacaeval_2_0",
            "naturalquestions": "natural_questions"}
# whole labels whose parenthesis is part of the benchmark's name, not a metric note
LABELS = {"MMLU (Pro COT)": ("mmlu_pro", "CoT"), "Codeforces (Percentile)": ("codeforces_percentile", ""),
          "Codeforces (Rating)": ("codeforces", "")}


def claim_benchmark(label: str) -> tuple[str, str]:
    """Vendor label -> (benchmark key, metric note peeled from a trailing parenthesis)."""
    if label in LABELS:
        return LABELS[label]
    text = str(label).replace("’", "'").replace("'", "_").strip()
    note = ""
    m = _PAREN.search(text)
    if m and not re.fullmatch(r"[\d/\-]+", m.group(1)):  # keep date ranges, peel metric notes
        note, text = m.group(1), text[:m.start()]
    key = slug(text)
    return SYNONYMS.get(key, key), note


# benchmarks scored by a judge on a 1-10 / 0-10 scale (never percent)
SCALE_0_10 = re.compile(r"alignbench|writingbench|mt-?bench", re.I)


def claim_unit(label: str, metric: str = "") -> str:
    """The unit of a claim from its label *and* the vendor's metric note (MTOB's label names no unit;
    its metric note says chrF). Unknown -> percent, which row validation then range-checks."""
    low = f"{label} || {metric}".lower()
    label_low = label.lower()
    if "codeforces" in label_low and "percentile" not in label_low:
        return "rating"
    if "bpb" in low or "bits per byte" in low:
        return "bits per byte"
    if "chrf" in low:
        return "chrF"
    if "cococap" in label_low or "cider" in low:
        return "CIDEr"
    if SCALE_0_10.search(label) or re.search(r"\b(?:0|1)-10\b|/10\b", metric):
        return "score (0-10)"
    return "percent"


def parse_claims(text: str) -> list[dict]:
    rows = load_csv(text, COLUMNS)
    for i, r in enumerate(rows):
        if not (r.get("source_url") or "").startswith("http"):
            raise ParseError(f"row {i + 2}: every claim needs a source URL")
    return rows


class VendorClaimsSource(Source):
    name = "vendor_claims"
    title = "Vendor-claimed scores (our curated table)"
    homepage = "data/vendor_claims.csv"
    path: Path = PATH

    def urls(self, models) -> list[str]:
        return [f"file://{self.path}"]  # same convention as the licences source: a local, curated file

    def fetch(self, fetcher, urls):
        got, failed = [], {}
        for u in urls:
            p = Path(u.removeprefix("file://"))
            try:
                content = p.read_bytes()
            except OSError as exc:
                failed[u] = f"cannot read local file: {type(exc).__name__}"
                continue
            mtime = datetime.fromtimestamp(p.stat().st_mtime, tz=timezone.utc).replace(tzinfo=None)
            got.append(Fetched(u, content, clock.now(),
                               "local: data/vendor_claims.csv (curated in this repository)", last_modified=mtime))
        return got, failed

    def parse(self, fetched: Fetched) -> list[dict]:
        return parse_claims(fetched.text())

    def normalise(self, records: list[dict], ctx: Context) -> dict[str, list[dict]]:
        rows = []
        for rec in records:
            value, _ = number(rec.get("score"))
            if value is None:
                continue
            m = ctx.match(rec["model_id"])
            if not m.model_id:
                continue
            label = rec["benchmark_label"]
            bench, note = claim_benchmark(label)
            try:
                published = date.fromisoformat(rec.get("published") or "")
            except ValueError:
                published = None
            setting = join_setting(m.setting, f"claimed by {rec['claimed_by']}", note, rec.get("metric", ""),
                                   f"vendor label: {label}")
            rows.append(score_row(m.model_id, bench, value, claim_unit(label, rec.get("metric") or ""), rec["model_id"],
                                  rec["source_url"], published, setting=setting, vendor_claimed=True,
                                  reported_by=reported_by_vendor(ctx.by_id[m.model_id].vendor if m.model_id in ctx.by_id
                                                                 else "", rec.get("claimed_by") or "")))
        return {"scores": rows}


SOURCE = VendorClaimsSource()
