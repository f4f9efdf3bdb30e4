"""LiveBench release tables (``table_<release>.csv``) with their category maps (``categories_<release>.json``).

Each release uses its own question set, so the release is part of the benchmark identity and
numbers are never compared across releases. Benchmark names:

- ``livebench_<release>``            global average = mean of the category scores (the site's "Global Average")
- ``livebench_<release>:<category>`` category score = mean of that category's task columns (0-100)

A category whose tasks are not all present for a model is left out for that model, and so is its
global average (the site shows a blank there too): unknown is not zero.

The 2025-05-30 table was later edited upstream (Llama 4 Maverick removed on 2025-10-06). The
version captured at commit 6d7587be (2025-09-17) is fetched as well; rows that exist only in that
older version are kept with ``setting = "removed from later version of this table"``, so the page
can show the removal instead of silently losing the row. Rows present in both versions come from
the current one.

``as_of`` is the release date named in the file (``table_2024_06_24`` -> 2024-06-24): a release's
numbers describe that release's question set, not the day the site's repository was captured.
"""
from __future__ import annotations

from datetime import date

import csv
import io
import re

from etl.fetch import Fetched
from etl.sources.base import Context, ParseError, Source, load_json
from etl.parsing import finite_number
from etl.sources.base import as_of_from_capture
from etl.sources.evalcommon import score_row, slug

SITE = "https://livebench.ai/"
RELEASES = ("2024_06_24", "2024_07_26", "2024_08_31", "2024_11_25", "2025_04_02", "2025_04_25",
            "2025_05_30", "2025_11_25", "2025_12_23", "2026_01_08")
OLD_BASE = ("https://raw.githubusercontent.com/LiveBench/livebench.github.io/"
            "6d7587be7c5450f8f5366227f6b87214dc89b8c0/public/")
OLD_VERSIONS = {"2025_05_30": OLD_BASE}  # release -> base URL of an older captured version
REMOVED = "removed from later version of this table"
_FILE = re.compile(r"(table|categories)_(\d{4}_\d\d_\d\d)\.(csv|json)$")


def release_date(release: str) -> date | None:
    """``"2024_06_24"`` -> date(2024, 6, 24); anything else -> None."""
    try:
        return date(*(int(x) for x in str(release).split("_")))
    except (TypeError, ValueError):
        return None


def benchmark_name(release: str, category: str | None = None) -> str:
    return f"livebench_{release}" + (f":{slug(category)}" if category else "")


def parse_categories(text: str) -> dict[str, list[str]]:
    data = load_json(text)
    if not isinstance(data, dict) or not data or not all(
            isinstance(v, list) and all(isinstance(t, str) for t in v) for v in data.values()):
        raise ParseError("categories file must map category -> list of task names")
    return {str(k): list(v) for k, v in data.items()}


def parse_table(text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "model" not in reader.fieldnames:
        raise ParseError("table lacks a 'model' column (format changed?)")
    if len(reader.fieldnames) < 2:
        raise ParseError("table has no task columns")
    return [dict(r) for r in reader]


def compute_scores(row: dict, categories: dict[str, list[str]]) -> tuple[dict[str, float], float | None]:
    """Site math: category = mean of its tasks; global = mean of categories (only when all are known)."""
    cats = {}
    for cat, tasks in categories.items():
        vals = [finite_number(row.get(t)) for t in tasks]
        if tasks and all(v is not None for v in vals):
            cats[cat] = sum(vals) / len(vals)
    glob = sum(cats.values()) / len(cats) if cats and len(cats) == len(categories) else None
    return cats, glob


class LiveBenchSource(Source):
    name = "livebench"
    title = "LiveBench (every release)"
    homepage = "https://livebench.ai/"

    def urls(self, models) -> list[str]:
        out = []
        for rel in RELEASES:
            out += [f"{SITE}table_{rel}.csv", f"{SITE}categories_{rel}.json"]
        for rel, base in OLD_VERSIONS.items():
            out += [f"{base}table_{rel}.csv", f"{base}categories_{rel}.json"]
        return out

    def requires(self, url: str) -> list[str]:
        """A release table is scored through its categories file (category = mean of its tasks)."""
        m = _FILE.search(url)
        if m and m.group(1) == "table":
            return [url[:m.start()] + f"categories_{m.group(2)}.json"]
        return []

    def expect_for(self, fetched: Fetched) -> dict[str, str]:
        """Upstream contract (etl/contracts.py): every task column of a table holds plain numbers."""
        return {"categories": "dict"} if fetched.url.endswith(".json") else {"model": "str", "*": "number?"}

    def parse(self, fetched: Fetched) -> list[dict]:
        m = _FILE.search(fetched.url)
        if not m:
            raise ParseError("URL is neither table_<release>.csv nor categories_<release>.json")
        kind, release = m.group(1), m.group(2)
        version = "old" if fetched.url.startswith(OLD_BASE) else "current"
        if kind == "categories":
            return [{"_kind": "categories", "_release": release, "_version": version,
                     "categories": parse_categories(fetched.text())}]
        return [{**r, "_kind": "row", "_release": release, "_version": version} for r in parse_table(fetched.text())]

    def normalise(self, records: list[dict], ctx: Context) -> dict[str, list[dict]]:
        cats = {(r["_release"], r["_version"]): r["categories"] for r in records if r["_kind"] == "categories"}
        current_names = {(r["_release"], r["model"]) for r in records
                         if r["_kind"] == "row" and r["_version"] == "current"}
        rows = []
        for rec in records:
            if rec["_kind"] != "row":
                continue
            release, version, name = rec["_release"], rec["_version"], (rec.get("model") or "").strip()
            categories = cats.get((release, version))
            if categories is None:
                continue  # a table without its categories file cannot be scored (URL failed)
            setting = ""
            if version == "old":
                if (release, name) in current_names:
                    continue  # still in the current table: the current version speaks for it
                setting = REMOVED
            # a release's numbers describe that release (its question set), not the day the file was captured
            as_of = release_date(release) or as_of_from_capture(rec["_fetched"])
            m = ctx.match(name, as_of=as_of)
            if not m.model_id:
                continue
            by_cat, glob = compute_scores(rec, categories)
            common = dict(raw_name=name, source_url=rec["_url"], as_of=as_of,
                          setting="; ".join(x for x in (m.setting, setting) if x))
            if glob is not None:
                rows.append(score_row(m.model_id, benchmark_name(release), round(glob, 4), "percent", **common))
            for cat, v in by_cat.items():
                rows.append(score_row(m.model_id, benchmark_name(release, cat), round(v, 4), "percent", **common))
        return {"scores": rows}


SOURCE = LiveBenchSource()
