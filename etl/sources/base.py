"""What every source is: fetch (HTTP/mirror) -> parse (pure) -> normalise (pure) + a load rule."""
from __future__ import annotations

import csv
import io
import json

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from etl.contracts import check_records, validate_rows
from etl.fetch import Fetched, FetchError, Fetcher, fetch_many
from etl.matcher import Match, Matcher
from etl.registry import Model


def load_json(text: str, expected: type | None = None, what: str = "a JSON value"):
    """``json.loads`` whose failures are one-line ``ParseError``s; optionally check the top-level type."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"invalid JSON: {exc.msg} at line {exc.lineno}") from exc
    if expected is not None and not isinstance(data, expected):
        raise ParseError(f"expected {what}, got {type(data).__name__}")
    return data


def load_csv(text: str, required: tuple[str, ...] = ()) -> list[dict]:
    """CSV rows as dicts; a missing required column is a one-line ``ParseError`` (format changed)."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None:
        raise ParseError("empty CSV")
    missing = [c for c in required if c not in reader.fieldnames]
    if missing:
        raise ParseError(f"missing column(s) {missing} (format changed?)")
    return [dict(r) for r in reader]


class ParseError(ValueError):
    """The bytes are not what the source's format contract says (one short line)."""


@dataclass
class Context:
    """Per-source run state handed to ``normalise``: the registry, the matcher, match counts, and
    every raw name the source reported (``names``: name -> model id it was placed on, None = not
    placed), whatever the source. Readers (``tools/scan_eval_names.py``, the loader's unmatched
    table) take names from here instead of knowing how each source's records spell models."""

    models: list[Model]
    matcher: Matcher
    matched: int = 0
    unmatched: Counter = field(default_factory=Counter)
    reasons: dict = field(default_factory=dict)  # unmatched name -> why it was refused (Match.reason)
    names: dict = field(default_factory=dict)  # every raw name reported -> model id (None = unmatched)
    hub_repos: set = field(default_factory=set)  # the names that are Hub repo ids (owner/name)

    def __post_init__(self):
        self.by_id = {m.model_id: m for m in self.models}

    def record(self, raw_name: str, model_id: str | None, rows: int = 1, reason: str = "",
               hub_repo: bool = False, listed_as: str = "") -> None:
        """Count one reported name: matched rows, or unmatched rows listed under ``listed_as`` (default
        the name) with why; remember the name and where it went (placed once = placed)."""
        name = str(raw_name)
        if model_id:
            self.matched += rows
        else:
            listed = listed_as or name
            self.unmatched[listed] += rows
            if reason:
                self.reasons.setdefault(listed, reason)
        if self.names.get(name) is None:
            self.names[name] = model_id
        if hub_repo:
            self.hub_repos.add(name)

    def names_from_output(self, tables: dict[str, list[dict]]) -> None:
        """For a source that placed names without the context (the offering catalogues, through
        ``etl.offerings``): what it reported is its rows' ``raw_name`` (-> their model) and its
        unmatched list (-> None)."""
        for rows in tables.values():
            for row in rows:
                if row.get("raw_name"):
                    self.names.setdefault(str(row["raw_name"]), row.get("model_id"))
        for name in self.unmatched:
            self.names.setdefault(name, None)

    def match(self, raw_name: str, rows: int = 1, hub_repo: bool = False, as_of: date | None = None) -> Match:
        result = self.matcher.match(raw_name, hub_repo=hub_repo, as_of=as_of)
        self.record(raw_name, result.model_id, rows, result.reason, hub_repo)
        return result

    def match_described(self, key: str, label: str = "", notes: str = "") -> Match:
        """``Matcher.match_described`` with counting; a row vetoed by its own label/notes is listed
        as unmatched under ``label (keyed as key)`` so the Data quality page shows both."""
        result = self.matcher.match_described(key, label, notes)
        vetoed = not result.model_id and key and label and self.matcher.match(key).model_id
        self.record(str(key or label), result.model_id, reason=result.reason,
                    listed_as=f"{label} (keyed as {key})" if vetoed else "")
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
    quarantined: list[dict] = field(default_factory=list)  # rows for the quarantine table
    reasons: dict = field(default_factory=dict)  # unmatched name -> why it was refused
    names: dict = field(default_factory=dict)  # every raw name reported -> model id (None = unmatched)
    hub_repos: set = field(default_factory=set)  # the names that are Hub repo ids

    @property
    def status(self) -> str:
        # exact duplicates are dropped without loss; any other quarantined row is missing data
        degraded = any(q["stage"] != "duplicate" for q in self.quarantined)
        return "partial" if (self.failed_urls or degraded) else "ok"


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
    # upstream contract: parsed-record field -> kind (see etl/contracts.py), checked for every URL
    expect: dict[str, str] = {}
    allow_empty: bool = False  # False: a URL that parses to no records is a format change
    # after this many consecutive transient failures (timeout, reset, 429, 5xx) on one host,
    # the source's remaining URLs on that host are skipped: a down host costs bounded time
    host_failure_limit: int = 3

    @property
    def kind(self) -> str:
        """What the source feeds, from the tables it declares: ``evals`` (scores), ``architectures``,
        ``offerings``, ``licences`` or ``hub`` (hub metadata). Readers select sources by kind."""
        for table, kind in (("scores", "evals"), ("architectures", "architectures"), ("offerings", "offerings"),
                            ("licence_answers", "licences"), ("hub_metadata", "hub")):
            if table in self.tables:
                return kind
        raise ValueError(f"source {self.name!r} declares no known table: {self.tables}")

    @property
    def independent_urls(self) -> bool:
        """Merge-loaded sources (one URL per model) treat an unparseable file as one failed URL."""
        return any(rule == "merge" for rule, _ in self.load_rules.values())

    def urls(self, models: list[Model]) -> list[str]:
        raise NotImplementedError

    def requires(self, url: str) -> list[str]:
        """URLs without which ``url``'s records cannot be normalised (e.g. a LiveBench table needs its
        categories file). If one of them failed, ``url`` counts as failed too, so its last good rows
        are kept per URL instead of being silently dropped."""
        return []

    def parse(self, fetched: Fetched) -> list[dict]:
        raise NotImplementedError

    def normalise(self, records: list[dict], ctx: Context) -> dict[str, list[dict]]:
        raise NotImplementedError

    def normalise_safely(self, records: list[dict], ctx: Context) -> dict[str, list[dict]]:
        """``normalise`` whose only failure is ``ParseError``: values of a shape the normaliser did not
        foresee (a list where a string was, a missing nested key) fail the source with one line."""
        try:
            return self.normalise(records, ctx)
        except ParseError:
            raise
        except (ValueError, LookupError, TypeError, AttributeError) as exc:
            first = (str(exc).splitlines() or [""])[0][:160]
            raise ParseError(f"records of an unexpected shape ({type(exc).__name__}: {first})") from exc

    def expect_for(self, fetched: Fetched) -> dict[str, str]:
        """The upstream contract of one fetched file (override when files differ in shape)."""
        return self.expect

    def parse_safely(self, fetched: Fetched) -> list[dict]:
        """``parse`` whose only failure is ``ParseError``: a malformed body (bad CSV quoting, NUL
        bytes, invalid UTF-8/JSON/YAML, a missing key or wrong type deep in a parser) names itself
        in one line instead of escaping as an arbitrary exception."""
        import csv

        import yaml
        try:
            return self.parse(fetched)
        except ParseError:
            raise
        except (ValueError, csv.Error, yaml.YAMLError, LookupError, TypeError, AttributeError) as exc:
            first = (str(exc).splitlines() or [""])[0][:160]
            raise ParseError(f"malformed body ({type(exc).__name__}: {first})") from exc

    def fetch(self, fetcher: Fetcher, urls: list[str]) -> tuple[list[Fetched], dict[str, str]]:
        """Concurrently, at most a few requests per host, a down host given up on after
        ``host_failure_limit`` consecutive transient failures (see ``etl.fetch.fetch_many``)."""
        return fetch_many(fetcher, urls, host_failure_limit=self.host_failure_limit)

    def run(self, fetcher: Fetcher, models: list[Model], matcher: Matcher) -> SourceOutput:
        urls = self.urls(models)
        fetched, failed = self.fetch(fetcher, urls)
        if not fetched:
            reasons = Counter(failed.values())
            raise FetchError(urls[0] if urls else self.name,
                             "no URL could be fetched: " + ", ".join(f"{r} x{n}" for r, n in reasons.most_common(3)))
        records, quarantined, parsed = [], [], []
        for f in fetched:
            try:
                recs = self.parse_safely(f)
                if not recs and not self.allow_empty:
                    raise ParseError(f"no records ({len(f.content)} bytes; empty body or changed format)")
                for r in recs:
                    if isinstance(r, dict):
                        r.setdefault("_url", f.url)
                        r.setdefault("_fetched", f)
                recs, bad = check_records(recs, self.expect_for(f), self.name, f.url)
            except (ParseError, ValueError) as exc:
                if self.independent_urls:  # one bad file among many: that URL failed, the rest load
                    failed[f.url] = f"unparseable: {str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__}"
                    continue
                raise ParseError(f"{f.url}: {exc}") from exc
            quarantined.extend(bad)
            records.extend(recs)
            parsed.append(f)
        for f in list(parsed):
            missing = [u for u in self.requires(f.url) if u in failed]
            if missing:
                failed[f.url] = f"needs {missing[0].rsplit('/', 1)[-1]}, which failed: {failed[missing[0]]}"[:200]
                parsed.remove(f)
                records = [r for r in records if not (isinstance(r, dict) and r.get("_url") == f.url)]
                quarantined = [q for q in quarantined if q.get("source_url") != f.url]
        if not parsed:
            raise ParseError("no URL could be parsed: " + next(iter(failed.values())))
        fetched = parsed
        ctx = Context(models, matcher)
        tables = self.normalise_safely(records, ctx)
        if not ctx.names:
            ctx.names_from_output(tables)
        tables, bad_rows = validate_rows(self.name, tables)
        quarantined.extend(bad_rows)
        return SourceOutput(tables, len(records), ctx.matched, ctx.unmatched, fetched, failed,
                            as_of=_max_as_of(tables), quarantined=quarantined, reasons=ctx.reasons,
                            names=ctx.names, hub_repos=ctx.hub_repos)


def _max_as_of(tables: dict[str, list[dict]]) -> date | None:
    dates = [r["as_of"] for rows in tables.values() for r in rows if isinstance(r.get("as_of"), date)]
    return max(dates) if dates else None


def as_of_from_capture(fetched: Fetched) -> date | None:
    """Date of a file with no date inside.

    A directory-mirror read is dated by the mirror's ``INDEX.csv`` ``captured_at`` (the capture's
    origin commit); with no known date it is ``None`` (unknown) and never the day of the replay.
    A live (or HTTP-seam) fetch: the HTTP ``Last-Modified``, else the fetch day (``etl.clock``).
    """
    if fetched.captured_at is not None:
        return fetched.captured_at
    if fetched.from_mirror_dir:
        return None
    when: datetime = fetched.last_modified or fetched.fetched_at
    return when.date()
