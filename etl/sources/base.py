"""What every source is: fetch (HTTP/mirror) -> parse (pure) -> normalise (pure) + a load rule."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from etl.fetch import Fetched, FetchError, Fetcher
from etl.matcher import Match, Matcher
from etl.registry import Model


class ParseError(ValueError):
    """The bytes are not what the source's format contract says (one short line)."""


@dataclass
class Context:
    """Per-source run state handed to ``normalise``: the registry, the matcher, match counts."""

    models: list[Model]
    matcher: Matcher
    matched: int = 0
    unmatched: Counter = field(default_factory=Counter)

    def __post_init__(self):
        self.by_id = {m.model_id: m for m in self.models}

    def match(self, raw_name: str, rows: int = 1) -> Match:
        result = self.matcher.match(raw_name)
        if result.model_id:
            self.matched += rows
        else:
            self.unmatched[str(raw_name)] += rows
        return result


@dataclass
class SourceOutput:
    tables: dict[str, list[dict]]
    records: int
    matched: int
    unmatched: Counter
    fetched: list[Fetched]
    failed_urls: dict[str, str]
    as_of: date | None = None

    @property
    def status(self) -> str:
        return "partial" if self.failed_urls else "ok"


class Source:
    """Subclass and set ``name``/``tables``; implement ``urls``, ``parse``, ``normalise``.

    ``load_rules`` maps table -> ("replace", ()) or ("merge", key_columns). ``replace`` swaps
    all of this source's rows; ``merge`` keeps last-good rows whose key was not refreshed this
    time (for sources made of many independent URLs, e.g. one config.json per model).
    """

    name: str = ""
    title: str = ""
    homepage: str = ""
    tables: tuple[str, ...] = ("scores",)
    load_rules: dict[str, tuple[str, tuple[str, ...]]] = {}
    frozen: bool = False  # upstream archived: no new data will come
    all_urls_required: bool = False  # True: any failed URL fails the source

    def urls(self, models: list[Model]) -> list[str]:
        raise NotImplementedError

    def parse(self, fetched: Fetched) -> list[dict]:
        raise NotImplementedError

    def normalise(self, records: list[dict], ctx: Context) -> dict[str, list[dict]]:
        raise NotImplementedError

    def fetch(self, fetcher: Fetcher, urls: list[str]) -> tuple[list[Fetched], dict[str, str]]:
        got, failed = [], {}
        for url in urls:
            try:
                got.append(fetcher.get(url))
            except FetchError as exc:
                failed[url] = exc.reason
        return got, failed

    def run(self, fetcher: Fetcher, models: list[Model], matcher: Matcher) -> SourceOutput:
        urls = self.urls(models)
        fetched, failed = self.fetch(fetcher, urls)
        if not fetched:
            reasons = Counter(failed.values())
            raise FetchError(urls[0] if urls else self.name,
                             "no URL could be fetched: " + ", ".join(f"{r} x{n}" for r, n in reasons.most_common(3)))
        if failed and self.all_urls_required:
            url, reason = next(iter(failed.items()))
            raise FetchError(url, reason)
        records = []
        for f in fetched:
            try:
                recs = self.parse(f)
            except ParseError as exc:
                raise ParseError(f"{f.url}: {exc}") from exc
            for r in recs:
                r.setdefault("_url", f.url)
                r.setdefault("_fetched", f)
            records.extend(recs)
        ctx = Context(models, matcher)
        tables = self.normalise(records, ctx)
        return SourceOutput(tables, len(records), ctx.matched, ctx.unmatched, fetched, failed,
                            as_of=_max_as_of(tables))


def _max_as_of(tables: dict[str, list[dict]]) -> date | None:
    dates = [r["as_of"] for rows in tables.values() for r in rows if isinstance(r.get("as_of"), date)]
    return max(dates) if dates else None


def as_of_from_capture(fetched: Fetched) -> date:
    """Best date for a file with no date inside: a date named in the mirror capture note,
    else the HTTP Last-Modified, else the day it was fetched."""
    import re
    m = re.search(r"(20\d\d)[.\-_](\d\d)[.\-_](\d\d)", fetched.capture_note or "")
    if m:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    when: datetime = fetched.last_modified or fetched.fetched_at
    return when.date()
