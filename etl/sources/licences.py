"""Licence facts and per-model use-case answers, from our curated ``data/licences.yaml``.

Not an HTTP source: the facts are hand-curated from the licence texts (each row keeps the URL of
its text and whether that text was read). The rules live in ``etl/licence_rules.py``; this
source applies them to the registry so the app can filter with SQL (``licence_answers``).
"""
from __future__ import annotations

from pathlib import Path

from etl import clock
from etl.fetch import Fetched, Fetcher
from etl.matcher import Matcher
from etl.sources.base import Context, ParseError, Source, SourceOutput
from etl import licence_rules as rules

LICENCES_FILE = rules.LICENCES_PATH


class LicencesSource(Source):
    name = "licences"
    title = "Curated licence facts (data/licences.yaml) and use-case answers"
    homepage = "data/licences.yaml"
    tables = ("licences", "licence_answers")

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else LICENCES_FILE

    def urls(self, models) -> list[str]:
        return [f"file://{self.path}"]

    def run(self, fetcher: Fetcher, models, matcher: Matcher) -> SourceOutput:
        try:
            content = self.path.read_bytes()
        except OSError as exc:
            raise ParseError(f"{self.path}: {exc.strerror}") from exc
        fetched = Fetched(f"file://{self.path}", content, clock.now(), "curated file")
        try:
            licences, bases = rules.load_licences(self.path)
        except rules.LicenceDataError as exc:
            raise ParseError(str(exc)) from exc
        ctx = Context(models, matcher)
        tables = self.normalise_facts(licences, bases, ctx)
        return SourceOutput(tables, len(licences), ctx.matched, ctx.unmatched, [fetched], {}, as_of=None)

    def normalise_facts(self, licences, bases, ctx: Context) -> dict[str, list[dict]]:
        lrows = []
        for lic in licences.values():
            lrows.append({
                "licence_id": lic.licence_id, "name": lic.name, "source_url": lic.source_url,
                "primary_text_read": lic.primary_text_read, "read_note": lic.read_note,
                "osi_approved": lic.osi_approved, "weights_available": lic.weights_available,
                "commercial": lic.commercial, "commercial_clause": lic.commercial_clause,
                "mau_threshold": lic.mau_threshold, "mau_clause": lic.mau_clause,
                "attribution": lic.attribution, "branding_required": lic.branding_required,
                "derivative_naming": (f"name must begin with \"{lic.naming_prefix}\"" if lic.naming_prefix
                                      else "no naming rule"),
                "naming_clause": lic.naming_clause,
                "eu_restriction": lic.eu_applies, "eu_multimodal_only": lic.eu_multimodal_only,
                "eu_clause": lic.eu_clause, "use_policy_passdown": lic.use_policy_passdown,
                "use_policy_url": lic.use_policy_url, "outputs_training": lic.outputs_rule,
                "outputs_clause": lic.outputs_clause,
            })
        arows = []
        for model, ans in rules.model_answers(ctx.models, licences, bases):
            if ans.use_case == "commercial":
                ctx.matched += 1
            arows.append({"model_id": model.model_id, "use_case": ans.use_case, "answer": ans.answer,
                          "clause": ans.clause, "source_url": ans.source_url, "terms": ans.terms,
                          "threshold": ans.threshold, "answer_within": ans.answer_within})
        return {"licences": lrows, "licence_answers": arows}

    def normalise(self, records, ctx):  # pragma: no cover - run() is overridden
        raise NotImplementedError


SOURCE = LicencesSource()
